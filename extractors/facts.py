"""Clinical facts that documentation requirements ask for, each with value, assertion and date.

Kinds, values and attributes are listed at the top of data/facts.yaml. Every fact carries its
assertion (present / negated / historical / hypothetical, from extractors.context): negated
and hypothetical facts are reported too, and the checker refuses them.

One page is read in a few passes, not one regex loop per rule: the lexicon (therapies,
medications, red flags, the names of measures, TB tests, PD-L1 and biomarkers) is found in one
prefix-tree scan (extractors.fact_terms), durations from their unit words; everything else is
a small anchored match next to a name that was found, within its sentence.

- A duration next to a treatment mention is that treatment's duration; a duration in a
  sentence about symptoms is the symptom duration.
- A treatment's outcome comes from its own part of the sentence ("PT helped, but naproxen
  failed" gives each its own).
- A result (TB test, biomarker, PD-L1) is a fact only when the result is written: "no TB test
  on file" names no result and gives no fact. The assertion of a result is that of its result
  word, so "QuantiFERON negative" is a present negative test, and "if negative" hypothetical.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from extractors.context import assertion
from extractors.dates import find_dates
from extractors.evidence import make_value
from extractors.fact_terms import IGNORE, Hit, Lexicon, Role, TermMatcher, result_table, simple_matcher, term_key
from extractors.models import FieldValue
from extractors.pagetext import PageText
from extractors.rules import FactRules, MeasureRule, fact_rules, fill_snippets

_F = fact_rules()
_I = re.IGNORECASE


# --- the lexicon: every name of the rule file, found in one pass ----------------------------
def _lexicon(rules: FactRules) -> TermMatcher:
    lex = Lexicon.empty()
    lex.add(Role(IGNORE, ""), rules.ignore_terms, rules.case_sensitive_ignore_terms)
    for name, t in rules.therapies.items():
        lex.add(Role("therapy", name), t.terms, t.case_sensitive_terms, t.patterns, t.case_sensitive_patterns)
    for cls, mc in rules.medication_classes.items():
        extra = [Role("therapy", mc.therapy)] if mc.therapy else []
        for role in [Role("drug_class", cls, cls), *extra]:
            lex.add(role, mc.terms)
        for generic, names in mc.drugs.items():
            for role in [Role("drug", generic, cls), *extra]:
                lex.add(role, [generic, *names])
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
    return lex.compile()


_LEXICON = _lexicon(_F)
_SYMPTOMS = simple_matcher(_F.symptom_words, "symptom")
_TREATMENT_KINDS = ("therapy", "drug", "drug_class")


# --- one page --------------------------------------------------------------------------------
@dataclass
class _Page:
    pt: PageText
    lowered: str
    hits: list[Hit]
    _dates: dict[tuple[int, int], list[tuple[int, int, str]]] = field(default_factory=dict)
    _outcomes: dict[tuple[int, int], list[tuple[int, int, str]]] = field(default_factory=dict)

    @classmethod
    def read(cls, pt: PageText) -> _Page:
        lowered = pt.text.lower()
        if len(lowered) != len(pt.text):
            # A few characters ("İ") lower-case to two: keep offsets equal, char by char.
            lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in pt.text)
        return cls(pt, lowered, _LEXICON.find(pt.text, lowered))

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


# Cheap test before the full date search: a numeric date or a month name followed by a day.
_DATE_HINT = re.compile(
    r"\d[/.-]\d|\d{4}-\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d|\d\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
)


# --- dates next to a fact ------------------------------------------------------------------
_RANGE_JOINER = re.compile(_F.date_range_joiner, _I)
_LABEL_COLON = re.compile(r"\s*:")


def _date_attrs(page: _Page, start: int, end: int) -> dict[str, str]:
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
        return {}
    i = best[1]
    if i > 0 and _RANGE_JOINER.fullmatch(page.text, dates[i - 1][1], dates[i][0]):
        i -= 1  # the nearer date ends a range: the fact's date is where the range starts
    out = {"date": dates[i][2]}
    if i + 1 < len(dates) and _RANGE_JOINER.fullmatch(page.text, dates[i][1], dates[i + 1][0]):
        out["date_end"] = dates[i + 1][2]
    return out


def _fact(page: _Page, name: str, value: Any, span: tuple[int, int], certainty: float, attrs: dict[str, Any]) -> FieldValue:
    return page.value(name, value, span[0], span[1], certainty, {**attrs, **_date_attrs(page, *span)})


# --- durations ------------------------------------------------------------------------------
def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class _DurationRules:
    """A duration is found from its unit word ("weeks"): the number just before it, then the
    words before the number ("x", "for the past", "duration of") or after the unit ("of",
    "history of", "ago"). Scanning for unit words and looking around them costs a fraction
    of one regex with optional context at every position."""

    unit: re.Pattern[str]
    number: re.Pattern[str]
    prefix: re.Pattern[str]
    suffix: re.Pattern[str]


def _duration_rules(rules: FactRules) -> _DurationRules:
    words = _alternation(list(rules.number_words))
    qual = (
        r"(?:(?:the|past|last|over|about|approximately|approx\.?|nearly|almost|more\s+than|over\s+the\s+past"
        r"|at\s+least|greater\s+than|>)\s+)*"
    )
    return _DurationRules(
        unit=re.compile(rf"(?<![a-z])(?:{_alternation(list(rules.unit_weeks))})\.?(?![a-z])"),
        number=re.compile(rf"(?:(?<![\d.])(?P<digits>\d+(?:\.\d+)?)|\b(?P<word>{words}))\+?\s*-?\s*$"),
        # "x 8 weeks", "for the past 3 months", "over the last 2 weeks", "duration of 6 weeks"
        prefix=re.compile(
            rf"(?:(?P<x>(?<![a-z])x\s*)|(?P<for>\bfor\s+{qual})|\b(?:over|in|during)\s+the\s+(?:past|last)\s+"
            rf"|\bduration\s*(?:of|:)?\s*{qual})$"
        ),
        # "2-month history of", "6 weeks of", "9 weeks ago"
        suffix=re.compile(r"(?P<hist>\s+(?:of\s+)?(?:a\s+)?history\s+of\b)|\s+ago\b|\s+(?:of|duration)\b"),
    )


_DURATION = _duration_rules(_F)
_NUMBER_LOOKBACK = 24  # characters before a unit word searched for its number
_PREFIX_LOOKBACK = 60


@dataclass(frozen=True)
class _Duration:
    start: int
    end: int
    weeks: float
    history: bool  # "2-month history of": always a symptom duration


def _weeks(number: str, unit: str) -> float | None:
    n = _F.number_words.get(number)
    if n is None:
        try:
            n = float(number)
        except ValueError:
            return None
    factor = _F.unit_weeks.get(unit.rstrip("."))
    return None if factor is None else round(n * factor, 2)


def _durations(page: _Page) -> list[_Duration]:
    out = []
    text, d = page.lowered, _DURATION
    for u in d.unit.finditer(text):
        num = d.number.search(text, max(0, u.start() - _NUMBER_LOOKBACK), u.start())
        if num is None:
            continue
        prefix = d.prefix.search(text, max(0, num.start() - _PREFIX_LOOKBACK), num.start())
        suffix = d.suffix.match(text, u.end())
        if prefix is None and suffix is None:
            continue  # "Follow up in 6 weeks": a bare interval is not a duration
        weeks = _weeks(num.group("digits") or num.group("word"), u.group())
        if weeks is None or weeks <= 0 or weeks > 52 * 80:
            continue
        start = prefix.start() if prefix else num.start()
        end = suffix.end() if suffix else u.end()
        history = (
            suffix is not None
            and suffix.group("hist") is not None
            and not (prefix and (prefix.group("x") or prefix.group("for")))
        )
        out.append(_Duration(start, end, weeks, history))
    return out


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Characters between two spans; negative when they overlap."""
    return b[0] - a[1] if a[1] <= b[0] else a[0] - b[1]


