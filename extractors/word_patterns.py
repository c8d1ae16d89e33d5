"""Regular expressions over word lists from the data files: a list of labels as one
alternation matched at word boundaries, and the last match of a pattern in a text (the label
nearest before a value)."""

from __future__ import annotations

import re


def words_re(words: list[str]) -> re.Pattern[str]:
    """The words as one case-insensitive alternation, longest first, at word boundaries."""
    alt = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9])(?:{alt})(?![A-Za-z0-9])", re.IGNORECASE)


def last_match(rx: re.Pattern[str], text: str) -> re.Match[str] | None:
    last = None
    for m in rx.finditer(text):
        last = m
    return last
