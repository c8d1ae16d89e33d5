"""Reading order of OCR words: side-by-side label blocks read row by row.

Tesseract reads a page's header grid ("Patient: ...   DOB: ..." / "MRN: ...   Account #: ...")
as two columns, one after the other. A PDF's text layer gives the same grid row by row, and so
does a person; the extraction rules are written for that, and the OCR text of a page should not
depend on how it arrived. So blocks that stand side by side with their lines on the same rows
are merged into one block read row by row. Real columns of prose are left alone: they are long,
and their lines need not share rows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from extractors.tesseract import OcrWord

MAX_GRID_LINES = 12  # a header grid is short; columns of prose are not merged
MAX_ROW_OFFSET = 0.6  # of the shorter line's height: how far apart two lines' middles may be on one row
LOOK_BACK = 3  # blocks: Tesseract may put a block below the grid's left column before its right column


@dataclass
class _Line:
    words: list[OcrWord]

    @property
    def top(self) -> int:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> int:
        return max(w.top + w.height for w in self.words)

    @property
    def left(self) -> int:
        return min(w.left for w in self.words)

    @property
    def right(self) -> int:
        return max(w.left + w.width for w in self.words)


@dataclass
class _Block:
    lines: list[_Line]


def _same_row(a: _Line, b: _Line) -> bool:
    offset = abs((a.top + a.bottom) - (b.top + b.bottom)) / 2
    return offset <= MAX_ROW_OFFSET * min(a.bottom - a.top, b.bottom - b.top)


def _beside(host: _Block, block: _Block) -> bool:
    """Each of `block`'s lines shares a row with one of `host`'s lines and stands clear of it,
    to its left or right."""
    if len(host.lines) > MAX_GRID_LINES or len(block.lines) > MAX_GRID_LINES:
        return False
    return all(
        any(_same_row(line, other) and (line.left > other.right or other.left > line.right) for other in host.lines)
        for line in block.lines
    )


def _rows(block: _Block) -> list[_Line]:
    """The block's lines joined into rows (top to bottom), each row's words left to right."""
    rows: list[_Line] = []
    for line in sorted(block.lines, key=lambda ln: (ln.top + ln.bottom) / 2):
        match = next((row for row in rows if _same_row(row, line)), None)
        if match is None:
            rows.append(_Line(list(line.words)))
        else:
            match.words.extend(line.words)
    for row in rows:
        row.words.sort(key=lambda w: w.left)
    return rows


def reading_order(words: tuple[OcrWord, ...]) -> tuple[OcrWord, ...]:
    """The words in reading order, with line and block ids renumbered to match it."""
    blocks: list[_Block] = []
    lines: dict[int, _Line] = {}
    block_of: dict[int, _Block] = {}
    for word in words:
        if word.line in lines:
            lines[word.line].words.append(word)
            continue
        line = lines[word.line] = _Line([word])
        block = block_of.get(word.block)
        if block is None or block is not blocks[-1]:
            block = _Block([])
            blocks.append(block)
            block_of[word.block] = block
        block.lines.append(line)
    merged: list[_Block] = []
    grids: set[int] = set()
    for block in blocks:
        host = next((b for b in reversed(merged[-LOOK_BACK:]) if _beside(b, block)), None)
        if host is not None:
            host.lines.extend(block.lines)
            grids.add(id(host))
        else:
            merged.append(block)
    out: list[OcrWord] = []
    line_id = 0
    for block_id, block in enumerate(merged, start=1):
        rows = _rows(block) if id(block) in grids else block.lines
        for row in rows:
            out.extend(replace(w, block=block_id, line=line_id) for w in row.words)
            line_id += 1
    return tuple(out)