# --- treatments: conservative therapy and medication trials ---------------------------------
@dataclass
class _Treatment:
    hit: Hit
    sentence: tuple[int, int]
    group: int = 0
    segment: tuple[int, int] = (0, 0)
    weeks: float | None = None

    @property
    def span(self) -> tuple[int, int]:
        return self.hit.start, self.hit.end


_GROUP_GAP = re.compile(r"[\s,/()&+]*(?:(?:and|or|an?|the|plus|with)\b[\s,/()&+]*)*")
_CLAUSE_SPLIT = re.compile(_F.clause_split, _I)
# Outcome and trial words in one pattern, matched on the lower-cased text (IGNORECASE makes
# every literal comparison slower); the group name is the kind.
_OUTCOME = re.compile("|".join(f"(?P<{k}>{'|'.join(v)})" for k, v in [*_F.outcomes.items(), ("trial", _F.trial_words)]))
_OUTCOME_RANK = {"intolerant": 3, "failed": 2, "improved": 1, "unknown": 0}


def _treatments(page: _Page) -> list[_Treatment]:
    found = [_Treatment(h, page.pt.sentence(h.start, h.end)) for h in page.hits if any(h.has(k) for k in _TREATMENT_KINDS)]
    for prev, cur in itertools.pairwise(found):
        adjacent = prev.sentence == cur.sentence and _GROUP_GAP.fullmatch(page.lowered, prev.hit.end, cur.hit.start)
        cur.group = prev.group if adjacent else prev.group + 1
    _assign_segments(page, found)
    return found


