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
- A result (TB test, biomarker, PD-L1, stress test) is a fact only when the result is
  written: "no TB test on file" names no result and gives no fact. The assertion of a result is
  that of its result word, so "QuantiFERON negative" is a present negative test, and "if
  negative" hypothetical.

Measures and results are in extractors.fact_results (tumor results in fact_tumor), the categorical findings (evaluation,
functional_limitation, mechanical_symptoms) in extractors.fact_findings, signatures in
extractors.fact_signature; extractors.fact_schema validates data/facts.yaml.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from dataclasses import dataclass

from extractors.context import assertion
from extractors.fact_dates import dated_events
from extractors.fact_findings import findings
from extractors.fact_page import SYMPTOMS, TREATMENT_KINDS, FactPage, fact_value
from extractors.fact_results import measures, stress_tests, tb_tests
from extractors.fact_schema import ServiceFactRules, fact_rules
from extractors.fact_signature import signatures
from extractors.fact_terms import Hit
from extractors.fact_tumor import biomarkers, pd_l1
from extractors.models import FieldValue
from extractors.pagetext import PageText

_F = fact_rules()
_I = re.IGNORECASE


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


def _duration_rules(rules: ServiceFactRules) -> _DurationRules:
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
            rf"|\b(?:over|across)\s+(?:a\s+period\s+of\s+)?{qual}|\btotal\s+(?:of\s+)?{qual}"
            rf"|\bduration\s*(?:of|:)?\s*{qual}"
            # "since June 2025 (~15 months)", "pain ~15 months": an approximate length
            rf"|(?:\(\s*)?(?:~|\u2248)\s*)$"
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
    adjective: bool = False  # "a 6-month supervised program": only the treatment it names


def _weeks(number: str, unit: str) -> float | None:
    n = _F.number_words.get(number)
    if n is None:
        try:
            n = float(number)
        except ValueError:
            return None
    factor = _F.unit_weeks.get(unit.rstrip("."))
    return None if factor is None else round(n * factor, 2)


def _durations(page: FactPage) -> list[_Duration]:
    out = []
    text, d = page.lowered, _DURATION
    for u in d.unit.finditer(text):
        num = d.number.search(text, max(0, u.start() - _NUMBER_LOOKBACK), u.start())
        if num is None:
            continue
        prefix = d.prefix.search(text, max(0, num.start() - _PREFIX_LOOKBACK), num.start())
        suffix = d.suffix.match(text, u.end())
        adjective = False
        if prefix is None and suffix is None:
            # "Follow up in 6 weeks": a bare interval is not a duration; "a 6-month medically
            # supervised weight loss program" is that program's duration, and so are a
            # parenthesis and a label's value beside a treatment ("PT (6 wks)", "PT: 8 wks,").
            adjective = ("-" in num.group() and _names_treatment(page, u.end())) or _beside_treatment(page, num.start(), u.end())
            if not adjective:
                continue
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
        out.append(_Duration(start, end, weeks, history, adjective))
    return out


# A wrapped line may fall inside the phrase ("a 11-week course\nof NSAIDs").
_ADJECTIVE_GAP = re.compile(r"\s+(?:[a-z-]+\s+){0,3}")


def _names_treatment(page: FactPage, pos: int) -> bool:
    """A treatment's name starts within a few words after pos ("6-month [medically
    supervised] weight loss program")."""
    gap = _ADJECTIVE_GAP.match(page.lowered, pos)
    if gap is None:
        return False
    starts = {h.start for h in page.hits if any(h.has(k) for k in TREATMENT_KINDS)}
    # Any word boundary in the gap may be where the name starts.
    return any(i in starts for i in range(pos, gap.end() + 1))


_BARE_BEFORE = re.compile(r"(?:\(|:)\s*~?\s*$")
_BARE_AFTER = re.compile(r"\s*(?:\)|,|;|$)")


def _beside_treatment(page: FactPage, start: int, end: int) -> bool:
    """A bare duration in parentheses or after a label's colon, right after a treatment's name
    ("physical therapy (6 wks)", "PT: 8 wks, 10/06/2025 - 12/01/2025")."""
    if not (_BARE_BEFORE.search(page.lowered, max(0, start - 3), start) and _BARE_AFTER.match(page.lowered, end)):
        return False
    ends = [h.end for h in page.hits if any(h.has(k) for k in TREATMENT_KINDS)]
    return any(0 <= start - e <= 4 for e in ends)


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
    started: str | None = None  # ISO date the treatment began ("PT since 11/17/25")

    @property
    def span(self) -> tuple[int, int]:
        return self.hit.start, self.hit.end


