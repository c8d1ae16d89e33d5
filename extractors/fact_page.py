"""One page as the fact extractors see it: the fact rules, the lexicon of every name in
them (found in one prefix-tree scan), the page's hits, and the helpers every fact kind shares
(the date printed next to a fact, the FieldValue it becomes)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from extractors.dates import find_dates
from extractors.evidence import make_value
from extractors.fact_schema import ServiceFactRules, fact_rules
from extractors.fact_terms import IGNORE, Hit, Lexicon, Role, TermMatcher, simple_matcher
from extractors.models import FieldValue
from extractors.pagetext import PageText

_F = fact_rules()
_I = re.IGNORECASE


# --- the lexicon: every name of the rule file, found in one pass ----------------------------
def _lexicon(rules: ServiceFactRules) -> TermMatcher:
    lex = Lexicon.empty()
    lex.add(Role(IGNORE, ""), rules.ignore_terms, rules.case_sensitive_ignore_terms)
    for name, t in rules.therapies.items():
        lex.add(Role("therapy", name), t.terms, t.case_sensitive_terms, t.patterns, t.case_sensitive_patterns)
    for cls, mc in rules.medication_classes.items():
        extra = [Role("therapy", mc.therapy)] if mc.therapy else []
        for role in [Role("drug_class", cls, cls), *extra]:
            lex.add(role, mc.terms)
        for generic, names in mc.drugs.items():
            own = [] if generic in mc.names_only else [generic]  # "triamcinolone" alone is an injection
            for role in [Role("drug", generic, cls), *extra]:
                lex.add(role, [*own, *names])
        for abbreviation, generic in mc.case_sensitive_drugs.items():
            for role in [Role("drug", generic, cls), *extra]:
                lex.add(role, case_sensitive_terms=[abbreviation])
    for name, t in rules.red_flags.items():
        lex.add(Role("red_flag", name), t.terms, t.case_sensitive_terms, t.patterns, t.case_sensitive_patterns)
    for name, m in rules.measures.items():
        for key, a in m.anchors.items():
            lex.add(Role("measure", name, key), a.terms, a.case_sensitive_terms)
    for test, t in rules.tb_test.tests.items():
        lex.add(Role("tb", test), t.terms, t.case_sensitive_terms)
    p = rules.pd_l1.anchors
    lex.add(Role("pd_l1", "PD-L1"), p.terms, p.case_sensitive_terms, p.patterns, p.case_sensitive_patterns)
    for marker, mr in rules.biomarkers.markers.items():
        lex.add(Role("marker", marker), mr.terms, mr.case_sensitive_terms)
        for name, result in mr.implied.items():
            # Written in lower case: any case ("microsatellite stable"); with capitals: as written ("dMMR").
            lowered = name == name.lower()
            lex.add(
                Role("marker", marker, result), terms=[name] if lowered else [], case_sensitive_terms=[] if lowered else [name]
            )
    st = rules.stress_test
    for test, t in st.tests.items():
        lex.add(Role("stress_test", test), t.terms, t.case_sensitive_terms, t.patterns, t.case_sensitive_patterns)
    for result, terms in st.findings.items():  # "reversible perfusion defect": the result is in the name
        lex.add(Role("stress_test", st.findings_test, result), terms)
    for kind, f in rules.findings.items():
        for value, t in f.values.items():
            lex.add(Role(kind, value), t.terms, t.case_sensitive_terms, t.patterns, t.case_sensitive_patterns)
    for sig_kind, terms in rules.signature.names.items():
        lex.add(Role("signature", sig_kind), terms)
    return lex.compile()


LEXICON = _lexicon(_F)
SYMPTOMS = simple_matcher(_F.symptom_words, "symptom")
TREATMENT_KINDS = ("therapy", "drug", "drug_class")


# --- one page --------------------------------------------------------------------------------
@dataclass
class FactPage:
    pt: PageText
    lowered: str
    hits: list[Hit]
    _dates: dict[tuple[int, int], list[tuple[int, int, str]]] = field(default_factory=dict)
    _outcomes: dict[tuple[int, int], list[tuple[int, int, str]]] = field(default_factory=dict)

    @classmethod
    def read(cls, pt: PageText) -> FactPage:
        lowered = pt.text.lower()
        if len(lowered) != len(pt.text):
            # A few characters ("İ") lower-case to two: keep offsets equal, char by char.
            lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in pt.text)
        return cls(pt, lowered, LEXICON.find(pt.text, lowered))

    @property
    def text(self) -> str:
        return self.pt.text

    def of(self, kind: str) -> list[Hit]:
        return [h for h in self.hits if h.has(kind)]

    def dates_in(self, s0: int, s1: int) -> list[tuple[int, int, str]]:
        if (s0, s1) not in self._dates:
            chunk = self.text[s0:s1]
            found = find_dates(chunk) if _DATE_HINT.search(self.lowered, s0, s1) else []
            self._dates[(s0, s1)] = [(a + s0, b + s0, iso) for a, b, iso in found]
        return self._dates[(s0, s1)]

    def outcome_words(self, sentence: tuple[int, int]) -> list[tuple[int, int, str]]:
        """(start, end, kind) of the outcome and trial words of a sentence, found once."""
        if sentence not in self._outcomes:
            found = _OUTCOME.finditer(self.lowered, *sentence)
            self._outcomes[sentence] = [(m.start(), m.end(), m.lastgroup or "") for m in found]
        return self._outcomes[sentence]

    def value(self, name: str, value: Any, start: int, end: int, certainty: float, attrs: dict[str, Any]) -> FieldValue:
        return make_value(self.pt.words, name, value, start, end, certainty=certainty, attributes=attrs)


# Outcome and trial words of a treatment ("failed", "did not tolerate", "tried"), by kind.
_OUTCOME = re.compile("|".join(f"(?P<{k}>{'|'.join(v)})" for k, v in [*_F.outcomes.items(), ("trial", _F.trial_words)]))
# Cheap test before the full date search: a numeric date or a month name followed by a day.
_DATE_HINT = re.compile(
    # "26-Nov-2025" and "08JUN2026" too.
    r"\d[/.-]\d|\d{4}-\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d"
    r"|\d[\s/.-]*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
)


# --- dates next to a fact ------------------------------------------------------------------
_RANGE_JOINER = re.compile(_F.date_range_joiner, _I)
_LABEL_COLON = re.compile(r"\s*:")


def date_attrs(page: FactPage, start: int, end: int) -> dict[str, str]:
    """{"date": ISO} for a date written next to text[start:end] in its sentence (plus
    "date_end" for a range "08/24/2026 to 10/05/2026"); {} when none is."""
    s0, s1 = page.pt.sentence(start, end)
    dates = page.dates_in(s0, s1)
    best: tuple[int, int] | None = None  # (gap, index)
    for i, (ds, de, _iso) in enumerate(dates):
        gap = ds - end if ds >= end else start - de if de <= start else 0
        label = de <= start and _LABEL_COLON.match(page.text, de) is not None
        if gap <= _F.date_max_gap or label:
            rank = gap if gap <= _F.date_max_gap else _F.date_max_gap + gap
            if best is None or rank < best[0]:
                best = (rank, i)
    if best is None:
        return _month_range(page, start, end, s0, s1)
    i = best[1]
    if i > 0 and _RANGE_JOINER.fullmatch(page.text, dates[i - 1][1], dates[i][0]):
        i -= 1  # the nearer date ends a range: the fact's date is where the range starts
    out = {"date": dates[i][2]}
    if i + 1 < len(dates) and _RANGE_JOINER.fullmatch(page.text, dates[i][1], dates[i + 1][0]):
        out["date_end"] = dates[i + 1][2]
    return out


# "Topiramate 100 mg/day, 03/2024 - 08/2024": a range of months, read short (from the start
# month's end to the end month's start) so that a duration is never overstated.
_MONTH_RANGE = re.compile(r"(?<![\d/])(0?[1-9]|1[0-2])/(\d{4})\s*(?:-|–|to|through|thru)\s*(0?[1-9]|1[0-2])/(\d{4})(?![\d/])", _I)


def _month_range(page: FactPage, start: int, end: int, s0: int, s1: int) -> dict[str, str]:
    for m in _MONTH_RANGE.finditer(page.text, s0, s1):
        gap = m.start() - end if m.start() >= end else start - m.end() if m.end() <= start else 0
        if gap > _F.date_max_gap:
            continue
        y0, m0, y1, m1 = int(m.group(2)), int(m.group(1)), int(m.group(4)), int(m.group(3))
        first = date(y0, m0, calendar.monthrange(y0, m0)[1])
        last = date(y1, m1, 1)
        if last > first:
            return {"date": first.isoformat(), "date_end": last.isoformat()}
    return {}


def fact_value(
    page: FactPage, name: str, value: Any, span: tuple[int, int], certainty: float, attrs: dict[str, Any]
) -> FieldValue:
    return page.value(name, value, span[0], span[1], certainty, {**attrs, **date_attrs(page, *span)})
