"""Lumbar MRI cases from invented Washington and Colorado practices, delivered as faxes and
phone photos. Every person, ID, address and phone number here is made up."""

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


def mri_red_flag_fax_fine() -> Case:
    practice = Practice(
        "Cascade Neurology Associates", "1520 S Union Ave, Suite 200", "Tacoma", "WA", "98405", "(253) 555-0187", "(253) 555-0188"
    )
    patient = Patient(
        "Kowalczyk",
        "Edmund",
        "Y",
        date(1952, 12, 29),
        "M",
        "CNA-0091827",
        "55120938",
        "PSM903318472",
        "Puget Summit Medicare Advantage (HMO)",
        None,
        "(253) 555-0139",
    )
    doctor = Provider("Anika Sorensen-Lee, MD", "1920374653", True)
    facility = Provider("Commencement Bay Imaging", "1607493156", True, role="facility")
    d = date(2026, 6, 5)
    decoys = ("98405", "(253) 555-0187", "(253) 555-0188", "CNA-0091827", "55120938")
    the_order = order(
        title="URGENT IMAGING ORDER",
        practice=practice,
        patient=patient,
        d=d,
        provider=doctor,
        exams=(("CPT 72148", "MRI lumbar spine without contrast"),),
        diagnoses=(("M54.16", "Radiculopathy, lumbar region"), ("M21.372", "Foot drop, left foot")),
        indication="Progressive left foot drop over 1 week with new saddle anesthesia. Rule out cauda equina compression.",
        priority="[ ] Routine   [X] Urgent (within 24 hours)",
        facility=("Commencement Bay Imaging", "315 S Fawcett Ave, Tacoma, WA 98402", facility),
        extra_rows=((("Medicare MBI:", "7QX2-WJ4-RT58"),),),
        truth={
            "member_id": [patient.member_id_truth, "7QX2WJ4RT58"],
            "npi": [npi_entry(doctor), npi_entry(facility)],
            "cpt": ["72148"],
            "hcpcs": [],
            "icd10": [icd("M54.16"), icd("M21.372")],
        },
        facts={
            "symptom_duration": [weeks(1)],
            "red_flag": [fact("progressive_neurologic_deficit"), fact("saddle_anesthesia"), fact("cauda_equina", "hypothetical")],
        },
        decoys=decoys + ("(253) 555-0139", "98402"),
    )
    the_note = note(
        title="NEUROLOGY CLINIC NOTE",
        practice=practice,
        patient=patient,
        d=d,
        provider=doctor,
        visit="Urgent new patient",
        sections=(
            Section("Chief Complaint", ("Left foot weakness and numbness in the buttocks.",)),
            Section(
                "History of Present Illness",
                (
                    "Mr. Kowalczyk is a 73-year-old man with 1 week of low back pain and left leg pain. Over the last 4 days he has developed "
                    "progressive weakness of the left foot and now catches his toes on the stairs. Since yesterday he reports numbness of the "
                    "buttocks and inner thighs (saddle anesthesia). No urinary retention or incontinence so far. He has not had physical therapy "
                    "or injections for this episode.",
                ),
            ),
            Section(
                "Past Medical History",
                ("Type 2 diabetes mellitus (E11.9). Hyperlipidemia (E78.5). Right knee replacement 2019.",),
            ),
            Section(
                "Physical Examination",
                (
                    "Left ankle dorsiflexion 3/5 (4/5 at an urgent care visit on 06/02/2026), left great toe extension 2/5. Decreased pinprick "
                    "over the perineum and posterior thighs bilaterally. Left Achilles reflex absent. Rectal tone normal. Post-void residual 80 mL.",
                ),
            ),
            Section(
                "Assessment",
                (
                    "1. Acute lumbar radiculopathy (M54.16) with progressive left foot drop (M21.372).",
                    "2. Saddle anesthesia with concern for early cauda equina syndrome.",
                ),
            ),
            Section(
                "Plan",
                (
                    "Urgent MRI lumbar spine without contrast (CPT 72148) within 24 hours. Neurosurgery notified. Go to the emergency "
                    "department for any urinary retention or incontinence.",
                ),
            ),
        ),
        truth={
            "npi": [npi_entry(doctor)],
            "cpt": ["72148"],
            "hcpcs": [],
            "icd10": [icd("E11.9"), icd("E78.5"), icd("M54.16"), icd("M21.372")],
        },
        facts={
            "symptom_duration": [weeks(1)],
            "conservative_therapy": [
                therapy("physical_therapy", duration_weeks=None, outcome="unknown", assertion="negated"),
                therapy("injection", duration_weeks=None, outcome="unknown", assertion="negated"),
            ],
            "red_flag": [
                fact("progressive_neurologic_deficit"),
                fact("saddle_anesthesia"),
                fact("bowel_bladder_dysfunction", "negated"),
                fact("cauda_equina", "hypothetical"),
            ],
        },
        decoys=decoys + ("80 mL",),
    )
    return Case(
        case_id="mri_red_flag_fax_fine",
        description="Lumbar MRI, Medicare Advantage, Washington, urgent: a fine-mode fax (204x196 DPI, Group 4) with the order and a "
        "neurology note. 1 week of symptoms but progressive foot drop and saddle anesthesia (red flags). Plan ID and MBI both printed.",
        request={
            "service_codes": ["72148"],
            "payer_name": patient.payer,
            "plan_type": "medicare_advantage",
            "state": "WA",
            "urgency": "urgent",
            "request_date": "2026-06-05",
        },
        files=(
            FileSpec(
                "fax_fine_204x196.tif",
                "fax_tiff",
                (the_order, the_note),
                dpi=(204, 196),
                fax_header="FROM: CASCADE NEUROLOGY ASSOC   FAX (253) 555-0188   06/05/2026 15:47   PAGE {page}/{pages}",
            ),
        ),
        expected=expect(MRI_LUMBAR_REQUIREMENTS, missing=("mri-lumbar.conservative-care-6w",)),
    )


