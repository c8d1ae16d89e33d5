"""Webhook delivery: a dispatcher POSTs each recorded event to every subscription that asked for
its type, signed, retried with backoff, every attempt logged; it also records `decision.overdue`
for packets past their decision due date."""

from __future__ import annotations

import http.client
import json
import logging
import random
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import exists, or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from intake.db import Packet, new_id, utcnow
from intake.logs import log_failure
from intake.packet_status import AWAITING_DECISION
from intake.runtime import Runtime
from intake.webhook_models import WebhookAttempt, WebhookDelivery, WebhookEvent, WebhookSubscription
from intake.webhooks import envelope, event_data_for_packet, record_event, sign

log = logging.getLogger(__name__)

USER_AGENT = "precert-intake-webhooks"
# Seconds before the next attempt after the n-th failure (the last one repeats), each +-20 %.
BACKOFF_S: tuple[int, ...] = (10, 30, 120, 600, 1800, 3600, 3 * 3600, 6 * 3600)
JITTER = 0.2
SEND_CONCURRENCY = 8  # one slow receiver does not hold up the others
EXCERPT_CHARS = 200
OVERDUE_KEY = "decision.overdue:"
OVERDUE_BATCH = 200


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
