"""Build `FieldValue`s with their `Evidence`, and deduplicate them."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any

from extractors.models import BBox, Evidence, FieldValue, Page, Word

SNIPPET_CHARS = 60
_WS = re.compile(r"\s+")


def snippet(text: str, start: int, end: int, width: int = SNIPPET_CHARS) -> str:
    """About `width` characters of `text` centred on the span, whitespace collapsed."""
    pad = max(0, (width - (end - start)) // 2)
    lo, hi = max(0, start - pad), min(len(text), end + pad)
    return _WS.sub(" ", text[lo:hi]).strip()


class WordIndex:
    """The words of a page sorted by offset, for fast span -> box / confidence look-ups.

    Same results as `Page.bbox_of` / `Page.confidence_of`, without scanning every word.
    """

    def __init__(self, page: Page) -> None:
        self.page = page
        self.words = sorted(page.words, key=lambda w: w.start)
        self.ends = [w.end for w in self.words]
        # Words are short: any word overlapping a span starts at most this far before it.
        self.max_len = max((w.end - w.start for w in self.words), default=0)

    def overlapping(self, start: int, end: int) -> list[Word]:
        i = bisect.bisect_right(self.ends, start)
        out = []
        for w in self.words[i:]:
            if w.start >= end:
                break
            if w.end > start:
                out.append(w)
        return out

    def bbox_of(self, start: int, end: int) -> BBox | None:
        boxes = [w.bbox for w in self.overlapping(start, end)]
        if not boxes:
            return None
        return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))

    def confidence_of(self, start: int, end: int) -> float:
        confs = [w.confidence for w in self.overlapping(start, end)]
        return sum(confs) / len(confs) if confs else self.page.confidence


def make_value(
    page: Page | WordIndex,
    name: str,
    value: Any,
    start: int,
    end: int,
    *,
    certainty: float,
    attributes: Mapping[str, Any] | None = None,
) -> FieldValue:
    """A value found at text[start:end] of `page`; confidence = rule certainty x reading confidence."""
    index = page if isinstance(page, WordIndex) else None
    page = index.page if index is not None else page  # type: ignore[union-attr]
    lookup = index or page
    read = min(1.0, max(0.0, lookup.confidence_of(start, end)))
    confidence = round(max(0.0, min(1.0, certainty)) * read, 4)
    evidence = Evidence(
        page=page.index + 1,
        snippet=snippet(page.text, start, end),
        method=page.method,
        confidence=confidence,
        bbox=lookup.bbox_of(start, end),
    )
    return FieldValue(name=name, value=value, confidence=confidence, evidence=evidence, attributes=dict(attributes or {}))


def _freeze(v: Any) -> Hashable:
    if isinstance(v, (list, tuple)):
        return tuple(_freeze(x) for x in v)
    if isinstance(v, dict):
        return tuple(sorted((k, _freeze(x)) for k, x in v.items()))
    return v


def value_key(fv: FieldValue) -> Hashable:
    return (fv.name, _freeze(fv.value))


def value_and_attrs_key(fv: FieldValue) -> Hashable:
    return (fv.name, _freeze(fv.value), _freeze(dict(fv.attributes)))


def dedupe(
    values: Iterable[FieldValue],
    key: Callable[[FieldValue], Hashable] = value_key,
    prefer: Callable[[FieldValue], Any] = lambda fv: fv.confidence,
) -> tuple[FieldValue, ...]:
    """One value per key (the preferred one), in order of first appearance."""
    best: dict[Hashable, FieldValue] = {}
    for fv in values:
        k = key(fv)
        if k not in best or prefer(fv) > prefer(best[k]):
            best[k] = fv
    return tuple(best.values())
