from __future__ import annotations

import pytest

from extractors.fields import extract_fields
from extractors.text_pages import page_from_text


def fields_of(*texts: str, **kw):
    pages = [page_from_text(t, index=i, **kw) for i, t in enumerate(texts)]
    return extract_fields(pages)[0]


def values(fields, name):
    return [v.value for v in fields.get(name, ())]


ORDER = """DESERT VALLEY IMAGING - OUTPATIENT ORDER
Desert Valley Imaging, 2200 N Central Ave, Phoenix, AZ 85004
Phone (602) 555-0143   Fax: (602) 555-0199
Order Date: 02/10/2026
Patient: Sample,  Jane Q     DOB: 3-14-61     MRN 7214855
Mernber ID: XYZ123456789     Group #: 88123
Insurance: Example Health Plan PPO
Ordering Provider: Robert Example, MD   NPI: 1234567893
Facility: Desert Valley Imaging   NPI 1558598797   Tax ID: 86-1234567
Exam requested: MRI lumbar spine without contrast   CPT: 72148
Diagnosis: M54.16 Radiculopathy, lumbar region
Glucose 99 mg/dL
"""


def test_order_fields_with_evidence():
    f = fields_of(ORDER)
    assert values(f, "member_id") == ["XYZ123456789"]
    assert values(f, "group_number") == ["88123"]
    assert values(f, "patient_name") == ["Sample, Jane Q"]
    assert values(f, "patient_dob") == ["1961-03-14"]
    assert values(f, "document_date") == ["2026-02-10"]
    assert values(f, "payer_name") == ["Example Health Plan PPO"]
    assert values(f, "tax_id") == ["86-1234567"]
    assert values(f, "cpt") == ["72148"]
    assert values(f, "icd10") == ["M54.16"]
    npis = {v.value: v.attributes for v in f["npi"]}
    assert npis["1234567893"] == {"role": "ordering", "valid": True}
    assert npis["1558598797"]["role"] == "facility"
    member = f["member_id"][0]
    ev = member.evidence
    assert ev.page == 1 and ev.method == "text_layer" and "XYZ123456789" in ev.snippet
    assert ev.bbox is not None and 0 <= ev.bbox[0] < ev.bbox[2] <= 1
    assert 0.5 < member.confidence <= 1


def test_decoys_are_not_codes():
    f = fields_of(ORDER)
    everything = [v.value for vs in f.values() for v in vs]
    for decoy in ("85004", "7214855", "602", "5550143", "99", "2200"):
        assert decoy not in everything
    assert "hcpcs" not in f


def test_zip_phone_mrn_lab_not_cpt():
    text = "Phoenix, AZ 85004\nPhone (602) 555-0143\nMRN 7214855\nGlucose 99 mg/dL\nAccession 72148\nCPT code: 72148"
    f = fields_of(text)
    assert [(v.value, v.evidence.snippet.count("CPT")) for v in f["cpt"]] == [("72148", 1)]
    assert f["cpt"][0].evidence.bbox[1] > 0.05  # the CPT line, not the accession line


def test_invalid_npi_reported_not_dropped():
    f = fields_of("Referring physician NPI: 1234567890")
    (npi,) = f["npi"]
    assert npi.value == "1234567890"
    assert npi.attributes == {"role": "ordering", "valid": False}
    assert npi.confidence < 0.6


def test_unlabelled_ten_digits_not_npi():
    assert "npi" not in fields_of("Call 2125550143 to schedule")


def test_garbled_labels_and_mbi():
    f = fields_of("Member lD 1EG4-TE5-MK73\nD.O.B.: March 14, 1961")
    (member,) = f["member_id"]
    assert member.value == "1EG4TE5MK73"
    assert member.attributes["valid"] is True
    assert values(f, "patient_dob") == ["1961-03-14"]


def test_value_on_next_line_in_column():
    text = "Patient Name          Date of Birth        Member ID\nDoe, John             1961-03-14           W123456789"
    f = fields_of(text)
    assert values(f, "patient_name") == ["Doe, John"]
    assert values(f, "patient_dob") == ["1961-03-14"]
    assert values(f, "member_id") == ["W123456789"]


def test_dob_told_apart_from_service_date():
    f = fields_of("Patient: John Doe   DOB 01/02/1970\nDate of Service: 01/05/2026")
    assert values(f, "patient_dob") == ["1970-01-02"]
    assert values(f, "date_of_service") == ["2026-01-05"]
    assert values(f, "document_date") == ["2026-01-05"]


def test_provider_name_not_patient():
    f = fields_of("Ordering Physician\nName: Robert Example, MD\nNPI: 1234567893")
    assert "patient_name" not in f


