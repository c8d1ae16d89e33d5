"""Failure classes found on the hand-written outside cases (sample_docs/outside) once they were
read, each fixed as a class and tested with wordings of our own, not the case that showed it.
Pure: text in, extraction and verdicts out."""

from __future__ import annotations

from datetime import date

import pytest

from packet_builder.checker import check
from packet_builder.request import ServiceLine, ServiceRequest
from tests.test_failure_classes import document, facts, requirement, status_of

# --- dates of a printout of several visits ---------------------------------------------------


def test_each_visit_of_a_printout_dates_it_and_the_latest_counts():
    text = (
        "RIVERBEND SPINE - Clinical Notes Printout        printed 05/18/2026\n"
        "Patient: Doe, Jan   DOB: 01/02/1960\n"
        "VISIT 03/03/2026   New patient   A. Hale, DO\nCC: back pain 4 weeks.\n"
        "--------------------------------------------\n"
        "VISIT 05/12/2026   Follow-up   A. Hale, DO\nExam: SLR positive on the left.\n"
    )
    dates = [v.value for v in document(text).fields.get("document_date", ())]
    assert "2026-05-12" in dates and "2026-03-03" in dates
    status = status_of(text + "Dx: M54.16\n", "72148", date(2026, 5, 20), "imaging.clinical-note-60d")
    assert status == "met"


@pytest.mark.parametrize(
    "line", ["Next visit 07/01/2026", "Last visit: 01/02/2026", "Return visit 7/1/26", "Follow-up visit 06/30/2026"]
)
def test_another_visit_named_in_a_note_does_not_date_it(line):
    d = document(f"OFFICE VISIT\nDate of visit: 05/12/2026\nPatient: Doe, Jan\n{line}\n")
    assert [v.value for v in d.fields.get("document_date", ())] == ["2026-05-12"]


# --- document types ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "doc_type"),
    [
        ("NORTH RIDGE HEALTH PLAN - Outpatient Rehabilitation Authorization Request", "prior_auth_form"),
        ("Authorization Request Form", "prior_auth_form"),
        ("OUTPATIENT THERAPY PRIOR APPROVAL REQUEST - CONTINUATION", "prior_auth_form"),
        ("Rx / Referral                                  5/14/2026", "order"),
        ("REFERRAL - OCCUPATIONAL THERAPY               Date: 02/02/2026", "order"),
        ("PT Rx", "order"),
        ("Prescription for Physical Therapy", "order"),
        ("Speech Therapy Referral   03/03/2026", "order"),
        ("Face-to-Face Clinical Evaluation (in office)", "progress_note"),
        ("FACE TO FACE EXAMINATION - POWER MOBILITY", "progress_note"),
        ("Pre-operative Medical Evaluation / Clearance", "progress_note"),
        ("FACE-TO-FACE MOBILITY EXAMINATION                      Date of exam: January 20, 2026", "progress_note"),
        ("SPECIALTY MOBILITY EVALUATION BY LICENSED/CERTIFIED MEDICAL PROFESSIONAL (LCMP)", "progress_note"),
    ],
)
def test_titles_of_requests_and_referrals(title, doc_type):
    d = document(f"{title}\nPatient: Ann Example   DOB 01/02/1950\nDx: M54.50 low back pain\n")
    assert d.doc_type == doc_type


def test_a_referral_heading_inside_an_evaluation_is_no_referral():
    text = (
        "SEATING AND MOBILITY EVALUATION\nDate of Service: 08/27/2026\nPatient: Ann Example\n"
        "Visit type: specialty evaluation, physical therapy\nReferral\n Referred by Dr. B for a mobility evaluation.\n"
    )
    assert document(text).doc_type != "order"


# --- therapy orders ------------------------------------------------------------------------------


