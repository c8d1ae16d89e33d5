"""bundle.json: the packet as a FHIR R4 Bundle aligned with the Da Vinci Prior Authorization
Support (PAS) IG 2.x request bundle: a Claim (use preauthorization) first, then the Patient,
Coverage, Organizations, Practitioner and one DocumentReference per placed document.

Values come from the request first, else the best value read from the documents
(summary.best_value); a value nobody gave and nothing read is left out, never made up, and every
empty element is pruned (FHIR forbids empty strings, arrays and objects). Where R4 makes an
element mandatory that we may not know (Claim.provider, Coverage.payor), the reference carries
the data-absent-reason extension instead of a guess. What of PAS is and is not covered:
docs/fhir-pas.md.

Deterministic: fullUrls are uuid5 of (case, version, resource key) and the JSON is written in
the fixed order it is built in, so the same inputs give the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from extractors.errors import PrecertError
from extractors.models import DocumentExtraction, FieldValue

from .catalog import load_catalog
from .clocks import Deadline
from .evidence import document_date, label_of, norm_code, parse_date
from .manifest import attachment_code_json
from .report import CompletenessReport
from .request import PacketOptions, Sender, ServiceRequest
from .summary import best_value, diagnoses

if TYPE_CHECKING:
    from .assemble import PlacedDocument

PAS = "http://hl7.org/fhir/us/davinci-pas"
PAS_TEMP_CODES = f"{PAS}/CodeSystem/PASTempCodes"  # PAS 2.x home of the supportingInfo types
X12 = "https://codesystem.x12.org/005010"  # as the PAS 2.x examples write the X12 code lists
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
CPT = "http://www.ama-assn.org/go/cpt"
# HL7 Terminology's canonical URL for HCPCS Level II is http://, not https:// (THO CodeSystem
# hcpcs-Level-II, and PAS's X12278RequestedServiceType value set include it so).
HCPCS = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
POS = "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set"
NPI = "http://hl7.org/fhir/sid/us-npi"
EIN = "urn:oid:2.16.840.1.113883.4.4"
URI = "urn:ietf:rfc:3986"
V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203"
DATA_ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:precert-intake:bundle")
_CPT_CODE = re.compile(r"\d{4}[0-9FTU]")
_HCPCS_CODE = re.compile(r"[A-V]\d{4}")
# Claim type by catalog service family: an inpatient admission is billed by the hospital on
# the institutional claim (UB-04 / 837I); every other family we catalog is requested and billed
# as professional services (CMS-1500 / 837P), which is also the default for unknown codes.
_INSTITUTIONAL_FAMILIES = frozenset({"inpatient"})


def build_bundle(
    *,
    case_id: str,
    version: int,
    request: ServiceRequest,
    placed: Sequence[PlacedDocument],
    report: CompletenessReport,
    deadline: Deadline,
    created_at: datetime,
    options: PacketOptions,
    packet_pdf_sha256: str | None = None,
) -> bytes:
    """bundle.json of one packet version. `deadline` is accepted for the packet's common
    signature; a decision due date has no place in a PAS request."""
    ref = _Refs(case_id, version)
    docs = [p.doc.extraction for p in placed]
    created = _instant(created_at)

    member_id = _given_or_read(request.member_id, docs, "member_id")
    payer_name = _given_or_read(request.payer_name, docs, "payer_name")
    npi = _best_npi(docs)
    practice = _clean(options.sender.practice)
    tax_id = _clean(best_value(docs, "tax_id"))

    patient = _patient(request, docs, member_id)
    payer = _organization(name=payer_name) if payer_name else None
    requester = _organization(name=practice, tax_id=tax_id, sender=options.sender) if practice or tax_id else None
    practitioner = {"resourceType": "Practitioner", "identifier": [{"system": NPI, "value": npi}]} if npi else None
    coverage = _coverage(request, docs, member_id, ref, has_payer=payer is not None)

    # One stored file may hold several logical documents: they differ by their first page.
    attached = [
        (f"document/{p.doc.document_id}/{p.file_pages[0]}", _document_reference(p, request, options, created, ref), p)
        for p in placed
    ]
    supporting = [(key, _document_information(p, options)) for key, _, p in attached]
    if packet_pdf_sha256:
        attached.append(("packet", _packet_reference(packet_pdf_sha256, created, ref), None))
        supporting.append(("packet", None))
    claim = _claim(
        request=request,
        report=report,
        docs=docs,
        created=created,
        ref=ref,
        provider_key="requester" if requester else ("practitioner" if practitioner else None),
        has_payer=payer is not None,
        has_practitioner=practitioner is not None,
        supporting=supporting,
    )

    resources: list[tuple[str, dict[str, Any] | None]] = [
        ("claim", claim),
        ("patient", patient),
        ("coverage", coverage),
        ("payer", payer),
        ("requester", requester),
        ("practitioner", practitioner),
        *((key, resource) for key, resource, _ in attached),
    ]
    bundle = {
        "resourceType": "Bundle",
        "id": ref.id("bundle"),
        "identifier": {"system": URI, "value": ref.url("bundle")},
        "type": "collection",  # PAS request bundle: a collection whose first entry is the Claim
        "timestamp": created,
        "entry": [
            {"fullUrl": ref.url(key), "resource": {"resourceType": resource["resourceType"], "id": ref.id(key), **resource}}
            for key, resource in resources
            if resource is not None
        ],
    }
    return (json.dumps(_prune(bundle), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


class _Refs:
    """Deterministic ids and urn:uuid fullUrls, one per resource key."""

    def __init__(self, case_id: str, version: int) -> None:
        self._seed = f"{case_id}\x1f{version}"

    def id(self, key: str) -> str:
        return str(uuid.uuid5(_NAMESPACE, f"{self._seed}\x1f{key}"))

    def url(self, key: str) -> str:
        return f"urn:uuid:{self.id(key)}"

    def to(self, key: str) -> dict[str, str]:
        return {"reference": self.url(key)}


# -- values ---------------------------------------------------------------------------------
def _clean(value: Any) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def _given_or_read(given: str | None, docs: Sequence[DocumentExtraction], name: str) -> str | None:
    return _clean(given) or _clean(best_value(docs, name))


def _best_npi(docs: Sequence[DocumentExtraction]) -> str | None:
    """The ordering provider's NPI (check digit valid), else any valid NPI read."""

    def only(keep: Any) -> list[DocumentExtraction]:
        return [replace(d, fields={"npi": tuple(v for v in d.fields.get("npi", ()) if keep(v))}) for d in docs]

    valid = only(lambda v: v.attributes.get("valid") is True)
    ordering = only(lambda v: v.attributes.get("valid") is True and v.attributes.get("role") == "ordering")
    return _clean(best_value(ordering, "npi")) or _clean(best_value(valid, "npi"))


