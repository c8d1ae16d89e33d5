"""The `fact` requirement: a clinical fact (conservative therapy, red flag, Epworth, BMI...)
asserted present, with allowed values, numeric bounds and a minimum duration."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from extractors.models import DocumentExtraction, FieldValue

from .catalog import FactRequirement
from .evidence import assertion_of, document_date, parse_date, where
from .outcome import lower_first, missing, result
from .report import RequirementResult

Docs = Sequence[DocumentExtraction]


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _matches_where(req: FactRequirement, v: FieldValue) -> bool:
    # The value itself may be filtered too (`where: {value: [...]}` reads like the attributes).
    return all(str(v.attributes.get(k, v.value if k == "value" else None)) in vals for k, vals in req.where.items())


def fact_date(d: DocumentExtraction, v: FieldValue, request_date: Any) -> Any:
    """When a fact was observed: the date written beside it, else its document's date."""
    return parse_date(v.attributes.get("date")) or document_date(d, request_date)[0]


def _latest(
    req: FactRequirement, ctx: Any, present: list[tuple[DocumentExtraction, FieldValue]]
) -> tuple[list[tuple[DocumentExtraction, FieldValue]], bool]:
    """The values of the latest date on or before the request (the fact's own date, else its
    document's), and whether they disagree on the bounds."""
    anchor = ctx.request.request_date
    dated = []
    for d, v in present:
        when = parse_date(v.attributes.get("date")) or document_date(d, anchor)[0]
        if when is not None and when <= anchor:
            dated.append((when, d, v))
    if not dated:
        return present, False
    last = max(w for w, _, _ in dated)
    current = [(d, v) for w, d, v in dated if w == last]
    verdicts = set()
    for _d, v in current:
        n = _number(v.value)
        if n is not None:
            verdicts.add(_compare(req, n, str(v.attributes.get("comparator") or "")))
    return current, len(verdicts) > 1


