"""The randomized completeness corpus (sample_docs/randomized): deterministic by seed, every
generated case passes its audit, and the audit catches what it is there to catch. The
benchmark itself (benchmarks/completeness_random) is not run here."""

from __future__ import annotations

import json
from datetime import date

import pytest

from benchmarks.completeness_random import service_request
from sample_docs.randomized import policies
from sample_docs.randomized.audit import AuditError, audit_case, audit_document
from sample_docs.randomized.corpus import SPLITS, case_id, ensure_case, generate_case, split_of
from sample_docs.randomized.draw import Draw, format_date
from sample_docs.randomized.people import make_mbi, make_npi, npi_is_valid


def test_same_seed_same_case_and_bytes():
    a, b = generate_case(17), generate_case(17)
    assert a.meta == b.meta
    assert a.pdfs == b.pdfs
    assert generate_case(18).meta != a.meta


def test_splits_are_disjoint_and_named():
    assert set(SPLITS["dev"]).isdisjoint(SPLITS["held"])
    assert set(SPLITS["fresh"]).isdisjoint(SPLITS["held"]) and set(SPLITS["fresh"]).isdisjoint(SPLITS["dev"])
    assert len(SPLITS["held"]) == 200 and len(SPLITS["fresh"]) == 400
    assert split_of(5) == "dev" and split_of(100003) == "held"
    assert case_id(100003) == "held-100003"


def test_many_cases_generate_and_pass_the_audit():
    verdicts = {"complete": 0, "incomplete": 0}
    services = set()
    for seed in range(60):
        case = generate_case(seed)  # the audit runs inside and raises on a problem
        truth = case.meta["truth"]
        verdicts[truth["verdict"]] += 1
        services.add(case.meta["service"])
        assert (truth["verdict"] == "complete") == (not truth["missing"])
        assert set(case.pdfs) == set(case.meta["files"])
        assert all(pdf.startswith(b"%PDF") for pdf in case.pdfs.values())
    assert verdicts["complete"] >= 12 and verdicts["incomplete"] >= 20
    assert len(services) >= 8


def test_npi_check_digit_follows_the_reference():
    assert npi_is_valid("1234567893") and npi_is_valid("1558598797")
    assert not npi_is_valid("1234567890")
    draw = Draw(1)
    assert all(npi_is_valid(make_npi(draw)) for _ in range(50))
    assert not any(npi_is_valid(make_npi(draw, valid=False)) for _ in range(50))


def test_mbi_shape():
    import re

    pattern = re.compile(
        r"^[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9][0-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9][0-9][AC-HJKMNP-RT-Y]{2}[0-9]{2}$"
    )
    draw = Draw(2)
    assert all(pattern.match(make_mbi(draw)) for _ in range(100))


def test_date_formats():
    d = date(2026, 1, 28)
    got = {format_date(d, s) for s in ("mdy_slash", "mdy_short", "iso", "dd_mon_yyyy", "mon_d_yyyy", "d_month_yyyy")}
    assert got == {"01/28/2026", "1/28/26", "2026-01-28", "28-Jan-2026", "Jan 28, 2026", "28 January 2026"}


def _doc(printed, undated=False):
    return {"file": "x.pdf", "printed": printed, "undated": undated}


def test_audit_flags_unlabelled_code_like_values():
    assert audit_document([["Order: 72148 MRI"]], _doc([{"kind": "cpt", "value": "72148"}])) == []
    assert audit_document([["Order: 72148 MRI"]], _doc([]))  # a CPT-shaped number nobody labelled
    assert audit_document([["Call 85004"]], _doc([{"kind": "decoy", "decoy": "zip", "value": "85004"}])) == []
    valid = make_npi(Draw(3))
    assert audit_document([[f"Ref {valid}"]], _doc([]))  # passes the NPI check, not labelled
    assert audit_document([["Dx M54.16"]], _doc([]))
    assert audit_document([["ID 1EG4-TE5-MK73"]], _doc([]))
    assert audit_document([["Seen 01/28/2026"]], _doc([], undated=True))
    assert audit_document([["nothing"]], _doc([{"kind": "cpt", "value": "72148"}]))  # labelled, not printed


def test_audit_checks_truth_against_what_was_printed():
    case = generate_case(3)
    meta = json.loads(json.dumps(case.meta))
    strings = {f: [["placeholder"]] for f in meta["files"]}
    with pytest.raises(AuditError):
        audit_case(meta, strings)


def test_every_service_has_items_with_ways_and_a_source():
    for key, spec in policies.SERVICES.items():
        plan = next(iter(spec.plans))
        items = policies.items_for(key, plan, "AZ", spec.codes)
        assert items
        for item in items:
            assert item.ways and item.source


def test_a_case_on_disk_and_its_request(tmp_path):
    folder = ensure_case(11, tmp_path)
    meta = json.loads((folder / "case.json").read_text())
    for name in meta["files"]:
        assert (folder / name).read_bytes().startswith(b"%PDF")
    assert ensure_case(11, tmp_path) == folder  # reused
    request = service_request(meta["request"])
    assert {ln["code"] for ln in meta["request"]["service_lines"]} == set(request.service_codes)
    assert request.request_date.isoformat() == meta["request"]["request_date"]


def test_two_cases_read_by_the_real_reader(tmp_path):
    from extractors.extract import extract_pages
    from extractors.ocr_page import OcrSettings
    from extractors.reader import read_pages

    for seed in (4, 9):
        folder = ensure_case(seed, tmp_path)
        meta = json.loads((folder / "case.json").read_text())
        for truth_doc in meta["documents"]:
            _kind, pages = read_pages((folder / truth_doc["file"]).read_bytes(), ocr=OcrSettings(workers=1))
            assert pages and all(p.method == "text_layer" for p in pages)
            docs = extract_pages(pages, filename=truth_doc["file"])
            printed_ids = {e["value"] for e in truth_doc["printed"] if e["kind"] == "member_id"}
            read_ids = {v.value.replace("-", "") for d in docs for v in d.fields.get("member_id", ())}
            if printed_ids:  # structural: the reader sees the page's text; exact scoring is the benchmark's
                assert read_ids or any(p.text for p in pages)
