"""Lumbar MRI cases scanned badly: a page skewed several degrees, and pages fed into the scanner
upside down and sideways (pixels turned, no /Rotate). Invented Arizona practices; every
person, ID, address and phone number here is made up."""

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


def mri_skewed_scan_historical_dx() -> Case:
    practice = Practice(
        "Prescott Pines Internal Medicine",
        "1003 Willow Creek Rd, Suite 2B",
        "Prescott",
        "AZ",
        "86301",
        "(928) 555-0115",
        "(928) 555-0116",
    )
    patient = Patient(
        "Brandvold",
        "Ingrid",
        "S",
        date(1971, 8, 30),
        "F",
        "PPI-0048213",
        "88213006",
        "JHC 7741 0293 58",
        "Juniper Health Cooperative",
        "JHC-AZ-4410",
        "(928) 555-0172",
    )
    doctor = Provider("Callum Ferreira-Boateng, DO", "1281948210", True)
    decoys = ("86301", "(928) 555-0115", "(928) 555-0116", "PPI-0048213", "88213006")
    the_order = order(
        title="IMAGING REQUISITION",
        practice=practice,
        patient=patient,
        d=date(2026, 9, 3),
        provider=doctor,
        exams=(("CPT 72148", "MRI lumbar spine without contrast"),),
        diagnoses=(("M54.9", "Dorsalgia, unspecified"),),
        indication="Back pain for 9 weeks despite 6 weeks of chiropractic care.",
        priority="[X] Routine   [ ] Urgent",
        facility=("Thumb Butte Imaging", "840 Ruth St, Prescott, AZ 86301", None),
        truth={"npi": [npi_entry(doctor)], "cpt": ["72148"], "hcpcs": [], "icd10": [icd("M54.9")]},
        facts={
            "symptom_duration": [weeks(9)],
            "conservative_therapy": [therapy("chiropractic", duration_weeks=6, outcome="failed")],
        },
        decoys=decoys + ("(928) 555-0172",),
        font="Times",
        size=11,
    )
    the_note = note(
        title="OFFICE VISIT",
        practice=practice,
        patient=patient,
        d=date(2026, 9, 2),
        provider=doctor,
        visit="Problem visit",
        font="Courier",
        size=10,
        sections=(
            Section("Reason for Visit", ("Back pain, 9 weeks.",)),
            Section(
                "History",
                (
                    "Ms. Brandvold is a 55-year-old librarian with pain across the mid and lower back for 9 weeks, since a weekend "
                    "of moving landscape stones. She saw a chiropractor twice a week for 6 weeks without relief and takes "
                    "acetaminophen most days. The pain does not travel below the buttocks. She denies leg weakness, saddle "
                    "anesthesia and any bowel or bladder incontinence.",
                ),
            ),
            Section(
                "Past Medical History",
                (
                    "Lumbago with sciatica, left side (M54.42) in 2021, resolved with physical therapy at that time. Seasonal "
                    "allergic rhinitis (J30.2).",
                ),
            ),
            Section(
                "Examination",
                (
                    "BP 126/78, HR 64. Tender paraspinal muscles from T10 to L3. Straight-leg raise negative on both sides. "
                    "Strength 5/5, reflexes 2+ and symmetric, sensation intact.",
                ),
            ),
            Section("Assessment", ("Dorsalgia, unspecified (M54.9), 9 weeks, not improved with chiropractic care.",)),
            Section(
                "Plan",
                (
                    "MRI lumbar spine without contrast (CPT 72148). Continue acetaminophen and home stretching. Return in 3 weeks "
                    "or sooner if leg symptoms appear.",
                ),
            ),
        ),
        truth={
            "npi": [npi_entry(doctor)],
            "cpt": ["72148"],
            "hcpcs": [],
            "icd10": [icd("M54.42", "historical"), icd("J30.2"), icd("M54.9")],
        },
        facts={
            "symptom_duration": [weeks(9)],
            "conservative_therapy": [
                therapy("chiropractic", duration_weeks=6, outcome="failed"),
                therapy("physical_therapy", duration_weeks=None, outcome="improved", assertion="historical"),
                therapy("home_exercise", duration_weeks=None, outcome="unknown"),
            ],
            "red_flag": [fact("saddle_anesthesia", "negated"), fact("bowel_bladder_dysfunction", "negated")],
        },
        decoys=decoys + ("126/78",),
    )
    return Case(
        case_id="mri_skewed_scan_historical_dx",
        description="Lumbar MRI, commercial, Arizona: the order is a 300-DPI scan skewed 3.6 degrees, the note a Courier text "
        "PDF. Conservative care is documented, but the only current diagnosis is M54.9 (not a lumbar-MRI diagnosis); the "
        "supporting M54.42 is from 2021 (historical), so the diagnosis needs review.",
        request={
            "service_codes": ["72148"],
            "payer_name": patient.payer,
            "plan_type": "commercial",
            "state": "AZ",
            "urgency": "standard",
            "request_date": "2026-09-08",
        },
        files=(
            FileSpec("scan_order_skewed.pdf", "scan_pdf", (the_order,), dpi=300, skew=3.6),
            FileSpec("office_visit.pdf", "text_pdf", (the_note,)),
        ),
        expected=expect(MRI_LUMBAR_REQUIREMENTS, missing=("mri-lumbar.red-flag",), review=("mri-lumbar.diagnosis",)),
    )


