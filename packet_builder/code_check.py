"""Code requirements: a `diagnosis` that supports the service, and an order that names the
requested service (with the modifiers and units a drug claim needs)."""

from __future__ import annotations

from collections.abc import Sequence

from extractors.models import DocumentExtraction, FieldValue

from .catalog import DiagnosisRequirement, OrderRequirement, expand_codes
from .check_context import CheckContext
from .evidence import assertion_of, doc_evidence, document_date, label_of, mentions_any, norm_code, where
from .outcome import lower_first, missing, result
from .report import RequirementResult
from .requirements import StandIn


def _line_problems(req: OrderRequirement, ctx: CheckContext, hits: Sequence[FieldValue]) -> str:
    """What the service line lacks: the modifier (JW/JZ) and the units. The request's own code
    line counts as much as the order's: the payer reads both on the request."""
    codes = {norm_code(v.value) for v in hits}
    lines = [line for code in codes for line in ctx.request.line_of(code)]
    problems = []
    if req.modifiers_any:
        wanted = {m.upper() for m in req.modifiers_any}
        on_order = any(wanted & {str(m).upper() for m in (v.attributes.get("modifiers") or ())} for v in hits)
        on_request = any(wanted & set(line.modifiers) for line in lines)
        if not (on_order or on_request):
            problems.append(f"without a {'/'.join(req.modifiers_any)} modifier")
    if req.units and not any(ctx.request.units_of(c) for c in codes) and not any(v.attributes.get("units") for v in hits):
        problems.append("without units")
    return " and ".join(problems)


def check_diagnosis(req: DiagnosisRequirement, ctx: CheckContext) -> RequirementResult:
    prefixes = tuple(norm_code(p) for p in req.icd10_prefixes)
    codes = [(d, v) for d in ctx.documents for v in d.fields.get("icd10", ())]
    excluded = tuple(norm_code(p) for p in req.exclude_prefixes)
    if excluded:
        against = [(d, v) for d, v in codes if norm_code(v.value).startswith(excluded) and assertion_of(v) == "present"]
        if against:
            shown = ", ".join(sorted({str(v.value) for _, v in against}))
            return result(
                req,
                "review",
                f"Diagnosis {shown} ({where(*against[0])}) is one the policy excludes or reviews for this service: "
                "confirm the indication, or correct the diagnosis.",
                [v.evidence for _, v in against],
            )
    hits = codes if req.any_code else [(d, v) for d, v in codes if norm_code(v.value).startswith(prefixes)]
    present = [(d, v) for d, v in hits if assertion_of(v) in req.assertions]
    billable = [(d, v) for d, v in present if v.attributes.get("billable", True) is not False]
    if billable:
        shown = ", ".join(sorted({str(v.value) for _, v in billable}))
        d, v = billable[0]
        suspected = "" if all(assertion_of(x) == "present" for _, x in billable) else " (as suspected or historical)"
        return result(req, "met", f"Diagnosis {shown} documented{suspected} ({where(d, v)}).", [v.evidence for _, v in billable])
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
                f"{lead} Confirm it is a current problem, or " + lower_first(req.missing_message),
                [v.evidence for _, v in hits],
            )
        return result(req, status, f"{lead} " + " ".join(req.missing_message.split()), [v.evidence for _, v in hits])
    others = sorted({str(v.value) for _, v in codes if assertion_of(v) == "present"})
    detail = (
        f"Diagnoses found ({', '.join(others[:6])}) do not support this service." if others else "No ICD-10-CM diagnosis found."
    )
    return missing(req, detail)