def test_plan_section_is_not_a_payer():
    assert "payer_name" not in fields_of("Plan: MRI lumbar spine, physical therapy")


def test_hcpcs_with_modifiers_and_units():
    f = fields_of("HCPCS: E0601-NU  Units: 1\nCPT: 72148-26 x 2")
    (h,) = f["hcpcs"]
    assert h.value == "E0601" and h.attributes == {"modifiers": ["NU"], "units": 1}
    (c,) = f["cpt"]
    assert c.attributes == {"modifiers": ["26"], "units": 2}


def test_code_table():
    text = "CPT/HCPCS   Modifier   Units   Description\n95810                  1       Polysomnography\nG0399       KX         1       Home sleep test"
    f = fields_of(text)
    assert values(f, "cpt") == ["95810"]
    assert [(v.value, v.attributes["modifiers"]) for v in f["hcpcs"]] == [("G0399", ["KX"])]


def test_icd_assertions_and_history():
    text = (
        "PAST MEDICAL HISTORY:\nHistory of lumbar radiculopathy M54.16 in 2019.\n"
        "ASSESSMENT:\n1. Low back pain M54.50\n2. Possible stenosis M48.061\n"
    )
    f = fields_of(text)
    got = {(v.value, v.attributes["assertion"]) for v in f["icd10"]}
    assert got == {("M54.16", "historical"), ("M54.50", "present"), ("M48.061", "hypothetical")}


def test_icd_description_words_are_not_cues():
    f = fields_of("Assessment: Type 2 diabetes mellitus without complications E11.9")
    assert f["icd10"][0].attributes["assertion"] == "present"


def test_icd_ocr_repair_marked():
    f = fields_of("Diagnosis: 110 Essential hypertension")
    (code,) = f["icd10"]
    assert code.value == "I10"
    assert code.attributes["repaired"] is True and code.attributes["printed"] == "110"


def test_undotted_icd_only_in_diagnosis_context():
    assert "icd10" not in fields_of("Room I10 on the left")
    assert values(fields_of("Dx: G4733"), "icd10") == ["G47.33"]


def test_dedupe_across_pages_keeps_distinct_values():
    f = fields_of("Member ID: ABC12345\nNPI: 1234567893", "Member ID: ABC12345\nMember ID: ABC99999")
    assert values(f, "member_id") == ["ABC12345", "ABC99999"]
    assert len(f["npi"]) == 1


def test_ocr_confidence_lowers_value_confidence():
    text_conf = fields_of("Member ID: ABC12345")["member_id"][0].confidence
    ocr = fields_of("Member ID: ABC12345", method="ocr", confidence=0.6)["member_id"][0]
    assert ocr.confidence < text_conf
    assert ocr.evidence.method == "ocr"


def test_known_payer_fallback_and_letter_date():
    f = fields_of("Aetna\nMarch 3, 2026\n\nTo Whom It May Concern:")
    assert values(f, "payer_name") == ["Aetna"]
    assert values(f, "document_date") == ["2026-03-03"]


@pytest.mark.parametrize(
    "line",
    [
        "Tucson, AZ 85719",  # ZIP next to a city
        "Phone (520) 555-0134",
        "Fax: 520-555-0135 ext 72148",
        "MRN 72148",
        "Accession 72148",
        "Glucose 99 mg/dL (70-99), creatinine 1.1",
        "Ibuprofen 72148 mg",  # a dose
        "Seen 10/12/2026 at 72148",
        "Room 72148",
        "Account # 72148",
    ],
)
def test_each_decoy_kind_is_not_a_procedure_code(line):
    f = fields_of(line + "\n")
    assert "cpt" not in f and "hcpcs" not in f, line


def _npi_roles(text: str) -> tuple[str, list[str]]:
    from extractors.extract import extract_pages

    (doc,) = extract_pages([page_from_text(text)], filename="x.pdf")
    return doc.doc_type, [v.attributes["role"] for v in doc.fields["npi"]]


def test_note_signer_npi_is_ordering():
    text = "Office Visit\nAssessment and plan: MRI lumbar spine.\nElectronically signed by Helena Example, MD NPI 1234567893 10/12/2026"
    assert _npi_roles(text) == ("progress_note", ["ordering"])


@pytest.mark.parametrize(
    "text",
    [
        "Diagnostic Imaging\nExam: XR knee left, 3 views\nFindings\nJoint space narrowing.\nImpression\nOsteoarthritis.\n"
        "Electronically signed by Ulises Example, MD on 04/25/2026\nNPI No.: 1234567893",
        "Laboratory Report\nSpecimen collected 03/01/2026\nHemoglobin A1c 6.1 % Reference range 4.0-5.6\n"
        "Signed by Ada Example, MD, pathologist NPI 1234567893",
    ],
)
def test_report_signer_npi_is_the_reader_not_the_orderer(text):
    # Who signs an imaging or lab report read the study: the NPI is not the ordering one.
    doc_type, roles = _npi_roles(text)
    assert doc_type in ("imaging_report", "lab_report") and roles == ["rendering"]


