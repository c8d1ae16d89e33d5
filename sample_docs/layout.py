"""Lay out synthetic clinical documents and draw them as text PDFs with reportlab.

Layout and drawing are separate steps: `layout_document` turns a `Document` into pages of
positioned text runs (so the page count is known before "Page i of n" is drawn),
`lay_out_file` adds the footers and fax header of a whole file, and `draw_file` draws one or
more documents into one PDF and returns, per document, the exact text drawn on each page (the
OCR reference text of truth.json). `draw_ops` is shared with the PDFs that mix page images and
text (`hybrid.py`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from sample_docs.fonts import FONTS

PAGE_W, PAGE_H = letter
MARGIN_X = 54.0
BOTTOM_Y = 66.0
BODY_W = PAGE_W - 2 * MARGIN_X


@dataclass(frozen=True)
class Practice:
    name: str
    street: str
    city: str
    state: str
    zip: str
    phone: str
    fax: str
    tagline: str = ""


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...] = ()
    rows: tuple[tuple[str, str], ...] = ()  # label/value rows, e.g. an order's exam table


@dataclass(frozen=True)
class Document:
    """What one logical document prints: letterhead, title, patient block, body, signature."""

    title: str
    practice: Practice
    date_line: str  # right-aligned beside the title, e.g. "Date of Service: 10/12/2026"
    patient_rows: tuple[tuple[tuple[str, str], ...], ...]  # each row: one or two label/value pairs
    sections: tuple[Section, ...]
    signature: tuple[str, ...]
    continuation: str  # header line on pages after the first, e.g. "Marlowe, Quentin A  DOB ..."
    font: str = "Helvetica"  # a family of fonts.FONTS
    size: float = 10.5
    page_size: tuple[float, float] = letter  # points; the layout needs letter width


@dataclass(frozen=True)
class Run:
    x: float
    y: float
    font: str
    size: float
    text: str


@dataclass(frozen=True)
class Rule:
    x0: float
    y0: float
    x1: float
    y1: float


Op = Run | Rule


@dataclass(frozen=True)
class LaidOutPage:
    """One page of a file, ready to draw: every run and rule, its size, and its text."""

    ops: tuple[Op, ...]
    size: tuple[float, float]
    text: str


class _Pager:
    """A cursor that opens a new page when the next line would cross the bottom margin."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.regular, self.bold = FONTS[doc.font]
        if doc.page_size[0] != PAGE_W:
            raise ValueError(f"{doc.title}: the layout needs a letter-wide page")
        self.top = doc.page_size[1] - 48.0
        self.pages: list[list[Op]] = [[]]
        self.y = self.top

    def need(self, height: float) -> None:
        if self.y - height < BOTTOM_Y:
            self.pages.append([])
            self.y = self.top
            self.text(MARGIN_X, self.doc.continuation + " (continued)", bold=True, size=self.doc.size - 1)
            self.rule_below(4)
            self.y -= 14

    def text(self, x: float, text: str, *, bold: bool = False, size: float | None = None) -> None:
        self.pages[-1].append(Run(x, self.y, self.bold if bold else self.regular, size or self.doc.size, text))

    def rule_below(self, gap: float) -> None:
        self.pages[-1].append(Rule(MARGIN_X, self.y - gap, PAGE_W - MARGIN_X, self.y - gap))

    def advance(self, height: float) -> None:
        self.y -= height


def _letterhead(p: _Pager, practice: Practice) -> None:
    centre = PAGE_W / 2
    lines = [(practice.name, p.bold, p.doc.size + 4.5)]
    if practice.tagline:
        lines.append((practice.tagline, p.regular, p.doc.size - 0.5))
    lines.append((f"{practice.street}, {practice.city}, {practice.state} {practice.zip}", p.regular, p.doc.size - 0.5))
    lines.append((f"Phone {practice.phone}   Fax {practice.fax}", p.regular, p.doc.size - 0.5))
    for text, font, size in lines:
        width = stringWidth(text, font, size)
        p.pages[-1].append(Run(centre - width / 2, p.y, font, size, text))
        p.advance(size + 4)
    p.rule_below(-2)
    p.advance(18)


def _title(p: _Pager, doc: Document) -> None:
    p.text(MARGIN_X, doc.title, bold=True, size=doc.size + 2.5)
    width = stringWidth(doc.date_line, p.regular, doc.size)
    p.text(PAGE_W - MARGIN_X - width, doc.date_line)
    p.advance(doc.size + 10)


def _patient_block(p: _Pager, doc: Document) -> None:
    top = p.y + doc.size + 2
    for row in doc.patient_rows:
        for (label, value), x in zip(row, (MARGIN_X + 6, MARGIN_X + 276), strict=False):
            end = x + stringWidth(label, p.bold, doc.size) + 4 + stringWidth(value, p.regular, doc.size)
            if len(row) > 1 and x < MARGIN_X + 276 and end > MARGIN_X + 268:
                raise ValueError(f"{doc.title}: patient block value overflows into the next column")
            p.text(x, label, bold=True)
            p.text(x + stringWidth(label, p.bold, doc.size) + 4, value)
        p.advance(doc.size + 5)
    bottom = p.y + doc.size - 2
    for rule in (
        Rule(MARGIN_X, top, PAGE_W - MARGIN_X, top),
        Rule(MARGIN_X, bottom, PAGE_W - MARGIN_X, bottom),
        Rule(MARGIN_X, top, MARGIN_X, bottom),
        Rule(PAGE_W - MARGIN_X, top, PAGE_W - MARGIN_X, bottom),
    ):
        p.pages[-1].append(rule)
    p.advance(12)


