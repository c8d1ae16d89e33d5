"""PDFs that combine page images with text, which a reader must not trust blindly:

- a scan carrying an earlier OCR's invisible text layer (render mode 3) that is useless:
  glyph soup (a font with no way back to Unicode) or a layer covering only the top of the page;
- a file mixing text-layer pages with scanned pages (a signed page printed, signed, scanned
  and appended by the EHR).
"""

from __future__ import annotations

import io
import random

from PIL import Image

from sample_docs.degrade import draw_scan, scan_image
from sample_docs.fonts import FONTS
from sample_docs.layout import LaidOutPage, Run, draw_ops, new_canvas

LAYERS = ("glyph_soup", "partial_ocr")
# An earlier OCR engine's typical confusions, applied to its invisible layer only.
_MISREADS = (("l", "1"), ("O", "0"), ("m", "rn"), ("S", "5"), ("e", "c"), ("B", "8"))


def _misread(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    for i, word in enumerate(words):
        if len(word) > 3 and rng.random() < 0.2:
            for a, b in rng.sample(_MISREADS, len(_MISREADS)):
                if a in word:
                    words[i] = word.replace(a, b, 1)
                    break
    return " ".join(words)


def _invisible_layer(c, runs: list[Run], *, layer: str, page_height: float, rng: random.Random) -> None:
    text = c.beginText()
    text.setTextRenderMode(3)  # neither filled nor stroked: searchable, not visible
    for run in runs:
        if layer == "glyph_soup":
            bold = run.font.endswith("Bold")
            font, words = FONTS["VeraSoup"][1 if bold else 0], run.text
        else:
            if run.y < page_height * 2 / 3:  # the earlier OCR gave up after the top third
                continue
            font, words = "Helvetica", _misread(run.text, rng)
        text.setFont(font, run.size)
        text.setTextOrigin(run.x, run.y)
        text.textOut(words)
    c.drawText(text)


def make_layered_scan_pdf(
    pages: list[LaidOutPage],
    images: list[Image.Image],
    *,
    dpi: int,
    rng: random.Random,
    layer: str,
    skew: float | None = None,
    quality: int = 40,
) -> bytes:
    """Scanned pages, each under an invisible text layer of the kind `layer` names."""
    if layer not in LAYERS:
        raise ValueError(f"unknown text layer {layer!r}")
    buf = io.BytesIO()
    c = new_canvas(buf, title="Scanned document", creator="Synthetic scan-to-searchable-PDF")
    for page, image in zip(pages, images, strict=True):
        img, _angle = scan_image(image, dpi=dpi, rng=rng, skew=skew)
        draw_scan(c, img, dpi=dpi, quality=quality)
        _invisible_layer(c, [op for op in page.ops if isinstance(op, Run)], layer=layer, page_height=page.size[1], rng=rng)
        c.showPage()
    c.save()
    return buf.getvalue()


def make_mixed_pdf(
    pages: list[LaidOutPage], images: dict[int, Image.Image], *, dpi: int, rng: random.Random, quality: int = 40
) -> bytes:
    """Text pages drawn as text, and the pages in `images` (0-based file page -> rendering) as
    scans."""
    buf = io.BytesIO()
    c = new_canvas(buf, title="Synthetic sample document", author="precert-intake sample_docs")
    for index, page in enumerate(pages):
        if index in images:
            img, _angle = scan_image(images[index], dpi=dpi, rng=rng)
            draw_scan(c, img, dpi=dpi, quality=quality)
        else:
            draw_ops(c, page.ops)
        c.showPage()
    c.save()
    return buf.getvalue()
