"""Build a `Page` from plain text, with one `Word` per whitespace-separated token.

Word boxes are synthetic (a character grid: column / line), good enough to point a reviewer
at the right region of a text-layer page and to let tests build pages without OCR.
"""

from __future__ import annotations

import re

from extractors.models import Method, Page, Word

_TOKEN = re.compile(r"\S+")
# A US letter page holds about 80 columns and 66 lines of 10-pt monospaced text.
_MIN_COLUMNS = 80
_MIN_LINES = 66


def page_from_text(text: str, index: int = 0, method: Method = "text_layer", confidence: float = 1.0) -> Page:
    lines = text.split("\n")
    columns = max([_MIN_COLUMNS, *(len(line) for line in lines)])
    rows = max(_MIN_LINES, len(lines))
    words: list[Word] = []
    offset = 0
    block = 0
    for line_no, line in enumerate(lines):
        if not line.strip():
            block += 1
        for m in _TOKEN.finditer(line):
            words.append(
                Word(
                    text=m.group(),
                    bbox=(m.start() / columns, line_no / rows, m.end() / columns, (line_no + 1) / rows),
                    confidence=confidence,
                    start=offset + m.start(),
                    end=offset + m.end(),
                    line=line_no,
                    block=block,
                )
            )
        offset += len(line) + 1
    return Page(
        index=index,
        text=text,
        method=method,
        words=tuple(words),
        confidence=confidence,
        width=612.0,
        height=792.0,
        decision="built from plain text",
    )


__all__ = ["page_from_text"]
