"""Lumbar MRI cases from invented Arizona practices. Every person, ID, address and phone
number here is made up; 555-01xx numbers are reserved for fiction."""

from __future__ import annotations

from datetime import date

from sample_docs.layout import Practice, Section
from sample_docs.spec import (
    MRI_LUMBAR_REQUIREMENTS,
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
    therapy,
    weeks,
)

MRI_EXAM = ("CPT 72148", "MRI lumbar spine without contrast")
ROUTINE = "[X] Routine   [ ] Urgent"


def mri_complete_text() -> Case:
    practice = Practice(
        "Desert Ridge Spine & Family Medicine",
        "2150 N Central Ave, Suite 310",
        "Phoenix",
        "AZ",
        "85004",
        "(602) 555-0143",
        "(602) 555-0144",
    )
    patient = Patient(
        "Marlowe",
        "Quentin",
        "A",
        date(1978, 4, 17),
        "M",
        "2004417829",
        "7730019264",
        "XKJ814402397",
        "Saguaro Mutual Health",
        "0087321",
        "(602) 555-0178",
    )
    doctor = Provider("Helena Park-Whitfield, MD", "1648293078", True)
    facility = Provider("Camelback Imaging Center", "1703645824", True, role="facility")
    contact_decoys = ("85004", "(602) 555-0143", "(602) 555-0144", "2004417829", "7730019264")
    the_order = order(
        title="DIAGNOSTIC IMAGING ORDER",
        practice=practice,
        patient=patient,
        d=date(2026, 10, 30),
        provider=doctor,
        exams=(MRI_EXAM,),
        diagnoses=(("M54.16", "Radiculopathy, lumbar region"),),
        indication="Low back pain radiating to the left leg for 9 weeks. Completed 6 weeks of physical therapy without relief; failed naproxen.",
        priority=ROUTINE,
        facility=("Camelback Imaging Center", "4410 E Camelback Rd, Phoenix, AZ 85018", facility),
        truth={"npi": [npi_entry(doctor), npi_entry(facility)], "cpt": ["72148"], "hcpcs": [], "icd10": [icd("M54.16")]},
        facts={
            "symptom_duration": [weeks(9)],
            "conservative_therapy": [
                therapy("physical_therapy", duration_weeks=6, outcome="failed"),
                therapy("nsaid", duration_weeks=None, outcome="failed"),
            ],
        },
        decoys=contact_decoys + ("(602) 555-0178", "85018"),
    )
    the_note = note(
        title="PROGRESS NOTE",
        practice=practice,
        patient=patient,
        d=date(2026, 10, 12),
        provider=doctor,
        visit="Follow-up, established patient",
        sections=(
            Section("Chief Complaint", ("Low back pain radiating down the left leg.",)),
            Section(
                "History of Present Illness",
                (
                    "Mr. Marlowe is a 48-year-old man seen in follow-up for low back pain that began 9 weeks ago after lifting a water heater. "
                    "The pain radiates from the left buttock down the posterior thigh to the lateral calf, with intermittent numbness of the left lateral foot.",
                    "He completed 6 weeks of physical therapy (12 sessions, 08/24/2026 to 10/05/2026) without relief. He took naproxen 500 mg twice daily "
                    "for 4 weeks with no meaningful improvement and stopped it because of stomach upset. Pain is 7/10 and limits sitting at work. "
                    "He denies saddle anesthesia and denies bowel or bladder changes.",
                ),
            ),
            Section(
                "Past Medical History",
                (
                    "History of kidney stones (2015, passed spontaneously). Hypertension, controlled on medication. No prior spine surgery.",
                ),
            ),
            Section(
                "Medications", ("Lisinopril 10 mg daily. Acetaminophen 500 mg as needed. Naproxen discontinued 09/30/2026.",)
            ),
            Section("Allergies", ("Sulfa drugs (rash).",)),
            Section(
                "Physical Examination",
                (
                    "BP 132/84, HR 76, weight 201 lb, BMI 29.1. Lumbar paraspinal tenderness. Straight-leg raise positive on the left at 40 degrees. "
                    "Strength 5/5 in both lower extremities, including ankle dorsiflexion. Decreased sensation over the left lateral foot. "
                    "Achilles reflex 1+ on the left, 2+ on the right. Gait normal.",
                ),
            ),
            Section(
                "Data Reviewed",
                (
                    "Lumbar spine X-ray 09/28/2026 (accession A26118734): mild disc space narrowing at L4-L5, no fracture or listhesis.",
                    "Labs 10/05/2026: creatinine 0.9 mg/dL, eGFR 96 mL/min/1.73m2, WBC 6.8 K/uL, HbA1c 5.6%.",
                ),
            ),
            Section(
                "Assessment",
                (
                    "1. Lumbar radiculopathy, left L5 distribution (M54.16), persistent after 9 weeks despite physical therapy and an NSAID.",
                    "2. Essential hypertension (I10), stable.",
                ),
            ),
            Section(
                "Plan",
                (
                    "Order MRI lumbar spine without contrast (CPT 72148) to evaluate for disc herniation and nerve root compression "
                    "before referral for an epidural steroid injection. Continue the home exercise program. Follow up after the MRI.",
                ),
            ),
        ),
        truth={"npi": [npi_entry(doctor)], "cpt": ["72148"], "hcpcs": [], "icd10": [icd("M54.16"), icd("I10")]},
        facts={
            "symptom_duration": [weeks(9)],
            "conservative_therapy": [
                therapy("physical_therapy", duration_weeks=6, outcome="failed"),
                therapy("nsaid", duration_weeks=4, outcome="failed"),
                therapy("home_exercise", duration_weeks=None, outcome="unknown"),
                therapy("injection", duration_weeks=None, outcome="unknown", assertion="hypothetical"),
            ],
            "red_flag": [
                fact("saddle_anesthesia", "negated"),
                fact("bowel_bladder_dysfunction", "negated"),
                fact("fracture", "negated"),
            ],
            "bmi": [fact(29.1)],
        },
        decoys=contact_decoys + ("A26118734", "eGFR 96", "HbA1c 5.6%", "132/84"),
    )
    return Case(
        case_id="mri_complete_text",
        description="Lumbar MRI, commercial, Arizona: clean text PDFs; 9 weeks of symptoms, 6 weeks of failed PT, failed NSAID. "
        "Decoys: ZIP, phones, 10-digit MRN that fails the NPI check, an accession number shaped like an AHCCCS ID, lab values.",
        request={
            "service_codes": ["72148"],
            "payer_name": patient.payer,
            "plan_type": "commercial",
            "state": "AZ",
            "urgency": "standard",
            "request_date": "2026-11-02",
        },
        files=(FileSpec("order.pdf", "text_pdf", (the_order,)), FileSpec("progress_note.pdf", "text_pdf", (the_note,))),
        expected=expect(MRI_LUMBAR_REQUIREMENTS, missing=("mri-lumbar.red-flag",)),
    )


