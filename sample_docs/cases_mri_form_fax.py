"""Lumbar MRI cases sent the way payers receive them: the health plan's own prior-authorization form
filled in as an AcroForm (Washington Apple Health) and a Group 3 fax with a cover sheet
(Colorado). Every person, ID, address and phone number here is made up."""

from __future__ import annotations

from datetime import date

from sample_docs.extra_docs import fax_cover, prior_auth_form
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


def mri_form_no_order() -> Case:
    practice = Practice(
        "Cowiche Canyon Family Medicine", "410 S 40th Ave, Suite 3", "Yakima", "WA", "98908", "(509) 555-0163", "(509) 555-0164"
    )
    patient = Patient(
        "Lindgren-Oyelaran",
        "Tova",
        "M",
        date(1993, 5, 27),
        "F",
        "CCF-880213",
        "2209481",
        "104837265WA",
        "Cascade Pines Health (Apple Health)",
        None,
        "(509) 555-0191",
    )
    doctor = Provider("Hamid Qureshi-Bell, MD", "1860913908", True)
    facility = Provider("Yakima Open MRI", "2935181901", True, role="facility")
    the_form = prior_auth_form(
        payer=patient.payer,
        contact=("Utilization Management", "Fax (888) 555-0123   Phone (888) 555-0124"),
        title="OUTPATIENT IMAGING PRIOR AUTHORIZATION REQUEST",
        patient=patient,
        d=date(2026, 5, 11),
        provider=doctor,
        practice=practice,
        facility=("Yakima Open MRI", facility),
        service=("72148", "MRI lumbar spine without contrast"),
        diagnoses=("M54.17", "M62.830"),
        urgent=False,
        start=date(2026, 5, 18),
        truth={"cpt": ["72148"], "hcpcs": [], "icd10": [icd("M54.17"), icd("M62.830")]},
        decoys=("(509) 555-0163", "(509) 555-0164", "(888) 555-0123", "(888) 555-0124"),
    )
    the_note = note(
        title="SPINE FOLLOW-UP VISIT",
        practice=practice,
        patient=patient,
        d=date(2026, 4, 30),
        provider=doctor,
        visit="Office visit, follow-up",
        show_member_id=True,
        font="Vera",
        size=10,
        sections=(
            Section(
                "Subjective",
                (
                    "Ms. Lindgren-Oyelaran, 32, returns for right buttock and leg pain that runs to the outer ankle and the sole of the "
                    "foot. It started 10 weeks ago when she slipped on a wet trail and landed on her back. Physical therapy for 6 weeks "
                    "(12 visits) did not improve it. Ibuprofen 600 mg three times daily for 4 weeks gave no lasting benefit, and "
                    "tizanidine 2 mg at night for 3 weeks did not help either. Pain is 6/10 and worse after sitting through her shift as "
                    "a dispatcher.",
                    "She denies saddle anesthesia, has no urinary retention or incontinence, and has no history of cancer.",
                ),
            ),
            Section(
                "Past History",
                (
                    "Migraine without aura (G43.009). Depression, in full remission (F32.5). Pneumonia (J18.9) in 2024, resolved. "
                    "Right ACL reconstruction in 2015.",
                ),
            ),
            Section(
                "Objective",
                (
                    "BP 112/70, HR 66, BMI 23.8. Lumbar paraspinal spasm on the right. Straight-leg raise positive on the right at "
                    "45 degrees. Right ankle plantarflexion 5/5, right Achilles reflex absent, left 2+. Reduced pinprick on the lateral "
                    "right foot.",
                ),
            ),
            Section(
                "Assessment",
                (
                    "Lumbosacral radiculopathy, right S1 (M54.17), 10 weeks, not improved with 6 weeks of physical therapy, an NSAID "
                    "and a muscle relaxant. Muscle spasm of the back (M62.830).",
                ),
            ),
            Section(
                "Plan",
                (
                    "Prior authorization request for MRI lumbar spine without contrast (CPT 72148) to be faxed to the health plan; "
                    "the signed imaging order will follow from the referral desk. Continue the home exercise program. Return after imaging.",
                ),
            ),
        ),
        truth={
            "npi": [npi_entry(doctor)],
            "cpt": ["72148"],
            "hcpcs": [],
            "icd10": [icd("G43.009"), icd("F32.5"), icd("J18.9", "historical"), icd("M54.17"), icd("M62.830")],
        },
        facts={
            "symptom_duration": [weeks(10)],
            "conservative_therapy": [
                therapy("physical_therapy", duration_weeks=6, outcome="failed"),
                therapy("nsaid", duration_weeks=4, outcome="failed"),
                therapy("muscle_relaxant", duration_weeks=3, outcome="failed"),
                therapy("home_exercise", duration_weeks=None, outcome="unknown"),
            ],
            "red_flag": [
                fact("saddle_anesthesia", "negated"),
                fact("bowel_bladder_dysfunction", "negated"),
                fact("malignancy", "negated"),
            ],
            "bmi": [fact(23.8)],
        },
        decoys=("98908", "(509) 555-0163", "(509) 555-0164", "CCF-880213", "2209481", "112/70"),
    )
    return Case(
        case_id="mri_form_no_order",
        description="Lumbar MRI, Washington Apple Health (ProviderOne ID): the health plan's prior-authorization form filled in "
        "as an AcroForm (member, NPI, CPT and ICD-10 only in form fields) and a progress note in an embedded TrueType font. The "
        "signed order was never attached, but the form names the code with the ordering provider's NPI, and the "
        "benefit managers that review imaging take the request for the order: complete.",
        request={
            "service_codes": ["72148"],
            "payer_name": patient.payer,
            "plan_type": "medicaid",
            "state": "WA",
            "urgency": "standard",
            "request_date": "2026-05-12",
        },
        files=(
            FileSpec("prior_auth_request_form.pdf", "form_pdf", (the_form,)),
            FileSpec("progress_note.pdf", "text_pdf", (the_note,)),
        ),
        expected=expect(MRI_LUMBAR_REQUIREMENTS, missing=("mri-lumbar.red-flag",)),
    )


