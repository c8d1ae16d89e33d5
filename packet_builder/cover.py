"""The packet's front matter: the cover sheet and the requirements checklist (reportlab).

`render_front_matter` takes plain values (already chosen by assemble.py) and returns PDF bytes
plus the 1-based page on which the checklist starts, for the bookmark.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

STATUS_COLOURS = {
    "met": colors.HexColor("#1b7a35"),
    "missing": colors.HexColor("#b3261e"),
    "review": colors.HexColor("#a05a00"),
    "not needed": colors.HexColor("#6b7280"),
}


@dataclass(frozen=True)
class ChecklistRow:
    label: str
    requirement_id: str
    status: str
    message: str
    references: str  # "Order (doc 2), packet p. 5"
    depth: int = 0


@dataclass(frozen=True)
class DocumentRow:
    number: int
    doc_type: str
    filename: str
    pages: str  # "5-7"
    note: str = ""
    date: str = ""  # the document's date, "undated" when none was read


@dataclass(frozen=True)
class FrontMatter:
    title: str
    facts: Sequence[tuple[str, str]]  # (label, value) rows of the cover sheet
    documents: Sequence[DocumentRow]
    overall: str  # complete | incomplete
    checklist: Sequence[ChecklistRow]


class _PageMark(Flowable):
    """Zero-size flowable remembering the page it lands on."""

    def __init__(self, sink: dict[str, int], key: str) -> None:
        super().__init__()
        self.sink, self.key = sink, key

    def wrap(self, *_: float) -> tuple[float, float]:
        return (0, 0)

    def draw(self) -> None:
        self.sink[self.key] = self.canv.getPageNumber()


# A table row cannot break across pages: a cell taller than a page (evidence in dozens of
# documents) would stop the packet from being built. The full text is in the manifest.
CELL_CHARS = 900


def _clip(text: str) -> str:
    if len(text) <= CELL_CHARS:
        return text
    return text[: CELL_CHARS - 60].rsplit(" ", 1)[0] + " ... (shortened here; the manifest has all of it)"


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def render_front_matter(fm: FrontMatter) -> tuple[bytes, int, int]:
    """(pdf bytes, page count, 1-based page where the checklist starts)."""
    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"], fontSize=9, leading=11)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10)
    bold = ParagraphStyle("bold", parent=body, fontName="Helvetica-Bold")
    marks: dict[str, int] = {}
    story: list[Flowable] = [_PageMark(marks, "cover"), _p(fm.title, styles["Title"]), Spacer(1, 6)]

    rows = [[_p(k, bold), _p(v or "-", body)] for k, v in fm.facts]
    table = Table(rows, colWidths=[1.7 * inch, 5.3 * inch])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#eeeeee")),
            ]
        )
    )
    story += [table, Spacer(1, 12), _p("Documents in this packet", styles["Heading3"])]
    doc_rows = [[_p(h, bold) for h in ("#", "Type", "Date", "File", "Packet pages")]]
    for d in fm.documents:
        name = d.filename + (f" ({d.note})" if d.note else "")
        doc_rows.append([_p(str(d.number), body), _p(d.doc_type, body), _p(d.date, small), _p(name, small), _p(d.pages, body)])
    docs_table = Table(doc_rows, colWidths=[0.35 * inch, 1.7 * inch, 0.85 * inch, 3.0 * inch, 1.1 * inch], repeatRows=1)
    docs_table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ]
        )
    )
    story.append(docs_table if fm.documents else _p("No documents.", body))

    story += [
        PageBreak(),
        _PageMark(marks, "checklist"),
        _p("Documentation requirements checklist", styles["Heading1"]),
        _p(f"Overall: {fm.overall.upper()} (complete only when every requirement is met)", bold),
        Spacer(1, 8),
    ]
    check_rows = [[_p(h, bold) for h in ("Status", "Requirement", "Finding", "Where")]]
    style_cmds = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
    ]
    for i, r in enumerate(fm.checklist, start=1):
        status_style = ParagraphStyle(f"s{i}", parent=bold, textColor=STATUS_COLOURS.get(r.status, colors.black))
        indent = "\u00a0\u00a0\u00a0" * r.depth
        label = Paragraph(f"{indent}{escape(r.label)}<br/><font size=7>{escape(r.requirement_id)}</font>", body)
        check_rows.append(
            [_p(r.status.upper(), status_style), label, _p(_clip(r.message), small), _p(_clip(r.references or "-"), small)]
        )
    checklist = Table(check_rows, colWidths=[0.75 * inch, 1.8 * inch, 3.15 * inch, 1.3 * inch], repeatRows=1)
    checklist.setStyle(TableStyle(style_cmds))
    story.append(checklist)

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=letter,
        invariant=1,
        leftMargin=0.75 * inch,
        rightMargin=0.75 * inch,
        topMargin=0.7 * inch,
        bottomMargin=0.7 * inch,
        title=fm.title,
    )
    doc.build(story)
    pages = doc.page  # the number of the last page drawn
    return buf.getvalue(), pages, marks.get("checklist", 1)
