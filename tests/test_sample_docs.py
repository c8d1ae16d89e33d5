"""The committed sample cases are well formed and their files are what case.json claims.

Pure and fast: reads JSON, PDF page counts and text layers, TIFF tags and JPEG headers. The
NPI check and the requirement ids are restated here on purpose (not imported from the
generator or the catalog), so a mistake in either shows up as a disagreement.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageOps

from extractors.models import DOC_TYPES as MODEL_DOC_TYPES
from extractors.models import FIELD_NAMES
from packet_builder.catalog import GroupRequirement, load_catalog, walk

SAMPLES = Path(__file__).resolve().parent.parent / "sample_docs"
CASE_DIRS = sorted(p.parent for p in SAMPLES.glob("*/case.json"))

# The truth files must speak the project's vocabulary and the catalog's requirement ids: taken
# from the code itself, so a renamed id or field shows up here.
_CATALOG = load_catalog()
SERVICES = {code: {r.id for r in walk(service.requirements)} for service in _CATALOG.services for code in service.codes}
ANY_OF_BRANCHES = {
    child.id
    for service in _CATALOG.services
    for r in walk(service.requirements)
    if isinstance(r, GroupRequirement) and r.kind == "any_of"
    for child in r.requirements
}
DOC_TYPES = set(MODEL_DOC_TYPES)
FIELDS = set(FIELD_NAMES)
FACTS = {"symptom_duration", "conservative_therapy", "red_flag", "epworth", "bmi", "ahi"}
ASSERTIONS = {"present", "negated", "historical", "hypothetical"}
MBI = re.compile(
    r"^[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9][0-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9][0-9][AC-HJKMNP-RT-Y]{2}[0-9]{2}$"
)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def npi_check_digit_ok(npi: str) -> bool:
    """Luhn over the first 9 digits with the 80840 prefix folded in as +24."""
    if not re.fullmatch(r"[12]\d{9}", npi):
        return False
    digits = [int(c) for c in npi[:9]][::-1]
    total = 24 + sum((2 * d - 9 if 2 * d > 9 else 2 * d) if i % 2 == 0 else d for i, d in enumerate(digits))
    return (10 - total % 10) % 10 == int(npi[9])


def load(case_dir: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    return (
        json.loads((case_dir / "case.json").read_text(encoding="utf-8")),
        json.loads((case_dir / "truth.json").read_text(encoding="utf-8")),
    )


def page_count(path: Path, fmt: str) -> int:
    if fmt in ("text_pdf", "scan_pdf"):
        doc = pdfium.PdfDocument(path)
        try:
            return len(doc)
        finally:
            doc.close()
    with Image.open(path) as im:
        return getattr(im, "n_frames", 1)


def test_npi_check_digit_reference_values() -> None:
    assert npi_check_digit_ok("1234567893")
    assert npi_check_digit_ok("1558598797")
    assert not npi_check_digit_ok("1234567890")


def test_enough_cases_with_both_verdicts() -> None:
    assert len(CASE_DIRS) >= 7
    verdicts = {load(d)[1]["expected"]["status"] for d in CASE_DIRS}
    assert verdicts == {"complete", "incomplete"}


@pytest.mark.parametrize("case_dir", CASE_DIRS, ids=lambda p: p.name)
def test_case_files_are_listed_and_present(case_dir: Path) -> None:
    case, truth = load(case_dir)
    assert case["case_id"] == truth["case_id"] == case_dir.name
    listed = {f["file"] for f in case["files"]}
    present = {p.name for p in case_dir.iterdir() if p.is_file()} - {"case.json", "truth.json"}
    assert listed == present
    assert {d["file"] for d in truth["documents"]} == listed
    request = case["request"]
    assert request["plan_type"] in {"commercial", "medicare", "medicare_advantage", "medicaid"}
    assert request["urgency"] in {"standard", "urgent"}
    assert request["request_date"].startswith("2026-")
    assert all(code in SERVICES for code in request["service_codes"])


@pytest.mark.parametrize("case_dir", CASE_DIRS, ids=lambda p: p.name)
def test_documents_tile_their_files(case_dir: Path) -> None:
    case, truth = load(case_dir)
    for entry in case["files"]:
        docs = [d for d in truth["documents"] if d["file"] == entry["file"]]
        expected_start = 1
        for doc in docs:
            start, end = doc["page_range"]
            assert start == expected_start and end >= start
            assert len(doc["source_text"].split("\f")) == end - start + 1
            expected_start = end + 1
        assert expected_start - 1 == page_count(case_dir / entry["file"], entry["format"])


@pytest.mark.parametrize("case_dir", CASE_DIRS, ids=lambda p: p.name)
def test_labels_use_the_vocabulary_and_match_the_text(case_dir: Path) -> None:
    case, truth = load(case_dir)
    for doc in truth["documents"]:
        text = doc["source_text"]
        assert doc["doc_type"] in DOC_TYPES
        assert set(doc["fields"]) <= FIELDS
        assert set(doc["facts"]) <= FACTS
        for npi in doc["fields"].get("npi", []):
            assert npi["role"] in {"ordering", "rendering", "facility", "unknown"}
            assert npi_check_digit_ok(npi["value"]) == npi["valid"], npi["value"]
            assert npi["value"] in text
        for code in doc["fields"].get("cpt", []) + doc["fields"].get("hcpcs", []):
            assert code in text
        for dx in doc["fields"].get("icd10", []):
            assert dx["code"] in text and dx["assertion"] in ASSERTIONS
        for name in ("patient_dob", "document_date", "date_of_service"):
            assert all(ISO_DATE.match(v) for v in doc["fields"].get(name, []))
        for values in doc["facts"].values():
            assert all(v["assertion"] in ASSERTIONS for v in values)
        for decoy in doc["decoys"]:
            assert decoy in text
        for member_id in doc["fields"].get("member_id", []):
            assert member_id == member_id.upper() and " " not in member_id and "-" not in member_id
            if MBI.match(member_id):
                assert case["request"]["plan_type"] in {"medicare", "medicare_advantage"}


def test_medicaid_member_ids_have_the_state_shape() -> None:
    shapes = {"AZ": r"[A-Z]\d{8}", "WA": r"\d{9}WA"}
    for case_dir in CASE_DIRS:
        case, truth = load(case_dir)
        request = case["request"]
        if request["plan_type"] != "medicaid":
            continue
        ids = {m for d in truth["documents"] for m in d["fields"].get("member_id", [])}
        assert ids and all(re.fullmatch(shapes[request["state"]], m) for m in ids)


@pytest.mark.parametrize("case_dir", CASE_DIRS, ids=lambda p: p.name)
def test_expected_requirements_cover_the_service(case_dir: Path) -> None:
    case, truth = load(case_dir)
    wanted = set().union(*(SERVICES[c] for c in case["request"]["service_codes"]))
    requirements = truth["expected"]["requirements"]
    assert set(requirements) == wanted
    assert set(requirements.values()) <= {"met", "missing", "review"}
    decisive_missing = [r for r, s in requirements.items() if s != "met" and r not in ANY_OF_BRANCHES]
    assert truth["expected"]["status"] == ("incomplete" if decisive_missing else "complete")
    if "mri-lumbar.conservative-care-or-red-flag" in requirements:
        either = {requirements["mri-lumbar.conservative-care-6w"], requirements["mri-lumbar.red-flag"]}
        assert (requirements["mri-lumbar.conservative-care-or-red-flag"] == "met") == ("met" in either)


def _files(fmt: str) -> list[tuple[Path, dict[str, Any]]]:
    out = []
    for case_dir in CASE_DIRS:
        case, _ = load(case_dir)
        out += [(case_dir / f["file"], f) for f in case["files"] if f["format"] == fmt]
    return out


@pytest.mark.parametrize("path,entry", _files("text_pdf"), ids=lambda v: getattr(v, "name", ""))
def test_text_pdfs_have_a_text_layer(path: Path, entry: dict[str, Any]) -> None:
    doc = pdfium.PdfDocument(path)
    try:
        assert all(len(page.get_textpage().get_text_range().strip()) > 200 for page in doc)
    finally:
        doc.close()


@pytest.mark.parametrize("path,entry", _files("scan_pdf"), ids=lambda v: getattr(v, "name", ""))
def test_scans_are_image_only(path: Path, entry: dict[str, Any]) -> None:
    assert entry["dpi"] in (200, 300)
    doc = pdfium.PdfDocument(path)
    try:
        for page in doc:
            assert page.get_textpage().get_text_range() == ""
            images = [o for o in page.get_objects() if o.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE]
            assert len(images) == 1
            width_px = images[0].get_metadata().width
            assert abs(width_px / (page.get_width() / 72) - entry["dpi"]) < 2
    finally:
        doc.close()


@pytest.mark.parametrize("path,entry", _files("fax_tiff"), ids=lambda v: getattr(v, "name", ""))
def test_fax_tiffs_are_group4_at_the_claimed_dpi(path: Path, entry: dict[str, Any]) -> None:
    with Image.open(path) as im:
        assert im.n_frames >= 2
        for i in range(im.n_frames):
            im.seek(i)
            assert im.mode == "1"
            assert im.info["compression"] == "group4"
            assert tuple(round(v) for v in im.info["dpi"]) == tuple(entry["dpi"])
            assert im.width == 1728
            # the page height follows the vertical resolution: 11 in at 196 or 98 lines/in
            assert abs(im.height - 11 * entry["dpi"][1]) < 4


@pytest.mark.parametrize("path,entry", _files("photo_jpeg"), ids=lambda v: getattr(v, "name", ""))
def test_photos_are_turned_as_claimed(path: Path, entry: dict[str, Any]) -> None:
    with Image.open(path) as im:
        assert im.format == "JPEG"
        assert 1800 <= max(im.size) <= 2200
        assert entry["rotation"] in (90, 180, 270)
        # a portrait page turned a quarter lies landscape in the stored pixels
        assert (im.width > im.height) == (entry["rotation"] in (90, 270))
        assert im.getexif().get(0x0112) == entry.get("exif_orientation")
        if "exif_orientation" in entry:
            upright = ImageOps.exif_transpose(im)
            assert upright.height > upright.width


def test_the_formats_brief_is_covered() -> None:
    entries = [f for d in CASE_DIRS for f in load(d)[0]["files"]]
    assert {e["format"] for e in entries} == {"text_pdf", "scan_pdf", "fax_tiff", "photo_jpeg"}
    assert {e["dpi"] for e in entries if e["format"] == "scan_pdf"} == {200, 300}
    assert {tuple(e["dpi"]) for e in entries if e["format"] == "fax_tiff"} == {(204, 196), (204, 98)}
    photos = [e for e in entries if e["format"] == "photo_jpeg"]
    assert any("exif_orientation" in e for e in photos) and any("exif_orientation" not in e for e in photos)


def test_generator_is_independent_of_extractors() -> None:
    for source in SAMPLES.glob("*.py"):
        assert not re.search(r"^\s*(from|import)\s+(extractors|packet_builder|intake)\b", source.read_text(), re.MULTILINE), (
            source.name
        )