def _therapy(docs: list[str], lines: list[tuple[str, tuple[str, ...]]], episode: str = "initial") -> dict[str, str]:
    request = ServiceRequest(
        service_codes=(),
        service_lines=tuple(ServiceLine(code, mods, 1) for code, mods in lines),
        request_date=date(2026, 3, 10),
        plan_type="medicare",
        episode=episode,
    )
    report = check(request, [document(t, f"doc{i}.pdf") for i, t in enumerate(docs)])
    return {rid: requirement(report, rid).status for rid in ("therapy.order", "common.ordering-npi")}


_PT_REFERRAL = (
    "REFERRAL - {discipline}                 Date: 03/02/2026\nPatient: Ann Example   DOB 01/02/1950\n"
    "Dx: M48.062 Spinal stenosis, lumbar region with neurogenic claudication\n"
    "Request: {request}\nReferring physician: Bo Example, MD   NPI 1234567893\nSignature: Bo Example MD 03/02/2026\n"
)


@pytest.mark.parametrize(
    "request_words", ["PT evaluate & treat, gait and balance", "Physical therapy eval and treat 2x/wk x 6 wks"]
)
def test_a_referral_naming_the_discipline_orders_it(request_words):
    referral = _PT_REFERRAL.format(discipline="PHYSICAL THERAPY", request=request_words)
    assert _therapy([referral], [("97162", ("GP",)), ("97110", ("GP",))])["therapy.order"] == "met"


def test_a_referral_for_another_discipline_does_not_order_this_one():
    referral = _PT_REFERRAL.format(discipline="OCCUPATIONAL THERAPY", request="Occupational therapy evaluate and treat, ADLs")
    assert _therapy([referral], [("97162", ("GP",)), ("97110", ("GP",))])["therapy.order"] != "met"


def test_a_patient_label_is_not_physical_therapy():
    referral = _PT_REFERRAL.format(discipline="SERVICES", request="Pt: Ann Example, evaluate")
    assert _therapy([referral], [("97162", ("GP",))])["therapy.order"] != "met"


_RECERT = (
    "RECERTIFICATION -- PLAN OF CARE\nPatient: Ann Example   DOB 01/02/1950   MBI 1EG4TE5MK73\n"
    "Clinic NPI 1245319599\nRecert period: 03/02/2026 through 05/29/2026\nDiagnoses: Z96.652, M25.662\n"
    "Goals: knee flexion >= 115 deg; TUG < 12 s\nPlan: 97110x2 therapeutic exercise, 97530x1, HEP\n"
    "Frequency: 2x/week   Duration: 12 weeks\nTherapist: Cy Example, PT, DPT   03/02/2026\n"
    "{statement}\nSigned: Bo Example, MD  NPI 1234567893\nDate: 03/04/2026\n"
)


def test_a_certified_plan_of_care_is_the_order_for_therapy():
    plan = _RECERT.format(statement="Physician recertification: I certify the need for these services under this plan.")
    statuses = _therapy([plan], [("97110", ("GP",)), ("97530", ("GP",))], episode="continuation")
    assert statuses == {"therapy.order": "met", "common.ordering-npi": "met"}


def test_a_plan_of_care_nobody_certified_is_no_order():
    plan = _RECERT.format(statement="Plan reviewed with the patient.")
    assert _therapy([plan], [("97110", ("GP",))], episode="continuation")["therapy.order"] == "missing"


@pytest.mark.parametrize(
    ("text", "units"), [("Codes: 97110x2, 97530x1 GP", [2, 1]), ("Interventions: 97110, 97140 (manual), 97530", [None] * 3)]
)
def test_therapy_codes_with_glued_units_or_under_interventions(text, units):
    d = document(f"PLAN OF CARE\nPatient: Ann Example\n{text}\n")
    assert [v.attributes.get("units") for v in d.fields["cpt"]] == units


def test_a_longer_token_is_still_no_code():
    assert "cpt" not in document("PLAN OF CARE\nRef 12345x678 and lot 97110xa\n").fields


# --- form options ------------------------------------------------------------------------------