def test_three_character_code_in_parentheses_outside_a_diagnosis_section() -> None:
    from extractors.fields import extract_fields
    from extractors.text_pages import page_from_text

    fields, _facts = extract_fields(
        [page_from_text("Past Medical History\nEssential hypertension (I10). Asthma.\nRoom A12 ext 110")]
    )
    assert [v.value for v in fields["icd10"]] == ["I10"]


def test_a_label_word_that_ends_a_value_is_not_a_label():
    # "Health Insurance" is a payer label, but here it ends the payer's name: the heading on
    # the next line is not a payer.
    f = fields_of("Insurance: Olympic Crest Health Insurance\n\nHistory of Present Illness\nLow back pain.\n")
    assert values(f, "payer_name") == ["Olympic Crest Health Insurance"]


def test_member_ids_printed_in_groups_are_one_id():
    for printed, value in [
        ("RMB 4420 8817 03", "RMB4420881703"),
        ("W123 4567 89", "W123456789"),
        ("JHC.7741 0293 58", "JHC7741029358"),  # a speck read as a dot between groups
        ("1EG4 TE5 MK73", "1EG4TE5MK73"),
    ]:
        assert values(fields_of(f"Member ID: {printed}\n"), "member_id") == [value], printed
    assert values(fields_of("Member ID: ABC 12 Phone 555\n"), "member_id") == []


def test_a_title_word_does_not_steal_the_label_after_it():
    # "VISIT Date" is a label too, but "Date of Service:" is the one the colon belongs to.
    f = fields_of("OFFICE VISIT Date of Service: 09/02/2026\n")
    assert values(f, "date_of_service") == ["2026-09-02"]


def test_patient_names_are_written_last_first_in_their_printed_case():
    from extractors.labels import normalize_person_name

    assert normalize_person_name("Quentin A. Marlowe") == "Marlowe, Quentin A"
    assert normalize_person_name("MARLOWE, QUENTIN A.") == "MARLOWE, QUENTIN A"
    assert normalize_person_name("Maria de la Cruz") == "de la Cruz, Maria"
    assert normalize_person_name("John Smith Jr.") == "Smith Jr, John"
    assert values(fields_of("Patient: Quentin A. Marlowe   DOB: 03/14/1961\n"), "patient_name") == ["Marlowe, Quentin A"]


def test_an_npi_under_its_column_header_is_read():
    from extractors.pagetext import PageText
    from extractors.provider_ids import extract_npis

    page = page_from_text(
        "PROVIDER NAME            NPL           FAX\nCORINNE ABERNATHY-SOTO   1739204815    86-3304127\n", index=0
    )
    assert [v.value for v in extract_npis(PageText(page))] == ["1739204815"]


def test_a_header_row_of_labels_reads_its_values_below():
    f = fields_of(
        "AHCCCS ID        MEMBER NAME (LAST, FIRST, MI)        DATE OF BIRTH\nA70318264        YAZZIE-MOREAU, DELPHINE R            02/14/1986\n"
    )
    assert values(f, "member_id") == ["A70318264"]
    assert values(f, "patient_dob") == ["1986-02-14"]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Date: 08-Jun-2026", "2026-06-08"),
        ("Report date: 8-JUN-26", "2026-06-08"),
        ("Order date: 08.Jun.2026", "2026-06-08"),
        ("Collected: 08JUN2026", "2026-06-08"),
        ("Date Seen: 2026-03-30", "2026-03-30"),
        ("Date of Consultation: 28 January 2026", "2026-01-28"),
        ("Evaluation date: 08-Jun-2026", "2026-06-08"),
    ],
)
def test_document_dates_in_the_formats_and_labels_notes_use(text: str, iso: str) -> None:
    """Dates printed day-month-name-year (lab and hospital systems) and visit labels other than
    "Date of service" are document dates (a class seen on the randomized corpus)."""
    fields = extract_fields([page_from_text(text)])[0]
    assert [v.value for v in fields["document_date"]] == [iso]


def test_a_dob_printed_dd_mon_yy_is_last_century() -> None:
    fields = extract_fields([page_from_text("Patient: Rivera, Ana  DOB: 03-Mar-61")])[0]
    assert [v.value for v in fields["patient_dob"]] == ["1961-03-03"]
