"""The catalog as a page a coordinator or a compliance reviewer reads: every service, its
codes, what is checked (in words) and why (sources), the payer overlays, the "is pre-cert
required" rules and the decision clocks. `precert catalog --markdown` writes it; the web UI
shows the same rows at /catalog."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .catalog import (
    FAMILIES,
    Catalog,
    ConsistencyRequirement,
    DiagnosisRequirement,
    DocumentRequirement,
    FactRequirement,
    FieldRequirement,
    GroupRequirement,
    OrderRequirement,
    Requirement,
    Service,
)
from .clocks import ClockRules
from .evidence import label_of
from .overlay import Overlay
from .precert_required import PrecertRules


@dataclass(frozen=True)
class Row:
    depth: int  # 0 for a service's own requirement, 1+ inside a group
    id: str
    label: str
    criteria: str
    source: str
    scope: str


def _words(name: str) -> str:
    return name.replace("_", " ")


def _bounds(req: FactRequirement) -> str:
    parts = []
    if req.min is not None:
        parts.append(f">= {req.min:g}")
    if req.max is not None:
        parts.append(f"<= {req.max:g}{' (upper end of a range)' if req.compare == 'range_high' else ''}")
    return " and ".join(parts)


def criteria(req: Requirement) -> str:
    """What the checker looks for, in words."""
    text = _criteria(req)
    if getattr(req, "confirm", None):
        text += "; when found, a person confirms (review)"
    return text


def _criteria(req: Requirement) -> str:
    if isinstance(req, DocumentRequirement):
        text = " or ".join(label_of(t).lower() for t in req.doc_types)
        if req.reported_in:
            kinds = " or ".join(label_of(t).lower() for t in req.reported_in.doc_types)
            text += f" (or a {kinds} reporting the visit, dated by it)"
        if req.min_count > 1:
            text = f"{req.min_count} documents: {text}"
        if req.within_days:
            anchor = "date of service" if req.relative_to == "service_date" else "request date"
            text += f", dated within {req.within_days} days before the {anchor}"
        if req.text_any:
            text += f", mentioning {' / '.join(req.text_any)}"
        if req.title_any:
            text += f", titled {' / '.join(w.strip() for w in req.title_any)}"
        if req.absence_any:
            text += f", or stating the absence of {' / '.join(req.absence_any)}"
        if req.signed:
            text += ", signed"
        if req.precedes_fact:
            text += f", dated before the {_words(req.precedes_fact)} result"
        if req.follows:
            text += f", dated within {req.follows.within_days} days after the document of {req.follows.requirement}"
        if req.after_fact:
            a = req.after_fact
            text += f", dated on day {a.min_days} to {a.max_days} after the {_words(a.fact)} (when one is written)"
        return text
    if isinstance(req, FieldRequirement):
        text = _words(req.field)
        if req.valid:
            text += " passing its check digit"
        if req.preferred_role:
            text += f", role {req.preferred_role}"
        if req.or_request:
            text += " (on a document or entered on the case)"
        return text
    if isinstance(req, DiagnosisRequirement):
        text = "any ICD-10-CM code" if req.any_code else "ICD-10-CM " + ", ".join(f"{p}*" for p in req.icd10_prefixes)
        if req.assertions != ("present",):
            text += f" ({' or '.join(req.assertions)})"
        else:
            text += " (current, not negated or historical)"
        if req.exclude_prefixes:
            text += f"; not {', '.join(req.exclude_prefixes)}"
        return text
    if isinstance(req, FactRequirement):
        text = ("no " if req.absent else "") + _words(req.fact)
        if req.values:
            text += f" ({', '.join(_words(v) for v in req.values)})"
        if req.where:
            text += " where " + "; ".join(f"{k} {'/'.join(v)}" for k, v in req.where.items())
        bounds = _bounds(req)
        if bounds:
            text += f" {bounds}"
        if req.min_duration_weeks:
            text += f" for at least {req.min_duration_weeks:g} weeks"
        if req.min_distinct > 1:
            text += f", at least {req.min_distinct} different"
        if req.within_days:
            text += f", dated within {req.within_days} days"
        if req.latest:
            text += ", the latest value"
        if req.review_when:
            text += "; review when " + "; ".join(f"{k} {'/'.join(v)}" for k, v in req.review_when.items())
        return text
    if isinstance(req, OrderRequirement):
        text = "an order listing a requested code"
        if req.modifiers_any:
            text += f" with modifier {'/'.join(req.modifiers_any)}"
        if req.units:
            text += " and units"
        if req.named_in_words:
            text += ", or naming the requested discipline in words"
        for stand in req.stands_in:
            kinds = " or ".join(label_of(t).lower() for t in stand.doc_types)
            said = f" stating {' / '.join(stand.text_any[:3])}" if stand.text_any else ""
            if stand.status == "met":
                text += f"; with no order attached, a {kinds}{said} listing the code with a valid NPI stands for it"
            else:
                text += f"; a {kinds}{said} listing the code goes to review"
        return text
    if isinstance(req, ConsistencyRequirement):
        return "documents agree on " + ", ".join(_words(f) for f in req.fields)
    if isinstance(req, GroupRequirement):
        if req.kind == "n_of":
            return f"at least {req.min_met} of the {len(req.requirements)} below"
        return "any one of the below" if req.kind == "any_of" else "all of the below"
    return req.kind


def _scope(req: Requirement) -> str:
    parts = []
    if req.codes:
        parts.append("codes " + ", ".join(req.codes))
    if req.episode:
        parts.append(f"{req.episode} requests")
    if req.plan_types:
        parts.append("plan types " + ", ".join(req.plan_types))
    return "; ".join(parts)


def rows(reqs: Sequence[Requirement], depth: int = 0) -> Iterator[Row]:
    for r in reqs:
        yield Row(depth, r.id, r.label, criteria(r), " ".join(r.source.split()), _scope(r))
        if isinstance(r, GroupRequirement):
            yield from rows(r.requirements, depth + 1)  # type: ignore[arg-type]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _codes(service: Service) -> str:
    codes = list(service.codes)
    text = ", ".join(codes) if codes else "none"
    if service.aliases:
        text += f" (or by name: {', '.join(service.aliases)})"
    return text


def markdown(catalog: Catalog, overlays: Sequence[Overlay], precert: PrecertRules, clocks: ClockRules) -> str:
    out = [
        "# What precert-intake checks",
        "",
        f"Catalog version {catalog.version}. Generated from `packet_builder/catalog/`, `packet_builder/overlays/` "
        "and `packet_builder/rules/` by `precert catalog --markdown`; do not edit by hand.",
        "",
        "Every requirement comes out **met** (with the evidence: document, page, text), **missing** (with "
        "what to add) or **review** (found, but unsure or conflicting: a person decides). A case is complete "
        "only when every requirement is met with confident evidence.",
        "",
        "CPT codes are listed as codes only: their descriptions are the AMA's.",
        "",
        "A request names **primary codes** (any one of them requests the service) and may carry "
        "**companion codes** (supplies, a PET tracer, drug administration, therapy add-ons, contrast) "
        "that ride with a service's primary code. Every line is kept, with its modifiers and units. "
        "A companion code without its service's primary code, and a code no service knows, are "
        "accepted and come out as `review` (no documentation requirements known); only a malformed "
        "code is refused.",
        "",
        "Plan types: `commercial`, `medicare` (fee-for-service), `medicare_advantage`, `medicaid` "
        "(a state program's fee-for-service), `medicaid_managed_care` (a plan the program contracts).",
        "",
        "## Services",
        "",
    ]
    for family, family_label in FAMILIES.items():
        members = [s for s in catalog.services if s.family == family]
        if not members:
            continue
        out += [f"### {family_label}", ""]
        for s in members:
            out += [f"#### {s.label} (`{s.id}`)", "", f"Codes: {_codes(s)}. Effective {s.effective.isoformat()}.", ""]
            if s.companions:
                out += [f"Companion codes (accepted with a primary code, never alone): {', '.join(s.companions)}.", ""]
            if s.source:
                out += [f"Sources: {s.source}", ""]
            for note in s.notes:
                out.append(f"- Note: {' '.join(note.split())}")
            if s.notes:
                out.append("")
            out += ["| requirement | checked | applies | source |", "|---|---|---|---|"]
            for row in rows(s.requirements):
                indent = "&nbsp;&nbsp;" * row.depth * 2
                out.append(
                    f"| {indent}{_cell(row.label)} `{row.id}` | {_cell(row.criteria)} | {_cell(row.scope) or 'always'} "
                    f"| {_cell(row.source)} |"
                )
            out.append("")
    out += ["## Payer and state overlays", "", "An overlay applies when the request's plan type, state and payer match.", ""]
    for o in overlays:
        m = o.match
        who = "; ".join(
            part
            for part in (
                f"plan types {', '.join(m.plan_types)}" if m.plan_types else "",
                f"states {', '.join(m.states)}" if m.states else "",
                f"payer names matching {' or '.join(f'`{p}`' for p in m.payer_patterns)}" if m.payer_patterns else "",
            )
            if part
        )
        until = f" until {o.until.isoformat()}" if o.until else ""
        out += [
            f"### {o.label} (`{o.id}`)",
            "",
            f"Applies to: {who or 'every request'}; from {o.effective.isoformat()}{until}.",
            "",
        ]
        if o.submission:
            out.append(f"- Submission: {o.submission.channel}")
            if o.submission.first_form:
                f = o.submission.first_form
                out.append(f"- First page: {f.name}{f' ({f.form_id})' if f.form_id else ''}")
        for note in o.notes:
            out.append(f"- Note: {' '.join(note.split())}")
        for service_id, changes in o.services.items():
            target = "every service" if service_id == "*" else f"`{service_id}`"
            for entry in changes.add:
                rid = getattr(entry, "id", None) or getattr(entry, "include", "")
                label = getattr(entry, "label", rid)
                crit = criteria(entry) if hasattr(entry, "kind") else "common requirement"  # type: ignore[arg-type]
                out.append(f"- {target}: adds {label} `{rid}`: {crit}")
            for rid in changes.remove:
                out.append(f"- {target}: removes `{rid}`")
            for c in changes.change:
                out.append(f"- {target}: changes `{c.id}`: " + ", ".join(f"{k} = {v}" for k, v in c.set.items()))
        out += ["", f"Source: {' '.join(o.source.split())}", ""]
    out += [
        "## Is pre-certification required?",
        "",
        "The most specific rule answers; with no rule the answer is unknown (check the payer's list).",
        "",
        "| rule | services | plan types | states | answer | note | source |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in precert.rules:
        services = ", ".join(r.services) or ", ".join(f"family {f}" for f in r.families) or "all"
        out.append(
            f"| `{r.id}` | {services} | {', '.join(r.plan_types) or 'all'} | {', '.join(r.states) or 'all'} | {r.answer} "
            f"| {_cell(' '.join(r.note.split()))} | {_cell(' '.join(r.source.split()))} |"
        )
    out += [
        "",
        "## Decision clocks",
        "",
        "Every packet carries the payer's decision due time: the earliest of the applicable rules "
        f"(otherwise `{clocks.fallback}` as an internal target).",
        "",
        "| rule | plan types | states | services | standard | urgent | from | until | source |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for c in clocks.rules:
        services = ", ".join((*c.services, *(f"family {f}" for f in c.families))) or "all"
        out.append(
            f"| {c.title} | {', '.join(c.plan_types)} | {', '.join(c.states) or 'all'} | {services} | {c.standard.describe()} "
            f"| {c.urgent.describe()} | {c.effective.isoformat()} | {c.until.isoformat() if c.until else ''} "
            f"| {_cell(' '.join(c.source.split()))} |"
        )
    out.append("")
    return "\n".join(out)
