from __future__ import annotations

import pytest

from extractors.errors import UnknownServiceError
from packet_builder.catalog import load_catalog
from packet_builder.checker import check
from packet_builder.request import ServiceRequest
from tests.pb_factories import REQUEST_DATE, doc, mri_docs, mri_request


def by_id(report, rid):
    for r in report.requirements:
        if r.id == rid:
            return r
        for c in r.children:
            if c.id == rid:
                return c
    raise KeyError(rid)


def test_mri_lumbar_complete_case():
    report = check(mri_request(), mri_docs())
    assert report.status == "complete", report.to_json()
    assert [r.status for r in report.requirements] == ["met"] * 7
    order = by_id(report, "imaging.order")
    assert order.message.startswith("Order dated 2026-10-30 lists 72148")
    assert order.evidence[0].document_id == "order"
    j = report.to_json()
    assert j["catalog_version"] == load_catalog().version
    assert {"id", "label", "status", "message", "evidence"} <= set(j["requirements"][0])
    assert j["services"][0]["id"] == "mri_lumbar_spine"


def test_missing_conservative_care():
    docs = mri_docs(therapy=("physical_therapy", {"duration_weeks": 2.0, "outcome": "failed", "assertion": "present"}))
    report = check(mri_request(), docs)
    assert report.status == "incomplete"
    assert by_id(report, "mri-lumbar.conservative-care-6w").status == "missing"
    group = by_id(report, "mri-lumbar.conservative-care-or-red-flag")
    assert group.status == "missing"
    assert "6 weeks" in group.message


def test_symptom_duration_alone_is_a_question_not_six_weeks_of_care():
    """Symptoms for 10 weeks with an NSAID of no stated duration: the policy asks for 6 weeks of
    care, with its duration, so a person confirms it (never a silent pass)."""
    docs = mri_docs(therapy=("nsaid", {"duration_weeks": None, "outcome": "failed", "assertion": "present"}))
    docs[2] = doc(
        "progress_note",
        doc_id="note",
        fields={"document_date": ["2026-10-20"]},
        facts={
            "conservative_therapy": [("nsaid", {"assertion": "present"})],
            "symptom_duration": [(10.0, {"unit": "weeks", "assertion": "present"})],
        },
    )
    r = by_id(check(mri_request(), docs), "mri-lumbar.conservative-care-6w")
    assert r.status == "review" and "without its own duration; symptoms for 10 weeks" in r.message


def test_a_stated_short_trial_is_not_rescued_by_long_symptoms():
    docs = mri_docs(therapy=("nsaid", {"duration_weeks": 4.0, "outcome": "failed", "assertion": "present"}))
    docs[2] = doc(
        "progress_note",
        doc_id="note",
        fields={"document_date": ["2026-10-20"]},
        facts={
            "conservative_therapy": [("nsaid", {"duration_weeks": 4.0, "outcome": "failed", "assertion": "present"})],
            "symptom_duration": [(10.0, {"unit": "weeks", "assertion": "present"})],
        },
    )
    assert by_id(check(mri_request(), docs), "mri-lumbar.conservative-care-6w").status == "missing"


def test_negated_pt_does_not_satisfy():
    docs = mri_docs(therapy=("physical_therapy", {"duration_weeks": 8.0, "assertion": "negated"}))
    report = check(mri_request(), docs)
    r = by_id(report, "mri-lumbar.conservative-care-6w")
    assert r.status == "missing"
    assert "negated" in r.message
    assert report.status == "incomplete"


def test_red_flag_satisfies_any_of():
    docs = mri_docs(
        therapy=("physical_therapy", {"duration_weeks": 8.0, "assertion": "negated"}),
        red_flag=("cauda_equina", {"assertion": "present"}),
    )
    report = check(mri_request(), docs)
    assert by_id(report, "mri-lumbar.conservative-care-or-red-flag").status == "met"
    assert by_id(report, "mri-lumbar.red-flag").status == "met"
    assert report.status == "complete"


def test_negated_red_flag_does_not_satisfy():
    docs = mri_docs(
        therapy=("physical_therapy", {"duration_weeks": 1.0, "assertion": "present"}),
        red_flag=("cauda_equina", {"assertion": "negated"}),
    )
    assert by_id(check(mri_request(), docs), "mri-lumbar.conservative-care-or-red-flag").status == "missing"


def test_improved_therapy_needs_review():
    docs = mri_docs(therapy=("physical_therapy", {"duration_weeks": 8.0, "outcome": "improved", "assertion": "present"}))
    report = check(mri_request(), docs)
    assert by_id(report, "mri-lumbar.conservative-care-or-red-flag").status == "review"
    assert report.status == "incomplete"


