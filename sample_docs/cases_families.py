"""Cases of the service families beyond lumbar MRI and sleep studies: knee arthroplasty, CPAP
continuation, adalimumab, pembrolizumab, blepharoplasty, power mobility and bariatric surgery,
as text PDFs (the scanned and faxed ones are in cases_families_scans.py). Every person, ID,
address and phone number here is made up; 555-01xx numbers are reserved for fiction.

The truth lists each requirement the checker reports for the request, group children included,
with the status a careful coordinator would give from what the documents say."""

from __future__ import annotations

from datetime import date
from typing import Any

from sample_docs.layout import Document, Practice, Section
from sample_docs.reports import Exam, Panel, Result, imaging_report, lab_report
from sample_docs.sheets import Box, Flow
from sample_docs.spec import (
    ADALIMUMAB_INITIAL_REQUIREMENTS,
    BARIATRIC_COMMERCIAL_REQUIREMENTS,
    BLEPHAROPLASTY_MEDICARE_OPD_REQUIREMENTS,
    CPAP_CONTINUATION_REQUIREMENTS,
    PEMBROLIZUMAB_INITIAL_REQUIREMENTS,
    POWER_MOBILITY_REQUIREMENTS,
    TKA_REQUIREMENTS,
    Case,
    FileSpec,
    Labelled,
    Patient,
    Provider,
    expect,
    fact,
    icd,
    note,
    npi_entry,
    therapy,
    us,
    weeks,
)

MONTH_WEEKS = 4.345  # "4 months" in weeks, as a duration is counted
YEAR_WEEKS = 52.18


def identity(patient: Patient, d: date, *, member_id: bool = True) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {
        "patient_name": [patient.name_truth],
        "patient_dob": [patient.dob.isoformat()],
        "document_date": [d.isoformat()],
    }
    if member_id:
        out["member_id"] = [patient.member_id_truth]
        out["payer_name"] = [patient.payer]
        if patient.group:
            out["group_number"] = [patient.group]
    return out


def service_order(
    *,
    title: str,
    practice: Practice,
    patient: Patient,
    d: date,
    provider: Provider,
    heading: str,
    lines: tuple[tuple[str, str], ...],
    diagnoses: tuple[tuple[str, str], ...],
    indication: str,
    place: tuple[str, tuple[tuple[str, str], ...]],
    truth: dict[str, list[Any]],
    facts: dict[str, list[dict[str, Any]]] | None = None,
    decoys: tuple[str, ...] = (),
    extra: tuple[Section, ...] = (),
    signed_at: str = "16:05",
    font: str = "Helvetica",
    size: float = 10.5,
) -> Labelled:
    """An order for a procedure, a drug or a device: like spec.order, but the request section
    is named for what is ordered ("Procedure Requested", "Medication Ordered", "Equipment
    Ordered"), and the place block is the facility, infusion site or supplier."""
    doc = Document(
        title=title,
        practice=practice,
        date_line=f"Order Date: {us(d)}",
        patient_rows=(
            (("Patient:", patient.printed_upper), ("DOB:", us(patient.dob))),
            (("MRN:", patient.mrn), ("Sex:", patient.sex)),
            (("Member ID:", patient.member_id), ("Group #:", patient.group or "N/A")),
            (("Insurance:", patient.payer),),
            (("Account #:", patient.account), ("Patient Phone:", patient.phone)),
        ),
        sections=(
            Section(heading, rows=lines),
            Section("Diagnosis (ICD-10-CM)", rows=diagnoses),
            Section("Clinical Indication", paragraphs=(indication,)),
            *extra,
            Section(
                "Ordering Provider",
                rows=(("Name", provider.name), ("NPI", provider.npi), ("Phone / Fax", f"{practice.phone} / {practice.fax}")),
            ),
            Section(place[0], rows=place[1]),
        ),
        signature=(f"Electronically signed by {provider.name} on {us(d)} {signed_at}",),
        continuation=f"{patient.printed_upper}   DOB {us(patient.dob)}   MRN {patient.mrn}",
        font=font,
        size=size,
    )
    return Labelled(doc, "order", d, identity(patient, d) | truth, facts or {}, decoys)


def photo_sheet(
    *,
    practice: Practice,
    patient: Patient,
    d: date,
    title: str,
    photos: tuple[str, ...],
    remarks: tuple[str, ...],
    decoys: tuple[str, ...] = (),
) -> Labelled:
    """A clinical photography printout: the practice line, the patient, and one grey frame per
    photograph (vector boxes standing in for the pictures) with its caption beside it."""
    f = Flow(font="Helvetica", size=9.5, left=54, right_margin=54, top=48)
    f.text(f.left, practice.name, bold=True, size=13)
    f.down(13)
    f.text(f.left, f"{practice.street}, {practice.city}, {practice.state} {practice.zip}   Phone {practice.phone}", size=8.5)
    f.rule(6)
    f.down(28)
    f.text(f.left, title, bold=True, size=12)
    f.right_text(f"Photographed: {us(d)}")
    f.down(18)
    f.text(f.left, f"Patient: {patient.printed_upper}     DOB: {us(patient.dob)}     MRN: {patient.mrn}")
    f.down(22)
    for caption in photos:
        f.need(118)
        top = f.y + 8
        f.add(Box(f.left, top - 104, 176, 104, fill=0.72, stroke=0.6))
        f.add(Box(f.left + 48, top - 66, 80, 30, fill=0.55, stroke=0))  # the eyes' band, darker
        f.y = top - 12
        f.para(caption, x=f.left + 192, after=0)
        f.y = min(f.y, top - 118)
    f.down(6)
    for remark in remarks:
        f.para(remark, size=9, after=4)
    fields: dict[str, list[Any]] = identity(patient, d, member_id=False)
    return Labelled(f.sheet(title=title), "other", d, fields, {}, decoys)


# --- 1. Total knee arthroplasty, complete -------------------------------------------------------