def _assign_segments(page: _Page, found: list[_Treatment]) -> None:
    """Each group of adjacent mentions owns the sentence text up to its neighbours, split at
    the last clause break between two groups ("..., but naproxen failed")."""
    groups: dict[int, list[_Treatment]] = {}
    for t in found:
        groups.setdefault(t.group, []).append(t)
    ordered = list(groups.values())
    for i, members in enumerate(ordered):
        first, last = members[0], members[-1]
        start, end = first.sentence
        if i > 0 and ordered[i - 1][0].sentence == first.sentence:
            start = _split_point(page, ordered[i - 1][-1].hit.end, first.hit.start)[1]
        if i + 1 < len(ordered) and ordered[i + 1][0].sentence == first.sentence:
            end = _split_point(page, last.hit.end, ordered[i + 1][0].hit.start)[0]
        for t in members:
            t.segment = (start, end)


def _split_point(page: _Page, a: int, b: int) -> tuple[int, int]:
    """(end of the first part, start of the second) for the text between two groups."""
    splits = list(_CLAUSE_SPLIT.finditer(page.text, a, b))
    if not splits:
        return b, a  # no clause break: the text between belongs to both
    return splits[-1].start(), splits[-1].end()


def _outcome(page: _Page, t: _Treatment) -> str:
    lo, hi = t.segment
    found = {kind for start, end, kind in page.outcome_words(t.sentence) if lo <= start and end <= hi and kind != "trial"}
    return max(found, key=_OUTCOME_RANK.__getitem__, default="unknown")


def _tried(page: _Page, t: _Treatment) -> bool:
    lo, hi = t.segment
    return any(lo <= start and end <= hi for start, end, kind in page.outcome_words(t.sentence) if kind == "trial")


def _attach_durations(page: _Page, treatments: list[_Treatment], durations: list[_Duration]) -> list[_Duration]:
    """Give each treatment the duration written next to it; return the symptom durations."""
    symptoms = [(h.start, h.end) for h in _SYMPTOMS.find(page.text, page.lowered)]
    starts = [s for s, _ in symptoms]
    out = []
    for d in durations:
        span, sent = (d.start, d.end), page.pt.sentence(d.start, d.end)
        nearest: tuple[int, _Treatment] | None = None
        if not d.history:
            for t in treatments:
                gap = _gap(t.span, span)
                if t.sentence == sent and 0 <= gap <= _F.max_attach_chars and (nearest is None or gap < nearest[0]):
                    nearest = (gap, t)
        lo, hi = bisect.bisect_left(starts, sent[0]), bisect.bisect_left(starts, sent[1])
        symptom_gaps = [g for g in (_gap(s, span) for s in symptoms[lo:hi]) if g >= 0]
        symptom_gap = min(symptom_gaps, default=None)
        if nearest is not None and (symptom_gap is None or nearest[0] <= symptom_gap):
            for t in treatments:
                if t.group == nearest[1].group and t.weeks is None:
                    t.weeks = d.weeks
            continue
        if d.history or symptom_gap is not None:
            out.append(d)
    return out


def _symptom_durations(page: _Page, durations: list[_Duration]) -> list[FieldValue]:
    out = []
    for d in durations:
        a = assertion(page.pt, d.start, d.end, target="symptom_duration")
        certainty = 0.85 if d.history else 0.8
        out.append(_fact(page, "symptom_duration", d.weeks, (d.start, d.end), certainty, {"unit": "weeks", "assertion": a}))
    return out


