"""Documents that lay themselves out.

Radiology and lab reports, letters, insurance cards and typewritten payer forms do not look like
the letterhead-title-box layout of `layout.Document`: each has a builder of its own (reports.py,
letters.py, cards.py, typed_forms.py) that places every run with a `Flow` and hands `layout.py`
a `Sheet`: finished pages of runs, rules and boxes. `layout.lay_out_file` adds the page footer
(unless `footer` is off) and the fax header, and takes each page's text from its runs, exactly as
for a `Document`.

Besides `layout.Run` and `layout.Rule`, a sheet may hold `Box` (a rectangle, outlined or filled
grey, corners rounded for cards), `InkRun` (text in grey or white ink, e.g. on a dark band) and
`TypedRun` (typewriter text: each character struck on its own, a little off the line and
unevenly inked) and `Scribble` (a pen signature, ink without text). These draw themselves; a `TypedRun` keeps its nominal position and text for the
page text.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth

from sample_docs.fonts import FONTS
from sample_docs.layout import Rule, Run, Section


@dataclass(frozen=True)
class Box:
    """A rectangle with its lower-left corner at (x, y). `fill` is a grey level (0 black .. 1
    white) or None; `stroke` the outline width (0: none)."""

    x: float
    y: float
    w: float
    h: float
    fill: float | None = None
    stroke: float = 0.7
    radius: float = 0.0

    def draw(self, c) -> None:
        c.saveState()
        if self.fill is not None:
            c.setFillGray(self.fill)
        c.setLineWidth(self.stroke or 0.1)
        c.roundRect(
            self.x, self.y, self.w, self.h, self.radius, stroke=1 if self.stroke else 0, fill=0 if self.fill is None else 1
        )
        c.restoreState()


@dataclass(frozen=True)
class InkRun(Run):
    """A run in grey ink: 0 is black, 1 white (text on a dark band)."""

    grey: float = 0.0

    def draw(self, c) -> None:
        c.saveState()
        c.setFillGray(self.grey)
        c.setFont(self.font, self.size)
        c.drawString(self.x, self.y, self.text)
        c.restoreState()


@dataclass(frozen=True)
class TypedRun(Run):
    """Typewriter text: every character struck separately, up to `wobble` points off the line and
    a little lighter or darker, the same way on every run (seeded by the run itself)."""

    wobble: float = 0.45

    def draw(self, c) -> None:
        rng = random.Random(f"{self.x:.2f}/{self.y:.2f}/{self.text}")
        c.saveState()
        c.setFont(self.font, self.size)
        x = self.x
        for ch in self.text:
            if ch != " ":
                c.setFillGray(rng.choice((0.0, 0.05, 0.1, 0.18)))
                c.drawString(x + rng.uniform(-0.15, 0.15), self.y + rng.uniform(-self.wobble, self.wobble), ch)
            x += stringWidth(ch, self.font, self.size)
        c.restoreState()


@dataclass(frozen=True)
class Scribble:
    """A pen signature: a few loops of a Bezier path across (x, y, w, h), the same every time
    (seeded by `seed`). It is ink, not text."""

    x: float
    y: float
    w: float
    h: float
    seed: str

    def draw(self, c) -> None:
        rng = random.Random(self.seed)
        c.saveState()
        c.setStrokeColorRGB(0.08, 0.12, 0.35)
        c.setLineWidth(1.1)
        path = c.beginPath()
        x, y = self.x, self.y + self.h * rng.uniform(0.2, 0.5)
        path.moveTo(x, y)
        steps = rng.randint(5, 7)
        for i in range(1, steps + 1):
            nx = self.x + self.w * i / steps
            ny = self.y + self.h * rng.uniform(0.0, 1.0)
            path.curveTo(
                x + self.w / steps * rng.uniform(0.2, 0.6),
                self.y + self.h * rng.uniform(0.6, 1.3),
                nx - self.w / steps * rng.uniform(0.2, 0.6),
                self.y + self.h * rng.uniform(-0.3, 0.4),
                nx,
                ny,
            )
            x, y = nx, ny
        c.drawPath(path, stroke=1, fill=0)
        c.restoreState()


@dataclass(frozen=True)
class Sheet:
    """A laid-out document: its pages of ops, the font family of its page footer, whether it has
    one, and its logical sections (so generate.py can apply the past-history rule)."""

    title: str
    pages: tuple[tuple[object, ...], ...]
    font: str
    page_size: tuple[float, float] = letter
    footer: bool = True
    sections: tuple[Section, ...] = ()
    card: bool = False  # an insurance card face: photographed as a card, not as a page


@dataclass
class Flow:
    """A cursor that lays text down a page and opens the next one when the bottom is reached;
    `header` draws the top of every page after the first (a continuation line)."""

    font: str
    size: float
    page_size: tuple[float, float] = letter
    left: float = 54.0
    right_margin: float = 54.0
    top: float = 48.0
    bottom: float = 66.0
    header: object = None  # a callable taking the Flow, called on each new page
    pages: list[list[object]] = field(default_factory=lambda: [[]])
    y: float = 0.0

    def __post_init__(self) -> None:
        self.regular, self.bold = FONTS[self.font]
        self.y = self.page_size[1] - self.top

    @property
    def width(self) -> float:
        return self.page_size[0] - self.left - self.right_margin

    @property
    def right(self) -> float:
        return self.page_size[0] - self.right_margin

    def add(self, op: object) -> None:
        self.pages[-1].append(op)

    def need(self, height: float) -> None:
        if self.y - height < self.bottom:
            self.pages.append([])
            self.y = self.page_size[1] - self.top
            if callable(self.header):
                self.header(self)

    def down(self, height: float) -> None:
        self.y -= height

    def face(self, bold: bool = False, font: str | None = None) -> str:
        if font is not None:
            return FONTS[font][1 if bold else 0]
        return self.bold if bold else self.regular

    def text(self, x: float, words: str, *, bold: bool = False, size: float | None = None, font: str | None = None) -> float:
        """Put a run at x on the current line; returns the x where it ends."""
        face, size = self.face(bold, font), size or self.size
        self.add(Run(x, self.y, face, size, words))
        return x + stringWidth(words, face, size)

    def right_text(self, words: str, *, bold: bool = False, size: float | None = None, font: str | None = None) -> None:
        face, size = self.face(bold, font), size or self.size
        self.add(Run(self.right - stringWidth(words, face, size), self.y, face, size, words))

    def centre_text(self, words: str, *, bold: bool = False, size: float | None = None, font: str | None = None) -> None:
        face, size = self.face(bold, font), size or self.size
        self.add(Run((self.page_size[0] - stringWidth(words, face, size)) / 2, self.y, face, size, words))

    def rule(self, gap: float = 4.0, *, x0: float | None = None, x1: float | None = None) -> None:
        y = self.y - gap
        self.add(Rule(self.left if x0 is None else x0, y, self.right if x1 is None else x1, y))

    def para(
        self,
        words: str,
        *,
        x: float | None = None,
        size: float | None = None,
        leading: float | None = None,
        bold: bool = False,
        font: str | None = None,
        after: float = 3.0,
    ) -> None:
        """A wrapped paragraph from x to the right margin."""
        x = self.left if x is None else x
        face, size = self.face(bold, font), size or self.size
        leading = leading or size + 3
        for line in simpleSplit(words, face, size, self.right - x):
            self.need(leading)
            self.add(Run(x, self.y, face, size, line))
            self.down(leading)
        self.down(after)

    def labelled(
        self, label: str, words: str, *, hang: float | None = None, size: float | None = None, leading: float | None = None
    ) -> None:
        """An inline heading ("FINDINGS:") with its text starting on the same line; later lines
        start at `hang` (default: under the text, a hanging indent) or at the left margin (0)."""
        size = size or self.size
        leading = leading or size + 3
        label_end = self.left + stringWidth(label, self.bold, size) + stringWidth(" ", self.regular, size) * 2
        first_x = label_end
        rest_x = first_x if hang is None else self.left + hang
        self.need(leading * 2)
        self.add(Run(self.left, self.y, self.bold, size, label))
        lines = simpleSplit(words, self.regular, size, self.right - first_x)
        if lines:
            self.add(Run(first_x, self.y, self.regular, size, lines[0]))
            rest = " ".join(lines[1:])
            self.down(leading)
            for line in simpleSplit(rest, self.regular, size, self.right - rest_x) if rest else ():
                self.need(leading)
                self.add(Run(rest_x, self.y, self.regular, size, line))
                self.down(leading)
        else:
            self.down(leading)

    def sheet(self, *, title: str, footer: bool = True, sections: tuple[Section, ...] = (), card: bool = False) -> Sheet:
        return Sheet(
            title=title,
            pages=tuple(tuple(p) for p in self.pages),
            font=self.font,
            page_size=self.page_size,
            footer=footer,
            sections=sections,
            card=card,
        )


def placed(ops: tuple[object, ...], *, dx: float, dy: float, scale: float) -> list[object]:
    """The ops of a small face (a card) moved and scaled onto a bigger page, as a copier
    enlarges a card onto a letter sheet."""
    out: list[object] = []
    for op in ops:
        if isinstance(op, Box):
            out.append(
                Box(
                    dx + op.x * scale,
                    dy + op.y * scale,
                    op.w * scale,
                    op.h * scale,
                    op.fill,
                    op.stroke * scale,
                    op.radius * scale,
                )
            )
        elif isinstance(op, InkRun):
            out.append(InkRun(dx + op.x * scale, dy + op.y * scale, op.font, op.size * scale, op.text, op.grey))
        elif isinstance(op, Run):
            out.append(Run(dx + op.x * scale, dy + op.y * scale, op.font, op.size * scale, op.text))
        elif isinstance(op, Rule):
            out.append(Rule(dx + op.x0 * scale, dy + op.y0 * scale, dx + op.x1 * scale, dy + op.y1 * scale))
        else:
            raise TypeError(f"cannot place {type(op).__name__}")
    return out