def tka_complete_text() -> Case:
    practice = Practice(
        "Sangre de Cristo Orthopaedics",
        "1620 Hospital Dr, Suite 300",
        "Santa Fe",
        "NM",
        "87505",
        "(505) 555-0141",
        "(505) 555-0142",
    )
    imaging = Practice(
        "Santa Fe Imaging Partners",
        "2801 Rodeo Rd, Suite B",
        "Santa Fe",
        "NM",
        "87507",
        "(505) 555-0168",
        "(505) 555-0169",
        tagline="X-ray  |  MRI  |  CT  |  DEXA",
    )
    patient = Patient(
        "Trujillo-Banks",
        "Everett",
        "L",
        date(1958, 4, 22),
        "M",
        "SCO-448219",
        "77304188",
        "SHC880417325",
        "Sangre Health Cooperative",
        "SHC-11820",
        "(505) 555-0194",
    )
    surgeon = Provider("Adaeze Whitcombe-Luna, MD", "1355790365", True)
    hospital = Provider("Pinon Ridge Surgical Hospital", "1899176071", True, role="facility")
    radiologist = Provider("Tobias Renwick, MD", "1287314433", True, role="rendering")
    contact = ("87505", "(505) 555-0141", "(505) 555-0142", "SCO-448219", "77304188")
    xray = imaging_report(
        group=imaging,
        style="centre",
        patient=patient,
        exam=Exam(
            name="XR KNEE RIGHT 3 VIEWS, STANDING",
            cpt="73562",
            history="Right knee pain for 3 years, worse over the past year. Primary osteoarthritis of the right knee "
            "(M17.11). Pre-operative assessment.",
            comparison="Right knee radiographs of 03/14/2024.",
            technique="Standing AP, lateral and sunrise (Merchant) views of the right knee.",
            findings=(
                "Medial compartment: severe joint space narrowing with bone-on-bone contact. Large marginal osteophytes at "
                "the medial femoral condyle and the medial tibial plateau. Subchondral sclerosis and subchondral cysts of "
                "the medial tibial plateau.",
                "Alignment: varus of about 8 degrees with mild lateral subluxation of the tibia on the femur. Lateral "
                "compartment mildly narrowed. Patellofemoral: moderate narrowing with lateral patellar osteophytes.",
                "No fracture. No joint effusion. No loose body. Vascular calcification in the popliteal artery.",
            ),
            impression=(
                "Severe medial compartment osteoarthritis of the right knee, Kellgren-Lawrence grade 4: bone-on-bone "
                "contact, osteophytes, subchondral sclerosis and cysts, mild lateral tibial subluxation.",
                "Progression since 03/14/2024. No fracture.",
            ),
        ),
        exam_date=date(2026, 8, 27),
        exam_time="09:12",
        signed=date(2026, 8, 27),
        signed_time="10:40",
        facility_mrn="SFI-2093318",
        accession="XR26-0827-114",
        referring="Adaeze Whitcombe-Luna, MD",
        location="Rodeo Road",
        radiologist=radiologist,
        truth={"cpt": ["73562"], "hcpcs": [], "icd10": [icd("M17.11")]},
        facts={"symptom_duration": [weeks(round(3 * YEAR_WEEKS, 1))], "red_flag": [fact("fracture", "negated")]},
        decoys=("SFI-2093318", "XR26-0827-114", "87507", "(505) 555-0168", "(505) 555-0169"),
    )
    the_note = note(
        title="ORTHOPAEDIC SURGERY CONSULTATION",
        practice=practice,
        patient=patient,
        d=date(2026, 9, 16),
        provider=surgeon,
        visit="Established patient, surgical consultation",
        sections=(
            Section("Chief Complaint", ("Right knee pain, worse over the past year.",)),
            Section(
                "History of Present Illness",
                (
                    "Mr. Trujillo-Banks is a 68-year-old retired land surveyor with right knee pain for 3 years, worse over "
                    "the last year. He can walk only about one block before he has to stop, has difficulty climbing stairs "
                    "and needs the handrail, and the pain limits his sleep 3 to 4 nights a week. Pain 8/10 with walking.",
                    "Conservative treatment: naproxen 500 mg twice daily for 4 months (05/2026 to 09/2026) without meaningful "
                    "relief. Physical therapy twice weekly for 12 weeks (05/18/2026 to 08/07/2026) with a home exercise "
                    "program, without lasting improvement. Intra-articular steroid injection on 07/09/2026 helped for about "
                    "2 weeks, then the pain returned. An unloader knee brace worn daily since 06/2026 did not help.",
                ),
            ),
            Section(
                "Past Medical History",
                (
                    "Hypertension (I10). Type 2 diabetes mellitus (E11.9), HbA1c 6.8% on 08/20/2026. Left knee arthroscopic "
                    "partial meniscectomy in 2011.",
                ),
            ),
            Section(
                "Medications",
                ("Lisinopril 20 mg daily, metformin 1000 mg twice daily, acetaminophen as needed. Naproxen stopped 09/10/2026.",),
            ),
            Section(
                "Physical Examination",
                (
                    "Height 5 ft 10 in, weight 217 lb, BMI 31.1. BP 134/82, HR 76, temperature 98.2 F. Antalgic gait. Right "
                    "knee: varus deformity, range of motion 5 to 100 degrees with a 5-degree flexion contracture, medial "
                    "joint line tenderness, crepitus with motion, no effusion, stable to varus and valgus stress. Skin intact "
                    "without erythema or warmth: no signs of infection. Distal pulses 2+, sensation intact.",
                ),
            ),
            Section(
                "Data Reviewed",
                (
                    "Standing right knee X-rays 08/27/2026 (accession XR26-0827-114): Kellgren-Lawrence grade 4 medial "
                    "compartment osteoarthritis with bone-on-bone contact and mild lateral subluxation. RF and anti-CCP "
                    "negative (08/20/2026).",
                ),
            ),
            Section(
                "Pre-operative Evaluation",
                (
                    "Pre-operative evaluation by his primary care physician, Dr. Lucia Ferreira-Oduya, on 09/09/2026: "
                    "medically cleared for surgery, acceptable surgical risk. No active infection: no skin breakdown, no "
                    "urinary symptoms, afebrile. Dental clearance obtained.",
                ),
            ),
            Section(
                "Assessment",
                (
                    "1. Unilateral primary osteoarthritis of the right knee (M17.11), Kellgren-Lawrence grade 4, with pain "
                    "that limits his walking and stairs despite more than 3 months of conservative care.",
                    "2. Inflammatory arthritis considered: RF and anti-CCP negative, so rheumatoid arthritis (M06.9) is "
                    "excluded.",
                ),
            ),
            Section(
                "Plan",
                (
                    "Right total knee arthroplasty (CPT 27447) at Pinon Ridge Surgical Hospital. Risks, benefits and "
                    "alternatives discussed; he wishes to proceed. Hold metformin the morning of surgery.",
                ),
            ),
        ),
        truth={
            "npi": [npi_entry(surgeon)],
            "cpt": ["27447"],
            "hcpcs": [],
            "icd10": [icd("I10", "historical"), icd("E11.9", "historical"), icd("M17.11"), icd("M06.9", "negated")],
        },
        facts={
            "symptom_duration": [weeks(round(3 * YEAR_WEEKS, 1))],
            "conservative_therapy": [
                therapy("nsaid", duration_weeks=round(4 * MONTH_WEEKS, 1), outcome="failed"),
                therapy("physical_therapy", duration_weeks=12, outcome="failed"),
                therapy("home_exercise", duration_weeks=None, outcome="failed"),
                therapy("injection", duration_weeks=None, outcome="failed"),
                therapy("bracing", duration_weeks=None, outcome="failed"),
            ],
            "bmi": [fact(31.1)],
            "hba1c": [fact(6.8, "historical")],
        },
        decoys=contact + ("XR26-0827-114", "134/82", "6.8%"),
    )
    the_order = service_order(
        title="SURGICAL ORDER",
        practice=practice,
        patient=patient,
        d=date(2026, 9, 18),
        provider=surgeon,
        heading="Procedure Requested",
        lines=(
            ("CPT 27447", "Total knee arthroplasty, right"),
            ("Setting", "Hospital outpatient, overnight observation"),
            ("Anesthesia", "Spinal with adductor canal block"),
            ("Priority", "[X] Elective   [ ] Urgent"),
        ),
        diagnoses=(("M17.11", "Unilateral primary osteoarthritis, right knee"),),
        indication="Kellgren-Lawrence grade 4 medial compartment osteoarthritis with bone-on-bone contact; failed 4 months of "
        "naproxen, 12 weeks of physical therapy and a steroid injection; pain limits walking to one block.",
        place=(
            "Performing Facility",
            (
                ("Facility", "Pinon Ridge Surgical Hospital"),
                ("Address", "455 St Michaels Dr, Santa Fe, NM 87505"),
                ("Facility NPI", hospital.npi),
            ),
        ),
        truth={"npi": [npi_entry(surgeon), npi_entry(hospital)], "cpt": ["27447"], "hcpcs": [], "icd10": [icd("M17.11")]},
        facts={
            "conservative_therapy": [
                therapy("nsaid", duration_weeks=round(4 * MONTH_WEEKS, 1), outcome="failed"),
                therapy("physical_therapy", duration_weeks=12, outcome="failed"),
                therapy("injection", duration_weeks=None, outcome="failed"),
            ]
        },
        decoys=contact + ("(505) 555-0194",),
    )
    return Case(
        case_id="tka_complete_text",
        description="Total knee arthroplasty, commercial, New Mexico: text PDFs of the surgical order, the orthopaedic "
        "consultation and the standing knee X-ray report (Kellgren-Lawrence grade 4 with all four radiographic findings). "
        "4 months of failed naproxen, 12 weeks of PT, an injection and a brace; pain limits walking; no infection; medically "
        "cleared. Rheumatoid arthritis M06.9 excluded (negated).",
        request={
            "service_codes": ["27447"],
            "payer_name": patient.payer,
            "plan_type": "commercial",
            "state": "NM",
            "urgency": "standard",
            "request_date": "2026-09-21",
        },
        files=(
            FileSpec("order.pdf", "text_pdf", (the_order,)),
            FileSpec("ortho_consult.pdf", "text_pdf", (the_note,)),
            FileSpec("knee_xray_report.pdf", "text_pdf", (xray,)),
        ),
        expected=expect(TKA_REQUIREMENTS),
    )


# --- 4. CPAP continuation with low adherence ------------------------------------------------------


