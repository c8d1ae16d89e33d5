"""Every sample format read with the real Tesseract: page counts right, rotation fixed, the
identifiers and codes in the text."""

from __future__ import annotations

import json
import re

import pytest

from extractors.reader import read_pages
from tests.conftest import SAMPLES

pytestmark = pytest.mark.integration


def _sample_files() -> list[tuple[str, dict, dict]]:
    out = []
    for case_json in sorted(SAMPLES.glob("*/case.json")):
        case = json.loads(case_json.read_text())
        truth = json.loads((case_json.parent / "truth.json").read_text())
        for f in case["files"]:
            if f["format"] != "text_pdf":
                docs = [d for d in truth["documents"] if d["file"] == f["file"]]
                out.append((f"{case['case_id']}/{f['file']}", f, {"documents": docs}))
    return out


def _squash(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", text.upper())


@pytest.mark.parametrize(("name", "spec", "truth"), _sample_files(), ids=[n for n, _, _ in _sample_files()])
def test_ocr_reads_the_sample(name: str, spec: dict, truth: dict) -> None:
    data = (SAMPLES / name).read_bytes()
    _kind, pages = read_pages(data)
    expected_pages = max(d["page_range"][1] for d in truth["documents"])
    assert len(pages) == expected_pages
    assert all(p.method == "ocr" for p in pages)
    text = _squash("\n".join(p.text for p in pages))
    for doc in truth["documents"]:
        member_ids = doc["fields"].get("member_id", [])
        if member_ids:
            assert any(_squash(m) in text for m in member_ids), f"no member ID of {member_ids} in the OCR text"
        for code in doc["fields"].get("cpt", []):
            assert code in text
    # Upright text reads as words; a sideways page gives OCR noise with low confidence.
    assert sum(p.confidence for p in pages) / len(pages) > 0.6, [p.decision for p in pages]


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_a_turned_scan_is_read_upright_and_the_turn_recorded(turn: int) -> None:
    import io

    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument((SAMPLES / "mri_complete_text" / "progress_note.pdf").read_bytes())
    image = pdf[0].render(scale=200 / 72, grayscale=True).to_pil().rotate(-turn, expand=True)  # turned clockwise
    buf = io.BytesIO()
    image.save(buf, format="PNG", dpi=(200, 200))
    _kind, pages = read_pages(buf.getvalue())
    # Turned `turn` degrees clockwise, the page needs the rest of the circle to read upright.
    assert pages[0].rotation == (360 - turn) % 360, pages[0].decision
    assert "PROGRESS NOTE" in pages[0].text.upper()
    assert pages[0].confidence > 0.8


def test_parallel_ocr_gives_the_same_pages_in_order() -> None:
    from extractors.ocr_page import OcrSettings

    data = (SAMPLES / "mri_red_flag_fax_fine" / "fax_fine_204x196.tif").read_bytes()
    _kind, one = read_pages(data, ocr=OcrSettings(workers=1))
    _kind, two = read_pages(data, ocr=OcrSettings(workers=2))
    assert [p.index for p in two] == list(range(len(one)))
    assert [p.text for p in two] == [p.text for p in one]
