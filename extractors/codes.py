"""Codes: CPT/HCPCS and ICD-10-CM (NPI and tax ID: extractors/provider_ids.py).

Precision first: a number becomes a procedure code only when its line says so (a code label
nearer than any decoy label such as ZIP, phone, MRN), when it sits in a code table, or when a
procedure description is next to it; ZIP codes, phone numbers, lab values and doses are
refused. ICD-10-CM codes are validated against the code set; undotted codes and OCR repair
are only tried where the line or section is about diagnoses.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from extractors import icd10
from extractors.code_description import AGREES, DISAGREES, agreement, number_in_range, printed_descriptions
from extractors.context import assertion, in_diagnosis_section, unticked_option
from extractors.evidence import make_value
from extractors.models import FieldValue
from extractors.pagetext import Line, PageText
from extractors.rules import code_rules
from extractors.word_patterns import last_match, words_re

_R = code_rules()
_HCPCS_SHAPE = re.compile(r"[A-V]\d{4}")  # an undotted ICD-10 code can have a HCPCS code's shape
CORROBORATES = 90.0  # description agreement from which a code's reading needs no other support


_P = _R.procedure
_PROC_LABEL = words_re(_P.labels)
_DECOY_LABEL = words_re(_P.decoy_labels)
_DESCRIPTION = words_re(_P.description_words)
_TABLE_HEADER = words_re(_P.table_headers)
_DX_LABEL = words_re(_R.diagnosis.labels)
_DX_HEADER = re.compile(r"(?<![A-Za-z])(?:ICD-?\s?10(?:-CM)?|DIAGNOSIS\s+CODES?|DX\s+CODES?)(?![A-Za-z])", re.IGNORECASE)
_STATE_BEFORE = re.compile(r"(?:\b[A-Z]{2}\.?|\b(?:Arizona|California|Colorado|Washington|Texas|Florida|New York))[\s,]+$")
# A measure's unit follows its number closely ("5 mg", "100mL"): a column gap then a word ("93458
# <gap> L heart cath") is the next column.
_UNITS_AFTER = re.compile(
    r"^[ \t]?(?:" + "|".join(re.escape(u) for u in sorted(_P.unit_words, key=len, reverse=True)) + r")(?![A-Za-z])", re.IGNORECASE
)
# Category I (5 digits), II (4 digits + F), III (4 digits + T), PLA (4 digits + U); HCPCS II.
# A count glued to the code is its units ("97110x2"), not a longer token.
_GLUED_UNITS = r"(?![xX]\d{1,3}(?!\w))"
_CPT = re.compile(r"(?<![\w/.$#-])(\d{5}|\d{4}[FTU])(?!" + _GLUED_UNITS + r"[\w/]|\.\d|-\d{3}|\s?%)")
_HCPCS = re.compile(rf"(?<![\w/.$#-])([{_P.hcpcs_letters}]\d{{4}})(?!" + _GLUED_UNITS + r"[\w/]|\.\d|-\d{3})")
_MOD_ALPHA = {m for m in _P.modifiers if not m.isdigit()}
_MOD_NUM = {m for m in _P.modifiers if m.isdigit()}
_MOD_TOKEN = re.compile(r"(\s*-\s*|\s+|\s*,\s*)(?:mod(?:ifiers?)?\s*[:#]?\s*)?([A-Za-z0-9]{2})(?![\w.])", re.IGNORECASE)
_UNITS = re.compile(
    r"^[^\n]{0,40}?(?:\bx\s*(\d{1,3})\b(?!\s*(?:days?|weeks?|wks?|months?|mos?|years?|/))|\b(\d{1,3})\s*units?\b|\bunits?\s*[:=]?\s*(\d{1,3})\b|\bqty\.?\s*[:=]?\s*(\d{1,3})\b)",
    re.IGNORECASE,
)
_ICD_DOTTED = re.compile(r"(?<![A-Za-z0-9.])([A-Za-z0-9]{3}\.[A-Za-z0-9]{1,4})(?![A-Za-z0-9])")
_ICD_BARE = re.compile(r"(?<![A-Za-z0-9.])([A-Z][0-9][0-9A-Z]{1,5})(?![A-Za-z0-9.])")
# Where a code is printed: right after "Label:" or at the start of a list item.
_CODE_SLOT = re.compile(r"(?:[:#]|^\s*(?:\d{1,2}[.)]|[-\u2022*])?)\s*$")
_ICD_OCR_BARE = re.compile(r"(?<![A-Za-z0-9.])([A-Za-z0-9|]{3,7})(?![A-Za-z0-9.])")
_STREET_AFTER = re.compile(
    r"\s+(?:[NSEW]\.?\s+)?(?:[A-Z0-9][A-Za-z0-9]*\s+){1,3}(?:st|street|ave|avenue|rd|road|blvd|boulevard|dr|drive|way|ln|lane"
    r"|ct|court|pkwy|parkway|hwy|highway|pl|place|cir|circle|ter|terrace)\b\.?",
    re.IGNORECASE,
)
# OCR damage: a code in parentheses read with digits for letters, or split after its dot.
_ICD_MISREAD = re.compile(
    r"\(\s*([A-Za-z0-9]{3}(?:(?:[.,]\s?|\s)[A-Za-z0-9]{1,4})?)\s*\)"
    r"|(?<![A-Za-z0-9.])([A-Za-z][0-9A-Za-z]{2}[.,]\s[0-9A-Za-z]{1,4})(?![A-Za-z0-9])"
    r"|(?<![A-Za-z0-9.,])([A-Za-z0-9]{3},[A-Za-z0-9]{1,4})(?![A-Za-z0-9,])"
)


# -- CPT / HCPCS ----------------------------------------------------------------------------
@dataclass(frozen=True)
class _Table:
    start: int  # offset where the rows begin
    end: int
    has_units: bool
    has_modifier: bool


def _code_tables(pt: PageText) -> list[_Table]:
    tables = []
    for ln in pt.lines:
        lower = ln.text.lower()
        if not _TABLE_HEADER.search(ln.text) or _CPT.search(ln.text) or _HCPCS.search(ln.text):
            continue
        rows_end = None
        for row in pt.lines[ln.index + 1 : ln.index + 1 + _P.table_max_rows]:
            stripped = row.text.strip()
            if not stripped:
                if rows_end is None:
                    continue
                break
            # A row may open with a box edge or a line number ("| 64494-50 ...", "1     93458").
            if not re.match(
                rf"^(?:\|\s*)?(?:[-*\u2022]\s*|\d+[.)]\s+|\d{{1,2}}\s{{2,}})?(?:\d{{5}}|\d{{4}}[FTU]|[{_P.hcpcs_letters}]\d{{4}})\b",
                stripped,
            ):
                break
            rows_end = row.end
        if rows_end is not None:
            tables.append(_Table(ln.end + 1, rows_end, "unit" in lower or "qty" in lower, "mod" in lower))
    return tables


def _proc_context(pt: PageText, line: Line, start: int, end: int, tables: list[_Table]) -> float:
    """Certainty that the code-shaped token at [start, end) is a procedure code (0 = no)."""
    before = pt.text[line.start : start]
    after = pt.text[end : line.end]
    if _STATE_BEFORE.search(before) or _UNITS_AFTER.match(after):
        return 0.0
    if re.search(r"[(]\s*$", before) and re.match(r"\s*[)]\s*\d{3}", after):  # (602) 555 ...
        return 0.0
    label = last_match(_PROC_LABEL, before)
    decoy = last_match(_DECOY_LABEL, before)
    dx = last_match(_DX_LABEL, before)
    # "A group 2 power wheelchair (K0823)": a service's name between the decoy word and the
    # code says the code is the service's, not the group's.
    if decoy and _DESCRIPTION.search(before[decoy.end() :]):
        decoy = None
    if decoy and (label is None or decoy.start() > label.start()):
        return 0.0
    if dx and (label is None or dx.start() > label.start()):
        return 0.0
    if label:
        return 0.95
    if line.index > 0:
        above = pt.lines[line.index - 1].text.strip()
        if above and _PROC_LABEL.fullmatch(above.rstrip(":").strip()):
            return 0.9
    if any(t.start <= start < t.end for t in tables):
        return 0.9
    window = pt.text[max(line.start, start - _P.description_distance) : min(line.end, end + _P.description_distance)]
    if _DESCRIPTION.search(window):
        return 0.8
    return 0.0


def _modifiers_and_units(pt: PageText, line: Line, end: int, table: _Table | None) -> tuple[list[str], int | None, int]:
    text = pt.text[: line.end]
    mods: list[str] = []
    pos = end
    while len(mods) < 4:
        m = _MOD_TOKEN.match(text, pos)
        if not m:
            break
        token = m.group(2).upper()
        # Two-digit modifiers need a dash ("72148-26") or a Modifier column: "x 26" is a count.
        numeric_ok = token in _MOD_NUM and ("-" in m.group(1) or (table is not None and table.has_modifier))
        if token not in _MOD_ALPHA and not numeric_ok:
            break
        mods.append(token)
        pos = m.end()
    units = None
    # Units belong to this code's line item: never read past the next code on the line
    # ("J9271 JZ injection, pembrolizumab, 1 mg; 96413 x1" gives J9271 no units).
    stop = line.end
    for rx in (_CPT, _HCPCS):
        nxt = rx.search(pt.text, pos, line.end)
        if nxt is not None:
            stop = min(stop, nxt.start())
    um = _UNITS.match(pt.text[pos:stop])
    if um:
        units = int(next(g for g in um.groups() if g))
    elif table is not None and table.has_units:
        # The last bare count of the row, not a dose of its description ("pembrolizumab, 1 mg").
        row = pt.text[pos:stop]
        nums = [
            m.group(1) for m in re.finditer(r"(?<![\w./-])(\d{1,3})(?![\w./-])", row) if not _UNITS_AFTER.match(row[m.end() :])
        ]
        if nums:
            units = int(nums[-1])
    return mods, units, pos


def _listed_under(pt: PageText, line: Line, start: int, accepted: set[tuple[int, int]]) -> bool:
    """The code starts its line's text in the column of a procedure code on the line above: the
    next item of a list ("Procedure(s) .... 22551 ACDF" / "                22552 each additional")."""
    if pt.text[line.start : start].strip(" \t|") or line.index == 0:
        return False
    column = start - line.start
    above = next((ln for ln in pt.lines[line.index - 1 :: -1] if ln.text.strip()), None)
    return above is not None and any(i == above.index and abs(c - column) <= 1 for i, c in accepted)


def extract_procedures(pt: PageText) -> list[FieldValue]:
    tables = _code_tables(pt)
    out = []
    found = sorted(
        ((m, name) for name, rx in (("cpt", _CPT), ("hcpcs", _HCPCS)) for m in rx.finditer(pt.text)),
        key=lambda t: t[0].start(),
    )
    accepted: set[tuple[int, int]] = set()  # (line index, column) of the codes taken so far
    for m, name in found:
        line = pt.line_at(m.start())
        certainty = _proc_context(pt, line, m.start(), m.end(), tables)
        if certainty == 0.0 and _listed_under(pt, line, m.start(), accepted):
            certainty = 0.85
        # "[ ] CT abd/pelvis WITH IV contrast (74177)": an option not ticked is not ordered.
        if certainty == 0.0 or unticked_option(pt, m.start()):
            continue
        accepted.add((line.index, m.start() - line.start))
        table = next((t for t in tables if t.start <= m.start() < t.end), None)
        mods, units, _end = _modifiers_and_units(pt, line, m.end(), table)
        out.append(
            make_value(
                pt.words,
                name,
                m.group(1),
                m.start(),
                m.end(),
                certainty=certainty,
                attributes={"modifiers": mods, "units": units},
            )
        )
    return out


# -- ICD-10-CM ------------------------------------------------------------------------------
def _dx_context(pt: PageText, line: Line, start: int) -> bool:
    """The line says diagnosis before the code, a diagnosis column header sits on the line
    above (a form's grid), or the code is in a diagnosis section."""
    return _dx_labelled(pt, line, start) or in_diagnosis_section(pt, start)


def extract_icd10(pt: PageText) -> list[FieldValue]:
    out = []
    seen: set[int] = set()

    def add(entry: icd10.Icd10Entry, start: int, end: int, certainty: float, printed: str | None) -> None:
        seen.add(start)
        line = pt.line_at(start)
        agree = agreement(entry.description, printed_descriptions(line.text, start - line.start, end - line.start))
        if agree is not None and agree < DISAGREES:
            certainty *= 0.7  # the words beside the code describe something else: misread or miscoded
        attrs = {
            "description": entry.description,
            "billable": entry.billable,
            "assertion": assertion(pt, start, end, target="icd10", ignore_text=entry.description),
            "description_agreement": None if agree is None else round(agree),
        }
        if printed is not None:
            attrs.update({"repaired": True, "printed": printed})
        value = make_value(pt.words, "icd10", entry.code, start, end, certainty=certainty, attributes=attrs)
        if agree is not None and agree >= CORROBORATES and printed is None:
            # A valid code whose printed description is the code set's own words was read right,
            # however faint the OCR thought the digits were ("Snoring (R06.83)" at 0.35).
            sure = round(max(value.confidence, 0.85 * certainty), 4)
            value = replace(value, confidence=sure, evidence=replace(value.evidence, confidence=sure))
        out.append(value)

    for m in _ICD_DOTTED.finditer(pt.text):
        token = m.group(1)
        line = pt.line_at(m.start())
        dx = _dx_context(pt, line, m.start())
        entry = icd10.lookup(token) if token[0].isalpha() and token[:3].upper() == token[:3] else None
        if entry is not None:
            add(entry, m.start(), m.end(), 0.95 if dx else 0.85, None)
            continue
        # Repair needs a letter somewhere or a diagnosis context: "110.5" in a lab table is a number.
        if dx or any(ch.isalpha() for ch in token):
            fixed = icd10.repair(token)
            if fixed is not None:
                add(fixed, m.start(), m.end(), 0.75 if dx else 0.6, token)
    # Before the undotted passes: "M54, 16" is one broken code, not the category M54.
    for m in _ICD_MISREAD.finditer(pt.text):
        _add_misread(pt, m, seen, add)
    for m in _ICD_BARE.finditer(pt.text):
        if m.start() in seen:
            continue
        line = pt.line_at(m.start())
        # "Essential hypertension (I10)": a valid code in parentheses after a condition's name
        # reads as a code even outside a diagnosis section (a problem list, past history).
        in_parens = pt.text[m.start() - 1 : m.start()] == "(" and pt.text[m.end() : m.end() + 1] == ")"
        entry = icd10.lookup(m.group(1))
        # "I10 Essential (primary) hypertension" further down a diagnosis table: the code set's own
        # words beside it are context enough.
        if (
            not in_parens
            and not _dx_context(pt, line, m.start())
            and (entry is None or not _described(entry, line, m.start(), m.end()))
        ):
            continue
        if entry is not None and _HCPCS_SHAPE.fullmatch(m.group(1)) and not _dx_labelled(pt, line, m.start()):
            # "power wheelchair (K0823)" is the HCPCS code, not K08.23 (wear of teeth): a token
            # of both shapes is a diagnosis only when the words beside it do not say otherwise.
            agree = agreement(entry.description, printed_descriptions(line.text, m.start() - line.start, m.end() - line.start))
            if agree is not None and agree < DISAGREES:
                continue
        if entry is not None:
            add(entry, m.start(), m.end(), 0.85 if not in_parens or _dx_context(pt, line, m.start()) else 0.75, None)
    for m in _ICD_OCR_BARE.finditer(pt.text):
        token = m.group(1)
        if m.start() in seen or icd10.lookup(token) is not None or token.isalpha():
            continue
        line = pt.line_at(m.start())
        if not _dx_context(pt, line, m.start()):
            continue
        # A bare number is a repair candidate only when printed where a code belongs:
        # right after a diagnosis label or at the start of a diagnosis list item.
        if token.isdigit() and not _CODE_SLOT.search(pt.text[line.start : m.start()]):
            continue
        if token.isdigit() and _STREET_AFTER.match(pt.text, m.end()):
            continue  # "1200 Fifth Ave": a street number
        fixed = icd10.repair(token)
        # An all-digit token must repair to a billable code: "555" -> S55 (a category) is noise.
        if fixed is not None and (fixed.billable or not token.isdigit()):
            add(fixed, m.start(), m.end(), 0.7, token)
    return out


def _dx_labelled(pt: PageText, line: Line, start: int) -> bool:
    """A diagnosis label before the code on its line, or a diagnosis column header above it."""
    if _DX_LABEL.search(pt.text[line.start : start]):
        return True
    return line.index > 0 and bool(_DX_HEADER.search(pt.lines[line.index - 1].text))


def _described(entry: icd10.Icd10Entry, line: Line, start: int, end: int) -> bool:
    agree = agreement(entry.description, printed_descriptions(line.text, start - line.start, end - line.start))
    return agree is not None and agree >= CORROBORATES


def _add_misread(pt: PageText, m: re.Match[str], seen: set[int], add: Callable[..., None]) -> None:
    """A code OCR broke ("M54. 16", "M54, 16") or misread in parentheses ("Hypertension (110)"):
    taken when it is a valid code after joining and letter/digit repair, and the line is about
    diagnoses or the words beside it describe that code."""
    group = m.lastindex or 1
    start, end = m.start(group), m.end(group)
    if start in seen:
        return
    printed = m.group(group)
    token = re.sub(r"[.,]\s?|\s", ".", printed)
    entry = icd10.lookup(token) if token[0].isalpha() else None
    repaired = entry is None
    if entry is None:
        entry = icd10.repair(token)
    if entry is None or not entry.billable:
        return
    line = pt.line_at(start)
    described = (
        agreement(entry.description, printed_descriptions(line.text, start - line.start, end - line.start)) or 0
    ) >= AGREES or number_in_range(entry.description, line.text, start - line.start)
    # A number alone ("(110)") is a code only when its neighbours name the condition; one with a
    # code's own shape ("(298. 890)": three digits, a dot, decimals) also where diagnoses are.
    code_shaped = any(ch.isalpha() for ch in token) or re.fullmatch(r"\d{3}\.\d{1,4}", token)
    if not described and (not code_shaped or not _dx_context(pt, line, start)):
        return
    add(entry, start, end, 0.75 if described else 0.65, printed if repaired or token != printed else None)