def mri_no_conservative_scan() -> Case:
    practice = Practice(
        "Santa Rita Community Health Center", "1875 E Speedway Blvd", "Tucson", "AZ", "85719", "(520) 555-0121", "(520) 555-0122"
    )
    patient = Patient(
        "Tafoya-Betts",
        "Rosalind",
        "",
        date(1991, 9, 3),
        "F",
        "TC-558201",
        "300194877",
        "A31847562",
        "Verde Valley Community Plan (AHCCCS)",
        None,
        "(520) 555-0167",
    )
    doctor = Provider("Mateo Arriaga-Lund, DO", "1182937460", True)
    decoys = ("85719", "(520) 555-0121", "(520) 555-0122", "TC-558201", "300194877")
    d = date(2026, 9, 11)
    the_order = order(
        title="RADIOLOGY REQUISITION",
        practice=practice,
        patient=patient,
        d=d,
        provider=doctor,
        exams=(MRI_EXAM,),
        diagnoses=(("M54.50", "Low back pain, unspecified"),),
        indication="Low back pain for 2 weeks after a fall from a step stool. Imaging requested by the patient.",
        priority=ROUTINE,
        facility=("Tucson Open MRI", "3301 N Campbell Ave, Tucson, AZ 85719", None),
        truth={"npi": [npi_entry(doctor)], "cpt": ["72148"], "hcpcs": [], "icd10": [icd("M54.50")]},
        facts={"symptom_duration": [weeks(2)]},
        decoys=decoys + ("(520) 555-0167",),
    )
    the_note = note(
        title="PROGRESS NOTE",
        practice=practice,
        patient=patient,
        d=d,
        provider=doctor,
        visit="Acute visit",
        sections=(
            Section("Chief Complaint", ("Low back pain for 2 weeks.",)),
            Section(
                "History of Present Illness",
                (
                    "Ms. Tafoya-Betts is a 35-year-old woman with low back pain for 2 weeks that began after she slipped from a step stool at home. "
                    "The pain is across the lower back without radiation below the knee. She has taken ibuprofen 400 mg for the past 5 days with partial relief. "
                    "She has not tried physical therapy. No saddle anesthesia, no bowel or bladder dysfunction.",
                ),
            ),
            Section(
                "Past Medical History",
                ("History of lumbar radiculopathy (M54.16) in 2019, resolved. Asthma, mild intermittent (J45.909).",),
            ),
            Section("Medications", ("Ibuprofen 400 mg every 8 hours as needed. Albuterol inhaler as needed.",)),
            Section(
                "Physical Examination",
                (
                    "BP 118/76, HR 82. Tenderness over the lower lumbar paraspinal muscles. Straight-leg raise negative bilaterally. "
                    "Strength, sensation and reflexes normal in both legs.",
                ),
            ),
            Section("Assessment", ("Acute mechanical low back pain, unspecified (M54.50), after a minor fall.",)),
            Section(
                "Plan",
                (
                    "MRI lumbar spine without contrast (72148) ordered at the patient's request. Referral to physical therapy placed. "
                    "Continue ibuprofen. Return in 4 weeks if not improved.",
                ),
            ),
        ),
        truth={
            "npi": [npi_entry(doctor)],
            "cpt": ["72148"],
            "hcpcs": [],
            "icd10": [icd("M54.16", "historical"), icd("J45.909"), icd("M54.50")],
        },
        facts={
            "symptom_duration": [weeks(2)],
            "conservative_therapy": [
                therapy("nsaid", duration_weeks=0.7, outcome="improved"),
                therapy("physical_therapy", duration_weeks=None, outcome="unknown", assertion="negated"),
                therapy("physical_therapy", duration_weeks=None, outcome="unknown", assertion="hypothetical"),
            ],
            "red_flag": [fact("saddle_anesthesia", "negated"), fact("bowel_bladder_dysfunction", "negated")],
        },
        decoys=decoys + ("118/76",),
    )
    return Case(
        case_id="mri_no_conservative_scan",
        description="Lumbar MRI, AHCCCS (Arizona Medicaid): one 300-DPI scanned PDF holding the order (page 1) and the note (page 2). "
        "2 weeks of pain, PT negated, red flags negated, an old radiculopathy code in the PMH (historical): conservative care or red flag missing.",
        request={
            "service_codes": ["72148"],
            "payer_name": patient.payer,
            "plan_type": "medicaid",
            "state": "AZ",
            "urgency": "standard",
            "request_date": "2026-09-14",
        },
        files=(FileSpec("scan_order_and_note_300dpi.pdf", "scan_pdf", (the_order, the_note), dpi=300),),
        expected=expect(
            MRI_LUMBAR_REQUIREMENTS,
            missing=(
                "mri-lumbar.conservative-care-or-red-flag",
                "mri-lumbar.conservative-care-6w",
                "mri-lumbar.red-flag",
            ),
        ),
    )