def _instant(moment: datetime) -> str:
    # FHIR instant/dateTime with a time need a zone: a naive created_at is taken as UTC.
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def _birth_date(request: ServiceRequest, docs: Sequence[DocumentExtraction]) -> str | None:
    for raw in (request.patient_dob, best_value(docs, "patient_dob")):
        text = _clean(raw)
        if text and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) and parse_date(text):
            return text
    return None


def _member_identifier(member_id: str | None) -> dict[str, Any] | None:
    # A member ID has no nationwide system: the v2 "MB" type says what it is, as PAS does.
    if not member_id:
        return None
    return {"type": {"coding": [{"system": V2_0203, "code": "MB", "display": "Member Number"}]}, "value": member_id}


def _absent() -> dict[str, Any]:
    # For a reference R4 requires but nobody gave or read: say "unknown" rather than guess.
    return {"extension": [{"url": DATA_ABSENT, "valueCode": "unknown"}]}


# -- resources ------------------------------------------------------------------------------
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
            if _clean(value):
                telecom.append({"system": system, "value": _clean(value)})
    digits = re.sub(r"\D", "", tax_id or "")
    return {
        "resourceType": "Organization",
        # The EIN as 9 digits (the dash is print formatting); anything else as it was read.
        "identifier": [{"system": EIN, "value": digits if len(digits) == 9 else tax_id}] if tax_id else None,
        "name": name,
        "telecom": telecom,
    }


