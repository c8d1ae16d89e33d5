"""A payer's prior-authorization form printed on paper, filled in on a typewriter (or a
typewriter-font print-over), signed in pen, then scanned or faxed: unlike forms.py's AcroForm, every value is
part of the page image, struck in Courier slightly off the line.

Two layouts, as payers print them: `grid` (rows of ruled boxes with a small label in each
box's corner and the value typed inside) and `lines` (a label followed by a rule the value is
typed on). Checkboxes are small squares with a typed X.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth

from sample_docs.layout import Rule, Run
from sample_docs.sheets import Box, Flow, InkRun, Scribble, TypedRun
from sample_docs.spec import Labelled

TYPE_FONT, TYPE_SIZE = "Courier", 10.0


@dataclass(frozen=True)
class Blank:
    label: str
    value: str = ""  # typed; "" is left blank
    width: float = 1.0  # grid: share of the row; lines: points of rule after the label


@dataclass(frozen=True)
class Part:
    heading: str
    rows: tuple[tuple[Blank, ...], ...] = ()
    typed_lines: tuple[str, ...] = ()  # free text typed into a box under the rows (a clinical summary)
    typed_label: str = ""


@dataclass(frozen=True)
class TypedForm:
    payer: str
    form_no: str  # the form's number and revision, printed at the foot of the page
    contact: tuple[str, ...]
    title: str
    instructions: str
    review: tuple[tuple[str, bool], ...]  # checkboxes: label, checked
    parts: tuple[Part, ...]
    attestation: str
    signed: str  # the typed date beside the signature line
    style: str = "grid"


def _typed(f: Flow, x: float, words: str, *, y: float | None = None) -> None:
    f.add(TypedRun(x, f.y if y is None else y, TYPE_FONT, TYPE_SIZE, words))


def _checkboxes(f: Flow, boxes: tuple[tuple[str, bool], ...]) -> None:
    x = f.left
    for label, checked in boxes:
        f.add(Box(x, f.y - 1.5, 9, 9, stroke=0.7))
        if checked:
            _typed(f, x + 1.5, "X")
        f.text(x + 14, label, size=8.8)
        x += 14 + stringWidth(label, f.regular, 8.8) + 22
    f.down(20)


def _grid_part(f: Flow, part: Part) -> None:
    row_h = 25.0
    f.need(row_h * 2 + 16)
    f.add(Box(f.left, f.y - 4, f.width, 14, fill=0.2, stroke=0))
    f.add(InkRun(f.left + 5, f.y, f.bold, 9, part.heading.upper(), grey=1.0))
    f.down(10)
    for row in part.rows:
        total = sum(b.width for b in row)
        x = f.left
        top = f.y
        for blank in row:
            w = f.width * blank.width / total
            f.add(Box(x, top - row_h, w, row_h, stroke=0.6))
            f.add(Run(x + 3, top - 7.5, f.regular, 6.6, blank.label.upper()))
            if blank.value:
                _typed(f, x + 5, blank.value, y=top - row_h + 5)
            x += w
        f.y = top - row_h
    if part.typed_lines:
        lines = [line for text in part.typed_lines for line in simpleSplit(text, TYPE_FONT, TYPE_SIZE, f.width - 12)]
        height = 14 + 13 * len(lines) + 4
        top = f.y
        f.add(Box(f.left, top - height, f.width, height, stroke=0.6))
        f.add(Run(f.left + 3, top - 7.5, f.regular, 6.6, part.typed_label.upper()))
        y = top - 20
        for line in lines:
            _typed(f, f.left + 5, line, y=y)
            y -= 13
        f.y = top - height
    f.down(14)


def _lines_part(f: Flow, part: Part) -> None:
    f.need(44)
    f.text(f.left, part.heading, bold=True, size=10)
    f.rule(3, x1=f.left + stringWidth(part.heading, f.bold, 10))
    f.down(19)
    for row in part.rows:
        f.need(18)
        x = f.left
        for blank in row:
            label = f"{blank.label}:"
            end = f.text(x, label, size=8.8)
            f.add(Rule(end + 3, f.y - 2.5, end + 3 + blank.width, f.y - 2.5))
            if blank.value:
                _typed(f, end + 6, blank.value)
            x = end + 3 + blank.width + 12
        if x - 12 > f.right + 0.5:
            raise ValueError(f"{part.heading}: a row of the form runs past the margin")
        f.down(19)
    if part.typed_lines:
        f.text(f.left, f"{part.typed_label}:", size=8.8)
        f.down(15)
        for text in part.typed_lines:
            for line in simpleSplit(text, TYPE_FONT, TYPE_SIZE, f.width - 8):
                f.need(15)
                f.add(Rule(f.left, f.y - 2.5, f.right, f.y - 2.5))
                _typed(f, f.left + 4, line)
                f.down(15)
    f.down(8)


def typed_form(
    form: TypedForm,
    *,
    d: date,
    fields: dict[str, list[Any]],
    facts: dict[str, list[dict[str, Any]]] | None = None,
    decoys: tuple[str, ...] = (),
) -> Labelled:
    """The filled form as one page; `fields` are its labels (the caller knows which blank is
    which)."""
    f = Flow(font="Helvetica", size=9, left=44, right_margin=44, top=46, bottom=40)
    top = f.y
    f.text(f.left, form.payer, bold=True, size=16)
    f.y = top
    for line in form.contact:
        f.right_text(line, size=8.3)
        f.down(10)
    f.y = min(f.y, top - 24)
    f.rule(0)
    f.down(20)
    f.text(f.left, form.title, bold=True, size=12)
    f.down(14)
    f.para(form.instructions, size=8.2, leading=10, after=6)
    _checkboxes(f, form.review)
    for part in form.parts:
        (_grid_part if form.style == "grid" else _lines_part)(f, part)
    f.need(60)
    f.para(form.attestation, size=8, leading=9.8, after=14)
    end = f.text(f.left, "Signature of requesting provider:", bold=True, size=8.8)
    f.add(Rule(end + 4, f.y - 2.5, end + 200, f.y - 2.5))
    f.add(Scribble(end + 14, f.y - 3, 120, 16, seed=form.title))
    end = f.text(end + 214, "Date:", bold=True, size=8.8)
    f.add(Rule(end + 4, f.y - 2.5, end + 90, f.y - 2.5))
    _typed(f, end + 8, form.signed)
    if f.y < 60 or len(f.pages) > 1:
        raise ValueError(f"{form.title}: the form does not fit on one page")
    f.y = 30
    f.text(f.left, form.form_no, size=7)
    f.right_text("Fax every page. Keep a copy for your records.", size=7)
    sheet = f.sheet(title=form.title, footer=False)
    return Labelled(sheet, "prior_auth_form", d, fields, facts or {}, decoys)
