"""OCR with the real Tesseract: turned pages, parallel workers. (Every sample file is read in
test_sample_inputs.py.)"""

from __future__ import annotations

import pytest

from extractors.reader import read_pages
from tests.conftest import SAMPLES

pytestmark = pytest.mark.integration


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
