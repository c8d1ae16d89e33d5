"""Events whose value is their date (data/facts.yaml `dated_events`): "Therapy start: Jan 3,
2026" gives therapy_start 2026-01-03; "I examined her in the office today" gives
visit_reported "today" (the document's own date). The label must come first on the line, the date within a
few characters after it, so a report window or a visit date beside it is not taken."""

from __future__ import annotations

import re

from extractors.context import assertion
from extractors.fact_page import FactPage
from extractors.fact_schema import fact_rules
from extractors.models import FieldValue

_EVENTS = {
    name: (
        # A label may wrap a line ("whom I / examined in the office on May 7"): a space is any run.
        re.compile(r"(?<![a-z0-9])(?:" + "|".join(label.replace(" ", r"\s+") for label in rule.labels) + r")\b\s*[:\-]?\s*"),
        rule.max_gap,
        re.compile(r"\b(?:" + "|".join(map(re.escape, rule.today_words)) + r")\b") if rule.today_words else None,
    )
    for name, rule in fact_rules().dated_events.items()
}


def dated_events(page: FactPage) -> list[FieldValue]:
    out = []
    for name, (label, max_gap, today) in _EVENTS.items():
        for m in label.finditer(page.lowered):
            line = page.pt.line_at(max(m.start(), m.end() - 1))
            stop = min(line.end, m.end() + max_gap)
            dates = page.dates_in(m.end(), stop)
            now = today.search(page.lowered, m.end(), stop) if today else None
            if now is not None and (not dates or now.start() < dates[0][0]):
                a = assertion(page.pt, m.start(), now.end(), target="text")
                out.append(page.value(name, "today", m.start(), now.end(), 0.8, {"date": None, "today": True, "assertion": a}))
                continue
            if not dates:
                continue
            _start, end, iso = dates[0]
            a = assertion(page.pt, m.start(), end, target="text")
            out.append(page.value(name, iso, m.start(), end, 0.85, {"date": iso, "assertion": a}))
    return out


__all__ = ["dated_events"]
