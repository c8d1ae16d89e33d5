"""The `fact` requirement: a clinical fact (conservative therapy, red flag, Epworth, BMI...)
asserted present, with allowed values, numeric bounds and a minimum duration."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from extractors.models import DocumentExtraction, FieldValue

from .catalog import FactRequirement
from .evidence import assertion_of, where
from .outcome import missing, result
from .report import RequirementResult

Docs = Sequence[DocumentExtraction]


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def check_fact(req: FactRequirement, ctx: Any) -> RequirementResult:
    found = [(d, v) for d in ctx.documents for v in d.facts.get(req.fact, ())]
    if req.values:
        found = [(d, v) for d, v in found if str(v.value) in req.values]
    if not found:
        return missing(req, f"No {req.fact.replace('_', ' ')} found.")
    present = [(d, v) for d, v in found if assertion_of(v) == "present"]
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
    numeric_problems: list[tuple[DocumentExtraction, FieldValue]] = []
    if req.min is not None or req.max is not None:
        in_range = []
        for d, v in present:
            n = _number(v.value)
            if n is None or (req.min is not None and n < req.min) or (req.max is not None and n > req.max):
                numeric_problems.append((d, v))
            else:
                in_range.append((d, v))
        present = in_range
    if req.min_duration_weeks is not None and present:
        long_enough = _long_enough(req, ctx.documents, present)
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
    d, v = numeric_problems[0]
    bounds = f"{req.min:g}-{req.max:g}" if req.min is not None and req.max is not None else "the allowed range"
    return result(
        req,
        "review",
        f"{req.label} value {v.value!r} ({where(d, v)}) is outside {bounds}: check for a misread.",
        [x.evidence for _, x in numeric_problems],
    )


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


def _long_enough(req: FactRequirement, documents: Docs, present: list) -> list:
    need = req.min_duration_weeks or 0
    own = [(d, v) for d, v in present if (_number(v.attributes.get("duration_weeks")) or 0) >= need]
    if own:
        return own
    if any(w >= need for w in _symptom_weeks(req, documents)):
        return present
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
