"""Clinical facts: symptom duration, conservative therapy, red flags, Epworth, BMI, AHI.

Every fact carries its assertion; negated and hypothetical facts are reported too (the
checker refuses them). A duration next to a therapy mention is that therapy's duration; a
duration in a sentence about symptoms is the symptom duration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.context import assertion
from extractors.evidence import make_value
from extractors.models import FieldValue
from extractors.pagetext import PageText
from extractors.rules import PatternRule, fact_rules

_F = fact_rules()


def _compile(rule: PatternRule) -> list[re.Pattern[str]]:
    return [re.compile(p, re.IGNORECASE) for p in rule.patterns] + [re.compile(p) for p in rule.case_sensitive_patterns]


_THERAPIES = {name: _compile(rule) for name, rule in _F.therapies.items()}
_RED_FLAGS = {name: (_compile(rule), rule.historical_is_present) for name, rule in _F.red_flags.items()}
_OUTCOME_FAILED = [re.compile(p, re.IGNORECASE) for p in _F.outcomes["failed"]]
_OUTCOME_IMPROVED = [re.compile(p, re.IGNORECASE) for p in _F.outcomes["improved"]]
_MEASURES = {name: (rule, [re.compile(p, re.IGNORECASE) for p in rule.patterns]) for name, rule in _F.measures.items()}
_SYMPTOM = re.compile(r"(?<![A-Za-z])(?:" + "|".join(re.escape(w) for w in _F.symptom_words) + r")(?![A-Za-z])", re.IGNORECASE)

_NUM = r"(\d+(?:\.\d+)?|" + "|".join(sorted((re.escape(w) for w in _F.number_words), key=len, reverse=True)) + r")"
_UNIT = r"(" + "|".join(sorted((re.escape(u) for u in _F.unit_weeks), key=len, reverse=True)) + r")\.?"
_QUAL = r"(?:(?:the|past|last|over|about|approximately|approx\.?|nearly|almost|more\s+than|over\s+the\s+past|at\s+least|greater\s+than|>)\s+)*"
_DURATIONS = [
    # (regex, kind): kind "history" is always a symptom duration.
    (re.compile(rf"(?<![A-Za-z])x\s*{_NUM}\s*-?\s*{_UNIT}(?![A-Za-z])", re.IGNORECASE), "any"),
    (re.compile(rf"\bfor\s+{_QUAL}{_NUM}\+?\s*-?\s*{_UNIT}(?![A-Za-z])", re.IGNORECASE), "any"),
    (re.compile(rf"\b{_NUM}\s*-?\s*{_UNIT}\s+(?:of\s+)?(?:a\s+)?history\s+of\b", re.IGNORECASE), "history"),
    (re.compile(rf"\b(?:over|in|during)\s+the\s+(?:past|last)\s+{_NUM}\s*{_UNIT}(?![A-Za-z])", re.IGNORECASE), "any"),
    (re.compile(rf"\b{_NUM}\s*-?\s*{_UNIT}\s+(?:of|duration)\b", re.IGNORECASE), "any"),
    (re.compile(rf"\bduration\s*(?:of|:)?\s*{_QUAL}{_NUM}\s*{_UNIT}(?![A-Za-z])", re.IGNORECASE), "any"),
    (re.compile(rf"\b{_NUM}\s*-?\s*{_UNIT}\s+ago\b", re.IGNORECASE), "any"),
]


@dataclass(frozen=True)
class _Mention:
    value: str
    start: int
    end: int
    sentence: tuple[int, int]


def _weeks(number: str, unit: str) -> float | None:
    n = _F.number_words.get(number.lower())
    if n is None:
        try:
            n = float(number)
        except ValueError:
            return None
    factor = _F.unit_weeks.get(unit.lower().rstrip("."))
    if factor is None:
        return None
    return round(n * factor, 2)


def _therapy_mentions(pt: PageText) -> list[_Mention]:
    found: list[_Mention] = []
    for value, patterns in _THERAPIES.items():
        for rx in patterns:
            for m in rx.finditer(pt.text):
                found.append(_Mention(value, m.start(), m.end(), pt.sentence(m.start(), m.end())))
    found.sort(key=lambda x: x.start)
    # One mention per therapy per sentence ("failed NSAIDs (naproxen, ibuprofen)" is one fact);
    # overlapping patterns ("epidural steroid injection" / "steroid injection") are one mention.
    out: list[_Mention] = []
    for mention in found:
        if any(o.value == mention.value and o.sentence == mention.sentence for o in out):
            continue
        if any(o.start < mention.end and mention.start < o.end for o in out):
            continue
        out.append(mention)
    return out


def _outcome(sentence: str) -> str:
    if any(rx.search(sentence) for rx in _OUTCOME_FAILED):
        return "failed"
    if any(rx.search(sentence) for rx in _OUTCOME_IMPROVED):
        return "improved"
    return "unknown"


def _durations(pt: PageText) -> list[tuple[int, int, float, str]]:
    spans: list[tuple[int, int, float, str]] = []
    for rx, kind in _DURATIONS:
        for m in rx.finditer(pt.text):
            weeks = _weeks(m.group(1), m.group(2))
            if weeks is None or weeks <= 0 or weeks > 52 * 80:
                continue
            if any(s < m.end() and m.start() < e for s, e, _, _ in spans):
                continue
            spans.append((m.start(), m.end(), weeks, kind))
    return sorted(spans)


def extract_facts(pt: PageText) -> list[FieldValue]:
    out: list[FieldValue] = []
    therapies = _therapy_mentions(pt)
    therapy_duration: dict[int, float] = {}
    for s, e, weeks, kind in _durations(pt):
        sent = pt.sentence(s, e)
        nearest = None
        if kind != "history":
            for i, t in enumerate(therapies):
                if t.sentence != sent:
                    continue
                gap = s - t.end if t.end <= s else t.start - e
                if 0 <= gap <= _F.max_attach_chars and (nearest is None or gap < nearest[0]):
                    nearest = (gap, i)
        symptom_gap = None
        for m in _SYMPTOM.finditer(pt.text, sent[0], sent[1]):
            gap = s - m.end() if m.end() <= s else m.start() - e
            if gap >= 0 and (symptom_gap is None or gap < symptom_gap):
                symptom_gap = gap
        if nearest is not None and (symptom_gap is None or nearest[0] <= symptom_gap):
            therapy_duration.setdefault(nearest[1], weeks)
            continue
        if kind != "history" and symptom_gap is None:
            continue
        out.append(
            make_value(
                pt.words,
                "symptom_duration",
                weeks,
                s,
                e,
                certainty=0.85 if kind == "history" else 0.8,
                attributes={"unit": "weeks", "assertion": assertion(pt, s, e, target="symptom_duration")},
            )
        )
    for i, t in enumerate(therapies):
        sentence = pt.text[t.sentence[0] : t.sentence[1]]
        attrs = {
            "duration_weeks": therapy_duration.get(i),
            "outcome": _outcome(sentence),
            "assertion": assertion(pt, t.start, t.end, target="conservative_therapy"),
        }
        out.append(make_value(pt.words, "conservative_therapy", t.value, t.start, t.end, certainty=0.85, attributes=attrs))
    for value, (patterns, historical_is_present) in _RED_FLAGS.items():
        taken: list[tuple[int, int]] = []
        for rx in patterns:
            for m in rx.finditer(pt.text):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                taken.append((m.start(), m.end()))
                a = assertion(pt, m.start(), m.end(), target="red_flag", historical_is_present=historical_is_present)
                out.append(
                    make_value(pt.words, "red_flag", value, m.start(), m.end(), certainty=0.85, attributes={"assertion": a})
                )
    for name, (rule, patterns) in _MEASURES.items():
        for rx in patterns:
            for m in rx.finditer(pt.text):
                number = float(m.group(1))
                if not rule.min <= number <= rule.max:
                    continue
                value: float | int = int(number) if rule.integer else number
                a = assertion(pt, m.start(), m.end(), target=name)
                out.append(make_value(pt.words, name, value, m.start(1), m.end(1), certainty=0.9, attributes={"assertion": a}))
    return out