def cpap_continuation_low_adherence() -> Case:
    practice = Practice(
        "Skagit Valley Sleep & Lung",
        "1415 E Kincaid St, Suite 210",
        "Mount Vernon",
        "WA",
        "98274",
        "(360) 555-0137",
        "(360) 555-0140",
    )
    patient = Patient(
        "Pemberton-Ruiz",
        "Harold",
        "W",
        date(1949, 9, 28),
        "M",
        "SVS-220971",
        "8801457",
        "4KM7-VD2-HT85",
        "Medicare Part B",
        None,
        "(360) 555-0192",
    )
    doctor = Provider("Oluwaseun Hartigan, MD", "1460181567", True)
    contact = ("98274", "(360) 555-0137", "(360) 555-0140", "SVS-220971", "8801457")
    the_order = service_order(
        title="STANDARD WRITTEN ORDER - PAP DEVICE",
        practice=practice,
        patient=patient,
        d=date(2026, 7, 1),
        provider=doctor,
        heading="Equipment Ordered",
        lines=(
            ("HCPCS E0601", "Continuous positive airway pressure device (APAP)"),
            ("HCPCS E0562", "Humidifier, heated, used with PAP device"),
            ("HCPCS A7034", "Nasal mask interface, 1 per 3 months"),
            ("Settings", "Auto-PAP 5 to 15 cm H2O, ramp 20 minutes"),
            ("Quantity", "1 device"),
            ("Length of need", "99 months (lifetime)"),
        ),
        diagnoses=(("G47.33", "Obstructive sleep apnea (adult) (pediatric)"),),
        indication="Obstructive sleep apnea on a home sleep apnea test 06/11/2026: AHI 24.6 events/h, oxygen nadir 81%. "
        "Excessive daytime sleepiness (Epworth 15).",
        place=(
            "Supplier",
            (("Supplier", "Evergreen Home Respiratory"), ("Address", "2300 Riverside Dr, Mount Vernon, WA 98273")),
        ),
        truth={
            "npi": [npi_entry(doctor)],
            "cpt": [],
            "hcpcs": ["E0601", "E0562", "A7034"],
            "icd10": [icd("G47.33")],
        },
        facts={"ahi": [fact(24.6)], "oxygen_nadir": [fact(81)], "epworth": [fact(15)]},
        decoys=contact + ("(360) 555-0192", "98273"),
        signed_at="11:20",
    )
    the_note = note(
        title="SLEEP MEDICINE FOLLOW-UP: CPAP RE-EVALUATION",
        practice=practice,
        patient=patient,
        d=date(2026, 9, 14),
        provider=doctor,
        visit="Established patient, in person",
        show_member_id=True,
        size=10.5,
        sections=(
            Section("Reason for Visit", ("Re-evaluation 10 weeks after starting CPAP, with the adherence download.",)),
            Section(
                "History of Present Illness",
                (
                    "Mr. Pemberton-Ruiz is a 77-year-old man with obstructive sleep apnea diagnosed on a home sleep apnea test "
                    "on 06/11/2026 (AHI 24.6 events/h, oxygen nadir 81%). Auto-PAP 5 to 15 cm H2O with a medium nasal mask "
                    "was set up on 07/06/2026. He feels more alert in the afternoon and no longer dozes while driving; his "
                    "wife reports that the snoring has stopped on the nights he wears it. Epworth Sleepiness Scale 9/24 today, "
                    "15/24 before treatment.",
                    "He takes the mask off after 2 to 3 hours because of a dry mouth and mask leak, and often does not put it "
                    "back on.",
                ),
            ),
            Section(
                "Device Download",
                (
                    "30-day download 08/05/2026 to 09/03/2026, reviewed with the patient today: used CPAP >= 4 hours on 52% "
                    "of nights; average use 3.6 hours per night; residual AHI 3.1 events/h; 95th percentile pressure 11.8 cm "
                    "H2O; median leak 28 L/min. No central apneas flagged on the download.",
                ),
            ),
            Section(
                "Past Medical History",
                ("Hypertension (I10). Benign prostatic hyperplasia (N40.0). Right cataract extraction in 2022.",),
            ),
            Section("Medications", ("Amlodipine 5 mg daily, tamsulosin 0.4 mg at bedtime.",)),
            Section(
                "Physical Examination",
                (
                    "BP 136/80, HR 68, weight 204 lb, BMI 29.8. Neck circumference 17 in. Mild nasal bridge erythema from the "
                    "mask, no skin breakdown. Oropharynx: Mallampati III, dry mucosa.",
                ),
            ),
            Section(
                "Assessment",
                (
                    "1. Obstructive sleep apnea (G47.33) on auto-PAP, with clear symptomatic benefit, but adherence is below "
                    "the Medicare threshold (>= 4 hours on 70% of nights) because of mouth dryness and leak.",
                    "2. Central sleep apnea (G47.31) is not present: no central events on the download.",
                ),
            ),
            Section(
                "Plan",
                (
                    "Raise the humidifier setting and add heated tubing; trial of a full-face mask with a refit by the "
                    "supplier this week. Nightly use for the whole sleep period reinforced. Repeat download and visit in "
                    "30 days. Continue auto-PAP.",
                ),
            ),
        ),
        truth={
            "npi": [npi_entry(doctor)],
            "cpt": [],
            "hcpcs": [],
            "icd10": [icd("I10", "historical"), icd("N40.0", "historical"), icd("G47.33"), icd("G47.31", "negated")],
        },
        facts={
            "epworth": [fact(9), fact(15, "historical")],
            "ahi": [fact(24.6, "historical"), fact(3.1)],
            "oxygen_nadir": [fact(81, "historical")],
            "bmi": [fact(29.8)],
        },
        decoys=contact + ("136/80", "28 L/min", "11.8"),
    )
    return Case(
        case_id="cpap_continuation_low_adherence",
        description="CPAP (E0601) continuation, Medicare, Washington: text PDFs of the signed standard written order (07/2026) "
        "and the in-person re-evaluation at 10 weeks. Symptoms improved (Epworth 15 to 9), but the download shows CPAP used "
        ">= 4 hours on 52% of nights: adherence is missing. The 70% threshold is quoted in the note; central apnea negated.",
        request={
            "service_codes": ["E0601"],
            "payer_name": patient.payer,
            "plan_type": "medicare",
            "state": "WA",
            "urgency": "standard",
            "request_date": "2026-09-21",
            "episode": "continuation",
        },
        files=(
            FileSpec("standard_written_order.pdf", "text_pdf", (the_order,)),
            FileSpec("cpap_reevaluation.pdf", "text_pdf", (the_note,)),
        ),
        expected=expect(CPAP_CONTINUATION_REQUIREMENTS, missing=("cpap.adherence",)),
    )


# --- 5. Adalimumab with a TB test older than 12 months ---------------------------------------------


