"""Splitting a packet by size: which document pages go into which part.

Fax servers and payer portals cap a file's size. A part holds whole documents, in packet order,
as many as fit; a document is cut (at page boundaries) only when it alone exceeds the budget,
and a single page larger than the budget becomes a part of its own (the caller warns). Pure
planning over byte estimates: assemble.py builds the parts and re-plans with a smaller budget
when an estimate was short.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import pikepdf


@dataclass(frozen=True)
class Segment:
    """Pages `first`..`last` (0-based, inclusive) of document `index` (0-based in the packet)."""

    index: int
    first: int
    last: int
    whole: bool  # the document's every page


@dataclass(frozen=True)
class PartPlan:
    segments: tuple[Segment, ...]
    estimate: int  # bytes of its document pages

    def over(self, budget: int) -> bool:
        return self.estimate > budget


def plan_parts(page_sizes: Sequence[Sequence[int]], budget: int) -> list[PartPlan]:
    """Parts for documents whose pages weigh `page_sizes` bytes, each part's pages within
    `budget` bytes where possible."""
    units: list[tuple[Segment, int]] = []
    for i, sizes in enumerate(page_sizes):
        count, total = len(sizes), sum(sizes)
        if total <= budget or count <= 1:
            units.append((Segment(i, 0, max(count - 1, 0), True), total))
            continue
        start, acc = 0, 0
        for j, size in enumerate(sizes):
            if j > start and acc + size > budget:
                units.append((Segment(i, start, j - 1, False), acc))
                start, acc = j, 0
            acc += size
        units.append((Segment(i, start, count - 1, start == 0), acc))
    parts: list[PartPlan] = []
    current: list[Segment] = []
    acc = 0
    for seg, size in units:
        if current and acc + size > budget:
            parts.append(PartPlan(tuple(current), acc))
            current, acc = [], 0
        current.append(seg)
        acc += size
    if current:
        parts.append(PartPlan(tuple(current), acc))
    return parts


def page_sizes(pdf: bytes) -> list[int]:
    """Bytes each page of `pdf` adds to a file: its content and the images it draws (an image
    shared by several pages counts on the first), scaled so they sum to the file's size."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        seen: set[tuple[int, int]] = set()
        raw = []
        for page in doc.pages:
            size = 200
            contents = page.obj.get("/Contents")
            streams = contents if isinstance(contents, pikepdf.Array) else [contents] if contents is not None else []
            for s in streams:
                if isinstance(s, pikepdf.Stream):
                    size += len(s.read_raw_bytes())
            xobjects = page.obj.get("/Resources", {}).get("/XObject", {})
            for _name, x in xobjects.items():
                if isinstance(x, pikepdf.Stream) and x.objgen not in seen:
                    if x.objgen != (0, 0):
                        seen.add(x.objgen)
                    size += len(x.read_raw_bytes())
            raw.append(size)
    total = sum(raw) or 1
    return [max(1, round(r * len(pdf) / total)) for r in raw]