def _coverage(
    request: ServiceRequest, docs: Sequence[DocumentExtraction], member_id: str | None, ref: _Refs, *, has_payer: bool
) -> dict[str, Any]:
    group = _clean(best_value(docs, "group_number"))
    return {
        "resourceType": "Coverage",
        "identifier": [_member_identifier(member_id)],
        "status": "active",  # the status of this record, not an eligibility statement
        "type": {"text": request.plan_type.replace("_", " ")} if request.plan_type else None,
        "subscriberId": member_id,
        "beneficiary": ref.to("patient"),
        "payor": [ref.to("payer") if has_payer else _absent()],
        "class": [
            {
                "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/coverage-class", "code": "group"}]},
                "value": group,
            }
        ]
        if group
        else None,
    }


def _claim(
    *,
    request: ServiceRequest,
    report: CompletenessReport,
    docs: Sequence[DocumentExtraction],
    created: str,
    ref: _Refs,
    provider_key: str | None,
    has_payer: bool,
    has_practitioner: bool,
    supporting: list[tuple[str, dict[str, Any] | None]],
) -> dict[str, Any]:
    dx = _diagnoses(docs)
    info = [
        {
            "sequence": seq,
            "extension": [doc_info] if doc_info else None,
            "category": {
                "coding": [{"system": PAS_TEMP_CODES, "code": "additionalInformation", "display": "Additional Information"}]
            },
            "valueReference": ref.to(key),
        }
        for seq, (key, doc_info) in enumerate(supporting, start=1)
    ]
    urgent = request.urgency == "urgent"
    return {
        "resourceType": "Claim",
        # UM06 level of service: PAS's own way to say "urgent" (its examples use 1338#U).
        # The X12 code for a standard request is not obvious, so standard sends none.
        "extension": [
            {
                "url": f"{PAS}/StructureDefinition/extension-levelOfServiceCode",
                "valueCodeableConcept": {"coding": [{"system": f"{X12}/1338", "code": "U", "display": "Urgent"}]},
            }
        ]
        if urgent
        else None,
        "identifier": [{"system": URI, "value": ref.url("claim")}],
        "status": "active",
        "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type", "code": _claim_type(report)}]},
        "use": "preauthorization",
        "patient": ref.to("patient"),
        "created": created,
        "insurer": ref.to("payer") if has_payer else None,
        "provider": ref.to(provider_key) if provider_key else _absent(),
        # processpriority has stat | normal | deferred, no "urgent": an urgent request asks for
        # expedited review (72 hours under CMS-0057-F), i.e. immediate processing: "stat".
        "priority": {
            "coding": [
                {"system": "http://terminology.hl7.org/CodeSystem/processpriority", "code": "stat" if urgent else "normal"}
            ]
        },
        "careTeam": [{"sequence": 1, "provider": ref.to("practitioner")}] if has_practitioner else None,
        "supportingInfo": info,
        "diagnosis": [{"sequence": seq, "diagnosisCodeableConcept": concept} for seq, concept in enumerate(dx, start=1)],
        "insurance": [{"sequence": 1, "focal": True, "coverage": ref.to("coverage")}],
        "item": _items(request, report, docs, dx_count=len(dx), info_count=len(info), has_practitioner=has_practitioner),
    }


def _claim_type(report: CompletenessReport) -> str:
    families = set()
    for service in report.services:
        try:
            families.add(load_catalog().service(service.id).family)
        except PrecertError:  # a report from another catalog version: fall back to the default
            continue
    return "institutional" if families & _INSTITUTIONAL_FAMILIES else "professional"


def _diagnoses(docs: Sequence[DocumentExtraction]) -> list[dict[str, Any]]:
    """The diagnoses stated as present (as on the cover sheet), ICD-10-CM with the dot."""
    out = []
    for line in diagnoses(docs):
        code, _, description = line.partition(" ")
        if "." not in code and len(code) > 3:
            code = f"{code[:3]}.{code[3:]}"  # the code system's codes carry the dot
        out.append({"coding": [{"system": ICD10CM, "code": code, "display": _clean(description)}]})
    return out