def adalimumab_stale_tb_text() -> Case:
    practice = Practice(
        "Camelback Rheumatology Associates",
        "3420 N 44th St, Suite 150",
        "Phoenix",
        "AZ",
        "85018",
        "(602) 555-0151",
        "(602) 555-0160",
    )
    patient = Patient(
        "Ferreira-Lund",
        "Annika",
        "S",
        date(1984, 2, 17),
        "F",
        "CRA-061883",
        "22097166",
        "CSA 5530 2091 8",
        "Copper State Health Alliance",
        "CSA-20418",
        "(480) 555-0197",
    )
    doctor = Provider("Theodora Nwachukwu-Pratt, MD", "1804951212", True)
    contact = ("85018", "(602) 555-0151", "(602) 555-0160", "CRA-061883", "22097166")
    labs = ("CRP 2.4 mg/dL", "ESR 48 mm/h", "RF 112 IU/mL")
    the_note = note(
        title="RHEUMATOLOGY FOLLOW-UP VISIT",
        practice=practice,
        patient=patient,
        d=date(2026, 10, 6),
        provider=doctor,
        visit="Established patient, follow-up",
        font="Helvetica",
        size=10,
        sections=(
            Section("Chief Complaint", ("Persistent hand and foot joint pain and swelling on methotrexate.",)),
            Section(
                "History of Present Illness",
                (
                    "Ms. Ferreira-Lund is a 42-year-old medical coder with seropositive rheumatoid arthritis diagnosed in "
                    "01/2026. Methotrexate was started in 05/2026 and reached 20 mg weekly (subcutaneous) with folic acid "
                    "1 mg daily on 06/02/2026. After 4 months at 20 mg weekly she has had an inadequate response: morning "
                    "stiffness for 2 hours, swelling of both wrists and several knuckles, and she has trouble typing at work "
                    "and opening jars. No oral ulcers, no cough, no liver test abnormalities on methotrexate.",
                ),
            ),
            Section(
                "Past Medical History",
                ("Iron deficiency anemia (D50.9) in 2022, resolved. Migraine without aura (G43.009).",),
            ),
            Section(
                "Medications",
                (
                    "Methotrexate 20 mg subcutaneously weekly, folic acid 1 mg daily, prednisone 5 mg daily since 08/2026, "
                    "sumatriptan as needed.",
                ),
            ),
            Section(
                "Physical Examination",
                (
                    "BP 118/74, HR 80, BMI 24.6. Tender joint count 11, swollen joint count 8 (both wrists, right MCP 2-3, "
                    "left MCP 2-3, right PIP 3, left PIP 2). No rheumatoid nodules. Skin: no psoriasis, no nail pitting. "
                    "Lungs clear.",
                ),
            ),
            Section(
                "Data Reviewed",
                (
                    f"Labs 09/29/2026: {labs[0]} (ref < 0.5), {labs[1]}, {labs[2]}, anti-CCP > 250 U/mL, ALT 24 U/L, "
                    "creatinine 0.7 mg/dL, WBC 7.9. Hand X-rays 02/2026: periarticular osteopenia, no erosions.",
                    "TB screening on file: QuantiFERON-TB Gold Plus negative on 08/12/2025. Hepatitis B surface antigen and "
                    "core antibody negative on 08/12/2025.",
                ),
            ),
            Section(
                "Assessment",
                (
                    "1. Rheumatoid arthritis with rheumatoid factor of multiple sites without organ or systems involvement "
                    "(M05.79), high disease activity: CDAI 31, moderate to severe despite 4 months of methotrexate 20 mg "
                    "weekly.",
                    "2. Psoriatic arthritis (L40.50) considered and excluded: no psoriasis, nail pitting or dactylitis.",
                ),
            ),
            Section(
                "Plan",
                (
                    "Add adalimumab 40 mg subcutaneously every 14 days (HCPCS J0135, 2 units per dose); continue "
                    "methotrexate 20 mg weekly. Prior authorization requested. Injection teaching by the nurse. Taper "
                    "prednisone once adalimumab is started. Return in 12 weeks with labs.",
                ),
            ),
        ),
        truth={
            "npi": [npi_entry(doctor)],
            "cpt": [],
            "hcpcs": ["J0135"],
            "icd10": [icd("D50.9", "historical"), icd("G43.009", "historical"), icd("M05.79"), icd("L40.50", "negated")],
        },
        facts={},
        decoys=contact + labs + ("118/74",),
    )
    the_order = service_order(
        title="SPECIALTY MEDICATION ORDER",
        practice=practice,
        patient=patient,
        d=date(2026, 10, 7),
        provider=doctor,
        heading="Medication Ordered",
        lines=(
            ("HCPCS J0135-JZ", "Adalimumab 20 mg per unit; 2 units (40 mg) SC"),
            ("Frequency", "Every 14 days"),
            ("Dispense", "2 prefilled pens (40 mg/0.4 mL) per 28 days"),
            ("Duration", "6 months, then reassess"),
            ("Priority", "[X] Routine   [ ] Urgent"),
        ),
        diagnoses=(("M05.79", "RA with rheumatoid factor, multiple sites, no organ involvement"),),
        indication="Seropositive rheumatoid arthritis, CDAI 31 (high disease activity), inadequate response to methotrexate "
        "20 mg weekly for 4 months.",
        place=(
            "Dispensing Pharmacy",
            (("Pharmacy", "Sonoran Specialty Pharmacy"), ("Address", "1850 W Rio Salado Pkwy, Tempe, AZ 85281")),
        ),
        truth={"npi": [npi_entry(doctor)], "cpt": [], "hcpcs": ["J0135"], "icd10": [icd("M05.79")]},
        decoys=contact + ("(480) 555-0197", "85281"),
    )
    return Case(
        case_id="adalimumab_stale_tb_text",
        description="Adalimumab (J0135-JZ, 2 units), commercial, Arizona: text PDFs of the specialty medication order and the "
        "rheumatology note. Seropositive RA (M05.79), CDAI 31, 4 months of methotrexate 20 mg weekly failed; the only TB test "
        "is a QuantiFERON from 08/12/2025, 14 months before the request, so the TB requirement is missing. Psoriatic "
        "arthritis L40.50 negated; lab decoys.",
        request={
            "service_codes": ["J0135"],
            "payer_name": patient.payer,
            "plan_type": "commercial",
            "state": "AZ",
            "urgency": "standard",
            "request_date": "2026-10-09",
        },
        files=(
            FileSpec("medication_order.pdf", "text_pdf", (the_order,)),
            FileSpec("rheumatology_note.pdf", "text_pdf", (the_note,)),
        ),
        expected=expect(ADALIMUMAB_INITIAL_REQUIREMENTS, missing=("adalimumab.csdmard-intolerant", "adalimumab.tb-negative")),
    )


# --- 6. Pembrolizumab, complete -------------------------------------------------------------------


