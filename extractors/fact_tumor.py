"""Tumor results printed next to their names: PD-L1 (score, scale, comparator) and biomarkers
(EGFR, ALK, MSI, MMR, TMB, ...). A result is a fact only when the result itself is written: a
test sent, pending or offered as an unticked option is none."""

from __future__ import annotations

import re
from typing import Any

from extractors.context import UNTICKED_OPTION, assertion
from extractors.fact_page import FactPage, fact_value
from extractors.fact_results import COMPARATORS, window_end
from extractors.fact_schema import fact_rules
from extractors.fact_terms import Hit, result_table, term_key
from extractors.models import FieldValue

_F = fact_rules()
_I = re.IGNORECASE

_PD = _F.pd_l1
_PD_CLONES = re.compile(_PD.clones, _I)
_PD_NUMBER = re.compile(_PD.number, _I)
_PD_RESULT, _PD_RESULT_KEY = result_table(_PD.results)
_PD_SCALE, _PD_SCALE_KEY = result_table(_PD.scales)


_PD_PENDING = re.compile(r"\b(?:ordered|pending|sent|in\s+progress|awaiting|to\s+follow|requested)\b")


def pd_l1(page: FactPage) -> list[FieldValue]:
    out = []
    for h in page.of("pd_l1"):
        end = window_end(page, h, _PD.max_chars, ("pd_l1", "marker", "drug", "drug_class"))
        # Antibody clones ("22C3", "28-8") are blanked so that they never read as a score.
        window = _PD_CLONES.sub(lambda m: " " * len(m.group()), page.lowered[h.end : end])
        # An unticked box's option is no result ("[ ] >= 20   [ ] 1-19   [X] pending").
        window = UNTICKED_OPTION.sub(lambda m: " " * len(m.group()), window)
        # A date is no score ("CPS: sent 05/06/2026 -- result pending").
        for a, b, _iso in page.dates_in(h.end, end):
            window = window[: a - h.end] + " " * (b - a) + window[b - h.end :]
        num = _PD_NUMBER.search(window)
        # "CPS ordered on the 09/24 specimen - result pending": a test sent, no score yet.
        if num is not None and _PD_PENDING.search(window, 0, num.start()):
            num = None
        # "combined positive score" names a scale, not a result.
        res = _PD_RESULT.search(_PD_SCALE.sub(lambda m: " " * len(m.group()), window))
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
                attrs["comparator"] = COMPARATORS.get(" ".join(num.group("cmp").split()), num.group("cmp"))
            if num.group("num2"):
                attrs["range_high"] = float(num.group("num2"))
        anchor = num or res
        assert anchor is not None
        span = (h.start, h.end + anchor.end())
        asserted = (h.end + res.start(), h.end + res.end()) if res is not None else span
        attrs["assertion"] = assertion(page.pt, *asserted, target="pd_l1")
        out.append(fact_value(page, "pd_l1", value, span, 0.85, attrs))
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


def _marker_groups(page: FactPage) -> list[list[Hit]]:
    """Markers listed together ("EGFR, ALK and ROS1 negative") share one result."""
    groups: list[list[Hit]] = []
    for h in page.of("marker"):
        prev = groups[-1][-1] if groups else None
        if prev is not None and _MARKER_GAP.fullmatch(page.lowered, prev.end, h.start) and not (_implied(prev) or _implied(h)):
            groups[-1].append(h)
        else:
            groups.append([h])
    return groups


def _marker_result(page: FactPage, group: list[Hit]) -> tuple[str, tuple[int, int], str | None] | None:
    """(result, span of the words saying it, variant detail) for a group of markers."""
    first, last = group[0], group[-1]
    end = window_end(page, last, _BIO.max_chars, ("marker", "pd_l1"))
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


def _result_after(page: FactPage, start: int, end: int) -> tuple[str, tuple[int, int]] | None:
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


def biomarkers(page: FactPage) -> list[FieldValue]:
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
            out.append(fact_value(page, "biomarker", h.value("marker"), span, 0.8, attrs))
    return out