def _items(
    request: ServiceRequest,
    report: CompletenessReport,
    docs: Sequence[DocumentExtraction],
    *,
    dx_count: int,
    info_count: int,
    has_practitioner: bool,
) -> list[dict[str, Any]]:
    labels = _labels(report, request)
    items = []
    for seq, code in enumerate(request.service_codes, start=1):
        ordered = _ordered(docs, code)
        attrs = ordered.attributes if ordered else {}
        # The request's units are the coordinator's for the one service asked for; with several
        # codes they cannot be assigned to one line, so each line takes the units its order printed.
        units = request.units if len(request.service_codes) == 1 and request.units else attrs.get("units")
        items.append(
            {
                "extension": [_certification_type(request)],
                "sequence": seq,
                "careTeamSequence": [1] if has_practitioner else None,
                # Which diagnosis or document supports which line is not known: all of them.
                "diagnosisSequence": list(range(1, dx_count + 1)),
                "informationSequence": list(range(1, info_count + 1)),
                "productOrService": _service_concept(code, labels.get(code)),
                "modifier": [_modifier(m) for m in attrs.get("modifiers") or () if _clean(m)],
                "servicedDate": request.date_of_service.isoformat() if request.date_of_service else None,
                "locationCodeableConcept": {"coding": [{"system": POS, "code": request.place_of_service}]}
                if request.place_of_service
                else None,
                "quantity": {"value": int(units)} if isinstance(units, int) and units > 0 else None,
            }
        )
    return items


def _labels(report: CompletenessReport, request: ServiceRequest) -> dict[str, str]:
    """The catalog label of each requested code; a service asked for by name (an admission)
    has no code in the report, so it is looked up by that name."""
    labels = {code: s.label for s in report.services for code in s.codes}
    for code in request.service_codes:
        if code not in labels:
            try:
                labels[code] = load_catalog().services_for([code])[0].label
            except PrecertError:
                continue
    return labels


def _certification_type(request: ServiceRequest) -> dict[str, Any] | None:
    # UM02: "I" (initial) as PAS's examples send it. A continuation would be a renewal or an
    # extension of an earlier authorization, which needs its number: not carried yet, so none.
    if request.episode != "initial":
        return None
    return {
        "url": f"{PAS}/StructureDefinition/extension-certificationType",
        "valueCodeableConcept": {"coding": [{"system": f"{X12}/1322", "code": "I", "display": "Initial"}]},
    }


def _ordered(docs: Sequence[DocumentExtraction], code: str) -> FieldValue | None:
    """The reading of `code` that carries its modifiers and units: from an order first."""
    found = [
        (d.doc_type == "order", v.confidence, i, v)
        for i, d in enumerate(docs)
        for name in ("cpt", "hcpcs")
        for v in d.fields.get(name, ())
        if norm_code(v.value) == norm_code(code)
    ]
    return max(found, key=lambda t: (t[0], t[1], -t[2]))[3] if found else None


def _service_concept(code: str, label: str | None) -> dict[str, Any]:
    # A 5-digit (or 4+F/T/U) code is CPT (HCPCS Level I); a letter and 4 digits is HCPCS Level II.
    if _CPT_CODE.fullmatch(code):
        return {"coding": [{"system": CPT, "code": code}], "text": label}
    if _HCPCS_CODE.fullmatch(code):
        return {"coding": [{"system": HCPCS, "code": code}], "text": label}
    return {"text": label or code}  # a service requested by name (an admission): no code to send


def _modifier(value: Any) -> dict[str, Any]:
    mod = str(value).strip().upper()
    # Two-digit numeric modifiers are CPT's; letter modifiers (LT, RT, TC, GA...) are HCPCS's.
    return {"coding": [{"system": CPT if mod.isdigit() else HCPCS, "code": mod}]}