def pembrolizumab_complete_text() -> Case:
    practice = Practice(
        "Puget Sound Cancer Specialists",
        "1560 N 115th St, Suite 300",
        "Seattle",
        "WA",
        "98133",
        "(206) 555-0173",
        "(206) 555-0175",
    )
    lab = Practice(
        "Cascadia Molecular Pathology",
        "700 Westlake Ave N, Floor 4",
        "Seattle",
        "WA",
        "98109",
        "(206) 555-0179",
        "(206) 555-0180",
    )
    patient = Patient(
        "Abernathy-Osei",
        "Gwendolyn",
        "M",
        date(1957, 5, 9),
        "F",
        "PSC-908114",
        "60318247",
        "SSM992011742",
        "Salish Sea Medicare Advantage (PPO)",
        "SSM-5521",
        "(425) 555-0195",
    )
    oncologist = Provider("Benedikt Aranda-Moss, MD", "1546373212", True)
    infusion = Provider("Puget Sound Cancer Specialists Infusion Center", "1361998192", True, role="facility")
    contact = ("98133", "(206) 555-0173", "(206) 555-0175", "PSC-908114", "60318247")
    pathology = lab_report(
        lab=lab,
        style="reference",
        patient=patient,
        patient_id="CMP-5521870",
        specimen_id="S26-19044-A2",
        accession="MP26-0819-3302",
        collected=(date(2026, 8, 19), "10:25"),
        received=(date(2026, 8, 20), "08:02"),
        reported=(date(2026, 8, 28), "15:47"),
        ordering=oncologist,
        diagnoses=("C34.11", "C79.72"),
        panels=(
            Panel(
                "PD-L1 IHC (22C3 pharmDx), tumor cells",
                "880412",
                (
                    Result("Tumor proportion score (TPS)", "60", "H", "%", "<1 neg; 1-49 low; >=50 high"),
                    Result("Viable tumor cells scored", "420", "", "cells", ">=100"),
                ),
            ),
            Panel(
                "NSCLC DNA/RNA panel (NGS)",
                "880519",
                (
                    Result("EGFR (exons 18-21)", "Not detected", "", "", "Not detected"),
                    Result("ALK fusion", "Not detected", "", "", "Not detected"),
                    Result("ROS1 fusion", "Not detected", "", "", "Not detected"),
                    Result("BRAF V600E", "Not detected", "", "", "Not detected"),
                    Result("KRAS G12C", "Not detected", "", "", "Not detected"),
                    Result("MSI status", "Stable (MSS)", "", "", "Stable"),
                    Result("Tumor mutational burden", "14", "H", "mut/Mb", "<10"),
                ),
            ),
        ),
        comments=(
            "Specimen: left adrenal core biopsy, block A2; adenocarcinoma, TTF-1 positive, consistent with lung primary. "
            "Tumor content 40%.",
            "PD-L1 stained with the 22C3 pharmDx kit on an Autostainer Link 48. A TPS of 50% or more is high expression.",
        ),
        director="Marta Lindqvist-Oyelowo, MD",
        clia="50D2290417",
        truth={"cpt": [], "hcpcs": [], "icd10": [icd("C34.11"), icd("C79.72")]},
        decoys=("CMP-5521870", "S26-19044-A2", "MP26-0819-3302", "880412", "880519", "50D2290417", "98109"),
    )
    the_note = note(
        title="MEDICAL ONCOLOGY CONSULTATION",
        practice=practice,
        patient=patient,
        d=date(2026, 9, 8),
        provider=oncologist,
        visit="New patient consultation",
        show_member_id=True,
        size=10.5,
        sections=(
            Section("Reason for Referral", ("Newly diagnosed metastatic lung adenocarcinoma, treatment planning.",)),
            Section(
                "History of Present Illness",
                (
                    "Ms. Abernathy-Osei is a 69-year-old former smoker (40 pack-years, quit in 2018) with 3 months of cough "
                    "and right shoulder pain. CT chest 08/05/2026: 4.1 cm right upper lobe mass with mediastinal "
                    "adenopathy, a 2.3 cm left adrenal nodule and lytic lesions of T9 and the right ilium. PET-CT "
                    "08/12/2026: all of these hypermetabolic. CT-guided biopsy of the left adrenal nodule 08/19/2026: "
                    "adenocarcinoma, TTF-1 positive, consistent with a lung primary.",
                    "Biomarkers (Cascadia Molecular Pathology, 08/28/2026): PD-L1 (22C3 pharmDx) tumor proportion score 60%. "
                    "EGFR and ALK negative; no ROS1, BRAF V600E or KRAS G12C alteration; microsatellite stable; TMB-high, 14 mut/Mb. "
                    "MRI brain 08/26/2026 without metastases.",
                ),
            ),
            Section(
                "Past Medical History",
                ("COPD (J44.9), on tiotropium. Basal cell carcinoma of the nose (C44.311), excised in 2019.",),
            ),
            Section("Medications", ("Tiotropium inhaler daily, albuterol as needed, oxycodone 5 mg as needed for bone pain.",)),
            Section(
                "Physical Examination",
                (
                    "ECOG performance status 1. BP 128/76, HR 84, SpO2 94% on room air, weight 61 kg. Decreased breath "
                    "sounds at the right apex. Tenderness over the right iliac crest. No lymphadenopathy. Neurologic exam "
                    "nonfocal.",
                ),
            ),
            Section("Laboratory", ("08/31/2026: ANC 4.8, hemoglobin 11.9 g/dL, creatinine 0.8 mg/dL, ALT 19, TSH 2.1 mIU/L.",)),
            Section(
                "Assessment",
                (
                    "1. Adenocarcinoma of the right upper lobe of the lung (C34.11), stage IVB (cT2bN2M1c), metastatic to the "
                    "left adrenal gland (C79.72) and bone (C79.51). PD-L1 TPS 60%, no actionable driver alteration.",
                    "2. Brain metastases (C79.31) excluded by MRI.",
                ),
            ),
            Section(
                "Plan",
                (
                    "First-line pembrolizumab monotherapy, 200 mg IV every 3 weeks (HCPCS J9271, 200 units), for up to 24 "
                    "months or until progression or unacceptable toxicity. Palliative radiation to the right ilium; "
                    "restaging CT after 4 cycles.",
                ),
            ),
        ),
        truth={
            "npi": [npi_entry(oncologist)],
            "cpt": [],
            "hcpcs": ["J9271"],
            "icd10": [
                icd("J44.9", "historical"),
                icd("C44.311", "historical"),
                icd("C34.11"),
                icd("C79.72"),
                icd("C79.51"),
                icd("C79.31", "negated"),
            ],
        },
        facts={"symptom_duration": [weeks(round(3 * MONTH_WEEKS, 1))], "red_flag": [fact("malignancy")]},
        decoys=contact + ("22C3", "128/76", "SpO2 94%", "ANC 4.8", "TSH 2.1"),
    )
    the_order = service_order(
        title="INFUSION ORDER - IMMUNOTHERAPY",
        practice=practice,
        patient=patient,
        d=date(2026, 9, 9),
        provider=oncologist,
        heading="Medication Ordered",
        lines=(
            ("HCPCS J9271-JZ", "Pembrolizumab 1 mg per unit; 200 units (200 mg) IV"),
            ("Administration", "IV over 30 minutes, 0.2 micron in-line filter"),
            ("Schedule", "Day 1 of each 21-day cycle, up to 35 cycles"),
            ("Regimen", "Monotherapy, first line"),
            ("Priority", "[X] Routine   [ ] Urgent"),
        ),
        diagnoses=(
            ("C34.11", "Malignant neoplasm of upper lobe, right bronchus or lung"),
            ("C79.72", "Secondary malignant neoplasm of left adrenal gland"),
            ("C79.51", "Secondary malignant neoplasm of bone"),
        ),
        indication="Stage IVB lung adenocarcinoma, PD-L1 TPS 60% (22C3), EGFR/ALK/ROS1 negative; ECOG 1.",
        place=(
            "Infusion Site",
            (
                ("Facility", "Puget Sound Cancer Specialists Infusion Center"),
                ("Address", "1560 N 115th St, Suite 100, Seattle, WA 98133"),
                ("Facility NPI", infusion.npi),
            ),
        ),
        truth={
            "npi": [npi_entry(oncologist), npi_entry(infusion)],
            "cpt": [],
            "hcpcs": ["J9271"],
            "icd10": [icd("C34.11"), icd("C79.72"), icd("C79.51")],
        },
        facts={"red_flag": [fact("malignancy")]},
        decoys=contact + ("(425) 555-0195", "22C3"),
    )
    return Case(
        case_id="pembrolizumab_complete_text",
        description="Pembrolizumab (J9271-JZ, 200 units), Medicare Advantage, Washington: text PDFs of the infusion order, the "
        "oncology consultation and the molecular pathology report. Stage IVB NSCLC (C34.11), PD-L1 TPS 60% (the 22C3 clone a "
        "decoy), EGFR/ALK/ROS1 negative, microsatellite stable but TMB-high (14 mut/Mb), so both indication branches are "
        "met. Basal cell carcinoma historical, brain metastases negated.",
        request={
            "service_codes": ["J9271"],
            "payer_name": patient.payer,
            "plan_type": "medicare_advantage",
            "state": "WA",
            "urgency": "standard",
            "request_date": "2026-09-10",
        },
        files=(
            FileSpec("infusion_order.pdf", "text_pdf", (the_order,)),
            FileSpec("oncology_consult.pdf", "text_pdf", (the_note,)),
            FileSpec("molecular_pathology.pdf", "text_pdf", (pathology,)),
        ),
        expected=expect(
            PEMBROLIZUMAB_INITIAL_REQUIREMENTS,
            missing=(
                "pembro.agnostic-msi-h",
                "pembro.agnostic-dmmr",
                "pembro.msi-h",
                "pembro.dmmr",
                "pembro.biomarker-free-indication",
            ),
        ),
    )


# --- 8. Blepharoplasty with a cosmetic code beside the functional one ------------------------------


