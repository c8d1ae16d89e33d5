"""Completeness: evaluate the catalog's requirements for the requested services against the
extractions of all documents of a case.

Each requirement comes out `met` (with the evidence that met it), `missing` (with an
actionable message) or `review` (something was found that a person must confirm). The case is
`complete` only when every requirement is met with confident evidence: a `review` keeps it
incomplete, because a false "complete" becomes a denied claim.

The services checked are those of the requested codes (plus the out-of-network referral when
the request says so), as the payer sees them: every matching overlay (packet_builder/overlay.py)
has added, removed or changed requirements, and a form the payer wants first is a requirement.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from extractors.errors import UnknownServiceError
from extractors.models import DocumentExtraction

from .catalog import (
    Catalog,
    CodeResolution,
    ConsistencyRequirement,
    DiagnosisRequirement,
    DocumentRequirement,
    FactRequirement,
    FieldRequirement,
    GroupRequirement,
    OrderRequirement,
    Requirement,
    Service,
    load_catalog,
    walk,
)
from .check_context import CheckContext
from .code_check import check_diagnosis, check_order
from .consistency import FIELD_LABELS, find_disagreements
from .document_check import check_document
from .fact_check import check_fact
from .field_check import check_field
from .outcome import missing, result
from .overlay import Overlay, apply_overlays, load_overlays, matching_overlays
from .report import CompletenessReport, RequirementResult, ServiceSummary
from .request import ServiceRequest
from .request_check import request_results

Docs = Sequence[DocumentExtraction]
OUT_OF_NETWORK_SERVICE = "out_of_network_referral"
# Evidence read this unsurely (OCR word confidence) cannot make a requirement `met` on its own:
# the requirement goes to review. Below the page-review threshold (models.REVIEW_CONFIDENCE).
CONFIDENT = 0.5
# Kinds whose evidence is a reading of the page (a code, a value, a fact), as opposed to a
# judgement over documents (consistency) or a group (its children are checked themselves).
_READ_KINDS = {"document", "field", "diagnosis", "fact", "order_names_service"}


def resolve_request(request: ServiceRequest, catalog: Catalog) -> tuple[list[Service], CodeResolution]:
    """The services the request asks for (by primary code, by name, or the out-of-network
    referral), and how each of its codes was understood."""
    if not request.service_codes and not request.out_of_network:
        raise UnknownServiceError("no service code was requested: give at least one CPT/HCPCS code")
    resolution = catalog.resolve(request.service_codes)
    services = list(resolution.services)
    if request.out_of_network and all(s.id != OUT_OF_NETWORK_SERVICE for s in services):
        services.append(catalog.service(OUT_OF_NETWORK_SERVICE))
    return services, resolution


def _shown(documents: Docs) -> frozenset[str]:
    """The facts the documents state as present, by name and by name with each attribute
    ("pain_relief", "pain_relief.after=block")."""
    out: set[str] = set()
    for d in documents:
        for name, values in d.facts.items():
            for v in values:
                if v.attributes.get("assertion", "present") != "present":
                    continue
                out.add(name)
                out.update(f"{name}.{k}={a}" for k, a in v.attributes.items() if isinstance(a, str))
    return frozenset(out)


def _scoped(
    reqs: Sequence[Requirement], codes: Sequence[str], request: ServiceRequest, shown: frozenset[str] = frozenset()
) -> tuple[Requirement, ...]:
    """The requirements that apply to these codes, this episode and this plan type (groups keep
    the children that apply; a group left empty goes). `shown`: the facts the documents state
    as present (a requirement's `episode_shown_by`)."""
    out: list[Requirement] = []
    for r in reqs:
        if not r.applies(codes, request.episode, request.plan_type, shown=shown):
            continue
        if isinstance(r, GroupRequirement):
            children = _scoped(r.requirements, codes, request, shown)  # type: ignore[arg-type]
            if not children:
                continue
            r = r.model_copy(update={"requirements": children})
        out.append(r)
    return tuple(out)


def check(
    request: ServiceRequest,
    documents: Docs,
    *,
    catalog: Catalog | None = None,
    overlays: Sequence[Overlay] | None = None,
) -> CompletenessReport:
    """The completeness report of `request` given the extractions `documents`. `overlays`:
    the payer overlays to consider (default: the packaged ones); those matching apply."""
    catalog = catalog or load_catalog()
    services, resolution = resolve_request(request, catalog)
    if overlays is None:  # a test's own catalog gets no packaged overlays: they name its services
        overlays = load_overlays() if catalog is load_catalog() else ()
    matched = matching_overlays(request, overlays)
    # Listed on the case only when it applied to one of its services (or to every service).
    applied = [o for o in matched if o.applies_to_services([s.id for s in services])]
    disagreements = find_disagreements(documents)
    results: list[RequirementResult] = []
    summaries = []
    seen: set[str] = set()
    for service in services:
        codes = tuple(c for c in request.service_codes if c in service.codes)
        riding = tuple(c for c, sid in resolution.companions.items() if sid == service.id)
        summaries.append(ServiceSummary(id=service.id, label=service.label, codes=codes, companions=riding))
        seen_service = apply_overlays(service, applied, catalog.common)
        # Scoping sees the companions too (an add-on therapy code needs the plan of care);
        # an order must name a primary code.
        scoped = _scoped(seen_service.requirements, codes + riding, request, _shown(documents))
        ctx = CheckContext(request, documents, codes, disagreements, requirements={r.id: r for r in walk(scoped)})
        for req in scoped:
            if req.id in seen:  # common requirements are shared: report them once
                continue
            seen.add(req.id)
            results.append(evaluate(req, ctx))
    if not services:
        # Codes nobody here has requirements for: still check who the patient and the
        # requester are, which every request needs.
        ctx = CheckContext(request, documents, (), disagreements)
        for req in _scoped(tuple(catalog.common.values()), (), request):
            if req.id not in seen:
                seen.add(req.id)
                results.append(evaluate(req, ctx))
    for overlay in applied:
        form = overlay.first_form_requirement()
        if form is not None and form.id not in seen:
            seen.add(form.id)
            results.append(evaluate(form, CheckContext(request, documents, (), disagreements)))
    results.extend(request_results(request, resolution, catalog))
    complete = bool(results) and all(r.status == "met" for r in results)
    return CompletenessReport(
        status="complete" if complete else "incomplete",
        requirements=tuple(results),
        services=tuple(summaries),
        catalog_version=catalog.version,
        request_date=request.request_date.isoformat(),
        disagreements=tuple(d.to_json() for d in disagreements),
        overlays=tuple(o.to_json() for o in applied),
        unknown_codes=resolution.unknown,
        companion_codes=tuple(sorted({*resolution.companions, *resolution.orphans})),
    )


def evaluate(req: Requirement, ctx: CheckContext) -> RequirementResult:
    if req.id in ctx.results:
        return ctx.results[req.id]
    if isinstance(req, DocumentRequirement) and req.follows and req.follows.requirement not in ctx.results:
        # The document it follows is found first, wherever it sits in the list.
        target = ctx.requirements.get(req.follows.requirement)
        if target is not None:
            evaluate(target, ctx)
    handler: Callable[[Any, CheckContext], RequirementResult] = _HANDLERS[type(req)]
    out = _confident(handler(req, ctx))
    if out.status == "met" and req.confirm:
        out = replace(out, status="review", message=f"{out.message} Confirm: {' '.join(req.confirm.split())}")
    ctx.results[req.id] = out
    return out


def _confident(res: RequirementResult) -> RequirementResult:
    """A `met` that rests only on unsure readings is a `review`: never a silent pass."""
    if res.status != "met" or res.kind not in _READ_KINDS or not res.evidence:
        return res
    best = max(e.confidence for e in res.evidence)
    if best >= CONFIDENT:
        return res
    return replace(
        res,
        status="review",
        message=f"{res.message} Read with low confidence ({best:.2f}): check the page before relying on it.",
    )


# --- groups --------------------------------------------------------------------------------


def _check_group(req: GroupRequirement, ctx: CheckContext) -> RequirementResult:
    children = tuple(evaluate(c, ctx) for c in req.requirements)  # type: ignore[arg-type]
    statuses = [c.status for c in children]
    if req.kind == "n_of":
        met = [c for c in children if c.status == "met"]
        need = req.min_met or 1
        if len(met) >= need:
            msg = f"{len(met)} of {len(children)} (at least {need} needed): " + "; ".join(f"{c.label}: {c.message}" for c in met)
            return result(req, "met", msg, [e for c in met for e in c.evidence], children=children)
        possible = len(met) + statuses.count("review")
        status = "review" if possible >= need else "missing"
    elif req.kind == "any_of":
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


def _check_consistency(req: ConsistencyRequirement, ctx: CheckContext) -> RequirementResult:
    found = [d for d in ctx.disagreements if d.field in req.fields]
    # One value read a character off ("BRRTRAND" for "BERTRAND") while the rest agrees is OCR,
    # not another patient; two fields off between the same pair of documents is not OCR.
    pairs: dict[tuple[int, int], set[str]] = {}
    for d in found:
        pairs.setdefault((id(d.first_document), id(d.second_document)), set()).add(d.field)
    blocking = [d for d in found if not d.likely_misread or len(pairs[(id(d.first_document), id(d.second_document))]) > 1]
    if blocking:
        evidence = [e for d in blocking for e in (d.first.evidence, d.second.evidence)]
        shown = " ".join(d.message for d in blocking[:3])
        more = f" And {len(blocking) - 3} more disagreements: see the report's disagreements." if len(blocking) > 3 else ""
        return result(req, "review", shown + more, evidence)
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


_HANDLERS: dict[type, Callable[[Any, CheckContext], RequirementResult]] = {
    DocumentRequirement: check_document,
    FieldRequirement: check_field,
    DiagnosisRequirement: check_diagnosis,
    FactRequirement: check_fact,
    OrderRequirement: check_order,
    ConsistencyRequirement: _check_consistency,
    GroupRequirement: _check_group,
}
