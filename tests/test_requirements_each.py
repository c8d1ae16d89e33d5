"""Every requirement of the catalog and the overlays, one by one: met by documents that satisfy
it, and not met by its near misses (negated, historical, stale, wrong code, below threshold,
too short, unsigned, wrong attribute, too few).

The satisfying documents are built from the requirement's own definition, so a new
requirement is tested the day it is written; a kind or option the builders don't know fails
loudly (`test_every_requirement_is_exercised`). The near misses are the ways real packets fail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
import simple_icd_10_cm as icd

from extractors.context import has_cue
from extractors.models import DOC_TYPES, DocumentExtraction
from packet_builder.catalog import (
    REQUEST_FIELDS,
    DiagnosisRequirement,
    DocumentRequirement,
    FactRequirement,
    FieldRequirement,
    GroupRequirement,
    OrderRequirement,
    Requirement,
    load_catalog,
    walk,
)
from packet_builder.check_context import CheckContext
from packet_builder.checker import evaluate
from packet_builder.overlay import load_overlays
from packet_builder.request import ServiceRequest
from tests.pb_factories import doc

REQUEST_DATE = date(2026, 11, 2)
VALID_NPI = "1234567893"  # check digit verified in test_identifiers


@dataclass(frozen=True)
class Case:
    service_id: str
    codes: tuple[str, ...]
    req: Requirement
    requirements: dict[str, Requirement]

    @property
    def id(self) -> str:
        return f"{self.service_id}:{self.req.id}"


def _leaves() -> list[Case]:
    catalog = load_catalog()
    out = []
    for service in catalog.services:
        reqs = list(service.requirements)
        for o in load_overlays():
            for key in ("*", service.id):
                changes = o.services.get(key)
                if changes:
                    reqs += [e for e in changes.add if hasattr(e, "kind")]
        for o in load_overlays():
            form = o.first_form_requirement()
            if form is not None and service is catalog.services[0]:
                reqs.append(form)
        by_id = {r.id: r for r in walk(reqs)}
        for r in walk(reqs):
            if isinstance(r, GroupRequirement) or r.kind == "consistency":
                continue
            codes = tuple(c for c in service.codes if not r.codes or c in r.codes) or service.codes or ()
            out.append(Case(service.id, codes[:1], r, by_id))
    return out


# An `absent` fact requirement is met by the fact's absence: the generic satisfy/near-miss
# documents below do not apply (tests/test_request_verdicts.py checks it both ways).
LEAVES = [c for c in _leaves() if not getattr(c.req, "absent", False)]


def _billable(prefix: str) -> str:
    """A billable ICD-10-CM code under `prefix` (dotted), from the code set itself."""
    code = prefix if "." in prefix or len(prefix) <= 3 else f"{prefix[:3]}.{prefix[3:]}"
    if not icd.is_valid_item(code):
        # A prefix ("M54.1") need not be a code: find a leaf that starts with it.
        start = prefix.replace(".", "")
        for cand in icd.get_all_codes(with_dots=False):
            if cand.startswith(start) and icd.is_leaf(cand):
                return icd.add_dot(cand)
        raise AssertionError(f"no ICD-10-CM code starts with {prefix}")
    while not icd.is_leaf(code):
        code = icd.get_children(code)[0]
    return icd.add_dot(code) if "." not in code else code


def _outside(prefixes: tuple[str, ...]) -> str:
    for cand in ("Z00.00", "J06.9", "K21.9", "L70.0", "H52.4"):
        if not cand.replace(".", "").startswith(tuple(p.replace(".", "") for p in prefixes)):
            return cand
    raise AssertionError("every decoy diagnosis matches")


def _request(case: Case, **kw: Any) -> ServiceRequest:
    base: dict[str, Any] = {
        "service_codes": case.codes or ("INPATIENT_ADMISSION",),
        "request_date": REQUEST_DATE,
        "episode": case.req.episode or "initial",
    }
    base.update(kw)
    return ServiceRequest(**base)


def _run(case: Case, documents: list[DocumentExtraction], **request_kw: Any) -> str:
    request = _request(case, **request_kw)
    ctx = CheckContext(request, documents, tuple(request.service_codes), (), requirements=case.requirements)
    return evaluate(case.req, ctx).status


def _day(days_before: int) -> str:
    return (REQUEST_DATE - timedelta(days=days_before)).isoformat()


# --- builders: documents that satisfy a requirement, and its near misses ---------------------


def _document_docs(
    req: DocumentRequirement,
    case: Case,
    *,
    days_before: int = 5,
    text: str | None = None,
    signed: str = "signed",
    count: int | None = None,
) -> list[DocumentExtraction]:
    out: list[DocumentExtraction] = []
    if req.follows:
        start_req = case.requirements[req.follows.requirement]
        assert isinstance(start_req, DocumentRequirement), "follows names a document requirement"
        out += _document_docs(start_req, case, days_before=days_before + 20)
    facts: dict[str, list] = {}
    if req.precedes_fact:
        out.append(
            doc(
                "lab_report",
                doc_id="test-result",
                facts={req.precedes_fact: [(20, {"date": _day(max(days_before - 2, 0)), "assertion": "present"})]},
            )
        )
    if req.signed and signed:
        facts["signature"] = [(signed, {"assertion": "present", "method": "electronic"})]
    words = " ".join(req.text_any[:1]) if text is None else text
    for i in range(count if count is not None else req.min_count):
        out.append(
            doc(
                req.doc_types[0],
                doc_id=f"{req.id}-{i}",
                text=f"Clinical document. {words}.",
                fields={"document_date": [_day(days_before + i)]},
                facts=facts,
            )
        )
    return out


def _fact_value(req: FactRequirement, *, value: Any = None, **over: Any) -> tuple[Any, dict]:
    if value is None:
        if req.values:
            value = req.values[0]
        elif req.min is not None:
            value = req.min
        elif req.max is not None:
            value = req.max
        else:
            value = 10
    attrs: dict[str, Any] = {"assertion": "present", "outcome": "failed"}
    for k, vals in req.where.items():
        if k != "value":
            attrs[k] = vals[0]
    if req.min_duration_weeks:
        attrs["duration_weeks"] = req.min_duration_weeks + 1
    if req.within_days:
        attrs["date"] = _day(5)
    attrs.update(over)
    return value, attrs


def _fact_docs(req: FactRequirement, values: list[tuple[Any, dict]]) -> list[DocumentExtraction]:
    return [
        doc("progress_note", doc_id="note", text="Clinical note.", fields={"document_date": [_day(5)]}, facts={req.fact: values})
    ]


def _satisfying_facts(req: FactRequirement) -> list[tuple[Any, dict]]:
    out = [_fact_value(req, value=req.where["value"][0]) if "value" in req.where else _fact_value(req)]
    others = list(req.values[1:]) if req.values else [f"drug-{i}" for i in range(1, req.min_distinct)]
    for extra in others[: req.min_distinct - 1]:
        out.append(_fact_value(req, value=extra))
    return out


def _order_docs(
    req: OrderRequirement, code: str, *, modifiers: tuple[str, ...] | None = None, units: Any = 1
) -> list[DocumentExtraction]:
    attrs: dict[str, Any] = {"units": units}
    attrs["modifiers"] = list(modifiers if modifiers is not None else req.modifiers_any[:1])
    name = "hcpcs" if code[:1].isalpha() else "cpt"
    return [doc(req.doc_types[0], doc_id="order", fields={name: [(code, attrs)], "document_date": [_day(3)]})]


def satisfying(case: Case) -> tuple[list[DocumentExtraction], dict[str, Any]]:
    """Documents (and request fields) that meet `case.req`."""
    req = case.req
    if isinstance(req, DocumentRequirement):
        return _document_docs(req, case), {}
    if isinstance(req, FieldRequirement):
        if req.field in REQUEST_FIELDS:
            value = {"place_of_service": "22", "units": 2, "date_of_service": REQUEST_DATE + timedelta(days=20)}[req.field]
            return [], {req.field: value}
        attrs = {"valid": True} if req.valid else {}
        if req.preferred_role:
            attrs["role"] = req.preferred_role
        value = VALID_NPI if req.field == "npi" else "XKJ814402397"
        return [doc("order", doc_id="order", fields={req.field: [(value, attrs)]})], {}
    if isinstance(req, DiagnosisRequirement):
        code = _billable(req.icd10_prefixes[0] if req.icd10_prefixes else "M62.8")
        attrs = {"assertion": req.assertions[0], "billable": True}
        return [doc("progress_note", doc_id="note", fields={"icd10": [(code, attrs)]})], {}
    if isinstance(req, FactRequirement):
        return _fact_docs(req, _satisfying_facts(req)), {}
    if isinstance(req, OrderRequirement):
        return _order_docs(req, case.codes[0]), {}
    raise AssertionError(f"no builder for kind {req.kind}")


def near_misses(case: Case) -> dict[str, tuple[list[DocumentExtraction], dict[str, Any]]]:
    """name -> documents that must NOT meet `case.req`."""
    req = case.req
    out: dict[str, tuple[list[DocumentExtraction], dict[str, Any]]] = {"nothing": ([], {})}
    if isinstance(req, DocumentRequirement):
        other = next(t for t in DOC_TYPES if t not in req.doc_types)
        out["wrong type"] = ([doc(other, doc_id="x", text=" ".join(req.text_any), fields={"document_date": [_day(5)]})], {})
        if req.within_days:
            out["stale"] = (_document_docs(req, case, days_before=req.within_days + 15), {})
        if req.text_any:
            out["off topic"] = (_document_docs(req, case, text="Unrelated visit for a sprained wrist."), {})
            phrase = req.text_any[0]
            if not has_cue(phrase):  # "no signs of infection" means what it says, negated or not
                out["mention negated"] = (_document_docs(req, case, text=f"There is no {phrase}"), {})
                out["mention pending"] = (_document_docs(req, case, text=f"{phrase} pending"), {})
        if req.signed:
            out["unsigned"] = (_document_docs(req, case, signed="unsigned"), {})
            out["no signature seen"] = (_document_docs(req, case, signed=""), {})
        if req.min_count > 1:
            out["too few"] = (_document_docs(req, case, count=req.min_count - 1), {})
        if req.precedes_fact:
            late = [d for d in _document_docs(req, case) if not d.file.startswith("test-result")]
            test = [
                doc(
                    "lab_report",
                    doc_id="test-result",
                    facts={req.precedes_fact: [(20, {"date": _day(30), "assertion": "present"})]},
                )
            ]
            out["after the test"] = (late + test, {})
        return out
    if isinstance(req, FieldRequirement):
        if req.field not in REQUEST_FIELDS and req.valid:
            attrs = {"valid": False, "role": req.preferred_role} if req.preferred_role else {"valid": False}
            out["fails check digit"] = ([doc("order", doc_id="order", fields={req.field: [("1234567890", attrs)]})], {})
        return out
    if isinstance(req, DiagnosisRequirement):
        code = _billable(req.icd10_prefixes[0] if req.icd10_prefixes else "M62.8")
        out["negated"] = (
            [doc("progress_note", doc_id="n", fields={"icd10": [(code, {"assertion": "negated", "billable": True})]})],
            {},
        )
        if "historical" not in req.assertions:
            out["historical"] = (
                [doc("progress_note", doc_id="n", fields={"icd10": [(code, {"assertion": "historical", "billable": True})]})],
                {},
            )
        if "hypothetical" not in req.assertions:
            out["ruled out / suspected"] = (
                [doc("progress_note", doc_id="n", fields={"icd10": [(code, {"assertion": "hypothetical", "billable": True})]})],
                {},
            )
        if req.any_code:  # every current code is the right one: no wrong code to try
            return out
        wrong = _outside(req.icd10_prefixes)
        out["wrong code"] = (
            [doc("progress_note", doc_id="n", fields={"icd10": [(wrong, {"assertion": "present", "billable": True})]})],
            {},
        )
        if req.exclude_prefixes:
            bad = _billable(req.exclude_prefixes[0])
            good = (code, {"assertion": req.assertions[0], "billable": True})
            out["excluded code beside it"] = (
                [doc("progress_note", doc_id="n", fields={"icd10": [good, (bad, {"assertion": "present", "billable": True})]})],
                {},
            )
        return out
    if isinstance(req, FactRequirement):
        good = _satisfying_facts(req)
        out["negated"] = (_fact_docs(req, [(v, {**a, "assertion": "negated"}) for v, a in good]), {})
        if req.min is not None:
            out["below threshold"] = (_fact_docs(req, [_fact_value(req, value=req.min - 1)]), {})
        if req.max is not None:
            out["above threshold"] = (_fact_docs(req, [_fact_value(req, value=req.max + 1)]), {})
        if req.min_duration_weeks:
            short = [(v, {**a, "duration_weeks": req.min_duration_weeks / 2}) for v, a in good]
            out["too short"] = (_fact_docs(req, short), {})
        if req.within_days:
            stale = [(v, {**a, "date": _day(req.within_days + 30)}) for v, a in good]
            docs = [
                doc(
                    "progress_note", doc_id="old", fields={"document_date": [_day(req.within_days + 30)]}, facts={req.fact: stale}
                )
            ]
            out["stale"] = (docs, {})
        for k in req.where:
            if k == "value":
                continue
            out[f"wrong {k}"] = (_fact_docs(req, [(v, {**a, k: "something_else"}) for v, a in good]), {})
        if req.values:
            out["other value"] = (_fact_docs(req, [_fact_value(req, value="unrelated_value")]), {})
        if req.min_distinct > 1:
            out["too few different"] = (_fact_docs(req, good[:1] * req.min_distinct), {})
        return out
    if isinstance(req, OrderRequirement):
        out["other code"] = (_order_docs(req, "99213"), {})
        if req.modifiers_any:
            out["no modifier"] = (_order_docs(req, case.codes[0], modifiers=()), {})
        if req.units:
            out["no units"] = (_order_docs(req, case.codes[0], units=None), {})
        return out
    raise AssertionError(f"no near misses for kind {req.kind}")


@pytest.mark.parametrize("case", LEAVES, ids=[c.id for c in LEAVES])
def test_met_by_a_document_that_satisfies_it(case: Case) -> None:
    documents, request_kw = satisfying(case)
    # A requirement with `confirm` is never met by the documents alone: a person confirms.
    assert _run(case, documents, **request_kw) == ("review" if case.req.confirm else "met")


@pytest.mark.parametrize("case", LEAVES, ids=[c.id for c in LEAVES])
def test_not_met_by_near_misses(case: Case) -> None:
    failures = []
    for name, (documents, request_kw) in near_misses(case).items():
        status = _run(case, documents, **request_kw)
        if status == "met":
            failures.append(name)
    assert not failures, f"{case.id} met by near misses: {failures}"


def test_every_requirement_is_exercised() -> None:
    kinds = {c.req.kind for c in LEAVES}
    assert kinds <= {"document", "field", "diagnosis", "fact", "order_names_service"}
    assert len(LEAVES) >= 10
