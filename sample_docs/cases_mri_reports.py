"""Lumbar MRI cases that bring result documents and letters: a New Mexico request with the prior
X-ray report and a letter of medical necessity (all text PDFs), and an urgent Colorado
post-operative request whose typed payer form, order and note were faxed, with the pre-operative
MRI report scanned and the lab results as a PDF. Every person, ID, address and phone number here
is made up; 555-01xx numbers are reserved for fiction."""

from __future__ import annotations

from datetime import date

from sample_docs.layout import Practice, Section
from sample_docs.letters import medical_necessity_letter
from sample_docs.reports import Exam, Panel, Result, imaging_report, lab_report
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
from sample_docs.typed_forms import Blank, Part, TypedForm, typed_form


def mri_lomn_xray_text() -> Case:
    practice = Practice(
        "Sandia Foothills Primary Care",
        "8300 Constitution Ave NE, Suite 200",
        "Albuquerque",
        "NM",
        "87110",
        "(505) 555-0131",
        "(505) 555-0132",
    )
    radiology = Practice(
        "Rio Grande Radiology Associates", "4401 Lomas Blvd NE", "Albuquerque", "NM", "87110", "(505) 555-0156", "(505) 555-0157"
    )
    patient = Patient(
        "Okonkwo-Reyes",
        "Marisol",
        "T",
        date(1972, 8, 19),
        "F",
        "SFP-2290417",
        "58813920",
        "TWH-553-018-742",
        "Turquoise Mesa Health Plan",
        "TMH-40218",
        "(505) 555-0184",
    )
    doctor = Provider("Gregory Nakashima-Holt, MD", "1592736486", True)
    facility = Provider("Rio Grande Open MRI", "1208457394", True, role="facility")
    radiologist = Provider("Priya Venkataraman, MD", "1385620475", True, role="rendering")
    contact = ("87110", "(505) 555-0131", "(505) 555-0132", "SFP-2290417", "58813920")
    xray = imaging_report(
        group=radiology,
        style="ris",
        patient=patient,
        exam=Exam(
            name="XR LUMBAR SPINE 2-3 VIEWS",
            cpt="72100",
            history="Low back pain radiating to the right leg for 3 weeks (M54.41). No trauma.",
            comparison="None available.",
            technique="AP and lateral views of the lumbar spine with a coned-down lateral view of L5-S1.",
            findings=(
                "Five lumbar-type vertebral bodies. Alignment is normal; no spondylolisthesis. Vertebral body heights are "
                "preserved: no fracture or compression deformity.",
                "Moderate disc space narrowing at L4-L5 with small anterior osteophytes; mild narrowing at L5-S1. Facet "
                "arthropathy at L4-L5 and L5-S1. No lytic or blastic lesion. The sacroiliac joints are unremarkable.",
            ),
            impression=(
                "Degenerative disc disease, moderate at L4-L5 and mild at L5-S1.",
                "No fracture or spondylolisthesis.",
                "If radicular symptoms persist, MRI is the next study.",
            ),
        ),
        exam_date=date(2026, 6, 3),
        exam_time="10:41",
        signed=date(2026, 6, 3),
        signed_time="11:15",
        facility_mrn="RGR-0083314",
        accession="XR26-0448127",
        referring="Nakashima-Holt, Gregory MD",
        location="Lomas outpatient",
        radiologist=radiologist,
        truth={"cpt": ["72100"], "hcpcs": [], "icd10": [icd("M54.41")]},
        facts={"symptom_duration": [weeks(3)], "red_flag": [fact("fracture", "negated")]},
        decoys=("RGR-0083314", "XR26-0448127", "87110", "(505) 555-0156", "(505) 555-0157"),
    )
    the_note = note(
        title="OFFICE VISIT NOTE",
        practice=practice,
        patient=patient,
        d=date(2026, 7, 14),
        provider=doctor,
        visit="Established patient, follow-up",
        font="Helvetica",
        size=10,
        sections=(
            Section("Chief Complaint", ("Right-sided low back and leg pain, not better.",)),
            Section(
                "History of Present Illness",
                (
                    "Ms. Okonkwo-Reyes is a 53-year-old school bus driver with low back pain radiating down the back of the right "
                    "thigh to the outer calf for 9 weeks, since she lifted a wheelchair ramp on 05/12/2026. She completed 6 weeks "
                    "of physical therapy (twice weekly, 05/26/2026 to 07/07/2026) without improvement. Meloxicam 15 mg daily for "
                    "5 weeks gave no meaningful relief. The pain wakes her at night and she cannot finish a route.",
                    "She denies saddle anesthesia and has no bowel or bladder changes.",
                ),
            ),
            Section(
                "Past Medical History",
                ("Type 2 diabetes mellitus (E11.9), diet controlled. Hypothyroidism (E03.9) on levothyroxine.",),
            ),
            Section("Medications", ("Levothyroxine 75 mcg daily. Meloxicam stopped 06/30/2026.",)),
            Section(
                "Physical Examination",
                (
                    "BP 128/78, HR 72, BMI 31.6. Tender right lower lumbar paraspinals. Straight-leg raise positive on the right at "
                    "35 degrees. Right extensor hallucis longus 4+/5, otherwise 5/5. Decreased light touch over the dorsum of the "
                    "right foot. Reflexes 2+ and symmetric.",
                ),
            ),
            Section(
                "Data Reviewed",
                ("Lumbar spine X-ray 06/03/2026 (accession XR26-0448127): degenerative disc disease at L4-L5, no fracture.",),
            ),
            Section(
                "Assessment",
                (
                    "1. Lumbago with sciatica, right side (M54.41), 9 weeks, not improved with 6 weeks of physical therapy and "
                    "meloxicam.",
                    "2. Rule out L4-L5 disc herniation with radiculopathy (M51.16).",
                ),
            ),
            Section(
                "Plan",
                (
                    "MRI lumbar spine without contrast (CPT 72148). Letter of medical necessity to the health plan. Continue the "
                    "home exercise program from therapy. Neurosurgery referral if the MRI shows a compressive lesion.",
                ),
            ),
        ),
        truth={
            "npi": [npi_entry(doctor)],
            "cpt": ["72148"],
            "hcpcs": [],
            "icd10": [icd("E11.9"), icd("E03.9"), icd("M54.41"), icd("M51.16", "hypothetical")],
        },
        facts={
            "symptom_duration": [weeks(9)],
            "conservative_therapy": [
                therapy("physical_therapy", duration_weeks=6, outcome="failed"),
                therapy("nsaid", duration_weeks=5, outcome="failed"),
                therapy("home_exercise", duration_weeks=None, outcome="unknown"),
            ],
            "red_flag": [
                fact("saddle_anesthesia", "negated"),
                fact("bowel_bladder_dysfunction", "negated"),
                fact("fracture", "negated"),
            ],
            "bmi": [fact(31.6)],
        },
        decoys=contact + ("XR26-0448127", "128/78"),
    )
    the_order = order(
        title="RADIOLOGY ORDER",
        practice=practice,
        patient=patient,
        d=date(2026, 7, 16),
        provider=doctor,
        exams=(("CPT 72148", "MRI lumbar spine without contrast"),),
        diagnoses=(("M54.41", "Lumbago with sciatica, right side"),),
        indication="Right sciatica for 9 weeks with L5 sensory loss and mild EHL weakness; failed 6 weeks of physical therapy and "
        "meloxicam. X-ray 06/03/2026: degenerative disc disease, no fracture.",
        priority="[X] Routine   [ ] Urgent",
        facility=("Rio Grande Open MRI", "5301 Jefferson St NE, Albuquerque, NM 87109", facility),
        truth={"npi": [npi_entry(doctor), npi_entry(facility)], "cpt": ["72148"], "hcpcs": [], "icd10": [icd("M54.41")]},
        facts={
            "symptom_duration": [weeks(9)],
            "conservative_therapy": [
                therapy("physical_therapy", duration_weeks=6, outcome="failed"),
                therapy("nsaid", duration_weeks=None, outcome="failed"),
            ],
            "red_flag": [fact("fracture", "negated")],
        },
        decoys=contact + ("(505) 555-0184", "87109"),
        font="Times",
        size=11,
    )
    letter = medical_necessity_letter(
        practice=practice,
        patient=patient,
        d=date(2026, 7, 17),
        provider=doctor,
        credentials="Board certified, Family Medicine",
        addressee=(patient.payer, "Attn: Medical Director, Utilization Management", "PO Box 27140", "Albuquerque, NM 87125"),
        subject="Letter of Medical Necessity - MRI lumbar spine without contrast (CPT 72148)",
        salutation="Dear Medical Director:",
        paragraphs=(
            "I am writing on behalf of my patient, Ms. Okonkwo-Reyes, to request authorization of an MRI of the lumbar spine "
            "without contrast (CPT 72148). She has had low back pain radiating down the right leg for 9 weeks, since a lifting "
            "injury at work on 05/12/2026. Her diagnosis is lumbago with sciatica, right side (ICD-10-CM M54.41).",
            "Conservative treatment has failed. She completed 6 weeks of supervised physical therapy, twice weekly, with no "
            "improvement, and took meloxicam 15 mg daily for 5 weeks without relief. She keeps up the home exercise program. "
            "Plain films on 06/03/2026 showed degenerative disc disease at L4-L5 and no fracture.",
            "On examination she has a positive straight-leg raise on the right, reduced sensation over the dorsum of the right "
            "foot and mild weakness of the right great toe extensor, which point to an L5 radiculopathy. She has no history of "
            "cancer and no bowel or bladder symptoms.",
            "An MRI is needed to look for a disc herniation compressing the L5 nerve root and to decide between an epidural "
            "steroid injection and a surgical referral. Without it she cannot return to work as a school bus driver.",
            "Thank you for your review. Please call my office at (505) 555-0131 with any questions.",
        ),
        truth={"cpt": ["72148"], "hcpcs": [], "icd10": [icd("M54.41")]},
        facts={
            "symptom_duration": [weeks(9)],
            "conservative_therapy": [
                therapy("physical_therapy", duration_weeks=6, outcome="failed"),
                therapy("nsaid", duration_weeks=5, outcome="failed"),
                therapy("home_exercise", duration_weeks=None, outcome="unknown"),
                therapy("injection", duration_weeks=None, outcome="unknown", assertion="hypothetical"),
            ],
            "red_flag": [
                fact("fracture", "negated"),
                fact("malignancy", "negated"),
                fact("bowel_bladder_dysfunction", "negated"),
            ],
        },
        decoys=("27140", "87125", "87110", "(505) 555-0131", "(505) 555-0132"),
        font="Vera",
        size=10.5,
    )
    return Case(
        case_id="mri_lomn_xray_text",
        description="Lumbar MRI, commercial, New Mexico: text PDFs of the order, the office note, the prior lumbar X-ray report "
        "(a radiology system printout: rendering NPI, CPT 72100, fracture negated) and a letter of medical necessity. 9 weeks "
        "of right sciatica, 6 weeks of failed PT and meloxicam; a disc herniation is only to be ruled out (hypothetical).",
        request={
            "service_codes": ["72148"],
            "payer_name": patient.payer,
            "plan_type": "commercial",
            "state": "NM",
            "urgency": "standard",
            "request_date": "2026-07-20",
        },
        files=(
            FileSpec("order.pdf", "text_pdf", (the_order,)),
            FileSpec("office_note.pdf", "text_pdf", (the_note,)),
            FileSpec("xray_report.pdf", "text_pdf", (xray,)),
            FileSpec("letter_of_medical_necessity.pdf", "text_pdf", (letter,)),
        ),
        expected=expect(MRI_LUMBAR_REQUIREMENTS, missing=("mri-lumbar.red-flag",)),
    )


