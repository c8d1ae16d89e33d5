"""Lumbar MRI cases whose PDF text layer must not be trusted: a scan under a glyph-soup text layer
(Colorado Medicaid) and a file mixing text pages with a scanned page (AHCCCS). Every person, ID,
address and phone number here is made up."""

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


def mri_glyph_soup_scan() -> Case:
    practice = Practice(
        "Pikes Peak Family & Sports Medicine",
        "2727 N Cascade Ave, Suite 140",
        "Colorado Springs",
        "CO",
        "80907",
        "(719) 555-0134",
        "(719) 555-0135",
    )
    patient = Patient(
        "Okafor",
        "Adaeze",
        "N",
        date(1988, 3, 9),
        "F",
        "PPF-7723091",
        "40018273",
        "K482917",
        "Health First Colorado (Colorado Medicaid)",
        None,
        "(719) 555-0186",
    )
    doctor = Provider("Soren Halvorsen-Reyes, MD", "1260181593", True)
    facility = Provider("Garden of the Gods Imaging", "2960308247", True, role="facility")
    decoys = ("80907", "(719) 555-0134", "(719) 555-0135", "PPF-7723091", "40018273")
    the_order = order(
        title="RADIOLOGY ORDER",
        practice=practice,
        patient=patient,
        d=date(2026, 4, 20),
        provider=doctor,
        exams=(MRI_EXAM,),
        diagnoses=(("M54.41", "Lumbago with sciatica, right side"),),
        indication="Low back pain with right-sided sciatica for 7 weeks. Six weeks of physical therapy and meloxicam have not helped.",
        priority="[X] Routine   [ ] Urgent",
        facility=("Garden of the Gods Imaging", "1625 Medical Center Pt, Colorado Springs, CO 80907", facility),
        truth={"npi": [npi_entry(doctor), npi_entry(facility)], "cpt": ["72148"], "hcpcs": [], "icd10": [icd("M54.41")]},
        facts={
            "symptom_duration": [weeks(7)],
            "conservative_therapy": [
                therapy("physical_therapy", duration_weeks=6, outcome="failed"),
                therapy("nsaid", duration_weeks=None, outcome="failed"),
            ],
        },
        decoys=decoys + ("(719) 555-0186",),
    )
    the_note = note(
        title="PROGRESS NOTE",
        practice=practice,
        patient=patient,
        d=date(2026, 4, 14),
        provider=doctor,
        visit="Follow-up",
        sections=(
            Section("Chief Complaint", ("Right-sided low back pain shooting into the right calf.",)),
            Section(
                "History of Present Illness",
                (
                    "Ms. Okafor is a 38-year-old warehouse supervisor with low back pain radiating down the back of the right leg to the "
                    "calf for 7 weeks, since she moved pallets by hand during an inventory count. She has completed 6 weeks of physical "
                    "therapy (two sessions a week since 03/03/2026) and has taken meloxicam 15 mg daily for 5 weeks; neither has helped, "
                    "and the pain still wakes her at night. Cyclobenzaprine 5 mg at bedtime was prescribed but she has rarely taken it.",
                    "She denies saddle anesthesia and has had no bowel or bladder incontinence.",
                ),
            ),
            Section(
                "Past Medical History",
                (
                    "Gestational diabetes (O24.419) during her 2021 pregnancy, resolved after delivery. Iron deficiency anemia (D50.9), "
                    "on oral iron.",
                ),
            ),
            Section(
                "Medications",
                ("Meloxicam 15 mg daily. Ferrous sulfate 325 mg daily. Cyclobenzaprine 5 mg at bedtime as needed.",),
            ),
            Section(
                "Physical Examination",
                (
                    "BP 116/72, HR 70, weight 164 lb. Tender over the right sacroiliac joint and lower lumbar spine. Straight-leg raise "
                    "positive on the right at 35 degrees. Right ankle reflex diminished; light touch reduced over the lateral right foot; "
                    "strength 5/5 throughout.",
                ),
            ),
            Section(
                "Data Reviewed",
                (
                    "Labs 04/02/2026: hemoglobin 11.4 g/dL, ferritin 9 ng/mL. Lumbar spine X-ray 03/02/2026: normal alignment, no fracture.",
                ),
            ),
            Section(
                "Assessment",
                (
                    "1. Lumbago with right-sided sciatica (M54.41), not improved after 6 weeks of physical therapy and an NSAID.",
                    "2. Iron deficiency anemia (D50.9), improving.",
                ),
            ),
            Section(
                "Plan",
                (
                    "MRI lumbar spine without contrast (CPT 72148). Continue the home exercise program from physical therapy. "
                    "Recheck hemoglobin in 3 months.",
                ),
            ),
        ),
        truth={
            "npi": [npi_entry(doctor)],
            "cpt": ["72148"],
            "hcpcs": [],
            "icd10": [icd("O24.419", "historical"), icd("D50.9"), icd("M54.41")],
        },
        facts={
            "symptom_duration": [weeks(7)],
            "conservative_therapy": [
                therapy("physical_therapy", duration_weeks=6, outcome="failed"),
                therapy("nsaid", duration_weeks=5, outcome="failed"),
                therapy("muscle_relaxant", duration_weeks=None, outcome="unknown"),
                therapy("home_exercise", duration_weeks=None, outcome="unknown"),
            ],
            "red_flag": [
                fact("saddle_anesthesia", "negated"),
                fact("bowel_bladder_dysfunction", "negated"),
                fact("fracture", "negated"),
            ],
        },
        decoys=decoys + ("116/72", "11.4 g/dL", "9 ng/mL"),
    )
    return Case(
        case_id="mri_glyph_soup_scan",
        description="Lumbar MRI, Health First Colorado (Medicaid): a 300-DPI 'searchable' scan of the order and the note whose "
        "invisible text layer is glyph soup (a font with no Unicode map), so the pages must be OCRed. 7 weeks of sciatica, "
        "6 weeks of failed PT and an NSAID; an old gestational diabetes code is historical.",
        request={
            "service_codes": ["72148"],
            "payer_name": patient.payer,
            "plan_type": "medicaid",
            "state": "CO",
            "urgency": "standard",
            "request_date": "2026-04-22",
        },
        files=(FileSpec("searchable_scan_order_and_note.pdf", "scan_pdf", (the_order, the_note), dpi=300, layer="glyph_soup"),),
        expected=expect(MRI_LUMBAR_REQUIREMENTS, missing=("mri-lumbar.red-flag",)),
    )