def check_order(req: OrderRequirement, ctx: CheckContext) -> RequirementResult:
    out = _check_orders(req, ctx)
    if out.status == "met":
        return out
    # A stand-in meets the requirement only where no order was attached: an order naming
    # another code beside a request form naming this one is a conflict a person settles.
    no_order = not any(d.doc_type in req.doc_types for d in ctx.documents)
    for stand in req.stands_in:
        found = _stand_in(stand, ctx)
        if found is None:
            continue
        d, hits, npi = found
        codes = ", ".join(sorted({norm_code(v.value) for v in hits}))
        kind = label_of(d.doc_type)
        if stand.status == "met" and no_order and npi is not None:
            return result(
                req,
                "met",
                f"{kind} lists {codes} ({where(d, hits[0])}) with the NPI {npi.value}: it stands for the order.",
                [v.evidence for v in hits],
            )
        return result(
            req,
            "review",
            f"{kind} lists {codes} ({where(d, hits[0])}), and {lower_first(out.message)} "
            "Confirm the payer takes it for the order, or attach the signed order.",
            [v.evidence for v in hits],
        )
    return out


def _stand_in(stand: StandIn, ctx: CheckContext) -> tuple[DocumentExtraction, list[FieldValue], FieldValue | None] | None:
    """The first document of the stand-in's types that names a requested code (and states its
    words), with a valid NPI on it if there is one."""
    wanted = set(ctx.codes)
    for d in ctx.documents:
        if d.doc_type not in stand.doc_types or (stand.text_any and not mentions_any(d, stand.text_any)):
            continue
        hits = [v for name in ("cpt", "hcpcs") for v in d.fields.get(name, ()) if norm_code(v.value) in wanted]
        if hits:
            npi = next(
                (
                    v
                    for v in d.fields.get("npi", ())
                    if v.attributes.get("valid") is True and v.attributes.get("role") != "facility"
                ),
                None,
            )
            return d, hits, npi
    return None


def _named_in_words(req: OrderRequirement, ctx: CheckContext, orders: Sequence[DocumentExtraction]) -> RequirementResult | None:
    """An order that names the requested service in words ("PT evaluate and treat") and no code:
    the request lists the codes."""
    if not req.named_in_words:
        return None
    lines = ctx.request.service_lines
    requested_codes = {norm_code(line.code) for line in lines} | set(ctx.codes)
    modifiers = {m.upper() for line in lines for m in line.modifiers}
    asked = [
        g
        for g in req.named_in_words
        if requested_codes & set(expand_codes(g.codes)) or modifiers & {m.upper() for m in g.modifiers}
    ] or list(req.named_in_words)
    words = [w for g in asked for w in g.words]
    for d in orders:
        if mentions_any(d, words):
            when, _ = document_date(d, ctx.request.request_date)
            dated = f"dated {when.isoformat()}" if when else "(undated)"
            return result(
                req,
                "met",
                f"{label_of(d.doc_type)} {dated} ({where(d)}) orders the service in words, without codes; "
                "the request lists the codes.",
                [doc_evidence(d)],
            )
    return None


def _check_orders(req: OrderRequirement, ctx: CheckContext) -> RequirementResult:
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
            lacking = _line_problems(req, ctx, hits)
            # Every requested primary code must be ordered: an order for 72148 does not order
            # 72158 too, and a therapy referral for 97161 and 97150 does not order 97110.
            listed_anywhere = {norm_code(v.value) for o in orders for n in ("cpt", "hcpcs") for v in o.fields.get(n, ())}
            unordered = sorted(wanted - listed_anywhere)
            if unordered and not lacking:
                return result(
                    req,
                    "review",
                    f"Order {dated} lists {codes} ({where(d, hits[0])}) but not {', '.join(unordered)}: "
                    "check the order (misread code?) or the requested codes.",
                    [v.evidence for v in hits],
                )
            if lacking:
                return result(
                    req,
                    "missing",
                    f"Order {dated} lists {codes} ({where(d, hits[0])}) but {lacking}. " + " ".join(req.missing_message.split()),
                    [v.evidence for v in hits],
                )
            return result(req, "met", f"Order {dated} lists {codes} ({where(d, hits[0])}).", [v.evidence for v in hits])
    if not listed and (named := _named_in_words(req, ctx, orders)) is not None:
        return named
    shown = ", ".join(sorted(set(listed))) or "no CPT/HCPCS code"
    return result(
        req,
        "review",
        f"An order was found but it lists {shown}, not the requested {', '.join(sorted(wanted))}: "
        "check the order (misread code?) or the requested service.",
        [doc_evidence(d) for d in orders],
    )
