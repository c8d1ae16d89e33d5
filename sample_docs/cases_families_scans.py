"""Service-family cases on paper: a knee arthroplasty request scanned at 200 DPI, a cardiac
catheterization request faxed, and a Medicare hospital outpatient facet block request scanned
at 300 DPI. Every person, ID, address and phone number here is made up; 555-01xx numbers are
reserved for fiction."""

from __future__ import annotations

from datetime import date

from sample_docs.cases_families import MONTH_WEEKS, service_order
from sample_docs.layout import Practice, Section
from sample_docs.spec import (
    CATH_CORONARY_REQUIREMENTS,
    FACET_MEDICARE_OPD_REQUIREMENTS,
    TKA_REQUIREMENTS,
    Case,
    FileSpec,
    Patient,
    Provider,
    expect,
    fact,
    icd,
    note,
    npi_entry,
    therapy,
    weeks,
)

# --- 2. Total knee arthroplasty after 6 weeks of care, scanned ------------------------------------


def tka_short_trial_scan() -> Case:
    practice = Practice(
        "Mogollon Rim Orthopedics",
        "1100 N Beeline Hwy, Suite 4",
        "Payson",
        "AZ",
        "85541",
        "(928) 555-0133",
        "(928) 555-0136",
    )
    patient = Patient(
        "Castellanos-Whitley",
        "Rosalind",
        "J",
        date(1951, 11, 3),
        "F",
        "MRO-77410",
        "3308816",
        "RRA 448201937",
        "Red Rock Senior Advantage (HMO)",
        "RRS-3310",
        "(928) 555-0185",
    )
    surgeon = Provider("Malcolm Oyelaran-Reese, DO", "1588787683", True)
    centre = Provider("Rim Country Surgical Center", "1526329309", True, role="facility")
    contact = ("85541", "(928) 555-0133", "(928) 555-0136", "MRO-77410", "3308816")
    the_note = note(
        title="ORTHOPEDIC OFFICE VISIT",
        practice=practice,
        patient=patient,
        d=date(2026, 10, 7),
        provider=surgeon,
        visit="Established patient, follow-up",
        font="Helvetica",
        size=10.5,
        sections=(
            Section("Chief Complaint", ("Left knee pain, wants to discuss replacement.",)),
            Section(
                "History of Present Illness",
                (
                    "Mrs. Castellanos-Whitley is a 74-year-old woman with left knee pain for 18 months, worse since the "
                    "spring. She has difficulty climbing stairs, can walk only 10 minutes, and is unable to stand long "
                    "enough to cook a meal. She uses a cane outside the house.",
                    "Physical therapy was started 6 weeks ago (08/26/2026), twice weekly, with little improvement so far. "
                    "Meloxicam 15 mg daily for the same 6 weeks has not helped. She has not had a steroid injection: she "
                    "declined one because of her diabetes. No brace.",
                ),
            ),
            Section(
                "Past Medical History",
                (
                    "Atrial fibrillation (I48.91) on apixaban. Type 2 diabetes mellitus (E11.9). Right distal radius "
                    "fracture (S52.501A) in 2019.",
                ),
            ),
            Section("Medications", ("Apixaban 5 mg twice daily, metformin 500 mg twice daily, meloxicam 15 mg daily.",)),
            Section(
                "Physical Examination",
                (
                    "BP 142/78, HR 70 irregular, BMI 29.3. Antalgic gait with a cane. Left knee: mild varus, trace effusion, "
                    "range of motion 0 to 105 degrees, crepitus, medial joint line tenderness, ligaments stable. Skin "
                    "intact, no signs of infection. Neurovascularly intact.",
                ),
            ),
            Section(
                "Data Reviewed",
                (
                    "Standing radiographs of the left knee in clinic today: Kellgren-Lawrence grade 3 medial compartment "
                    "osteoarthritis. Knee aspiration 09/16/2026: 450 cells, no crystals, culture negative: gout (M10.062) "
                    "excluded and no infection.",
                ),
            ),
            Section(
                "Pre-operative Evaluation",
                (
                    "Pre-operative evaluation by her cardiologist on 09/30/2026: acceptable surgical risk; apixaban to be "
                    "held 48 hours before surgery.",
                ),
            ),
            Section(
                "Assessment",
                (
                    "1. Unilateral primary osteoarthritis of the left knee (M17.12), Kellgren-Lawrence grade 3, pain limiting "
                    "her daily activities.",
                    "2. Paroxysmal atrial fibrillation on anticoagulation (I48.91).",
                ),
            ),
            Section(
                "Plan",
                (
                    "She wishes to proceed with a left total knee arthroplasty (CPT 27447); request submitted. Continue "
                    "physical therapy and meloxicam meanwhile. Return in 4 weeks.",
                ),
            ),
        ),
        truth={
            "npi": [npi_entry(surgeon)],
            "cpt": ["27447"],
            "hcpcs": [],
            "icd10": [
                icd("I48.91"),
                icd("E11.9", "historical"),
                icd("S52.501A", "historical"),
                icd("M10.062", "negated"),
                icd("M17.12"),
            ],
        },
        facts={
            "symptom_duration": [weeks(round(18 * MONTH_WEEKS, 1))],
            "conservative_therapy": [
                therapy("physical_therapy", duration_weeks=6, outcome="failed"),
                therapy("nsaid", duration_weeks=6, outcome="failed"),
                therapy("injection", duration_weeks=None, outcome="unknown", assertion="negated"),
                therapy("bracing", duration_weeks=None, outcome="unknown", assertion="negated"),
            ],
            "bmi": [fact(29.3)],
            "red_flag": [fact("fracture", "historical")],
        },
        decoys=contact + ("142/78", "450 cells"),
    )
    the_order = service_order(
        title="SURGERY SCHEDULING ORDER",
        practice=practice,
        patient=patient,
        d=date(2026, 10, 8),
        provider=surgeon,
        heading="Procedure Requested",
        lines=(
            ("CPT 27447", "Total knee arthroplasty, left"),
            ("Setting", "Ambulatory surgery center, same day"),
            ("Priority", "[X] Elective   [ ] Urgent"),
        ),
        diagnoses=(("M17.12", "Unilateral primary osteoarthritis, left knee"),),
        indication="Left knee osteoarthritis, Kellgren-Lawrence grade 3; pain limits walking and stairs; physical therapy and "
        "meloxicam for 6 weeks without improvement.",
        place=(
            "Performing Facility",
            (
                ("Facility", "Rim Country Surgical Center"),
                ("Address", "807 S Ponderosa St, Payson, AZ 85541"),
                ("Facility NPI", centre.npi),
            ),
        ),
        truth={"npi": [npi_entry(surgeon), npi_entry(centre)], "cpt": ["27447"], "hcpcs": [], "icd10": [icd("M17.12")]},
        facts={
            "conservative_therapy": [
                therapy("physical_therapy", duration_weeks=6, outcome="failed"),
                therapy("nsaid", duration_weeks=6, outcome="failed"),
            ]
        },
        decoys=contact + ("(928) 555-0185",),
        font="Times",
        size=11,
    )
    return Case(
        case_id="tka_short_trial_scan",
        description="Total knee arthroplasty, Medicare Advantage, Arizona: one 200-DPI scan, order p1 and office note p2-3. "
        "Kellgren-Lawrence grade 3 in the note (no imaging report, so the radiographic-findings branch is missing), pain "
        "limits daily activities, no infection, cleared by cardiology; but physical therapy and meloxicam only for 6 weeks "
        "and the injection declined (negated): conservative care is missing. Gout M10.062 excluded (negated).",
        request={
            "service_codes": ["27447"],
            "payer_name": patient.payer,
            "plan_type": "medicare_advantage",
            "state": "AZ",
            "urgency": "standard",
            "request_date": "2026-10-12",
        },
        files=(FileSpec("scan_order_and_note_200dpi.pdf", "scan_pdf", (the_order, the_note), dpi=200),),
        expected=expect(
            TKA_REQUIREMENTS,
            missing=(
                "tka.radiographic-findings",
                "tka.joint-space-narrowing",
                "tka.osteophytes",
                "tka.sclerosis-or-cysts",
                "tka.subluxation",
                "tka.conservative-care",
            ),
        ),
    )