def _section(p: _Pager, section: Section) -> None:
    size = p.doc.size
    p.need(3 * (size + 4))
    p.text(MARGIN_X, section.heading, bold=True, size=size + 0.5)
    p.advance(size + 5)
    for label, value in section.rows:
        p.need(size + 4)
        p.text(MARGIN_X + 12, label, bold=True)
        p.text(MARGIN_X + 130, value)
        p.advance(size + 4)
    for paragraph in section.paragraphs:
        indent = 12.0
        for line in simpleSplit(paragraph, p.regular, size, BODY_W - indent):
            p.need(size + 3)
            p.text(MARGIN_X + indent, line)
            p.advance(size + 3)
        p.advance(3)
    p.advance(6)


def layout_document(doc: Document) -> list[list[Op]]:
    """Pages of positioned runs and rules; footers are added when drawing."""
    p = _Pager(doc)
    _letterhead(p, doc.practice)
    _title(p, doc)
    _patient_block(p, doc)
    for section in doc.sections:
        _section(p, section)
    p.need(len(doc.signature) * (doc.size + 4) + 10)
    p.advance(8)
    for line in doc.signature:
        p.text(MARGIN_X, line)
        p.advance(doc.size + 4)
    return p.pages


def _page_text(ops: list[Op]) -> str:
    """Runs sharing a baseline read left to right as one line, lines top to bottom."""
    lines: dict[float, list[Run]] = {}
    for op in ops:
        if isinstance(op, Run):
            lines.setdefault(round(op.y, 2), []).append(op)
    return "\n".join(" ".join(r.text for r in sorted(lines[y], key=lambda r: r.x)) for y in sorted(lines, reverse=True))


def lay_out_file(docs: list[Document], *, fax_header: str | None = None) -> list[list[LaidOutPage]]:
    """Per document, its pages with the "Page i of n" footer and, when `fax_header` is given (a
    format string with {page} and {pages}, file-wide), the line a fax machine prints on top."""
    # A Sheet (sheets.py) comes laid out by its own builder.
    laid_out = [layout_document(d) if isinstance(d, Document) else [list(page) for page in d.pages] for d in docs]
    total = sum(len(pages) for pages in laid_out)
    out: list[list[LaidOutPage]] = []
    file_page = 0
    for doc, pages in zip(docs, laid_out, strict=False):
        regular = FONTS[doc.font][0]
        doc_pages: list[LaidOutPage] = []
        for i, page_ops in enumerate(pages, start=1):
            file_page += 1
            ops = list(page_ops)
            if getattr(doc, "footer", True):  # a card or a typed form has no page footer
                footer = f"Page {i} of {len(pages)}"
                ops.append(Run(doc.page_size[0] - MARGIN_X - stringWidth(footer, regular, 8.5), 40, regular, 8.5, footer))
            if fax_header:
                ops.insert(0, Run(30, doc.page_size[1] - 20, "Courier", 9.5, fax_header.format(page=file_page, pages=total)))
            doc_pages.append(LaidOutPage(tuple(ops), doc.page_size, _page_text(ops)))
        out.append(doc_pages)
    return out


def draw_ops(c: canvas.Canvas, ops: tuple[Op, ...]) -> None:
    for op in ops:
        if hasattr(op, "draw"):  # the boxes, grey and typewritten runs of sheets.py draw themselves
            op.draw(c)
        elif isinstance(op, Run):
            c.setFont(op.font, op.size)
            c.drawString(op.x, op.y, op.text)
        else:
            c.setLineWidth(0.7)
            c.line(op.x0, op.y0, op.x1, op.y1)


def new_canvas(buf: io.BytesIO, *, title: str, author: str = "", creator: str = "", encrypt: object = None) -> canvas.Canvas:
    # invariant=1 fixes the creation date and document id so reruns are byte-identical.
    c = canvas.Canvas(buf, pagesize=letter, invariant=1, pageCompression=1, encrypt=encrypt)
    c.setTitle(title)
    if author:
        c.setAuthor(author)
    if creator:
        c.setCreator(creator)
    return c


def draw_file(docs: list[Document], *, fax_header: str | None = None, encrypt: object = None) -> tuple[bytes, list[list[str]]]:
    """Draw the documents into one PDF (encrypted when `encrypt` is a reportlab
    StandardEncryption). Returns the PDF bytes and, per document, the text drawn on each page."""
    buf = io.BytesIO()
    c = new_canvas(buf, title="Synthetic sample document", author="precert-intake sample_docs", encrypt=encrypt)
    size = letter
    laid_out = lay_out_file(docs, fax_header=fax_header)
    for pages in laid_out:
        for page in pages:
            if page.size != size:
                size = page.size
                c.setPageSize(size)
            draw_ops(c, page.ops)
            c.showPage()
    c.save()
    return buf.getvalue(), [[p.text for p in pages] for pages in laid_out]
