"""Webhooks against real components: the runtime's SQLite database, a real HTTP receiver in a
thread that verifies every signature, the FastAPI app, and a whole `precert serve`."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from intake import accounts, webhook_delivery, webhook_subscriptions, webhooks
from intake.app import create_app
from intake.auth import bootstrap_admin
from intake.db import Case, Packet, utcnow
from intake.embedded_s3 import free_port
from intake.runtime import Runtime
from intake.tasks import make_queue
from intake.webhook_models import WebhookAttempt, WebhookDelivery, WebhookEvent
from tests.conftest import LiveService, wait_for
from tests.webhook_receiver import Receiver

ADMIN_TOKEN = "pct_webhook_test_admin_token_0123456789"


def _subscribe(rt: Runtime, receiver: Receiver, path: str = "/hook", events: tuple[str, ...] = webhooks.EVENT_TYPES) -> str:
    subscription, secret = webhook_subscriptions.create_subscription(rt, url=receiver.url(path), events=events, created_by="test")
    receiver.secrets[path] = secret
    return subscription.id


def _record(rt: Runtime, event_type: str = "packet.ready", data: dict | None = None, **kwargs: Any) -> str | None:
    with rt.sessions() as session:
        event_id = webhooks.record_event(session, event_type, data or {"id": "p1", "status": "ready"}, **kwargs)
        session.commit()
    return event_id


def _delivery(rt: Runtime, event_id: str) -> WebhookDelivery:
    with rt.sessions() as session:
        return session.scalars(select(WebhookDelivery).where(WebhookDelivery.event_id == event_id)).one()


def _attempts(rt: Runtime, delivery_id: str) -> list[WebhookAttempt]:
    with rt.sessions() as session:
        query = select(WebhookAttempt).where(WebhookAttempt.delivery_id == delivery_id).order_by(WebhookAttempt.number)
        return list(session.scalars(query))


def test_recorded_event_is_delivered_signed(runtime: Runtime, receiver: Receiver) -> None:
    _subscribe(runtime, receiver)
    with runtime.sessions() as session:  # rolled back: the outbox keeps nothing
        webhooks.record_event(session, "packet.ready", {"id": "never"})
        session.rollback()
    assert webhook_delivery.deliver_due(runtime) == 0
    event_id = _record(runtime, data={"id": "p1", "status": "ready"})
    assert receiver.received == []  # recording sends nothing

    assert webhook_delivery.deliver_due(runtime) == 1
    [got] = receiver.received
    assert got["verified"]
    assert got["headers"]["Precert-Event-Id"] == event_id
    assert got["headers"]["Precert-Event-Type"] == "packet.ready"
    assert got["headers"]["User-Agent"] == "precert-intake-webhooks"
    assert got["headers"]["Content-Type"] == "application/json"
    body = json.loads(got["body"])
    assert body["id"] == event_id and body["type"] == "packet.ready" and body["data"] == {"id": "p1", "status": "ready"}
    assert body["created_at"].endswith("+00:00")
    delivery = _delivery(runtime, event_id)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)
    assert delivery.delivered_at is not None and delivery.next_attempt_at is None
    [attempt] = _attempts(runtime, delivery.id)
    assert attempt.status_code == 200 and attempt.response_excerpt == "ok" and attempt.error is None
    assert webhook_delivery.deliver_due(runtime) == 0  # delivered once


def test_signature_rejects_tampering_and_replay(runtime: Runtime, receiver: Receiver) -> None:
    _subscribe(runtime, receiver)
    _record(runtime)
    webhook_delivery.deliver_due(runtime)
    [got] = receiver.received
    secret, header, body = receiver.secrets["/hook"], got["headers"]["Precert-Signature"], got["body"]
    assert header.startswith("t=") and ",v1=" in header
    assert webhooks.verify_signature(secret, header, body)
    assert not webhooks.verify_signature(secret, header, body.replace(b"ready", b"rEady"))  # tampered body
    assert not webhooks.verify_signature("whsec_other", header, body)  # wrong secret
    assert not webhooks.verify_signature(secret, header, body, now=time.time() + 301)  # replayed later
    assert webhooks.verify_signature(secret, header, body, now=time.time() + 200)
    old = webhooks.sign(secret, body, int(time.time()) - 3600)
    assert not webhooks.verify_signature(secret, old, body)  # a correct but old signature
    for garbage in ("", "v1=abc", "t=x,v1=abc", f"t={int(time.time())}", f"t={int(time.time())},v1=é"):
        assert not webhooks.verify_signature(secret, garbage, body)
    t = int(time.time())  # several v1 (a receiver mid-rotation): one valid is enough
    two = f"t={t},v1={'0' * 64},v1={webhooks.sign(secret, body, t).rpartition('v1=')[2]}"
    assert webhooks.verify_signature(secret, two, body)


def test_retries_with_backoff_until_delivered(runtime: Runtime, receiver: Receiver) -> None:
    _subscribe(runtime, receiver)
    receiver.responses = [(500, b"receiver down")]
    event_id = _record(runtime)
    start = utcnow()
    assert webhook_delivery.deliver_due(runtime, now=start) == 1
    delivery = _delivery(runtime, event_id)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    assert delivery.last_error == "HTTP 500"
    wait = delivery.next_attempt_at.replace(tzinfo=start.tzinfo) - start
    assert timedelta(seconds=8) <= wait <= timedelta(seconds=12)  # 10 s +-20 %
    assert webhook_delivery.deliver_due(runtime, now=start + timedelta(seconds=7)) == 0  # not due yet
    assert webhook_delivery.deliver_due(runtime, now=start + timedelta(seconds=13)) == 1
    delivery = _delivery(runtime, event_id)
    assert (delivery.status, delivery.attempts, delivery.last_status_code, delivery.last_error) == ("delivered", 2, 200, None)
    assert [(a.number, a.status_code, a.response_excerpt) for a in _attempts(runtime, delivery.id)] == [
        (1, 500, "receiver down"),
        (2, 200, "ok"),
    ]
    assert [r["headers"]["Precert-Event-Id"] for r in receiver.received] == [event_id, event_id]
    assert all(r["verified"] for r in receiver.received)


def test_failed_after_max_attempts(runtime: Runtime, receiver: Receiver) -> None:
    runtime.settings = runtime.settings.model_copy(update={"webhook_max_attempts": 3})
    _subscribe(runtime, receiver)
    receiver.responses = [(503, b"x" * 5000)] * 5
    event_id = _record(runtime)
    moment = utcnow()
    waits = []
    for _ in range(3):
        assert webhook_delivery.deliver_due(runtime, now=moment) == 1
        delivery = _delivery(runtime, event_id)
        if delivery.next_attempt_at is not None:
            waits.append((delivery.next_attempt_at.replace(tzinfo=moment.tzinfo) - moment).total_seconds())
        moment += timedelta(hours=7)
    assert 8 <= waits[0] <= 12 and 24 <= waits[1] <= 36  # 10 s, then 30 s
    delivery = _delivery(runtime, event_id)
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 3, None)
    assert webhook_delivery.deliver_due(runtime, now=moment + timedelta(days=30)) == 0
    attempts = _attempts(runtime, delivery.id)
    assert len(attempts) == 3 and all(len(a.response_excerpt) <= 200 for a in attempts)


def test_unreachable_receiver_is_a_failed_attempt(runtime: Runtime) -> None:
    webhook_subscriptions.create_subscription(runtime, url=f"http://127.0.0.1:{free_port()}/gone", events=["packet.ready"])
    event_id = _record(runtime)
    assert webhook_delivery.deliver_due(runtime) == 1
    delivery = _delivery(runtime, event_id)
    assert delivery.status == "pending" and delivery.last_status_code is None
    assert "ConnectionRefused" in delivery.last_error
    assert "127.0.0.1" not in delivery.last_error


def test_dedupe_key_and_unknown_type(runtime: Runtime, receiver: Receiver) -> None:
    _subscribe(runtime, receiver)
    first = _record(runtime, "decision.recorded", dedupe_key="decision:p1:approved")
    assert first is not None
    assert _record(runtime, "decision.recorded", dedupe_key="decision:p1:approved") is None
    with runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(WebhookEvent)) == 1
        assert session.scalar(select(func.count()).select_from(WebhookDelivery)) == 1
    with pytest.raises(ValueError, match="unknown webhook event type"), runtime.sessions() as session:
        webhooks.record_event(session, "packet.exploded", {})


def test_subscriptions_get_only_their_event_types(runtime: Runtime, receiver: Receiver) -> None:
    _subscribe(runtime, receiver, "/ready", events=("packet.ready",))
    _subscribe(runtime, receiver, "/decisions", events=("decision.recorded", "decision.overdue"))
    _record(runtime, "packet.ready")
    _record(runtime, "decision.recorded")
    _record(runtime, "packet.superseded")  # nobody asked for it
    assert webhook_delivery.deliver_due(runtime) == 2
    assert [e["type"] for e in receiver.events("/ready")] == ["packet.ready"]
    assert [e["type"] for e in receiver.events("/decisions")] == ["decision.recorded"]
    assert all(r["verified"] for r in receiver.received)


def test_deactivated_subscription_gets_nothing(runtime: Runtime, receiver: Receiver) -> None:
    subscription_id = _subscribe(runtime, receiver)
    pending = _record(runtime)
    webhook_subscriptions.deactivate_subscription(runtime, subscription_id)
    later = _record(runtime)
    assert webhook_delivery.deliver_due(runtime) == 0
    assert receiver.received == []
    delivery = _delivery(runtime, pending)
    assert (delivery.status, delivery.last_error) == ("failed", "subscription deactivated")  # history kept
    with runtime.sessions() as session:
        assert session.scalar(select(func.count()).where(WebhookDelivery.event_id == later)) == 0


def test_concurrent_dispatchers_do_not_send_twice(runtime: Runtime, receiver: Receiver) -> None:
    _subscribe(runtime, receiver)
    receiver.delay_s = 0.02
    event_ids = {_record(runtime, data={"n": n}) for n in range(24)}
    barrier = threading.Barrier(4)
    counts: list[int] = []

    def dispatch() -> None:
        barrier.wait()
        counts.append(webhook_delivery.deliver_due(runtime))

    threads = [threading.Thread(target=dispatch) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    sent = [r["headers"]["Precert-Event-Id"] for r in receiver.received]
    assert sorted(sent) == sorted(event_ids)  # each once
    assert sum(counts) == 24
    with runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(WebhookAttempt)) == 24
        assert set(session.scalars(select(WebhookDelivery.status))) == {"delivered"}


def _packet(session: Any, *, status: str, due_in: timedelta, version: int, case: Case) -> Packet:
    packet = Packet(case_id=case.id, version=version, status=status, due_at=utcnow() + due_in, files=[])
    session.add(packet)
    return packet


def test_flag_overdue_once_per_packet(runtime: Runtime, receiver: Receiver) -> None:
    _subscribe(runtime, receiver, events=("decision.overdue",))
    with runtime.sessions() as session:
        case = Case(service_codes=["72148"], reference="overdue-test")
        session.add(case)
        session.flush()
        late = _packet(session, status="submitted", due_in=timedelta(hours=-1), version=1, case=case)
        _packet(session, status="submitted", due_in=timedelta(days=3), version=2, case=case)  # not due yet
        _packet(session, status="approved", due_in=timedelta(days=-3), version=3, case=case)  # decided
        session.commit()
    assert webhook_delivery.flag_overdue(runtime) == 1
    assert webhook_delivery.flag_overdue(runtime) == 0
    assert webhook_delivery.flag_overdue(runtime, now=utcnow() + timedelta(days=4)) == 1  # now the second one
    assert webhook_delivery.flag_overdue(runtime, now=utcnow() + timedelta(days=10)) == 0
    webhook_delivery.deliver_due(runtime)
    events = receiver.events()
    assert [e["type"] for e in events] == ["decision.overdue"] * 2
    first = next(e for e in events if e["data"]["id"] == late.id)
    assert first["data"]["status"] == "submitted" and first["data"]["case"]["reference"] == "overdue-test"


def test_dispatcher_thread_sends_and_stops(runtime: Runtime, receiver: Receiver) -> None:
    _subscribe(runtime, receiver)
    dispatcher = webhook_delivery.WebhookDispatcher(runtime, interval_s=0.05)
    dispatcher.start()
    try:
        _record(runtime)
        wait_for(lambda: receiver.received, timeout=5, interval=0.05, what="the dispatcher to deliver")
    finally:
        started = time.monotonic()
        dispatcher.stop()
    assert time.monotonic() - started < 2
    assert receiver.received[0]["verified"]


@pytest.fixture()
def client(runtime: Runtime) -> Iterator[TestClient]:
    with runtime.sessions() as session:
        bootstrap_admin(session, admin_token=ADMIN_TOKEN)
    with TestClient(create_app(runtime, make_queue(runtime))) as c:
        c.headers["Authorization"] = f"Bearer {ADMIN_TOKEN}"
        yield c


def test_api_manages_subscriptions(runtime: Runtime, receiver: Receiver, client: TestClient) -> None:
    created = client.post("/api/v1/webhooks", json={"url": receiver.url(), "description": "portal bot"})
    assert created.status_code == 201, created.text
    sub = created.json()
    assert sub["secret"].startswith("whsec_") and sub["events"] == list(webhooks.EVENT_TYPES) and sub["active"]
    assert sub["created_by"] == "admin"
    receiver.secrets["/hook"] = sub["secret"]

    shown = client.get(f"/api/v1/webhooks/{sub['id']}").json()
    assert "secret" not in shown and shown["url"] == receiver.url()
    listed = client.get("/api/v1/webhooks").json()["webhooks"]
    assert [w["id"] for w in listed] == [sub["id"]] and "secret" not in listed[0]
    assert sub["secret"] not in client.get("/api/v1/webhooks").text

    ping = client.post(f"/api/v1/webhooks/{sub['id']}/ping")
    assert ping.status_code == 202 and ping.json()["type"] == "webhook.ping"
    assert webhook_delivery.deliver_due(runtime) == 1
    assert receiver.received[-1]["verified"] and receiver.events()[-1]["id"] == ping.json()["event_id"]

    log = client.get(f"/api/v1/webhooks/{sub['id']}/deliveries").json()["deliveries"]
    assert [(d["event"]["type"], d["status"], d["attempts"]) for d in log] == [("webhook.ping", "delivered", 1)]
    assert log[0]["attempt_log"][0]["status_code"] == 200 and "data" not in log[0]["event"]
    assert client.get(f"/api/v1/webhooks/{sub['id']}/deliveries", params={"status": "failed"}).json()["deliveries"] == []
    assert client.get(f"/api/v1/webhooks/{sub['id']}/deliveries", params={"status": "lost"}).status_code == 422

    rotated = client.post(f"/api/v1/webhooks/{sub['id']}/secret").json()
    assert rotated["secret"] != sub["secret"]
    receiver.secrets["/hook"] = rotated["secret"]
    client.post(f"/api/v1/webhooks/{sub['id']}/ping")
    webhook_delivery.deliver_due(runtime)
    assert receiver.received[-1]["verified"]

    deleted = client.delete(f"/api/v1/webhooks/{sub['id']}")
    assert deleted.status_code == 200 and deleted.json()["active"] is False and deleted.json()["deactivated_at"]
    assert client.post(f"/api/v1/webhooks/{sub['id']}/ping").status_code == 409
    assert len(client.get(f"/api/v1/webhooks/{sub['id']}/deliveries").json()["deliveries"]) == 2  # history kept
    missing = client.get("/api/v1/webhooks/nope")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"url": "ftp://example.org/hook"}, "http:// or https://"),
        ({"url": "example.org/hook"}, "http:// or https://"),
        ({"url": "https://"}, "http:// or https://"),
        ({"url": "https://example.org/hook", "events": ["packet.lost"]}, "unknown event types: packet.lost"),
        ({"url": "https://example.org/hook", "events": []}, "at least one event type"),
        ({"url": "https://example.org/hook", "secret": "mine"}, "secret"),
    ],
)
def test_api_rejects_bad_subscriptions(client: TestClient, body: dict, needle: str) -> None:
    response = client.post("/api/v1/webhooks", json=body)
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_request" and needle in response.json()["detail"]


def test_api_needs_an_admin(runtime: Runtime, client: TestClient) -> None:
    accounts.add_user(runtime, "staff")
    staff = {"Authorization": f"Bearer {accounts.create_token(runtime, 'staff', name='test')}"}
    for method, path in (("post", "/api/v1/webhooks"), ("get", "/api/v1/webhooks"), ("get", "/api/v1/webhooks/x/deliveries")):
        response = client.request(method, path, headers=staff, json={"url": "https://example.org/hook"})
        assert response.status_code == 403 and response.json()["error"] == "forbidden"
        assert "administrator" in response.json()["detail"]
    assert client.get("/api/v1/webhooks", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_migration_matches_models(runtime: Runtime) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from intake.db import Base

    with runtime.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)

    def table_of(change: Any) -> str:
        item = change[0] if isinstance(change, list) else change
        if item[0] in ("add_table", "remove_table"):
            return item[1].name
        if isinstance(item[1], str) or item[1] is None:  # (op, schema, table, ...)
            return item[2]
        return item[1].table.name  # indexes and constraints

    assert [c for c in diff if table_of(c).startswith("webhook")] == []


@pytest.mark.integration
def test_live_service_sends_a_signed_ping(live_service: LiveService, receiver: Receiver) -> None:
    with live_service.client() as http:
        created = http.post("/api/v1/webhooks", json={"url": receiver.url("/live"), "events": ["packet.ready"]})
        assert created.status_code == 201, created.text
        receiver.secrets["/live"] = created.json()["secret"]
        ping = http.post(f"/api/v1/webhooks/{created.json()['id']}/ping").json()
        got = wait_for(lambda: receiver.events("/live"), timeout=15, interval=0.1, what="the signed ping")
        assert got[0]["id"] == ping["event_id"] and receiver.received[0]["verified"]
        log = wait_for(
            lambda: [
                d
                for d in http.get(f"/api/v1/webhooks/{created.json()['id']}/deliveries").json()["deliveries"]
                if d["status"] == "delivered"
            ],
            timeout=10,
            interval=0.1,
            what="the delivery log",
        )
        assert log[0]["attempt_log"][0]["status_code"] == 200
        http.delete(f"/api/v1/webhooks/{created.json()['id']}")
    assert receiver.url("/live").split("//")[1].split("/")[0] not in live_service.log()  # no URLs logged


@pytest.fixture()
def pg_runtime(tmp_path: Any) -> Iterator[Runtime]:
    """The same tables on PostgreSQL (a database of its own), when a server runs locally."""
    import socket

    with socket.socket() as s:
        s.settimeout(1)
        if s.connect_ex(("127.0.0.1", 5432)) != 0:
            pytest.skip("no PostgreSQL on 127.0.0.1:5432")
    import uuid

    import psycopg

    from intake.config import Settings

    name = f"precert_test_{uuid.uuid4().hex[:10]}"
    admin = "host=127.0.0.1 user=postgres dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    rt = Runtime(Settings(data_dir=tmp_path, database_url=f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"))
    try:
        rt.migrate()
        yield rt
    finally:
        rt.engine.dispose()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.integration
def test_postgres_dedupe_race_and_concurrent_dispatch(pg_runtime: Runtime, receiver: Receiver) -> None:
    rt = pg_runtime
    _subscribe(rt, receiver)
    first = rt.sessions()
    assert webhooks.record_event(first, "decision.recorded", {"n": 1}, dedupe_key="race") is not None
    first.flush()  # holds the unique key until it commits
    outcome: dict[str, Any] = {}

    def second_transaction() -> None:
        with rt.sessions() as session:
            session.add(Case(service_codes=["72148"], reference="kept"))
            outcome["event"] = webhooks.record_event(session, "decision.recorded", {"n": 2}, dedupe_key="race")
            session.commit()  # the caller's own change survives the lost race

    racer = threading.Thread(target=second_transaction)
    racer.start()
    time.sleep(0.3)  # the second insert now waits on the first transaction's key
    first.commit()
    first.close()
    racer.join(timeout=10)
    assert outcome == {"event": None}
    with rt.sessions() as session:
        assert session.scalar(select(func.count()).select_from(WebhookEvent)) == 1
        assert session.scalar(select(Case.reference)) == "kept"

    event_ids = {_record(rt, data={"n": n}) for n in range(12)}
    threads = [threading.Thread(target=webhook_delivery.deliver_due, args=(rt,)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    sent = [r["headers"]["Precert-Event-Id"] for r in receiver.received]
    assert len(sent) == 13 and set(sent) >= event_ids and all(r["verified"] for r in receiver.received)

    with rt.sessions() as session:
        case = session.scalars(select(Case)).one()
        _packet(session, status="submitted", due_in=timedelta(hours=-1), version=1, case=case)
        session.commit()
    assert [webhook_delivery.flag_overdue(rt), webhook_delivery.flag_overdue(rt)] == [1, 0]
