"""End to end through `precert serve` on the embedded default: HTTP, embedded S3, SQLite, Huey
workers, the inbox watcher, real Tesseract."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import boto3
import jsonschema
import pytest
from botocore.config import Config
from pypdf import PdfReader

from tests.conftest import SAMPLES, LiveService, wait_for
from tests.docmaker import encrypted_pdf, text_pdf

pytestmark = pytest.mark.integration
CASE_DIR = SAMPLES / "mri_complete_text"
SCHEMA = Path(__file__).resolve().parent.parent / "packet_builder" / "schema" / "manifest.schema.json"


def _case_files() -> list[Path]:
    case = json.loads((CASE_DIR / "case.json").read_text())
    return [CASE_DIR / f["file"] for f in case["files"]]


def _wait_documents(client, case_id: str) -> list[dict]:
    def done() -> list[dict] | None:
        docs = client.get("/api/v1/documents", params={"case_id": case_id}).json()["documents"]
        return docs if docs and all(d["status"] in ("extracted", "failed") for d in docs) else None

    return wait_for(done, timeout=180, what="documents to be processed")


def test_health_needs_no_token_but_everything_else_does(live_service: LiveService) -> None:
    import httpx

    assert httpx.get(f"{live_service.base_url}/healthz").json() == {"status": "ok"}
    for path in ("/api/v1/cases", "/api/v1/documents", "/api/v1/packets"):
        response = httpx.get(live_service.base_url + path)
        assert response.status_code == 401
        assert response.json()["error"] == "unauthorized"
    forged = httpx.get(live_service.base_url + "/api/v1/cases", headers={"Authorization": "Bearer pct_forged"})
    assert forged.status_code == 401
    assert httpx.get(live_service.base_url + "/openapi.json").json()["info"]["title"] == "precert-intake"


def test_storage_env_is_written_for_admins(live_service: LiveService) -> None:
    path = live_service.data_dir / "storage.env"
    assert path.stat().st_mode & 0o777 == 0o600
    env = live_service.storage_env()
    assert env["PRECERT_S3_ENDPOINT"].startswith("http://127.0.0.1:")
    assert env["PRECERT_INBOX_BUCKET"] == "precert-inbox"


def test_case_to_packet_over_http(live_service: LiveService) -> None:
    case = json.loads((CASE_DIR / "case.json").read_text())
    started = time.monotonic()
    with live_service.client() as client:
        created = client.post("/api/v1/cases", json=case["request"] | {"reference": "e2e-1"})
        assert created.status_code == 201, created.text
        case_id = created.json()["id"]

        files = [("files", (p.name, p.read_bytes())) for p in _case_files()]
        files.append(("files", ("notes.txt", b"plain text is not a clinical document")))
        upload = client.post(f"/api/v1/cases/{case_id}/documents", files=files)
        assert upload.status_code == 202, upload.text
        results = upload.json()["documents"]
        assert [r["status"] for r in results[:-1]] == ["received"] * (len(results) - 1)
        assert results[-1]["status"] == "rejected" and results[-1]["error"]["error"] == "unsupported_type"

        docs = _wait_documents(client, case_id)
        assert all(d["status"] == "extracted" for d in docs), docs
        one = client.get(f"/api/v1/documents/{docs[0]['id']}").json()
        assert one["case_id"] == case_id and one["fields"] and one["doc_type"]

        report = client.get(f"/api/v1/cases/{case_id}/completeness").json()
        assert report["status"] == "complete", json.dumps(report, indent=1)

        packet = client.post(f"/api/v1/cases/{case_id}/packets")
        assert packet.status_code == 202 and packet.json()["version"] == 1
        packet_id = packet.json()["id"]
        ready = wait_for(
            lambda: (p := client.get(f"/api/v1/packets/{packet_id}").json())["status"] == "ready" and p,
            timeout=120,
            what="packet to be ready",
        )
        upload_to_packet = time.monotonic() - started
        print(f"\nupload-to-packet: {upload_to_packet:.1f} s")
        assert packet_id in [p["id"] for p in client.get("/api/v1/packets", params={"status": "ready"}).json()["packets"]]
        assert {f["name"] for f in ready["files"]} >= {"packet.pdf", "manifest.json"}

        pdf_response = client.get(f"/api/v1/packets/{packet_id}/files/packet.pdf")
        assert pdf_response.headers["content-type"] == "application/pdf"
        sha = next(f["sha256"] for f in ready["files"] if f["name"] == "packet.pdf")
        assert pdf_response.headers["x-checksum-sha256"] == sha
        pdf = PdfReader(io.BytesIO(pdf_response.content))
        document_pages = sum(d["pages"] for d in docs)
        assert len(pdf.pages) >= document_pages + 2  # cover + checklist + every document page
        first_page = pdf.pages[0].extract_text()
        assert case["request"]["service_codes"][0] in first_page

        manifest = client.get(f"/api/v1/packets/{packet_id}/files/manifest.json").json()
        jsonschema.validate(manifest, json.loads(SCHEMA.read_text()))
        assert {d["sha256"] for d in manifest["documents"]} == {d["sha256"] for d in docs}

        rebuilt = client.post(f"/api/v1/cases/{case_id}/packets").json()
        assert rebuilt["version"] == 2
        wait_for(lambda: client.get(f"/api/v1/packets/{rebuilt['id']}").json()["status"] == "ready", what="v2")
        assert client.get(f"/api/v1/packets/{packet_id}").json()["status"] == "superseded"

    # No patient data in the service's own log.
    truth = json.loads((CASE_DIR / "truth.json").read_text())
    log = live_service.log().upper()
    for doc in truth["documents"]:
        for name in ("member_id", "patient_name", "patient_dob"):
            for value in doc["fields"].get(name, []):
                assert str(value).upper() not in log, f"{name} found in the service log"


@pytest.mark.parametrize(
    ("name", "data", "status", "code"),
    [
        ("empty.pdf", b"", 400, "empty_file"),
        ("photo.gif", b"GIF89a" + b"\x00" * 40, 415, "unsupported_type"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj << >> garbage", 400, "damaged_file"),
        ("locked.pdf", None, 400, "encrypted_pdf"),
    ],
)
def test_bad_input_gets_a_clear_error_and_the_service_stays_up(
    live_service: LiveService, name: str, data: bytes | None, status: int, code: str
) -> None:
    data = encrypted_pdf() if data is None else data
    with live_service.client() as client:
        response = client.post("/api/v1/documents", files=[("files", (name, data))])
        assert response.status_code == status, response.text
        body = response.json()
        assert body["error"] == code and name in body["detail"]
        assert client.get("/healthz").status_code == 200


def test_requests_as_written_are_taken_and_only_malformed_codes_refused(live_service: LiveService) -> None:
    with live_service.client() as client:
        # Companions with modifiers and units, a code no service knows, and a managed care plan.
        created = client.post(
            "/api/v1/cases",
            json={
                "service_codes": ["J9271 JZ x200", "96413"],
                "service_lines": [{"code": "99213", "modifiers": ["25"]}],
                "plan_type": "medicaid_managed_care",
                "payer_name": "Saguaro Family Health Plan",
                "state": "AZ",
            },
        )
        assert created.status_code == 201, created.text
        case = created.json()
        assert case["service_codes"] == ["99213", "J9271", "96413"]
        assert case["service_lines"] == [
            {"code": "99213", "modifiers": ["25"], "units": None},
            {"code": "J9271", "modifiers": ["JZ"], "units": 200},
            {"code": "96413", "modifiers": [], "units": None},
        ]
        assert case["plan_type"] == "medicaid_managed_care" and case["unset"] == []
        assert case["request_date"]  # the day the case was opened
        report = client.get(f"/api/v1/cases/{case['id']}/completeness").json()
        assert report["status"] == "incomplete" and report["unknown_codes"] == ["99213"]
        assert report["services"] == [
            {"id": "pembrolizumab", "label": report["services"][0]["label"], "codes": ["J9271"], "companions": ["96413"]}
        ]
        unknown = next(r for r in report["requirements"] if r["id"] == "request.unknown-code.99213")
        assert unknown["status"] == "review"
        # JW/JZ is Medicare Part B's rule: not asked of this plan.
        assert all(r["id"] != "pembro.jw-jz" for r in report["requirements"])
        # Only a malformed code is refused, and the message names it.
        response = client.post("/api/v1/cases", json={"service_codes": ["72148", "7214"]})
        assert response.status_code == 422 and "'7214'" in response.json()["detail"]
        response = client.post("/api/v1/cases", json={"service_codes": ["hello"]})
        assert response.status_code == 422 and response.json()["error"] == "invalid_request"
        response = client.post("/api/v1/cases", json={"service_lines": [{"code": "J9271", "modifiers": ["JZZ"]}]})
        assert response.status_code == 422 and "JZZ" in response.json()["detail"]


def test_inbox_file_from_any_s3_client_is_processed_and_grouped(live_service: LiveService) -> None:
    env = live_service.storage_env()
    s3 = boto3.client(
        "s3",
        endpoint_url=env["PRECERT_S3_ENDPOINT"],
        aws_access_key_id=env["PRECERT_S3_ACCESS_KEY"],
        aws_secret_access_key=env["PRECERT_S3_SECRET_KEY"],
        region_name="us-east-1",
        config=Config(s3={"addressing_style": "path"}),
    )
    inbox = env["PRECERT_INBOX_BUCKET"]
    with live_service.client() as client:
        case_id = client.post("/api/v1/cases", json={"service_codes": ["72148"], "member_id": "QZT445566778"}).json()["id"]
        lines = [
            "IMAGING ORDER",
            "Order Date: 11/02/2026",
            "Patient: Marsh, Colin   DOB: 07/22/1958",
            "Member ID: QZT445566778",
            "Ordering Physician NPI: 1558598797",
            "MRI lumbar spine CPT 72148",
        ]
        started = time.monotonic()
        s3.put_object(Bucket=inbox, Key="fax-server/2026-11-02/fax-000123.pdf", Body=text_pdf(lines))
        s3.put_object(Bucket=inbox, Key="fax-server/2026-11-02/readme.txt", Body=b"not a document")

        def picked_up() -> dict | None:
            docs = client.get("/api/v1/documents", params={"source": "inbox"}).json()["documents"]
            return next((d for d in docs if d["filename"] == "fax-000123.pdf"), None)

        wait_for(picked_up, timeout=10, interval=0.2, what="the inbox file to be picked up (10 s)")
        print(f"\ninbox pickup: {time.monotonic() - started:.1f} s")
        doc = wait_for(lambda: (d := picked_up()) and d["status"] == "extracted" and d, timeout=120, what="inbox doc extracted")
        detail = client.get(f"/api/v1/documents/{doc['id']}").json()
        assert detail["case_id"] == case_id, detail["grouping"]
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket=inbox).get("Contents", [])]
        assert "fax-server/2026-11-02/fax-000123.pdf" not in keys
        assert "quarantine/fax-server/2026-11-02/readme.txt" in keys
        assert "quarantine/fax-server/2026-11-02/readme.txt.reason.txt" in keys
        # No file names (scanners often build them from patient names) in the S3 server's log.
        weed_log = (live_service.data_dir / "s3" / "logs" / "weed.out").read_text(errors="replace")
        assert "fax-000123" not in weed_log and "readme.txt" not in weed_log
        quarantined = client.get("/api/v1/inbox/quarantine").json()["files"]
        entry = next(q for q in quarantined if q["original_key"] == "fax-server/2026-11-02/readme.txt")
        assert "unsupported_type" in entry["reason"] and entry["quarantined_at"].endswith("+00:00")
        original = client.get(f"/api/v1/documents/{doc['id']}/original")
        assert original.content.startswith(b"%PDF") and original.headers["x-checksum-sha256"] == detail["sha256"]


def test_an_oversize_request_is_refused_by_its_length(live_service: LiveService) -> None:
    import socket
    from urllib.parse import urlparse

    url = urlparse(live_service.base_url)
    head = (
        f"POST /api/v1/documents HTTP/1.1\r\nHost: {url.netloc}\r\nAuthorization: Bearer {live_service.token}\r\n"
        f"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: {50 * 1024**3}\r\n\r\n"
    )
    with socket.create_connection((url.hostname, url.port), timeout=30) as conn:
        conn.sendall(head.encode() + b"--x\r\n")  # the 50 GB body never comes: the answer must not wait for it
        answer = ""
        while "request_too_large" not in answer and (chunk := conn.recv(65536)):
            answer += chunk.decode()
    assert answer.startswith("HTTP/1.1 413") and "request_too_large" in answer


def test_request_mistakes_are_explained(live_service: LiveService) -> None:
    with live_service.client() as client:
        not_json = client.post("/api/v1/cases", content=b"{service_codes: 72148", headers={"Content-Type": "application/json"})
        assert not_json.status_code == 422 and "not valid JSON" in not_json.json()["detail"]
        bad_date = client.post("/api/v1/cases", json={"service_codes": ["72148"], "request_date": "11/02/2026"})
        assert bad_date.status_code == 422 and "YYYY-MM-DD" in bad_date.json()["detail"]
        bogus = client.get("/api/v1/documents", params={"status": "bogus"})
        assert bogus.status_code == 422 and "status" in bogus.json()["detail"]


def test_uploads_without_credentials_are_refused_before_the_body_is_read(live_service: LiveService) -> None:
    import socket
    from urllib.parse import urlparse

    url = urlparse(live_service.base_url)
    head = (
        f"POST /api/v1/documents HTTP/1.1\r\nHost: {url.netloc}\r\n"
        f"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: {10 * 1024**2}\r\n\r\n"
    )
    with socket.create_connection((url.hostname, url.port), timeout=30) as conn:
        conn.sendall(head.encode() + b"--x\r\n")  # the body never comes: the answer must not wait for it
        answer = ""
        while "unauthorized" not in answer and (chunk := conn.recv(65536)):
            answer += chunk.decode()
    assert answer.startswith("HTTP/1.1 401")
    with live_service.client() as client:
        chunked = client.post(
            "/api/v1/documents", content=iter([b"--x--\r\n"]), headers={"Content-Type": "multipart/form-data; boundary=x"}
        )
        assert chunked.status_code == 411 and chunked.json()["error"] == "length_required"


def test_precert_required_catalog_and_case_details(live_service: LiveService) -> None:
    with live_service.client() as client:
        answers = client.get("/api/v1/precert-required", params={"service": ["72148", "64490"], "plan_type": "medicare"}).json()
        by_service = {a["service"]: a for a in answers["answers"]}
        assert by_service["mri_lumbar_spine"]["answer"] == "no"
        assert by_service["facet_joint"]["answer"] == "yes" and by_service["facet_joint"]["source"]
        unknown = client.get("/api/v1/precert-required", params={"service": "99999"})
        assert unknown.status_code == 200 and unknown.json()["answers"][0]["answer"] == "unknown"

        catalog = client.get("/api/v1/catalog").json()
        services = {s["id"]: s for s in catalog["services"]}
        assert "power_mobility" in services and "K0823" in services["power_mobility"]["codes"]
        assert all(r["source"] for s in catalog["services"] for r in s["requirements"])

        case = client.post(
            "/api/v1/cases",
            json={
                "service_codes": ["64490"],
                "plan_type": "medicare",
                "state": "AZ",
                "date_of_service": "2026-12-20",
                "place_of_service": "22",
                "units": 2,
                "episode": "initial",
            },
        ).json()
        assert case["date_of_service"] == "2026-12-20" and case["place_of_service"] == "22" and case["units"] == 2
        report = client.get(f"/api/v1/cases/{case['id']}/completeness").json()
        assert report["status"] == "incomplete"
        assert report["precert_required"][0]["answer"] == "yes"
        assert any(o["id"] == "medicare-ffs-opd" for o in report["overlays"])
        statuses = {r["id"]: r["status"] for r in report["requirements"]}
        assert statuses["medicare-opd.date-of-service"] == "met"  # entered on the case