def _conservative_therapies(page: _Page, treatments: list[_Treatment]) -> list[FieldValue]:
    """One fact per therapy per sentence ("failed NSAIDs (naproxen, ibuprofen)" is one)."""
    by_key: dict[tuple[str, tuple[int, int]], list[_Treatment]] = {}
    for t in treatments:
        role = t.hit.role("therapy")
        if role is not None:
            by_key.setdefault((role.value, t.sentence), []).append(t)
    out = []
    for (therapy, _sentence), mentions in by_key.items():
        first = mentions[0]
        outcome = max((_outcome(page, t) for t in mentions), key=_OUTCOME_RANK.__getitem__)
        attrs = {
            "duration_weeks": next((t.weeks for t in mentions if t.weeks is not None), None),
            "outcome": "failed" if outcome == "intolerant" else outcome,
            "assertion": assertion(page.pt, first.hit.start, first.hit.end, target="conservative_therapy"),
        }
        out.append(_fact(page, "conservative_therapy", therapy, first.span, 0.85, attrs))
    return out


def _medication_trials(page: _Page, treatments: list[_Treatment]) -> list[FieldValue]:
    """failed_medication: a drug (or class) the text says was tried, with its outcome."""
    named_classes = {(t.sentence, r.detail) for t in treatments if (r := t.hit.role("drug")) is not None}
    seen: set[tuple[str, tuple[int, int]]] = set()
    out = []
    for t in treatments:
        role = t.hit.role("drug") or t.hit.role("drug_class")
        if role is None or (role.value, t.sentence) in seen:
            continue
        if role.kind == "drug_class" and (t.sentence, role.value) in named_classes:
            continue  # "NSAIDs (naproxen, ibuprofen)": the drugs are the facts
        outcome = _outcome(page, t)
        if outcome == "unknown" and t.weeks is None and not _tried(page, t):
            continue  # a medication list or a plan, not a trial
        seen.add((role.value, t.sentence))
        attrs = {
            "drug_class": role.detail,
            "duration_weeks": t.weeks,
            "outcome": outcome,
            # Plan words ("will start", "consider") make a treatment hypothetical.
            "assertion": assertion(page.pt, t.hit.start, t.hit.end, target="conservative_therapy"),
        }
        out.append(_fact(page, "failed_medication", role.value, t.span, 0.8, attrs))
    return out


# --- red flags ------------------------------------------------------------------------------
def _red_flags(page: _Page) -> list[FieldValue]:
    out = []
    for h in page.of("red_flag"):
        flag = h.value("red_flag")
        historical_ok = _F.red_flags[flag].historical_is_present  # "history of cancer" is the red flag
        a = assertion(page.pt, h.start, h.end, target="red_flag", historical_is_present=historical_ok)
        out.append(_fact(page, "red_flag", flag, (h.start, h.end), 0.85, {"assertion": a}))
    return out


# --- measures: a number right after its name ------------------------------------------------
@dataclass(frozen=True)
class _MeasureSpec:
    name: str
    rule: MeasureRule
    after: dict[str, re.Pattern[str]]  # anchor key -> value pattern
    before: re.Pattern[str] | None


def _measure_specs(rules: FactRules) -> dict[str, _MeasureSpec]:
    def compiled(p: str) -> re.Pattern[str]:
        return re.compile(fill_snippets(p, rules.snippets), _I)

    return {
        name: _MeasureSpec(
            name,
            m,
            {key: compiled(a.value or m.value) for key, a in m.anchors.items()},
            compiled(m.before) if m.before else None,
        )
        for name, m in rules.measures.items()
    }


_MEASURES = _measure_specs(_F)
_GOAL = re.compile(_F.goal_words, _I)
_GOAL_AFTER = re.compile(_F.goal_after, _I)
_COMPARATORS = {
    "≤": "<=",
    "≥": ">=",
    "less than": "<",
    "under": "<",
    "below": "<",
    "greater than": ">",
    "over": ">",
    "above": ">",
}


_LINE_REST = re.compile(r"[ \t:=-]*")


def _value_end(page: _Page, hit: Hit, sentence_end: int) -> int:
    """Where a measure's number may end: its sentence, or the next line when the name ends its
    line ("Epworth Sleepiness Scale" / "9." wrapped, or a label above its value)."""
    line = page.pt.line_at(hit.end)
    if sentence_end > line.end or line.end + 1 >= len(page.text) or not _LINE_REST.fullmatch(page.text, hit.end, line.end):
        return sentence_end
    return page.pt.line_at(line.end + 1).end