@pytest.mark.parametrize("box", ["[ ]", "[  ]", "[_]", "\u2610"])
def test_an_unticked_option_is_no_finding(box):
    text = f"Red flags: {box}cancer {box}infection {box}cauda equina {box}fracture/trauma [X]none\n"
    assert all(a["assertion"] == "negated" for _v, a in facts(text, "red_flag"))


@pytest.mark.parametrize("box", ["[X]", "[x]", "\u2612"])
def test_a_ticked_option_is_the_finding(box):
    text = f"Red flags: [ ]cancer {box}cauda equina [ ]none\n"
    found = dict((v, a["assertion"]) for v, a in facts(text, "red_flag"))
    assert found.get("cauda_equina") == "present"


# --- a letter that reports the examination: review, dated by the visit --------------------------

_LETTER = (
    "Lakeside Family Medicine\n\nMay 8, 2026\n\nRE: Request for lumbar MRI\nMember: Ann Example\n\n"
    "To the reviewer:\n\nI am writing to request an MRI of the lumbar spine (CPT 72148) for my patient, {visit}\n"
    "She has low back pain with a history of breast cancer (Z85.3) and weight loss.\n\nSincerely,\n/s/ Bo Example, DO\n"
)


@pytest.mark.parametrize(
    "visit",
    [
        "whom I\nexamined in the office on May 7, 2026.",
        "who was seen in our office today (05/08/2026).",
        "whom I saw on 4/30/26 in clinic.",
        "at her office visit on 04/20/2026 the exam showed focal tenderness.",
    ],
)
def test_a_letter_reporting_a_recent_examination_is_a_question_not_a_gap(visit):
    # Payers differ on taking a letter for the office note: a person decides, and the message
    # names the visit's date.
    text = _LETTER.format(visit=visit)
    assert document(text).doc_type == "letter_of_medical_necessity"
    report = check(
        ServiceRequest(service_codes=("72148",), request_date=date(2026, 5, 11), plan_type="commercial"), [document(text)]
    )
    row = requirement(report, "imaging.clinical-note-60d")
    assert row.status == "review" and "reports a visit on 2026-" in row.message


@pytest.mark.parametrize("visit", ["whom I examined in the office on November 2, 2025.", "whose symptoms are described below."])
def test_a_letter_is_dated_by_the_visit_it_reports_or_is_no_evaluation(visit):
    # The letter is recent; the examination it reports is not (or it reports none).
    assert status_of(_LETTER.format(visit=visit), "72148", date(2026, 5, 11), "imaging.clinical-note-60d") == "missing"


# --- member IDs --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "member_id"),
    [
        ("Insurance: Sierra Pines Health  -  Member ID SPH 0881-44720-03", "SPH0881-44720-03"),
        ("Insurance: Mesa Partners  ID MPX 55-0928-113  Group CU-STAFF", "MPX55-0928-113"),
        ("Patient: Ann Example   DOB 05/07/1976   ID ODC0092471836", "ODC0092471836"),
    ],
)
def test_a_member_id_with_a_printed_prefix_or_after_a_bare_id(line, member_id):
    assert [v.value for v in document(f"OFFICE VISIT\n{line}\n").fields["member_id"]] == [member_id]


@pytest.mark.parametrize("line", ["Patient ID 12345678   MRN 5551212", "ID clinic follow-up in 2 weeks", "Photo ID verified"])
def test_a_bare_id_in_running_text_is_no_member_id(line):
    assert "member_id" not in document(f"OFFICE VISIT\n{line}\n").fields


def test_a_state_id_and_a_plan_id_on_one_page_are_one_member():
    note = document("ONCOLOGY CONSULTATION\nPlan: River Medicaid Plan   CIN: ZQ48812N   Plan ID: RMP-63017725\n", "note.pdf")
    form = document("RIVER MEDICAID PLAN - Physician-administered drug PA\nMember: Ann Example | ID RMP-63017725\n", "form.pdf")
    report = check(
        ServiceRequest(service_codes=("J9271",), request_date=date(2026, 8, 20), plan_type="medicaid_managed_care"), [note, form]
    )
    assert requirement(report, "common.same-patient").status == "met"


