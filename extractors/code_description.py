"""Does the text printed beside a diagnosis code describe that code?

Notes print a condition's name next to its code, before it ("Essential hypertension (I10)") or
after it ("M54.16 Radiculopathy, lumbar region"). Comparing that text with the code set's
description catches a misread code (I10 read as "110", repaired, still describing
hypertension) and a wrong one (a description of asthma beside a code for back pain).
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

# Words that say nothing about which condition a code is.
_FILLER = {
    "and",
    "the",
    "of",
    "with",
    "without",
    "unspecified",
    "other",
    "code",
    "codes",
    "icd",
    "icd-10",
    "icd10",
    "dx",
    "diagnosis",
    "diagnoses",
    "primary",
    "secondary",
    "history",
    "hx",
    "h/o",
}
_WORD = re.compile(r"[A-Za-z][A-Za-z'/-]+")
_SIDE_CHARS = 70  # how much of the line on each side of the code may describe it
AGREES = 75.0  # token-set ratio from which a printed description supports the code
DISAGREES = 45.0  # below this, a printed description speaks against it


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text) if w.lower() not in _FILLER]


def printed_descriptions(line_text: str, start: int, end: int) -> list[str]:
    """The words beside a code on its line: before it (up to the previous code, colon or
    semicolon) and after it (up to the next one). Empty sides are left out."""
    before_text = line_text[max(0, start - _SIDE_CHARS) : start].rstrip(" ([")
    before = re.split(r"[:;()]|\b[A-Z][0-9][0-9A-Z]\.?[0-9A-Z]*\b", before_text)[-1]
    after_text = line_text[end : end + _SIDE_CHARS]
    after = re.split(r"[;(]|\b[A-Z][0-9][0-9A-Z]\.[0-9A-Z]+\b", after_text.lstrip(" )-:,"))[0]
    sides = [" ".join(_words(side)) for side in (before, after)]
    return [side for side in sides if len(side.split()) >= 1 and len(side) >= 4]


def agreement(description: str, printed: list[str]) -> float | None:
    """How well the best printed side matches the code's description (0-100); None when
    nothing descriptive is printed beside the code."""
    if not printed:
        return None
    wanted = " ".join(_words(description))
    return max(fuzz.token_set_ratio(wanted, side) for side in printed)


_RANGE = re.compile(r"(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)")
_NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?![\d.])")


def number_in_range(description: str, line_text: str, start: int) -> bool:
    """Whether a number printed just before the code falls in the range its description names
    ("BMI 33.4 (Z68.33)": Body mass index [BMI] 33.0-33.9, adult)."""
    described = _RANGE.search(description)
    if not described:
        return False
    low, high = float(described.group(1)), float(described.group(2))
    before = line_text[max(0, start - 30) : start]
    return any(low <= float(m.group(1)) <= high + 0.05 for m in _NUMBER.finditer(before))
