"""Sleep-study cases from invented practices. Every person, ID, address and phone number here
is made up."""

from __future__ import annotations

from datetime import date

from sample_docs.layout import Practice, Section
from sample_docs.spec import (
    PSG_REQUIREMENTS,
    SLEEP_STUDY_REQUIREMENTS,
    Case,
    FileSpec,
    Patient,
    Provider,
    expect,
    fact,
    icd,
    note,
    npi_entry,
    order,
)


def sleep_complete_text() -> Case:
    practice = Practice(
        "Sonoran Sleep & Pulmonary Center",
        "6565 E Greenway Pkwy, Suite 102",
        "Scottsdale",
        "AZ",
        "85254",
        "(480) 555-0145",
        "(480) 555-0146",
    )
    patient = Patient(
        "O'Halloran",
        "Dorian",
        "P",
        date(1969, 2, 11),
        "M",
        "SSP-310558",
        "6620041857",
        "YQR663018842",
        "Saguaro Mutual Health",
        "0091455",
        "(480) 555-0193",
    )
    doctor = Provider("Imelda Fairbanks-Cho, MD", "1558598797", True)
    lab = Provider("Sonoran Sleep Lab", "1234567893", True, role="facility")
    decoys = ("85254", "(480) 555-0145", "(480) 555-0146", "SSP-310558", "6620041857")
    the_order = order(
        title="SLEEP STUDY ORDER",
        practice=practice,
        patient=patient,
        d=date(2026, 8, 12),
        provider=doctor,
        exams=(("CPT 95810", "Polysomnography, attended, in-lab, 4 or more parameters"),),
        diagnoses=(("G47.33", "Obstructive sleep apnea (adult)"), ("R06.83", "Snoring")),
        indication="Loud snoring, witnessed apneas, Epworth 14, BMI 37.8. Prior home sleep apnea test (03/2025) technically inadequate.",
        priority="[X] Routine   [ ] Urgent",
        facility=("Sonoran Sleep Lab", "6565 E Greenway Pkwy, Suite 104, Scottsdale, AZ 85254", lab),
        truth={
            "npi": [npi_entry(doctor), npi_entry(lab)],
            "cpt": ["95810"],
            "hcpcs": [],
            "icd10": [icd("G47.33"), icd("R06.83")],
        },
        facts={"epworth": [fact(14)], "bmi": [fact(37.8)]},
        decoys=decoys + ("(480) 555-0193",),
    )
    the_note = note(
        title="SLEEP MEDICINE CONSULTATION",
        practice=practice,
        patient=patient,
        d=date(2026, 7, 28),
        provider=doctor,
        visit="New patient consultation",
        show_member_id=True,
        sections=(
            Section(
                "Reason for Referral", ("Loud snoring and daytime sleepiness. Referred by Dr. Lionel Baptiste, primary care.",)
            ),
            Section(
                "History of Present Illness",
                (
                    "Mr. O'Halloran is a 57-year-old man with loud nightly snoring for more than 5 years. His wife has witnessed apneas with "
                    "gasping several times a week. He wakes unrefreshed, dozes while reading and once nodded off at a red light. "
                    "Epworth Sleepiness Scale score 14/24.",
                    "A home sleep apnea test in 03/2025 was technically inadequate: 1.6 hours of valid recording, AHI 4.2 on that limited data.",
                ),
            ),
            Section("Past Medical History", ("Essential hypertension (I10). Obesity (E66.9). Gastroesophageal reflux (K21.9).",)),
            Section("Medications", ("Amlodipine 10 mg daily, hydrochlorothiazide 25 mg daily, omeprazole 20 mg daily.",)),
            Section(
                "Physical Examination",
                (
                    "Height 5 ft 11 in, weight 271 lb, BMI 37.8 kg/m2 (Z68.37). Neck circumference 18.5 in. BP 148/92, HR 84, "
                    "SpO2 95% on room air. Mallampati class IV, mild retrognathia, tonsils not enlarged.",
                ),
            ),
            Section(
                "Assessment",
                (
                    "1. Obstructive sleep apnea, adult (G47.33), moderate to severe by history; severity to be measured by polysomnography.",
                    "2. Snoring (R06.83). 3. Obesity with BMI 37.8 and hypertension, both worsened by untreated sleep apnea.",
                ),
            ),
            Section(
                "Plan",
                (
                    "Attended in-laboratory polysomnography (CPT 95810) because the prior home test was inadequate. Sleep hygiene counseling. "
                    "Weight management referral. Return after the study to review results and treatment options.",
                ),
            ),
        ),
        truth={
            "npi": [npi_entry(doctor)],
            "cpt": ["95810"],
            "hcpcs": [],
            "icd10": [icd("I10"), icd("E66.9"), icd("K21.9"), icd("Z68.37"), icd("G47.33"), icd("R06.83")],
        },
        facts={"epworth": [fact(14)], "bmi": [fact(37.8)], "ahi": [fact(4.2, "historical")]},
        decoys=decoys + ("148/92", "18.5 in", "SpO2 95%"),
    )
    return Case(
        case_id="sleep_complete_text",
        description="In-lab polysomnography, commercial, Arizona: text PDFs of the order and a sleep consultation with Epworth 14, "
        "BMI 37.8, witnessed apneas and G47.33. An old inadequate home test (AHI 4.2, historical) is mentioned.",
        request={
            "service_codes": ["95810"],
            "payer_name": patient.payer,
            "plan_type": "commercial",
            "state": "AZ",
            "urgency": "standard",
            "request_date": "2026-08-17",
        },
        files=(FileSpec("order.pdf", "text_pdf", (the_order,)), FileSpec("sleep_consult.pdf", "text_pdf", (the_note,))),
        expected=expect(PSG_REQUIREMENTS, missing=("sleep.psg-comorbidity", "sleep.psg-non-osa-disorder")),
    )


