"""Cases that bring the member's ID card: an Arizona Medicare Advantage sleep study whose only member
ID is on a phone photo of the card (with the MBI), beside a scanned lab report; and an Arizona
AHCCCS lumbar MRI with the card copied front and back, the health plan's form filled in on a
typewriter and scanned, and an NPI typo that leaves only the facility's NPI valid. Every person,
ID, address and phone number here is made up; 555-01xx numbers are reserved for fiction."""

from __future__ import annotations

from datetime import date

from sample_docs.cards import CardLine, card_copy, card_front
from sample_docs.layout import Practice, Section
from sample_docs.reports import Panel, Result, lab_report
from sample_docs.spec import (
    MRI_LUMBAR_REQUIREMENTS,
    PSG_REQUIREMENTS,
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


def sleep_ma_card_photo_lab_scan() -> Case:
    practice = Practice(
        "Verde River Pulmonary & Sleep",
        "7320 N La Cholla Blvd, Suite 150",
        "Tucson",
        "AZ",
        "85741",
        "(520) 555-0134",
        "(520) 555-0135",
    )
    lab = Practice(
        "Desert Sun Clinical Laboratories", "2850 E Grant Rd", "Tucson", "AZ", "85716", "(520) 555-0170", "(520) 555-0172"
    )
    patient = Patient(
        "Castellanos-Pryor",
        "Walter",
        "E",
        date(1948, 11, 23),
        "M",
        "VRP-604418",
        "2291-0457",
        "OSC 48213 7706",
        "Ocotillo Senior Care Advantage",
        None,
        "(520) 555-0188",
    )
    mbi = "3TW7-KP5-RX62"
    doctor = Provider("Renata Okafor-Lindqvist, MD", "1827364500", True)
    sleep_lab = Provider("Verde River Sleep Lab", "1154938272", True, role="facility")
    pcp = Provider("Lena Whitcombe, MD", "1573849209", True)
    card = card_front(
        patient=patient,
        band=(patient.payer, "Medicare Advantage HMO      H5521-017"),
        lines=(
            CardLine(((12, "Member Name", "WALTER E CASTELLANOS-PRYOR"),), size=8.5, stacked=True),
            CardLine(((12, "Member ID", patient.member_id), (132, "Medicare ID (MBI)", mbi)), size=8.5, stacked=True),
            CardLine(((12, "PCP", pcp.name), (132, "PCP Phone", "(520) 555-0126")), size=7, stacked=True, bold_values=False),
            CardLine(((12, "", "Copays: PCP $0   Specialist $35   Urgent Care $40   ER $90"),), size=6.2, bold_values=False),
            CardLine(((12, "", "RxBIN 610097    RxPCN MEDDADV    RxGRP OSCMAPD"),), size=6.6),
        ),
        footer=("Member Services 1-800-555-0118 (TTY 711), 8 am to 8 pm, 7 days", "Effective 01/01/2026"),
        member_ids=(patient.member_id_truth, mbi.replace("-", "")),
        dob=False,
        decoys=("610097", "MEDDADV", "OSCMAPD", "H5521-017", "(520) 555-0126", "1-800-555-0118"),
        effective=date(2026, 1, 1),
    )
    labs = lab_report(
        lab=lab,
        style="reference",
        patient=patient,
        patient_id="DSL-7720419",
        specimen_id="26-118734",
        accession="DS0420-2237",
        collected=(date(2026, 4, 20), "07:55"),
        received=(date(2026, 4, 20), "11:30"),
        reported=(date(2026, 4, 21), "06:12"),
        ordering=pcp,
        diagnoses=("E11.65", "I50.22", "R53.83"),
        panels=(
            Panel(
                "Hemoglobin A1c",
                "001453",
                (
                    Result("Hemoglobin A1c", "7.4", "H", "%", "4.8-5.6"),
                    Result("Estimated average glucose", "166", "", "mg/dL", ""),
                ),
            ),
            Panel("Thyroid-stimulating hormone", "004259", (Result("TSH", "2.840", "", "uIU/mL", "0.450-4.500"),)),
            Panel(
                "CBC",
                "005009",
                (
                    Result("WBC", "7.2", "", "x10E3/uL", "3.4-10.8"),
                    Result("RBC", "5.62", "", "x10E6/uL", "4.14-5.80"),
                    Result("Hemoglobin", "15.9", "", "g/dL", "13.0-17.7"),
                    Result("Hematocrit", "49.6", "", "%", "37.5-51.0"),
                    Result("Platelets", "214", "", "x10E3/uL", "150-450"),
                ),
            ),
            Panel(
                "Comprehensive metabolic panel",
                "322000",
                (
                    Result("Glucose, fasting", "142", "H", "mg/dL", "70-99"),
                    Result("Creatinine", "1.18", "", "mg/dL", "0.76-1.27"),
                    Result("eGFR", "63", "", "mL/min/1.73", ">59"),
                    Result("Sodium", "139", "", "mmol/L", "134-144"),
                    Result("Potassium", "4.6", "", "mmol/L", "3.5-5.2"),
                    Result("Carbon dioxide, total", "31", "H", "mmol/L", "20-29"),
                    Result("Albumin", "4.1", "", "g/dL", "3.8-4.8"),
                ),
            ),
        ),
        comments=(
            "Specimen: fasting, venous. Interpretation of HbA1c (ADA): 5.7-6.4% increased risk of diabetes; 6.5% or higher "
            "consistent with diabetes.",
        ),
        director="Tobias Reinholt, MD, PhD",
        clia="03D2091746",
        truth={"cpt": [], "hcpcs": [], "icd10": [icd("E11.65"), icd("I50.22"), icd("R53.83")]},
        facts={"hba1c": [fact(7.4)]},
        decoys=(
            "26-118734",
            "DS0420-2237",
            "DSL-7720419",
            "03D2091746",
            "001453",
            "004259",
            "70-99",
            "4.8-5.6",
            "(520) 555-0170",
            "85716",
        ),
    )
    the_note = note(
        title="SLEEP CLINIC NEW PATIENT EVALUATION",
        practice=practice,
        patient=patient,
        d=date(2026, 4, 22),
        provider=doctor,
        visit="New patient",
        font="Helvetica",
        size=10,
        sections=(
            Section("Referral", (f"Referred by {pcp.name} (primary care) for snoring and witnessed apneas.",)),
            Section(
                "History of Present Illness",
                (
                    "Mr. Castellanos-Pryor is a 77-year-old retired surveyor whose wife reports loud snoring and pauses in his "
                    "breathing most nights for several years, worse since he gained 20 lb last year. He wakes 3 to 4 times a night "
                    "short of breath, has morning headaches and falls asleep watching television and in church. Epworth "
                    "Sleepiness Scale 12. He has never had a sleep study.",
                ),
            ),
            Section(
                "Past Medical History",
                (
                    "Chronic systolic heart failure (I50.22). Type 2 diabetes mellitus with hyperglycemia (E11.65). Hypertension (I10).",
                ),
            ),
            Section(
                "Data Reviewed",
                ("Echocardiogram 02/11/2026: LVEF 35%. Labs 04/20/2026: HbA1c 7.4%, TSH 2.84, hemoglobin 15.9 g/dL.",),
            ),
            Section(
                "Examination",
                (
                    "Height 5 ft 9 in, weight 233 lb, BMI 34.4 (Z68.34). Neck circumference 17.5 in. BP 138/82, HR 71 irregular "
                    "at times, SpO2 94% on room air. Mallampati class III. Trace ankle edema.",
                ),
            ),
            Section(
                "Assessment",
                (
                    "1. Obstructive sleep apnea, adult (G47.33), likely moderate to severe: loud snoring, witnessed apneas, "
                    "Epworth 12, BMI 34.4.",
                    "2. Heart failure with reduced ejection fraction (I50.22), which makes an unattended home test unsuitable.",
                    "3. Central sleep apnea (G47.31) is possible with his heart failure; the study will tell.",
                ),
            ),
            Section(
                "Plan",
                (
                    "Attended in-laboratory polysomnography (CPT 95810). Do not drive when drowsy. Follow up after the study to "
                    "review results and treatment.",
                ),
            ),
        ),
        truth={
            "npi": [npi_entry(doctor)],
            "cpt": ["95810"],
            "hcpcs": [],
            "icd10": [
                icd("I50.22"),
                icd("E11.65", "historical"),
                icd("I10", "historical"),
                icd("Z68.34"),
                icd("G47.33"),
                icd("G47.31", "hypothetical"),
            ],
        },
        facts={"epworth": [fact(12)], "bmi": [fact(34.4)], "ejection_fraction": [fact(35)], "hba1c": [fact(7.4)]},
        decoys=("85741", "(520) 555-0134", "(520) 555-0135", "VRP-604418", "2291-0457", "138/82", "SpO2 94%", "17.5 in"),
    )
    the_order = order(
        title="POLYSOMNOGRAPHY ORDER",
        practice=practice,
        patient=patient,
        d=date(2026, 4, 24),
        provider=doctor,
        exams=(("CPT 95810", "Polysomnography, attended, 4 or more parameters"),),
        diagnoses=(("G47.33", "Obstructive sleep apnea (adult)"), ("I50.22", "Chronic systolic heart failure")),
        indication="Snoring, witnessed apneas, Epworth 12, BMI 34.4. Heart failure with EF 35%: attended in-lab study; home "
        "testing not appropriate.",
        priority="[X] Routine   [ ] Urgent",
        facility=("Verde River Sleep Lab", "7320 N La Cholla Blvd, Suite 160, Tucson, AZ 85741", sleep_lab),
        truth={
            "npi": [npi_entry(doctor), npi_entry(sleep_lab)],
            "cpt": ["95810"],
            "hcpcs": [],
            "icd10": [icd("G47.33"), icd("I50.22")],
        },
        facts={"epworth": [fact(12)], "bmi": [fact(34.4)], "ejection_fraction": [fact(35)]},
        decoys=("85741", "(520) 555-0134", "(520) 555-0135", "VRP-604418", "2291-0457", "(520) 555-0188"),
        font="Vera",
        size=10,
        insurance=False,
    )
    return Case(
        case_id="sleep_ma_card_photo_lab_scan",
        description="In-lab polysomnography, Medicare Advantage, Arizona: the member ID (plan ID and MBI) is printed only on a "
        "phone photo of the card front (EXIF orientation 6); the order and the sleep evaluation (Epworth 12, BMI 34.4, LVEF 35%) "
        "are text PDFs; the primary care lab report (HbA1c 7.4%) is scanned at 300 DPI. Central sleep apnea is only possible "
        "(hypothetical).",
        request={
            "service_codes": ["95810"],
            "payer_name": patient.payer,
            "plan_type": "medicare_advantage",
            "state": "AZ",
            "urgency": "standard",
            "request_date": "2026-04-27",
        },
        files=(
            FileSpec("photo_card_front.jpg", "photo_jpeg", (card,), rotation=90, exif_orientation=6),
            FileSpec("order.pdf", "text_pdf", (the_order,)),
            FileSpec("sleep_evaluation.pdf", "text_pdf", (the_note,)),
            FileSpec("lab_report_scan.pdf", "scan_pdf", (labs,), dpi=300),
        ),
        expected=expect(PSG_REQUIREMENTS, review=("sleep.psg-prior-hsat",)),
    )


def mri_ahcccs_card_typed_form() -> Case:
    practice = Practice(
        "Agua Fria Family Health", "11420 W Thomas Rd, Suite 4", "Avondale", "AZ", "85392", "(623) 555-0152", "(623) 555-0153"
    )
    patient = Patient(
        "Yazzie-Moreau",
        "Delphine",
        "R",
        date(1986, 2, 14),
        "F",
        "AFH-3307128",
        "880417",
        "A70318264",
        "Mesquite Health Plan",
        None,
        "(623) 555-0193",
    )
    # The EHR's provider table holds her NPI with the last two digits swapped (1739204851 is right):
    # every document prints the typo, so only the imaging facility's NPI is valid.
    nurse_practitioner = Provider("Corinne Abernathy-Soto, FNP-C", "1739204815", False)
    facility = Provider("West Valley Imaging", "1268493719", True, role="facility")
    contact = ("85392", "(623) 555-0152", "(623) 555-0153", "AFH-3307128", "880417")
    card = card_copy(
        patient=patient,
        logo="MHP",
        band=(patient.payer, "AHCCCS Complete Care"),
        front=(
            CardLine(((12, "Name:", "DELPHINE R YAZZIE-MOREAU"),), size=8),
            CardLine(((12, "AHCCCS ID:", patient.member_id), (142, "DOB:", "02/14/1986")), size=8),
            CardLine(((12, "PCP:", "Agua Fria Family Health"),), size=7, bold_values=False),
            CardLine(((12, "PCP Phone:", "(623) 555-0152"),), size=7, bold_values=False),
            CardLine(((12, "RxBIN:", "004336"), (88, "RxPCN:", "ADV"), (152, "RxGRP:", "RX8817")), size=6.8),
        ),
        front_footer=("Member Services 1-888-555-0107   TTY 711",),
        back=(
            "IMPORTANT INFORMATION",
            "Carry this card and show it before you get care. It does not prove eligibility.",
            "Member Services 1-888-555-0107. 24-hour Nurse Line 1-888-555-0108. Crisis line 1-888-555-0109.",
            "PROVIDERS",
            "Verify eligibility and request prior authorization: 1-888-555-0110.",
            "Medical claims: Mesquite Health Plan, PO Box 52104, Phoenix, AZ 85072.",
            "Payer ID 86047. Pharmacy help desk: 1-800-555-0111.",
        ),
        member_ids=(patient.member_id_truth,),
        dob=True,
        decoys=("004336", "RX8817", "86047", "52104", "85072", "1-888-555-0107", "(623) 555-0152"),
        effective=date(2026, 1, 1),
    )
    pa_form = typed_form(
        TypedForm(
            payer=patient.payer,
            form_no="MHP-PA-01  AHCCCS Complete Care  Revised 07/2026",
            contact=("Prior Authorization Department", "Fax 1-888-555-0112", "Phone 1-888-555-0110"),
            title="PRIOR AUTHORIZATION REQUEST FORM - OUTPATIENT SERVICES",
            instructions="Type or print clearly. Fax the completed form with supporting clinical notes to 1-888-555-0112. "
            "Standard requests are decided within 7 calendar days, expedited requests within 72 hours.",
            review=(("Standard", True), ("Expedited (72 hours)", False), ("Retrospective", False)),
            parts=(
                Part(
                    "Member information",
                    rows=(
                        (
                            Blank("AHCCCS ID", "A70318264", 1.1),
                            Blank("Member name (last, first, MI)", "YAZZIE-MOREAU, DELPHINE R", 2.3),
                            Blank("Date of birth", "02/14/1986", 1.1),
                        ),
                        (
                            Blank("Member phone", "(623) 555-0193", 1.3),
                            Blank("Address", "2417 N 113TH DR, AVONDALE AZ 85392", 3.2),
                        ),
                    ),
                ),
                Part(
                    "Requesting provider",
                    rows=(
                        (
                            Blank("Provider name", "CORINNE ABERNATHY-SOTO, FNP-C", 2.4),
                            Blank("NPI", "1739204815", 1.05),
                            Blank("Tax ID", "86-3304127", 1.05),
                        ),
                        (
                            Blank("Practice", "AGUA FRIA FAMILY HEALTH", 2.4),
                            Blank("Phone", "(623) 555-0152", 1.05),
                            Blank("Fax", "(623) 555-0153", 1.05),
                        ),
                        (Blank("Contact person", "ROSA, REFERRALS", 2.4), Blank("Contact phone", "(623) 555-0154", 2.1)),
                    ),
                ),
                Part(
                    "Servicing provider / facility",
                    rows=(
                        (
                            Blank("Facility name", "WEST VALLEY IMAGING", 2.4),
                            Blank("NPI", "1268493719", 1.05),
                            Blank("Phone", "(623) 555-0166", 1.05),
                        ),
                    ),
                ),
                Part(
                    "Service requested",
                    rows=(
                        (
                            Blank("CPT/HCPCS", "72148", 0.9),
                            Blank("Description", "MRI LUMBAR SPINE WITHOUT CONTRAST", 2.6),
                            Blank("Units", "1", 0.5),
                            Blank("Start date", "12/14/2026", 1.0),
                        ),
                        (
                            Blank("Primary ICD-10", "M51.17", 1.0),
                            Blank("Secondary ICD-10", "M54.17", 1.0),
                            Blank("Setting", "OUTPATIENT IMAGING CENTER", 2.0),
                        ),
                    ),
                    typed_label="Clinical information (attach notes)",
                    typed_lines=(
                        "LOW BACK PAIN WITH LEFT LEG RADICULOPATHY X 8 WKS. FAILED PT X 6 WKS AND NAPROXEN. LEFT S1 SENSORY "
                        "LOSS, ABSENT LEFT ANKLE REFLEX. SEE ATTACHED NOTE 12/01/2026 AND ORDER.",
                    ),
                ),
            ),
            attestation="By signing, the requesting provider attests that this information is accurate and that the medical "
            "record supports the medical necessity of the service.",
            signed="12/04/2026",
            style="grid",
        ),
        d=date(2026, 12, 4),
        fields={
            "member_id": [patient.member_id_truth],
            "patient_name": [patient.name_truth],
            "patient_dob": [patient.dob.isoformat()],
            "payer_name": [patient.payer],
            "document_date": ["2026-12-04"],
            "npi": [npi_entry(nurse_practitioner), npi_entry(facility)],
            "tax_id": ["86-3304127"],
            "cpt": ["72148"],
            "hcpcs": [],
            "icd10": [icd("M51.17"), icd("M54.17")],
        },
        facts={
            "symptom_duration": [weeks(8)],
            "conservative_therapy": [
                therapy("physical_therapy", duration_weeks=6, outcome="failed"),
                therapy("nsaid", duration_weeks=None, outcome="failed"),
            ],
        },
        decoys=(
            "1-888-555-0112",
            "1-888-555-0110",
            "(623) 555-0152",
            "(623) 555-0153",
            "(623) 555-0154",
            "(623) 555-0166",
            "85392",
        ),
    )
    the_order = order(
        title="IMAGING REQUISITION",
        practice=practice,
        patient=patient,
        d=date(2026, 12, 3),
        provider=nurse_practitioner,
        exams=(("CPT 72148", "MRI lumbar spine without contrast"),),
        diagnoses=(
            ("M51.17", "Intervertebral disc disorder with radiculopathy, lumbosacral"),
            ("M54.17", "Radiculopathy, lumbosacral region"),
        ),
        indication="Left S1 radiculopathy for 8 weeks; failed 6 weeks of physical therapy and naproxen.",
        priority="[X] Routine   [ ] Urgent",
        facility=("West Valley Imaging", "13677 W McDowell Rd, Goodyear, AZ 85395", facility),
        truth={
            "npi": [npi_entry(nurse_practitioner), npi_entry(facility)],
            "cpt": ["72148"],
            "hcpcs": [],
            "icd10": [icd("M51.17"), icd("M54.17")],
        },
        facts={
            "symptom_duration": [weeks(8)],
            "conservative_therapy": [
                therapy("physical_therapy", duration_weeks=6, outcome="failed"),
                therapy("nsaid", duration_weeks=None, outcome="failed"),
            ],
        },
        decoys=contact + ("(623) 555-0193", "85395"),
    )
    the_note = note(
        title="CLINIC VISIT NOTE",
        practice=practice,
        patient=patient,
        d=date(2026, 12, 1),
        provider=nurse_practitioner,
        visit="Follow-up",
        show_member_id=True,
        font="Vera",
        size=10,
        sections=(
            Section("Chief Complaint", ("Low back pain shooting down the left leg.",)),
            Section(
                "History of Present Illness",
                (
                    "Ms. Yazzie-Moreau is a 40-year-old warehouse associate with low back pain radiating to the left buttock, the "
                    "back of the thigh and the sole of the foot for 8 weeks, since lifting boxes at work. She completed 6 weeks of "
                    "physical therapy without improvement and continues a home exercise program. Naproxen 500 mg twice daily for "
                    "4 weeks gave no relief. She now has numbness along the outer left foot.",
                    "No saddle anesthesia. No bowel or bladder incontinence.",
                ),
            ),
            Section("Past Medical History", ("Migraine without aura (G43.909). Iron deficiency anemia (D50.9), on iron.",)),
            Section("Social History", ("Works at a distribution warehouse. Smokes 5 cigarettes a day (F17.210).",)),
            Section(
                "Examination",
                (
                    "BP 116/74, BMI 27.3. Straight-leg raise positive on the left at 40 degrees; crossed straight-leg raise "
                    "negative. Left ankle plantarflexion 5/5. Left Achilles reflex absent, right 2+. Reduced pinprick over the "
                    "lateral left foot.",
                ),
            ),
            Section(
                "Assessment",
                (
                    "1. Left S1 radiculopathy (M54.17) from an L5-S1 disc disorder with radiculopathy (M51.17), 8 weeks, not "
                    "improved with physical therapy and an NSAID.",
                    "2. Cauda equina syndrome is not suspected.",
                ),
            ),
            Section(
                "Plan",
                (
                    "MRI lumbar spine without contrast (CPT 72148) at West Valley Imaging; prior authorization request to "
                    "Mesquite Health Plan. Continue home exercises. Smoking cessation counseling given.",
                ),
            ),
        ),
        truth={
            "npi": [npi_entry(nurse_practitioner)],
            "cpt": ["72148"],
            "hcpcs": [],
            "icd10": [icd("G43.909", "historical"), icd("D50.9", "historical"), icd("F17.210"), icd("M54.17"), icd("M51.17")],
        },
        facts={
            "symptom_duration": [weeks(8)],
            "conservative_therapy": [
                therapy("physical_therapy", duration_weeks=6, outcome="failed"),
                therapy("home_exercise", duration_weeks=None, outcome="unknown"),
                therapy("nsaid", duration_weeks=4, outcome="failed"),
            ],
            "red_flag": [
                fact("saddle_anesthesia", "negated"),
                fact("bowel_bladder_dysfunction", "negated"),
                fact("cauda_equina", "negated"),
            ],
            "bmi": [fact(27.3)],
        },
        decoys=contact + ("116/74",),
    )
    return Case(
        case_id="mri_ahcccs_card_typed_form",
        description="Lumbar MRI, AHCCCS (Arizona Medicaid): the member's card copied front and back onto a letter page and "
        "scanned at 300 DPI (AHCCCS ID, DOB, Rx BIN/PCN/GRP and a payer ID as decoys), the health plan's prior-authorization "
        "form filled in on a typewriter and scanned at 200 DPI, and one text PDF holding the order and the note. The nurse "
        "practitioner's NPI is printed with two digits swapped everywhere, so the only valid NPI is the facility's: "
        "common.ordering-npi is missing (the ordering NPI fails the check digit; the facility's does not stand in for it).",
        request={
            "service_codes": ["72148"],
            "payer_name": patient.payer,
            "plan_type": "medicaid",
            "state": "AZ",
            "urgency": "standard",
            "request_date": "2026-12-07",
        },
        files=(
            FileSpec("card_copy_scan.pdf", "scan_pdf", (card,), dpi=300),
            FileSpec("pa_form_typed_scan.pdf", "scan_pdf", (pa_form,), dpi=200),
            FileSpec("order_and_note.pdf", "text_pdf", (the_order, the_note)),
        ),
        expected=expect(MRI_LUMBAR_REQUIREMENTS, missing=("common.ordering-npi", "mri-lumbar.red-flag")),
    )


CASES = (sleep_ma_card_photo_lab_scan, mri_ahcccs_card_typed_form)
