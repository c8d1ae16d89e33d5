"""A document's blocks to a text-layer PDF with reportlab, and the exact strings drawn (the
audit reads those, so it checks what is on the page, wrapped as it is on the page)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from .documents import Doc
from .draw import Draw

FONTS = (("Helvetica", "Helvetica-Bold"), ("Times-Roman", "Times-Bold"), ("Courier", "Courier-Bold"))


@dataclass
class Rendered:
    pdf: bytes
    strings: list[list[str]]  # per page, every string drawn


def render(doc: Doc, draw: Draw) -> Rendered:
    regular, bold = draw.pick(FONTS)
    size = draw.pick((9.5, 10.0, 10.5, 11.0))
    width, height = letter
    margin = draw.pick((54, 64, 72))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=1)
    c.setTitle(doc.file)
    pages: list[list[str]] = [[]]
    y = height - margin
    lead = size * 1.35

    def need(lines: int) -> None:
        nonlocal y
        if y - lines * lead < margin:
            c.showPage()
            pages.append([])
            y = height - margin

    def text(x: float, s: str, font: str, fsize: float) -> None:
        c.setFont(font, fsize)
        c.drawString(x, y, s)
        pages[-1].append(s)

    usable = width - 2 * margin
    for block in doc.blocks:
        if block.kind == "title":
            need(2)
            text(margin, block.data, bold, size + 3)
            y -= lead * 1.5
        elif block.kind == "heading":
            need(2)
            y -= lead * 0.3
            text(margin, block.data, bold, size + 0.5)
            y -= lead
        elif block.kind in ("line", "prose"):
            for part in simpleSplit(block.data, regular, size, usable):
                need(1)
                text(margin, part, regular, size)
                y -= lead
        elif block.kind == "kvrow":
            col = usable / max(1, len(block.data))
            if all(c.stringWidth(cell, regular, size) < col - 8 for cell in block.data):
                need(1)
                for i, cell in enumerate(block.data):
                    text(margin + i * col, cell, regular, size)
                y -= lead
            else:  # too wide side by side: one cell a line
                for cell in block.data:
                    for part in simpleSplit(cell, regular, size, usable):
                        need(1)
                        text(margin, part, regular, size)
                        y -= lead
        elif block.kind in ("bullets", "numbered"):
            for i, item in enumerate(block.data, start=1):
                mark = f"{i}." if block.kind == "numbered" else "-"
                parts = simpleSplit(item, regular, size, usable - 18)
                for k, part in enumerate(parts):
                    need(1)
                    if k == 0:
                        text(margin, mark, regular, size)
                    text(margin + 18, part, regular, size)
                    y -= lead
        elif block.kind == "table":
            header, rows = block.data["header"], block.data["rows"]
            n = len(header)
            weights = [max(len(str(r[i])) for r in [header, *rows]) + 4 for i in range(n)]
            total = sum(weights)
            widths = [usable * w / total for w in weights]
            for r, row in enumerate([header, *rows]):
                cells = [simpleSplit(str(v), bold if r == 0 else regular, size, widths[i] - 6) or [""] for i, v in enumerate(row)]
                height_lines = max(len(cl) for cl in cells)
                need(height_lines)
                x = margin
                for i, cl in enumerate(cells):
                    yy = y
                    for part in cl:
                        c.setFont(bold if r == 0 else regular, size)
                        c.drawString(x, yy, part)
                        pages[-1].append(part)
                        yy -= lead
                    x += widths[i]
                y -= lead * height_lines
                if r == 0:
                    c.line(margin, y + lead * 0.7, margin + usable, y + lead * 0.7)
            y -= lead * 0.4
        elif block.kind == "spacer":
            y -= lead * 0.5
        else:
            raise ValueError(block.kind)
    c.showPage()
    c.save()
    return Rendered(buf.getvalue(), pages)