def blepharoplasty_cosmetic_text() -> Case:
    practice = Practice(
        "Hill Country Eye & Oculoplastics",
        "3705 Medical Pkwy, Suite 420",
        "Austin",
        "TX",
        "78705",
        "(512) 555-0106",
        "(512) 555-0130",
    )
    patient = Patient(
        "Szymanski-Hale",
        "Loretta",
        "B",
        date(1948, 7, 23),
        "F",
        "HCE-330195",
        "7714402",
        "2HW5-NC8-PY36",
        "Medicare (Novitas Solutions, JH)",
        None,
        "(512) 555-0189",
    )
    surgeon = Provider("Imogen Castellano-Reyes, MD", "1578801205", True)
    hospital = Provider("St. Brigid Medical Center Outpatient Surgery", "1407216443", True, role="facility")
    contact = ("78705", "(512) 555-0106", "(512) 555-0130", "HCE-330195", "7714402")
    visit = date(2026, 10, 1)
    the_note = note(
        title="OCULOPLASTIC CONSULTATION",
        practice=practice,
        patient=patient,
        d=visit,
        provider=surgeon,
        visit="New patient consultation",
        size=10.5,
        sections=(
            Section("Chief Complaint", ("Heavy upper eyelids blocking her vision.",)),
            Section(
                "History of Present Illness",
                (
                    "Mrs. Szymanski-Hale is a 78-year-old retired teacher whose upper eyelids have been drooping for several "
                    "years, worse over the past year. The lids block her upper vision: she has difficulty reading and "
                    "driving, tilts her head back to see traffic lights and lifts her lids with her fingers to read. Her "
                    "forehead aches by evening from raising her brows.",
                    "She also asks about the bags under her lower lids, which bother her for appearance only.",
                ),
            ),
            Section(
                "Past Medical History",
                ("Hypertension (I10). Cataract extraction with lens implants in both eyes in 2021. Dry eye syndrome.",),
            ),
            Section("Medications", ("Losartan 50 mg daily, artificial tears four times daily.",)),
            Section(
                "Examination",
                (
                    "Visual acuity 20/25 OD and 20/30 OS with correction. Marked dermatochalasis of both upper eyelids: "
                    "redundant skin rests on the lashes and hides the lid crease. MRD1 3.0 mm OD and 3.0 mm OS when the "
                    "excess skin is lifted; levator function 15 mm OU; brows in normal position. Lower lids: fat prolapse, "
                    "good tone. Cornea clear, mild punctate staining. Pupils equal.",
                    "Visual field testing 10/01/2026 (automated superior field, untaped): superior visual field limited to "
                    "25 degrees OD and 25 degrees OS; improves to 50 degrees with the lids taped.",
                    "External photographs taken today (frontal in primary gaze, lids taped, and both lateral views) show the "
                    "upper lid skin overhanging the lash line.",
                ),
            ),
            Section(
                "Assessment",
                (
                    "1. Dermatochalasis of the right upper eyelid (H02.831) and of the left upper eyelid (H02.834), with "
                    "superior visual field loss to 25 degrees that improves to 50 degrees with taping.",
                    "2. Ptosis of the eyelids (H02.403) is not present: MRD1 normal once the skin is lifted.",
                    "3. Encounter for cosmetic surgery (Z41.1): lower lid blepharoplasty for appearance, self-pay, to be "
                    "scheduled separately if she decides to go ahead.",
                ),
            ),
            Section(
                "Plan",
                (
                    "Bilateral upper lid blepharoplasty (CPT 15823-50) at St. Brigid Medical Center outpatient surgery, "
                    "anticipated 11/12/2026. Risks and benefits discussed. Stop aspirin 7 days before. Photographs and "
                    "visual fields sent with the prior authorization request.",
                ),
            ),
        ),
        truth={
            "npi": [npi_entry(surgeon)],
            "cpt": ["15823"],
            "hcpcs": [],
            "icd10": [
                icd("I10", "historical"),
                icd("H02.831"),
                icd("H02.834"),
                icd("H02.403", "negated"),
                icd("Z41.1"),
            ],
        },
        facts={},
        decoys=contact + ("20/25", "20/30"),
    )
    photos = photo_sheet(
        practice=practice,
        patient=patient,
        d=visit,
        title="PRE-OPERATIVE EXTERNAL PHOTOGRAPHS",
        photos=(
            "Photo 1 - frontal view, primary gaze, brows relaxed: the upper eyelid skin rests on the lashes of both eyes "
            "and covers the lid crease.",
            "Photo 2 - frontal view with the upper lid skin taped up: the pupils and the upper lid margins are clear.",
            "Photo 3 - right lateral view: the redundant right upper lid skin hangs over the lash line.",
            "Photo 4 - left lateral view: the redundant left upper lid skin hangs over the lash line.",
        ),
        remarks=(
            "Photographs taken in clinic under standard lighting, camera at eye level, 1 metre. Unretouched. "
            "Photographer: Renee Ostrowski, COT, certified ophthalmic technician.",
        ),
        decoys=("HCE-330195", "78705"),
    )
    the_order = service_order(
        title="SURGICAL ORDER",
        practice=practice,
        patient=patient,
        d=date(2026, 10, 5),
        provider=surgeon,
        heading="Procedure Requested",
        lines=(
            ("CPT 15823-50", "Blepharoplasty, upper eyelids, with excessive skin"),
            ("Laterality", "Bilateral"),
            ("Anesthesia", "Local with monitored anesthesia care"),
            ("Date of service", "11/12/2026 (anticipated)"),
            ("Priority", "[X] Elective   [ ] Urgent"),
        ),
        diagnoses=(
            ("H02.831", "Dermatochalasis of right upper eyelid"),
            ("H02.834", "Dermatochalasis of left upper eyelid"),
        ),
        indication="Dermatochalasis of both upper lids with the superior visual field limited to 25 degrees, improving to "
        "50 degrees with taping; difficulty reading and driving.",
        place=(
            "Performing Facility (hospital outpatient department)",
            (
                ("Facility", "St. Brigid Medical Center Outpatient Surgery"),
                ("Address", "1201 W 38th St, Austin, TX 78705"),
                ("Facility NPI", hospital.npi),
            ),
        ),
        truth={
            "npi": [npi_entry(surgeon), npi_entry(hospital)],
            "cpt": ["15823"],
            "hcpcs": [],
            "icd10": [icd("H02.831"), icd("H02.834")],
            "date_of_service": ["2026-11-12"],
        },
        decoys=contact + ("(512) 555-0189",),
    )
    return Case(
        case_id="blepharoplasty_cosmetic_text",
        description="Upper lid blepharoplasty (15823), Medicare hospital outpatient, Texas: text PDFs of the surgical order "
        "(anticipated date of service, hospital NPI), the signed oculoplastic consultation and a page of pre-operative "
        "photographs. Dermatochalasis H02.831/H02.834 with the superior field at 25 degrees (MRD1 3.0 mm, normal), but the "
        "note also codes Z41.1 (cosmetic lower lids): the diagnosis needs review. Ptosis H02.403 negated.",
        request={
            "service_codes": ["15823"],
            "payer_name": patient.payer,
            "plan_type": "medicare",
            "state": "TX",
            "urgency": "standard",
            "request_date": "2026-10-07",
            "date_of_service": "2026-11-12",
        },
        files=(
            FileSpec("order.pdf", "text_pdf", (the_order,)),
            FileSpec("oculoplastic_consult.pdf", "text_pdf", (the_note,)),
            FileSpec("external_photographs.pdf", "text_pdf", (photos,)),
        ),
        expected=expect(BLEPHAROPLASTY_MEDICARE_OPD_REQUIREMENTS, missing=("bleph.mrd1",), review=("bleph.diagnosis",)),
    )


# --- 9. Power wheelchair ordered before the face-to-face exam --------------------------------------