@pytest.mark.parametrize("goals", ["Goals: 2 of 5 LTG met.", "STGs met 3/4; LTG in progress.", "Goals achieved: 2 of 4."])
def test_goals_met_as_therapists_abbreviate_them_show_progress(goals):
    note = f"PT PROGRESS REPORT\nDate of service: 02/25/2026\nPatient: Ann Example\n{goals}\nPlan: continue 2x/week.\n"
    assert status_of(note, "97110", date(2026, 3, 2), "therapy.functional-progress-note", episode="continuation") == "met"


# --- where a past history ends -------------------------------------------------------------------


def test_a_past_history_on_its_header_line_ends_at_the_blank_line():
    text = (
        "SLEEP MEDICINE CONSULTATION    Date of visit: 04/07/2026\nHPI: snoring, witnessed apneas.\n\n"
        "PMH: COPD GOLD 3; HTN; obesity.\nMeds: tiotropium, amlodipine.\n\nEpworth Sleepiness Scale: 14/24\n"
    )
    assert [a["assertion"] for _v, a in facts(text, "epworth")] == ["present"]


def test_a_past_history_heading_alone_keeps_its_list_past_a_blank_line():
    text = "OFFICE VISIT\nPast Medical History:\n\nLumbar radiculopathy M54.16, resolved 2019\nHTN\n"
    (d,) = [document(text)]
    assert [v.attributes["assertion"] for v in d.fields["icd10"]] == ["historical"]


def test_soap_letters_with_a_slash_open_their_sections():
    text = (
        "Progress note | DOS 2026-03-09\nS/ knee pain x 6 yrs.\nPMH: T2DM, HTN.\n"
        "O/ L knee: varus, crepitus. Imaging 2026-03-09: joint space narrowing, osteophytes; KL 3-4.\n"
        "A/ Primary OA L knee (M17.12).\n"
    )
    assert [a["assertion"] for _v, a in facts(text, "kl_grade")] == ["present"]


# --- blank form lines ----------------------------------------------------------------------------


