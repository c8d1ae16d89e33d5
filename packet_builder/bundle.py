"""bundle.json: the packet as a FHIR R4 Bundle aligned with the Da Vinci Prior Authorization
Support (PAS) IG 2.x request bundle: a Claim (use preauthorization) first, then the Patient,
Coverage, Organizations, Practitioner (bundle_parties) and one DocumentReference per placed
document (bundle_documents).

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

import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from extractors.errors import PrecertError
from extractors.models import DocumentExtraction, FieldValue

from .bundle_documents import build_documents
from .bundle_fhir import PAS, URI, X12, Refs, absent, clean, prune
from .bundle_parties import build_parties
from .catalog import load_catalog
from .clocks import Deadline
from .evidence import norm_code
from .report import CompletenessReport
from .request import PacketOptions, ServiceRequest
from .summary import diagnoses

if TYPE_CHECKING:
    from .assemble import PlacedDocument

PAS_TEMP_CODES = f"{PAS}/CodeSystem/PASTempCodes"  # PAS 2.x home of the supportingInfo types
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
CPT = "http://www.ama-assn.org/go/cpt"
# HL7 Terminology's canonical URL for HCPCS Level II is http://, not https:// (THO CodeSystem
# hcpcs-Level-II, and PAS's X12278RequestedServiceType value set include it so).
HCPCS = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
POS = "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set"
# Our own identifier systems: what a person looks the packet up by (not PAS trace numbers).
CASE_SYSTEM = "urn:precert-intake:case"
REFERENCE_SYSTEM = "urn:precert-intake:reference"
PACKET_SYSTEM = "urn:precert-intake:packet"

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
    ref = Refs(case_id, version)
    docs = [p.doc.extraction for p in placed]
    created = _instant(created_at)

    parties = build_parties(request=request, docs=docs, sender=options.sender, ref=ref)
    documents = build_documents(
        placed=placed, request=request, options=options, created=created, ref=ref, packet_pdf_sha256=packet_pdf_sha256
    )
    claim = _claim(
        request=request,
        report=report,
        docs=docs,
        created=created,
        ref=ref,
        provider_key=parties.provider_key,
        has_payer=parties.payer is not None,
        has_practitioner=parties.practitioner is not None,
        supporting=documents.supporting,
    )

    resources: list[tuple[str, dict[str, Any] | None]] = [
        ("claim", claim),
        ("patient", parties.patient),
        ("coverage", parties.coverage),
        ("payer", parties.payer),
        ("requester", parties.requester),
        ("practitioner", parties.practitioner),
        *documents.references,
    ]
    bundle = {
        "resourceType": "Bundle",
        "id": ref.id("bundle"),
        # Which packet this is, readable: the case id and the packet version (deterministic).
        "identifier": {"system": PACKET_SYSTEM, "value": f"{case_id}/v{version}"},
        "type": "collection",  # PAS request bundle: a collection whose first entry is the Claim
        "timestamp": created,
        "entry": [
            {"fullUrl": ref.url(key), "resource": {"resourceType": resource["resourceType"], "id": ref.id(key), **resource}}
            for key, resource in resources
            if resource is not None
        ],
    }
    return (json.dumps(prune(bundle), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _instant(moment: datetime) -> str:
    # FHIR instant/dateTime with a time need a zone: a naive created_at is taken as UTC.
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def _claim(
    *,
    request: ServiceRequest,
    report: CompletenessReport,
    docs: Sequence[DocumentExtraction],
    created: str,
    ref: Refs,
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
        "identifier": _claim_identifiers(request, ref),
        "status": "active",
        "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type", "code": _claim_type(report)}]},
        "use": "preauthorization",
        "patient": ref.to("patient"),
        "created": created,
        "insurer": ref.to("payer") if has_payer else None,
        "provider": ref.to(provider_key) if provider_key else absent(),
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


def _claim_identifiers(request: ServiceRequest, ref: Refs) -> list[dict[str, Any]]:
    """Our urn:uuid first (as before), then what a person finds the case by: its case id and,
    when the request gave one, the coordinator's own reference."""
    reference = clean(request.reference)
    identifiers = [{"system": URI, "value": ref.url("claim")}, {"system": CASE_SYSTEM, "value": f"{ref.case_id}"}]
    if reference:
        identifiers.append({"system": REFERENCE_SYSTEM, "value": reference})
    return identifiers


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
        out.append({"coding": [{"system": ICD10CM, "code": code, "display": clean(description)}]})
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
    # One item per code line as requested (companions and unknown codes included): the line's
    # own modifiers and units first, else what the order printed for that code.
    for seq, line in enumerate(request.service_lines, start=1):
        code = line.code
        ordered = _ordered(docs, code)
        attrs = ordered.attributes if ordered else {}
        units = request.units_of(code) or attrs.get("units")
        modifiers = list(dict.fromkeys([*line.modifiers, *(str(m).upper() for m in attrs.get("modifiers") or () if clean(m))]))
        items.append(
            {
                "extension": [_certification_type(request)],
                "sequence": seq,
                "careTeamSequence": [1] if has_practitioner else None,
                # Which diagnosis or document supports which line is not known: all of them.
                "diagnosisSequence": list(range(1, dx_count + 1)),
                "informationSequence": list(range(1, info_count + 1)),
                "productOrService": _service_concept(code, labels.get(code)),
                "modifier": [_modifier(m) for m in modifiers],
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
    labels |= {code: f"{s.label}: companion line" for s in report.services for code in s.companions}
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
