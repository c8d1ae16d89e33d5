"""The committed sample cases are well formed and their files are what case.json claims.

Pure and fast: reads JSON, PDF page counts, text layers, form fields and encryption, TIFF tags
and photo headers; no OCR (tests/test_sample_inputs.py reads every file with Tesseract). The
NPI check and the requirement ids are restated here on purpose (not imported from the
generator or the catalog), so a mistake in either shows up as a disagreement.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageOps
from pypdf import PasswordType, PdfReader

from extractors.models import DOC_TYPES as MODEL_DOC_TYPES
from extractors.models import FIELD_NAMES
from packet_builder.catalog import load_catalog, walk

SAMPLES = Path(__file__).resolve().parent.parent / "sample_docs"
CASE_DIRS = sorted(p.parent for p in SAMPLES.glob("*/case.json"))

# The truth files must speak the project's vocabulary and the catalog's requirement ids: taken
# from the code itself, so a renamed id or field shows up here.
_CATALOG = load_catalog()
# A request names a service by a code, or by its name where no code selects it (inpatient_admission).
SERVICES = {
    code: {r.id for r in walk(service.requirements)}
    for service in _CATALOG.services
    for code in (*service.codes, *service.aliases)
}
DOC_TYPES = set(MODEL_DOC_TYPES)
FIELDS = set(FIELD_NAMES)
# The fact kinds labelled: COMMON.md's six, and the measures a result or a note prints (HbA1c in a
# lab report, LVEF in a sleep evaluation...) among the kinds extractors/data/facts.yaml knows.
FACTS = {"symptom_duration", "conservative_therapy", "red_flag", "epworth", "bmi", "ahi"} | {
    "rdi",
    "oxygen_nadir",
    "hba1c",
    "ejection_fraction",
}
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


PDF_FORMATS = ("text_pdf", "scan_pdf", "mixed_pdf", "form_pdf")


def open_image(path: Path) -> Image.Image:
    if path.suffix == ".heic":
        pytest.importorskip("pillow_heif").register_heif_opener()
    return Image.open(path)


def pdf_bytes(path: Path, entry: dict[str, Any]) -> bytes:
    """The PDF as PDFium can open it: a damaged sample goes through qpdf first, as the reader's
    repair step does."""
    data = path.read_bytes()
    if entry.get("damaged"):
        with pikepdf.open(io.BytesIO(data)) as pdf:
            out = io.BytesIO()
            pdf.save(out)
            return out.getvalue()
    return data


def page_count(path: Path, entry: dict[str, Any]) -> int:
    if entry["format"] in PDF_FORMATS:
        doc = pdfium.PdfDocument(pdf_bytes(path, entry))
        try:
            return len(doc)
        finally:
            doc.close()
    with open_image(path) as im:
        return getattr(im, "n_frames", 1)


def test_npi_check_digit_reference_values() -> None:
    assert npi_check_digit_ok("1234567893")
    assert npi_check_digit_ok("1558598797")
    assert not npi_check_digit_ok("1234567890")


def test_enough_cases_with_both_verdicts() -> None:
    assert len(CASE_DIRS) >= 7
    verdicts = {load(d)[1]["expected"]["status"] for d in CASE_DIRS}
    assert verdicts == {"complete", "incomplete"}


def test_corpus_covers_every_document_type() -> None:
    """Issue 4: at least 40 labelled documents, at least two of every document type, and the
    types other than orders and notes in more than one input format."""
    docs = [
        (doc, entry)
        for d in CASE_DIRS
        for doc in load(d)[1]["documents"]
        for entry in load(d)[0]["files"]
        if entry["file"] == doc["file"]
    ]
    assert len(docs) >= 40
    by_type: dict[str, set[str]] = {}
    for doc, entry in docs:
        by_type.setdefault(doc["doc_type"], set()).add(entry["format"])
    assert set(by_type) == DOC_TYPES
    assert all(sum(1 for doc, _ in docs if doc["doc_type"] == t) >= 2 for t in DOC_TYPES)
    for kind in ("imaging_report", "lab_report", "letter_of_medical_necessity", "prior_auth_form", "insurance_card"):
        assert len(by_type[kind]) >= 2, (kind, by_type[kind])


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
        assert expected_start - 1 == page_count(case_dir / entry["file"], entry)


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
    # AHCCCS: a letter and 8 digits; Apple Health (ProviderOne): 9 digits and WA; Health First
    # Colorado: a letter and 6 digits.
    shapes = {"AZ": r"[A-Z]\d{8}", "WA": r"\d{9}WA", "CO": r"[A-Z]\d{6}"}
    for case_dir in CASE_DIRS:
        case, truth = load(case_dir)
        request = case["request"]
        if request["plan_type"] != "medicaid":
            continue
        ids = {m for d in truth["documents"] for m in d["fields"].get("member_id", [])}
        assert ids and all(re.fullmatch(shapes[request["state"]], m) for m in ids)


def _reported_ids(request: dict[str, Any]) -> tuple[set[str], set[str]]:
    """The requirement ids the checker reports for this request (all, groups' children included;
    and the top-level ones): the services' requirements scoped to the codes and episode, with the
    overlays applied."""
    from datetime import date

    from packet_builder.checker import check
    from packet_builder.request import ServiceRequest

    keys = ("payer_name", "plan_type", "state", "urgency", "place_of_service", "units", "episode", "out_of_network")
    report = check(
        ServiceRequest(
            service_codes=tuple(request["service_codes"]),
            request_date=date.fromisoformat(request["request_date"]),
            date_of_service=date.fromisoformat(request["date_of_service"]) if request.get("date_of_service") else None,
            **{k: request[k] for k in keys if request.get(k) is not None},
        ),
        [],
    )
    out: set[str] = set()
    stack = list(report.requirements)
    while stack:
        r = stack.pop()
        out.add(r.id)
        stack.extend(r.children)
    return out, {r.id for r in report.requirements}


@pytest.mark.parametrize("case_dir", CASE_DIRS, ids=lambda p: p.name)
def test_expected_requirements_cover_the_service(case_dir: Path) -> None:
    case, truth = load(case_dir)
    wanted, top_level = _reported_ids(case["request"])
    requirements = truth["expected"]["requirements"]
    assert set(requirements) == wanted
    assert set(requirements.values()) <= {"met", "missing", "review"}
    # The case status follows the top-level requirements; a group's children only explain it.
    decisive_missing = [r for r, s in requirements.items() if s != "met" and r in top_level]
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


def _text(page: pdfium.PdfPage) -> str:
    textpage = page.get_textpage()
    try:
        return textpage.get_text_range()
    finally:
        textpage.close()


def _images(page: pdfium.PdfPage) -> list[Any]:
    return [o for o in page.get_objects() if o.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE]


def _wordlike(text: str) -> int:
    return len(re.findall(r"[A-Za-z]{3,}", text))


def _labelled_values(case_dir: Path, file: str) -> list[str]:
    """Member IDs, NPIs, CPT/HCPCS and ICD-10 codes labelled on the documents of a file."""
    _case, truth = load(case_dir)
    out: list[str] = []
    for doc in truth["documents"]:
        if doc["file"] == file:
            fields = doc["fields"]
            out += fields.get("member_id", []) + fields.get("cpt", []) + fields.get("hcpcs", [])
            out += [n["value"] for n in fields.get("npi", [])] + [d["code"] for d in fields.get("icd10", [])]
    return out


@pytest.mark.parametrize("path,entry", _files("text_pdf"), ids=lambda v: getattr(v, "name", ""))
def test_text_pdfs_have_a_text_layer(path: Path, entry: dict[str, Any]) -> None:
    doc = pdfium.PdfDocument(pdf_bytes(path, entry))
    try:
        for page in doc:
            text = _text(page)
            assert len(text.strip()) > 200
            assert not _images(page)
            if entry.get("layer") == "glyph_soup":
                # Drawn in a font with no Unicode map: the text layer is control characters and
                # punctuation, with no word and none of the labelled values in it.
                assert _wordlike(text) == 0, text[:200]
                assert not any(v in text for v in _labelled_values(path.parent, path.name))
            else:
                assert _wordlike(text) > 40
    finally:
        doc.close()


@pytest.mark.parametrize("path,entry", _files("text_pdf"), ids=lambda v: getattr(v, "name", ""))
def test_encrypted_pdfs_open_with_the_empty_password_only_as_user(path: Path, entry: dict[str, Any]) -> None:
    reader = PdfReader(io.BytesIO(pdf_bytes(path, entry)))
    assert reader.is_encrypted == bool(entry.get("encrypted"))
    if not entry.get("encrypted"):
        return
    assert reader.decrypt("") == PasswordType.USER_PASSWORD  # not the owner password
    with pikepdf.open(path) as pdf:
        assert pdf.is_encrypted and pdf.encryption.bits == 128
        assert not pdf.allow.extract and not pdf.allow.modify_other  # the owner keeps copying and editing
    doc = pdfium.PdfDocument(path)  # PDFium tries the empty password itself
    try:
        assert _wordlike(_text(doc[0])) > 40
    finally:
        doc.close()


@pytest.mark.parametrize("path,entry", _files("text_pdf"), ids=lambda v: getattr(v, "name", ""))
def test_damaged_pdfs_need_repair(path: Path, entry: dict[str, Any]) -> None:
    data = path.read_bytes()
    if not entry.get("damaged"):
        pdfium.PdfDocument(data).close()
        return
    assert entry["damaged"] == "truncated"
    assert b"trailer" not in data and b"startxref" not in data and b"%%EOF" not in data[-16:]
    with pytest.raises(pdfium.PdfiumError):
        pdfium.PdfDocument(data)
    with pikepdf.open(io.BytesIO(data)) as pdf:  # qpdf rebuilds it from the objects
        assert len(pdf.pages) >= 1


@pytest.mark.parametrize("path,entry", _files("scan_pdf"), ids=lambda v: getattr(v, "name", ""))
def test_scans_are_one_image_per_page(path: Path, entry: dict[str, Any]) -> None:
    assert entry["dpi"] in (150, 200, 300, 600)
    assert entry.get("layer") in (None, "glyph_soup", "partial_ocr")
    assert entry.get("rotation", 0) in (0, 90, 180, 270)
    doc = pdfium.PdfDocument(path)
    try:
        for page in doc:
            images = _images(page)
            assert len(images) == 1
            width_px = images[0].get_metadata().width
            assert abs(width_px / (page.get_width() / 72) - entry["dpi"]) < 2
            # A page scanned sideways lies landscape; /Rotate is never used to hide the turn.
            assert page.get_rotation() == 0
            assert (page.get_width() > page.get_height()) == (entry.get("rotation") in (90, 270))
            text = _text(page)
            if entry.get("layer") is None:
                assert text == ""
            elif entry["layer"] == "glyph_soup":
                assert len(text) > 100 and _wordlike(text) == 0
            else:
                # An earlier OCR layer with real words, but only over the top third of the page.
                textpage = page.get_textpage()
                tops = [textpage.get_charbox(i)[1] for i in range(textpage.count_chars())]
                textpage.close()
                assert _wordlike(text) >= 8
                assert min(t for t in tops if t > 0) > page.get_height() * 0.6
    finally:
        doc.close()
    assert abs(entry.get("skew", 0)) <= 4


@pytest.mark.parametrize("path,entry", _files("mixed_pdf"), ids=lambda v: getattr(v, "name", ""))
def test_mixed_pdfs_have_text_pages_and_scanned_pages(path: Path, entry: dict[str, Any]) -> None:
    scanned = set(entry["scanned_pages"])
    doc = pdfium.PdfDocument(path)
    try:
        assert scanned and scanned < set(range(1, len(doc) + 1))
        for number, page in enumerate(doc, start=1):
            if number in scanned:
                assert _text(page) == "" and len(_images(page)) == 1
                width_px = _images(page)[0].get_metadata().width
                assert abs(width_px / (page.get_width() / 72) - entry["dpi"]) < 2
            else:
                assert _wordlike(_text(page)) > 40 and not _images(page)
    finally:
        doc.close()


@pytest.mark.parametrize("path,entry", _files("form_pdf"), ids=lambda v: getattr(v, "name", ""))
def test_form_values_live_only_in_the_form_fields(path: Path, entry: dict[str, Any]) -> None:
    reader = PdfReader(path)
    fields = reader.get_fields() or {}
    values = {re.sub(r"[\s-]", "", str(f.get("/V", ""))).upper() for f in fields.values()}
    tooltips = {str(f.get("/TU", "")) for f in fields.values()}
    assert {"Member ID", "Patient name", "Date of birth", "NPI", "CPT/HCPCS code", "Primary ICD-10"} <= tooltips
    labelled = _labelled_values(path.parent, path.name)
    assert labelled
    for value in labelled:
        assert re.sub(r"[\s-]", "", value).upper() in values, value
    doc = pdfium.PdfDocument(path)
    try:
        page_text = _text(doc[0])
    finally:
        doc.close()
    assert "Member ID:" in page_text and _wordlike(page_text) > 20
    # The page text has the labels only: every value is in an annotation, not in the content.
    assert not any(value in page_text for value in labelled)


@pytest.mark.parametrize("path,entry", _files("fax_tiff"), ids=lambda v: getattr(v, "name", ""))
def test_fax_tiffs_are_ccitt_at_the_claimed_dpi(path: Path, entry: dict[str, Any]) -> None:
    compression = entry.get("compression", "group4")
    assert compression in ("group3", "group4")
    with Image.open(path) as im:
        assert im.n_frames >= 2
        for i in range(im.n_frames):
            im.seek(i)
            assert im.mode == "1"
            assert im.info["compression"] == compression
            assert tuple(round(v) for v in im.info["dpi"]) == tuple(entry["dpi"])
            assert im.width == 1728
            # the page height follows the vertical resolution: 11 in at 196 or 98 lines/in
            assert abs(im.height - 11 * entry["dpi"][1]) < 4


@pytest.mark.parametrize("path,entry", _files("tiff"), ids=lambda v: getattr(v, "name", ""))
def test_tiff_exports_have_alpha_and_pages_of_mixed_sizes(path: Path, entry: dict[str, Any]) -> None:
    assert entry["alpha"] is True
    sizes = set()
    with Image.open(path) as im:
        assert im.n_frames >= 2
        for i in range(im.n_frames):
            im.seek(i)
            assert im.mode == "RGBA"
            assert tuple(round(v) for v in im.info["dpi"]) == (entry["dpi"], entry["dpi"])
            sizes.add(im.size)
            frame = im.convert("RGBA")
            alpha_low, _alpha_high = frame.getchannel("A").getextrema()
            assert alpha_low == 0  # transparent paper
            # ...whose colour is dark: a reader that drops alpha sees a black page, not white paper
            assert max(frame.convert("RGB").getpixel((5, 5))) < 80
    assert len(sizes) >= 2
    widths = {w for w, _h in sizes}
    assert len(widths) == 1  # the same width: a letter page and a half sheet cut across it


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


@pytest.mark.parametrize("path,entry", _files("photo_heic"), ids=lambda v: getattr(v, "name", ""))
def test_heic_photos_carry_their_orientation(path: Path, entry: dict[str, Any]) -> None:
    assert path.read_bytes()[4:12] == b"ftypheic"
    with open_image(path) as im:
        assert im.format == "HEIF"
        assert 1800 <= max(im.size) <= 2200
        # pillow-heif applies the container's rotation on opening and reports the EXIF value it had
        assert im.info.get("original_orientation") == entry["exif_orientation"]
        assert im.height > im.width


def test_the_formats_brief_is_covered() -> None:
    """Every input kind of issue 3 has a generated sample."""
    entries = [f for d in CASE_DIRS for f in load(d)[0]["files"]]
    by = {fmt: [e for e in entries if e["format"] == fmt] for fmt in {e["format"] for e in entries}}
    assert set(by) == {"text_pdf", "scan_pdf", "mixed_pdf", "form_pdf", "fax_tiff", "tiff", "photo_jpeg", "photo_heic"}
    scans = by["scan_pdf"]
    plain = [e for e in scans if not {"layer", "rotation", "skew"} & set(e)]
    assert {e["dpi"] for e in plain} == {150, 200, 300, 600}
    # a scan under a glyph-soup text layer, and one under an OCR layer covering the top only
    assert {e.get("layer") for e in scans} == {None, "glyph_soup", "partial_ocr"}
    assert any(e.get("layer") == "glyph_soup" for e in by["text_pdf"])  # glyph soup without an image too
    assert any(3 <= abs(e.get("skew", 0)) <= 4 for e in scans)
    turned = {e.get("rotation") for e in scans}
    assert 180 in turned and turned & {90, 270}
    assert {tuple(e["dpi"]) for e in by["fax_tiff"]} == {(204, 196), (204, 98)}
    assert any(e.get("compression") == "group3" and tuple(e["dpi"]) == (204, 98) for e in by["fax_tiff"])
    assert any(e.get("compression") is None for e in by["fax_tiff"])  # Group 4
    assert all(e.get("alpha") for e in by["tiff"])
    photos = by["photo_jpeg"]
    assert {e.get("exif_orientation") for e in photos} >= {None, 6} and {e.get("exif_orientation") for e in photos} & {3, 8}
    assert any(e.get("encrypted") for e in by["text_pdf"]) and any(e.get("damaged") for e in by["text_pdf"])


def test_generator_is_independent_of_extractors() -> None:
    for source in SAMPLES.glob("*.py"):
        assert not re.search(r"^\s*(from|import)\s+(extractors|packet_builder|intake)\b", source.read_text(), re.MULTILINE), (
            source.name
        )