# -- documents ------------------------------------------------------------------------------
def _document_reference(
    p: PlacedDocument, request: ServiceRequest, options: PacketOptions, created: str, ref: _Refs
) -> dict[str, Any]:
    code = attachment_code_json(p.doc.extraction.doc_type)
    when, _ = document_date(p.doc.extraction, request.request_date)
    first, last = p.pages_in_packet
    pages = f"page {first}" if first == last else f"pages {first}-{last}"
    note = "" if p.included else "; could not be rendered, a placeholder page stands for it"
    return {
        "resourceType": "DocumentReference",
        # The original's SHA-256 as published everywhere else, as an RFC 6920 "nih:" URI.
        "identifier": [{"system": URI, "value": f"nih:sha-256;{p.doc.sha256.lower()}"}],
        "status": "current",
        "type": {"coding": [{"system": code["system"], "code": code["code"], "display": code["display"]}]},
        "subject": ref.to("patient"),
        "date": created,  # R4: when this reference was made; the document's own date is below
        "description": f"{label_of(p.doc.extraction.doc_type)}, packet.pdf {pages}{note}",
        "content": [{"attachment": _attachment(p, options)}],
        "context": {"period": {"start": when.isoformat(), "end": when.isoformat()}} if isinstance(when, date) else None,
    }


def _attachment(p: PlacedDocument, options: PacketOptions) -> dict[str, Any]:
    original = p.doc.original
    base = (options.attachment_base_url or "").rstrip("/")
    return {
        "contentType": p.doc.content_type,
        # Inline bytes are what PAS's DocumentReference profile asks for (data 1..1, url 0..0);
        # a URL into our download API is the lighter alternative. With neither, no location:
        # the document is still in packet.pdf at the pages the description gives.
        "data": base64.b64encode(original).decode("ascii") if options.inline_attachments else None,
        "url": f"{base}/api/v1/documents/{p.doc.document_id}/original" if base else None,
        "size": len(original),
        "hash": base64.b64encode(hashlib.sha1(original).digest()).decode("ascii"),  # R4: SHA-1
        "title": _clean(p.doc.filename),
    }


def _document_information(p: PlacedDocument, options: PacketOptions) -> dict[str, Any]:
    """PAS documentInformation on the supportingInfo: the X12 PWK01 report type, and PWK02
    "EL" when the bytes travel electronically (inline or by URL)."""
    code = attachment_code_json(p.doc.extraction.doc_type)
    electronic = options.inline_attachments or bool(options.attachment_base_url)
    parts = [{"url": "reportTypeCode", "valueCodeableConcept": {"coding": [{"system": f"{X12}/755", "code": code["pwk01"]}]}}]
    if electronic:
        parts.append(
            {
                "url": "transmissionMethod",
                "valueCodeableConcept": {"coding": [{"system": f"{X12}/756", "code": "EL", "display": "Electronically Only"}]},
            }
        )
    return {"url": f"{PAS}/StructureDefinition/extension-documentInformation", "extension": parts}


def _packet_reference(sha256: str, created: str, ref: _Refs) -> dict[str, Any]:
    """packet.pdf itself: the rendition a person reviews (cover, checklist, every document with
    page stamps). Its bytes are not known here, so only its SHA-256 and its file name: it travels
    beside bundle.json in the same packet version (and its files endpoint), and no URL is made up."""
    return {
        "resourceType": "DocumentReference",
        "identifier": [{"system": URI, "value": f"nih:sha-256;{sha256.lower()}"}],
        "status": "current",
        "type": {"text": "Prior authorization submission packet"},  # no LOINC code names it
        "subject": ref.to("patient"),
        "date": created,
        "description": "packet.pdf of this packet version: cover sheet, requirements checklist and the documents above",
        "content": [{"attachment": {"contentType": "application/pdf", "title": "packet.pdf"}}],
    }


def _prune(value: Any) -> Any:
    """Drop None, empty strings, lists and objects, bottom up (FHIR allows none of them)."""
    if isinstance(value, dict):
        pruned = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [v for v in (_prune(v) for v in value) if v not in (None, "", [], {})]
    if isinstance(value, str):
        return value.strip()
    return value