def test_note_older_than_60_days_is_not_met():
    report = check(mri_request(), mri_docs(note_date="2026-08-01"))
    r = by_id(report, "imaging.clinical-note-60d")
    assert r.status == "missing"
    assert "2026-08-01" in r.message and "93 days" in r.message


def test_undated_note_needs_review():
    docs = mri_docs()
    docs[2] = doc("progress_note", doc_id="note", facts=docs[2].facts, fields={"icd10": list(docs[2].fields["icd10"])})
    docs[2] = doc("progress_note", doc_id="note")
    assert by_id(check(mri_request(), docs), "imaging.clinical-note-60d").status == "review"


def test_order_without_the_code_needs_review():
    report = check(mri_request(), mri_docs(order_code="72141"))
    r = by_id(report, "imaging.order")
    assert r.status == "review"
    assert "72141" in r.message
    assert report.status == "incomplete"


def test_historical_only_diagnosis_does_not_satisfy():
    icd = ("M54.16", {"description": "Radiculopathy, lumbar region", "billable": True, "assertion": "historical"})
    report = check(mri_request(), mri_docs(icd=icd))
    r = by_id(report, "mri-lumbar.diagnosis")
    assert r.status in ("review", "missing")
    assert "historical" in r.message
    assert report.status == "incomplete"


def test_negated_diagnosis_is_missing():
    icd = ("M54.16", {"billable": True, "assertion": "negated"})
    assert by_id(check(mri_request(), mri_docs(icd=icd)), "mri-lumbar.diagnosis").status == "missing"


def test_unrelated_diagnosis_is_missing():
    icd = ("M54.12", {"description": "Radiculopathy, cervical region", "billable": True, "assertion": "present"})
    r = by_id(check(mri_request(), mri_docs(icd=icd)), "mri-lumbar.diagnosis")
    assert r.status == "missing" and "M54.12" in r.message


def test_invalid_npi_does_not_satisfy():
    report = check(mri_request(), mri_docs(npi=("1234567890", {"role": "ordering", "valid": False})))
    r = by_id(report, "common.ordering-npi")
    assert r.status == "missing"
    assert "check-digit" in r.message


def test_rendering_only_npi_needs_review():
    r = by_id(check(mri_request(), mri_docs(npi=("1234567893", {"role": "facility", "valid": True}))), "common.ordering-npi")
    assert r.status == "review"


def test_member_id_mismatch_with_case_needs_review():
    r = by_id(check(mri_request(member_id="OTHER999"), mri_docs()), "common.member-id")
    assert r.status == "review"
    assert "OTHER999" not in r.message and "XZA123456789" not in r.message
    assert by_id(check(mri_request(member_id="xza 1234-56789"), mri_docs()), "common.member-id").status == "met"


def test_nothing_uploaded_is_all_missing():
    report = check(mri_request(), [])
    assert report.status == "incomplete"
    assert {r.status for r in report.requirements} == {"missing"}


def sleep_docs(epworth=14, bmi=33.1, note_text="Sleep evaluation: loud snoring, witnessed apneas."):
    return [
        doc("insurance_card", doc_id="card", fields={"member_id": ["SLP000111"]}),
        doc(
            "order",
            doc_id="order",
            fields={
                "hcpcs": ["G0399"],
                "npi": [("1558598797", {"role": "ordering", "valid": True})],
                "document_date": ["2026-10-28"],
            },
        ),
        doc(
            "progress_note",
            doc_id="note",
            text=note_text,
            fields={
                "date_of_service": ["2026-10-15"],
                "icd10": [("G47.33", {"description": "Obstructive sleep apnea", "billable": True, "assertion": "present"})],
            },
            facts={
                "epworth": [(epworth, {"assertion": "present"})] if epworth is not None else [],
                "bmi": [(bmi, {"assertion": "present"})],
            },
        ),
    ]


def test_sleep_study_complete():
    report = check(ServiceRequest(service_codes=("g0399",), request_date=REQUEST_DATE), sleep_docs())
    assert report.status == "complete", report.to_json()
    assert [r.id for r in report.requirements] == [
        "common.member-id",
        "common.ordering-npi",
        "sleep.order",
        "sleep.evaluation-note",
        "sleep.epworth",
        "sleep.bmi",
        "sleep.diagnosis",
        "common.same-patient",
    ]