# --- 3. Cardiac catheterization without a stress test, faxed -------------------------------------


def cath_no_stress_test_fax() -> Case:
    practice = Practice(
        "Pikes Peak Heart & Vascular",
        "2222 N Nevada Ave, Suite 400",
        "Colorado Springs",
        "CO",
        "80907",
        "(719) 555-0125",
        "(719) 555-0117",
    )
    patient = Patient(
        "Lindqvist-Amara",
        "Desmond",
        "R",
        date(1963, 6, 14),
        "M",
        "PPH-509127",
        "44180263",
        "CSH447122908",
        "Columbine State Health Plan",
        "CSH-77102",
        "(719) 555-0199",
    )
    cardiologist = Provider("Renata Sokolova-Baines, MD", "1578085767", True)
    cath_lab = Provider("Pikes Peak Regional Hospital Cath Lab", "1338087830", True, role="facility")
    contact = ("80907", "(719) 555-0125", "(719) 555-0117", "PPH-509127", "44180263")
    the_order = service_order(
        title="CARDIAC CATHETERIZATION ORDER",
        practice=practice,
        patient=patient,
        d=date(2026, 10, 14),
        provider=cardiologist,
        heading="Procedure Requested",
        lines=(
            ("CPT 93458", "Left heart cath with coronary angiography"),
            ("Access", "Right radial, femoral backup"),
            ("Sedation", "Moderate, by cath lab nursing"),
            ("Priority", "[X] Elective   [ ] Urgent"),
        ),
        diagnoses=(("I20.9", "Angina pectoris, unspecified"),),
        indication="Exertional chest pressure for 3 months, persisting on metoprolol; LVEF 55% on echo 09/03/2026.",
        place=(
            "Performing Facility",
            (
                ("Facility", "Pikes Peak Regional Hospital Cath Lab"),
                ("Address", "1400 E Boulder St, Colorado Springs, CO 80909"),
                ("Facility NPI", cath_lab.npi),
            ),
        ),
        truth={"npi": [npi_entry(cardiologist), npi_entry(cath_lab)], "cpt": ["93458"], "hcpcs": [], "icd10": [icd("I20.9")]},
        facts={"symptom_duration": [weeks(round(3 * MONTH_WEEKS, 1))], "ejection_fraction": [fact(55)]},
        decoys=contact + ("(719) 555-0199", "80909"),
        font="Courier",
        size=10,
    )
    the_note = note(
        title="CARDIOLOGY CONSULTATION",
        practice=practice,
        patient=patient,
        d=date(2026, 10, 13),
        provider=cardiologist,
        visit="New patient consultation",
        font="Courier",
        size=10,
        sections=(
            Section("Reason for Consultation", ("Exertional chest pressure.",)),
            Section(
                "History of Present Illness",
                (
                    "Mr. Lindqvist-Amara is a 63-year-old electrician with 3 months of chest pressure when he walks uphill "
                    "or carries tools up stairs, relieved by rest within 5 minutes. The pattern is stable: 2 to 3 episodes "
                    "a week, never at rest. Seen in the emergency department on 09/02/2026 for chest pain: troponin "
                    "negative twice, ECG without acute changes; unstable angina (I20.0) was ruled out.",
                    "Metoprolol succinate was started in the emergency department and increased to 50 mg daily on "
                    "09/15/2026; he still has exertional pressure and uses sublingual nitroglycerin about twice a week. He "
                    "has not had a stress test.",
                ),
            ),
            Section(
                "Past Medical History",
                ("Hyperlipidemia (E78.5). Former smoker, 25 pack-years, quit in 2015 (Z87.891). Appendectomy in 1988.",),
            ),
            Section(
                "Medications",
                (
                    "Metoprolol succinate 50 mg daily, atorvastatin 80 mg daily, aspirin 81 mg daily, nitroglycerin 0.4 mg "
                    "sublingual as needed, lisinopril 10 mg daily.",
                ),
            ),
            Section(
                "Physical Examination",
                (
                    "BP 142/86, HR 64, BMI 28.9. No jugular venous distension. Regular rhythm, no murmur or gallop. Lungs "
                    "clear. No edema; radial and pedal pulses 2+.",
                ),
            ),
            Section(
                "Data Reviewed",
                (
                    "Echocardiogram 09/03/2026: LVEF 55%, normal wall motion, mild concentric LVH, no significant valve "
                    "disease. ECG today: sinus rhythm 62 bpm, no ST-segment changes. Labs 09/03/2026: LDL 102 mg/dL, "
                    "creatinine 1.0 mg/dL, HbA1c 5.9%.",
                ),
            ),
            Section(
                "Assessment",
                (
                    "1. Stable exertional angina (I20.9), persisting on a beta blocker; suspected coronary artery disease "
                    "(I25.10).",
                    "2. Hypertension (I10), not at goal. 3. Hyperlipidemia (E78.5) on high-intensity statin.",
                ),
            ),
            Section(
                "Plan",
                (
                    "Left heart catheterization with coronary angiography (CPT 93458) by right radial access. Continue "
                    "metoprolol, atorvastatin and aspirin. Stress testing discussed; he prefers to go directly to "
                    "angiography. Return after the catheterization.",
                ),
            ),
        ),
        truth={
            "npi": [npi_entry(cardiologist)],
            "cpt": ["93458"],
            "hcpcs": [],
            "icd10": [
                icd("E78.5"),
                icd("Z87.891", "historical"),
                icd("I20.0", "negated"),
                icd("I20.9"),
                icd("I25.10", "hypothetical"),
                icd("I10"),
            ],
        },
        facts={
            "symptom_duration": [weeks(round(3 * MONTH_WEEKS, 1))],
            "ejection_fraction": [fact(55)],
            "bmi": [fact(28.9)],
            "hba1c": [fact(5.9)],
        },
        decoys=contact + ("142/86", "102 mg/dL", "5.9%"),
    )
    return Case(
        case_id="cath_no_stress_test_fax",
        description="Left heart catheterization with coronary angiography (93458), commercial, Colorado: fine fax TIFF, order "
        "p1 and cardiology consultation p2-3 (Courier). Stable angina I20.9 on metoprolol and a statin, LVEF 55% quoted from "
        "the echo (no echo report attached), but no stress test and no reason to skip one (unstable angina I20.0 ruled "
        "out, EF normal): the ischemia work-up is missing. Suspected CAD I25.10 hypothetical.",
        request={
            "service_codes": ["93458"],
            "payer_name": patient.payer,
            "plan_type": "commercial",
            "state": "CO",
            "urgency": "standard",
            "request_date": "2026-10-15",
        },
        files=(
            FileSpec(
                "fax_fine_204x196.tif",
                "fax_tiff",
                (the_order, the_note),
                dpi=(204, 196),
                fax_header="OCT-14-2026 17:22   PIKES PEAK HEART VASC   (719) 555-0117   P.{page}/{pages}",
            ),
        ),
        expected=expect(
            CATH_CORONARY_REQUIREMENTS,
            missing=(
                "cath.ecg-echo-report",
                "cath.ischemia-indication",
                "cath.stable-ischemia",
                "cath.stress-test",
                "cath.acute-coronary-syndrome",
                "cath.reduced-ef",
            ),
        ),
    )


