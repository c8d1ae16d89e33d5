"""The server-less commands, run as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import SAMPLES

CASE = SAMPLES / "mri_complete_text"


def _precert(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "intake.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).resolve().parent.parent,
    )


def test_extract_json_shape() -> None:
    result = _precert("extract", str(CASE / "order.pdf"), "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)["documents"][0]
    assert doc["file"] == "order.pdf" and doc["doc_type"] == "order" and doc["pages"] == 1 and doc["page_range"] == [1, 1]
    npi = doc["fields"]["npi"][0]
    assert {"value", "role", "valid", "confidence", "evidence"} <= set(npi)
    assert {"document_id", "page", "bbox", "snippet", "method", "confidence"} <= set(npi["evidence"])
    assert "page_text" not in doc


def test_extract_text_option_adds_page_text() -> None:
    result = _precert("extract", str(CASE / "order.pdf"), "--json", "--text")
    page = json.loads(result.stdout)["documents"][0]["page_text"][0]
    assert page["method"] == "text_layer" and "Member ID" in page["text"]


@pytest.mark.parametrize(("case", "status"), [("mri_complete_text", "complete"), ("sleep_complete_text", "complete")])
def test_check_json(case: str, status: str) -> None:
    spec = json.loads((SAMPLES / case / "case.json").read_text())
    request = spec["request"]
    args = ["check", "--request-date", request["request_date"], "--json"]
    for code in request["service_codes"]:
        args += ["--service", code]
    result = _precert(*args, *[str(SAMPLES / case / f["file"]) for f in spec["files"]])
    report = json.loads(result.stdout)
    assert report["status"] == status
    assert all({"id", "label", "status", "message", "evidence"} <= set(r) for r in report["requirements"])
    assert result.returncode == (0 if status == "complete" else 1)


def test_check_takes_an_unknown_code_as_review() -> None:
    result = _precert("check", "--service", "99999", str(CASE / "order.pdf"), "--json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["status"] == "incomplete" and report["unknown_codes"] == ["99999"]
    (line,) = [r for r in report["requirements"] if r["id"] == "request.unknown-code.99999"]
    assert line["status"] == "review" and "No documentation requirements known for 99999" in line["message"]


def test_check_refuses_a_malformed_code_naming_it() -> None:
    result = _precert("check", "--service", "72148", "--service", "7214", str(CASE / "order.pdf"), "--json")
    assert result.returncode == 2 and "'7214'" in result.stderr


def test_check_keeps_companion_lines_and_every_plan_type() -> None:
    result = _precert(
        "check",
        "--service",
        "72148",
        "--service",
        "A9579 x15",
        "--plan-type",
        "medicaid_managed_care",
        "--state",
        "AZ",
        str(CASE / "order.pdf"),
        "--json",
    )
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    assert report["services"][0]["codes"] == ["72148"] and report["services"][0]["companions"] == ["A9579"]
    # AHCCCS's fee-for-service form is not asked of its managed care plans.
    assert all(o["id"] != "az-ahcccs-ffs" for o in report["overlays"])


def test_extract_refuses_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "note.docx"
    bad.write_bytes(b"PK\x03\x04 not a pdf")
    result = _precert("extract", str(bad), "--json")
    assert result.returncode == 2 and "Unsupported file type" in result.stderr


def test_packet_files(tmp_path: Path) -> None:
    result = _precert(
        "packet",
        "--service",
        "72148",
        "--request-date",
        "2026-11-02",
        "--out",
        str(tmp_path),
        str(CASE / "order.pdf"),
        str(CASE / "progress_note.pdf"),
    )
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["schema_version"] and len(manifest["documents"]) == 2
    pages = len(PdfReader(tmp_path / "packet.pdf").pages)
    assert pages >= 2 + 3  # cover, checklist, the 1-page order and 2-page note


def test_user_accounts_and_tokens(tmp_path: Path) -> None:
    added = _precert("user", "add", "maria", "--data-dir", str(tmp_path))
    assert added.returncode == 0 and "password (shown once)" in added.stdout
    token = _precert("user", "token", "maria", "--name", "fax server", "--data-dir", str(tmp_path))
    assert token.returncode == 0 and "pct_" in token.stdout
    again = _precert("user", "add", "maria", "--data-dir", str(tmp_path))
    assert again.returncode == 2 and "already exists" in again.stderr
    missing = _precert("user", "password", "nobody", "--data-dir", str(tmp_path))
    assert missing.returncode == 2 and "No user 'nobody'" in missing.stderr


def test_required_answers_with_source() -> None:
    out = _precert("required", "--service", "64490", "--plan-type", "medicare", "--date", "2026-11-27")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Facet joint") or "YES" in out.stdout
    assert "419.83" in out.stdout
    out = _precert("required", "--service", "72148", "--plan-type", "commercial", "--state", "AZ", "--json")
    assert json.loads(out.stdout)["answers"][0]["answer"] == "unknown"


def test_catalog_page_is_the_committed_one() -> None:
    out = _precert("catalog", "--markdown")
    assert out.returncode == 0, out.stderr
    committed = (Path(__file__).resolve().parent.parent / "docs" / "catalog.md").read_text(encoding="utf-8")
    assert out.stdout == committed, "docs/catalog.md is stale: run `precert catalog --markdown > docs/catalog.md`"