def check_fact(req: FactRequirement, ctx: Any) -> RequirementResult:
    found = [(d, v) for d in ctx.documents for v in d.facts.get(req.fact, ())]
    if req.values:
        found = [(d, v) for d, v in found if str(v.value) in req.values]
    if req.where:
        found = [(d, v) for d, v in found if _matches_where(req, v)]
    if req.absent:
        stated = [(d, v) for d, v in found if assertion_of(v) in ("present", "historical")]
        if not stated:
            return result(req, "met", f"No {req.fact.replace('_', ' ')} of this kind documented.")
        shown = ", ".join(sorted({str(v.value) for _, v in stated}))
        d, v = stated[0]
        return result(
            req,
            "review",
            f"{shown} documented ({where(d, v)}): " + " ".join(req.missing_message.split()),
            [x.evidence for _, x in stated],
        )
    if not found:
        return missing(req, f"No {req.fact.replace('_', ' ')} found.")
    if req.within_days is not None:
        found, stale, undated = _by_recency(req, ctx, found)
        if not found:
            if undated:
                d, v = undated[0]
                return result(
                    req,
                    "review",
                    f"{req.label}: {v.value} ({where(d, v)}) has no readable date: confirm it is within "
                    f"{req.within_days} days before the request date.",
                    [x.evidence for _, x in undated],
                )
            d, v, when = max(stale, key=lambda t: t[2])
            days = (ctx.request.request_date - when).days
            return result(
                req,
                "missing",
                f"The latest {req.fact.replace('_', ' ')} ({v.value}, {where(d, v)}) is dated {when.isoformat()}, "
                f"{days} days before the request date (limit {req.within_days}). " + " ".join(req.missing_message.split()),
                [x.evidence for _, x, _ in stale],
            )
    stated = ("present", "hypothetical") if req.suspected_counts else ("present",)
    present = [(d, v) for d, v in found if assertion_of(v) in stated]
    historical = [(d, v) for d, v in found if assertion_of(v) == "historical"]
    if not present:
        shown = ", ".join(sorted({f"{v.value} ({assertion_of(v)})" for _, v in found}))
        evidence = [v.evidence for _, v in found]
        if historical:
            return result(
                req, "review", f"Documented only as past: {shown}. Confirm it applies to the current episode.", evidence
            )
        return result(
            req, "missing", f"Documented as not done or not present: {shown}. " + " ".join(req.missing_message.split()), evidence
        )
    # A value outside the bounds does not meet the criterion (AHI 8 against 15): missing, with
    # the value. A value that is no number ("PD-L1 positive" against a CPS bound) needs a person.
    not_numbers: list[tuple[DocumentExtraction, FieldValue]] = []
    out_of_bounds: list[tuple[DocumentExtraction, FieldValue, float]] = []
    if req.latest and (req.min is not None or req.max is not None) and present:
        present, mixed = _latest(req, ctx, present)
        if mixed:
            shown = ", ".join(f"{v.value} ({where(d, v)})" for d, v in present[:4])
            return result(
                req,
                "review",
                f"The latest {req.fact.replace('_', ' ')} values disagree on {_bounds(req)}: {shown}. Confirm the current value.",
                [v.evidence for _, v in present],
            )
    if req.min is not None or req.max is not None:
        in_range = []
        for d, v in present:
            n = _number(v.value)
            high = _number(v.attributes.get("range_high"))
            if req.compare == "range_high" and high is not None and req.max is not None and n is not None:
                n = high
            verdict = None if n is None else _compare(req, n, str(v.attributes.get("comparator") or ""))
            if verdict is None:
                not_numbers.append((d, v))
            elif verdict:
                in_range.append((d, v))
            else:
                out_of_bounds.append((d, v, n))
        present = in_range
    if req.min_duration_weeks is not None and present:
        found = [(d, _dated_by_start(d, v, ctx.request.request_date)) for d, v in found]
        present = [(d, _dated_by_start(d, v, ctx.request.request_date)) for d, v in present]
        # "Failed PT" in the assessment and "six weeks of PT" in the history are one therapy:
        # a present mention takes the duration a past mention of the same therapy states.
        durations = _durations(found)
        long_enough = _long_enough(req, ctx.documents, present, durations)
        if not long_enough and (rescued := _by_symptoms(req, ctx.documents, present, durations)):
            # Symptoms lasting long enough do not show that the treatment did: a person reads
            # how long the therapy went on.
            weeks = max(_symptom_weeks(req, ctx.documents))
            shown = ", ".join(sorted({str(v.value) for _, v in rescued}))
            return result(
                req,
                "review",
                f"{shown} documented without its own duration; symptoms for {weeks:g} weeks. Confirm the treatment "
                f"itself lasted at least {req.min_duration_weeks:g} weeks, or " + lower_first(req.missing_message),
                [v.evidence for _, v in rescued],
            )
        if not long_enough:
            weeks = _best_duration(req, ctx.documents, present)
            shown = ", ".join(sorted({str(v.value) for _, v in present}))
            detail = (
                f"{shown} documented for {weeks:g} weeks (at least {req.min_duration_weeks:g} needed)."
                if weeks is not None
                else f"{shown} documented without a duration."
            )
            return result(req, "missing", f"{detail} " + " ".join(req.missing_message.split()), [v.evidence for _, v in present])
        present = long_enough
    clean = [(d, v) for d, v in present if not _flagged(req, v)]
    if clean and req.min_distinct > 1:
        distinct = sorted({str(v.value) for _, v in clean})
        if len(distinct) < req.min_distinct:
            return result(
                req,
                "missing",
                f"Only {len(distinct)} documented ({', '.join(distinct)}); at least {req.min_distinct} needed. "
                + " ".join(req.missing_message.split()),
                [x.evidence for _, x in clean],
            )
    if clean:
        d, v = clean[0]
        return result(req, "met", f"{_describe(req, ctx.documents, v)} ({where(d, v)}).", [x.evidence for _, x in clean])
    if present:
        d, v = present[0]
        flags = ", ".join(f"{k} {v.attributes.get(k)}" for k in req.review_when if _flagged(req, v))
        return result(
            req,
            "review",
            f"{_describe(req, ctx.documents, v)} but {flags}: a person must confirm it still supports the request.",
            [x.evidence for _, x in present],
        )
    if out_of_bounds:
        d, v, n = out_of_bounds[0]
        return result(
            req,
            "missing",
            f"{req.fact.replace('_', ' ').capitalize()} {n:g} ({where(d, v)}) does not meet {_bounds(req)}. "
            + " ".join(req.missing_message.split()),
            [x.evidence for _, x, _ in out_of_bounds],
        )
    d, v = not_numbers[0]
    return result(
        req,
        "review",
        f"{req.label}: {v.value!r} ({where(d, v)}) is not a number to compare with {_bounds(req)}: check it.",
        [x.evidence for _, x in not_numbers],
    )


_BELOW = {"<", "<=", "≤", "less than", "under", "below"}
_ABOVE = {">", ">=", "≥", "greater than", "over", "above"}


def _compare(req: FactRequirement, n: float, comparator: str) -> bool | None:
    """Whether a value meets the bounds: True, False, or None when its comparator leaves it
    open ("PD-L1 < 5%" against >= 1: it may be 0). "TPS < 1%" against >= 1 is False; "reflux
    > 500 ms" against >= 500 is True."""
    strict = comparator in ("<", ">", "less than", "greater than", "under", "over", "above", "below")
    lo, hi = n, n
    if comparator in _BELOW:
        # A floor of 0 in the catalog is the measure's own ("cotinine < 2 ng/mL" is 0 to 2).
        lo = 0.0 if req.min == 0 and n >= 0 else float("-inf")
    elif comparator in _ABOVE:
        hi = float("inf")
    # [lo, hi] holds the true value (ends open when strict).
    if req.min is not None:
        if hi < req.min or (strict and comparator in _BELOW and hi <= req.min):
            return False
        if lo < req.min:
            return None
    if req.max is not None:
        if lo > req.max or (strict and comparator in _ABOVE and lo >= req.max):
            return False
        if hi > req.max:
            return None
    return True


