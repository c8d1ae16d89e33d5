"""Lines the page layout dropped: found from the ink, read again, merged in reading order; and
OCR-garbled section headers still open their section."""

from __future__ import annotations

from PIL import Image, ImageDraw

from extractors.dropped_lines import ink_bands, merge_line, uncovered_bands
from extractors.models import Page
from extractors.pagetext import PageText
from extractors.tesseract import OcrResult, OcrWord


def _word(text: str, left: int, top: int, *, height: int = 20, conf: float = 0.95, block: int = 1, line: int = 0) -> OcrWord:
    return OcrWord(text, left, top, 12 * len(text), height, conf, block, line)


def test_ink_bands_span_a_dropped_scan_line() -> None:
    image = Image.new("L", (400, 200), 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 50, 300, 70), fill=0)
    draw.line((0, 60, 400, 60), fill=255)  # a fax drops a scan line across the text
    draw.rectangle((20, 120, 300, 140), fill=0)
    assert ink_bands(image) == [(50, 71), (120, 141)]


def test_a_band_only_specks_sit_on_is_uncovered() -> None:
    words = [_word(f"word{i}", 20, 100 + 40 * i, line=i) for i in range(6)]
    specks = [_word("vad", 20, 500, height=10, conf=0.5, line=9)]
    result = OcrResult((*words, *specks), 800, 1000)
    bands = [(100 + 40 * i, 120 + 40 * i) for i in range(6)] + [(498, 520), (700, 900)]
    assert uncovered_bands(result, bands) == [(498, 520)]  # (700, 900) is a picture, too tall


def test_a_clearly_read_line_replaces_the_specks_in_reading_order() -> None:
    above = _word("Assessment", 20, 100, block=1, line=0)
    specks = _word("vad", 20, 200, height=10, conf=0.5, block=2, line=1)
    below = _word("Hypertension", 20, 300, block=3, line=2)
    result = OcrResult((above, specks, below), 800, 1000)
    line = OcrResult((_word("Past", 10, 6), _word("Medical", 70, 6), _word("History", 160, 6)), 800, 32)
    merged = merge_line(result, (196, 222), line, pad=6)
    assert [w.text for w in merged.words] == ["Assessment", "Past", "Medical", "History", "Hypertension"]
    assert {w.top for w in merged.words[1:4]} == {196}


def test_a_line_read_without_confidence_is_not_kept() -> None:
    result = OcrResult((_word("Assessment", 20, 100),), 800, 1000)
    scribble = OcrResult((_word("~~", 10, 6, conf=0.2), _word("l1", 40, 6, conf=0.4)), 800, 32)
    assert merge_line(result, (196, 222), scribble, pad=6) is result


def test_an_ocr_garbled_header_still_opens_its_section() -> None:
    text = "HPI\nBack pain for 3 weeks.\nPast Medica! History\nHyperlipidemia (E78.5).\n"
    page = Page(index=0, text=text, method="ocr")
    section = PageText(page).section_at(text.index("Hyperlipidemia"))
    assert section is not None and section.category == "historical"
    # A text layer is not OCR: its headers are taken as printed.
    assert PageText(Page(index=0, text=text, method="text_layer")).section_at(text.index("Hyperlipidemia")).category == "present"