def mri_fax_normal_old_note() -> Case:
    practice = Practice(
        "Front Range Orthopedic & Spine",
        "7800 E Orchard Rd, Suite 150",
        "Greenwood Village",
        "CO",
        "80111",
        "(303) 555-0152",
        "(303) 555-0153",
    )
    patient = Patient(
        "Castellanos",
        "Priya",
        "N",
        date(1985, 6, 22),
        "F",
        "FR-2210954",
        "A-77310",
        "W270118345",
        "Front Range Health Partners PPO",
        "CO-55810",
        "(720) 555-0114",
    )
    doctor = Provider("Benjamin Okonkwo-Hale, MD", "1338026572", True)
    decoys = ("80111", "(303) 555-0152", "(303) 555-0153", "FR-2210954")
    the_order = order(
        title="IMAGING ORDER",
        practice=practice,
        patient=patient,
        d=date(2026, 3, 12),
        provider=doctor,
        exams=(("CPT 72158", "MRI lumbar spine without and with contrast"),),
        diagnoses=(("M51.16", "Intervertebral disc disorders with radiculopathy, lumbar region"),),
        indication="Recurrent right leg radiculopathy after L5-S1 discectomy in 2023; evaluate recurrent herniation versus scar. Failed 8 weeks of physical therapy.",
        priority="[X] Routine   [ ] Urgent",
        facility=("Arapahoe Advanced Imaging", "9200 E Mineral Ave, Centennial, CO 80112", None),
        truth={"npi": [npi_entry(doctor)], "cpt": ["72158"], "hcpcs": [], "icd10": [icd("M51.16")]},
        facts={"conservative_therapy": [therapy("physical_therapy", duration_weeks=8, outcome="failed")]},
        decoys=decoys + ("(720) 555-0114", "80112"),
        size=12,
    )
    the_note = note(
        title="SPINE CLINIC NOTE",
        practice=practice,
        patient=patient,
        d=date(2025, 11, 10),
        provider=doctor,
        visit="Follow-up",
        font="Courier",
        size=11,
        sections=(
            Section("Chief Complaint", ("Right leg pain returning.",)),
            Section(
                "History of Present Illness",
                (
                    "Ms. Castellanos is a 40-year-old woman who had a right L5-S1 microdiscectomy in May 2023. Right buttock and leg pain "
                    "returned 10 weeks ago. She completed 8 weeks of physical therapy (09/08/2025 to 11/03/2025) with no lasting benefit, "
                    "and a 6-day methylprednisolone taper in October gave only brief relief. Pain 6/10, worse with sitting. "
                    "No bowel or bladder symptoms, no saddle anesthesia.",
                ),
            ),
            Section("Past Medical History", ("Right L5-S1 microdiscectomy 05/2023. Gastroesophageal reflux (K21.9).",)),
            Section(
                "Physical Examination",
                (
                    "Straight-leg raise positive on the right at 45 degrees. Plantarflexion 5/5. Right Achilles reflex diminished. "
                    "Decreased sensation along the right lateral foot.",
                ),
            ),
            Section(
                "Assessment",
                ("Recurrent right lumbar radiculopathy after discectomy: disc disorder with radiculopathy, lumbar (M51.16).",),
            ),
            Section(
                "Plan",
                (
                    "Continue the home exercise program. If symptoms persist, obtain MRI lumbar spine without and with contrast (72158) "
                    "to separate recurrent disc from scar.",
                ),
            ),
        ),
        truth={"npi": [npi_entry(doctor)], "cpt": ["72158"], "hcpcs": [], "icd10": [icd("K21.9"), icd("M51.16")]},
        facts={
            "symptom_duration": [weeks(10)],
            "conservative_therapy": [
                therapy("physical_therapy", duration_weeks=8, outcome="failed"),
                therapy("oral_steroid", duration_weeks=0.9, outcome="failed"),
                therapy("home_exercise", duration_weeks=None, outcome="unknown"),
            ],
            "red_flag": [fact("bowel_bladder_dysfunction", "negated"), fact("saddle_anesthesia", "negated")],
        },
        decoys=decoys,
    )
    return Case(
        case_id="mri_fax_normal_old_note",
        description="Lumbar MRI with and without contrast, commercial, Colorado: a normal-mode fax (204x98 DPI, pages squashed to half "
        "height) with a current order and a progress note dated about 4 months before the request: the 60-day note is missing.",
        request={
            "service_codes": ["72158"],
            "payer_name": patient.payer,
            "plan_type": "commercial",
            "state": "CO",
            "urgency": "standard",
            "request_date": "2026-03-16",
        },
        files=(
            FileSpec(
                "fax_normal_204x98.tif",
                "fax_tiff",
                (the_order, the_note),
                dpi=(204, 98),
                fax_header="FROM: FRONT RANGE ORTHO SPINE   FAX (303) 555-0153   03/12/2026 09:18   PAGE {page}/{pages}",
            ),
        ),
        expected=expect(MRI_LUMBAR_REQUIREMENTS, missing=("imaging.clinical-note-60d", "mri-lumbar.red-flag")),
    )


