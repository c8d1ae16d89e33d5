"""Events whose value is their date (data/facts.yaml `dated_events`): "Therapy start: Jan 3,
2026" gives therapy_start 2026-01-03. The label must come first on the line, the date within a
few characters after it, so a report window or a visit date beside it is not taken."""

from __future__ import annotations

import re

from extractors.context import assertion
from extractors.fact_page import FactPage
from extractors.fact_schema import fact_rules
from extractors.models import FieldValue

_EVENTS = {
    name: (re.compile(r"(?<![a-z0-9])(?:" + "|".join(rule.labels) + r")\b\s*[:\-]?\s*"), rule.max_gap)
    for name, rule in fact_rules().dated_events.items()
}


def dated_events(page: FactPage) -> list[FieldValue]:
    out = []
    for name, (label, max_gap) in _EVENTS.items():
        for m in label.finditer(page.lowered):
            line = page.pt.line_at(m.start())
            dates = page.dates_in(m.end(), min(line.end, m.end() + max_gap))
            if not dates:
                continue
            _start, end, iso = dates[0]
            a = assertion(page.pt, m.start(), end, target="text")
            out.append(page.value(name, iso, m.start(), end, 0.85, {"date": iso, "assertion": a}))
    return out


__all__ = ["dated_events"]
