"""Webhook subscriptions: create, list, deactivate, rotate a secret, ping, and the delivery log."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload, load_only, selectinload

from intake.db import utcnow
from intake.receive import ConflictError, NotFoundError
from intake.runtime import Runtime
from intake.webhook_models import WebhookDelivery, WebhookEvent, WebhookSubscription
from intake.webhooks import EVENT_TYPES, PING, add_event

log = logging.getLogger(__name__)


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
        event_id = add_event(session, PING, {"subscription_id": subscription_id}, [subscription], dedupe_key=None)
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
