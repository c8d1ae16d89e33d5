"""An invisible text layer over OCRed pages, so the payer's reviewer can search and copy.

Each OCR word is drawn in text render mode 3 (invisible) over its box. Word boxes are fractions
of the upright page image; the packet page may still hold its content the other way round (a
PDF /Rotate shows it upright), so boxes are mapped back into the page's own coordinates and the
text is turned with them.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

import pikepdf
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from extractors.models import Page

FONT = "Helvetica"


def _to_content(u: float, v: float, turn: int) -> tuple[float, float]:
    """A point of the upright page (fractions, y down) in the unturned content (fractions, y down),
    for content shown turned `turn` degrees clockwise."""
    if turn == 90:
        return v, 1 - u
    if turn == 180:
        return 1 - u, 1 - v
    if turn == 270:
        return 1 - v, u
    return u, v


def overlay_page(words_page: Page, *, width: float, height: float, turn: int) -> bytes | None:
    """A one-page PDF of `width` x `height` points (the page's unturned size) with the words
    of `words_page` invisible at their places; None when there are no words."""
    words = [w for w in words_page.words if w.text.strip()]
    if not words:
        return None
    upright_w, upright_h = (height, width) if turn in (90, 270) else (width, height)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(width, height), invariant=1)
    for word in words:
        u0, v0, u1, v1 = word.bbox
        size = max((v1 - v0) * upright_h, 1.0)
        span = max((u1 - u0) * upright_w, 1.0)
        # The baseline runs from the word's lower-left to its lower-right corner (upright view).
        x0, y0 = _to_content(u0, v1, turn)
        x1, y1 = _to_content(u1, v1, turn)
        px0, py0 = x0 * width, (1 - y0) * height
        px1, py1 = x1 * width, (1 - y1) * height
        angle = math.degrees(math.atan2(py1 - py0, px1 - px0))
        natural = stringWidth(word.text, FONT, size) or 1.0
        text = c.beginText()
        text.setTextRenderMode(3)
        text.setFont(FONT, size)
        text.setHorizScale(100 * span / natural)
        c.saveState()
        c.translate(px0, py0)
        c.rotate(angle)
        text.setTextOrigin(0, size * 0.2)  # lift off the box bottom a little: descenders
        text.textOut(word.text + " ")
        c.drawText(text)
        c.restoreState()
    c.showPage()
    c.save()
    return buf.getvalue()


def _place_layer(doc: pikepdf.Pdf, page: pikepdf.Page, layer: pikepdf.Page, rect: pikepdf.Rectangle) -> None:
    """Draw `layer` over `page` in the page's unturned space (overlay_page already turned the
    words), under a fixed resource name: pikepdf's add_overlay picks a random one (the packet
    must be byte-identical for the same inputs) and would turn the layer by /Rotate again."""
    formx = doc.copy_foreign(layer.as_form_xobject())
    existing = page.obj.get("/Resources", {}).get("/XObject", {})
    n = 0
    while f"/PrecertOcr{n}" in existing:
        n += 1
    name = pikepdf.Name(f"/PrecertOcr{n}")
    page.add_resource(formx, pikepdf.Name.XObject, name)
    placement = page.calc_form_xobject_placement(formx, name, rect, invert_transformations=False)
    # The page's own content may leave its graphics state changed: keep it inside q ... Q.
    page.contents_add(pikepdf.Stream(doc, b"q\n"), prepend=True)
    page.contents_add(pikepdf.Stream(doc, b"\nQ\nq\n" + bytes(placement) + b"\nQ\n"), prepend=False)


def add_text_layer(pdf: bytes, first_file_page: int, pages: Sequence[Page]) -> bytes:
    """Put the OCR words of `pages` (file page indexes) over the matching pages of `pdf`, which
    starts at file page `first_file_page` (1-based). Pages read from a text layer are left alone.

    Each layer goes on as a form XObject (qpdf): the page's own content stream, which may be a
    big scan's, is neither parsed nor rewritten, and its images stay as they were stored."""
    by_file_page = {p.index + 1: p for p in pages if p.method == "ocr" and p.words}
    if not by_file_page:
        return pdf
    layers = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for i, page in enumerate(doc.pages):
            source = by_file_page.get(first_file_page + i)
            if source is None:
                continue
            box = page.cropbox  # what PDFium rendered for OCR, and what a viewer shows
            x0, y0, x1, y1 = (float(v) for v in box)
            turn = int(page.obj.get("/Rotate", 0) or 0) % 360
            overlay = overlay_page(source, width=abs(x1 - x0), height=abs(y1 - y0), turn=turn)
            if overlay is None:
                continue
            layer = pikepdf.open(io.BytesIO(overlay))
            layers.append(layer)  # open until the target is saved: its objects are copied then
            rect = pikepdf.Rectangle(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
            _place_layer(doc, page, layer.pages[0], rect)
        if not layers:
            return pdf
        out = io.BytesIO()
        doc.save(out, deterministic_id=True)
    for layer in layers:
        layer.close()
    return out.getvalue()
