"""The small stamp on every packet page: "Case <id> v<N> (ref <R>) · Member <ID> · page i of n"
("... · part k of K · page i of n" in a part). A page that gets separated from the rest (a fax
page, a printout) still says whose it is and where it belongs.

One reportlab overlay with a page of the same size per packet page, merged with pypdf. Page
rotation is moved into the content first so the stamp sits at the bottom of the page as seen.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter, Transformation
from reportlab.pdfgen import canvas

# The box is as tall as before (9.5 pt, in the bottom 12 pt of the page, where scans and faxes
# rarely print anything); the longer text only widens it to the left.
FONT, SIZE, MARGIN = "Helvetica", 6.0, 4.0


@dataclass(frozen=True)
class StampLabel:
    """What identifies the packet on each of its pages."""

    case_id: str
    version: int
    reference: str | None = None  # the staff's own reference of the case
    member_id: str | None = None
    part: tuple[int, int] | None = None  # (k, K) when the pages belong to part k of K


def stamp_text(label: StampLabel, page: int, total: int) -> str:
    parts = [f"Case {label.case_id} v{label.version}" + (f" (ref {label.reference})" if label.reference else "")]
    if label.member_id:
        parts.append(f"Member {label.member_id}")
    if label.part:
        parts.append(f"part {label.part[0]} of {label.part[1]}")
    parts.append(f"page {page} of {total}")
    return " \u00b7 ".join(parts)


def stamp_pages(writer: PdfWriter, label: StampLabel) -> None:
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
        text = stamp_text(label, i, total)
        tw = c.stringWidth(text, FONT, SIZE)
        x, y = max(w - tw - MARGIN - 2, 2.0), MARGIN
        c.setFillColorRGB(1, 1, 1)
        c.rect(x - 2, y - 1.5, tw + 4, 9.5, stroke=0, fill=1)  # readable over scans
        c.setFillColorRGB(0.2, 0.2, 0.2)
        c.setFont(FONT, SIZE)
        c.drawString(x, y + 1.0, text)
        c.showPage()
    c.save()
    overlay = PdfReader(io.BytesIO(buf.getvalue()))
    for page, stamp, (left, bottom, _, _) in zip(pages, overlay.pages, boxes, strict=False):
        page.merge_transformed_page(stamp, Transformation().translate(left, bottom))