def _measure_match(page: _Page, spec: _MeasureSpec, hit: Hit, key: str) -> re.Match[str] | None:
    s0, s1 = page.pt.sentence(hit.start, hit.end)
    m = spec.after[key].match(page.text, hit.end, _value_end(page, hit, s1))
    if m is None and spec.before is not None:
        m = spec.before.search(page.text, max(s0, hit.start - 30), hit.start)
    if m is None:
        return None
    # A target or a criterion is not the patient's value: "AHI target < 5", "BMI 35 or greater".
    lo = max(s0, min(hit.start, m.start()) - _F.goal_words_before_chars)
    if _GOAL.search(page.text, lo, max(hit.start, m.start("num"))) or _GOAL_AFTER.match(page.text, m.end(), s1):
        return None
    return m


def _measure_number(spec: _MeasureSpec, m: re.Match[str]) -> float | None:
    g = m.groupdict()
    n = float(g["num"])
    if g.get("den") and spec.rule.scale_to:
        n = n / float(g["den"]) * spec.rule.scale_to
    unit = (g.get("unit") or "").lower()
    if unit in spec.rule.convert:
        factor, offset = spec.rule.convert[unit]
        n = n * factor + offset
    n = round(n, 2)
    if not spec.rule.min <= n <= spec.rule.max:
        return None
    if spec.rule.integer and not n.is_integer():
        return None
    return n


def _measure_attrs(spec: _MeasureSpec, m: re.Match[str], key: str, n: float) -> dict[str, Any] | None:
    g = m.groupdict()
    attrs: dict[str, Any] = {"unit": spec.rule.unit}
    if spec.rule.anchor_attribute:
        attrs[spec.rule.anchor_attribute] = key
    if g.get("cmp"):
        cmp = " ".join(g["cmp"].lower().split())
        attrs["comparator"] = _COMPARATORS.get(cmp, cmp)
    if g.get("num2"):
        high = float(g["num2"])
        if not n <= high <= spec.rule.max:
            return None
        attrs["range_high"] = high
    return attrs


def _measures(page: _Page) -> list[FieldValue]:
    out = []
    taken: set[tuple[str, int]] = set()  # (measure, number start): one fact per number
    for h in page.of("measure"):
        for role in h.roles:
            if role.kind != "measure":
                continue
            spec = _MEASURES[role.value]
            key = role.detail or role.value
            m = _measure_match(page, spec, h, key)
            if m is None or (spec.name, m.start("num")) in taken:
                continue
            n = _measure_number(spec, m)
            attrs = None if n is None else _measure_attrs(spec, m, key, n)
            if n is None or attrs is None:
                continue
            taken.add((spec.name, m.start("num")))
            value: float | int = int(n) if spec.rule.integer else n
            span = (min(h.start, m.start()), max(h.end, m.end()))
            attrs["assertion"] = assertion(page.pt, *span, target=spec.name)
            out.append(_fact(page, spec.name, value, (m.start("num"), m.end("num")), 0.9, attrs))
    return out


# --- results: TB test, PD-L1, biomarkers ------------------------------------------------------
def _window_end(page: _Page, hit: Hit, max_chars: int, stop_kinds: tuple[str, ...]) -> int:
    """Where the text that may hold a name's result ends: the sentence end, a ';', max_chars,
    or the next name of one of stop_kinds."""
    end = min(page.pt.sentence(hit.start, hit.end)[1], hit.end + max_chars)
    semicolon = page.text.find(";", hit.end, end)
    if semicolon >= 0:
        end = semicolon
    for other in page.hits:
        if hit.end <= other.start < end and any(other.has(k) for k in stop_kinds):
            return other.start
    return end


_TB_RESULT, _TB_RESULT_KEY = result_table(_F.tb_test.results)
_TB_BEFORE = re.compile(_F.tb_test.before, _I)
_TB_MM = re.compile(_F.tb_test.induration, _I)
_TB_REQUIRES = {t: re.compile(r.requires, _I) for t, r in _F.tb_test.tests.items() if r.requires}


def _before_result(word: str) -> str:
    word = word.lower()
    if word.startswith(("neg", "non")):
        return "negative"
    return "indeterminate" if word in ("indeterminate", "equivocal") else "positive"


