"""The hand-off API as a downstream submission tool uses it: list ready packets (filters, cursor
pages), download a file and check it, post the submission and the payer's decision. Real S3
server (object lock, versions), real SQLite, the real FastAPI app."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from minio.error import S3Error
from sqlalchemy import select

from intake.accounts import add_user, create_token
from intake.app import create_app
from intake.db import Case, Packet
from intake.packets import build_packet, packet_key, request_packet
from intake.processing import process_document
from intake.receive import Upload, receive
from intake.runtime import Runtime
from intake.tasks import make_queue
from intake.webhook_models import WebhookEvent
from tests.docmaker import text_pdf


@pytest.fixture()
def queue(runtime: Runtime):
    return make_queue(runtime)


@pytest.fixture()
def client(runtime: Runtime, queue) -> TestClient:
    add_user(runtime, "submitter")
    token = create_token(runtime, "submitter", name="portal bot")
    app = create_app(runtime, queue)
    return TestClient(app, headers={"Authorization": f"Bearer {token}"})


def ready_packet(runtime: Runtime, queue, **case_fields: object) -> Packet:
    """A packet built the way the worker builds it, from one uploaded order."""
    with runtime.sessions() as s:
        case = Case(service_codes=["72148"], payer_name="Acme Health", state="WA", **case_fields)
        s.add(case)
        s.commit()
    doc = receive(runtime, queue, Upload("order.pdf", text_pdf(), "api"), case_id=case.id).document
    process_document(runtime, doc.id)
    packet = request_packet(runtime, queue, case.id)
    build_packet(runtime, packet.id)
    with runtime.sessions() as s:
        built = s.get(Packet, packet.id)
        assert built.status == "ready", built.error
        return built


def packet_rows(runtime: Runtime, specs: list[dict]) -> list[str]:
    """Packets straight in the database (listing does not read their files)."""
    ids = []
    with runtime.sessions() as s:
        for i, spec in enumerate(specs):
            case = Case(
                service_codes=["72148"],
                payer_name=spec.get("payer", "Acme Health"),
                state=spec.get("state", "WA"),
                urgency=spec.get("urgency", "standard"),
            )
            s.add(case)
            s.flush()
            packet = Packet(
                case_id=case.id,
                version=1,
                status=spec.get("status", "ready"),
                due_at=spec.get("due_at"),
                updated_at=datetime(2026, 11, 1, tzinfo=UTC) + timedelta(minutes=i // 2),  # pairs share a time
            )
            s.add(packet)
            s.flush()
            ids.append(packet.id)
        s.commit()
    return ids


def test_cursor_pages_list_every_packet_once_in_change_order(runtime: Runtime, client: TestClient) -> None:
    ids = packet_rows(runtime, [{} for _ in range(7)])
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        response = client.get("/api/v1/packets", params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        seen += [p["id"] for p in body["packets"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(ids) and len(seen) == len(ids) and pages == 3
    times = [p["updated_at"] for p in client.get("/api/v1/packets", params={"limit": 500}).json()["packets"]]
    assert times == sorted(times)
    bad = client.get("/api/v1/packets", params={"cursor": "not-a-cursor"})
    assert bad.status_code == 422 and "cursor" in bad.json()["detail"]


def test_filters_narrow_the_list(runtime: Runtime, client: TestClient) -> None:
    now = datetime.now(UTC)
    ids = packet_rows(
        runtime,
        [
            {"payer": "Acme Health Plan", "state": "WA", "urgency": "urgent", "due_at": now + timedelta(days=1)},
            {"payer": "Beta Care", "state": "AZ", "status": "submitted", "due_at": now - timedelta(hours=2)},
            {"payer": "beta care of arizona", "state": "AZ", "status": "approved", "due_at": now + timedelta(days=5)},
        ],
    )

    def listed(**params: object) -> set[str]:
        response = client.get("/api/v1/packets", params=params)
        assert response.status_code == 200, response.text
        return {p["id"] for p in response.json()["packets"]}

    assert listed(payer="BETA") == {ids[1], ids[2]}
    assert listed(state="az") == {ids[1], ids[2]}
    assert listed(urgency="urgent") == {ids[0]}
    assert listed(status=["submitted", "approved"]) == {ids[1], ids[2]}
    assert listed(due_before=(now + timedelta(days=2)).isoformat()) == {ids[0], ids[1]}
    assert listed(overdue="true") == {ids[1]}
    assert listed(updated_since="2026-11-01T00:01:00+00:00") == {ids[2]}
    one = client.get("/api/v1/packets", params={"payer": "acme"}).json()["packets"][0]
    assert one["case"]["payer_name"] == "Acme Health Plan" and one["overdue"] is False
    assert client.get("/api/v1/packets", params={"status": "sent"}).status_code == 422


def test_download_is_streamed_with_its_checksum_and_pinned_to_its_version(runtime: Runtime, queue, client: TestClient) -> None:
    packet = ready_packet(runtime, queue)
    entry = next(f for f in packet.files if f["name"] == "packet.pdf")
    response = client.get(f"/api/v1/packets/{packet.id}/files/packet.pdf")
    assert response.status_code == 200
    assert int(response.headers["content-length"]) == entry["size"] == len(response.content)
    assert response.headers["x-checksum-sha256"] == entry["sha256"] == hashlib.sha256(response.content).hexdigest()
    assert response.headers["repr-digest"].startswith("sha-256=:")

    # Someone writes over the key in the bucket: the packet's file is still the version it recorded.
    key = packet_key(packet.case_id, packet.version, "packet.pdf")
    runtime.store.client.put_object(runtime.store.store_bucket, key, io.BytesIO(b"%PDF-1.4 forged"), 15)
    again = client.get(f"/api/v1/packets/{packet.id}/files/packet.pdf")
    assert hashlib.sha256(again.content).hexdigest() == entry["sha256"]

    presigned = client.get(
        f"/api/v1/packets/{packet.id}/files/packet.pdf", params={"redirect": "presigned"}, follow_redirects=False
    )
    assert presigned.status_code == 307 and presigned.headers["x-checksum-sha256"] == entry["sha256"]
    fetched = httpx.get(presigned.headers["location"], timeout=30)
    assert fetched.status_code == 200 and hashlib.sha256(fetched.content).hexdigest() == entry["sha256"]

    missing = client.get(f"/api/v1/packets/{packet.id}/files/nothing.pdf")
    assert missing.status_code == 404 and "packet.pdf" in missing.json()["detail"]


def test_a_file_that_does_not_match_its_checksum_is_never_delivered_whole(runtime: Runtime, queue, client: TestClient) -> None:
    packet = ready_packet(runtime, queue)
    with runtime.sessions() as s:
        stored = s.get(Packet, packet.id)
        stored.files = [{**f, "sha256": "0" * 64} if f["name"] == "manifest.json" else f for f in stored.files]
        s.commit()
    with pytest.raises(OSError, match="checksum"):
        client.get(f"/api/v1/packets/{packet.id}/files/manifest.json")


def test_packet_files_are_written_once_and_locked(runtime: Runtime, queue) -> None:
    packet = ready_packet(runtime, queue)
    key = packet_key(packet.case_id, packet.version, "packet.pdf")
    with pytest.raises(FileExistsError):
        runtime.store.put_new(key, b"other bytes", "application/pdf")
    entry = next(f for f in packet.files if f["name"] == "packet.pdf")
    assert runtime.store.object_lock
    assert entry["version_id"] and entry["retained_until"] > (datetime.now(UTC) + timedelta(days=365)).isoformat()
    with pytest.raises(S3Error) as refused:
        runtime.store.client.remove_object(runtime.store.store_bucket, key, version_id=entry["version_id"])
    assert refused.value.code == "AccessDenied"


def test_submission_then_decision(runtime: Runtime, queue, client: TestClient) -> None:
    packet = ready_packet(runtime, queue)
    url = f"/api/v1/packets/{packet.id}"
    early = client.post(f"{url}/decision", json={"outcome": "approved", "authorization_number": "A1"})
    assert early.status_code == 409 and "not been submitted" in early.json()["detail"]

    sent_at = datetime.now(UTC) - timedelta(days=1)
    body = {"channel": "portal", "payer_reference": "PX-778", "submitted_at": sent_at.isoformat()}
    submitted = client.post(f"{url}/submission", json=body)
    assert submitted.status_code == 200, submitted.text
    got = submitted.json()
    assert got["status"] == "submitted" and got["submission"]["payer_reference"] == "PX-778"
    # The 7 calendar days run from the payer's receipt, not from the build.
    assert datetime.fromisoformat(got["due_at"]) <= sent_at + timedelta(days=7, minutes=1)
    assert client.post(f"{url}/submission", json=body).status_code == 200  # a retry changes nothing
    other = client.post(f"{url}/submission", json={"channel": "fax"})
    assert other.status_code == 409 and "already submitted" in other.json()["detail"]

    assert client.post(f"{url}/decision", json={"outcome": "approved"}).status_code == 422
    assert client.post(f"{url}/decision", json={"outcome": "denied"}).status_code == 422
    mixed = client.post(f"{url}/decision", json={"outcome": "denied", "reason": "x", "authorization_number": "A"})
    assert mixed.status_code == 422

    approval = {
        "outcome": "approved",
        "authorization_number": "AUTH-2026-1142",
        "authorized_from": "2026-12-01",
        "authorized_to": "2027-02-28",
        "authorized_units": 1,
        "conditions": "one study within the window",
    }
    decided = client.post(f"{url}/decision", json=approval)
    assert decided.status_code == 200, decided.text
    got = decided.json()
    assert got["status"] == "approved" and got["decision"]["authorization_number"] == "AUTH-2026-1142"
    assert got["decision"]["late"] is False
    assert [h["to"] for h in got["history"]] == ["ready", "submitted", "approved"]
    assert all(h["by"] in ("service", "submitter") for h in got["history"])
    final = client.post(f"{url}/decision", json={"outcome": "denied", "reason": "not medically necessary"})
    assert final.status_code == 409 and "already approved" in final.json()["detail"]


def test_pended_packet_is_answered_and_a_rebuild_supersedes_it(runtime: Runtime, queue, client: TestClient) -> None:
    packet = ready_packet(runtime, queue)
    url = f"/api/v1/packets/{packet.id}"
    assert client.post(f"{url}/submission", json={"channel": "fax"}).status_code == 200
    pended = client.post(f"{url}/decision", json={"outcome": "pended", "requested": "last 6 weeks of PT notes"})
    assert pended.json()["status"] == "pended"
    again = client.post(f"{url}/decision", json={"outcome": "pended", "requested": "more"})
    assert again.status_code == 409

    newer = request_packet(runtime, queue, packet.case_id)
    build_packet(runtime, newer.id)
    old = client.get(url).json()
    assert old["status"] == "superseded" and old["history"][-1]["by_packet"] == newer.id
    refused = client.post(f"{url}/submission", json={"channel": "fax"})
    assert refused.status_code == 409 and newer.id in refused.json()["detail"]
    assert client.get(f"/api/v1/packets/{newer.id}").json()["status"] == "ready"

    # What subscribers are told, in order (each event carries the packet as the API shows it).
    with runtime.sessions() as s:
        events = s.scalars(select(WebhookEvent).order_by(WebhookEvent.created_at)).all()
        told = [(e.type, e.data["id"], e.data["status"]) for e in events]
    assert told[:2] == [("packet.ready", packet.id, "ready"), ("decision.recorded", packet.id, "pended")]
    # The rebuild records both in one transaction (their times may tie).
    assert set(told[2:]) == {("packet.superseded", packet.id, "superseded"), ("packet.ready", newer.id, "ready")}


def test_a_submitted_packet_is_not_superseded_and_becomes_overdue(runtime: Runtime, queue, client: TestClient) -> None:
    packet = ready_packet(runtime, queue, urgency="urgent")
    url = f"/api/v1/packets/{packet.id}"
    sent = datetime.now(UTC) - timedelta(hours=80)
    assert client.post(f"{url}/submission", json={"channel": "portal", "submitted_at": sent.isoformat()}).status_code == 200
    got = client.get(url).json()
    assert got["overdue"] is True  # urgent: 72 hours
    assert got["id"] in {p["id"] for p in client.get("/api/v1/packets", params={"overdue": True}).json()["packets"]}

    newer = request_packet(runtime, queue, packet.case_id)
    build_packet(runtime, newer.id)
    assert client.get(url).json()["status"] == "submitted"  # still with the payer

    late = client.post(
        f"{url}/decision", json={"outcome": "denied", "reason": "Imaging guideline 3.1 not met: no 6 weeks of therapy"}
    )
    assert late.json()["decision"]["late"] is True and late.json()["overdue"] is False


def test_submission_mistakes_are_explained(runtime: Runtime, queue, client: TestClient) -> None:
    packet = ready_packet(runtime, queue)
    url = f"/api/v1/packets/{packet.id}/submission"
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    assert client.post(url, json={"channel": "fax", "submitted_at": future}).status_code == 422
    assert client.post(url, json={"channel": "carrier pigeon"}).status_code == 422
    assert client.post("/api/v1/packets/nope/submission", json={"channel": "fax"}).status_code == 404
    decision = client.post(
        f"/api/v1/packets/{packet.id}/decision",
        json={
            "outcome": "approved",
            "authorization_number": "A",
            "authorized_from": str(date(2026, 12, 5)),
            "authorized_to": "2026-12-01",
        },
    )
    assert decision.status_code == 422 and "authorized_to" in decision.text