def mri_fax_group3_improved() -> Case:
    practice = Practice(
        "Book Cliffs Orthopedic Clinic",
        "2525 N 7th St, Suite 110",
        "Grand Junction",
        "CO",
        "81501",
        "(970) 555-0176",
        "(970) 555-0177",
    )
    patient = Patient(
        "Vasquez-Lindahl",
        "Mireya",
        "C",
        date(1980, 12, 4),
        "F",
        "BCO-5590021",
        "31-77402",
        "RMB 4420 8817 03",
        "Rocky Mountain Benefit Trust",
        "RMBT-7710",
        "(970) 555-0138",
    )
    pa = Provider("Tobias Engebretsen, PA-C", "1574911867", True)
    decoys = ("81501", "(970) 555-0176", "(970) 555-0177", "BCO-5590021", "31-77402")
    cover = fax_cover(
        practice=practice,
        patient=patient,
        d=date(2026, 10, 19),
        to=("Rocky Mountain Benefit Trust UM", "(800) 555-0102"),
        sender="Referral desk, Book Cliffs Ortho",
        pages=3,
        message="Prior authorization request for MRI of the lumbar spine. Attached: imaging order and the office note of "
        "10/14/2026. Please call the referral desk with the reference number.",
        decoys=("(800) 555-0102", "(970) 555-0177", "(970) 555-0176", "81501"),
    )
    the_order = order(
        title="IMAGING ORDER",
        practice=practice,
        patient=patient,
        d=date(2026, 10, 16),
        provider=pa,
        exams=(("CPT 72148", "MRI lumbar spine without contrast"),),
        diagnoses=(("M54.59", "Other low back pain"),),
        indication="Low back pain for 9 weeks after a lifting injury at work. Clearance for return to full duty.",
        priority="[X] Routine   [ ] Urgent",
        facility=("Mesa County Imaging", "1060 Orchard Ave, Grand Junction, CO 81501", None),
        truth={"npi": [npi_entry(pa)], "cpt": ["72148"], "hcpcs": [], "icd10": [icd("M54.59")]},
        facts={"symptom_duration": [weeks(9)]},
        decoys=decoys + ("(970) 555-0138",),
        font="Helvetica",
        size=11,
    )
    the_note = note(
        title="ORTHOPEDIC OFFICE VISIT",
        practice=practice,
        patient=patient,
        d=date(2026, 10, 14),
        provider=pa,
        visit="Follow-up",
        font="Times",
        size=11.5,
        sections=(
            Section(
                "History",
                (
                    "Ms. Vasquez-Lindahl is a 45-year-old certified nursing assistant with low back pain for 9 weeks after lifting a "
                    "patient during a transfer. Physical therapy for 7 weeks has helped: pain is down from 8/10 to 3/10 and she has "
                    "been back at work on light duty for 3 weeks. She would like imaging before she returns to full lifting duties.",
                    "No leg pain, numbness or weakness. No saddle anesthesia, no bowel or bladder incontinence.",
                ),
            ),
            Section("Past Medical History", ("Prediabetes (R73.03). Cesarean delivery 2012.",)),
            Section(
                "Examination",
                (
                    "BP 122/76, BMI 28.4. Mild tenderness over the right lower lumbar paraspinal muscles. Full forward flexion with "
                    "mild discomfort. Straight-leg raise negative. Strength, reflexes and sensation normal in both legs.",
                ),
            ),
            Section(
                "Assessment",
                (
                    "Other low back pain (M54.59), mechanical, improving with physical therapy. Lumbar radiculopathy (M54.16) is not "
                    "suspected: no leg symptoms and a normal neurologic examination.",
                ),
            ),
            Section(
                "Plan",
                (
                    "MRI lumbar spine without contrast (CPT 72148) requested by the employer's return-to-work program. Continue "
                    "physical therapy for 2 more weeks. Light duty until reviewed.",
                ),
            ),
        ),
        truth={
            "npi": [npi_entry(pa)],
            "cpt": ["72148"],
            "hcpcs": [],
            "icd10": [icd("R73.03"), icd("M54.59"), icd("M54.16", "negated")],
        },
        facts={
            "symptom_duration": [weeks(9)],
            "conservative_therapy": [therapy("physical_therapy", duration_weeks=7, outcome="improved")],
            "red_flag": [fact("saddle_anesthesia", "negated"), fact("bowel_bladder_dysfunction", "negated")],
            "bmi": [fact(28.4)],
        },
        decoys=decoys + ("122/76",),
    )
    return Case(
        case_id="mri_fax_group3_improved",
        description="Lumbar MRI, commercial, Colorado: a normal-mode fax (204x98 DPI) compressed with CCITT Group 3, with a "
        "cover sheet, the order and the note. Physical therapy for 7 weeks worked (pain 8/10 to 3/10), so conservative care "
        "needs review; no red flag.",
        request={
            "service_codes": ["72148"],
            "payer_name": patient.payer,
            "plan_type": "commercial",
            "state": "CO",
            "urgency": "standard",
            "request_date": "2026-10-19",
        },
        files=(
            FileSpec(
                "fax_group3_normal.tif",
                "fax_tiff",
                (cover, the_order, the_note),
                dpi=(204, 98),
                compression="group3",
                fax_header="FROM: BOOK CLIFFS ORTHO   FAX (970) 555-0177   10/19/2026 11:02   PAGE {page}/{pages}",
            ),
        ),
        expected=expect(
            MRI_LUMBAR_REQUIREMENTS,
            missing=("mri-lumbar.red-flag",),
            review=("mri-lumbar.conservative-care-or-red-flag", "mri-lumbar.conservative-care-6w"),
        ),
    )


CASES = (
    mri_form_no_order,
    mri_fax_group3_improved,
)