def _tb_tests(page: _Page) -> list[FieldValue]:
    out = []
    covered = -1
    for h in page.of("tb"):
        if h.start < covered:
            continue  # "TB" inside "CXR negative for TB", already read
        test = h.value("tb")
        s0, s1 = page.pt.sentence(h.start, h.end)
        end = _window_end(page, h, _F.tb_test.max_chars, ("tb",))
        span_end = h.end
        if test in _TB_REQUIRES:
            needed = _TB_REQUIRES[test].search(page.text, h.end, min(s1, h.end + _F.tb_test.max_chars))
            if needed is None:
                continue
            span_end = needed.end()
        result = _TB_RESULT.search(page.lowered, h.end, end)
        mm = _TB_MM.search(page.text, h.end, end)
        if result is not None:
            value, res_span = _TB_RESULT_KEY[term_key(result.group())], result.span()
        elif mm is not None and int(mm.group("mm")) == 0:
            value, res_span = "negative", mm.span()
        elif (before := _TB_BEFORE.search(page.text, max(s0, h.start - 30), h.start)) is not None:
            value, res_span = _before_result(before.group("res")), before.span("res")
        else:
            continue  # the test is named without a result: no fact
        span = (min(h.start, res_span[0]), max(span_end, res_span[1]))
        covered = span[1]
        attrs: dict[str, Any] = {"test": test}
        if mm is not None:
            attrs["induration_mm"] = int(mm.group("mm"))
        attrs["assertion"] = assertion(page.pt, *res_span, target="tb_test")
        out.append(_fact(page, "tb_test", value, span, 0.85, attrs))
    return out


_PD = _F.pd_l1
_PD_CLONES = re.compile(_PD.clones, _I)
_PD_NUMBER = re.compile(_PD.number, _I)
_PD_RESULT, _PD_RESULT_KEY = result_table(_PD.results)
_PD_SCALE, _PD_SCALE_KEY = result_table(_PD.scales)


def _pd_l1(page: _Page) -> list[FieldValue]:
    out = []
    for h in page.of("pd_l1"):
        end = _window_end(page, h, _PD.max_chars, ("pd_l1", "marker", "drug", "drug_class"))
        # Antibody clones ("22C3", "28-8") are blanked so that they never read as a score.
        window = _PD_CLONES.sub(lambda m: " " * len(m.group()), page.lowered[h.end : end])
        num = _PD_NUMBER.search(window)
        res = _PD_RESULT.search(window)
        if num is None and res is None:
            continue  # "PD-L1 testing pending"
        scale = _PD_SCALE.search(window, 0, num.end() + 15 if num else len(window))
        attrs: dict[str, Any] = {}
        if scale is not None:
            attrs["scale"] = _PD_SCALE_KEY[term_key(scale.group())]
        if res is not None:
            attrs["result"] = _PD_RESULT_KEY[term_key(res.group())]
        value: Any = attrs.get("result")
        if num is not None:
            value = float(num.group("num"))
            if value > 100:
                continue
            if num.group("cmp"):
                attrs["comparator"] = _COMPARATORS.get(" ".join(num.group("cmp").split()), num.group("cmp"))
            if num.group("num2"):
                attrs["range_high"] = float(num.group("num2"))
        anchor = num or res
        assert anchor is not None
        span = (h.start, h.end + anchor.end())
        asserted = (h.end + res.start(), h.end + res.end()) if res is not None else span
        attrs["assertion"] = assertion(page.pt, *asserted, target="pd_l1")
        out.append(_fact(page, "pd_l1", value, span, 0.85, attrs))
    return out


_BIO = _F.biomarkers
_BIO_RESULT, _BIO_RESULT_KEY = result_table(_BIO.results)
_BIO_BEFORE = re.compile(_BIO.before, _I)
_BIO_ABSENT_BEFORE = re.compile(_BIO.absent_before, _I)
_BIO_ABSENT_AFTER = re.compile(_BIO.absent_after, _I)
_BIO_VARIANT = re.compile(_BIO.variant)
_VERDICT_GAP = re.compile(r"[\s:=,()-]*(?:(?:is|was|were|by\s+\w+|status)\b[\s:=,()-]*)*")
_TMB_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*mut")
_MARKER_GAP = re.compile(r"[\s,/]*(?:(?:and|or|&)\b[\s,/]*)?")


def _implied(h: Hit) -> str | None:
    role = h.role("marker")
    return role.detail if role else None


