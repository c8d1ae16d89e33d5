"""Input kinds a clinic sends, each read with the real Tesseract: HEIC photos, TIFFs with alpha
and mixed page sizes, PDFs mixing text and scanned pages, glyph-soup text layers."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from extractors.reader import read_pages
from tests.docmaker import ORDER_LINES, text_pdf

pytestmark = pytest.mark.integration


def _page_image(dpi: int = 200, lines: list[str] = ORDER_LINES) -> Image.Image:
    return pdfium.PdfDocument(text_pdf(lines))[0].render(scale=dpi / 72, grayscale=True).to_pil()


def test_heic_photo_is_read() -> None:
    pytest.importorskip("pillow_heif").register_heif_opener()
    buf = io.BytesIO()
    _page_image().convert("RGB").save(buf, format="HEIF", quality=90)
    kind, pages = read_pages(buf.getvalue())
    assert kind.content_type == "image/heic"
    assert "XKJ812345678" in pages[0].text.replace(" ", "")


def test_tiff_with_alpha_and_mixed_page_sizes_keeps_every_page() -> None:
    first = _page_image(200).convert("RGBA")
    second = _page_image(150, ["PROGRESS NOTE", "Member ID: QZT445566778", "Low back pain for nine weeks."]).convert("RGBA")
    second = second.resize((second.width, second.height // 2 * 2))
    third = Image.new("RGBA", (800, 400), (255, 255, 255, 0))  # a transparent, empty last page
    buf = io.BytesIO()
    first.save(buf, format="TIFF", save_all=True, append_images=[second, third], compression="tiff_deflate")
    _kind, pages = read_pages(buf.getvalue())
    assert len(pages) == 3
    assert "XKJ812345678" in pages[0].text.replace(" ", "")
    assert "QZT445566778" in pages[1].text.replace(" ", "")
    assert pages[2].text.strip() == ""  # transparent areas read as white paper, not black


def test_pdf_mixing_text_and_scanned_pages_decides_per_page() -> None:
    scanned = io.BytesIO()
    _page_image(200).save(scanned, format="PDF", resolution=200)
    writer = PdfWriter()
    for part in (text_pdf(), scanned.getvalue()):
        for page in PdfReader(io.BytesIO(part)).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    _kind, pages = read_pages(out.getvalue())
    assert [p.method for p in pages] == ["text_layer", "ocr"]
    assert all("XKJ812345678" in p.text.replace(" ", "") for p in pages)


def test_glyph_soup_text_layer_is_ocred() -> None:
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=1)
    c.drawImage(ImageReader(_page_image(200)), 0, 0, width=letter[0], height=letter[1])
    text = c.beginText(72, 700)
    text.setTextRenderMode(3)  # an invisible layer from a bad earlier OCR, as unmapped glyphs
    text.textLine("(cid:12)(cid:44)(cid:3)(cid:17) " * 6)
    c.drawText(text)
    c.showPage()
    c.save()
    _kind, pages = read_pages(buf.getvalue())
    assert pages[0].method == "ocr" and "glyph soup" in pages[0].decision
    assert "XKJ812345678" in pages[0].text.replace(" ", "")


def test_heic_photo_becomes_a_packet_page() -> None:
    pytest.importorskip("pillow_heif").register_heif_opener()
    from packet_builder.pages import open_source, render_pages

    buf = io.BytesIO()
    _page_image().convert("RGB").save(buf, format="HEIF", quality=90)
    source = open_source(buf.getvalue(), "image/heic")
    pdf, problems = render_pages(source, 1, 1, title="photo")
    assert problems == [] and len(PdfReader(io.BytesIO(pdf)).pages) == 1


@pytest.mark.parametrize(("dpi", "rendered"), [(150, 300), (200, 200), (300, 300), (600, 300)])
def test_scans_at_low_and_high_resolution_are_read(dpi: int, rendered: int) -> None:
    """A scan is read at its own resolution where that suits Tesseract, enlarged when its
    letters are too small, reduced when more pixels would only cost time."""
    buf = io.BytesIO()
    _page_image(dpi).save(buf, format="PDF", resolution=dpi)
    _kind, pages = read_pages(buf.getvalue())
    assert pages[0].method == "ocr"
    assert f"rendered at {rendered} DPI (scanned at {dpi})" in pages[0].decision
    assert "XKJ812345678" in pages[0].text.replace(" ", "")
    assert "72148" in pages[0].text


def test_a_page_that_times_out_is_empty_with_a_reason_not_a_failure() -> None:
    from extractors.ocr_page import OcrSettings

    buf = io.BytesIO()
    _page_image(200).save(buf, format="PNG")
    _kind, pages = read_pages(buf.getvalue(), ocr=OcrSettings(timeout_s=0.01))
    assert len(pages) == 1 and pages[0].text == ""
    assert "timed out" in (pages[0].error or "")


def test_scan_with_an_earlier_ocr_layer_over_half_the_page_is_read_again() -> None:
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    lines = [*ORDER_LINES[:4], *(["filler line of the note body"] * 10), "Member ID: QZT445566778 (second patient block)"]
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=1)
    c.drawImage(ImageReader(_page_image(200, lines)), 0, 0, width=letter[0], height=letter[1])
    text = c.beginText(60, 720)
    text.setTextRenderMode(3)  # the earlier OCR reached only the top lines
    text.setFont("Helvetica", 11)
    for line in lines[:4]:
        text.textLine(line)
    c.drawText(text)
    c.showPage()
    c.save()
    _kind, pages = read_pages(buf.getvalue())
    assert pages[0].method == "ocr", pages[0].decision
    assert "QZT445566778" in pages[0].text.replace(" ", "")
