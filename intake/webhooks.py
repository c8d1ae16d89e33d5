"""Webhooks: events are recorded inside the transaction that makes them true (an outbox), then a
dispatcher POSTs each one to every subscription that asked for its type, signed, retried with
backoff, every attempt logged.

Signature (receivers: `verify_signature`, or docs/webhooks.md): the header
`Precert-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, b"<t>." + body)>`. A receiver
rejects a timestamp outside its tolerance (a captured request cannot be replayed later) and
drops an event id it has already processed (a retry after a lost 2xx sends the same event again:
delivery is at least once).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import random
import secrets
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import exists, or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, joinedload, load_only, selectinload

from intake.db import Packet, new_id, utcnow
from intake.logs import log_failure
from intake.receive import ConflictError, NotFoundError
from intake.runtime import Runtime
from intake.schemas import iso, packet_json
from intake.webhook_models import WebhookAttempt, WebhookDelivery, WebhookEvent, WebhookSubscription

log = logging.getLogger(__name__)

EVENT_TYPES: tuple[str, ...] = ("packet.ready", "packet.superseded", "decision.recorded", "decision.overdue")
PING = "webhook.ping"  # sent to one subscription on request, whatever events it chose
USER_AGENT = "precert-intake-webhooks"
SIGNATURE_TOLERANCE_S = 300
# Seconds before the next attempt after the n-th failure (the last one repeats), each +-20 %.
BACKOFF_S: tuple[int, ...] = (10, 30, 120, 600, 1800, 3600, 3 * 3600, 6 * 3600)
JITTER = 0.2
SEND_CONCURRENCY = 8  # one slow receiver does not hold up the others
EXCERPT_CHARS = 200
OVERDUE_KEY = "decision.overdue:"
OVERDUE_BATCH = 200


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
    return _add_event(session, event_type, data, [s for s in active if event_type in (s.events or ())], dedupe_key=dedupe_key)


def _add_event(
    session: Session,
    event_type: str,
    data: dict[str, Any],
    subscriptions: Sequence[WebhookSubscription],
    *,
    dedupe_key: str | None,
) -> str | None:
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


# --- delivering --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str | None
    excerpt: str | None
    duration_ms: int

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args: Any, **_kwargs: Any) -> None:
        return None  # a 3xx is an answer (a failed attempt), never a new destination for the body


_OPENER = urllib.request.build_opener(_NoRedirects)


def _describe(exc: BaseException) -> str:
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError):
        return "timed out"
    if isinstance(reason, ValueError):
        return "invalid URL"
    return f"{type(reason).__name__}: {reason}"[:300]


def post_event(url: str, secret: str, body: bytes, *, event_id: str, event_type: str, timeout_s: float) -> Outcome:
    """One signed POST. The signature's timestamp is the clock's, whatever `now` scheduled it."""
    timestamp = int(time.time())
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "Precert-Event-Id": event_id,
            "Precert-Event-Type": event_type,
            "Precert-Signature": sign(secret, body, timestamp),
        },
    )
    started = time.monotonic()
    error: str | None = None
    raw = b""
    try:
        with _OPENER.open(request, timeout=timeout_s) as response:
            status: int | None = response.status
            raw = response.read(EXCERPT_CHARS * 4)
    except urllib.error.HTTPError as exc:
        status = exc.code
        error = f"HTTP {exc.code}" + (" (redirects are not followed: register the final URL)" if 300 <= exc.code < 400 else "")
        try:
            raw = exc.read(EXCERPT_CHARS * 4)
        except (OSError, http.client.HTTPException):
            raw = b""
    except (OSError, http.client.HTTPException, ValueError) as exc:  # URLError is an OSError
        status, error = None, _describe(exc)
    if status is not None and not 200 <= status < 300 and error is None:
        error = f"HTTP {status}"
    excerpt = raw.decode("utf-8", "replace")[:EXCERPT_CHARS] or None
    return Outcome(status, error, excerpt, int((time.monotonic() - started) * 1000))


def backoff(failures: int) -> timedelta:
    """How long to wait after the `failures`-th failed attempt (jittered so receivers coming
    back up are not hit by every delivery in the same second)."""
    base = BACKOFF_S[min(failures, len(BACKOFF_S)) - 1]
    return timedelta(seconds=base * random.uniform(1 - JITTER, 1 + JITTER))


def _utc(moment: datetime | None) -> datetime:
    if moment is None:
        return utcnow()
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _claimable(moment: datetime):
    return (
        (WebhookDelivery.status == "pending")
        & (WebhookDelivery.next_attempt_at <= moment)
        & or_(WebhookDelivery.lease_until.is_(None), WebhookDelivery.lease_until < moment)
    )


def deliver_due(
    rt: Runtime, *, now: datetime | None = None, limit: int = 50, should_stop: Callable[[], bool] | None = None
) -> int:
    """Send the pending deliveries whose next attempt is due at `now` (default: the clock);
    returns how many attempts were made. Each delivery is claimed first (a conditional UPDATE
    that sets a lease), so any number of processes may run this at once without sending one
    delivery twice at the same time."""
    moment = _utc(now)
    with rt.sessions() as session:
        due = session.scalars(
            select(WebhookDelivery.id).where(_claimable(moment)).order_by(WebhookDelivery.next_attempt_at).limit(limit)
        ).all()
    if not due:
        return 0
    with ThreadPoolExecutor(max_workers=min(SEND_CONCURRENCY, len(due)), thread_name_prefix="webhook-send") as pool:
        return sum(pool.map(lambda delivery_id: _attempt_safely(rt, delivery_id, moment, should_stop), due))


def _attempt_safely(rt: Runtime, delivery_id: str, moment: datetime, should_stop: Callable[[], bool] | None) -> int:
    if should_stop is not None and should_stop():
        return 0
    try:
        return _attempt(rt, delivery_id, moment)
    except Exception as exc:  # the lease runs out and another pass tries again
        log_failure(log, f"webhook delivery {delivery_id} failed", exc)
        return 0


def _attempt(rt: Runtime, delivery_id: str, moment: datetime) -> int:
    settings = rt.settings
    owner = new_id()
    with rt.sessions() as session:
        try:
            claimed = session.execute(
                update(WebhookDelivery)
                .where(WebhookDelivery.id == delivery_id, _claimable(moment))
                .values(lease_until=moment + timedelta(seconds=2 * settings.webhook_timeout_s + 60), lease_owner=owner)
                .execution_options(synchronize_session=False)
            ).rowcount
            session.commit()
        except OperationalError:  # SQLite busy: another dispatcher is writing; next pass
            session.rollback()
            return 0
        if claimed != 1:
            return 0
        delivery = session.get(WebhookDelivery, delivery_id)
        subscription = session.get(WebhookSubscription, delivery.subscription_id)
        event = session.get(WebhookEvent, delivery.event_id)
        failures = delivery.attempts
        if not subscription.active:
            delivery.status, delivery.last_error = "failed", "subscription deactivated"
            delivery.next_attempt_at = delivery.lease_until = delivery.lease_owner = None
            session.commit()
            return 0
        url, secret, event_id, event_type = subscription.url, subscription.secret, event.id, event.type
        body = json.dumps(envelope(event), separators=(",", ":"), ensure_ascii=False).encode()
        subscription_id = subscription.id
    started_at = utcnow()
    outcome = post_event(url, secret, body, event_id=event_id, event_type=event_type, timeout_s=settings.webhook_timeout_s)
    number = failures + 1
    values: dict[str, Any] = {
        "attempts": number,
        "last_status_code": outcome.status_code,
        "last_error": outcome.error,
        "lease_until": None,
        "lease_owner": None,
        "updated_at": utcnow(),
    }
    if outcome.delivered:
        values |= {"status": "delivered", "delivered_at": utcnow(), "next_attempt_at": None}
    elif number >= settings.webhook_max_attempts:
        values |= {"status": "failed", "next_attempt_at": None}
    else:
        values |= {"next_attempt_at": moment + backoff(number)}
    with rt.sessions() as session:
        kept = session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == delivery_id, WebhookDelivery.lease_owner == owner)
            .values(**values)
            .execution_options(synchronize_session=False)
        ).rowcount
        if kept == 1:
            session.add(
                WebhookAttempt(
                    delivery_id=delivery_id,
                    number=number,
                    started_at=started_at,
                    duration_ms=outcome.duration_ms,
                    status_code=outcome.status_code,
                    error=outcome.error,
                    response_excerpt=outcome.excerpt,
                )
            )
        session.commit()
    log.info(
        "webhook event %s (%s) to subscription %s, attempt %d: %s",
        event_id,
        event_type,
        subscription_id,
        number,
        outcome.status_code if outcome.status_code is not None else "no response",
    )
    return 1


# --- overdue decisions -----------------------------------------------------------------------------


def flag_overdue(rt: Runtime, *, now: datetime | None = None) -> int:
    """Record `decision.overdue` once per packet that awaits the payer's decision past its due
    date; returns how many were recorded."""
    from intake.handoff import AWAITING_DECISION  # here: intake.handoff records events through this module

    moment = _utc(now)
    recorded = 0
    with rt.sessions() as session:
        flagged = exists().where(WebhookEvent.dedupe_key == OVERDUE_KEY + Packet.id)
        packets = session.scalars(
            select(Packet)
            .where(Packet.status.in_(AWAITING_DECISION), Packet.due_at.is_not(None), Packet.due_at < moment, ~flagged)
            .order_by(Packet.due_at)
            .limit(OVERDUE_BATCH)
        ).all()
        for packet in packets:
            packet_id = packet.id
            try:
                event_id = record_event(
                    session, "decision.overdue", event_data_for_packet(packet), dedupe_key=OVERDUE_KEY + packet_id
                )
                session.commit()
            except IntegrityError:  # another dispatcher flagged it first
                session.rollback()
                continue
            if event_id is not None:
                recorded += 1
                log.info("decision overdue for packet %s: event %s", packet_id, event_id)
    return recorded


# --- subscriptions ---------------------------------------------------------------------------------


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def create_subscription(
    rt: Runtime, *, url: str, events: Sequence[str], description: str = "", created_by: str = ""
) -> tuple[WebhookSubscription, str]:
    """A new active subscription and its secret (shown to the caller once)."""
    unknown = sorted(set(events) - set(EVENT_TYPES))
    if unknown:
        raise ValueError(f"unknown webhook event types: {', '.join(unknown)}")
    secret = new_secret()
    with rt.sessions() as session:
        subscription = WebhookSubscription(
            url=url,
            events=[e for e in EVENT_TYPES if e in set(events)],
            description=description,
            secret=secret,
            active=True,
            created_by=created_by,
        )
        session.add(subscription)
        session.commit()
    log.info("webhook subscription %s created", subscription.id)
    return subscription, secret


def list_subscriptions(rt: Runtime, *, active: bool | None = None) -> list[WebhookSubscription]:
    with rt.sessions() as session:
        query = select(WebhookSubscription).order_by(WebhookSubscription.created_at)
        if active is not None:
            query = query.where(WebhookSubscription.active.is_(active))
        return list(session.scalars(query))


def _subscription(session: Session, subscription_id: str) -> WebhookSubscription:
    subscription = session.get(WebhookSubscription, subscription_id)
    if subscription is None:
        raise NotFoundError(f"Webhook subscription {subscription_id} does not exist.")
    return subscription


def get_subscription(rt: Runtime, subscription_id: str) -> WebhookSubscription:
    with rt.sessions() as session:
        return _subscription(session, subscription_id)


def deactivate_subscription(rt: Runtime, subscription_id: str) -> WebhookSubscription:
    """Stop sending: the subscription and its delivery log stay; pending deliveries are failed."""
    with rt.sessions() as session:
        subscription = _subscription(session, subscription_id)
        if subscription.active:
            subscription.active, subscription.deactivated_at = False, utcnow()
            session.execute(
                update(WebhookDelivery)
                .where(WebhookDelivery.subscription_id == subscription_id, WebhookDelivery.status == "pending")
                .values(status="failed", last_error="subscription deactivated", next_attempt_at=None, updated_at=utcnow())
                .execution_options(synchronize_session=False)
            )
            session.commit()
            log.info("webhook subscription %s deactivated", subscription_id)
        return subscription


def rotate_secret(rt: Runtime, subscription_id: str) -> tuple[WebhookSubscription, str]:
    """A new secret, used from the next attempt on (shown to the caller once)."""
    secret = new_secret()
    with rt.sessions() as session:
        subscription = _subscription(session, subscription_id)
        subscription.secret = secret
        session.commit()
    log.info("webhook subscription %s: secret rotated", subscription_id)
    return subscription, secret


def send_ping(rt: Runtime, subscription_id: str) -> str:
    """Record a `webhook.ping` event for this subscription only; returns the event id."""
    with rt.sessions() as session:
        subscription = _subscription(session, subscription_id)
        if not subscription.active:
            raise ConflictError(f"Webhook subscription {subscription_id} is deactivated: create a new one.")
        event_id = _add_event(session, PING, {"subscription_id": subscription_id}, [subscription], dedupe_key=None)
        session.commit()
    assert event_id is not None
    return event_id


def list_deliveries(rt: Runtime, subscription_id: str, *, status: str | None = None, limit: int = 50) -> list[WebhookDelivery]:
    """The delivery log of a subscription, newest first, with each attempt (not the payloads)."""
    with rt.sessions() as session:
        _subscription(session, subscription_id)
        query = (
            select(WebhookDelivery)
            .where(WebhookDelivery.subscription_id == subscription_id)
            .options(
                selectinload(WebhookDelivery.attempt_log),
                joinedload(WebhookDelivery.event).options(load_only(WebhookEvent.id, WebhookEvent.type, WebhookEvent.created_at)),
            )
            .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id)
            .limit(limit)
        )
        if status:
            query = query.where(WebhookDelivery.status == status)
        return list(session.scalars(query))


# --- the dispatcher ----------------------------------------------------------------------------------


class WebhookDispatcher:
    """A thread that flags overdue decisions and sends due deliveries every `interval_s`."""

    def __init__(self, rt: Runtime, *, interval_s: float | None = None) -> None:
        self.rt = rt
        self.interval_s = interval_s if interval_s is not None else rt.settings.webhook_poll_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="webhooks", daemon=True)
        self._thread.start()

    def run_once(self, *, limit: int = 50) -> int:
        try:
            flag_overdue(self.rt)
        except Exception as exc:
            log_failure(log, "overdue scan failed", exc)
        sent = 0
        try:
            while not self._stop.is_set():
                batch = deliver_due(self.rt, limit=limit, should_stop=self._stop.is_set)
                sent += batch
                if batch < limit:
                    break
        except Exception as exc:
            log_failure(log, "webhook delivery pass failed", exc)
        return sent

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.run_once()

    def stop(self) -> None:
        """Finish the attempts in flight (at most one timeout) and stop."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.rt.settings.webhook_timeout_s + 5)