def _marker_groups(page: _Page) -> list[list[Hit]]:
    """Markers listed together ("EGFR, ALK and ROS1 negative") share one result."""
    groups: list[list[Hit]] = []
    for h in page.of("marker"):
        prev = groups[-1][-1] if groups else None
        if prev is not None and _MARKER_GAP.fullmatch(page.lowered, prev.end, h.start) and not (_implied(prev) or _implied(h)):
            groups[-1].append(h)
        else:
            groups.append([h])
    return groups


def _marker_result(page: _Page, group: list[Hit]) -> tuple[str, tuple[int, int], str | None] | None:
    """(result, span of the words saying it, variant detail) for a group of markers."""
    first, last = group[0], group[-1]
    end = _window_end(page, last, _BIO.max_chars, ("marker", "pd_l1"))
    s0 = page.pt.sentence(first.start, first.end)[0]
    absent = _BIO_ABSENT_BEFORE.search(page.lowered, max(s0, first.start - 30), first.start)
    if absent is not None and _BIO_ABSENT_AFTER.match(page.lowered, last.end, end):
        return "negative", absent.span(), None  # "no EGFR mutation detected"
    variant = _BIO_VARIANT.search(page.text, last.end, end) if len(group) == 1 else None
    detail = " ".join(variant.group().lower().split()) if variant else None
    res = _result_after(page, variant.end() if variant else last.end, end)
    if res is not None:
        result, span = res
        if detail and result == "positive" and detail not in _BIO.ihc_scores:
            result = "mutated"
        return result, span, detail
    if variant is not None and detail is not None:
        return _variant_result(detail), variant.span(), detail
    before = _BIO_BEFORE.search(page.lowered, max(s0, first.start - 30), first.start)
    if before is not None:
        return ("negative" if before.group("res").startswith("neg") else "positive"), before.span("res"), None
    return None


def _result_after(page: _Page, start: int, end: int) -> tuple[str, tuple[int, int]] | None:
    """The first result phrase after a marker; a finding word followed by a verdict is read as
    the verdict ("ALK rearrangement negative" is negative, not rearranged)."""
    found = list(_BIO_RESULT.finditer(page.lowered, start, end))
    if not found:
        return None
    first = found[0]
    if len(found) > 1 and _VERDICT_GAP.fullmatch(page.lowered, first.end(), found[1].start()):
        verdict = _BIO_RESULT_KEY[term_key(found[1].group())]
        if verdict in ("negative", "positive", "equivocal"):
            return (_BIO_RESULT_KEY[term_key(first.group())] if verdict == "positive" else verdict), found[1].span()
    return _BIO_RESULT_KEY[term_key(first.group())], first.span()


def _variant_result(detail: str) -> str:
    if detail in _BIO.ihc_scores:
        return _BIO.ihc_scores[detail]
    burden = _TMB_NUMBER.match(detail)
    if burden is not None:
        return "high" if float(burden.group(1)) >= _BIO.tmb_high_from else "low"
    return "mutated"


def _biomarkers(page: _Page) -> list[FieldValue]:
    out = []
    for group in _marker_groups(page):
        implied = _implied(group[0])
        if implied:  # "MSI-H", "dMMR"
            found: tuple[str, tuple[int, int], str | None] | None = (implied, (group[0].start, group[0].end), None)
        else:
            found = _marker_result(page, group)
        if found is None:
            continue  # "EGFR testing pending"
        result, res_span, detail = found
        a = assertion(page.pt, *res_span, target="biomarker")
        for h in group:
            attrs: dict[str, Any] = {"result": result}
            if detail:
                attrs["detail"] = detail
            attrs["assertion"] = a
            span = (min(h.start, res_span[0]), max(h.end, res_span[1]))
            out.append(_fact(page, "biomarker", h.value("marker"), span, 0.8, attrs))
    return out


# --- the page -------------------------------------------------------------------------------
def extract_facts(pt: PageText) -> list[FieldValue]:
    page = _Page.read(pt)
    treatments = _treatments(page)
    symptom_durations = _attach_durations(page, treatments, _durations(page))
    return [
        *_symptom_durations(page, symptom_durations),
        *_conservative_therapies(page, treatments),
        *_medication_trials(page, treatments),
        *_red_flags(page),
        *_measures(page),
        *_tb_tests(page),
        *_pd_l1(page),
        *_biomarkers(page),
    ]