def _bounds(req: FactRequirement) -> str:
    if req.min is not None and req.max is not None:
        return f"{req.min:g}-{req.max:g}"
    return f">= {req.min:g}" if req.min is not None else f"<= {req.max:g}"


def _by_recency(req: FactRequirement, ctx: Any, found: list) -> tuple[list, list, list]:
    """Split facts into those dated within the window, stale ones (with their date), undated."""
    recent, stale, undated = [], [], []
    request_date = ctx.request.request_date
    for d, v in found:
        when = fact_date(d, v, request_date)
        if when is None:
            undated.append((d, v))
        elif when <= request_date and (request_date - when).days <= (req.within_days or 0):
            recent.append((d, v))
        elif when > request_date:
            undated.append((d, v))  # a date after the request: a misread or a wrong request date
        else:
            stale.append((d, v, when))
    return recent, stale, undated


def _flagged(req: FactRequirement, v: FieldValue) -> bool:
    return any(str(v.attributes.get(k)) in vals for k, vals in req.review_when.items())


def _symptom_weeks(req: FactRequirement, documents: Docs) -> list[float]:
    out = []
    for d in documents:
        for name in req.duration_facts:
            for v in d.facts.get(name, ()):
                n = _number(v.value)
                if n is not None and assertion_of(v) == "present":
                    out.append(n)
    return out


def _dated_by_start(d: DocumentExtraction, v: FieldValue, request_date: Any) -> FieldValue:
    """A treatment written with its start ("PT since 11/17/2025") has lasted until the note
    that says so (or the request, for an undated note); one written with a range lasted the
    range."""
    if _number(v.attributes.get("duration_weeks")) is not None:
        return v
    # A range written beside it ("PT 10/06/2025 - 12/01/2025") is its duration.
    first, last = parse_date(v.attributes.get("date")), parse_date(v.attributes.get("date_end"))
    if first is not None and last is not None and last > first:
        return replace(v, attributes={**v.attributes, "duration_weeks": round((last - first).days / 7, 1)})
    started = parse_date(v.attributes.get("started"))
    if started is None:
        return v
    until = document_date(d, request_date)[0] or request_date
    days = (until - started).days
    if days <= 0:
        return v
    return replace(v, attributes={**v.attributes, "duration_weeks": round(days / 7, 1)})


def _durations(found: list) -> dict[str, float]:
    """The longest stated duration of each therapy among its present and past mentions."""
    out: dict[str, float] = {}
    for _, v in found:
        weeks = _number(v.attributes.get("duration_weeks"))
        if weeks is not None and assertion_of(v) in ("present", "historical"):
            out[str(v.value)] = max(weeks, out.get(str(v.value), 0.0))
    return out


def _weeks(v: FieldValue, durations: dict[str, float]) -> float | None:
    own = _number(v.attributes.get("duration_weeks"))
    return own if own is not None else durations.get(str(v.value))


def _long_enough(req: FactRequirement, documents: Docs, present: list, durations: dict[str, float]) -> list:
    """The facts whose duration (their own, or a past mention's of the same therapy) reaches the minimum."""
    need = req.min_duration_weeks or 0
    return [(d, v) for d, v in present if (_weeks(v, durations) or 0) >= need]


def _by_symptoms(req: FactRequirement, documents: Docs, present: list, durations: dict[str, float]) -> list:
    """Facts with no duration of their own, when the symptoms lasted the minimum: a question,
    never a pass. A treatment whose stated duration is too short is not rescued."""
    need = req.min_duration_weeks or 0
    undated = [(d, v) for d, v in present if _weeks(v, durations) is None]
    if undated and any(w >= need for w in _symptom_weeks(req, documents)):
        return undated
    return []


def _best_duration(req: FactRequirement, documents: Docs, present: list) -> float | None:
    weeks = [_number(v.attributes.get("duration_weeks")) for _, v in present]
    weeks = [w for w in weeks if w is not None] + _symptom_weeks(req, documents)
    return max(weeks) if weeks else None


def _describe(req: FactRequirement, documents: Docs, v: FieldValue) -> str:
    text = f"{req.fact.replace('_', ' ').capitalize()}: {v.value}"
    own = _number(v.attributes.get("duration_weeks"))
    if req.min_duration_weeks is not None:
        symptoms = _symptom_weeks(req, documents)
        if own is not None and own >= req.min_duration_weeks:
            text += f" for {own:g} weeks"
        elif symptoms:
            text += f", symptoms for {max(symptoms):g} weeks"
    outcome = v.attributes.get("outcome")
    if outcome and outcome != "unknown":
        text += f", {outcome}"
    return text