_GROUP_GAP = re.compile(r"[\s,/()&+]*(?:(?:and|or|an?|the|plus|with)\b[\s,/()&+]*)*")
_CLAUSE_SPLIT = re.compile(_F.clause_split, _I)
# Outcome and trial words in one pattern, matched on the lower-cased text (IGNORECASE makes
# every literal comparison slower); the group name is the kind.
_OUTCOME_RANK = {"intolerant": 3, "failed": 2, "improved": 1, "unknown": 0}


def _treatments(page: FactPage) -> list[_Treatment]:
    found = [_Treatment(h, page.pt.sentence(h.start, h.end)) for h in page.hits if any(h.has(k) for k in TREATMENT_KINDS)]
    for prev, cur in itertools.pairwise(found):
        adjacent = prev.sentence == cur.sentence and _GROUP_GAP.fullmatch(page.lowered, prev.hit.end, cur.hit.start)
        cur.group = prev.group if adjacent else prev.group + 1
    _assign_segments(page, found)
    return found


def _assign_segments(page: FactPage, found: list[_Treatment]) -> None:
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


def _split_point(page: FactPage, a: int, b: int) -> tuple[int, int]:
    """(end of the first part, start of the second) for the text between two groups."""
    splits = list(_CLAUSE_SPLIT.finditer(page.text, a, b))
    if not splits:
        return b, a  # no clause break: the text between belongs to both
    return splits[-1].start(), splits[-1].end()


def _outcome(page: FactPage, t: _Treatment) -> str:
    lo, hi = t.segment
    found = {kind for start, end, kind in page.outcome_words(t.sentence) if lo <= start and end <= hi and kind != "trial"}
    return max(found, key=_OUTCOME_RANK.__getitem__, default="unknown")


def _tried(page: FactPage, t: _Treatment) -> bool:
    lo, hi = t.segment
    return any(lo <= start and end <= hi for start, end, kind in page.outcome_words(t.sentence) if kind == "trial")


def _attach_durations(page: FactPage, treatments: list[_Treatment], durations: list[_Duration]) -> list[_Duration]:
    """Give each treatment the duration written next to it; return the symptom durations."""
    symptoms = [(h.start, h.end) for h in SYMPTOMS.find(page.text, page.lowered)]
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
                if t.weeks is None and (t.group == nearest[1].group or _leads(d, t, treatments, durations)):
                    t.weeks = d.weeks
            continue
        if not d.adjective and (d.history or symptom_gap is not None):
            out.append(d)
    return out


# A treatment dated by its start ("PT since 11/17/2025", "started meloxicam on 9/22/25") lasts
# until the note: the checker measures it from the document's date. A range ("PT from 1/5/26
# to 3/2/26") is a duration.
_START_CUE = re.compile(
    r"(?:\bsince|\b(?:start(?:ed|ing)?|began|begun|initiated|commenced|tried)\b[^.;:]{0,60}?\b(?:on|in|since))\s*$"
)
_RANGE_FROM = re.compile(r"\bfrom\s*$")
_RANGE_TO = re.compile(r"\s*(?:to|through|thru|until|till|-|–)\s*")


# "since 03/2026", "since 2024": the start is at most the end of that month or year (the
# shortest duration the words allow).
_SINCE_MONTH_YEAR = re.compile(r"\bsince\s+(?:(?P<m>\d{1,2})/(?P<y>\d{4})|(?P<year>(?:19|20)\d{2}))(?![\d/-]|\.\d)")


def _latest_in(match: re.Match[str]) -> str:
    if match.group("year"):
        return f"{match.group('year')}-12-31"
    y, m = int(match.group("y")), int(match.group("m"))
    if not 1 <= m <= 12:
        return ""
    nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
    return (nxt - dt.timedelta(days=1)).isoformat()


def _attach_start_dates(page: FactPage, treatments: list[_Treatment]) -> None:
    by_sentence: dict[tuple[int, int], list[_Treatment]] = {}
    for t in treatments:
        by_sentence.setdefault(t.sentence, []).append(t)
    for (lo, hi), members in by_sentence.items():
        for m in _SINCE_MONTH_YEAR.finditer(page.lowered, lo, hi):
            if started := _latest_in(m):
                for t in members:
                    if t.weeks is None and t.started is None:
                        t.started = started
        dates = page.dates_in(lo, hi)
        for i, (a, b, iso) in enumerate(dates):
            before = page.lowered[max(lo, a - 80) : a]
            weeks = started = None
            if _RANGE_FROM.search(before) and i + 1 < len(dates) and _RANGE_TO.fullmatch(page.lowered, b, dates[i + 1][0]):
                days = (_iso_date(dates[i + 1][2]) - _iso_date(iso)).days
                weeks = round(days / 7, 2) if days > 0 else None
            elif _START_CUE.search(before):
                started = iso
            if weeks is None and started is None:
                continue
            for t in members:
                if t.weeks is None and t.started is None:
                    t.weeks, t.started = weeks, started