def mri_invalid_npi_scan200() -> Case:
    practice = Practice(
        "Camelback Family Physicians", "3033 N 44th St, Suite 120", "Phoenix", "AZ", "85018", "(602) 555-0161", "(602) 555-0162"
    )
    patient = Patient(
        "Wren",
        "Tobias",
        "J",
        date(1983, 1, 8),
        "M",
        "CFP-448120",
        "900117342",
        "ZGH550193827",
        "Copper State Health Alliance",
        "CSHA-30112",
        "(480) 555-0126",
    )
    # The check digit of 147755239 is 6: this printed NPI is a typo, and it is the only NPI.
    doctor = Provider("Daniela Vukovic, MD", "1477552390", False)
    decoys = ("85018", "(602) 555-0161", "(602) 555-0162", "CFP-448120", "900117342")
    the_order = order(
        title="OUTPATIENT IMAGING ORDER",
        practice=practice,
        patient=patient,
        d=date(2026, 2, 5),
        provider=doctor,
        exams=(MRI_EXAM,),
        diagnoses=(("M54.42", "Lumbago with sciatica, left side"),),
        indication="Low back pain with left sciatica for 10 weeks despite 6 weeks of physical therapy and a muscle relaxant.",
        priority=ROUTINE,
        facility=("Biltmore Diagnostic Imaging", "2222 E Highland Ave, Phoenix, AZ 85016", None),
        truth={"npi": [npi_entry(doctor)], "cpt": ["72148"], "hcpcs": [], "icd10": [icd("M54.42")]},
        facts={
            "symptom_duration": [weeks(10)],
            "conservative_therapy": [
                therapy("physical_therapy", duration_weeks=6, outcome="failed"),
                therapy("muscle_relaxant", duration_weeks=None, outcome="failed"),
            ],
        },
        decoys=decoys + ("(480) 555-0126", "85016"),
    )
    the_note = note(
        title="PROGRESS NOTE",
        practice=practice,
        patient=patient,
        d=date(2026, 1, 22),
        provider=doctor,
        visit="Follow-up",
        font="Helvetica",
        size=10.5,
        sections=(
            Section("Chief Complaint", ("Low back pain with pain down the left leg.",)),
            Section(
                "History of Present Illness",
                (
                    "Mr. Wren is a 43-year-old man with low back pain and left sciatica for 8 weeks. He has attended physical therapy twice weekly "
                    "for 6 weeks with minimal improvement, and took cyclobenzaprine 10 mg at bedtime for 3 weeks without benefit. "
                    "No saddle anesthesia and no bladder or bowel changes.",
                ),
            ),
            Section("Past Medical History", ("Gastroesophageal reflux disease (K21.9). Generalized anxiety disorder (F41.1).",)),
            Section(
                "Physical Examination",
                (
                    "BP 124/80. Positive straight-leg raise on the left at 50 degrees. Strength 5/5. Sensation intact. Reflexes 2+ and symmetric.",
                ),
            ),
            Section(
                "Assessment", ("Lumbago with left-sided sciatica (M54.42), not improved after 6 weeks of physical therapy.",)
            ),
            Section("Plan", ("MRI lumbar spine without contrast (72148). Continue home exercises. Follow up after imaging.",)),
        ),
        truth={"npi": [npi_entry(doctor)], "cpt": ["72148"], "hcpcs": [], "icd10": [icd("K21.9"), icd("F41.1"), icd("M54.42")]},
        facts={
            "symptom_duration": [weeks(8)],
            "conservative_therapy": [
                therapy("physical_therapy", duration_weeks=6, outcome="failed"),
                therapy("muscle_relaxant", duration_weeks=3, outcome="failed"),
                therapy("home_exercise", duration_weeks=None, outcome="unknown"),
            ],
            "red_flag": [fact("saddle_anesthesia", "negated"), fact("bowel_bladder_dysfunction", "negated")],
        },
        decoys=decoys + ("124/80",),
    )
    return Case(
        case_id="mri_invalid_npi_scan200",
        description="Lumbar MRI, commercial, Arizona: a 200-DPI scanned PDF (order page 1, note page 2), clinically complete, but the only "
        "NPI printed has a wrong check digit, so the ordering-NPI requirement is missing.",
        request={
            "service_codes": ["72148"],
            "payer_name": patient.payer,
            "plan_type": "commercial",
            "state": "AZ",
            "urgency": "standard",
            "request_date": "2026-02-09",
        },
        files=(FileSpec("scan_order_and_note_200dpi.pdf", "scan_pdf", (the_order, the_note), dpi=200),),
        expected=expect(MRI_LUMBAR_REQUIREMENTS, missing=("common.ordering-npi", "mri-lumbar.red-flag")),
    )


CASES = (mri_complete_text, mri_no_conservative_scan, mri_invalid_npi_scan200)