def test_blank_form_lines_after_measure_names_give_no_value_and_end():
    # A leader split in pieces was tried in exponentially many ways: a blank "Migraine days per
    # month: ______" line never finished. Run apart, so that a regression fails instead of hanging.
    import subprocess
    import sys

    form = "\n".join(
        f"{name} {fill * 60} {tail}"
        for name in ("Migraine", "Headache days per month:", "Epworth score", "BMI", "AHI", "Ejection fraction", "Pain")
        for fill, tail in (("_", ""), (".", "none"), ("_ ", "n/a"))
    )
    code = (
        "import sys; from extractors.facts import extract_facts; from extractors.pagetext import PageText; "
        "from extractors.text_pages import page_from_text; "
        "vs = extract_facts(PageText(page_from_text(sys.stdin.read()))); "
        "print(sorted({v.name for v in vs if v.name not in ('signature',)}))"
    )
    done = subprocess.run([sys.executable, "-c", code], input=form, capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == "[]", done.stdout


# --- options not ticked, and the current value of a serial measure ------------------------------


def test_an_unticked_option_of_an_order_is_not_ordered():
    order = document(
        "DIAGNOSTIC IMAGING ORDER      Ordered: 06/01/2026\nPatient: Ann Example\n"
        "[ ] CT abd/pelvis WITH IV contrast (74177)\n[x] CT abd/pelvis WITHOUT contrast (74176)\n"
        "[ ] CT abd/pelvis without and with contrast (74178)\nOrdering provider: Bo Example, MD  NPI 1234567893\n"
    )
    assert [v.value for v in order.fields["cpt"]] == ["74176"]


def _bariatric(texts: list[str]) -> str:
    request = ServiceRequest(service_codes=("43644",), request_date=date(2026, 7, 15), plan_type="medicare_advantage")
    return requirement(check(request, [document(t, f"d{i}.pdf") for i, t in enumerate(texts)]), "bariatric.bmi-35").status


_WEIGHT_LOG = "SUPERVISED WEIGHT PROGRAM LOG\n  12/09/2025  PCP  247 lb  BMI 35.4\n  02/17/2026  RD  244 lb  BMI 35.0\n  06/16/2026  RD  241 lb  BMI {bmi}\n"


@pytest.mark.parametrize(("now", "status"), [("34.6", "missing"), ("35.2", "met")])
def test_a_bmi_threshold_is_met_by_the_latest_value(now, status):
    assert _bariatric([_WEIGHT_LOG.format(bmi=now)]) == status


def test_latest_values_that_disagree_are_a_question():
    note = "BARIATRIC SURGERY CONSULTATION   Date of visit: 06/30/2026\nWeight 2024 252 lb (BMI 36.2).\nEXAM: Wt 241 lb. BMI 34.6 kg/m2.\n"
    assert _bariatric([note]) == "review"


# --- whose NPI it is -----------------------------------------------------------------------------


def _roles(text: str) -> dict[str, str]:
    return {v.value: v.attributes["role"] for v in document(text).fields["npi"]}


def test_a_heading_over_two_columns_gives_each_npi_its_own_role():
    text = (
        "OUTPATIENT PRIOR AUTHORIZATION REQUEST\nORDERING / REQUESTING PROVIDER            RENDERING PROVIDER\n"
        "  Bo Example, MD                            Cy Example, MD\n  NPI 1234567893                            NPI 1245319599\n"
    )
    assert _roles(text) == {"1234567893": "ordering", "1245319599": "rendering"}


@pytest.mark.parametrize(
    "lines",
    [
        " Facility (OPD) ..... River Hospital\n                      NPI 1245319599\n Physician .......... Bo Example, MD\n                      NPI 1234567893\n",
        "Hospital OPD:     River Hospital\n                  NPI 1245319599\nPractitioner:     Bo Example, MD\n                  NPI 1234567893\n",
    ],
)
def test_a_physician_named_on_a_request_form_is_the_one_ordering(lines):
    roles = _roles("PRIOR AUTHORIZATION REQUEST - HOSPITAL OPD SERVICE\n" + lines)
    assert roles["1234567893"] == "ordering" and roles["1245319599"] == "facility"


def test_a_referring_physician_on_a_report_still_orders():
    text = "MRI LUMBAR SPINE REPORT\nReferring physician: Bo Example, MD  NPI 1234567893\nFINDINGS: disc bulge.\nIMPRESSION: no stenosis.\n"
    assert _roles(text) == {"1234567893": "ordering"}


@pytest.mark.parametrize(
    "line", ["Anticipated DOS: 03/17/2026", " Anticipated DOS .... 03/17/2026", "Anticipated date of service 03/17/2026"]
)
def test_the_anticipated_date_of_service_on_the_form_is_the_requests(line):
    form = f"HOSPITAL OPD PRIOR AUTHORIZATION REQUEST\nBeneficiary: Ann Example  MBI 1EG4TE5MK73\n{line}\n"
    request = ServiceRequest(service_codes=("15823",), request_date=date(2026, 2, 18), plan_type="medicare")
    assert requirement(check(request, [document(form)]), "medicare-opd.date-of-service").status == "met"


def test_a_notes_date_of_service_is_its_visit_not_the_requested_one():
    note = "OFFICE VISIT\nDate of service: 02/10/2026\nPatient: Ann Example\nDermatochalasis, superior field loss.\n"
    request = ServiceRequest(service_codes=("15823",), request_date=date(2026, 2, 18), plan_type="medicare")
    assert requirement(check(request, [document(note)]), "medicare-opd.date-of-service").status == "missing"


# --- procedure codes in lists and tables ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        (
            " Procedure(s) ....... 22551  ACDF, single interspace (C5-6)\n                      22552  each additional interspace\n",
            ["22551", "22552"],
        ),
        (
            "Procedures:       30465  Repair of nasal vestibular stenosis x1\n                  30520  Septoplasty x1\n",
            ["30465", "30520"],
        ),
        (
            "| 64493-50  facet jt inj w/ imaging, lumbar, single level    x1 |\n| 64494-50  second level (L5-S1)        x1 |\n",
            ["64493", "64494"],
        ),
        (
            " Line  Code    Mod   Description                          Units\n 1     93458         L heart cath + coronary angiography   1\n",
            ["93458"],
        ),
    ],
)
def test_codes_listed_under_a_label_or_in_a_numbered_table(text, codes):
    assert [v.value for v in document(f"PRIOR AUTHORIZATION REQUEST\n{text}").fields["cpt"]] == codes


