"""Lay out and draw a payer's prior-authorization request form as a filled AcroForm PDF.

The page content holds only the form's printed text (payer, title, instructions, labels); the
values live in the form fields (each with the printed label as its tooltip), as a form filled in
a PDF viewer or a portal keeps them. reportlab writes an appearance stream per field, so a
viewer shows the values, but they are annotations, not page text.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth

from sample_docs.fonts import FONTS
from sample_docs.layout import MARGIN_X, PAGE_H, PAGE_W, Rule, Run, new_canvas

COLUMNS = (MARGIN_X, 318.0)  # x of the first and second field of a row
ROW_H = 23.0
BOX_H = 15.0


@dataclass(frozen=True)
class FormField:
    label: str  # printed before the box and used as the field's tooltip
    value: str = ""  # "" leaves the field blank


@dataclass(frozen=True)
class Checkbox:
    label: str
    checked: bool


@dataclass(frozen=True)
class FormSection:
    heading: str
    rows: tuple[tuple[FormField, ...], ...] = ()  # one or two fields per row
    checkboxes: tuple[Checkbox, ...] = ()  # one row of boxes after the fields
    note: str = ""  # printed instructions under the heading


@dataclass(frozen=True)
class PayerForm:
    payer: str
    title: str
    contact: tuple[str, ...]  # right-aligned lines beside the payer name (fax and phone numbers)
    instructions: str
    sections: tuple[FormSection, ...]
    attestation: str
    font: str = "Helvetica"
    size: float = 9.5


def _slug(label: str, n: int) -> str:
    return f"{re.sub(r'[^a-z0-9]+', '_', label.lower()).strip('_')}_{n}"


def _page_text(runs: list[Run]) -> str:
    lines: dict[float, list[Run]] = {}
    for run in runs:
        lines.setdefault(round(run.y, 2), []).append(run)
    return "\n".join(" ".join(r.text for r in sorted(lines[y], key=lambda r: r.x)) for y in sorted(lines, reverse=True))


def draw_form(form: PayerForm) -> tuple[bytes, list[str]]:
    """The filled one-page form and its visible text: printed text with each field's value after
    its label, as a person reads the filled form (checkbox marks are left out)."""
    regular, bold = FONTS[form.font]
    size = form.size
    buf = io.BytesIO()
    c = new_canvas(buf, title=f"{form.payer} prior authorization request", creator="Synthetic payer form")
    printed: list[Run | Rule] = []
    visible: list[Run] = []

    def text(x: float, y: float, words: str, *, font: str = regular, size: float = size) -> None:
        run = Run(x, y, font, size, words)
        printed.append(run)
        visible.append(run)

    y = PAGE_H - 54.0
    text(MARGIN_X, y, form.payer, font=bold, size=size + 6)
    for i, line in enumerate(form.contact):
        text(PAGE_W - MARGIN_X - stringWidth(line, regular, size - 0.5), y - i * (size + 2), line, size=size - 0.5)
    y -= max(len(form.contact), 2) * (size + 2) + 12
    text(MARGIN_X, y, form.title, font=bold, size=size + 3)
    y -= size + 9
    for line in simpleSplit(form.instructions, regular, size - 0.5, PAGE_W - 2 * MARGIN_X):
        text(MARGIN_X, y, line, size=size - 0.5)
        y -= size + 2
    y -= 6
    field_no = 0
    for section in form.sections:
        c.setFillColor(colors.Color(0.86, 0.88, 0.92))
        c.rect(MARGIN_X - 2, y - 4, PAGE_W - 2 * MARGIN_X + 4, size + 7, stroke=0, fill=1)
        c.setFillColor(colors.black)
        text(MARGIN_X + 2, y, section.heading.upper(), font=bold)
        y -= ROW_H
        if section.note:
            for line in simpleSplit(section.note, regular, size - 1, PAGE_W - 2 * MARGIN_X):
                text(MARGIN_X, y + 6, line, size=size - 1)
                y -= size + 1
            y -= 4
        for row in section.rows:
            for col, field in enumerate(row):
                x = COLUMNS[col]
                right = (COLUMNS[1] - 12) if len(row) > 1 and col == 0 else PAGE_W - MARGIN_X
                label = f"{field.label}:"
                text(x, y, label, font=bold)
                box_x = x + stringWidth(label, bold, size) + 6
                field_no += 1
                c.acroForm.textfield(
                    name=_slug(field.label, field_no),
                    tooltip=field.label,
                    value=field.value,
                    x=box_x,
                    y=y - 4,
                    width=right - box_x,
                    height=BOX_H,
                    fontName="Helvetica",
                    fontSize=size,
                    borderWidth=0.6,
                    borderColor=colors.black,
                    fillColor=colors.white,
                    textColor=colors.black,
                    forceBorder=True,
                )
                if field.value:
                    visible.append(Run(box_x + 2, y, "Helvetica", size, field.value))
            y -= ROW_H
        if section.checkboxes:
            x = MARGIN_X
            for box in section.checkboxes:
                field_no += 1
                c.acroForm.checkbox(
                    name=_slug(box.label, field_no),
                    tooltip=box.label,
                    checked=box.checked,
                    x=x,
                    y=y - 3,
                    size=11,
                    buttonStyle="check",
                    borderWidth=0.6,
                    borderColor=colors.black,
                    fillColor=colors.white,
                    textColor=colors.black,
                    forceBorder=True,
                )
                text(x + 16, y, box.label)
                x += 16 + stringWidth(box.label, regular, size) + 24
            y -= ROW_H
        y -= 4
    y -= 6
    for line in simpleSplit(form.attestation, regular, size - 1, PAGE_W - 2 * MARGIN_X):
        text(MARGIN_X, y, line, size=size - 1)
        y -= size + 1
    y -= 22
    text(MARGIN_X, y, "Signature of ordering provider:", font=bold)
    printed.append(Rule(MARGIN_X + 150, y - 2, MARGIN_X + 380, y - 2))
    if y < 60:
        raise ValueError(f"{form.title}: the form does not fit on one page")
    for op in printed:
        if isinstance(op, Run):
            c.setFont(op.font, op.size)
            c.drawString(op.x, op.y, op.text)
        else:
            c.setLineWidth(0.6)
            c.line(op.x0, op.y0, op.x1, op.y1)
    c.showPage()
    c.save()
    return buf.getvalue(), [_page_text(visible)]
