"""Values found without a label of their own, when the labelled reading (extractors.labels)
gave none: an MBI by its shape on a page about Medicare, a known payer's name near the top, a
letter's or a note's date on its own or on the title line."""

from __future__ import annotations

import re

from extractors.dates import first_date
from extractors.evidence import make_value
from extractors.identifiers import is_valid_mbi, normalize_member_id
from extractors.labels import KNOWN_PAYERS, find_labels
from extractors.models import FieldValue
from extractors.pagetext import PageText

_MBI_TOKEN = re.compile(
    r"(?<![A-Za-z0-9-])([1-9][A-Za-z][A-Za-z0-9][0-9]-?[A-Za-z][A-Za-z0-9][0-9]-?[A-Za-z]{2}[0-9]{2})(?![A-Za-z0-9-])"
)
_MEDICARE_WORDS = re.compile(r"\b(?:medicare|mbi)\b", re.IGNORECASE)


def mbis_anywhere(pt: PageText) -> list[FieldValue]:
    """MBIs printed away from their label (a card's value row under a row of labels): the MBI's
    shape, with CMS's excluded letters, is specific enough on a page that speaks of Medicare."""
    if not _MEDICARE_WORDS.search(pt.text):
        return []
    out = []
    for m in _MBI_TOKEN.finditer(pt.text):
        if is_valid_mbi(m.group(1)):
            value = normalize_member_id(m.group(1))
            attrs = {"mbi": True, "valid": True, "id_format": "mbi", "label": None}
            out.append(make_value(pt.words, "member_id", value, m.start(1), m.end(1), certainty=0.8, attributes=attrs))
    return out


def known_payer_fallback(pt: PageText, *, top_lines: int = 15) -> list[FieldValue]:
    """A payer name printed near the top (card logos, letterheads), when no label names one."""
    limit = pt.lines[min(top_lines, len(pt.lines)) - 1].end if pt.lines else 0
    head = pt.text[:limit]
    for _name, rx in KNOWN_PAYERS:
        m = rx.search(head)
        if m:
            return [make_value(pt.words, "payer_name", m.group(), m.start(), m.end(), certainty=0.6, attributes={"label": None})]
    return []


# A title line that carries the document's date: "Progress note - 16 July 2026", "Office Visit
# 2026-03-03 (in person)", "Consultation -- 12 August 2026", "Orthopaedic Clinic Note   04/14/2026".
_DATED_TITLE = re.compile(
    r"\b(?:note|visit|consult(?:ation)?|evaluation|eval|re-?evaluation|follow[- ]?up|encounter|assessment|h\s*&\s*p|soap|report|letter)\b",
    re.IGNORECASE,
)


def standalone_date_fallback(pt: PageText, *, top_lines: int = 12) -> list[FieldValue]:
    """A letter's date: a line holding only a date near the top of the first page; else a date
    on a title line that names the document (no label of its own before it)."""
    titled: FieldValue | None = None
    for line in pt.lines[:top_lines]:
        text = line.text.strip()
        found = first_date(text)
        if not found:
            continue
        off = line.start + (len(line.text) - len(line.text.lstrip()))
        if found[0] == 0 and found[1] >= len(text) - 1:
            return [
                make_value(
                    pt.words, "document_date", found[2], off + found[0], off + found[1], certainty=0.6, attributes={"label": None}
                )
            ]
        head = text[: found[0]]
        if titled is None and _DATED_TITLE.search(head) and ":" not in head and not find_labels(line):
            titled = make_value(
                pt.words, "document_date", found[2], off + found[0], off + found[1], certainty=0.6, attributes={"label": None}
            )
    return [titled] if titled is not None else []
