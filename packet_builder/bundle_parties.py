"""The parties of bundle.json: the Patient, their Coverage, the payer and requesting
Organizations and the Practitioner, with the identifiers that name them (member ID, NPI, EIN).

Values come from the request first, else the best value read from the documents
(summary.best_value); what nobody gave and nothing read is left out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from extractors.models import DocumentExtraction

from .bundle_fhir import Refs, absent, clean
from .evidence import parse_date
from .request import Sender, ServiceRequest
from .summary import best_value

NPI = "http://hl7.org/fhir/sid/us-npi"
EIN = "urn:oid:2.16.840.1.113883.4.4"
V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203"


@dataclass(frozen=True)
class Parties:
    """The party resources of one bundle; None where nothing names the party."""

    patient: dict[str, Any]
    coverage: dict[str, Any]
    payer: dict[str, Any] | None
    requester: dict[str, Any] | None
    practitioner: dict[str, Any] | None

    @property
    def provider_key(self) -> str | None:
        """The resource key Claim.provider points at: the practice, else the practitioner."""
        if self.requester:
            return "requester"
        return "practitioner" if self.practitioner else None


def build_parties(*, request: ServiceRequest, docs: Sequence[DocumentExtraction], sender: Sender, ref: Refs) -> Parties:
    member_id = _given_or_read(request.member_id, docs, "member_id")
    payer_name = _given_or_read(request.payer_name, docs, "payer_name")
    npi = _best_npi(docs)
    practice = clean(sender.practice)
    tax_id = clean(best_value(docs, "tax_id"))

    payer = _organization(name=payer_name) if payer_name else None
    return Parties(
        patient=_patient(request, docs, member_id),
        coverage=_coverage(request, docs, member_id, ref, has_payer=payer is not None),
        payer=payer,
        requester=_organization(name=practice, tax_id=tax_id, sender=sender) if practice or tax_id else None,
        practitioner={"resourceType": "Practitioner", "identifier": [{"system": NPI, "value": npi}]} if npi else None,
    )


def _given_or_read(given: str | None, docs: Sequence[DocumentExtraction], name: str) -> str | None:
    return clean(given) or clean(best_value(docs, name))


def _best_npi(docs: Sequence[DocumentExtraction]) -> str | None:
    """The ordering provider's NPI (check digit valid), else any valid NPI read."""

    def only(keep: Any) -> list[DocumentExtraction]:
        return [replace(d, fields={"npi": tuple(v for v in d.fields.get("npi", ()) if keep(v))}) for d in docs]

    valid = only(lambda v: v.attributes.get("valid") is True)
    ordering = only(lambda v: v.attributes.get("valid") is True and v.attributes.get("role") == "ordering")
    return clean(best_value(ordering, "npi")) or clean(best_value(valid, "npi"))


def _birth_date(request: ServiceRequest, docs: Sequence[DocumentExtraction]) -> str | None:
    for raw in (request.patient_dob, best_value(docs, "patient_dob")):
        text = clean(raw)
        if text and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) and parse_date(text):
            return text
    return None


def _member_identifier(member_id: str | None) -> dict[str, Any] | None:
    # A member ID has no nationwide system: the v2 "MB" type says what it is, as PAS does.
    if not member_id:
        return None
    return {"type": {"coding": [{"system": V2_0203, "code": "MB", "display": "Member Number"}]}, "value": member_id}


def _patient(request: ServiceRequest, docs: Sequence[DocumentExtraction], member_id: str | None) -> dict[str, Any]:
    name = _given_or_read(request.patient_name, docs, "patient_name")
    return {
        "resourceType": "Patient",
        "identifier": [_member_identifier(member_id)],
        # The name as written: splitting "Pat Q. Testcase" into given/family would be a guess.
        "name": [{"text": name}] if name else None,
        "birthDate": _birth_date(request, docs),
    }


def _organization(*, name: str | None, tax_id: str | None = None, sender: Sender | None = None) -> dict[str, Any]:
    telecom = []
    if sender is not None:
        for system, value in (("phone", sender.phone), ("fax", sender.fax), ("email", sender.email)):
            if clean(value):
                telecom.append({"system": system, "value": clean(value)})
    digits = re.sub(r"\D", "", tax_id or "")
    return {
        "resourceType": "Organization",
        # The EIN as 9 digits (the dash is print formatting); anything else as it was read.
        "identifier": [{"system": EIN, "value": digits if len(digits) == 9 else tax_id}] if tax_id else None,
        "name": name,
        "telecom": telecom,
    }


def _coverage(
    request: ServiceRequest, docs: Sequence[DocumentExtraction], member_id: str | None, ref: Refs, *, has_payer: bool
) -> dict[str, Any]:
    group = clean(best_value(docs, "group_number"))
    return {
        "resourceType": "Coverage",
        "identifier": [_member_identifier(member_id)],
        "status": "active",  # the status of this record, not an eligibility statement
        "type": {"text": request.plan_type.replace("_", " ")} if request.plan_type else None,
        "subscriberId": member_id,
        "beneficiary": ref.to("patient"),
        "payor": [ref.to("payer") if has_payer else absent()],
        "class": [
            {
                "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/coverage-class", "code": "group"}]},
                "value": group,
            }
        ]
        if group
        else None,
    }