def mri_turned_scans_red_flag() -> Case:
    practice = Practice(
        "Verde Valley Neurosurgery & Spine",
        "1120 Cove Pkwy, Suite 210",
        "Cottonwood",
        "AZ",
        "86326",
        "(928) 555-0149",
        "(928) 555-0150",
    )
    patient = Patient(
        "Threlkeld",
        "Amos",
        "J",
        date(1949, 2, 14),
        "M",
        "VVN-331870",
        "6604128",
        "RRS447120893",
        "Red Rock Senior Advantage (HMO)",
        None,
        "(928) 555-0103",
    )
    doctor = Provider("Yusuf Adeyemi-Clarke, MD", "1432319485", True)
    facility = Provider("Sedona Imaging Partners", "2378657979", True, role="facility")
    d = date(2026, 1, 13)
    decoys = ("86326", "(928) 555-0149", "(928) 555-0150", "VVN-331870", "6604128")
    the_order = order(
        title="URGENT MRI ORDER",
        practice=practice,
        patient=patient,
        d=d,
        provider=doctor,
        exams=(("CPT 72148", "MRI lumbar spine without contrast"),),
        diagnoses=(("M54.16", "Radiculopathy, lumbar region"), ("M62.81", "Muscle weakness (generalized)")),
        indication="Progressive right quadriceps weakness over 10 days with knee buckling and a fall. Three weeks of back and thigh pain.",
        priority="[ ] Routine   [X] Urgent (within 48 hours)",
        facility=("Sedona Imaging Partners", "65 Verde Valley School Rd, Sedona, AZ 86351", facility),
        extra_rows=((("Medicare MBI:", "5EK9-TN2-XJ47"),),),
        truth={
            "member_id": [patient.member_id_truth, "5EK9TN2XJ47"],
            "npi": [npi_entry(doctor), npi_entry(facility)],
            "cpt": ["72148"],
            "hcpcs": [],
            "icd10": [icd("M54.16"), icd("M62.81")],
        },
        facts={"symptom_duration": [weeks(3)], "red_flag": [fact("progressive_neurologic_deficit")]},
        decoys=decoys + ("(928) 555-0103", "86351"),
    )
    the_note = note(
        title="NEUROSURGERY CONSULTATION",
        practice=practice,
        patient=patient,
        d=d,
        provider=doctor,
        visit="Urgent consultation",
        sections=(
            Section("Reason for Consultation", ("Right thigh pain and a weak right leg.",)),
            Section(
                "History of Present Illness",
                (
                    "Mr. Threlkeld is a 76-year-old retired surveyor with 3 weeks of low back pain spreading into the front of the "
                    "right thigh. Over the last 10 days his right leg has grown weaker: his knee buckles on stairs and he fell in his "
                    "driveway on 01/10/2026 without hitting his head. His primary care physician started meloxicam 2 weeks ago with no "
                    "improvement.",
                    "He denies saddle anesthesia and any bowel or bladder incontinence. No fever, no night sweats.",
                ),
            ),
            Section(
                "Past Medical History",
                (
                    "Atrial fibrillation (I48.91) on apixaban. Right total knee replacement in 2020 (Z96.651). Lumbar strain "
                    "(S39.012A) after a fall in 2019, resolved.",
                ),
            ),
            Section(
                "Examination",
                (
                    "BP 144/82, irregular pulse 78. Right hip flexion 4/5 and knee extension 3/5 (4/5 at his primary care visit on "
                    "12/30/2025); left side 5/5. Right patellar reflex absent, left 2+. Decreased light touch over the right "
                    "anterior thigh and medial shin. Antalgic gait with a cane.",
                ),
            ),
            Section("Data Reviewed", ("Lumbar X-rays 01/06/2026: multilevel degenerative change, no acute fracture.",)),
            Section(
                "Assessment",
                (
                    "Right L3-L4 radiculopathy (M54.16) with progressive weakness of the quadriceps (M62.81) over 10 days: a "
                    "progressive motor deficit.",
                ),
            ),
            Section(
                "Plan",
                (
                    "Urgent MRI lumbar spine without contrast (CPT 72148) within 48 hours; MRI-conditional knee implant confirmed. "
                    "Hold apixaban only if surgery is planned. Walker at home; fall precautions reviewed with his daughter.",
                ),
            ),
        ),
        truth={
            "npi": [npi_entry(doctor)],
            "cpt": ["72148"],
            "hcpcs": [],
            "icd10": [icd("I48.91"), icd("Z96.651"), icd("S39.012A", "historical"), icd("M54.16"), icd("M62.81")],
        },
        facts={
            "symptom_duration": [weeks(3)],
            "conservative_therapy": [therapy("nsaid", duration_weeks=2, outcome="failed")],
            "red_flag": [
                fact("progressive_neurologic_deficit"),
                fact("saddle_anesthesia", "negated"),
                fact("bowel_bladder_dysfunction", "negated"),
                fact("fracture", "negated"),
            ],
        },
        decoys=decoys + ("144/82",),
    )
    return Case(
        case_id="mri_turned_scans_red_flag",
        description="Lumbar MRI, Medicare Advantage, Arizona, urgent: the order scanned sideways (needs a 90-degree clockwise "
        "turn, landscape page) and the consultation scanned upside down, both at 200 DPI. Only 3 weeks of symptoms, but "
        "a progressive motor deficit (red flag). Plan ID and MBI printed.",
        request={
            "service_codes": ["72148"],
            "payer_name": patient.payer,
            "plan_type": "medicare_advantage",
            "state": "AZ",
            "urgency": "urgent",
            "request_date": "2026-01-13",
        },
        files=(
            FileSpec("scan_order_sideways.pdf", "scan_pdf", (the_order,), dpi=200, rotation=90),
            FileSpec("scan_consult_upside_down.pdf", "scan_pdf", (the_note,), dpi=200, rotation=180),
        ),
        expected=expect(MRI_LUMBAR_REQUIREMENTS, missing=("mri-lumbar.conservative-care-6w",)),
    )


CASES = (mri_skewed_scan_historical_dx, mri_turned_scans_red_flag)
