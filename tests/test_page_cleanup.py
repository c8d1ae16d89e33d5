"""Deskew, speck removal and the render resolution: pure image functions, no Tesseract."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw

from extractors.page_cleanup import clean_page, estimate_skew, remove_specks, stroke_width, unskew_box
from extractors.pdf_pages import ocr_render_dpi
from tests.docmaker import ORDER_LINES, text_pdf


@pytest.fixture(scope="module")
def page() -> Image.Image:
    """A text page at 300 DPI, as a scan of it would look when straight."""
    return pdfium.PdfDocument(text_pdf(ORDER_LINES * 2))[0].render(scale=300 / 72, grayscale=True).to_pil()


@pytest.mark.parametrize("degrees", [-3.0, -1.5, 2.0, 4.5])
def test_skew_is_found(page: Image.Image, degrees: float) -> None:
    skewed = page.rotate(degrees, resample=Image.Resampling.BICUBIC, fillcolor=255)
    found = estimate_skew(skewed)
    assert found.degrees == pytest.approx(-degrees, abs=0.3)
    assert found.gain > 1.5


def test_a_straight_page_is_left_as_it_is(page: Image.Image) -> None:
    cleaned = clean_page(page)
    assert cleaned.skew == 0
    assert "deskewed" not in " ".join(cleaned.notes)


def test_a_skewed_page_is_straightened(page: Image.Image) -> None:
    cleaned = clean_page(page.rotate(2.5, resample=Image.Resampling.BICUBIC, fillcolor=255))
    assert cleaned.skew == pytest.approx(-2.5, abs=0.3)
    assert cleaned.image.size == page.size
    assert abs(estimate_skew(cleaned.image).degrees) <= 0.3


def test_a_page_without_text_lines_is_not_turned() -> None:
    blank = Image.new("L", (1000, 1300), 255)
    ImageDraw.Draw(blank).ellipse((200, 300, 800, 900), outline=0, width=6)
    assert clean_page(blank).skew == 0


def test_boxes_on_the_deskewed_image_map_back_onto_the_page() -> None:
    original = Image.new("L", (1200, 1600), 255)
    ImageDraw.Draw(original).rectangle((900, 200, 960, 240), fill=0)  # far from the centre
    degrees = 3.0
    turned = original.rotate(degrees, resample=Image.Resampling.NEAREST, fillcolor=255)
    box = Image.eval(turned, lambda v: 255 - v).getbbox()
    assert box is not None
    left, top, right, bottom = unskew_box(1200, 1600, degrees)(*box)
    assert left <= 900 + 4 and top <= 200 + 4 and right >= 960 - 4 and bottom >= 240 - 4
    assert right - left < 60 + 20 and bottom - top < 40 + 20


def _lines(width: int) -> Image.Image:
    image = Image.new("L", (600, 600), 255)
    draw = ImageDraw.Draw(image)
    for x in range(20, 580, 30):
        draw.rectangle((x, 20, x + width - 1, 580), fill=0)
    return image


@pytest.mark.parametrize("width", [2, 3, 5])
def test_stroke_width_is_measured(width: int) -> None:
    assert stroke_width(_lines(width)) == pytest.approx(width, rel=0.25)


def test_specks_go_and_strokes_stay() -> None:
    image = _lines(4)
    draw = ImageDraw.Draw(image)
    specks = [(35 + 30 * i, 300) for i in range(10)]
    for x, y in specks:
        draw.point((x, y), fill=0)
        draw.point((x + 1, y), fill=0)
    cleaned = remove_specks(image)
    assert all(cleaned.getpixel(p) == 255 for p in specks)
    # The strokes keep their inside (their corners may round off).
    assert cleaned.getpixel((21, 300)) == 0 and cleaned.getpixel((22, 100)) == 0


@pytest.mark.parametrize(
    ("scan_dpi", "rendered"),
    [(None, 300), (72, 300), (150, 300), (199, 300), (200, 200), (240, 240), (300, 300), (400, 400), (401, 300), (600, 300)],
)
def test_render_resolution(scan_dpi: float | None, rendered: int) -> None:
    assert ocr_render_dpi(scan_dpi) == rendered