def _iso_date(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def _leads(d: _Duration, t: _Treatment, treatments: list[_Treatment], durations: list[_Duration]) -> bool:
    """A duration that opens its sentence's list of treatments covers the whole list ("Over 6
    months she has tried celecoxib, a hinged brace and PT"), up to the next duration."""
    if not (d.end <= t.hit.start and t.sentence[0] <= d.start):
        return False
    if any(o.sentence == t.sentence and o.hit.start < d.start for o in treatments):
        return False
    return not any(d.end <= o.start < t.hit.start for o in durations)


def _symptom_durations(page: FactPage, durations: list[_Duration]) -> list[FieldValue]:
    out = []
    for d in durations:
        a = assertion(page.pt, d.start, d.end, target="symptom_duration")
        certainty = 0.85 if d.history else 0.8
        out.append(fact_value(page, "symptom_duration", d.weeks, (d.start, d.end), certainty, {"unit": "weeks", "assertion": a}))
    return out


def _conservative_therapies(page: FactPage, treatments: list[_Treatment]) -> list[FieldValue]:
    """One fact per therapy per sentence ("failed NSAIDs (naproxen, ibuprofen)" is one)."""
    by_key: dict[tuple[str, tuple[int, int]], list[_Treatment]] = {}
    for t in treatments:
        role = t.hit.role("therapy")
        if role is not None:
            by_key.setdefault((role.value, t.sentence), []).append(t)
    out = []
    for (therapy, sentence), mentions in by_key.items():
        first = mentions[0]
        outcome = max((_outcome(page, t) for t in mentions), key=_OUTCOME_RANK.__getitem__)
        attrs = {
            "duration_weeks": next((t.weeks for t in mentions if t.weeks is not None), None),
            "outcome": "failed" if outcome == "intolerant" else outcome,
            "assertion": assertion(page.pt, first.hit.start, first.hit.end, target="conservative_therapy"),
        }
        if started := next((t.started for t in mentions if t.started is not None), None):
            attrs["started"] = started
        if therapy == "compression_stockings":
            pressure = _MMHG.search(page.text, *sentence)
            if pressure is not None:
                attrs["mmhg"] = "-".join(x for x in pressure.groups() if x)  # "20-30", "30"
        out.append(fact_value(page, "conservative_therapy", therapy, first.span, 0.85, attrs))
    return out


# The pressure of compression stockings: "20-30 mmHg", "30 mm Hg".
_MMHG = re.compile(r"(?<![\d.])(\d{2})(?:\s*(?:-|–|to)\s*(\d{2}))?\s*mm\s*hg\b", _I)


def _medication_trials(page: FactPage, treatments: list[_Treatment]) -> list[FieldValue]:
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
        if outcome == "unknown" and t.weeks is None and t.started is None and not _tried(page, t):
            continue  # a medication list or a plan, not a trial
        seen.add((role.value, t.sentence))
        attrs = {
            "drug_class": role.detail,
            "duration_weeks": t.weeks,
            "outcome": outcome,
            # Plan words ("will start", "consider") make a treatment hypothetical.
            "assertion": assertion(page.pt, t.hit.start, t.hit.end, target="conservative_therapy"),
        }
        if t.started:
            attrs["started"] = t.started
        out.append(fact_value(page, "failed_medication", role.value, t.span, 0.8, attrs))
    return out


# --- red flags ------------------------------------------------------------------------------
def _red_flags(page: FactPage) -> list[FieldValue]:
    out = []
    for h in page.of("red_flag"):
        flag = h.value("red_flag")
        historical_ok = _F.red_flags[flag].historical_is_present  # "history of cancer" is the red flag
        a = assertion(page.pt, h.start, h.end, target="red_flag", historical_is_present=historical_ok)
        out.append(fact_value(page, "red_flag", flag, (h.start, h.end), 0.85, {"assertion": a}))
    return out


# --- the page -------------------------------------------------------------------------------
def extract_facts(pt: PageText) -> list[FieldValue]:
    page = FactPage.read(pt)
    treatments = _treatments(page)
    symptom_durations = _attach_durations(page, treatments, _durations(page))
    _attach_start_dates(page, treatments)
    return [
        *_symptom_durations(page, symptom_durations),
        *_conservative_therapies(page, treatments),
        *_medication_trials(page, treatments),
        *_red_flags(page),
        *measures(page),
        *tb_tests(page),
        *pd_l1(page),
        *biomarkers(page),
        *stress_tests(page),
        *findings(page),
        *signatures(page),
        *dated_events(page),
    ]