def power_mobility_order_before_f2f_text() -> Case:
    practice = Practice(
        "Arkansas Valley Family Medicine",
        "1215 W 4th St, Suite 2",
        "Pueblo",
        "CO",
        "81003",
        "(719) 555-0106",
        "(719) 555-0108",
    )
    clinic = Practice(
        "Pueblo Rehabilitation Services", "2002 Lake Ave, Suite 110", "Pueblo", "CO", "81004", "(719) 555-0114", "(719) 555-0116"
    )
    patient = Patient(
        "Okafor-Lindgren",
        "Reginald",
        "T",
        date(1946, 3, 30),
        "M",
        "AVF-558120",
        "9021184",
        "6PF3-RD7-WQ42",
        "Medicare Part B",
        None,
        "(719) 555-0181",
    )
    doctor = Provider("Ingrid Fairweather-Osei, MD", "1472176423", True)
    therapist = Provider("Dominic Ruelas, PT, DPT, ATP", "1610435343", True, role="rendering")
    contact = ("81003", "(719) 555-0106", "(719) 555-0108", "AVF-558120", "9021184")
    the_order = service_order(
        title="WRITTEN ORDER - POWER MOBILITY DEVICE",
        practice=practice,
        patient=patient,
        d=date(2026, 8, 3),
        provider=doctor,
        heading="Equipment Ordered",
        lines=(
            ("HCPCS K0823", "Power wheelchair, group 2 standard, captain's chair"),
            ("Options", "None; standard seat cushion and back"),
            ("Quantity", "1"),
            ("Length of need", "99 months (lifetime)"),
        ),
        diagnoses=(
            ("J44.9", "Chronic obstructive pulmonary disease, unspecified"),
            ("M16.0", "Bilateral primary osteoarthritis of hip"),
            ("I50.32", "Chronic diastolic (congestive) heart failure"),
        ),
        indication="Cannot walk more than 20 feet in the home because of severe COPD on home oxygen and bilateral hip "
        "osteoarthritis; cannot self-propel a manual wheelchair.",
        place=(
            "Supplier",
            (("Supplier", "Sangre Mobility Supply"), ("Address", "310 S Santa Fe Ave, Pueblo, CO 81003")),
        ),
        truth={
            "npi": [npi_entry(doctor)],
            "cpt": [],
            "hcpcs": ["K0823"],
            "icd10": [icd("J44.9"), icd("M16.0"), icd("I50.32")],
        },
        decoys=contact + ("(719) 555-0181",),
        signed_at="12:40",
    )
    f2f = note(
        title="FACE-TO-FACE MOBILITY EXAMINATION",
        practice=practice,
        patient=patient,
        d=date(2026, 8, 20),
        provider=doctor,
        visit="Established patient, office visit",
        show_member_id=True,
        sections=(
            Section("Reason for Visit", ("Face-to-face examination for a power mobility device.",)),
            Section(
                "History of Present Illness",
                (
                    "Mr. Okafor-Lindgren is an 80-year-old man with severe COPD (FEV1 32% predicted) on 3 L/min of home "
                    "oxygen and bilateral hip osteoarthritis. Over the past year his walking has declined: he can only walk "
                    "about 20 feet with his walker before he stops for breath and hip pain, and he fell in the home on "
                    "05/14/2026 and 07/02/2026. He cannot get to the bathroom in time, cannot walk to the kitchen to prepare "
                    "meals, and needs help to dress and bathe. His mobility-related activities of daily living in the home "
                    "(toileting, meal preparation, grooming) are severely limited.",
                ),
            ),
            Section(
                "Lesser Devices",
                (
                    "A cane and a standard walker do not resolve the limitation: dyspnea after 20 feet and two falls. He "
                    "cannot self-propel a manual wheelchair: shoulder osteoarthritis and oxygen desaturation after 10 feet "
                    "of propulsion, and no caregiver is home during the day to push one. A scooter (POV) will not do: he "
                    "cannot sit upright unsupported long enough to steer a tiller and cannot transfer onto a scooter seat "
                    "safely.",
                ),
            ),
            Section(
                "Home",
                (
                    "Single-level home with a ramp at the front entrance; interior doorways 32 inches; the hallway and "
                    "bathroom have room to maneuver a power wheelchair.",
                ),
            ),
            Section(
                "Past Medical History",
                ("Prostate cancer (C61) treated with radiation in 2012, no recurrence. Right knee replacement in 2015.",),
            ),
            Section("Medications", ("Tiotropium, budesonide-formoterol, furosemide 20 mg daily, home oxygen 3 L/min.",)),
            Section(
                "Physical Examination",
                (
                    "BP 128/74, HR 92, SpO2 90% on 3 L at rest, 84% after walking 20 feet with the walker. BMI 27.4. Gait "
                    "slow and wide-based. Hip flexion limited to 80 degrees both sides with pain. Upper extremity strength "
                    "4/5, grip adequate. Timed Up and Go 38 seconds. Alert and oriented; vision adequate with glasses.",
                ),
            ),
            Section(
                "Assessment",
                (
                    "1. Chronic obstructive pulmonary disease (J44.9), severe, on home oxygen.",
                    "2. Bilateral primary osteoarthritis of the hips (M16.0). 3. Chronic diastolic heart failure (I50.32).",
                    "4. Parkinson disease (G20.A1) considered and ruled out: no tremor, rigidity or bradykinesia.",
                    "He has the cognitive and physical ability to safely operate a power wheelchair in the home.",
                ),
            ),
            Section(
                "Plan",
                (
                    "A group 2 power wheelchair (K0823) is medically necessary for his mobility-related activities of daily "
                    "living in the home. Referred to Pueblo Rehabilitation Services for the seating and mobility evaluation. "
                    "The written order was sent to the supplier on 08/03/2026.",
                ),
            ),
        ),
        truth={
            "npi": [npi_entry(doctor)],
            "cpt": [],
            "hcpcs": ["K0823"],
            "icd10": [
                icd("C61", "historical"),
                icd("J44.9"),
                icd("M16.0"),
                icd("I50.32"),
                icd("G20.A1", "negated"),
            ],
        },
        facts={"bmi": [fact(27.4)], "red_flag": [fact("malignancy", "historical")]},
        decoys=contact + ("128/74", "SpO2 90%"),
    )
    evaluation = note(
        title="SEATING AND MOBILITY EVALUATION (LCMP)",
        practice=clinic,
        patient=patient,
        d=date(2026, 8, 27),
        provider=therapist,
        visit="Specialty evaluation, physical therapy",
        sections=(
            Section(
                "Referral",
                (
                    "Referred by Ingrid Fairweather-Osei, MD for a power mobility evaluation. The evaluating physical "
                    "therapist is employed by Pueblo Rehabilitation Services and has no financial relationship with the "
                    "supplier.",
                ),
            ),
            Section(
                "Subjective",
                (
                    "Lives alone in a single-level home; daughter visits in the evenings. Walks 20 feet with a walker "
                    "before stopping; two falls this year. Unable to reach the bathroom or the kitchen without rest breaks.",
                ),
            ),
            Section(
                "Objective",
                (
                    "Sitting balance fair, unsupported 2 minutes. Trunk control poor for a tiller. Bilateral grip 18 kg. "
                    "Manual wheelchair trial: 10 feet of self-propulsion, SpO2 to 85%, stopped. Power wheelchair trial with "
                    "a joystick: drove the clinic course forward, backward and through a 32-inch doorway without contact; "
                    "turning radius adequate. Measurements: seat width 18 in, seat depth 18 in, back height 19 in.",
                ),
            ),
            Section(
                "Home Assessment",
                (
                    "Home evaluation from photographs and tape measurements provided by the daughter: ramp at the front "
                    "entrance, doorways 32 inches, bathroom turning space 60 inches.",
                ),
            ),
            Section(
                "Assessment",
                (
                    "He is able to safely operate a group 2 power wheelchair and cannot use a cane, walker, manual wheelchair "
                    "or scooter to do his mobility-related activities of daily living in the home. Recommend K0823 with a "
                    "general-use cushion.",
                ),
            ),
        ),
        truth={"npi": [npi_entry(therapist)], "cpt": [], "hcpcs": ["K0823"], "icd10": []},
        facts={},
        decoys=("81004", "(719) 555-0114", "(719) 555-0116", "AVF-558120", "9021184", "18 kg"),
    )
    return Case(
        case_id="power_mobility_order_before_f2f_text",
        description="Power wheelchair (K0823), Medicare, Colorado: text PDFs of the written order dated 08/03/2026, the "
        "face-to-face mobility examination on 08/20/2026 and the PT seating and mobility evaluation (LCMP). Everything the "
        "exam needs is documented, but the order predates the face-to-face, so the signed order within 6 months after it "
        "is missing. Prostate cancer historical, Parkinson disease negated.",
        request={
            "service_codes": ["K0823"],
            "payer_name": patient.payer,
            "plan_type": "medicare",
            "state": "CO",
            "urgency": "standard",
            "request_date": "2026-09-02",
        },
        files=(
            FileSpec("written_order.pdf", "text_pdf", (the_order,)),
            FileSpec("face_to_face_exam.pdf", "text_pdf", (f2f,)),
            FileSpec("mobility_evaluation.pdf", "text_pdf", (evaluation,)),
        ),
        expected=expect(POWER_MOBILITY_REQUIREMENTS, missing=("pmd.wopd",)),
    )


# --- 10. Bariatric surgery without the psychological evaluation -----------------------------------