def sleep_photo_incomplete() -> Case:
    practice = Practice(
        "Snohomish Valley Family Practice",
        "2930 Colby Ave, Suite 5",
        "Everett",
        "WA",
        "98201",
        "(425) 555-0119",
        "(425) 555-0120",
    )
    patient = Patient(
        "Featherstone",
        "Lucinda",
        "M",
        date(1974, 10, 30),
        "F",
        "SVF-118204",
        "7001523",
        "208463917WA",
        "Cascadia Community Health (Apple Health)",
        None,
        "(425) 555-0182",
    )
    provider = Provider("Theodore Mbeki-Sandoval, ARNP", "1741852036", True)
    the_order = order(
        title="HOME SLEEP TEST ORDER",
        practice=practice,
        patient=patient,
        d=date(2026, 4, 29),
        provider=provider,
        exams=(("CPT 95806", "Home sleep apnea test, unattended"),),
        diagnoses=(("G47.30", "Sleep apnea, unspecified"), ("R06.83", "Snoring")),
        indication="Snoring and daytime fatigue. Evaluate for obstructive sleep apnea.",
        priority="[X] Routine   [ ] Urgent",
        facility=("Puget Sleep Diagnostics", "1100 Pacific Ave, Everett, WA 98201", None),
        truth={"npi": [npi_entry(provider)], "cpt": ["95806"], "hcpcs": [], "icd10": [icd("G47.30"), icd("R06.83")]},
        decoys=("98201", "(425) 555-0119", "(425) 555-0120", "SVF-118204", "7001523", "(425) 555-0182"),
        size=11,
    )
    return Case(
        case_id="sleep_photo_incomplete",
        description="Home sleep apnea test, Washington Apple Health (ProviderOne ID): one phone photo of the order, turned in the "
        "pixels (no EXIF orientation). No evaluation note, so the note, Epworth and BMI are missing.",
        request={
            "service_codes": ["95806"],
            "payer_name": patient.payer,
            "plan_type": "medicaid",
            "state": "WA",
            "urgency": "standard",
            "request_date": "2026-05-04",
        },
        files=(FileSpec("photo_order_rotated270.jpg", "photo_jpeg", (the_order,), rotation=270),),
        expected=expect(SLEEP_STUDY_REQUIREMENTS, missing=("sleep.evaluation-note", "sleep.epworth", "sleep.bmi")),
    )


CASES = (sleep_complete_text, sleep_photo_incomplete)
