"""The small stamp on every packet page ("Case <id> · v<N> · page i of n").

One reportlab overlay with a page of the same size per packet page, merged with pypdf. Page
rotation is moved into the content first so the stamp sits at the bottom of the page as seen.
"""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter, Transformation
from reportlab.pdfgen import canvas

FONT, SIZE, MARGIN = "Helvetica", 6.5, 4.0


def stamp_text(case_id: str, version: int, page: int, total: int) -> str:
    return f"Case {case_id} \u00b7 v{version} \u00b7 page {page} of {total}"


def stamp_pages(writer: PdfWriter, *, case_id: str, version: int) -> None:
    pages = list(writer.pages)
    total = len(pages)
    boxes = []
    for page in pages:
        if page.rotation % 360:
            page.transfer_rotation_to_content()
        box = page.cropbox  # the visible area; defaults to the media box
        boxes.append((float(box.left), float(box.bottom), float(box.width), float(box.height)))

    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    for i, (_, _, w, h) in enumerate(boxes, start=1):
        c.setPageSize((w, h))
        text = stamp_text(case_id, version, i, total)
        tw = c.stringWidth(text, FONT, SIZE)
        x, y = w - tw - MARGIN - 2, MARGIN
        c.setFillColorRGB(1, 1, 1)
        c.rect(x - 2, y - 1.5, tw + 4, SIZE + 3, stroke=0, fill=1)  # readable over scans
        c.setFillColorRGB(0.2, 0.2, 0.2)
        c.setFont(FONT, SIZE)
        c.drawString(x, y + 0.5, text)
        c.showPage()
    c.save()
    overlay = PdfReader(io.BytesIO(buf.getvalue()))
    for page, stamp, (left, bottom, _, _) in zip(pages, overlay.pages, boxes, strict=False):
        page.merge_transformed_page(stamp, Transformation().translate(left, bottom))