def mri_postop_fax_reports() -> Case:
    practice = Practice(
        "Front Range Spine Surgery", "1411 S Potomac St, Suite 300", "Aurora", "CO", "80012", "(303) 555-0171", "(303) 555-0172"
    )
    imaging = Practice(
        "Highline Imaging Center",
        "8100 S Quebec St, Suite 110",
        "Centennial",
        "CO",
        "80112",
        "(303) 555-0161",
        "(303) 555-0162",
        tagline="MRI  |  CT  |  Ultrasound  |  X-ray",
    )
    lab = Practice(
        "Front Range Medical Center Laboratory", "1500 S Potomac St", "Aurora", "CO", "80012", "(303) 555-0190", "(303) 555-0191"
    )
    patient = Patient(
        "Haugen",
        "Bertrand",
        "K",
        date(1961, 3, 2),
        "M",
        "FRS-7781203",
        "40-229157",
        "PKH 882 104 556",
        "Peak Harbor Health Insurance",
        "PHH-02291",
        "(720) 555-0149",
    )
    surgeon = Provider("Ines Calloway-Diaz, MD", "1673409128", True)
    facility = Provider("Cherry Creek MRI", "1918273644", True, role="facility")
    radiologist = Provider("Samuel Achterberg, MD", "1460382751", True, role="rendering")
    contact = ("80012", "(303) 555-0171", "(303) 555-0172", "FRS-7781203", "40-229157")
    visit = date(2026, 10, 1)
    pre_op_mri = imaging_report(
        group=imaging,
        style="centre",
        patient=patient,
        exam=Exam(
            name="MRI LUMBAR SPINE WITHOUT CONTRAST",
            cpt="72148",
            history="Right leg pain and numbness in an L5 distribution for 10 weeks despite physical therapy and an epidural "
            "steroid injection. Right L5 radiculopathy (M54.16). Surgical planning.",
            comparison="Lumbar spine radiographs of 06/20/2026.",
            technique="Sagittal T1, T2 and STIR and axial T1 and T2 images of the lumbar spine on a 1.5 T magnet, without "
            "intravenous contrast.",
            findings=(
                "Alignment: normal lordosis, no listhesis. Vertebral bodies: heights preserved, no fracture, no marrow edema. "
                "The conus ends normally at L1.",
                "L1-L2 through L3-L4: no disc herniation, no canal or foraminal stenosis.",
                "L4-L5: desiccated disc with a right paracentral extrusion measuring 9 mm, migrating 6 mm below the disc space "
                "and compressing the traversing right L5 nerve root in the lateral recess. Mild facet arthropathy. Mild central "
                "canal narrowing.",
                "L5-S1: small central disc bulge without nerve root contact. Foramina patent. Paraspinal soft tissues normal.",
            ),
            impression=(
                "Right paracentral disc extrusion at L4-L5, migrating inferiorly and compressing the traversing right L5 nerve "
                "root, in keeping with the right L5 radiculopathy.",
                "Mild central canal narrowing at L4-L5. No fracture.",
            ),
        ),
        exam_date=date(2026, 8, 14),
        exam_time="14:20",
        signed=date(2026, 8, 14),
        signed_time="16:02",
        facility_mrn="HIC-4471902",
        accession="MR26-0814-077",
        referring=surgeon.name,
        location="Centennial",
        radiologist=radiologist,
        truth={"cpt": ["72148"], "hcpcs": [], "icd10": [icd("M54.16")]},
        facts={
            "symptom_duration": [weeks(10)],
            "conservative_therapy": [
                therapy("physical_therapy", duration_weeks=None, outcome="failed"),
                therapy("injection", duration_weeks=None, outcome="failed"),
            ],
            "red_flag": [fact("fracture", "negated")],
        },
        decoys=("HIC-4471902", "MR26-0814-077", "80112", "(303) 555-0161", "(303) 555-0162"),
    )
    labs = lab_report(
        lab=lab,
        style="hospital",
        patient=patient,
        patient_id="FRMC-00928317",
        specimen_id="S26-274-00931",
        accession="26-274-1187",
        collected=(visit, "09:40"),
        received=(visit, "10:05"),
        reported=(visit, "14:22"),
        ordering=surgeon,
        diagnoses=("R50.9", "Z98.890"),
        panels=(
            Panel(
                "CBC WITH DIFFERENTIAL",
                "005009",
                (
                    Result("WBC", "13.8", "H", "x10^3/uL", "4.0-11.0"),
                    Result("Hemoglobin", "12.9", "L", "g/dL", "13.2-17.1"),
                    Result("Hematocrit", "38.6", "L", "%", "38.5-50.0"),
                    Result("Platelets", "402", "H", "x10^3/uL", "140-400"),
                    Result("Neutrophils", "84", "H", "%", "40-75"),
                ),
            ),
            Panel(
                "INFLAMMATORY MARKERS",
                "005215",
                (
                    Result("Sed rate (ESR)", "62", "H", "mm/h", "0-20"),
                    Result("C-reactive protein", "4.8", "H", "mg/dL", "0.0-0.9"),
                ),
            ),
            Panel(
                "BASIC METABOLIC PANEL",
                "322758",
                (
                    Result("Glucose", "131", "H", "mg/dL", "70-99"),
                    Result("Urea nitrogen (BUN)", "18", "", "mg/dL", "7-25"),
                    Result("Creatinine", "0.94", "", "mg/dL", "0.70-1.30"),
                    Result("Sodium", "136", "", "mmol/L", "135-146"),
                    Result("Potassium", "4.1", "", "mmol/L", "3.5-5.3"),
                ),
            ),
        ),
        comments=(
            "Blood cultures x2 drawn 10/01/2026 09:40: no growth at 4 hours; final report in 5 days.",
            "Critical values: none. ESR and CRP are nonspecific markers of inflammation.",
        ),
        director="Harlan Osterberg, MD",
        clia="06D0987612",
        truth={"cpt": [], "hcpcs": [], "icd10": [icd("R50.9"), icd("Z98.890")]},
        decoys=(
            "FRMC-00928317",
            "S26-274-00931",
            "26-274-1187",
            "06D0987612",
            "005009",
            "005215",
            "322758",
            "70-99",
            "(303) 555-0190",
        ),
    )
    pa_form = typed_form(
        TypedForm(
            payer=patient.payer,
            form_no="Form PHH-UM-114  Rev. 01/2026",
            contact=("Utilization Management", "Fax (800) 555-0113", "Phone (800) 555-0114"),
            title="ADVANCED IMAGING PRECERTIFICATION REQUEST",
            instructions="Complete every field and fax this form with the signed order and the most recent office note. Urgent "
            "requests are decided within 72 hours, standard requests within 7 calendar days. Incomplete forms are returned.",
            review=(("Standard", False), ("Urgent (72 hours): waiting could seriously harm the member's health", True)),
            parts=(
                Part(
                    "Member",
                    rows=(
                        (Blank("Member name", "HAUGEN, BERTRAND K", 200), Blank("Date of birth", "03/02/1961", 110)),
                        (Blank("Member ID", "PKH 882 104 556", 170), Blank("Group #", "PHH-02291", 120)),
                    ),
                ),
                Part(
                    "Ordering provider",
                    rows=(
                        (Blank("Name", "INES CALLOWAY-DIAZ, MD", 200), Blank("NPI", "1673409128", 110)),
                        (
                            Blank("Tax ID", "84-1937206", 100),
                            Blank("Phone", "(303) 555-0171", 120),
                            Blank("Fax", "(303) 555-0172", 110),
                        ),
                        (Blank("Office contact", "DANA, SURGERY SCHEDULER", 220),),
                    ),
                ),
                Part(
                    "Imaging facility",
                    rows=((Blank("Facility", "CHERRY CREEK MRI", 190), Blank("Facility NPI", "1918273644", 110)),),
                ),
                Part(
                    "Requested service",
                    rows=(
                        (Blank("CPT code", "72158", 60), Blank("Description", "MRI LUMBAR SPINE W/O AND W/ CONTRAST", 270)),
                        (Blank("ICD-10 codes", "M54.50, R50.9", 140), Blank("Planned start date", "10/02/2026", 100)),
                    ),
                    typed_label="Clinical summary",
                    typed_lines=(
                        "3 WKS S/P RIGHT L4-5 MICRODISCECTOMY 09/08/2026. 10 DAYS OF WORSENING LOW BACK PAIN, FEVER 38.4 C, "
                        "WOUND DRAINAGE. WBC 13.8, ESR 62, CRP 4.8. SUSPECTED SPINAL INFECTION (DISCITIS VS EPIDURAL ABSCESS).",
                    ),
                ),
            ),
            attestation="I certify that the information given is true and complete and is supported by the member's medical "
            "record.",
            signed="10/02/2026",
            style="lines",
        ),
        d=date(2026, 10, 2),
        fields={
            "member_id": [patient.member_id_truth],
            "patient_name": [patient.name_truth],
            "patient_dob": [patient.dob.isoformat()],
            "payer_name": [patient.payer],
            "group_number": [patient.group],
            "document_date": ["2026-10-02"],
            "npi": [npi_entry(surgeon), npi_entry(facility)],
            "tax_id": ["84-1937206"],
            "cpt": ["72158"],
            "hcpcs": [],
            "icd10": [icd("M54.50"), icd("R50.9")],
        },
        facts={"symptom_duration": [weeks(1.4)], "red_flag": [fact("suspected_infection")]},
        decoys=("(800) 555-0113", "(800) 555-0114", "(303) 555-0171", "(303) 555-0172", "PHH-UM-114"),
    )
    the_order = order(
        title="URGENT MRI ORDER",
        practice=practice,
        patient=patient,
        d=visit,
        provider=surgeon,
        exams=(("CPT 72158", "MRI lumbar spine without contrast, followed by contrast"),),
        diagnoses=(
            ("M54.50", "Low back pain, unspecified"),
            ("R50.9", "Fever, unspecified"),
            ("Z98.890", "Other specified postprocedural states"),
        ),
        indication="Fever and worsening back pain 3 weeks after a right L4-L5 microdiscectomy; ESR 62, CRP 4.8. Suspected "
        "spinal infection: discitis or epidural abscess.",
        priority="[ ] Routine   [X] Urgent (same day)",
        facility=("Cherry Creek MRI", "3955 E Exposition Ave, Denver, CO 80209", facility),
        truth={
            "npi": [npi_entry(surgeon), npi_entry(facility)],
            "cpt": ["72158"],
            "hcpcs": [],
            "icd10": [icd("M54.50"), icd("R50.9"), icd("Z98.890")],
        },
        facts={"red_flag": [fact("suspected_infection")]},
        decoys=contact + ("(720) 555-0149", "80209"),
        font="Vera",
        size=10,
    )
    the_note = note(
        title="SPINE SURGERY CLINIC NOTE",
        practice=practice,
        patient=patient,
        d=visit,
        provider=surgeon,
        visit="Postoperative, unscheduled",
        font="Times",
        size=11,
        sections=(
            Section(
                "Subjective",
                (
                    "Mr. Haugen is 3 weeks out from a right L4-L5 microdiscectomy on 09/08/2026. His right leg pain resolved after "
                    "surgery. For the past 10 days he has had worsening low back pain, now constant and worse at night, with fevers "
                    "to 38.4 C at home and drainage from the incision since 09/28/2026.",
                    "He denies saddle anesthesia and urinary retention.",
                ),
            ),
            Section("Past Medical History", ("Hypertension (I10). Hyperlipidemia (E78.5). Former smoker, quit 2012 (Z87.891).",)),
            Section(
                "Past Surgical History",
                ("Right L4-L5 microdiscectomy 09/08/2026 for a disc extrusion with right L5 radiculopathy (M51.16).",),
            ),
            Section(
                "Objective",
                (
                    "Temperature 38.3 C, HR 98, BP 136/84. Incision: 2 cm of erythema around its lower end with serous drainage, "
                    "no fluctuance. Marked tenderness to percussion over L4-L5. Straight-leg raise negative. Strength 5/5, "
                    "sensation intact, reflexes symmetric.",
                    "Labs today (accession 26-274-1187): WBC 13.8, ESR 62 mm/h, CRP 4.8 mg/dL. Blood cultures pending.",
                ),
            ),
            Section(
                "Assessment",
                (
                    "1. Worsening low back pain (M54.50) with fever (R50.9) after lumbar microdiscectomy (Z98.890): suspected "
                    "spinal infection, postoperative discitis at L4-L5 (M46.46) versus epidural abscess.",
                    "2. Right L5 radiculopathy (M54.16), resolved after surgery.",
                ),
            ),
            Section(
                "Plan",
                (
                    "Urgent MRI lumbar spine without and with contrast (CPT 72158) today. Hold antibiotics until blood cultures "
                    "and, if needed, an image-guided aspirate are obtained. Return to the emergency department for new weakness, "
                    "numbness or urinary retention.",
                ),
            ),
        ),
        truth={
            "npi": [npi_entry(surgeon)],
            "cpt": ["72158"],
            "hcpcs": [],
            "icd10": [
                icd("I10"),
                icd("E78.5"),
                icd("Z87.891"),
                icd("M51.16", "historical"),
                icd("M54.50"),
                icd("R50.9"),
                icd("Z98.890"),
                icd("M46.46", "hypothetical"),
                icd("M54.16", "historical"),
            ],
        },
        facts={
            "symptom_duration": [weeks(1.4)],
            "red_flag": [
                fact("suspected_infection"),
                fact("saddle_anesthesia", "negated"),
                fact("bowel_bladder_dysfunction", "negated"),
                fact("bowel_bladder_dysfunction", "hypothetical"),  # "return ... for urinary retention"
            ],
        },
        decoys=contact + ("26-274-1187", "136/84"),
    )
    return Case(
        case_id="mri_postop_fax_reports",
        description="Lumbar MRI without and with contrast (72158), commercial, Colorado, urgent: a fine fax of the payer's "
        "precertification form filled in on a typewriter, the order and the surgeon's note; the pre-operative MRI report "
        "scanned at 300 DPI; the hospital lab results as a text PDF. Fever and back pain 3 weeks after a microdiscectomy: "
        "suspected spinal infection (red flag); discitis M46.46 only suspected (hypothetical).",
        request={
            "service_codes": ["72158"],
            "payer_name": patient.payer,
            "plan_type": "commercial",
            "state": "CO",
            "urgency": "urgent",
            "request_date": "2026-10-02",
        },
        files=(
            FileSpec(
                "fax_fine_form_order_note.tif",
                "fax_tiff",
                (pa_form, the_order, the_note),
                dpi=(204, 196),
                fax_header="FROM: FRONT RANGE SPINE SURGERY   FAX (303) 555-0172   10/02/2026 07:58   PAGE {page}/{pages}",
            ),
            FileSpec("prior_mri_report_scan.pdf", "scan_pdf", (pre_op_mri,), dpi=300),
            FileSpec("lab_results.pdf", "text_pdf", (labs,)),
        ),
        expected=expect(MRI_LUMBAR_REQUIREMENTS),
    )


CASES = (mri_lomn_xray_text, mri_postop_fax_reports)
