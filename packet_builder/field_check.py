"""The `field` requirement: an extracted value (member ID, ordering NPI, tax ID, date of
service), valid and in the right role, agreeing with the case; or a value the coordinator
entered on the case (place of service, units)."""

from __future__ import annotations

from .catalog import REQUEST_FIELDS, FieldRequirement
from .check_context import CheckContext
from .evidence import norm_id, where
from .outcome import missing, result
from .report import RequirementResult

_ANTICIPATED = ("anticipated", "requested", "planned", "proposed", "scheduled", "surgery")


def _request_only(req: FieldRequirement, ctx: CheckContext) -> RequirementResult:
    """Place of service, units and the anticipated date of service are on the request (X12 278
    UM04, SV1/SV2, DTP), not on a page (a note's "date of service" is its visit): the order's
    units count for units."""
    entered = getattr(ctx.request, req.field, None)
    if entered:
        shown = entered.isoformat() if hasattr(entered, "isoformat") else entered
        return result(req, "met", f"{req.label} {shown}, entered on the case.")
    if req.field == "date_of_service" and req.or_request:
        # The PA form's "Anticipated DOS: 03/17/2026" is the request's date of service; a
        # note's "Date of service" is its visit, not the one asked for.
        for d in ctx.documents:
            for v in d.fields.get("date_of_service", ()):
                if any(w in str(v.attributes.get("label") or "") for w in _ANTICIPATED):
                    return result(req, "met", f"{req.label} {v.value} ({where(d, v)}).", [v.evidence])
    if req.field == "units":
        for d in ctx.documents:
            for name in ("cpt", "hcpcs"):
                for v in d.fields.get(name, ()):
                    if v.attributes.get("units") and str(v.value).upper() in ctx.codes:
                        return result(req, "met", f"{req.label}: {v.attributes['units']} on {where(d, v)}.", [v.evidence])
    return missing(req, f"No {req.label.lower()} entered on the case.")


def check_field(req: FieldRequirement, ctx: CheckContext) -> RequirementResult:
    if req.field in REQUEST_FIELDS:
        return _request_only(req, ctx)
    found = [(d, v) for d in ctx.documents for v in d.fields.get(req.field, ()) if str(v.value or "").strip()]
    wanted = getattr(ctx.request, req.field, None) if req.match_request else None
    name = req.label
    entered = getattr(ctx.request, req.field, None) if req.or_request else None
    if not found and entered:
        shown = entered.isoformat() if hasattr(entered, "isoformat") else entered
        return result(req, "met", f"{name} {shown}, entered on the case.")
    if not found:
        if wanted:  # the payer wants it on the documents too (COMMON contract)
            return missing(req, f"The {name.lower()} is entered on the case but no document shows it.")
        return missing(req, f"No {name.lower()} found on any document.")
    if req.valid and req.preferred_role:
        # The ordering provider's own NPI failing the check digit is not made good by another
        # provider's valid NPI whose role the page does not state (a facility's on a form).
        in_role = [(d, v) for d, v in found if v.attributes.get("role") == req.preferred_role]
        # The order (or PA form) names the ordering provider: its NPI failing the check digit is
        # not settled by a valid NPI on another page (a sleep report's reading physician).
        on_order = [(d, v) for d, v in in_role if d.doc_type in ("order", "prior_auth_form")]
        if on_order and not any(v.attributes.get("valid") is True for _, v in on_order):
            others = [(d, v) for d, v in in_role if (d, v) not in on_order and v.attributes.get("valid") is True]
            if others:
                bad, good = on_order[0], others[0]
                return result(
                    req,
                    "review",
                    f"{name} on the order, {bad[1].value} ({where(*bad)}), fails the check-digit test; "
                    f"{good[1].value} ({where(*good)}) is valid: confirm it is the ordering provider's and correct the order.",
                    [bad[1].evidence, good[1].evidence],
                )
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
            # On the order or the PA form an NPI without a stated role is the orderer's; on a note
            # or a report it may be its author's (a therapist, a reading physician).
            on_order = [(d, v) for d, v in unknown if d.doc_type in ("order", "prior_auth_form")]
            if on_order:
                d, v = on_order[0]
                return result(
                    req, "met", f"{name} {v.value} ({where(d, v)}); its role is not stated.", [x.evidence for _, x in on_order]
                )
            d, v = unknown[0]
            return result(
                req,
                "review",
                f"{name}: only {v.value} ({where(d, v)}) was found, with no role stated and not on the order: "
                f"confirm it is the {req.preferred_role} provider's, or add the order that names it.",
                [x.evidence for _, x in unknown],
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