def test_sleep_study_incomplete():
    report = check(ServiceRequest(service_codes=("95810",), request_date=REQUEST_DATE), sleep_docs(epworth=None))
    assert report.status == "incomplete"
    assert by_id(report, "sleep.epworth").status == "missing"
    assert by_id(report, "sleep.order").status == "review"  # the order lists G0399, not 95810


def test_sleep_note_not_about_sleep_needs_review():
    report = check(ServiceRequest(service_codes=("G0399",), request_date=REQUEST_DATE), sleep_docs(note_text="Knee pain."))
    assert by_id(report, "sleep.evaluation-note").status == "review"
    assert report.status == "incomplete"


def test_value_outside_the_bounds_is_missing_with_the_value():
    report = check(ServiceRequest(service_codes=("G0399",), request_date=REQUEST_DATE), sleep_docs(epworth=41))
    result = by_id(report, "sleep.epworth")
    assert result.status == "missing" and "41" in result.message and "0-24" in result.message


def test_review_keeps_status_incomplete():
    report = check(mri_request(), mri_docs(order_code="72141"))
    statuses = [r.status for r in report.requirements]
    assert "missing" not in statuses and "review" in statuses
    assert report.status == "incomplete"


def test_two_services_share_common_requirements_once():
    docs = mri_docs() + sleep_docs()
    report = check(mri_request(service_codes=("72148", "95806")), docs)
    ids = [r.id for r in report.requirements]
    assert ids.count("common.member-id") == 1
    assert "sleep.order" in ids and "imaging.order" in ids
    assert len(report.services) == 2


def test_unknown_code_is_accepted_and_never_complete():
    """A code no service knows is a review naming it, beside the checks every request needs."""
    report = check(mri_request(service_codes=("99213",)), mri_docs())
    assert report.status == "incomplete" and report.unknown_codes == ("99213",)
    unknown = by_id(report, "request.unknown-code.99213")
    assert unknown.status == "review" and "No documentation requirements known for 99213" in unknown.message
    assert {"common.member-id", "common.ordering-npi", "common.same-patient"} <= {r.id for r in report.requirements}


def test_unknown_code_beside_a_known_service_keeps_the_case_in_review():
    complete = check(mri_request(), mri_docs())
    assert complete.status == "complete"
    report = check(mri_request(service_codes=("72148", "99213")), mri_docs())
    assert report.status == "incomplete"
    assert [r.id for r in report.requirements if r.status != "met"] == ["request.unknown-code.99213"]


def test_companion_codes_ride_with_their_service():
    """Contrast billed with the MRI changes nothing: same requirements, the line is kept."""
    report = check(mri_request(service_codes=("72148", "A9579")), mri_docs())
    assert report.status == "complete"
    (svc,) = report.services
    assert svc.codes == ("72148",) and svc.companions == ("A9579",)
    assert report.companion_codes == ("A9579",)


def test_companion_without_its_service_is_review():
    report = check(mri_request(service_codes=("A9552",)), mri_docs())
    r = by_id(report, "request.companion-alone.a9552")
    assert r.status == "review" and "PET" in r.message and report.status == "incomplete"


def test_malformed_code_is_refused_naming_it():
    from extractors.errors import InvalidRequestError

    with pytest.raises(InvalidRequestError, match="'7214'"):
        mri_request(service_codes=("72148", "7214"))


def test_member_id_only_on_the_case_is_missing():
    docs = [d for d in mri_docs() if d.doc_type != "insurance_card"]
    r = by_id(check(mri_request(member_id="XZA123456789"), docs), "common.member-id")
    assert r.status == "missing" and "no document shows it" in r.message


def test_no_codes_requested_raises():
    with pytest.raises(UnknownServiceError):
        check(mri_request(service_codes=()), [])


def test_invalid_plan_type_rejected():
    from extractors.errors import InvalidRequestError

    with pytest.raises(InvalidRequestError):
        mri_request(plan_type="ppo")