def test_a_number_under_a_listed_code_that_starts_no_item_is_no_code():
    text = "Procedures:       30465  Repair of nasal valve\nMain office 12345 Elm St, Suite 2\n"
    assert [v.value for v in document(f"PRIOR AUTHORIZATION REQUEST\n{text}").fields["cpt"]] == ["30465"]


# --- the same patient, written two ways ---------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("Rafaela Montenegro-Shaw", "R. Montenegro-Shaw", True),
        ("MONTENEGRO-SHAW, RAFAELA", "Montenegro-Shaw, R", True),
        ("Rafaela Montenegro-Shaw", "J. Montenegro-Shaw", False),
        ("Rafaela Montenegro-Shaw", "Rafaela Okafor", False),
    ],
)
def test_a_first_name_written_as_its_initial_is_the_same_name(first, second, same):
    a = document(f"OFFICE VISIT\nPatient: {first}   DOB 09/09/1976\n", "a.pdf")
    b = document(f"IMAGING ORDER\nPatient: {second}   DOB 09/09/1976\n", "b.pdf")
    report = check(ServiceRequest(service_codes=("72141",), request_date=date(2026, 5, 20), plan_type="commercial"), [a, b])
    assert (requirement(report, "common.same-patient").status == "met") is same


@pytest.mark.parametrize(
    "line", ["Member / Ins ID:   XJP830047718   Group: 77025", "Health plan: Gulf Plains (PPO)   Ins ID: GPH-5530-21877"]
)
def test_ins_id_is_a_member_id_label(line):
    assert document(f"OFFICE VISIT\n{line}\n").fields["member_id"]


# --- facet blocks, cotinine, pain scores --------------------------------------------------------

_MBB1 = (
    "LEHIGH HOSPITAL -- PROCEDURE NOTE\nPatient: Ann Example   DOB 02/22/1952   Date: 06/30/2026\n"
    "Procedure: Bilateral L3-4 and L4-5 diagnostic lumbar medial branch blocks. #1 of 2.\n"
    "Medication: lidocaine 2%, 0.5 mL per target.\nPre-procedure NRS: 7/10.\nComplications: none.\n"
    "POST-BLOCK PAIN DIARY\n   time after block   30 min   1 h   2 h\n   NRS (0-10)           4       3     3\n"
    "   Best relief: 7 -> 3 = {relief}%. Duration of meaningful relief ~3 h.\nSigned: Bo Example, MD   06/30/2026\n"
)


def test_relief_written_as_scores_before_and_after_is_read_with_its_block():
    found = facts(_MBB1.format(relief=57), "pain_relief")
    assert [(v, a["after"]) for v, a in found] == [(57.0, "block")]


@pytest.mark.parametrize(("relief", "status"), [(57, "missing"), (86, "met")])
def test_a_second_block_asked_for_as_a_new_request_needs_the_first_blocks_relief(relief, status):
    request = ServiceRequest(service_codes=("64493",), request_date=date(2026, 7, 21), plan_type="medicare", episode="initial")
    report = check(request, [document(_MBB1.format(relief=relief))])
    assert requirement(report, "facet.second-block-relief").status == status


