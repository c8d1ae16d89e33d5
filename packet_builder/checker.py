"""Completeness: evaluate the catalog's requirements for the requested services against the
extractions of all documents of a case.

Each requirement comes out `met` (with the evidence that met it), `missing` (with an
actionable message) or `review` (something was found that a person must confirm). The case is
`complete` only when every requirement is met: a `review` keeps it incomplete, because a false
"complete" becomes a denied claim.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Callable, Sequence

from extractors.errors import UnknownServiceError
from extractors.models import DocumentExtraction, FieldValue

from .catalog import (
    Catalog,
    DiagnosisRequirement,
    DocumentRequirement,
    FactRequirement,
    FieldRequirement,
    GroupRequirement,
    OrderRequirement,
    Requirement,
    load_catalog,
)
from .evidence import (
    assertion_of,
    doc_evidence,
    document_date,
    label_of,
    mentions_any,
    norm_code,
    norm_id,
    where,
)
from .report import CompletenessReport, RequirementResult, ServiceSummary

Docs = Sequence[DocumentExtraction]


class _Context:
    def __init__(self, request: Any, documents: Docs, codes: tuple[str, ...]) -> None:
        self.request = request
        self.documents = documents
        self.codes = codes  # the requested codes that the service being checked covers


def check(request: Any, documents: Docs, *, catalog: Catalog | None = None) -> CompletenessReport:
    """The completeness report of `request` given the extractions `documents`."""
    catalog = catalog or load_catalog()
    if not request.service_codes:
        raise UnknownServiceError("no service code was requested: give at least one CPT/HCPCS code")
    services = catalog.services_for(request.service_codes)
    results: list[RequirementResult] = []
    seen: set[str] = set()
    summaries = []
    for service in services:
        codes = tuple(c for c in request.service_codes if c in service.codes)
        summaries.append(ServiceSummary(id=service.id, label=service.label, codes=codes))
        ctx = _Context(request, documents, codes)
        for req in service.requirements:
            if req.id in seen:  # common requirements are shared: report them once
                continue
            seen.add(req.id)
            results.append(evaluate(req, ctx))
    complete = bool(results) and all(r.status == "met" for r in results)
    return CompletenessReport(
        status="complete" if complete else "incomplete",
        requirements=tuple(results),
        services=tuple(summaries),
        catalog_version=catalog.version,
        request_date=request.request_date.isoformat(),
    )


def evaluate(req: Requirement, ctx: _Context) -> RequirementResult:
    handler: Callable[[Any, _Context], RequirementResult] = _HANDLERS[type(req)]
    return handler(req, ctx)


def _result(req: Requirement, status: str, message: str, evidence: Sequence[Any] = (), **kw: Any) -> RequirementResult:
    return RequirementResult(
        id=req.id,
        label=req.label,
        status=status,  # type: ignore[arg-type]
        message=message,
        evidence=tuple(evidence),
        kind=req.kind,
        source=" ".join(req.source.split()),
        **kw,
    )


def _missing(req: Requirement, detail: str = "") -> RequirementResult:
    msg = " ".join(req.missing_message.split())
    return _result(req, "missing", f"{detail} {msg}".strip())


# --- document ------------------------------------------------------------------------------


def _check_document(req: DocumentRequirement, ctx: _Context) -> RequirementResult:
    docs = [d for d in ctx.documents if d.doc_type in req.doc_types]
    kinds = " or ".join(label_of(t) for t in req.doc_types)
    if not docs:
        return _missing(req, f"No {kinds} among the documents.")
    request_date: date = ctx.request.request_date
    met, review, old = [], [], []
    for d in docs:
        when, fv = document_date(d, request_date)
        ev = doc_evidence(d, fv)
        on_topic = not req.text_any or mentions_any(d, req.text_any)
        if req.within_days is None:
            (met if on_topic else review).append((d, when, ev, "undated" if when is None else "dated"))
            continue
        if when is None:
            review.append((d, when, ev, "undated"))
        elif when > request_date:
            review.append((d, when, ev, "future"))
        elif (request_date - when).days > req.within_days:
            old.append((d, when, ev, "old"))
        else:
            (met if on_topic else review).append((d, when, ev, "off_topic"))
    if met:
        met.sort(key=lambda t: t[1] or date.min, reverse=True)
        d, when, ev, _ = met[0]
        if when is None:
            return _result(req, "met", f"{label_of(d.doc_type)} ({where(d)}).", [ev])
        days = (request_date - when).days
        return _result(
            req, "met", f"{label_of(d.doc_type)} dated {when.isoformat()}, {days} days before the request date.", [m[2] for m in met]
        )
    if review:
        d, when, ev, why = review[0]
        text = {
            "undated": f"{label_of(d.doc_type)} ({where(d)}) has no readable date: confirm it is within "
            f"{req.within_days} days before the request date ({request_date.isoformat()}).",
            "future": f"{label_of(d.doc_type)} is dated {when} (after the request date {request_date.isoformat()}): "
            "check the date or the request date.",
            "off_topic": f"{label_of(d.doc_type)} dated {when} does not mention any of "
            f"{', '.join(req.text_any)}: confirm it is the right evaluation.",
            "dated": f"{label_of(d.doc_type)} ({where(d)}) does not mention any of {', '.join(req.text_any)}: "
            "confirm it is the right evaluation.",
        }[why]
        return _result(req, "review", text, [r[2] for r in review])
    old.sort(key=lambda t: t[1], reverse=True)
    d, when, ev, _ = old[0]
    days = (request_date - when).days
    return _result(
        req,
        "missing",
        f"The most recent {label_of(d.doc_type)} is dated {when.isoformat()}, {days} days before the request "
        f"date (limit {req.within_days}). " + " ".join(req.missing_message.split()),
        [ev],
    )


# --- field ---------------------------------------------------------------------------------


def _check_field(req: FieldRequirement, ctx: _Context) -> RequirementResult:
    found = [(d, v) for d in ctx.documents for v in d.fields.get(req.field, ()) if str(v.value or "").strip()]
    wanted = getattr(ctx.request, req.field, None) if req.match_request else None
    name = req.label
    if not found:
        if wanted:
            return _result(req, "met", f"{name} entered on the case (no document shows it).")
        return _missing(req, f"No {name.lower()} found on any document.")
    if req.valid:
        good = [(d, v) for d, v in found if v.attributes.get("valid") is True]
        if not good:
            bad = [(d, v) for d, v in found if v.attributes.get("valid") is False]
            if bad:
                listing = ", ".join(f"{v.value} ({where(d, v)})" for d, v in bad[:3])
                return _result(
                    req, "missing", f"{name}: {listing} fails the check-digit test. "
                    + " ".join(req.missing_message.split()), [v.evidence for _, v in bad]
                )
            return _result(
                req, "review", f"{name} found but not validated: check it by hand.", [v.evidence for _, v in found]
            )
        found = good
    if req.preferred_role:
        preferred = [(d, v) for d, v in found if v.attributes.get("role") == req.preferred_role]
        unknown = [(d, v) for d, v in found if v.attributes.get("role") in (None, "", "unknown")]
        if preferred:
            found = preferred
        elif unknown:
            d, v = unknown[0]
            return _result(
                req, "met", f"{name} {v.value} ({where(d, v)}); its role is not stated.", [x.evidence for _, x in unknown]
            )
        else:
            roles = sorted({str(v.attributes.get("role")) for _, v in found})
            return _result(
                req,
                "review",
                f"Only {'/'.join(roles)} NPIs were found: add or confirm the {req.preferred_role} provider's NPI.",
                [v.evidence for _, v in found],
            )
    if wanted:
        matching = [(d, v) for d, v in found if norm_id(v.value) == norm_id(wanted)]
        if not matching:
            return _result(
                req,
                "review",
                f"The {name.lower()} on the documents ({where(*found[0])}) differs from the one entered on "
                "the case: check for a misread or a document of another patient.",
                [v.evidence for _, v in found],
            )
        found = matching
    d, v = found[0]
    shown = v.value if req.field in ("npi", "tax_id") else "found"  # no patient identifiers in messages
    role = f" (role {v.attributes['role']})" if req.preferred_role and v.attributes.get("role") else ""
    return _result(req, "met", f"{name} {shown}{role} on {where(d, v)}.", [x.evidence for _, x in found])


# --- diagnosis -----------------------------------------------------------------------------


def _check_diagnosis(req: DiagnosisRequirement, ctx: _Context) -> RequirementResult:
    prefixes = tuple(norm_code(p) for p in req.icd10_prefixes)
    codes = [(d, v) for d in ctx.documents for v in d.fields.get("icd10", ())]
    hits = [(d, v) for d, v in codes if norm_code(v.value).startswith(prefixes)]
    present = [(d, v) for d, v in hits if assertion_of(v) == "present"]
    billable = [(d, v) for d, v in present if v.attributes.get("billable", True) is not False]
    if billable:
        shown = ", ".join(sorted({str(v.value) for _, v in billable}))
        d, v = billable[0]
        return _result(req, "met", f"Diagnosis {shown} documented ({where(d, v)}).", [v.evidence for _, v in billable])
    if present:
        shown = ", ".join(sorted({str(v.value) for _, v in present}))
        return _result(
            req, "review", f"Diagnosis {shown} is a category, not a billable code: give the complete code.",
            [v.evidence for _, v in present],
        )
    if hits:
        shown = ", ".join(sorted({f"{v.value} ({assertion_of(v)})" for _, v in hits}))
        status = "review" if any(assertion_of(v) == "historical" for _, v in hits) else "missing"
        lead = f"Supporting diagnosis seen only as not current: {shown}."
        if status == "review":
            return _result(req, status, f"{lead} Confirm it is a current problem, or " + _lower_first(req.missing_message),
                           [v.evidence for _, v in hits])
        return _result(req, status, f"{lead} " + " ".join(req.missing_message.split()), [v.evidence for _, v in hits])
    others = sorted({str(v.value) for _, v in codes if assertion_of(v) == "present"})
    detail = f"Diagnoses found ({', '.join(others[:6])}) do not support this service." if others else "No ICD-10-CM diagnosis found."
    return _missing(req, detail)


def _lower_first(text: str) -> str:
    text = " ".join(text.split())
    return text[:1].lower() + text[1:]


# --- fact ----------------------------------------------------------------------------------


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _check_fact(req: FactRequirement, ctx: _Context) -> RequirementResult:
    found = [(d, v) for d in ctx.documents for v in d.facts.get(req.fact, ())]
    if req.values:
        found = [(d, v) for d, v in found if str(v.value) in req.values]
    if not found:
        return _missing(req, f"No {req.label.lower()} found.")
    present = [(d, v) for d, v in found if assertion_of(v) == "present"]
    historical = [(d, v) for d, v in found if assertion_of(v) == "historical"]
    if not present:
        shown = ", ".join(sorted({f"{v.value} ({assertion_of(v)})" for _, v in found}))
        evidence = [v.evidence for _, v in found]
        if historical:
            return _result(req, "review", f"Documented only as past: {shown}. Confirm it applies to the current episode.", evidence)
        return _result(req, "missing", f"Documented as not done or not present: {shown}. "
                       + " ".join(req.missing_message.split()), evidence)
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
            detail = (f"{shown} documented for {weeks:g} weeks (at least {req.min_duration_weeks:g} needed)."
                      if weeks is not None else f"{shown} documented without a duration.")
            return _result(req, "missing", f"{detail} " + " ".join(req.missing_message.split()), [v.evidence for _, v in present])
        present = long_enough
    clean = [(d, v) for d, v in present if not _flagged(req, v)]
    if clean:
        d, v = clean[0]
        return _result(req, "met", f"{_describe(req, ctx.documents, v)} ({where(d, v)}).", [x.evidence for _, x in clean])
    if present:
        d, v = present[0]
        flags = ", ".join(f"{k} {v.attributes.get(k)}" for k in req.review_when if _flagged(req, v))
        return _result(req, "review", f"{_describe(req, ctx.documents, v)} but {flags}: a person must confirm it still "
                       "supports the request.", [x.evidence for _, x in present])
    d, v = numeric_problems[0]
    bounds = f"{req.min:g}-{req.max:g}" if req.min is not None and req.max is not None else "the allowed range"
    return _result(req, "review", f"{req.label} value {v.value!r} ({where(d, v)}) is outside {bounds}: check for a misread.",
                   [x.evidence for _, x in numeric_problems])


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


# --- order ---------------------------------------------------------------------------------


def _check_order(req: OrderRequirement, ctx: _Context) -> RequirementResult:
    orders = [d for d in ctx.documents if d.doc_type in req.doc_types]
    if not orders:
        return _missing(req, "No order among the documents.")
    wanted = set(ctx.codes)
    listed: list[str] = []
    for d in orders:
        values = [v for name in ("cpt", "hcpcs") for v in d.fields.get(name, ())]
        hits = [v for v in values if norm_code(v.value) in wanted]
        listed.extend(str(v.value) for v in values)
        if hits:
            when, _ = document_date(d, ctx.request.request_date)
            dated = f"dated {when.isoformat()}" if when else "(undated)"
            codes = ", ".join(sorted({norm_code(v.value) for v in hits}))
            return _result(req, "met", f"Order {dated} lists {codes} ({where(d, hits[0])}).", [v.evidence for v in hits])
    shown = ", ".join(sorted(set(listed))) or "no CPT/HCPCS code"
    return _result(
        req, "review",
        f"An order was found but it lists {shown}, not the requested {', '.join(sorted(wanted))}: "
        "check the order (misread code?) or the requested service.",
        [doc_evidence(d) for d in orders],
    )


# --- groups --------------------------------------------------------------------------------


def _check_group(req: GroupRequirement, ctx: _Context) -> RequirementResult:
    children = tuple(evaluate(c, ctx) for c in req.requirements)  # type: ignore[arg-type]
    statuses = [c.status for c in children]
    if req.kind == "any_of":
        if "met" in statuses:
            met = [c for c in children if c.status == "met"]
            msg = "Met by " + "; ".join(f"{c.label}: {c.message}" for c in met)
            return _result(req, "met", msg, [e for c in met for e in c.evidence], children=children)
        status = "review" if "review" in statuses else "missing"
    else:
        if all(s == "met" for s in statuses):
            msg = "; ".join(f"{c.label}: {c.message}" for c in children)
            return _result(req, "met", msg, [e for c in children for e in c.evidence], children=children)
        status = "missing" if "missing" in statuses else "review"
    lead = "Needs review." if status == "review" else " ".join(req.missing_message.split())
    # Only children that found something add detail; the lead already says what to add.
    detail = " ".join(f"[{c.label}: {c.status}] {c.message}" for c in children if c.evidence)
    evidence = [e for c in children for e in c.evidence]
    return _result(req, status, f"{lead} {detail}".strip(), evidence, children=children)


_HANDLERS: dict[type, Callable[[Any, _Context], RequirementResult]] = {
    DocumentRequirement: _check_document,
    FieldRequirement: _check_field,
    DiagnosisRequirement: _check_diagnosis,
    FactRequirement: _check_fact,
    OrderRequirement: _check_order,
    GroupRequirement: _check_group,
}