def mri_mixed_text_and_scan() -> Case:
    practice = Practice(
        "Superstition Springs Family Clinic",
        "6750 E Baywood Ave, Suite 201",
        "Mesa",
        "AZ",
        "85206",
        "(480) 555-0158",
        "(480) 555-0159",
    )
    patient = Patient(
        "Nakai-Whitmore",
        "Delbert",
        "R",
        date(1959, 11, 23),
        "M",
        "SSF-201947",
        "5561029",
        "A60215834",
        "Sonoran Desert Health Plan (AHCCCS)",
        None,
        "(480) 555-0107",
    )
    nurse_practitioner = Provider("Graciela Montoya-Fenn, NP", "1830166132", True)
    decoys = ("85206", "(480) 555-0158", "(480) 555-0159", "SSF-201947", "5561029")
    the_order = order(
        title="OUTPATIENT RADIOLOGY ORDER",
        practice=practice,
        patient=patient,
        d=date(2026, 7, 9),
        provider=nurse_practitioner,
        exams=(MRI_EXAM,),
        diagnoses=(
            ("M51.26", "Other intervertebral disc displacement, lumbar region"),
            ("M54.16", "Radiculopathy, lumbar region"),
        ),
        indication="Left leg radicular pain for 12 weeks; failed 8 weeks of physical therapy, naproxen and a methylprednisolone taper. "
        "Chronic kidney disease: no gadolinium.",
        priority="[X] Routine   [ ] Urgent",
        facility=("East Valley Diagnostic Imaging", "5402 E Southern Ave, Mesa, AZ 85206", None),
        truth={"npi": [npi_entry(nurse_practitioner)], "cpt": ["72148"], "hcpcs": [], "icd10": [icd("M51.26"), icd("M54.16")]},
        facts={
            "symptom_duration": [weeks(12)],
            "conservative_therapy": [
                therapy("physical_therapy", duration_weeks=8, outcome="failed"),
                therapy("nsaid", duration_weeks=None, outcome="failed"),
                therapy("oral_steroid", duration_weeks=None, outcome="failed"),
            ],
        },
        decoys=decoys + ("(480) 555-0107",),
        size=10,
    )
    the_note = note(
        title="PROGRESS NOTE",
        practice=practice,
        patient=patient,
        d=date(2026, 7, 8),
        provider=nurse_practitioner,
        visit="Follow-up, established patient",
        show_member_id=True,
        sections=(
            Section("Chief Complaint", ("Pain from the low back into the left shin and top of the foot, now 12 weeks.",)),
            Section(
                "History of Present Illness",
                (
                    "Mr. Nakai-Whitmore is a 66-year-old retired bus mechanic with left-sided low back pain radiating to the shin and the "
                    "top of the left foot for 12 weeks. It began after he lifted a transmission at a friend's garage in mid-April.",
                    "He finished 8 weeks of physical therapy on 06/26/2026 with no meaningful change. Naproxen 500 mg twice daily for "
                    "6 weeks did not help and was stopped in June because of his kidney function. A 6-day methylprednisolone taper in May "
                    "gave 2 days of relief, then the pain returned. He now walks with a cane for longer distances.",
                    "No saddle anesthesia. No bowel or bladder incontinence.",
                ),
            ),
            Section(
                "Past Medical History",
                (
                    "Type 2 diabetes mellitus (E11.9), on metformin. Chronic kidney disease stage 3a (N18.31). Hypertension (I10). "
                    "Diabetic polyneuropathy (E11.42) was considered and ruled out: monofilament sensation normal in both feet and the "
                    "symptoms are one-sided.",
                ),
            ),
            Section(
                "Medications",
                ("Metformin 500 mg twice daily. Losartan 50 mg daily. Acetaminophen 650 mg up to three times daily.",),
            ),
            Section(
                "Physical Examination",
                (
                    "BP 138/86, HR 74, BMI 31.0. Straight-leg raise positive on the left at 40 degrees. Left great toe extension 4+/5, "
                    "otherwise 5/5. Decreased light touch over the dorsum of the left foot. Reflexes 1+ and symmetric at the ankles.",
                ),
            ),
            Section(
                "Data Reviewed",
                ("Labs 06/30/2026: creatinine 1.4 mg/dL, eGFR 54 mL/min/1.73m2, HbA1c 7.2%, potassium 4.6 mmol/L.",),
            ),
            Section(
                "Assessment",
                (
                    "1. Lumbar disc displacement (M51.26) with left L5 radiculopathy (M54.16), 12 weeks, not improved with physical "
                    "therapy, an NSAID and an oral steroid.",
                    "2. Type 2 diabetes (E11.9), fair control. 3. Chronic kidney disease stage 3a (N18.31): no gadolinium, no NSAIDs.",
                ),
            ),
            Section(
                "Plan",
                (
                    "MRI lumbar spine without contrast (CPT 72148); contrast is avoided because of his kidney function. Spine surgery "
                    "referral if the MRI shows a compressive disc herniation. Continue acetaminophen and the home exercise program.",
                    "Patient counseled; he agrees with the plan. Signed page printed, countersigned and scanned into the chart.",
                ),
            ),
        ),
        truth={
            "npi": [npi_entry(nurse_practitioner)],
            "cpt": ["72148"],
            "hcpcs": [],
            "icd10": [icd("E11.9"), icd("N18.31"), icd("I10"), icd("E11.42", "negated"), icd("M51.26"), icd("M54.16")],
        },
        facts={
            "symptom_duration": [weeks(12)],
            "conservative_therapy": [
                therapy("physical_therapy", duration_weeks=8, outcome="failed"),
                therapy("nsaid", duration_weeks=6, outcome="failed"),
                therapy("oral_steroid", duration_weeks=0.9, outcome="failed"),
                therapy("home_exercise", duration_weeks=None, outcome="unknown"),
            ],
            "red_flag": [fact("saddle_anesthesia", "negated"), fact("bowel_bladder_dysfunction", "negated")],
            "bmi": [fact(31.0)],
        },
        decoys=decoys + ("138/86", "eGFR 54", "HbA1c 7.2%", "1.4 mg/dL"),
        size=12,
    )
    return Case(
        case_id="mri_mixed_text_and_scan",
        description="Lumbar MRI, AHCCCS (Arizona Medicaid): one PDF from the EHR holding the order and a two-page note as text "
        "pages, except the note's last page, which was printed, countersigned and scanned back in (an image page). 12 weeks of "
        "radiculopathy after failed PT, NSAID and oral steroid; diabetic polyneuropathy is ruled out (negated code).",
        request={
            "service_codes": ["72148"],
            "payer_name": patient.payer,
            "plan_type": "medicaid",
            "state": "AZ",
            "urgency": "standard",
            "request_date": "2026-07-13",
        },
        files=(FileSpec("order_and_note_mixed.pdf", "mixed_pdf", (the_order, the_note), dpi=200, scanned_pages=(3,)),),
        expected=expect(MRI_LUMBAR_REQUIREMENTS, missing=("mri-lumbar.red-flag",)),
    )


CASES = (
    mri_glyph_soup_scan,
    mri_mixed_text_and_scan,
)
