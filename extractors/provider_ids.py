"""Provider identifiers on a page: NPIs (with their check digit and the role the page gives
them: ordering, rendering, facility, or a signer settled by the document's type) and tax IDs.
A number is one only where a label says so: on its line, alone above it, or as a column header
over it."""

from __future__ import annotations

import re

from extractors.evidence import make_value
from extractors.identifiers import is_valid_npi
from extractors.models import FieldValue
from extractors.pagetext import Line, PageText
from extractors.rules import code_rules
from extractors.word_patterns import last_match, words_re

_R = code_rules()
_NPI_LABEL = re.compile(_R.npi.label_regex, re.IGNORECASE)
_NPI_NUMBER = re.compile(r"(?<![\d-])([12]\d{9})(?![\d-])")
_ROLE_RES = {role: words_re(words) for role, words in _R.npi.roles.items()}
_TAX_LABEL = words_re(_R.tax_id.labels)
_TAX_NUMBER = re.compile(r"(?<![\d-])(\d{2})[-\s]?(\d{7})(?![\d-])")


def _npi_role(pt: PageText, line: Line, start: int) -> str:
    """The role word nearest before the number: on its line, then in the lines above, where a
    heading over two columns ("ORDERING PROVIDER      RENDERING PROVIDER") gives each number
    the role of the heading above its own column."""
    found = _roles_in(pt.text[line.start : start])
    if found:
        return max(found)[1]
    column = start - line.start
    for ln in pt.lines[max(0, line.index - _R.npi.role_lines_above) : line.index][::-1]:
        found = _roles_in(ln.text)
        if found:
            return min(found, key=lambda f: (abs(f[0] - column), -f[0]))[1]
    return "unknown"


def _roles_in(text: str) -> list[tuple[int, str]]:
    """(start, role) of the role words of `text`. A signer's word that only completes another
    role's ("Referring physician") is that role's."""
    found = []
    for role, rx in _ROLE_RES.items():
        for m in rx.finditer(text):
            found.append((m.start(), m.end(), role))
    out = []
    for a, _b, role in found:
        if role == "signer" and any(r != "signer" and 0 <= a - e <= 2 for _s, e, r in found):
            continue
        out.append((a, role))
    return out


def _label_over(pt: PageText, line: Line, start: int, end: int) -> bool:
    """An NPI label on the line above whose box starts where the number's box does (within a
    few percent of the page width): a column header over its value."""
    if line.index == 0:
        return False
    prev = pt.lines[line.index - 1]
    number = pt.words.bbox_of(start, end)
    if number is None:
        return False
    for lm in _NPI_LABEL.finditer(prev.text):
        label = pt.words.bbox_of(prev.start + lm.start(), prev.start + lm.end())
        if label is not None and (abs(label[0] - number[0]) < 0.04 or label[0] <= number[0] <= label[2]):
            return True
    return False


def extract_npis(pt: PageText) -> list[FieldValue]:
    out = []
    for m in _NPI_NUMBER.finditer(pt.text):
        line = pt.line_at(m.start())
        before = pt.text[max(line.start, m.start() - _R.npi.max_label_distance - 5) : m.start()]
        labelled = last_match(_NPI_LABEL, before)
        if labelled is None:
            prev = pt.lines[line.index - 1].text if line.index > 0 else ""
            # "NPI" alone at the end of the line above (label over value), or an "NPI" column
            # header over the number (a form's grid).
            over = _NPI_LABEL.search(prev[-12:]) and not pt.text[line.start : m.start()].strip()
            if not over and not _label_over(pt, line, m.start(1), m.end(1)):
                continue
        valid = is_valid_npi(m.group(1))
        role = _npi_role(pt, line, m.start())
        out.append(
            make_value(
                pt.words,
                "npi",
                m.group(1),
                m.start(1),
                m.end(1),
                certainty=0.95 if valid else 0.45,
                attributes={"role": role, "valid": valid},
            )
        )
    return out


def extract_tax_ids(pt: PageText) -> list[FieldValue]:
    out = []
    for m in _TAX_NUMBER.finditer(pt.text):
        line = pt.line_at(m.start())
        before = pt.text[max(line.start, m.start() - _R.tax_id.max_label_distance) : m.start()]
        if not _TAX_LABEL.search(before):
            continue
        value = f"{m.group(1)}-{m.group(2)}"
        out.append(make_value(pt.words, "tax_id", value, m.start(), m.end(), certainty=0.9 if "-" in m.group() else 0.8))
    return out


__all__ = ["extract_npis", "extract_tax_ids"]
