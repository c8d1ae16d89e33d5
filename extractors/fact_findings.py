"""Categorical facts named by a phrase (data/facts.yaml `findings`): evaluation (psychological,
nutrition, mobility, face-to-face), functional_limitation (adl, with the activity) and
mechanical_symptoms (locking, catching, giving way).

The names are part of the page's one lexicon scan; here each hit becomes a fact with the
assertion of its name. An evaluation that the words around it call pending, scheduled,
ordered or recommended is not done yet: hypothetical (the shared context rules only know such
plan words for therapies)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.context import assertion
from extractors.fact_page import FactPage, fact_value
from extractors.fact_schema import FindingKind, fact_rules
from extractors.fact_terms import Hit
from extractors.models import FieldValue

_F = fact_rules()


@dataclass(frozen=True)
class _Kind:
    name: str
    rule: FindingKind
    pending: re.Pattern[str] | None
    details: re.Pattern[str] | None  # one alternation; group d<i> is the i-th detail
    detail_values: tuple[str, ...]
    ignore_cues: str  # cue words to skip, as context.assertion's ignore_text


def _kind(name: str, rule: FindingKind) -> _Kind:
    values = tuple(rule.details)
    details = "|".join(f"(?P<d{i}>{'|'.join(rule.details[v])})" for i, v in enumerate(values))
    return _Kind(
        name,
        rule,
        re.compile(rule.pending) if rule.pending else None,
        re.compile(details) if details else None,
        values,
        " ".join(rule.ignore_cues).lower(),
    )


_KINDS = tuple(_kind(name, rule) for name, rule in _F.findings.items())


def _pending(page: FactPage, kind: _Kind, hits: list[Hit], i: int, sentence: tuple[int, int]) -> bool:
    """Plan words near hits[i], not past the neighbouring names of the same kind ("psych eval
    completed and nutrition consult pending": only the consult is pending)."""
    assert kind.pending is not None
    h = hits[i]
    lo = max(sentence[0], h.start - kind.rule.pending_chars)
    hi = min(sentence[1], h.end + kind.rule.pending_chars)
    if i > 0:
        lo = max(lo, hits[i - 1].end)
    if i + 1 < len(hits):
        hi = min(hi, max(h.end, hits[i + 1].start))
    return kind.pending.search(page.lowered, lo, hi) is not None


def _detail(page: FactPage, kind: _Kind, h: Hit, sentence_end: int) -> str | None:
    """The first detail word in the name or just after it ("interferes with driving")."""
    if kind.details is None:
        return None
    m = kind.details.search(page.lowered, h.start, min(sentence_end, h.end + kind.rule.detail_chars))
    return kind.detail_values[int((m.lastgroup or "d0")[1:])] if m is not None else None


def findings(page: FactPage) -> list[FieldValue]:
    out = []
    for kind in _KINDS:
        hits = page.of(kind.name)
        seen: set[tuple[str, tuple[int, int], str]] = set()
        for i, h in enumerate(hits):
            value = h.value(kind.name)
            sentence = page.pt.sentence(h.start, h.end)
            a = assertion(page.pt, h.start, h.end, target=kind.name, ignore_text=kind.ignore_cues)
            if a == "present" and kind.pending is not None and _pending(page, kind, hits, i, sentence):
                a = "hypothetical"
            if (value, sentence, a) in seen:
                continue  # one fact per value and sentence ("no locking, catching or locking")
            seen.add((value, sentence, a))
            attrs: dict[str, str] = {}
            detail = _detail(page, kind, h, sentence[1]) if kind.rule.detail_attribute else None
            if detail is not None and kind.rule.detail_attribute:
                attrs[kind.rule.detail_attribute] = detail
            attrs["assertion"] = a
            out.append(fact_value(page, kind.name, value, (h.start, h.end), 0.8, attrs))
    return out
