"""Limits and damage are refused with clear errors before any OCR runs."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from extractors.errors import DamagedFileError, EncryptedPdfError, ImageTooLargeError, TooManyPagesError
from extractors.reader import ReadLimits, inspect_file, read_pages
from tests.docmaker import blank_png, encrypted_pdf, png_page, text_pdf


def test_decompression_bomb_is_refused() -> None:
    bomb = blank_png(20000, 20000)  # 400 megapixels in a few kilobytes
    assert len(bomb) < 200_000
    with pytest.raises(ImageTooLargeError) as info:
        inspect_file(bomb)
    assert "megapixels" in str(info.value)


def test_truncated_image_is_damaged() -> None:
    data = png_page()
    with pytest.raises(DamagedFileError):
        inspect_file(data[: len(data) // 2])


def test_too_many_tiff_pages() -> None:
    frames = [Image.new("1", (200, 200), 1) for _ in range(3)]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:], compression="group4")
    with pytest.raises(TooManyPagesError):
        inspect_file(buf.getvalue(), limits=ReadLimits(max_pages=2))
    assert inspect_file(buf.getvalue()).pages == 3


def test_too_many_pdf_pages() -> None:
    with pytest.raises(TooManyPagesError) as info:
        inspect_file(text_pdf(pages=4), limits=ReadLimits(max_pages=3))
    assert "4 pages" in str(info.value) and "limit is 3" in str(info.value)


def test_encrypted_pdf_with_a_password_is_refused() -> None:
    with pytest.raises(EncryptedPdfError):
        read_pages(encrypted_pdf())


def test_pdf_encrypted_with_an_empty_user_password_is_read() -> None:
    data = encrypted_pdf(password="")
    _kind, pages = read_pages(data)
    assert "XKJ812345678" in pages[0].text


def test_text_pdf_pages_are_read_from_the_text_layer_with_boxes() -> None:
    _kind, pages = read_pages(text_pdf(pages=2))
    assert [p.method for p in pages] == ["text_layer", "text_layer"]
    word = next(w for w in pages[0].words if w.text == "XKJ812345678")
    x0, y0, x1, y1 = word.bbox
    assert 0 < x0 < x1 < 1 and 0 < y0 < y1 < 0.5  # near the top of the page, top-left origin
    assert pages[0].text[word.start : word.end] == "XKJ812345678"


def test_a_giant_pdf_page_is_refused_at_intake() -> None:
    import io

    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(200 * 72, 200 * 72))  # 200 x 200 inches
    c.drawString(72, 72, "tiny")
    c.showPage()
    c.save()
    with pytest.raises(ImageTooLargeError) as info:
        inspect_file(buf.getvalue())
    assert "Page 1 of the PDF is 200 x 200 inches" in str(info.value)


def test_a_truncated_pdf_is_repaired_and_read() -> None:
    data = text_pdf(pages=3)
    cut = data[: int(len(data) * 0.7)]  # a download that stopped early
    assert inspect_file(cut).pages == 3
    _kind, pages = read_pages(cut)
    assert "XKJ812345678" in pages[0].text


def test_a_truncated_pdf_still_goes_into_the_packet() -> None:
    from packet_builder.pages import open_source, render_pages

    data = text_pdf(pages=3)
    source = open_source(data[: int(len(data) * 0.7)], "application/pdf")
    assert source.problem is None and source.page_count == 3
    _pdf, problems = render_pages(source, 1, 3, title="order")
    assert problems == []


def test_garbage_that_starts_like_a_pdf_is_damaged() -> None:
    with pytest.raises(DamagedFileError):
        inspect_file(b"%PDF-1.7\n" + bytes(range(256)) * 40)


@pytest.mark.parametrize("turn", [0, 90, 180, 270])
def test_text_layer_boxes_are_fractions_of_the_page_as_shown(turn: int) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(text_pdf()))
    page = writer.pages[0]
    page.cropbox.lower_left = (36, 36)  # a crop box, as scanners and editors leave
    page.rotate(turn)
    out = io.BytesIO()
    writer.write(out)
    _kind, pages = read_pages(out.getvalue())
    word = next(w for w in pages[0].words if w.text == "XKJ812345678")
    assert all(0 <= v <= 1 for v in word.bbox), word.bbox
    x0, y0, _x1, _y1 = word.bbox
    # The member ID sits near the top left of the unturned page; shown turned, it moves with it.
    expected_corner = {0: "top-left", 90: "top-right", 180: "bottom-right", 270: "bottom-left"}[turn]
    corner = ("top" if y0 < 0.5 else "bottom") + "-" + ("left" if x0 < 0.5 else "right")
    assert corner == expected_corner


def test_a_truncated_last_fax_page_costs_only_that_page() -> None:
    frames = [Image.new("L", (1200, 1600), 255) for _ in range(3)]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:], compression="raw")
    data = buf.getvalue()
    cut = data[: len(data) - 1200 * 1600 // 2]  # half of the last frame's pixels are gone
    _kind, pages = read_pages(cut)
    assert len(pages) == 3
    assert pages[0].error is None and pages[1].error is None
    assert pages[2].error and "could not be decoded" in pages[2].error
