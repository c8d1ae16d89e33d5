"""Webhook subscriptions and their delivery log under /api/v1/webhooks (administrators only)."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field, field_validator

from extractors.errors import PrecertError
from intake import webhook_subscriptions, webhooks
from intake.db import User
from intake.deps import RuntimeDep, current_user
from intake.schemas import iso
from intake.webhook_models import WebhookDelivery, WebhookSubscription

router = APIRouter(prefix="/api/v1", tags=["webhooks"])
DeliveryStatus = Literal["pending", "delivered", "failed"]


class ForbiddenError(PrecertError):
    code = "forbidden"
    http_status = 403


def admin_user(user: Annotated[User, Depends(current_user)]) -> User:
    if not user.is_admin:
        raise ForbiddenError(
            "Managing webhooks needs an administrator: use an admin's API token "
            "(or ask one to create an admin with `precert user add NAME --admin`)."
        )
    return user


AdminDep = Annotated[User, Depends(admin_user)]


class WebhookCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(max_length=2000, examples=["https://portal-bot.example.org/precert-events"])
    events: list[str] | None = Field(
        default=None, description=f"event types to receive (default: all): {', '.join(webhooks.EVENT_TYPES)}"
    )
    description: str = Field(default="", max_length=500)

    @field_validator("url")
    @classmethod
    def _url(cls, url: str) -> str:
        url = url.strip()
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises on a port that is not a number
        except ValueError as exc:
            raise ValueError(f"not a valid URL ({exc})") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("the webhook URL must be an absolute http:// or https:// URL, such as https://host/path")
        return url

    @field_validator("events")
    @classmethod
    def _events(cls, events: list[str] | None) -> list[str] | None:
        if events is None:
            return None
        unknown = sorted(set(events) - set(webhooks.EVENT_TYPES))
        if unknown:
            raise ValueError(f"unknown event types: {', '.join(unknown)}; choose from {', '.join(webhooks.EVENT_TYPES)}")
        if not events:
            raise ValueError("choose at least one event type, or leave `events` out to receive all")
        return events


def subscription_json(subscription: WebhookSubscription, *, secret: str | None = None) -> dict[str, Any]:
    out = {
        "id": subscription.id,
        "url": subscription.url,
        "events": subscription.events,
        "description": subscription.description,
        "active": subscription.active,
        "created_by": subscription.created_by,
        "created_at": iso(subscription.created_at),
        "deactivated_at": iso(subscription.deactivated_at),
    }
    if secret is not None:
        out["secret"] = secret  # only in the answer that made it: it is not shown again
    return out


def delivery_json(delivery: WebhookDelivery) -> dict[str, Any]:
    return {
        "id": delivery.id,
        "event": {"id": delivery.event.id, "type": delivery.event.type, "created_at": iso(delivery.event.created_at)},
        "status": delivery.status,
        "attempts": delivery.attempts,
        "next_attempt_at": iso(delivery.next_attempt_at),
        "last_status_code": delivery.last_status_code,
        "last_error": delivery.last_error,
        "delivered_at": iso(delivery.delivered_at),
        "created_at": iso(delivery.created_at),
        "attempt_log": [
            {
                "number": a.number,
                "started_at": iso(a.started_at),
                "duration_ms": a.duration_ms,
                "status_code": a.status_code,
                "error": a.error,
                "response_excerpt": a.response_excerpt,
            }
            for a in delivery.attempt_log
        ],
    }


@router.post("/webhooks", status_code=201)
def create_webhook(body: WebhookCreate, rt: RuntimeDep, user: AdminDep) -> dict[str, Any]:
    """Subscribe a URL; the answer holds the signing secret, shown this once."""
    subscription, secret = webhook_subscriptions.create_subscription(
        rt,
        url=body.url,
        events=body.events or webhooks.EVENT_TYPES,
        description=body.description,
        created_by=user.username,
    )
    return subscription_json(subscription, secret=secret)


@router.get("/webhooks")
def list_webhooks(rt: RuntimeDep, _user: AdminDep, active: bool | None = None) -> dict[str, Any]:
    return {"webhooks": [subscription_json(s) for s in webhook_subscriptions.list_subscriptions(rt, active=active)]}


@router.get("/webhooks/{subscription_id}")
def get_webhook(subscription_id: str, rt: RuntimeDep, _user: AdminDep) -> dict[str, Any]:
    return subscription_json(webhook_subscriptions.get_subscription(rt, subscription_id))


@router.delete("/webhooks/{subscription_id}")
def delete_webhook(subscription_id: str, rt: RuntimeDep, _user: AdminDep) -> dict[str, Any]:
    """Deactivate: nothing more is sent (pending deliveries are failed); the log is kept."""
    return subscription_json(webhook_subscriptions.deactivate_subscription(rt, subscription_id))


@router.post("/webhooks/{subscription_id}/secret")
def rotate_webhook_secret(subscription_id: str, rt: RuntimeDep, _user: AdminDep) -> dict[str, Any]:
    """A new signing secret, used from the next attempt on; shown this once."""
    subscription, secret = webhook_subscriptions.rotate_secret(rt, subscription_id)
    return subscription_json(subscription, secret=secret)


@router.post("/webhooks/{subscription_id}/ping", status_code=202)
def ping_webhook(subscription_id: str, rt: RuntimeDep, _user: AdminDep) -> dict[str, Any]:
    """Send a signed `webhook.ping` event to this subscription only (to test a receiver)."""
    return {"event_id": webhook_subscriptions.send_ping(rt, subscription_id), "type": webhooks.PING}


@router.get("/webhooks/{subscription_id}/deliveries")
def list_webhook_deliveries(
    subscription_id: str,
    rt: RuntimeDep,
    _user: AdminDep,
    status: DeliveryStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    deliveries = webhook_subscriptions.list_deliveries(rt, subscription_id, status=status, limit=limit)
    return {"deliveries": [delivery_json(d) for d in deliveries]}