def test_all_of_group_and_undated_document_kind(tmp_path):
    import shutil

    from packet_builder.catalog import CATALOG_DIR, load_catalog_from

    shutil.copy(CATALOG_DIR / "common.yaml", tmp_path / "common.yaml")
    (tmp_path / "cpap.yaml").write_text(
        """
service: cpap
label: CPAP
family: sleep
hcpcs: [E0601]
effective: 2026-01-01
requirements:
  - id: cpap.both
    kind: all_of
    label: Sleep test and AHI
    missing_message: Add the sleep test report and its AHI.
    source: LCD L33718 (documentation-requirements.md section 4.5)
    effective: 2026-01-01
    requirements:
      - {id: cpap.report, kind: document, doc_types: [lab_report, other], label: Sleep test report,
         missing_message: Add the sleep test report., source: LCD L33718, effective: 2026-01-01}
      - {id: cpap.ahi, kind: fact, fact: ahi, min: 15, label: AHI at least 15,
         missing_message: Document the AHI., source: LCD L33718, effective: 2026-01-01}
"""
    )
    catalog = load_catalog_from(tmp_path)
    request = ServiceRequest(service_codes=("E0601",), request_date=REQUEST_DATE)
    report_doc = doc("lab_report", doc_id="psg", facts={"ahi": [(22.5, {"assertion": "present"})]})
    report = check(request, [report_doc], catalog=catalog)
    assert report.requirements[0].status == "met" and report.status == "complete"
    low = doc("lab_report", doc_id="psg", facts={"ahi": [(9.0, {"assertion": "present"})]})
    group = check(request, [low], catalog=catalog).requirements[0]
    assert group.status == "missing" and [c.status for c in group.children] == ["met", "missing"]
    assert "9 (" in group.children[1].message and ">= 15" in group.children[1].message
    group = check(request, [], catalog=catalog).requirements[0]
    assert group.status == "missing"
    assert group.to_json()["children"][1]["id"] == "cpap.ahi"


def test_an_invalid_ordering_npi_is_not_made_good_by_a_valid_npi_of_unstated_role():
    order = doc(
        "order",
        doc_id="o",
        fields={
            "npi": [("1739204815", {"role": "ordering", "valid": False}), ("1268493719", {"role": "unknown", "valid": True})]
        },
    )
    [npi] = [r for r in check(mri_request(), [order]).requirements if r.id == "common.ordering-npi"]
    assert npi.status == "missing" and "1739204815" in npi.message


def test_a_met_that_rests_on_an_unsure_reading_is_review():
    # The supporting diagnosis read at 0.3 confidence only (a faint scan): not enough for "met".
    faint = ("M54.16", {"description": "Radiculopathy, lumbar region", "billable": True, "assertion": "present", "conf": 0.3})
    report = check(mri_request(), mri_docs(icd=faint))
    dx = by_id(report, "mri-lumbar.diagnosis")
    assert dx.status == "review" and "low confidence" in dx.message
    assert report.status == "incomplete"
    sure = check(mri_request(), mri_docs())
    assert by_id(sure, "mri-lumbar.diagnosis").status == "met"


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("Medical clearance obtained from his PCP on 10/02.", True),
        ("Medical clearance pending.", False),
        ("No medical clearance yet.", False),
        ("Will obtain medical clearance next week.", False),
        ("Recommend medical clearance before surgery.", False),
        ("Knee aspiration: no crystals, gout excluded and no infection.", True),  # its own negation
        ("There is no change in headache pattern.", False),
    ],
)
def test_words_a_requirement_looks_for_must_be_stated_not_denied_or_planned(text, counts):
    from packet_builder.evidence import mentions_any
    from tests.pb_factories import doc as make_doc

    words = ["medical clearance", "no infection", "change in headache pattern"]
    assert mentions_any(make_doc("progress_note", doc_id="n", text=text), words) is counts


def test_an_order_follows_any_of_the_documents_it_may_follow():
    # Face-to-face 08/20, written order 08/22, the therapist's evaluation 08/27: the order follows
    # the face-to-face, even though the later evaluation also reads as a mobility exam.
    from tests.pb_factories import doc as make_doc

    signed = {"signature": [("signed", {"assertion": "present"})]}
    docs = [
        make_doc("progress_note", doc_id="f2f", text="Face-to-face mobility exam.", fields={"document_date": ["2026-08-20"]}),
        make_doc("order", doc_id="wopd", fields={"hcpcs": ["K0823"], "document_date": ["2026-08-22"]}, facts=signed),
        make_doc("progress_note", doc_id="pt", text="Mobility evaluation by PT.", fields={"document_date": ["2026-08-27"]}),
    ]
    report = check(ServiceRequest(service_codes=("K0823",), request_date=REQUEST_DATE), docs)
    assert by_id(report, "pmd.wopd").status == "met"
    early = [
        docs[0],
        make_doc("order", doc_id="wopd", fields={"hcpcs": ["K0823"], "document_date": ["2026-08-10"]}, facts=signed),
    ]
    late = check(ServiceRequest(service_codes=("K0823",), request_date=REQUEST_DATE), early)
    assert by_id(late, "pmd.wopd").status == "missing" and "2026-08-20" in by_id(late, "pmd.wopd").message
