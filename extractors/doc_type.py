"""Document type from weighted rules in data/doc_types.yaml; titles near the top weigh more."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache

from extractors.models import Page
from extractors.rules import doc_type_rules

_RULES = doc_type_rules()
_COMPILED = {
    doc_type: [(re.compile(r.pattern, re.IGNORECASE | re.MULTILINE), r.weight, r.title_only) for r in rules]
    for doc_type, rules in _RULES.types.items()
}
_SATURATION = 4.0  # a score of this size is strong evidence on its own


def _title_zone(pages: Sequence[Page]) -> str:
    for page in pages:
        lines = [ln for ln in page.text.split("\n") if ln.strip()]
        if lines:
            return "\n".join(ln.strip() for ln in lines[: _RULES.title_lines])
    return ""


@lru_cache(maxsize=256)
def _body_matches(text: str) -> frozenset[tuple[str, int]]:
    """The (type, rule) pairs whose pattern occurs in one page's text. Cached: a file's pages
    are classified alone (to find where documents start) and then together."""
    return frozenset(
        (doc_type, n) for doc_type, rules in _COMPILED.items() for n, (rx, _w, title_only) in enumerate(rules) if rx.search(text)
    )


def scores(pages: Sequence[Page]) -> dict[str, float]:
    """The score of every document type (for review screens and tests)."""
    title = _title_zone(pages)
    body: frozenset[tuple[str, int]] = frozenset().union(*(_body_matches(p.text) for p in pages if not p.error))
    out: dict[str, float] = {}
    for doc_type, rules in _COMPILED.items():
        total = 0.0
        for n, (rx, weight, title_only) in enumerate(rules):
            # The title zone is part of the first page: a rule absent from the body is absent
            # from the title too, so most rules cost one search per page, once.
            if (doc_type, n) in body and rx.search(title):
                total += weight * _RULES.title_boost
            elif not title_only and (doc_type, n) in body:
                total += weight
        out[doc_type] = total
    return out


def classify(pages: Sequence[Page]) -> tuple[str, float]:
    """(doc type, confidence 0..1); "other" when no type scores at least min_score."""
    ranked = sorted(scores(pages).items(), key=lambda kv: kv[1], reverse=True)
    if not ranked or ranked[0][1] < _RULES.min_score:
        return "other", 0.3
    (best, top), second = ranked[0], (ranked[1][1] if len(ranked) > 1 else 0.0)
    margin = top / (top + second)
    strength = 1.0 - math.exp(-top / _SATURATION)
    return best, round(min(0.99, margin * strength + 0.1 * strength), 3)


__all__ = ["classify", "scores"]
