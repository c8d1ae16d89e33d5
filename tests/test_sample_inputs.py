"""Every file of every sample case, read with the real reader (Tesseract included), gives what
matters: the page count of the truth, the reading method its kind implies (text layer, form
fields, OCR), turned pages turned upright, and the identifiers and codes in the read text
(member IDs, CPT/HCPCS codes, every printed ICD-10 code).

Each file is read once per session (two OCR workers). A value the reader gets wrong today is a
strict xfail that says what was read instead, so a fix shows up as an XPASS to be removed.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from extractors.models import Page
from extractors.ocr_page import OcrSettings
from extractors.reader import read_pages

pytestmark = pytest.mark.integration

SAMPLES = Path(__file__).resolve().parent.parent / "sample_docs"

# (case/file, field, value) -> what the reader gave instead, as of the commit adding this test.
KNOWN_MISREADS: dict[tuple[str, str, str], str] = {
    ("mri_fax_group3_improved/fax_group3_normal.tif", "icd10", "M54.16"): "page 3 reads '(M54. 16)'",
    ("mri_glyph_soup_scan/searchable_scan_order_and_note.pdf", "icd10", "O24.419"): "page 2 reads '(024.419)': letter O as zero",
    ("mri_ahcccs_card_typed_form/pa_form_typed_scan.pdf", "member_id", "A70318264"): "typed ID reads '470318264': A as 4",
    ("mri_no_conservative_scan/scan_order_and_note_300dpi.pdf", "icd10", "M54.16"): "page 2 reads '(M54, 16)'",
    ("mri_postop_fax_reports/fax_fine_form_order_note.tif", "icd10", "Z98.890"): "p2 '298,890', p3 '(298. 890)': Z as 2",
    ("mri_postop_fax_reports/fax_fine_form_order_note.tif", "icd10", "I10"): "page 3 reads 'Hypertension (110)': I as 1",
    ("mri_postop_fax_reports/fax_fine_form_order_note.tif", "icd10", "Z87.891"): "page 3 reads '(287.891)': Z as 2",
    ("mri_skewed_scan_historical_dx/scan_order_skewed.pdf", "member_id", "JHC7741029358"): "reads 'JHC.7741 0293 58'",
    ("mri_turned_scans_red_flag/scan_order_sideways.pdf", "member_id", "5EK9TN2XJ47"): "MBI reads 'SEK9-TN2-XJ47': 5 as S",
    ("mri_turned_scans_red_flag/scan_consult_upside_down.pdf", "icd10", "I48.91"): "reads '(148.91)': I as 1",
    ("sleep_partial_ocr_scan/consult_scan_partial_ocr.pdf", "icd10", "I48.0"): "reads '(148.0)': I as 1",
    ("cath_no_stress_test_fax/fax_fine_204x196.tif", "icd10", "Z87.891"): "page 2 reads '(287.891)': Z as 2",
    ("cath_no_stress_test_fax/fax_fine_204x196.tif", "icd10", "I20.0"): "page 2 reads '(120.0)': I as 1",
    ("cath_no_stress_test_fax/fax_fine_204x196.tif", "icd10", "I25.10"): "page 2 reads '(125.10)': I as 1",
    ("cath_no_stress_test_fax/fax_fine_204x196.tif", "icd10", "I10"): "page 2 reads 'Hypertension (110)': I as 1",
    ("facet_medicare_opd_scan/scan_order_and_note_300dpi.pdf", "icd10", "I10"): "page 2 reads 'Hypertension (110)': I as 1",
    ("tka_short_trial_scan/scan_order_and_note_200dpi.pdf", "icd10", "I48.91"): "page 2 reads '(148.91)': I as 1",
    ("vein_ablation_commercial_fax/fax_normal_204x98.tif", "icd10", "I83.812"): "reads '183.812': I as 1",
    ("vein_ablation_commercial_fax/fax_normal_204x98.tif", "icd10", "I87.2"): "reads '187.2': I as 1",
    ("vein_ablation_commercial_fax/fax_normal_204x98.tif", "icd10", "I82.412"): "reads '182.412': I as 1",
    ("sleep_partial_ocr_scan/consult_scan_partial_ocr.pdf", "icd10", "I10"): "reads '(110)': I as 1",
    ("sleep_partial_ocr_scan/consult_scan_partial_ocr.pdf", "icd10", "Z68.33"): "reads '(268.33)': Z as 2",
    ("sleep_partial_ocr_scan/consult_scan_partial_ocr.pdf", "icd10", "R06.83"): "reads '(ROG. 83)'",
    ("sleep_partial_ocr_scan/consult_scan_partial_ocr.pdf", "icd10", "G25.81"): "reads '(G25. 81)'",
    ("sleep_ma_card_photo_lab_scan/lab_report_scan.pdf", "icd10", "I50.22"): "reads 'Dx codes: E11.65. 150.22': I as 1",
    ("sleep_photo_incomplete/photo_order_rotated270.jpg", "icd10", "R06.83"): "reads 'RO6.83': zero as O",
    ("sleep_scans_150_600_no_epworth/order_scan_150dpi.pdf", "icd10", "R06.83"): "reads 'RO06.83'",
    ("sleep_tiff_alpha_mixed_sizes/consult_export_rgba.tif", "icd10", "I26.99"): "page 1 reads '(126.99)': I as 1",
    ("sleep_tiff_alpha_mixed_sizes/consult_export_rgba.tif", "icd10", "I10"): "page 1 reads 'Hypertension (110)': I as 1",
}


def _sample_files() -> list[tuple[str, dict[str, Any], list[dict[str, Any]]]]:
    """(case/file, case.json entry, truth documents of that file) for every sample file."""
    out = []
    for case_json in sorted(SAMPLES.glob("*/case.json")):
        case = json.loads(case_json.read_text(encoding="utf-8"))
        truth = json.loads((case_json.parent / "truth.json").read_text(encoding="utf-8"))
        for entry in case["files"]:
            docs = [d for d in truth["documents"] if d["file"] == entry["file"]]
            out.append((f"{case['case_id']}/{entry['file']}", entry, docs))
    return out


FILES = _sample_files()


@cache
def read(name: str) -> tuple[Page, ...]:
    _kind, pages = read_pages((SAMPLES / name).read_bytes(), ocr=OcrSettings(workers=2))
    return tuple(pages)


def expected_methods(entry: dict[str, Any], pages: int) -> list[str]:
    """How each page must be read: text PDFs from their text layer unless it is glyph soup, a
    form from its fields, a mixed PDF per page, everything else (scans under any text layer,
    faxes, TIFFs, photos) by OCR."""
    fmt = entry["format"]
    if fmt == "text_pdf":
        return ["ocr" if entry.get("layer") == "glyph_soup" else "text_layer"] * pages
    if fmt == "form_pdf":
        return ["form_field"] * pages
    if fmt == "mixed_pdf":
        return ["ocr" if n in entry["scanned_pages"] else "text_layer" for n in range(1, pages + 1)]
    return ["ocr"] * pages


def expected_turn(entry: dict[str, Any]) -> int:
    """The clockwise turn the reader must report. With an EXIF (or HEIC) orientation the image is
    made upright before OCR, so nothing is left to turn."""
    if "exif_orientation" in entry:
        return 0
    return entry.get("rotation", 0)


@pytest.mark.parametrize(("name", "entry", "docs"), FILES, ids=[f[0] for f in FILES])
def test_pages_and_how_each_is_read(name: str, entry: dict[str, Any], docs: list[dict[str, Any]]) -> None:
    pages = read(name)
    assert len(pages) == max(d["page_range"][1] for d in docs)
    assert [p.method for p in pages] == expected_methods(entry, len(pages)), [p.decision for p in pages]
    assert all(p.error is None for p in pages), [p.error for p in pages]


@pytest.mark.parametrize(("name", "entry", "docs"), FILES, ids=[f[0] for f in FILES])
def test_pages_are_turned_upright(name: str, entry: dict[str, Any], docs: list[dict[str, Any]]) -> None:
    pages = read(name)
    assert [p.rotation for p in pages] == [expected_turn(entry)] * len(pages), [p.decision for p in pages]


def _values() -> list[Any]:
    """One check per labelled member ID, CPT/HCPCS code and ICD-10 code of each file."""
    out = []
    for name, _entry, docs in FILES:
        seen: set[tuple[str, str]] = set()
        for doc in docs:
            fields = doc["fields"]
            wanted = [("member_id", v) for v in fields.get("member_id", [])]
            wanted += [("cpt", v) for v in fields.get("cpt", []) + fields.get("hcpcs", [])]
            wanted += [("icd10", v["code"]) for v in fields.get("icd10", [])]
            for field, value in wanted:
                if (field, value) in seen:
                    continue
                seen.add((field, value))
                misread = KNOWN_MISREADS.get((name, field, value))
                marks = [pytest.mark.xfail(strict=True, reason=f"reader: {misread}")] if misread else []
                out.append(pytest.param(name, field, value, marks=marks, id=f"{name}::{field}={value}"))
    return out


def _found(field: str, value: str, text: str) -> bool:
    if field == "member_id":  # printed with spaces or dashes; labelled without
        return value in re.sub(r"[\s-]", "", text).upper()
    if field == "icd10":  # dotted as printed, or without the dot
        pattern = re.escape(value).replace(r"\.", r"\.?")
        return re.search(rf"(?<![A-Z0-9]){pattern}(?![0-9])", text.upper()) is not None
    return re.search(rf"(?<![0-9]){re.escape(value)}(?![0-9])", text.upper()) is not None


def test_known_misreads_name_labelled_values() -> None:
    labelled = {(v.values[0], v.values[1], v.values[2]) for v in _values()}
    assert set(KNOWN_MISREADS) <= labelled


@pytest.mark.parametrize(("name", "field", "value"), _values())
def test_labelled_value_is_in_the_read_text(name: str, field: str, value: str) -> None:
    text = "\n".join(p.text for p in read(name))
    assert _found(field, value, text), f"{field} {value} not in the text read from {name}"
