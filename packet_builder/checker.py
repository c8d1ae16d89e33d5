"""Completeness: evaluate the catalog's requirements for the requested services against the
extractions of all documents of a case.

Each requirement comes out `met` (with the evidence that met it), `missing` (with an
actionable message) or `review` (something was found that a person must confirm). The case is
`complete` only when every requirement is met: a `review` keeps it incomplete, because a false
"complete" becomes a denied claim.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from extractors.errors import UnknownServiceError
from extractors.models import DocumentExtraction

from .catalog import (
    Catalog,
    ConsistencyRequirement,
    DiagnosisRequirement,
    DocumentRequirement,
    FactRequirement,
    FieldRequirement,
    GroupRequirement,
    OrderRequirement,
    Requirement,
    load_catalog,
)
from .consistency import FIELD_LABELS, Disagreement, find_disagreements
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
from .fact_check import check_fact
from .outcome import missing, result
from .report import CompletenessReport, RequirementResult, ServiceSummary
from .request import ServiceRequest

Docs = Sequence[DocumentExtraction]


class _Context:
    def __init__(
        self, request: ServiceRequest, documents: Docs, codes: tuple[str, ...], disagreements: Sequence[Disagreement]
    ) -> None:
        self.request = request
        self.documents = documents
        self.codes = codes  # the requested codes that the service being checked covers
        self.disagreements = disagreements  # between documents, once per check


def check(request: ServiceRequest, documents: Docs, *, catalog: Catalog | None = None) -> CompletenessReport:
    """The completeness report of `request` given the extractions `documents`."""
    catalog = catalog or load_catalog()
    if not request.service_codes:
        raise UnknownServiceError("no service code was requested: give at least one CPT/HCPCS code")
    services = catalog.services_for(request.service_codes)
    disagreements = find_disagreements(documents)
    results: list[RequirementResult] = []
    seen: set[str] = set()
    summaries = []
    for service in services:
        codes = tuple(c for c in request.service_codes if c in service.codes)
        summaries.append(ServiceSummary(id=service.id, label=service.label, codes=codes))
        ctx = _Context(request, documents, codes, disagreements)
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
        disagreements=tuple(d.to_json() for d in disagreements),
    )


def evaluate(req: Requirement, ctx: _Context) -> RequirementResult:
    handler: Callable[[Any, _Context], RequirementResult] = _HANDLERS[type(req)]
    return handler(req, ctx)


# --- document ------------------------------------------------------------------------------


def _check_document(req: DocumentRequirement, ctx: _Context) -> RequirementResult:
    docs = [d for d in ctx.documents if d.doc_type in req.doc_types]
    kinds = " or ".join(label_of(t).lower() for t in req.doc_types)
    if not docs:
        return missing(req, f"No {kinds} among the documents.")
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
            return result(req, "met", f"{label_of(d.doc_type)} ({where(d)}).", [ev])
        days = (request_date - when).days
        return result(
            req,
            "met",
            f"{label_of(d.doc_type)} dated {when.isoformat()}, {days} days before the request date.",
            [m[2] for m in met],
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
        return result(req, "review", text, [r[2] for r in review])
    old.sort(key=lambda t: t[1], reverse=True)
    d, when, ev, _ = old[0]
    days = (request_date - when).days
    return result(
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
        if wanted:  # the payer wants it on the documents too (COMMON contract)
            return missing(req, f"The {name.lower()} is entered on the case but no document shows it.")
        return missing(req, f"No {name.lower()} found on any document.")
    if req.valid and req.preferred_role:
        # The ordering provider's own NPI failing the check digit is not made good by another
        # provider's valid NPI whose role the page does not state (a facility's on a form).
        in_role = [(d, v) for d, v in found if v.attributes.get("role") == req.preferred_role]
        if in_role and not any(v.attributes.get("valid") is True for _, v in in_role):
            listing = ", ".join(f"{v.value} ({where(d, v)})" for d, v in in_role[:3])
            return result(
                req,
                "missing",
                f"{name}: {listing} fails the check-digit test. " + " ".join(req.missing_message.split()),
                [v.evidence for _, v in in_role],
            )
    if req.valid:
        good = [(d, v) for d, v in found if v.attributes.get("valid") is True]
        if not good:
            bad = [(d, v) for d, v in found if v.attributes.get("valid") is False]
            if bad:
                listing = ", ".join(f"{v.value} ({where(d, v)})" for d, v in bad[:3])
                return result(
                    req,
                    "missing",
                    f"{name}: {listing} fails the check-digit test. " + " ".join(req.missing_message.split()),
                    [v.evidence for _, v in bad],
                )
            return result(req, "review", f"{name} found but not validated: check it by hand.", [v.evidence for _, v in found])
        found = good
    if req.preferred_role:
        preferred = [(d, v) for d, v in found if v.attributes.get("role") == req.preferred_role]
        unknown = [(d, v) for d, v in found if v.attributes.get("role") in (None, "", "unknown")]
        if preferred:
            found = preferred
        elif unknown:
            d, v = unknown[0]
            return result(
                req, "met", f"{name} {v.value} ({where(d, v)}); its role is not stated.", [x.evidence for _, x in unknown]
            )
        else:
            roles = sorted({str(v.attributes.get("role")) for _, v in found})
            return result(
                req,
                "review",
                f"Only {'/'.join(roles)} NPIs were found: add or confirm the {req.preferred_role} provider's NPI.",
                [v.evidence for _, v in found],
            )
    if wanted:
        matching = [(d, v) for d, v in found if norm_id(v.value) == norm_id(wanted)]
        if not matching:
            return result(
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
    return result(req, "met", f"{name} {shown}{role} on {where(d, v)}.", [x.evidence for _, x in found])


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
        return result(req, "met", f"Diagnosis {shown} documented ({where(d, v)}).", [v.evidence for _, v in billable])
    if present:
        shown = ", ".join(sorted({str(v.value) for _, v in present}))
        return result(
            req,
            "review",
            f"Diagnosis {shown} is a category, not a billable code: give the complete code.",
            [v.evidence for _, v in present],
        )
    if hits:
        shown = ", ".join(sorted({f"{v.value} ({assertion_of(v)})" for _, v in hits}))
        status = "review" if any(assertion_of(v) == "historical" for _, v in hits) else "missing"
        lead = f"Supporting diagnosis seen only as not current: {shown}."
        if status == "review":
            return result(
                req,
                status,
                f"{lead} Confirm it is a current problem, or " + _lower_first(req.missing_message),
                [v.evidence for _, v in hits],
            )
        return result(req, status, f"{lead} " + " ".join(req.missing_message.split()), [v.evidence for _, v in hits])
    others = sorted({str(v.value) for _, v in codes if assertion_of(v) == "present"})
    detail = (
        f"Diagnoses found ({', '.join(others[:6])}) do not support this service." if others else "No ICD-10-CM diagnosis found."
    )
    return missing(req, detail)


def _lower_first(text: str) -> str:
    text = " ".join(text.split())
    return text[:1].lower() + text[1:]


# --- order ---------------------------------------------------------------------------------


def _check_order(req: OrderRequirement, ctx: _Context) -> RequirementResult:
    orders = [d for d in ctx.documents if d.doc_type in req.doc_types]
    if not orders:
        return missing(req, "No order among the documents.")
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
            return result(req, "met", f"Order {dated} lists {codes} ({where(d, hits[0])}).", [v.evidence for v in hits])
    shown = ", ".join(sorted(set(listed))) or "no CPT/HCPCS code"
    return result(
        req,
        "review",
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
            return result(req, "met", msg, [e for c in met for e in c.evidence], children=children)
        status = "review" if "review" in statuses else "missing"
    else:
        if all(s == "met" for s in statuses):
            msg = "; ".join(f"{c.label}: {c.message}" for c in children)
            return result(req, "met", msg, [e for c in children for e in c.evidence], children=children)
        status = "missing" if "missing" in statuses else "review"
    if status == "review":
        lead = "Needs review: " + " ".join(c.message for c in children if c.status == "review")
    else:
        lead = " ".join(req.missing_message.split())
    # The children carry the detail; the group names their outcome only.
    detail = "(" + "; ".join(f"{c.label}: {c.status}" for c in children) + ")"
    evidence = [e for c in children for e in c.evidence]
    return result(req, status, f"{lead} {detail}".strip(), evidence, children=children)


# --- consistency ---------------------------------------------------------------------------


def _check_consistency(req: ConsistencyRequirement, ctx: _Context) -> RequirementResult:
    found = [d for d in ctx.disagreements if d.field in req.fields]
    # One value read a character off ("BRRTRAND" for "BERTRAND") while the rest agrees is OCR,
    # not another patient; two fields off between the same pair of documents is not OCR.
    pairs: dict[tuple[int, int], set[str]] = {}
    for d in found:
        pairs.setdefault((id(d.first_document), id(d.second_document)), set()).add(d.field)
    blocking = [d for d in found if not d.likely_misread or len(pairs[(id(d.first_document), id(d.second_document))]) > 1]
    if blocking:
        evidence = [e for d in blocking for e in (d.first.evidence, d.second.evidence)]
        return result(req, "review", " ".join(d.message for d in blocking), evidence)
    if found:
        evidence = [e for d in found for e in (d.first.evidence, d.second.evidence)]
        fields = sorted({FIELD_LABELS[d.field].lower() for d in found})
        return result(req, "met", f"The documents agree but for a probable misreading of the {' and '.join(fields)}.", evidence)
    stated = sum(1 for d in ctx.documents if any(d.fields.get(f) for f in req.fields))
    if stated == 0:
        return missing(req, "No document identifies the patient (member ID, name or date of birth).")
    if stated < 2:
        return result(req, "met", "Only one document identifies the patient: nothing to compare.")
    return result(req, "met", f"Member ID, name and date of birth agree across the {stated} documents that state them.")


_HANDLERS: dict[type, Callable[[Any, _Context], RequirementResult]] = {
    DocumentRequirement: _check_document,
    FieldRequirement: _check_field,
    DiagnosisRequirement: _check_diagnosis,
    FactRequirement: check_fact,
    OrderRequirement: _check_order,
    ConsistencyRequirement: _check_consistency,
    GroupRequirement: _check_group,
}