# --- 7. Medicare hospital outpatient facet block, scanned ----------------------------------------


def facet_medicare_opd_scan() -> Case:
    practice = Practice(
        "Superstition Spine & Pain",
        "2950 S Alma School Rd, Suite 12",
        "Mesa",
        "AZ",
        "85210",
        "(480) 555-0104",
        "(480) 555-0105",
    )
    patient = Patient(
        "Dunleavy",
        "Marguerite",
        "A",
        date(1952, 12, 1),
        "F",
        "SPM-774120",
        "5518830",
        "7TR2-XM4-KJ19",
        "Medicare (Noridian JF)",
        None,
        "(480) 555-0196",
    )
    doctor = Provider("Cyrus Abernethy-Kaur, MD", "1619899416", True)
    hospital = Provider("Desert Bloom Medical Center", "1394934834", True, role="facility")
    contact = ("85210", "(480) 555-0104", "(480) 555-0105", "SPM-774120", "5518830")
    the_order = service_order(
        title="PROCEDURE ORDER",
        practice=practice,
        patient=patient,
        d=date(2026, 10, 22),
        provider=doctor,
        heading="Procedure Requested",
        lines=(
            ("CPT 64493", "Lumbar facet joint nerve block, 1 level, image guided"),
            ("Level / side", "Right L4-L5 medial branches (L3 and L4)"),
            ("Purpose", "First diagnostic medial branch block"),
            ("Guidance", "Fluoroscopy"),
            ("Date of service", "11/18/2026 (anticipated)"),
        ),
        diagnoses=(
            ("M47.816", "Spondylosis w/o myelopathy or radiculopathy, lumbar"),
            ("M54.50", "Low back pain, unspecified"),
        ),
        indication="Axial low back pain for 7 months, 7/10 NRS, ODI 44%; 4 months of failed physical therapy and naproxen; "
        "no radicular symptoms.",
        place=(
            "Hospital Outpatient Department",
            (
                ("Facility", "Desert Bloom Medical Center, Pain Procedures"),
                ("Address", "1400 S Dobson Rd, Mesa, AZ 85202"),
                ("Facility NPI", hospital.npi),
                ("CCN / PTAN", "030147 / A55210"),
            ),
        ),
        truth={
            "npi": [npi_entry(doctor), npi_entry(hospital)],
            "cpt": ["64493"],
            "hcpcs": [],
            "icd10": [icd("M47.816"), icd("M54.50")],
            "date_of_service": ["2026-11-18"],
        },
        facts={
            "symptom_duration": [weeks(round(7 * MONTH_WEEKS, 1))],
            "conservative_therapy": [
                therapy("physical_therapy", duration_weeks=round(4 * MONTH_WEEKS, 1), outcome="failed"),
                therapy("nsaid", duration_weeks=round(4 * MONTH_WEEKS, 1), outcome="failed"),
            ],
        },
        decoys=contact + ("(480) 555-0196", "85202", "030147"),
    )
    the_note = note(
        title="INTERVENTIONAL PAIN CONSULTATION",
        practice=practice,
        patient=patient,
        d=date(2026, 10, 20),
        provider=doctor,
        visit="New patient consultation",
        show_member_id=True,
        sections=(
            Section("Chief Complaint", ("Low back pain.",)),
            Section(
                "History of Present Illness",
                (
                    "Mrs. Dunleavy is a 73-year-old woman with axial low back pain for 7 months, across the lower lumbar "
                    "spine and into both buttocks, worse with standing, walking and leaning back, better sitting. No pain, "
                    "numbness or weakness in the legs. Baseline pain 7/10 on the NRS. Oswestry Disability Index (ODI) 44%. "
                    "She has difficulty standing long enough to cook and can walk only 15 minutes.",
                    "She completed 4 months of conservative care without relief: physical therapy twice weekly from "
                    "06/15/2026 to 10/09/2026 with a home exercise program, naproxen 500 mg twice daily for 4 months, and "
                    "activity modification.",
                ),
            ),
            Section(
                "Past Medical History",
                (
                    "Osteoporosis (M81.0) on alendronate. Hypertension (I10). Breast cancer (C50.911) in 2009, treated with "
                    "lumpectomy and radiation, no recurrence.",
                ),
            ),
            Section("Medications", ("Alendronate 70 mg weekly, losartan 50 mg daily, acetaminophen 1 g twice daily.",)),
            Section(
                "Physical Examination",
                (
                    "BP 132/76, HR 72, BMI 26.1. Tender over the right more than left L4-L5 and L5-S1 facets; pain with "
                    "lumbar extension and rotation (facet loading positive). Straight-leg raise negative bilaterally. "
                    "Strength 5/5, reflexes 2+ and symmetric, sensation intact.",
                ),
            ),
            Section(
                "Imaging",
                (
                    "MRI lumbar spine 09/22/2026: facet arthropathy with small effusions at L4-L5 and L5-S1, right more than "
                    "left; no significant canal or foraminal stenosis; no fracture.",
                ),
            ),
            Section(
                "Assessment",
                (
                    "1. Lumbar spondylosis without myelopathy or radiculopathy (M47.816): facet-mediated axial low back pain "
                    "(M54.50), 7/10, ODI 44%, 7 months, after failed conservative care.",
                    "2. Lumbar radiculopathy (M54.16) is not present. 3. Spinal stenosis with neurogenic claudication "
                    "(M48.062) ruled out by MRI.",
                ),
            ),
            Section(
                "Plan",
                (
                    "First diagnostic right L4-L5 medial branch block (CPT 64493) under fluoroscopy at Desert Bloom Medical "
                    "Center, anticipated 11/18/2026. Pain diary for 6 hours after the block, on the same NRS. A second "
                    "confirmatory block only if the first gives at least 80% relief; radiofrequency ablation would follow "
                    "two positive blocks.",
                ),
            ),
        ),
        truth={
            "npi": [npi_entry(doctor)],
            "cpt": ["64493"],
            "hcpcs": [],
            "icd10": [
                icd("M81.0", "historical"),
                icd("I10", "historical"),
                icd("C50.911", "historical"),
                icd("M47.816"),
                icd("M54.50"),
                icd("M54.16", "negated"),
                icd("M48.062", "negated"),
            ],
        },
        facts={
            "symptom_duration": [weeks(round(7 * MONTH_WEEKS, 1))],
            "conservative_therapy": [
                therapy("physical_therapy", duration_weeks=round(4 * MONTH_WEEKS, 1), outcome="failed"),
                therapy("home_exercise", duration_weeks=None, outcome="failed"),
                therapy("nsaid", duration_weeks=round(4 * MONTH_WEEKS, 1), outcome="failed"),
                therapy("activity_modification", duration_weeks=None, outcome="failed"),
                therapy("injection", duration_weeks=None, outcome="unknown", assertion="hypothetical"),
            ],
            "red_flag": [fact("malignancy", "historical"), fact("fracture", "negated")],
            "bmi": [fact(26.1)],
        },
        decoys=contact + ("132/76",),
    )
    return Case(
        case_id="facet_medicare_opd_scan",
        description="Lumbar medial branch block (64493), Medicare hospital outpatient, Arizona, date of service on the request: "
        "one 300-DPI scan, order p1 (anticipated date of service, hospital NPI, CCN decoy) and pain consultation p2-3. Axial "
        "pain 7/10 NRS, ODI 44%, 7 months, 4 months of failed PT and naproxen: complete. Radiculopathy M54.16 and stenosis "
        "M48.062 (both excluded codes) are negated; breast cancer historical.",
        request={
            "service_codes": ["64493"],
            "payer_name": patient.payer,
            "plan_type": "medicare",
            "state": "AZ",
            "urgency": "standard",
            "request_date": "2026-10-26",
            "date_of_service": "2026-11-18",
        },
        files=(FileSpec("scan_order_and_note_300dpi.pdf", "scan_pdf", (the_order, the_note), dpi=300),),
        expected=expect(FACET_MEDICARE_OPD_REQUIREMENTS),
    )


CASES = (tka_short_trial_scan, cath_no_stress_test_fax, facet_medicare_opd_scan)