def test_a_first_block_needs_no_prior_relief():
    note = "PAIN CONSULT\nDate of visit: 07/01/2026\nAxial low back pain for 15 months, NRS 7/10.\n"
    request = ServiceRequest(service_codes=("64493",), request_date=date(2026, 7, 21), plan_type="medicare", episode="initial")
    ids = {r.id for r in check(request, [document(note)]).requirements}
    assert "facet.second-block-relief" not in ids


@pytest.mark.parametrize(
    ("text", "fact", "value"),
    [
        ("Baseline scores today: NRS average 7/10 (worst 9, best 5)", "pain_score", 7.0),
        ("Axial low back pain since June 2025 (~15 months). Dull, aching.", "symptom_duration", 65.17),
    ],
)
def test_a_pain_score_by_its_average_and_an_approximate_duration(text, fact, value):
    assert [v for v, _a in facts(f"OFFICE VISIT\n{text}\n", fact)] == [value]


def test_a_cotinine_below_the_assay_floor_meets_a_ceiling():
    lab = "LABORATORY REPORT\nCollected 02/16/2026\nCotinine, serum   < 2   < 10 (non-user)  ng/mL\n"
    note = "SPINE CLINIC NOTE\nDate of visit: 02/23/2026\nLABS: cotinine (serum) 02/16/2026 < 2 ng/mL.\n"
    request = ServiceRequest(service_codes=("22633",), request_date=date(2026, 4, 7), plan_type="commercial")
    report = check(request, [document(lab, "lab.pdf"), document(note, "note.pdf")])
    rows = [r for r in report.requirements if "cotinine" in r.id]
    assert rows and all(r.status == "met" for r in rows), [(r.id, r.status, r.message) for r in rows]


# --- functional limits and exercise plans as clinics write them --------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Symptoms limit standing > 2 h and walking > 20 min.",
        "ADLs: wife now helps with dressing; stopped driving.",
        "He cannot button shirts or use his phone keyboard.",
        "Failed conservative measures; ADLs limited.",
    ],
)
def test_functional_limits_as_clinics_write_them(text):
    assert facts(f"OFFICE VISIT\n{text}\n", "functional_limitation")


def test_stopping_a_medication_is_no_functional_limit():
    assert not facts("OFFICE VISIT\nShe stopped meloxicam in March.\n", "functional_limitation")


def test_calf_pump_exercises_since_a_month_are_an_exercise_plan_with_a_start():
    found = facts(
        "VEIN CLINIC VISIT\nDate of visit: 02/20/2026\n - Leg elevation and calf-pump exercises since 10/2025\n",
        "conservative_therapy",
    )
    assert ("home_exercise", "2025-10-31") in [(v, a.get("started")) for v, a in found]


# --- a trial written as a range of months ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Propranolol 80 mg/day, 10/2024 - 02/2025: no benefit.", "2024-10-31", "2025-02-01"),
        ("Topiramate 100 mg/day from 3/2024 to 8/2024, failed.", "2024-03-31", "2024-08-01"),
    ],
)
def test_a_range_of_months_beside_a_trial_dates_it_short(text, start, end):
    found = facts(f"NEUROLOGY NOTE\nDate of visit: 04/28/2026\n{text}\n", "failed_medication")
    assert [(a["date"], a["date_end"]) for _v, a in found] == [(start, end)]


def test_a_botox_request_form_gives_the_dose_and_sites():
    form = (
        "HOSPITAL OPD PRIOR AUTHORIZATION REQUEST\nDate: 05/01/2026\nDose/sites: 155 units, 31 sites, 7 head/neck muscle areas\n"
    )
    request = ServiceRequest(service_codes=("64615",), request_date=date(2026, 5, 5), plan_type="medicare")
    assert requirement(check(request, [document(form)]), "botox.dose-sites").status == "met"
