from __future__ import annotations

import pytest

from extractors.doc_type import classify
from extractors.text_pages import page_from_text

CASES = [
    ("IMAGING ORDER\nPatient: Jane Sample\nExam requested: MRI lumbar spine 72148\nOrdering Provider: Dr. A", "order"),
    ("Outpatient Requisition\nPatient: Jane Sample\nTest: MRI", "order"),
    ("Mesa Spine Clinic\nPROGRESS NOTE\nChief Complaint: low back pain\nAssessment and Plan: MRI", "progress_note"),
    ("Office Visit\nHPI: back pain x 8 weeks\nPhysical Exam: normal", "progress_note"),
    ("HISTORY AND PHYSICAL\nChief complaint: pain", "progress_note"),
    ("SLEEP MEDICINE CONSULTATION\nHPI: loud snoring, Epworth 14", "progress_note"),
    ("RADIOLOGY REPORT\nExam: MRI lumbar spine\nFindings: disc bulge\nImpression: L4-5 stenosis", "imaging_report"),
    ("Sonoran Reference Laboratory\nTest Result Flag Reference Range\nGlucose 99 mg/dL 70-99", "lab_report"),
    (
        "March 1, 2026\nRE: Letter of Medical Necessity\nTo Whom It May Concern:\nI am writing\nSincerely,",
        "letter_of_medical_necessity",
    ),
    ("PRIOR AUTHORIZATION REQUEST\nMember ID: W1234\nRequesting provider: Dr. A", "prior_auth_form"),
    ("Example Health Plan\nMember ID W123456789\nRxBIN 610000 RxPCN ABC RxGrp RX1\nCopay PCP $25", "insurance_card"),
    # Titles seen on the randomized corpus, as classes: a referral and a booking sheet are orders,
    # a note that calls itself a note is a note even with an "Impression" heading.
    ("Family Medicine\nReferral: Outpatient Physical Therapy\nDate: 01/28/2026\n97110-GP x2\nOrdered by: Dr. A", "order"),
    ("Orthopaedics\nSurgical Booking Sheet\nTotal knee arthroplasty (CPT 27447-LT)\nOrdering provider: Dr. B", "order"),
    (
        "Cancer Care\nTreatment Planning Note\nOncologic history\nProgressed after chemo.\nImpression\nNSCLC stage IV\nPlan\nStart pembrolizumab",
        "progress_note",
    ),
    ("Physical Therapy Re-evaluation\nSubjective: less pain\nPlan: continue 2x/week", "progress_note"),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_classify(text, expected):
    doc_type, confidence = classify([page_from_text(text)])
    assert doc_type == expected
    assert 0.5 < confidence <= 1.0


def test_title_outweighs_body_mentions():
    # An order that mentions a progress note and an impression is still an order.
    text = "MRI ORDER FORM\nPatient: Jane Sample\nAttach the last progress note.\nClinical impression: back pain"
    assert classify([page_from_text(text)])[0] == "order"


def test_unrecognised_is_other():
    assert classify([page_from_text("hello world")]) == ("other", 0.3)
    assert classify([]) == ("other", 0.3)


def test_every_document_type_has_its_attachment_codes():
    from extractors.models import DOC_TYPES
    from extractors.rules import attachment_codes
    from packet_builder.manifest import attachment_code_json

    codes = attachment_codes().types
    assert set(codes) == set(DOC_TYPES)
    assert attachment_code_json("progress_note") == {
        "system": "http://loinc.org",
        "code": "11506-3",
        "display": "Progress note",
        "pwk01": "09",
        "fit": "exact",
    }


def test_a_fax_cover_sheet_is_its_own_document_of_type_other():
    from extractors.extract import extract_pages

    cover = page_from_text(
        "FAX COVER SHEET\nTo: Plan UM  From: Referral desk\nPages: 3 including this cover\n"
        "Re: prior authorization request for MRI of the lumbar spine.\n",
        index=0,
    )
    order = page_from_text(
        "IMAGING ORDER\nExam requested: MRI lumbar spine  CPT 72148\nOrdering provider: A. Quill, MD\n", index=1
    )
    docs = extract_pages([cover, order], filename="fax.tif")
    assert [(d.doc_type, d.page_range) for d in docs] == [("other", (1, 1)), ("order", (2, 2))]


def test_a_note_that_cites_a_scale_stays_a_note():
    text = "PROGRESS NOTE\nChief complaint: snoring.\nEpworth Sleepiness Scale score 14 of 24.\nAssessment: OSA suspected.\n"
    assert classify([page_from_text(text, index=0)])[0] == "progress_note"


def test_a_letter_read_by_ocr_is_still_a_letter():
    text = "June 23, 2026\nPlan UM\nTo Whoin It May Concern:\nTam writing to request approval of an MRI of the lumbar spine.\n"
    assert classify([page_from_text(text, index=0)])[0] == "letter_of_medical_necessity"


def test_a_notes_last_page_with_its_plan_stays_with_the_note():
    from extractors.extract import extract_pages

    first = page_from_text("PROGRESS NOTE\nChief complaint: back pain.\nHistory of present illness: 8 weeks.\n", index=0)
    last = page_from_text(
        "Doe, Jane DOB 01/02/1960 (continued)\nPlan\nOrder MRI lumbar spine (CPT 72148); exam requested today.\n"
        "Ordering provider: A. Quill, MD. Order date 10/12/2026. Physician signature on file.\nPage 2 of 2\n",
        index=1,
    )
    assert [(d.doc_type, d.page_range) for d in extract_pages([first, last], filename="note.pdf")] == [("progress_note", (1, 2))]
