"""The `document` requirement: a document of a type, recent enough, on topic, signed, and in
the right order against other evidence (an evaluation before the sleep test; a written order
within six months after the face-to-face)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from extractors.models import DocumentExtraction, Evidence, FieldValue

from .catalog import DocumentRequirement
from .check_context import CheckContext
from .evidence import assertion_of, denies_any, doc_evidence, document_date, label_of, mentions_any, parse_date, where
from .outcome import missing, result
from .report import RequirementResult


@dataclass(frozen=True)
class _Candidate:
    doc: DocumentExtraction
    when: date | None
    evidence: Evidence
    problem: str  # "" when it qualifies; else why not (a key of _PROBLEMS)


def _signature(doc: DocumentExtraction) -> str:
    """signed | unsigned | unknown: what the document says about its signature."""
    values = [v for v in doc.facts.get("signature", ()) if assertion_of(v) == "present"]
    # An empty "Signature: ____" line on a scan may carry a wet signature OCR cannot read: the
    # extractor marks that reading unsure, and an unsure "unsigned" is a question, not a gap.
    unsigned = any(v.value == "unsigned" and v.confidence >= 0.7 for v in values)
    if any(v.value == "signed" for v in values):
        # Signed by one person and awaiting another's signature (a therapist's plan of care sent
        # for the physician's certification): a person tells which signature is which.
        return "unknown" if unsigned else "signed"
    if unsigned:
        return "unsigned"
    return "unknown"


def _fact_dates(ctx: CheckContext, fact: str, besides: DocumentExtraction | None = None) -> list[date]:
    out = []
    for d in ctx.documents:
        if d is besides:
            continue
        for v in d.facts.get(fact, ()):
            when = parse_date(v.attributes.get("date")) or document_date(d, ctx.request.request_date)[0]
            if when is not None:
                out.append(when)
    return out


def _reported(req: DocumentRequirement, d: DocumentExtraction) -> list[FieldValue]:
    """The visits a document of another type reports (`reported_in`), when it may count."""
    if req.reported_in is None or d.doc_type in req.doc_types or d.doc_type not in req.reported_in.doc_types:
        return []
    return [v for v in d.facts.get(req.reported_in.fact, ()) if assertion_of(v) == "present"]


def _dated(req: DocumentRequirement, d: DocumentExtraction, anchor: date) -> tuple[date | None, FieldValue | None]:
    """A document's date; for one that reports the visit, the visit's (the latest on or before
    the anchor; "today" is the document's own date)."""
    own, own_fv = document_date(d, anchor)
    visits = _reported(req, d)
    if not visits:
        return own, own_fv
    dated = [(own if v.attributes.get("today") else parse_date(v.attributes.get("date")), v) for v in visits]
    dated = [(w, v) for w, v in dated if w is not None]
    if not dated:
        return None, None
    before = [t for t in dated if t[0] <= anchor]
    return max(before, key=lambda t: t[0]) if before else min(dated, key=lambda t: t[0])


def _classify(req: DocumentRequirement, ctx: CheckContext, d: DocumentExtraction, anchor: date) -> _Candidate:
    when, fv = _dated(req, d, anchor)
    ev = doc_evidence(d, fv)

    def c(problem: str) -> _Candidate:
        return _Candidate(d, when, ev, problem)

    # A signature counts only with its date ("signed and dated"), like a window or a sequence.
    if req.within_days is not None or req.follows or req.precedes_fact or req.signed:
        if when is None:
            return c("undated")
        if when > anchor:
            return c("future")
    if req.within_days is not None and when is not None and (anchor - when).days > req.within_days:
        return c("old")
    if req.follows is not None and when is not None:
        starts = ctx.met_dates.get(req.follows.requirement)
        if not starts:
            return c("no_start")
        # Any of the documents that met the other requirement may be the one this follows.
        if not any(start <= when and (when - start).days <= req.follows.within_days for start in starts):
            return c("out_of_sequence")
    if req.precedes_fact and when is not None:
        # The document's own mention of the result ("Severe OSA, AHI 31" in the visit after the
        # test) is not the test: the other documents date it.
        fact_dates = _fact_dates(ctx, req.precedes_fact, besides=d)
        if not fact_dates:
            return c("no_fact")
        if when > max(fact_dates):
            return c("after_fact")
    if req.after_fact and when is not None and not _in_window(ctx, req, when):
        return c("out_of_window")
    if req.title_any and not mentions_any(d, req.title_any, title_only=True):
        return c("off_topic")
    if (req.text_any or req.absence_any) and not (
        mentions_any(d, req.text_any) or (req.absence_any and denies_any(d, req.absence_any))
    ):
        return c("off_topic")
    if req.signed:
        sig = _signature(d)
        if sig == "unsigned":
            return c("unsigned")
        if sig == "unknown":
            return c("signature_unknown")
    if req.reported_in is not None and req.reported_in.status == "review" and _reported(req, d):
        return c("reported")
    return c("")


# Problems that make a candidate a `review` (a person can settle it) rather than `missing`.
_REVIEW = {"undated", "future", "off_topic", "signature_unknown", "no_fact", "no_start", "reported"}


def _message(req: DocumentRequirement, ctx: CheckContext, cand: _Candidate, anchor: date, anchor_name: str) -> str:
    d, when = cand.doc, cand.when
    kind = label_of(d.doc_type)
    words = ", ".join(req.text_any + tuple(f"no {w}" for w in req.absence_any) + tuple(f"a title of {w}" for w in req.title_any))
    return {
        "undated": f"No date was read on the {kind.lower()} ({where(d)}): "
        + (
            f"confirm it is within {req.within_days} days before the {anchor_name} ({anchor.isoformat()})."
            if req.within_days
            else "confirm its date (the requirement needs a dated document), or correct the date."
        ),
        "future": f"{kind} is dated {when} (after the {anchor_name} {anchor.isoformat()}): check the date.",
        "off_topic": f"{kind} dated {when or 'undated'} does not mention any of {words}: confirm it is the right document.",
        "signature_unknown": f"{kind} ({where(d)}) shows no signature we can read: confirm it is signed and dated.",
        "unsigned": f"{kind} ({where(d)}) says it is not signed: get it signed.",
        "reported": f"{kind} ({where(d)}) reports a visit on {when}, within the window, but is not the visit's own "
        "record: confirm the payer takes it, or attach the office note.",
        "no_fact": f"{kind} dated {when}: no dated {(req.precedes_fact or '').replace('_', ' ')} result to compare with: "
        "confirm the evaluation came before the test.",
        "after_fact": f"{kind} is dated {when}, after the {(req.precedes_fact or '').replace('_', ' ')} result: "
        "the evaluation must come before the test.",
        "no_start": f"{kind} dated {when}: the document it must follow was not found.",
        "out_of_window": _out_of_window(ctx, req, when),
        "out_of_sequence": f"{kind} dated {when} is not within {req.follows.within_days if req.follows else ''} days "
        f"after the document it must follow ({_dates(ctx, req)}).",
        "old": f"The most recent {kind} is dated {when}, {(anchor - when).days if when else '?'} days before the "
        f"{anchor_name} (limit {req.within_days})."
        + (" Confirm the payer takes it as current, or add a recent note." if req.when_old == "review" else ""),
    }[cand.problem]


def _window_start(ctx: CheckContext, req: DocumentRequirement, when: date) -> date | None:
    """The date of `after_fact` a document is measured from: the latest on or before it."""
    starts = _fact_dates(ctx, req.after_fact.fact) if req.after_fact else []
    before = [s for s in starts if s <= when]
    return max(before) if before else min(starts, default=None)


def _in_window(ctx: CheckContext, req: DocumentRequirement, when: date) -> bool:
    """Within `after_fact`'s days after its fact; true when no such fact was read."""
    start = _window_start(ctx, req, when)
    if start is None or req.after_fact is None:
        return True
    return req.after_fact.min_days <= (when - start).days <= req.after_fact.max_days


def _out_of_window(ctx: CheckContext, req: DocumentRequirement, when: date | None) -> str:
    start = _window_start(ctx, req, when) if when else None
    if req.after_fact is None or when is None or start is None:
        return ""
    name = req.after_fact.fact.replace("_", " ")
    return (
        f"The document is dated {when}, day {(when - start).days} after the {name} ({start.isoformat()}): "
        f"it must fall on day {req.after_fact.min_days} to {req.after_fact.max_days}."
    )


def _dates(ctx: CheckContext, req: DocumentRequirement) -> str:
    starts = ctx.met_dates.get(req.follows.requirement, []) if req.follows else []
    return ", ".join(sorted(d.isoformat() for d in starts)) or "none"


def check_document(req: DocumentRequirement, ctx: CheckContext) -> RequirementResult:
    docs = [d for d in ctx.documents if d.doc_type in req.doc_types or _reported(req, d)]
    kinds = " or ".join(label_of(t).lower() for t in req.doc_types)
    if not docs:
        return missing(req, f"No {kinds} among the documents.")
    if req.relative_to == "service_date":
        anchor, anchor_name = ctx.request.service_date, "date of service" if ctx.request.date_of_service else "request date"
    else:
        anchor, anchor_name = ctx.request.request_date, "request date"
    cands = [_classify(req, ctx, d, anchor) for d in docs]
    good = sorted((c for c in cands if not c.problem), key=lambda c: c.when or date.min, reverse=True)
    if len(good) >= req.min_count:
        best = good[0]
        ctx.met_dates[req.id] = [g.when for g in good if g.when is not None]
        if best.when is None or (req.within_days is None and not req.follows and not req.precedes_fact):
            dated = f" dated {best.when.isoformat()}" if best.when else ""
            text = f"{label_of(best.doc.doc_type)}{dated} ({where(best.doc)})."
        else:
            days = (anchor - best.when).days
            dated = "reporting the visit of" if _reported(req, best.doc) else "dated"
            text = f"{label_of(best.doc.doc_type)} {dated} {best.when.isoformat()}, {days} days before the {anchor_name}."
        if req.min_count > 1:
            text = f"{len(good)} qualifying documents; the latest: {text}"
        return result(req, "met", text, [c.evidence for c in good])
    if good:  # some, but fewer than needed
        return result(
            req,
            "missing",
            f"{len(good)} of the {req.min_count} documents needed. " + " ".join(req.missing_message.split()),
            [c.evidence for c in good],
        )
    review = [c for c in cands if c.problem in _REVIEW or (c.problem == "old" and req.when_old == "review")]
    if review:
        text = " ".join(_message(req, ctx, c, anchor, anchor_name) for c in review[:2])
        return result(req, "review", text, [c.evidence for c in review])
    rest = sorted(cands, key=lambda c: c.when or date.min, reverse=True)
    best = rest[0]
    return result(
        req,
        "missing",
        _message(req, ctx, best, anchor, anchor_name) + " " + " ".join(req.missing_message.split()),
        [c.evidence for c in rest[:3]],
    )