def mri_photo_exif_complete() -> Case:
    practice = Practice(
        "Inland Northwest Spine Clinic", "801 W 5th Ave, Suite 410", "Spokane", "WA", "99204", "(509) 555-0131", "(509) 555-0132"
    )
    patient = Patient(
        "Ashcombe",
        "Genevieve",
        "",
        date(1962, 7, 14),
        "F",
        "INW-0773615",
        "41-880273",
        "OCH 447109251",
        "Olympic Crest Health Insurance",
        "88140-02",
        "(509) 555-0170",
    )
    doctor = Provider("Rafael Nakamura-Price, MD", "1250981630", True)
    facility = Provider("Riverpoint MRI", "1384750265", True, role="facility")
    decoys = ("99204", "(509) 555-0131", "(509) 555-0132", "INW-0773615", "41-880273")
    the_order = order(
        title="MRI ORDER",
        practice=practice,
        patient=patient,
        d=date(2026, 12, 3),
        provider=doctor,
        exams=(("CPT 72148", "MRI lumbar spine without contrast"),),
        diagnoses=(("M48.061", "Spinal stenosis, lumbar region without neurogenic claudication"),),
        indication="Low back and bilateral buttock pain for 14 weeks; 8 weeks of chiropractic care and home exercise without improvement.",
        priority="[X] Routine   [ ] Urgent",
        facility=("Riverpoint MRI", "412 E Spokane Falls Blvd, Spokane, WA 99202", facility),
        truth={"npi": [npi_entry(doctor), npi_entry(facility)], "cpt": ["72148"], "hcpcs": [], "icd10": [icd("M48.061")]},
        facts={
            "symptom_duration": [weeks(14)],
            "conservative_therapy": [
                therapy("chiropractic", duration_weeks=8, outcome="failed"),
                therapy("home_exercise", duration_weeks=8, outcome="failed"),
            ],
        },
        decoys=decoys + ("(509) 555-0170", "99202"),
    )
    the_note = note(
        title="PROGRESS NOTE",
        practice=practice,
        patient=patient,
        d=date(2026, 11, 19),
        provider=doctor,
        visit="Follow-up",
        show_member_id=True,
        sections=(
            Section(
                "History of Present Illness",
                (
                    "Ms. Ashcombe is a 64-year-old woman with 12 weeks of low back pain radiating into both buttocks, worse with standing and "
                    "walking more than 15 minutes. She completed 8 weeks of chiropractic treatment and a daily home exercise program without "
                    "improvement. Cyclobenzaprine 5 mg at night for 2 weeks did not help. No saddle anesthesia, no bowel or bladder dysfunction.",
                ),
            ),
            Section("Past Medical History", ("Hypothyroidism (E03.9). Hyperlipidemia (E78.5).",)),
            Section(
                "Physical Examination",
                ("Lumbar extension reproduces buttock pain. Straight-leg raise negative. Strength 5/5. Reflexes symmetric.",),
            ),
            Section(
                "Assessment",
                (
                    "Lumbar spinal stenosis without neurogenic claudication (M48.061), not improved after 12 weeks including 8 weeks of chiropractic care.",
                ),
            ),
            Section(
                "Plan", ("MRI lumbar spine without contrast (CPT 72148). Consider an epidural steroid injection after imaging.",)
            ),
        ),
        truth={"npi": [npi_entry(doctor)], "cpt": ["72148"], "hcpcs": [], "icd10": [icd("E03.9"), icd("E78.5"), icd("M48.061")]},
        facts={
            "symptom_duration": [weeks(12)],
            "conservative_therapy": [
                therapy("chiropractic", duration_weeks=8, outcome="failed"),
                therapy("home_exercise", duration_weeks=None, outcome="failed"),
                therapy("muscle_relaxant", duration_weeks=2, outcome="failed"),
                therapy("injection", duration_weeks=None, outcome="unknown", assertion="hypothetical"),
            ],
            "red_flag": [fact("saddle_anesthesia", "negated"), fact("bowel_bladder_dysfunction", "negated")],
        },
        decoys=decoys,
    )
    return Case(
        case_id="mri_photo_exif_complete",
        description="Lumbar MRI, commercial, Washington: two phone photos. The order photo is stored sideways with EXIF Orientation 6; "
        "the note photo is upside down in the pixels with no EXIF orientation. Chiropractic and home exercise for 8 weeks: complete.",
        request={
            "service_codes": ["72148"],
            "payer_name": patient.payer,
            "plan_type": "commercial",
            "state": "WA",
            "urgency": "standard",
            "request_date": "2026-12-07",
        },
        files=(
            FileSpec("photo_order_exif6.jpg", "photo_jpeg", (the_order,), rotation=90, exif_orientation=6),
            FileSpec("photo_note_upside_down.jpg", "photo_jpeg", (the_note,), rotation=180),
        ),
        expected=expect(MRI_LUMBAR_REQUIREMENTS, missing=("mri-lumbar.red-flag",)),
    )


CASES = (mri_red_flag_fax_fine, mri_fax_normal_old_note, mri_photo_exif_complete)
