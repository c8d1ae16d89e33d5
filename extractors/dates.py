"""Find and parse the date formats found on clinical documents into ISO strings."""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,2})\s?([/.-])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})(?![\d/])")
_ISO = re.compile(r"(?<![\d/.-])(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d/])")
_NAMED = re.compile(rf"\b{_MONTH}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.IGNORECASE)
_NAMED_DMY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}\.?,?\s+(\d{{4}})\b", re.IGNORECASE)
# Day, month name and year run together by one separator: 08-Jun-2026, 8/JUN/26, 08.Jun.2026,
# and the lab systems' 08JUN2026.
_NAMED_DASHED = re.compile(rf"(?<![\w/.-])(\d{{1,2}})([-/.]){_MONTH}\2(\d{{4}}|\d{{2}})(?![\w/-])", re.IGNORECASE)
_NAMED_RUN = re.compile(rf"(?<![\w/.-])(\d{{2}}){_MONTH}(\d{{4}})(?![\w/-])", re.IGNORECASE)
# OCR often reads 0 as O and 1 as l/I inside dates: fold them when a token is mostly digits.
_DATEISH_TOKEN = re.compile(r"[0-9OolI|]{1,4}[/.-][0-9OolI|]{1,2}[/.-][0-9OolI|]{2,4}")
_FOLD = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "|": "1"})


def _year(y: str, *, dob: bool, today: dt.date) -> int:
    if len(y) == 4:
        return int(y)
    yy = int(y)
    # Two-digit years: a birth year in the future belongs to the previous century.
    if dob:
        return 2000 + yy if yy <= today.year % 100 else 1900 + yy
    return 2000 + yy


def _make(y: int, m: int, d: int) -> str | None:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def find_dates(text: str, *, dob: bool = False, today: dt.date | None = None) -> list[tuple[int, int, str]]:
    """Every date in `text` as (start, end, "YYYY-MM-DD"), in order; US month-first numerics."""
    today = today or dt.date.today()
    folded = _DATEISH_TOKEN.sub(lambda m: m.group().translate(_FOLD), text)
    found: list[tuple[int, int, str]] = []
    for m in _ISO.finditer(folded):
        iso = _make(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if iso:
            found.append((m.start(), m.end(), iso))
    for m in _NUMERIC.finditer(folded):
        iso = _make(_year(m.group(4), dob=dob, today=today), int(m.group(1)), int(m.group(3)))
        if iso:
            found.append((m.start(), m.end(), iso))
    # Named months: (pattern, group of the year, of the month, of the day).
    for rx, y, mo, d in ((_NAMED, 3, 1, 2), (_NAMED_DMY, 3, 2, 1), (_NAMED_DASHED, 4, 3, 1), (_NAMED_RUN, 3, 2, 1)):
        for m in rx.finditer(text):
            iso = _make(_year(m.group(y), dob=dob, today=today), _MONTHS[m.group(mo).lower()[:3]], int(m.group(d)))
            if iso:
                found.append((m.start(), m.end(), iso))
    found.sort()
    # Drop matches nested in an earlier one.
    out: list[tuple[int, int, str]] = []
    for f in found:
        if not out or f[0] >= out[-1][1]:
            out.append(f)
    return out


def first_date(text: str, *, dob: bool = False, today: dt.date | None = None) -> tuple[int, int, str] | None:
    dates = find_dates(text, dob=dob, today=today)
    return dates[0] if dates else None