def bariatric_commercial_no_psych_text() -> Case:
    practice = Practice(
        "Cascade Metabolic & Bariatric Surgery",
        "2101 Pacific Ave, Suite 500",
        "Tacoma",
        "WA",
        "98402",
        "(253) 555-0163",
        "(253) 555-0165",
    )
    program = Practice(
        "Tacoma Medical Weight Management",
        "1901 S Cedar St, Suite 210",
        "Tacoma",
        "WA",
        "98405",
        "(253) 555-0127",
        "(253) 555-0128",
    )
    patient = Patient(
        "Brannigan-Tsosie",
        "Carmela",
        "E",
        date(1981, 10, 12),
        "F",
        "CMB-441902",
        "3390271",
        "RNH-8841-20577",
        "Rainier Northwest Health",
        "RNW-60419",
        "(253) 555-0198",
    )
    surgeon = Provider("Augustin Delacroix-Fenn, MD", "1753930050", True)
    hospital = Provider("Commencement Bay Medical Center", "1503313540", True, role="facility")
    physician = Provider("Priyanka Okoro-Lindahl, MD", "1293172577", True, role="rendering")
    dietitian = Provider("Hannah Westergaard, RDN, CD", "1185363896", True, role="rendering")
    contact = ("98402", "(253) 555-0163", "(253) 555-0165", "CMB-441902", "3390271")
    program_contact = ("98405", "(253) 555-0127", "(253) 555-0128", "CMB-441902", "3390271")

    def visit(d: date, provider: Provider, title: str, sections: tuple[Section, ...], bmi: float) -> Labelled:
        return note(
            title=title,
            practice=program,
            patient=patient,
            d=d,
            provider=provider,
            visit="Medically supervised weight management program",
            font="Helvetica",
            size=10,
            sections=sections,
            truth={"npi": [npi_entry(provider)], "cpt": [], "hcpcs": [], "icd10": [icd("E66.01"), icd("Z68.41")]},
            facts={"bmi": [fact(bmi)]},
            decoys=program_contact,
        )

    month_0 = visit(
        date(2026, 3, 10),
        physician,
        "WEIGHT MANAGEMENT PROGRAM: ENROLLMENT VISIT",
        (
            Section(
                "Subjective",
                (
                    "Enrolls in our 6-month medically supervised weight management program before a bariatric surgery "
                    "referral. Weight gain since her twenties; prior attempts with Weight Watchers in 2019 and 2022.",
                ),
            ),
            Section("Objective", ("Weight 269 lb, height 5 ft 6 in, BMI 43.4. BP 138/88. Waist 49 in.",)),
            Section(
                "Assessment and Plan",
                (
                    "Severe obesity (E66.01) with BMI 43.4 (Z68.41). Calorie goal 1,400 kcal/day, food log, 150 minutes of "
                    "walking a week. Dietitian counseling at each visit. Return monthly.",
                ),
            ),
        ),
        43.4,
    )
    month_3 = visit(
        date(2026, 6, 9),
        dietitian,
        "WEIGHT MANAGEMENT PROGRAM: MONTH 3 VISIT",
        (
            Section(
                "Subjective",
                (
                    "Month 3 of the medically supervised program. Keeps a food log 5 days a week; walks 20 minutes most days "
                    "but knee pain limits longer walks. Nutrition counseling on protein portions and late-evening snacking.",
                ),
            ),
            Section("Objective", ("Weight 265 lb, BMI 42.8 (down 4 lb since enrollment).",)),
            Section(
                "Assessment and Plan",
                ("Severe obesity (E66.01), BMI 42.8 (Z68.41). Continue the 1,400 kcal plan; meal replacement at breakfast.",),
            ),
        ),
        42.8,
    )
    month_6 = visit(
        date(2026, 9, 8),
        physician,
        "WEIGHT MANAGEMENT PROGRAM: COMPLETION VISIT",
        (
            Section(
                "Subjective",
                (
                    "Completes the 6-month medically supervised weight management program (03/10/2026 to 09/08/2026, "
                    "7 visits with the physician and the dietitian). Adherent to the food log and the walking plan.",
                ),
            ),
            Section("Objective", ("Weight 263 lb, BMI 42.4: 6 lb lost in 6 months (2.2% of body weight).",)),
            Section(
                "Assessment and Plan",
                (
                    "Severe obesity (E66.01), BMI 42.4 (Z68.41): the supervised program did not produce clinically "
                    "meaningful weight loss. Referred to Cascade Metabolic & Bariatric Surgery.",
                ),
            ),
        ),
        42.4,
    )
    nutrition = note(
        title="PRE-OPERATIVE NUTRITION EVALUATION",
        practice=program,
        patient=patient,
        d=date(2026, 9, 15),
        provider=dietitian,
        visit="Nutrition evaluation before bariatric surgery",
        font="Helvetica",
        size=10,
        sections=(
            Section(
                "Assessment",
                (
                    "Registered dietitian nutrition evaluation before Roux-en-Y gastric bypass. Diet history: irregular "
                    "meals, evening grazing, sweetened coffee drinks. Weight 263 lb, BMI 42.4. Labs 09/02/2026: vitamin D "
                    "18 ng/mL (low), ferritin 22 ng/mL, B12 410 pg/mL.",
                ),
            ),
            Section(
                "Education",
                (
                    "Post-operative diet stages, protein goal 60 to 80 g a day, chewable multivitamin with iron, calcium "
                    "citrate 1,500 mg a day, vitamin B12; eating slowly and separating liquids from meals.",
                ),
            ),
            Section(
                "Conclusion",
                ("Nutritionally appropriate for bariatric surgery after vitamin D repletion (50,000 IU weekly for 8 weeks).",),
            ),
        ),
        truth={"npi": [npi_entry(dietitian)], "cpt": [], "hcpcs": [], "icd10": []},
        facts={"bmi": [fact(42.4)]},
        decoys=program_contact + ("18 ng/mL", "22 ng/mL"),
    )
    consult = note(
        title="BARIATRIC SURGERY CONSULTATION",
        practice=practice,
        patient=patient,
        d=date(2026, 9, 29),
        provider=surgeon,
        visit="New patient consultation",
        show_member_id=True,
        sections=(
            Section(
                "History of Present Illness",
                (
                    "Ms. Brannigan-Tsosie is a 44-year-old woman with severe obesity since her twenties. Weight 262 lb, "
                    "height 5 ft 6 in, BMI 42.3. Obstructive sleep apnea on CPAP since 2025 and hypertension on two agents.",
                    "Weight-loss treatment: she completed a 6-month medically supervised weight management program at "
                    "Tacoma Medical Weight Management (03/10/2026 to 09/08/2026) and lost only 6 lb. Liraglutide 3 mg daily "
                    "for 5 months in 2025 was stopped because of persistent nausea and vomiting. Weight Watchers in 2019 "
                    "and 2022 without lasting weight loss.",
                    "Nutrition evaluation completed 09/15/2026 by Hannah Westergaard, RDN. Psychological evaluation: "
                    "referred to behavioral health, appointment scheduled for 10/21/2026, not yet done.",
                ),
            ),
            Section("Past Medical History", ("Depression (F32.9) in 2018, resolved. Cholecystectomy in 2015.",)),
            Section("Medications", ("Lisinopril 20 mg daily, amlodipine 5 mg daily, omeprazole 20 mg daily. CPAP nightly.",)),
            Section(
                "Physical Examination",
                ("BP 134/86, HR 82. Weight 262 lb, BMI 42.3. Abdomen obese, soft, healed laparoscopic scars.",),
            ),
            Section(
                "Data Reviewed",
                ("Labs 09/02/2026: HbA1c 6.1%, ALT 41 U/L, triglycerides 188 mg/dL, TSH 1.9 mIU/L.",),
            ),
            Section(
                "Assessment",
                (
                    "1. Morbid (severe) obesity due to excess calories (E66.01), BMI 42.3 (Z68.41).",
                    "2. Obstructive sleep apnea (G47.33) on CPAP. 3. Essential hypertension (I10). 4. Gastroesophageal "
                    "reflux (K21.9), which favors a gastric bypass over a sleeve.",
                    "5. Type 2 diabetes (E11.9) is not present: HbA1c 6.1%.",
                ),
            ),
            Section(
                "Plan",
                (
                    "Laparoscopic Roux-en-Y gastric bypass (CPT 43644) at Commencement Bay Medical Center. Surgery will be "
                    "scheduled once the psychological evaluation is complete. Continue CPAP.",
                ),
            ),
        ),
        truth={
            "npi": [npi_entry(surgeon)],
            "cpt": ["43644"],
            "hcpcs": [],
            "icd10": [
                icd("F32.9", "historical"),
                icd("E66.01"),
                icd("Z68.41"),
                icd("G47.33"),
                icd("I10"),
                icd("K21.9"),
                icd("E11.9", "negated"),
            ],
        },
        facts={
            "bmi": [fact(42.3)],
            "hba1c": [fact(6.1)],
            "conservative_therapy": [
                therapy("supervised_weight_loss", duration_weeks=26, outcome="failed"),
                therapy("weight_loss", duration_weeks=None, outcome="failed", assertion="historical"),
            ],
        },
        decoys=contact + ("134/86", "6.1%", "188 mg/dL"),
    )
    the_order = service_order(
        title="SURGICAL ORDER",
        practice=practice,
        patient=patient,
        d=date(2026, 10, 1),
        provider=surgeon,
        heading="Procedure Requested",
        lines=(
            ("CPT 43644", "Laparoscopic gastric bypass, Roux-en-Y"),
            ("Setting", "Inpatient, 1 to 2 nights"),
            ("Priority", "[X] Elective   [ ] Urgent"),
        ),
        diagnoses=(
            ("E66.01", "Morbid (severe) obesity due to excess calories"),
            ("Z68.41", "Body mass index 40.0-44.9, adult"),
            ("G47.33", "Obstructive sleep apnea"),
            ("I10", "Essential (primary) hypertension"),
        ),
        indication="BMI 42.3 with obstructive sleep apnea and hypertension; 6-month medically supervised program completed "
        "without meaningful weight loss; liraglutide not tolerated.",
        place=(
            "Performing Facility",
            (
                ("Facility", "Commencement Bay Medical Center"),
                ("Address", "315 S K St, Tacoma, WA 98405"),
                ("Facility NPI", hospital.npi),
            ),
        ),
        truth={
            "npi": [npi_entry(surgeon), npi_entry(hospital)],
            "cpt": ["43644"],
            "hcpcs": [],
            "icd10": [icd("E66.01"), icd("Z68.41"), icd("G47.33"), icd("I10")],
        },
        facts={
            "bmi": [fact(42.3)],
            "conservative_therapy": [therapy("supervised_weight_loss", duration_weeks=26, outcome="failed")],
        },
        decoys=contact + ("(253) 555-0198",),
    )
    return Case(
        case_id="bariatric_commercial_no_psych_text",
        description="Laparoscopic gastric bypass (43644), commercial, Washington: text PDFs of the surgical order, the "
        "bariatric consultation, three visits of a 6-month medically supervised weight management program and the "
        "dietitian's nutrition evaluation. BMI 42.3, OSA G47.33, liraglutide not tolerated; the psychological evaluation is "
        "only scheduled (hypothetical), so the commercial overlay's psychological evaluation is missing. Diabetes E11.9 "
        "negated, depression historical.",
        request={
            "service_codes": ["43644"],
            "payer_name": patient.payer,
            "plan_type": "commercial",
            "state": "WA",
            "urgency": "standard",
            "request_date": "2026-10-05",
        },
        files=(
            FileSpec("order.pdf", "text_pdf", (the_order,)),
            FileSpec("bariatric_consult.pdf", "text_pdf", (consult,)),
            FileSpec("weight_program_visits.pdf", "text_pdf", (month_0, month_3, month_6)),
            FileSpec("nutrition_evaluation.pdf", "text_pdf", (nutrition,)),
        ),
        expected=expect(BARIATRIC_COMMERCIAL_REQUIREMENTS, missing=("commercial-medicaid.bariatric-psych-eval",)),
    )


CASES = (
    tka_complete_text,
    cpap_continuation_low_adherence,
    adalimumab_stale_tb_text,
    pembrolizumab_complete_text,
    blepharoplasty_cosmetic_text,
    power_mobility_order_before_f2f_text,
    bariatric_commercial_no_psych_text,
)
