"""Webhook events: recorded inside the transaction that makes them true (an outbox), signed when
sent. Delivery (retries, leases, the overdue scan, the dispatcher thread) is in
`intake.webhook_delivery`; subscriptions and their delivery log in `intake.webhook_subscriptions`.

Signature (receivers: `verify_signature`, or docs/webhooks.md): the header
`Precert-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, b"<t>." + body)>`. A receiver
rejects a timestamp outside its tolerance (a captured request cannot be replayed later) and
drops an event id it has already processed (a retry after a lost 2xx sends the same event again:
delivery is at least once).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from intake.db import Packet, new_id, utcnow
from intake.schemas import iso, packet_json
from intake.webhook_models import WebhookDelivery, WebhookEvent, WebhookSubscription

EVENT_TYPES: tuple[str, ...] = ("packet.ready", "packet.superseded", "decision.recorded", "decision.overdue")
PING = "webhook.ping"  # sent to one subscription on request, whatever events it chose
SIGNATURE_TOLERANCE_S = 300


# --- signatures -------------------------------------------------------------------------------


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The `Precert-Signature` header value for `body` sent at `timestamp` (unix seconds)."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify_signature(
    secret: str, header: str, body: bytes, *, tolerance_s: float = SIGNATURE_TOLERANCE_S, now: datetime | float | None = None
) -> bool:
    """True when `header` signs exactly `body` with `secret` and its timestamp is within
    `tolerance_s` of `now` (default: the clock). The digest is compared in constant time.

    The tolerance makes a captured request useless later (replay-safe); within it, receivers
    also drop an event id (`Precert-Event-Id`) they have already processed, since a retry sends
    the same event again."""
    timestamp: int | None = None
    candidates: list[bytes] = []
    for part in (header or "").split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1":
            candidates.append(value.encode("utf-8", "replace"))
    if timestamp is None or not candidates:
        return False
    current = time.time() if now is None else now.timestamp() if isinstance(now, datetime) else float(now)
    if abs(current - timestamp) > tolerance_s:
        return False
    expected = sign(secret, body, timestamp).rpartition("v1=")[2].encode()
    return any(hmac.compare_digest(expected, candidate) for candidate in candidates)


# --- recording (inside the caller's transaction) ---------------------------------------------------


def record_event(session: Session, event_type: str, data: dict[str, Any], *, dedupe_key: str | None = None) -> str | None:
    """Add an event and one pending delivery per active subscription to it to `session`; the
    caller commits (or rolls back) them with its own change. Nothing is sent here. Returns the
    event id, or None when `dedupe_key` was recorded before."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown webhook event type {event_type!r}; known: {', '.join(EVENT_TYPES)}")
    active = session.scalars(select(WebhookSubscription).where(WebhookSubscription.active.is_(True)))
    return add_event(session, event_type, data, [s for s in active if event_type in (s.events or ())], dedupe_key=dedupe_key)


def add_event(
    session: Session,
    event_type: str,
    data: dict[str, Any],
    subscriptions: Sequence[WebhookSubscription],
    *,
    dedupe_key: str | None,
) -> str | None:
    """Add an event and one pending delivery per given subscription to `session` (the caller
    commits); None when `dedupe_key` was recorded before."""
    if dedupe_key is not None and session.scalar(select(WebhookEvent.id).where(WebhookEvent.dedupe_key == dedupe_key)):
        return None
    now = utcnow()
    event = WebhookEvent(id=new_id(), type=event_type, dedupe_key=dedupe_key, data=data, created_at=now)
    if dedupe_key is None or session.get_bind().dialect.name == "sqlite":
        # SQLite has one writer: a caller that changed something holds the write lock from its
        # first flush (the query above), so the check stays true until it commits. (pysqlite's
        # SAVEPOINT would also commit early when nothing was written before it.)
        session.add(event)
    else:
        # Two transactions may record the same key at once: the unique index decides, and only
        # the loser's savepoint is rolled back, not the caller's transaction.
        try:
            with session.begin_nested():
                session.add(event)
        except IntegrityError:
            return None
    for subscription in subscriptions:
        session.add(
            WebhookDelivery(
                subscription_id=subscription.id,
                event_id=event.id,
                status="pending",
                attempts=0,
                next_attempt_at=now,
                created_at=now,
                updated_at=now,
            )
        )
    return event.id


def event_data_for_packet(packet: Packet) -> dict[str, Any]:
    """The `data` of a packet event: the packet as `GET /packets/{id}` shows it, with its case."""
    return packet_json(packet, case=packet.case)


def envelope(event: WebhookEvent) -> dict[str, Any]:
    return {"id": event.id, "type": event.type, "created_at": iso(event.created_at), "data": event.data}
