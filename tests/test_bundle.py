"""bundle.json: a FHIR Bundle aligned with Da Vinci PAS, validated with fhir.resources' R4B
models (R4B kept R4's Bundle, Claim, Coverage, Patient, Practitioner, Organization and
DocumentReference shapes; fhir.resources 8 ships no 4.0.1 package)."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from packet_builder.assemble import PacketDocument, PlacedDocument
from packet_builder.bundle import CASE_SYSTEM, CPT, HCPCS, ICD10CM, PACKET_SYSTEM, POS, REFERENCE_SYSTEM, build_bundle
from packet_builder.bundle_parties import EIN, NPI
from packet_builder.checker import check
from packet_builder.clocks import decision_due
from packet_builder.manifest import attachment_code_json
from packet_builder.request import PacketOptions, Sender, ServiceRequest
from tests.pb_factories import REQUEST_DATE, doc, mri_docs, mri_request, packet_doc

CREATED = datetime(2026, 11, 2, 14, 0, tzinfo=UTC)
BASE = "https://precert.example.org"
PACKET_SHA = "ab" * 32


def place(documents: list[PacketDocument]) -> list[PlacedDocument]:
    """PlacedDocuments as build_packet lays them out (two front-matter pages, one page each)."""
    return [PlacedDocument(d, n, (1, 1), b"", 1, 2 + n, (), True) for n, d in enumerate(documents, start=1)]


def mri_documents() -> list[PacketDocument]:
    card, _, note = mri_docs()
    order = doc(
        "order",
        doc_id="d-order",
        fields={
            "cpt": [("72148", {"modifiers": ["26", "LT"], "units": 2})],
            "npi": [("1234567893", {"role": "ordering", "valid": True}), ("1245319599", {"role": "rendering", "valid": True})],
            "tax_id": ["12-3456789"],
            "document_date": ["2026-10-30"],
            "icd10": [("M54.16", {"description": "Radiculopathy, lumbar region", "billable": True, "assertion": "present"})],
        },
    )
    return [
        packet_doc("d-order", "order.pdf", "application/pdf", b"%PDF-1.7 order bytes", order),
        packet_doc("d-note", "note.pdf", "application/pdf", b"%PDF-1.7 note bytes", note),
        packet_doc("d-card", "card.png", "image/png", b"\x89PNG card bytes", card),
    ]


def make(
    request: ServiceRequest,
    documents: list[PacketDocument],
    *,
    options: PacketOptions | None = None,
    packet_pdf_sha256: str | None = None,
) -> bytes:
    return build_bundle(
        case_id="C-0001",
        version=2,
        request=request,
        placed=place(documents),
        report=check(request, [d.extraction for d in documents]),
        deadline=decision_due(request, CREATED),
        created_at=CREATED,
        options=options or PacketOptions(),
        packet_pdf_sha256=packet_pdf_sha256,
    )


def parse(data: bytes) -> dict[str, Any]:
    """Validate with the R4B models (the bundle, then each entry by its own model)."""
    Bundle.model_validate_json(data)
    bundle = json.loads(data)
    for entry in bundle["entry"]:
        get_fhir_model_class(entry["resource"]["resourceType"]).model_validate(entry["resource"])
    return bundle


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def resolve(bundle: dict[str, Any], reference: dict[str, Any]) -> dict[str, Any]:
    return next(e["resource"] for e in bundle["entry"] if e["fullUrl"] == reference["reference"])


def references(value: Any) -> list[str]:
    if isinstance(value, dict):
        found = [value["reference"]] if isinstance(value.get("reference"), str) else []
        return found + [r for v in value.values() for r in references(v)]
    if isinstance(value, list):
        return [r for v in value for r in references(v)]
    return []


def empties(value: Any, path: str = "$") -> list[str]:
    if isinstance(value, dict):
        here = [path] if not value else []
        return here + [p for k, v in value.items() for p in empties(v, f"{path}.{k}")]
    if isinstance(value, list):
        here = [path] if not value else []
        return here + [p for i, v in enumerate(value) for p in empties(v, f"{path}[{i}]")]
    if value is None or (isinstance(value, str) and not value.strip()):
        return [path]
    return []


@pytest.fixture(scope="module")
def full() -> tuple[list[PacketDocument], dict[str, Any], bytes]:
    documents = mri_documents()
    request = mri_request(
        member_id="XZA123456789",
        payer_name="Example Health Plan",
        patient_name="Pat Testcase",
        patient_dob="1970-01-02",
        urgency="urgent",
        date_of_service=date(2026, 11, 20),
        place_of_service="22",
    )
    options = PacketOptions(sender=Sender(practice="Example Spine Clinic", phone="555-0100"), attachment_base_url=BASE + "/")
    data = make(request, documents, options=options, packet_pdf_sha256=PACKET_SHA)
    return documents, parse(data), data


def test_claim_first_preauthorization_urgent(full):
    _, bundle, _ = full
    assert bundle["type"] == "collection" and bundle["identifier"]["value"] and bundle["timestamp"] == CREATED.isoformat()
    claim = bundle["entry"][0]["resource"]
    assert claim["resourceType"] == "Claim"
    assert (claim["use"], claim["status"]) == ("preauthorization", "active")
    assert claim["priority"]["coding"][0] == {"system": "http://terminology.hl7.org/CodeSystem/processpriority", "code": "stat"}
    level = claim["extension"][0]
    assert level["url"].endswith("extension-levelOfServiceCode") and level["valueCodeableConcept"]["coding"][0]["code"] == "U"
    assert claim["type"]["coding"][0]["code"] == "professional"
    assert claim["created"] == CREATED.isoformat()
    assert claim["insurance"] == [{"sequence": 1, "focal": True, "coverage": claim["insurance"][0]["coverage"]}]
    assert resolve(bundle, claim["insurance"][0]["coverage"])["resourceType"] == "Coverage"


def test_case_is_readable_in_claim_and_bundle_identifiers(full):
    _, bundle, _ = full
    assert bundle["identifier"] == {"system": PACKET_SYSTEM, "value": "C-0001/v2"}
    claim_entry = bundle["entry"][0]
    assert claim_entry["resource"]["identifier"] == [
        {"system": "urn:ietf:rfc:3986", "value": claim_entry["fullUrl"]},  # the urn:uuid is kept, first
        {"system": CASE_SYSTEM, "value": "C-0001"},
    ]  # no reference identifier: the request gave none


@pytest.mark.parametrize(("reference", "expected"), [(" PA-2026-0042 ", "PA-2026-0042"), ("   ", None), (None, None)])
def test_claim_reference_identifier_only_when_given(reference, expected):
    documents = mri_documents()
    data = make(mri_request(reference=reference), documents)
    bundle = parse(data)  # still validates
    systems = [i["system"] for i in bundle["entry"][0]["resource"]["identifier"]]
    assert systems[:2] == ["urn:ietf:rfc:3986", CASE_SYSTEM]
    found = [i["value"] for i in bundle["entry"][0]["resource"]["identifier"] if i["system"] == REFERENCE_SYSTEM]
    assert found == ([expected] if expected else [])
    assert make(mri_request(reference=reference), documents) == data  # still deterministic


def test_diagnoses_are_icd10cm_with_dot_and_description(full):
    _, bundle, _ = full
    claim = bundle["entry"][0]["resource"]
    assert [d["diagnosisCodeableConcept"]["coding"][0] for d in claim["diagnosis"]] == [
        {"system": ICD10CM, "code": "M54.16", "display": "Radiculopathy, lumbar region"}
    ]
    assert [d["sequence"] for d in claim["diagnosis"]] == [1]


def test_item_code_modifiers_quantity_date_place(full):
    _, bundle, _ = full
    claim = bundle["entry"][0]["resource"]
    (item,) = claim["item"]
    assert item["productOrService"]["coding"] == [{"system": CPT, "code": "72148"}]
    assert item["modifier"] == [{"coding": [{"system": CPT, "code": "26"}]}, {"coding": [{"system": HCPCS, "code": "LT"}]}]
    assert item["quantity"] == {"value": 2}  # the order's units: the request gave none
    assert item["servicedDate"] == "2026-11-20"
    assert item["locationCodeableConcept"]["coding"] == [{"system": POS, "code": "22"}]
    assert item["diagnosisSequence"] == [1]
    assert item["informationSequence"] == [s["sequence"] for s in claim["supportingInfo"]]
    assert item["careTeamSequence"] == [1]
    cert = item["extension"][0]
    assert cert["url"].endswith("extension-certificationType") and cert["valueCodeableConcept"]["coding"][0]["code"] == "I"


def test_request_units_win_and_hcpcs_codes_get_hcpcs_system():
    order = doc("order", doc_id="d-order", fields={"hcpcs": [("E0601", {"modifiers": ["NU"], "units": 3})]})
    documents = [packet_doc("d-order", "order.pdf", "application/pdf", b"order", order)]
    request = ServiceRequest(service_codes=("E0601",), request_date=REQUEST_DATE, units=1, episode="continuation")
    claim = parse(make(request, documents))["entry"][0]["resource"]
    (item,) = claim["item"]
    assert item["productOrService"]["coding"] == [{"system": HCPCS, "code": "E0601"}]
    assert item["modifier"] == [{"coding": [{"system": HCPCS, "code": "NU"}]}]
    assert item["quantity"] == {"value": 1}
    assert "extension" not in item  # a continuation has no certification type we can name
    assert claim["priority"]["coding"][0]["code"] == "normal" and "extension" not in claim


def test_admission_requested_by_name_is_institutional():
    request = ServiceRequest(service_codes=("inpatient_admission",), request_date=REQUEST_DATE)
    claim = parse(make(request, [packet_doc("d-x", "x.pdf", "application/pdf", b"x", doc("other", doc_id="d-x"))]))
    claim = claim["entry"][0]["resource"]
    assert claim["type"]["coding"][0]["code"] == "institutional"
    assert claim["item"][0]["productOrService"] == {"text": "Inpatient admission"}


def test_patient_coverage_payer(full):
    _, bundle, _ = full
    (patient,) = resources(bundle, "Patient")
    assert patient["identifier"][0]["value"] == "XZA123456789"
    assert patient["identifier"][0]["type"]["coding"][0]["code"] == "MB"
    assert patient["name"] == [{"text": "Pat Testcase"}] and patient["birthDate"] == "1970-01-02"
    (coverage,) = resources(bundle, "Coverage")
    assert coverage["subscriberId"] == "XZA123456789" and coverage["identifier"][0]["value"] == "XZA123456789"
    assert resolve(bundle, coverage["beneficiary"]) is patient
    payer = resolve(bundle, coverage["payor"][0])
    assert payer["name"] == "Example Health Plan"
    assert bundle["entry"][0]["resource"]["insurer"] == coverage["payor"][0]


def test_practitioner_npi_prefers_ordering_and_organization_tax_id(full):
    _, bundle, _ = full
    claim = bundle["entry"][0]["resource"]
    practitioner = resolve(bundle, claim["careTeam"][0]["provider"])
    assert practitioner["identifier"] == [{"system": NPI, "value": "1234567893"}]
    requester = resolve(bundle, claim["provider"])
    assert requester["resourceType"] == "Organization" and requester["name"] == "Example Spine Clinic"
    assert requester["identifier"] == [{"system": EIN, "value": "123456789"}]
    assert requester["telecom"] == [{"system": "phone", "value": "555-0100"}]


def test_one_document_reference_per_document_with_loinc_hash_and_url(full):
    documents, bundle, _ = full
    claim = bundle["entry"][0]["resource"]
    refs = [resolve(bundle, s["valueReference"]) for s in claim["supportingInfo"]]
    assert len(refs) == len(documents) + 1  # + packet.pdf
    for d, ref, info in zip(documents, refs, claim["supportingInfo"], strict=False):
        code = attachment_code_json(d.extraction.doc_type)
        assert ref["status"] == "current"
        assert ref["type"]["coding"] == [{"system": "http://loinc.org", "code": code["code"], "display": code["display"]}]
        attachment = ref["content"][0]["attachment"]
        assert attachment["hash"] == base64.b64encode(hashlib.sha1(d.original).digest()).decode()
        assert attachment["url"] == f"{BASE}/api/v1/documents/{d.document_id}/original"
        assert "data" not in attachment
        assert (attachment["size"], attachment["contentType"], attachment["title"]) == (
            len(d.original),
            d.content_type,
            d.filename,
        )
        assert {"system": "urn:ietf:rfc:3986", "value": f"nih:sha-256;{d.sha256}"} in ref["identifier"]
        assert info["category"]["coding"][0]["code"] == "additionalInformation"
        report_type = info["extension"][0]["extension"][0]["valueCodeableConcept"]["coding"][0]["code"]
        assert report_type == code["pwk01"]
        assert resolve(bundle, ref["subject"])["resourceType"] == "Patient"
    note = refs[[d.document_id for d in documents].index("d-note")]
    assert note["context"]["period"] == {"start": "2026-10-20", "end": "2026-10-20"}
    packet = refs[-1]
    assert {"system": "urn:ietf:rfc:3986", "value": f"nih:sha-256;{PACKET_SHA}"} in packet["identifier"]
    assert packet["content"][0]["attachment"] == {"contentType": "application/pdf", "title": "packet.pdf"}


def test_inline_attachments_carry_the_bytes():
    documents = mri_documents()
    bundle = parse(make(mri_request(), documents, options=PacketOptions(inline_attachments=True)))
    refs = resources(bundle, "DocumentReference")
    assert len(refs) == len(documents)  # no packet.pdf reference without its checksum
    for d, ref in zip(documents, refs, strict=True):
        attachment = ref["content"][0]["attachment"]
        assert base64.b64decode(attachment["data"]) == d.original and "url" not in attachment


def test_without_url_or_inline_no_location_is_made_up():
    documents = mri_documents()
    bundle = parse(make(mri_request(), documents))
    for ref in resources(bundle, "DocumentReference"):
        attachment = ref["content"][0]["attachment"]
        assert "url" not in attachment and "data" not in attachment
        assert "packet.pdf page" in ref["description"]
    info = bundle["entry"][0]["resource"]["supportingInfo"][0]["extension"][0]["extension"]
    assert [part["url"] for part in info] == ["reportTypeCode"]  # no transmission method claimed


def test_every_reference_resolves_and_full_urls_are_unique(full):
    _, bundle, _ = full
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert len(urls) == len(set(urls)) and all(u.startswith("urn:uuid:") for u in urls)
    for e in bundle["entry"]:
        assert e["fullUrl"] == f"urn:uuid:{e['resource']['id']}"
    found = references(bundle)
    assert found and set(found) <= set(urls)
    assert set(urls) - {bundle["entry"][0]["fullUrl"]} <= set(found)  # nothing unreachable from the Claim


def test_deterministic_bytes(full):
    documents, _, data = full
    request = mri_request(
        member_id="XZA123456789",
        payer_name="Example Health Plan",
        patient_name="Pat Testcase",
        patient_dob="1970-01-02",
        urgency="urgent",
        date_of_service=date(2026, 11, 20),
        place_of_service="22",
    )
    options = PacketOptions(sender=Sender(practice="Example Spine Clinic", phone="555-0100"), attachment_base_url=BASE + "/")
    assert make(request, documents, options=options, packet_pdf_sha256=PACKET_SHA) == data
    assert data.endswith(b"}\n") and data.decode("utf-8")
    later = build_bundle(
        case_id="C-0001",
        version=3,
        request=request,
        placed=place(documents),
        report=check(request, [d.extraction for d in documents]),
        deadline=decision_due(request, CREATED),
        created_at=CREATED,
        options=options,
        packet_pdf_sha256=PACKET_SHA,
    )
    old = {e["fullUrl"] for e in json.loads(data)["entry"]}
    assert old.isdisjoint(e["fullUrl"] for e in json.loads(later)["entry"])  # a new version, new resources
    assert json.loads(later)["identifier"]["value"] == "C-0001/v3"


def test_nothing_known_still_validates_with_data_absent_reasons():
    bundle = parse(make(ServiceRequest(service_codes=("72148",), request_date=REQUEST_DATE), []))
    assert empties(bundle) == []
    claim = bundle["entry"][0]["resource"]
    assert "insurer" not in claim and "diagnosis" not in claim and "supportingInfo" not in claim
    assert claim["provider"]["extension"][0]["valueCode"] == "unknown"
    (coverage,) = resources(bundle, "Coverage")
    assert coverage["payor"][0]["extension"][0]["valueCode"] == "unknown"
    assert "subscriberId" not in coverage and "identifier" not in coverage
    (patient,) = resources(bundle, "Patient")
    assert set(patient) == {"resourceType", "id"}
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == ["Claim", "Patient", "Coverage"]


_maybe_text = st.one_of(st.none(), st.just(""), st.just("   "), st.sampled_from(["XZA123456789", "Pat Testcase", "Acme Health"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    member_id=_maybe_text,
    payer_name=_maybe_text,
    patient_name=_maybe_text,
    patient_dob=st.one_of(st.none(), st.just(""), st.just("1970-01-02"), st.just("01/02/1970")),
    practice=_maybe_text,
    units=st.one_of(st.none(), st.integers(min_value=1, max_value=9)),
    place_of_service=st.one_of(st.none(), st.just("11")),
    date_of_service=st.one_of(st.none(), st.just(date(2026, 11, 20))),
    urgency=st.sampled_from(["standard", "urgent"]),
    with_docs=st.booleans(),
    inline=st.booleans(),
    base_url=st.one_of(st.none(), st.just(BASE)),
    reference=_maybe_text,
)
def test_absent_values_are_omitted_never_empty(
    member_id,
    payer_name,
    patient_name,
    patient_dob,
    practice,
    units,
    place_of_service,
    date_of_service,
    urgency,
    with_docs,
    inline,
    base_url,
    reference,
):
    request = ServiceRequest(
        service_codes=("72148",),
        request_date=REQUEST_DATE,
        member_id=member_id,
        payer_name=payer_name,
        patient_name=patient_name,
        patient_dob=patient_dob,
        units=units,
        place_of_service=place_of_service,
        date_of_service=date_of_service,
        urgency=urgency,
        reference=reference,
    )
    options = PacketOptions(sender=Sender(practice=practice), attachment_base_url=base_url, inline_attachments=inline)
    documents = mri_documents() if with_docs else []
    bundle = parse(make(request, documents, options=options))
    assert empties(bundle) == []
    assert set(references(bundle)) <= {e["fullUrl"] for e in bundle["entry"]}
    claim = bundle["entry"][0]["resource"]
    (patient,) = resources(bundle, "Patient")
    if member_id and member_id.strip():
        assert patient["identifier"][0]["value"] == member_id
    if patient_dob == "01/02/1970":
        assert "birthDate" not in patient  # not a FHIR date: left out, not reformatted by guess
    if units:
        assert claim["item"][0]["quantity"] == {"value": units}
    given = [i["value"] for i in claim["identifier"] if i["system"] == REFERENCE_SYSTEM]
    assert given == ([reference.strip()] if reference and reference.strip() else [])
    assert {"system": CASE_SYSTEM, "value": "C-0001"} in claim["identifier"]
