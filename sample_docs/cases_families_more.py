"""More service-family cases: a commercial vein ablation faxed at normal resolution, a lumbar MRI
sent to an out-of-network provider without the reason, an inpatient admission, a Washington Apple
Health fee-for-service lumbar MRI without the HCA form, and a PET/CT for a suspected lung cancer
scanned at 300 DPI. Every person, ID, address and phone number here is made up; 555-01xx numbers
are reserved for fiction.

The truth lists each requirement the checker reports for the request, group children included,
with the status a careful coordinator would give from what the documents say."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sample_docs.cases_families import MONTH_WEEKS, YEAR_WEEKS, identity, service_order
from sample_docs.layout import Document, Practice, Section
from sample_docs.letters import medical_necessity_letter
from sample_docs.reports import Exam, imaging_report
from sample_docs.spec import (
    INPATIENT_ADMISSION_REQUIREMENTS,
    MRI_LUMBAR_OUT_OF_NETWORK_REQUIREMENTS,
    MRI_LUMBAR_WA_APPLE_HEALTH_FFS_REQUIREMENTS,
    PET_REQUIREMENTS,
    VEIN_ABLATION_COMMERCIAL_REQUIREMENTS,
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
    order,
    therapy,
    us,
    weeks,
)

MRI_EXAM = ("CPT 72148", "MRI lumbar spine without contrast")
ROUTINE = "[X] Routine   [ ] Urgent"


# --- 1. Vein ablation, commercial, normal-resolution fax -------------------------------------------


def vein_ablation_commercial_fax() -> Case:
    practice = Practice(
        "Front Range Vein & Vascular",
        "8300 Alcott St, Suite 105",
        "Westminster",
        "CO",
        "80031",
        "(303) 555-0128",
        "(303) 555-0129",
    )
    patient = Patient(
        "Okonkwo-Halvorsen",
        "Marisol",
        "T",
        date(1971, 3, 9),
        "F",
        "FRV-318842",
        "60271945",
        "RMM 720419386",
        "Rocky Mountain Mutual Health",
        "RMM-40127",
        "(720) 555-0186",
    )
    surgeon = Provider("Gideon Abernathy-Cole, MD", "1944822463", True)
    centre = Provider("Front Range Vein Center", "1364701338", True, role="facility")
    sonographer_md = Provider("Priya Castellano, MD", "1919230924", True, role="rendering")
    contact = ("80031", "(303) 555-0128", "(303) 555-0129", "FRV-318842", "60271945")
    duplex = imaging_report(
        group=practice,
        style="ris",
        patient=patient,
        exam=Exam(
            name="US VENOUS DUPLEX LEFT LOWER EXTREMITY, REFLUX STUDY",
            cpt="93971",
            history="Left leg aching, heaviness and ankle swelling; varicose veins of the left leg. Evaluate for venous reflux.",
            comparison="None.",
            technique="Duplex ultrasound of the left lower extremity deep and superficial veins, standing, with "
            "augmentation and Valsalva; reflux timed after distal compression release.",
            findings=(
                "Deep veins: common femoral, femoral and popliteal veins compressible with normal phasic flow. No deep "
                "vein thrombosis. Deep venous reflux not present.",
                "Great saphenous vein: incompetent saphenofemoral junction; reflux 850 ms at the junction and 780 ms at "
                "the mid thigh. GSV diameter 7.4 mm at the junction, 6.1 mm mid thigh. No thrombus in the GSV.",
                "Small saphenous vein competent, reflux under 500 ms. Tortuous varicose tributaries of the medial calf "
                "fed by the GSV. No venous aneurysm.",
            ),
            impression=(
                "Left great saphenous vein valve incompetence with reflux of 850 ms at the saphenofemoral junction.",
                "No deep vein thrombosis. No aneurysm. Tortuous varicose tributaries of the medial calf.",
            ),
        ),
        exam_date=date(2026, 9, 29),
        exam_time="10:15",
        signed=date(2026, 9, 29),
        signed_time="14:02",
        facility_mrn="FRV-318842",
        accession="VU26-0929-041",
        referring="Gideon Abernathy-Cole, MD",
        location="Westminster vascular lab",
        radiologist=sonographer_md,
        truth={"npi": [npi_entry(sonographer_md)], "cpt": ["93971"], "hcpcs": [], "icd10": []},
        decoys=("VU26-0929-041", "7.4 mm"),
    )
    the_note = note(
        title="VASCULAR SURGERY OFFICE VISIT",
        practice=practice,
        patient=patient,
        d=date(2026, 10, 14),
        provider=surgeon,
        visit="Established patient, follow-up",
        font="Helvetica",
        size=11,
        sections=(
            Section("Chief Complaint", ("Aching and swelling of the left leg.",)),
            Section(
                "History of Present Illness",
                (
                    "Ms. Okonkwo-Halvorsen is a 55-year-old grocery store manager with aching, heaviness and evening ankle "
                    "swelling of the left leg for 2 years, with visible varicose veins of the medial calf. The aching "
                    "limits how long she can stand at work (she stops after about 2 hours) and interferes with her "
                    "activities of daily living: she cannot finish her shopping or housework without sitting down with "
                    "the leg up.",
                    "Conservative treatment: 20-30 mmHg compression stockings worn daily for 4 months (06/2026 to "
                    "10/2026), leg elevation several times a day, and ibuprofen 400 mg three times daily for the same 4 "
                    "months, without relief. The swelling and aching persist.",
                ),
            ),
            Section("Past Medical History", ("Hypothyroidism (E03.9). Two uncomplicated pregnancies.",)),
            Section("Medications", ("Levothyroxine 75 mcg daily, ibuprofen 400 mg as needed.",)),
            Section(
                "Physical Examination",
                (
                    "BP 128/78, HR 72, BMI 27.4. Left leg: varicose veins of the medial calf up to 6 mm, pitting edema of "
                    "the ankle, no skin pigmentation, no ulcer. Right leg: no varicose veins. Pedal pulses 2+.",
                ),
            ),
            Section(
                "Data Reviewed",
                (
                    "Venous duplex of the left leg 09/29/2026 (accession VU26-0929-041): great saphenous vein reflux "
                    "850 ms at the saphenofemoral junction, no deep vein thrombosis.",
                ),
            ),
            Section(
                "Assessment",
                (
                    "1. Varicose veins of the left lower extremity with pain (I83.812), CEAP C3 (edema), with chronic "
                    "venous insufficiency (I87.2) from great saphenous vein reflux of 850 ms.",
                    "2. Deep vein thrombosis (I82.412) excluded on duplex.",
                ),
            ),
            Section(
                "Plan",
                (
                    "Endovenous radiofrequency ablation of the left great saphenous vein (CPT 36475) at the Front Range "
                    "Vein Center. Continue stockings until the procedure. Risks, benefits and alternatives discussed.",
                ),
            ),
        ),
        truth={
            "npi": [npi_entry(surgeon)],
            "cpt": ["36475"],
            "hcpcs": [],
            "icd10": [icd("E03.9", "historical"), icd("I83.812"), icd("I87.2"), icd("I82.412", "negated")],
        },
        facts={
            "symptom_duration": [weeks(round(2 * YEAR_WEEKS, 1))],
            "conservative_therapy": [
                therapy("compression_stockings", duration_weeks=round(4 * MONTH_WEEKS, 1), outcome="failed"),
                therapy("nsaid", duration_weeks=round(4 * MONTH_WEEKS, 1), outcome="failed"),
            ],
            "bmi": [fact(27.4)],
        },
        decoys=contact + ("128/78", "VU26-0929-041"),
    )
    the_order = service_order(
        title="PROCEDURE ORDER",
        practice=practice,
        patient=patient,
        d=date(2026, 10, 16),
        provider=surgeon,
        heading="Procedure Requested",
        lines=(
            ("CPT 36475", "Endovenous RF ablation, first vein, left GSV"),
            ("Setting", "Office-based vein center, local anesthesia"),
            ("Priority", "[X] Elective   [ ] Urgent"),
        ),
        diagnoses=(("I83.812", "Varicose veins, left lower extremity, with pain"), ("I87.2", "Venous insufficiency")),
        indication="Symptomatic left GSV reflux 850 ms, CEAP C3; failed 4 months of 20-30 mmHg compression stockings and "
        "ibuprofen.",
        place=(
            "Performing Facility",
            (
                ("Facility", "Front Range Vein Center"),
                ("Address", "8300 Alcott St, Suite 105, Westminster, CO 80031"),
                ("Facility NPI", centre.npi),
            ),
        ),
        truth={
            "npi": [npi_entry(surgeon), npi_entry(centre)],
            "cpt": ["36475"],
            "hcpcs": [],
            "icd10": [icd("I83.812"), icd("I87.2")],
        },
        facts={
            "conservative_therapy": [
                therapy("compression_stockings", duration_weeks=round(4 * MONTH_WEEKS, 1), outcome="failed"),
                therapy("nsaid", duration_weeks=None, outcome="failed"),
            ]
        },
        decoys=contact + ("(720) 555-0186",),
        font="Helvetica",
        size=11,
    )
    return Case(
        case_id="vein_ablation_commercial_fax",
        description="Endovenous RF ablation of the left great saphenous vein (36475), commercial, Colorado: a normal-resolution "
        "fax TIFF (204x98), order p1, vascular surgery note p2, venous duplex report p3. GSV reflux 850 ms, CEAP C3, "
        "I83.812 and I87.2; 4 months of failed 20-30 mmHg stockings and ibuprofen plus leg elevation; aching limits standing "
        "at work and daily activities: complete under the catalog and the commercial overlay. DVT I82.412 negated.",
        request={
            "service_codes": ["36475"],
            "payer_name": patient.payer,
            "plan_type": "commercial",
            "state": "CO",
            "urgency": "standard",
            "request_date": "2026-10-20",
        },
        files=(
            FileSpec(
                "fax_normal_204x98.tif",
                "fax_tiff",
                (the_order, the_note, duplex),
                dpi=(204, 98),
                fax_header="OCT-16-2026 15:31   FRONT RANGE VEIN VASC   (303) 555-0129   P.{page}/{pages}",
            ),
        ),
        expected=expect(VEIN_ABLATION_COMMERCIAL_REQUIREMENTS),
    )


# --- 2. Lumbar MRI out of network, referral without a reason -----------------------------------------


def out_of_network_referral_text() -> Case:
    practice = Practice(
        "Verde Valley Family Practice",
        "405 S Main St, Suite 2",
        "Cottonwood",
        "AZ",
        "86326",
        "(928) 555-0147",
        "(928) 555-0148",
    )
    patient = Patient(
        "Basquez-Thornbury",
        "Lionel",
        "D",
        date(1969, 7, 30),
        "M",
        "VVF-204417",
        "31884072",
        "SMH907731248",
        "Saguaro Mutual Health",
        "0091478",
        "(928) 555-0193",
    )
    doctor = Provider("Imogen Fairbairn-Diaz, MD", "1541246447", True)
    facility = Provider("Red Mountain Spine Imaging", "1009568894", True, role="facility")
    contact = ("86326", "(928) 555-0147", "(928) 555-0148", "VVF-204417", "31884072")
    the_note = note(
        title="OFFICE VISIT",
        practice=practice,
        patient=patient,
        d=date(2026, 10, 27),
        provider=doctor,
        visit="Established patient, follow-up",
        sections=(
            Section("Chief Complaint", ("Low back pain radiating down the right leg.",)),
            Section(
                "History of Present Illness",
                (
                    "Mr. Basquez-Thornbury is a 57-year-old HVAC technician with low back pain radiating down the back of "
                    "the right leg to the lateral foot for 11 weeks, with tingling of the right lateral foot. Pain 7/10, "
                    "worse with sitting and bending; he has had to stop working in crawl spaces.",
                    "He completed 8 weeks of physical therapy (twice weekly, 08/25/2026 to 10/20/2026) with a home "
                    "exercise program, and took naproxen 500 mg twice daily for the same 8 weeks, without improvement. He "
                    "denies saddle anesthesia and bowel or bladder changes. No fever, no weight loss, no history of cancer.",
                ),
            ),
            Section("Past Medical History", ("Gastroesophageal reflux disease (K21.9). Hyperlipidemia (E78.5).",)),
            Section("Medications", ("Omeprazole 20 mg daily, atorvastatin 20 mg daily, naproxen 500 mg twice daily.",)),
            Section(
                "Physical Examination",
                (
                    "BP 132/84, HR 76, BMI 29.0. Positive straight-leg raise on the right at 40 degrees. Right ankle "
                    "reflex diminished. Decreased sensation over the right lateral foot. Strength 5/5 except right ankle "
                    "plantar flexion 4+/5. Gait normal.",
                ),
            ),
            Section(
                "Assessment",
                (
                    "1. Lumbar radiculopathy (M54.16), right S1 distribution, 11 weeks, after 8 weeks of failed physical "
                    "therapy and NSAIDs.",
                    "2. Cauda equina syndrome (G83.4) not suspected: no saddle anesthesia, no bowel or bladder changes.",
                ),
            ),
            Section(
                "Plan",
                (
                    "MRI lumbar spine without contrast (CPT 72148) at Red Mountain Spine Imaging; referral letter to "
                    "follow. Consider an epidural steroid injection depending on the MRI. Return after the study.",
                ),
            ),
        ),
        truth={
            "npi": [npi_entry(doctor)],
            "cpt": ["72148"],
            "hcpcs": [],
            "icd10": [icd("K21.9", "historical"), icd("E78.5", "historical"), icd("M54.16"), icd("G83.4", "negated")],
        },
        facts={
            "symptom_duration": [weeks(11)],
            "conservative_therapy": [
                therapy("physical_therapy", duration_weeks=8, outcome="failed"),
                therapy("home_exercise", duration_weeks=None, outcome="failed"),
                therapy("nsaid", duration_weeks=8, outcome="failed"),
                therapy("injection", duration_weeks=None, outcome="unknown", assertion="hypothetical"),
            ],
            "red_flag": [
                fact("saddle_anesthesia", "negated"),
                fact("bowel_bladder_dysfunction", "negated"),
                fact("cauda_equina", "negated"),
                fact("malignancy", "negated"),
            ],
            "bmi": [fact(29.0)],
        },
        decoys=contact + ("132/84",),
    )
    the_order = order(
        title="DIAGNOSTIC IMAGING ORDER",
        practice=practice,
        patient=patient,
        d=date(2026, 10, 28),
        provider=doctor,
        exams=(MRI_EXAM,),
        diagnoses=(("M54.16", "Radiculopathy, lumbar region"),),
        indication="Right S1 radiculopathy for 11 weeks; 8 weeks of physical therapy and naproxen without improvement.",
        priority=ROUTINE,
        facility=("Red Mountain Spine Imaging", "1120 W Gurley St, Prescott, AZ 86305", facility),
        truth={
            "npi": [npi_entry(doctor), npi_entry(facility)],
            "cpt": ["72148"],
            "hcpcs": [],
            "icd10": [icd("M54.16")],
        },
        facts={
            "symptom_duration": [weeks(11)],
            "conservative_therapy": [
                therapy("physical_therapy", duration_weeks=8, outcome="failed"),
                therapy("nsaid", duration_weeks=8, outcome="failed"),
            ],
        },
        decoys=contact + ("(928) 555-0193", "86305"),
    )
    letter = medical_necessity_letter(
        practice=practice,
        patient=patient,
        d=date(2026, 10, 29),
        provider=doctor,
        credentials="Board certified, Family Medicine",
        addressee=("Red Mountain Spine Imaging", "Attn: Scheduling", "1120 W Gurley St", "Prescott, AZ 86305"),
        subject="Referral for MRI of the lumbar spine (CPT 72148)",
        salutation="Dear Colleagues:",
        paragraphs=(
            "I am referring my patient, Mr. Lionel Basquez-Thornbury, to Red Mountain Spine Imaging for an MRI of the "
            "lumbar spine without contrast (CPT 72148). He has a right S1 lumbar radiculopathy (M54.16) of 11 weeks that "
            "has not improved with 8 weeks of physical therapy and naproxen.",
            "I understand that your center is out of network for his plan, Saguaro Mutual Health, and we are requesting "
            "authorization from the plan for the study at your center.",
            "Please send the report to my office by fax at (928) 555-0148. Thank you for seeing him.",
        ),
        truth={"cpt": ["72148"], "hcpcs": [], "icd10": [icd("M54.16")]},
        facts={"symptom_duration": [weeks(11)]},
        decoys=("(928) 555-0148", "86305"),
    )
    letter = replace(letter, document=replace(letter.document, title="Referral letter"), doc_type="other")
    return Case(
        case_id="out_of_network_referral_text",
        description="Lumbar MRI (72148) out of network, commercial, Arizona: text PDFs of the order, the family medicine note "
        "(11 weeks of right S1 radiculopathy M54.16, 8 weeks of failed PT and naproxen, red flags denied) and the PCP's "
        "referral letter to the out-of-network imaging center. The letter says the center is out of network but gives no "
        "reason an in-network provider cannot do the study: oon.reason is missing.",
        request={
            "service_codes": ["72148"],
            "payer_name": patient.payer,
            "plan_type": "commercial",
            "state": "AZ",
            "urgency": "standard",
            "request_date": "2026-11-02",
            "out_of_network": True,
        },
        files=(
            FileSpec("imaging_order.pdf", "text_pdf", (the_order,)),
            FileSpec("office_note.pdf", "text_pdf", (the_note,)),
            FileSpec("referral_letter.pdf", "text_pdf", (letter,)),
        ),
        expected=expect(MRI_LUMBAR_OUT_OF_NETWORK_REQUIREMENTS, missing=("mri-lumbar.red-flag", "oon.reason")),
    )


# --- 3. Inpatient admission, complete -------------------------------------------------------------


def inpatient_admission_text() -> Case:
    hospital = Practice(
        "Kitsap Harbor Regional Hospital",
        "2500 Cherry Ave",
        "Bremerton",
        "WA",
        "98310",
        "(360) 555-0152",
        "(360) 555-0153",
        tagline="Hospital Medicine Service",
    )
    patient = Patient(
        "Thibodeaux-Nakamura",
        "Beatrice",
        "E",
        date(1947, 1, 18),
        "F",
        "KHR-5518270",
        "90317726",
        "OPA 551820734",
        "Olympic Peninsula Advantage (HMO)",
        "OPA-2210",
        "(360) 555-0189",
    )
    hospitalist = Provider("Fernando Oyelowo-Brandt, MD", "1808454387", True)
    hospital_npi = Provider("Kitsap Harbor Regional Hospital", "1786990881", True, role="facility")
    contact = ("98310", "(360) 555-0152", "(360) 555-0153", "KHR-5518270", "90317726")
    d = date(2026, 11, 9)
    the_order = service_order(
        title="ADMISSION ORDER",
        practice=hospital,
        patient=patient,
        d=d,
        provider=hospitalist,
        heading="Admission",
        lines=(
            ("Admit to", "Inpatient, Hospital Medicine, 4 West (telemetry)"),
            ("Status", "[X] Inpatient   [ ] Observation"),
            ("Attending", hospitalist.name),
            ("Condition", "Guarded"),
            ("Code status", "Full code"),
        ),
        diagnoses=(
            ("J18.9", "Pneumonia, unspecified organism"),
            ("J96.01", "Acute respiratory failure with hypoxia"),
        ),
        indication="Admit to inpatient: multilobar community-acquired pneumonia with acute hypoxic respiratory failure "
        "(SpO2 84% on room air, 4 L oxygen), needing IV antibiotics and oxygen; expected to need hospital care over at "
        "least 3 midnights.",
        place=(
            "Admitting Facility",
            (
                ("Facility", hospital.name),
                ("Address", "2500 Cherry Ave, Bremerton, WA 98310"),
                ("Facility NPI", hospital_npi.npi),
            ),
        ),
        truth={
            "npi": [npi_entry(hospitalist), npi_entry(hospital_npi)],
            "cpt": [],
            "hcpcs": [],
            "icd10": [icd("J18.9"), icd("J96.01")],
        },
        decoys=contact + ("(360) 555-0189", "84%"),
        signed_at="22:48",
    )
    certification = Document(
        title="PHYSICIAN CERTIFICATION OF INPATIENT ADMISSION",
        practice=hospital,
        date_line=f"Date: {us(date(2026, 11, 10))}",
        patient_rows=(
            (("Patient:", patient.printed_upper), ("DOB:", us(patient.dob))),
            (("MRN:", patient.mrn), ("Account #:", patient.account)),
            (("Admitted:", f"{us(d)} 22:48"), ("Unit:", "4 West")),
        ),
        sections=(
            Section(
                "Reason for Inpatient Services",
                (
                    "Multilobar community-acquired pneumonia (J18.9) with acute hypoxic respiratory failure (J96.01) in a "
                    "79-year-old with COPD: IV ceftriaxone and azithromycin, supplemental oxygen titrated to SpO2 above "
                    "90%, telemetry for new atrial premature beats, and monitoring for sepsis.",
                ),
            ),
            Section(
                "Expected Length of Stay",
                ("Expected length of stay: 3 midnights (through 11/12/2026), until off oxygen and on oral antibiotics.",),
            ),
            Section(
                "Discharge Plan",
                (
                    "Discharge plan: home with her daughter; physical therapy evaluation before discharge; home oxygen "
                    "assessment; follow-up with her primary care physician within 7 days.",
                ),
            ),
            Section(
                "Certification",
                (
                    "I certify that inpatient hospital services are reasonable and necessary for this patient and that "
                    "she is expected to require hospital care spanning at least two midnights.",
                ),
            ),
        ),
        signature=(f"Electronically signed by {hospitalist.name}   NPI {hospitalist.npi}   {us(date(2026, 11, 10))} 07:55",),
        continuation=f"{patient.printed_upper}   DOB {us(patient.dob)}   MRN {patient.mrn}",
    )
    cert = Labelled(
        certification,
        "other",
        date(2026, 11, 10),
        identity(patient, date(2026, 11, 10), member_id=False)
        | {"npi": [npi_entry(hospitalist)], "cpt": [], "hcpcs": [], "icd10": [icd("J18.9"), icd("J96.01")]},
        {},
        contact,
    )
    hp = note(
        title="HISTORY AND PHYSICAL",
        practice=hospital,
        patient=patient,
        d=d,
        provider=hospitalist,
        visit="Admission H&P",
        show_member_id=True,
        sections=(
            Section("Chief Complaint", ("Shortness of breath and fever for 3 days.",)),
            Section(
                "History of Present Illness",
                (
                    "Mrs. Thibodeaux-Nakamura is a 79-year-old woman with COPD who presented to the emergency department "
                    "with 3 days of fever, productive cough and worsening shortness of breath. SpO2 84% on room air on "
                    "arrival, 92% on 4 L nasal cannula. Chest X-ray: right lower and middle lobe consolidation. WBC 17.8, "
                    "lactate 1.9. She received ceftriaxone and azithromycin in the emergency department.",
                ),
            ),
            Section(
                "Past Medical History",
                ("Chronic obstructive pulmonary disease (J44.9), on tiotropium. Hypertension (I10). Osteoarthritis.",),
            ),
            Section("Medications", ("Tiotropium 18 mcg inhaled daily, albuterol as needed, amlodipine 5 mg daily.",)),
            Section(
                "Physical Examination",
                (
                    "Temperature 38.9 C, BP 104/62, HR 108, RR 26, SpO2 92% on 4 L. Increased work of breathing, crackles "
                    "at the right base. No leg edema. Alert and oriented.",
                ),
            ),
            Section(
                "Assessment and Plan",
                (
                    "Admitting diagnosis: multilobar community-acquired pneumonia (J18.9) with acute hypoxic respiratory "
                    "failure (J96.01). CURB-65 score 2. Sepsis (A41.9) considered: lactate normal, blood pressure "
                    "responsive to fluids, not present.",
                    "Admit to inpatient, telemetry. IV ceftriaxone and azithromycin, blood cultures, oxygen to keep SpO2 "
                    "above 90%, nebulized bronchodilators, DVT prophylaxis. Expected to require at least 3 midnights of "
                    "hospital care.",
                ),
            ),
        ),
        truth={
            "npi": [npi_entry(hospitalist)],
            "cpt": [],
            "hcpcs": [],
            "icd10": [icd("J44.9", "historical"), icd("I10", "historical"), icd("J18.9"), icd("J96.01"), icd("A41.9", "negated")],
        },
        facts={"symptom_duration": [weeks(round(3 / 7, 1))]},
        decoys=contact + ("104/62", "17.8"),
    )
    return Case(
        case_id="inpatient_admission_text",
        description="Inpatient admission (requested by name), Medicare Advantage, Washington: text PDFs of the admission order "
        "('Admit to inpatient', signed 22:48), the physician certification (reason, expected length of stay of 3 midnights, "
        "discharge plan, electronically signed) and the admission H&P. Pneumonia J18.9 with hypoxic respiratory failure "
        "J96.01; sepsis A41.9 negated; COPD historical. Complete.",
        request={
            "service_codes": ["inpatient_admission"],
            "payer_name": patient.payer,
            "plan_type": "medicare_advantage",
            "state": "WA",
            "urgency": "urgent",
            "request_date": "2026-11-10",
        },
        files=(
            FileSpec("admission_order.pdf", "text_pdf", (the_order,)),
            FileSpec("physician_certification.pdf", "text_pdf", (cert,)),
            FileSpec("history_and_physical.pdf", "text_pdf", (hp,)),
        ),
        expected=expect(INPATIENT_ADMISSION_REQUIREMENTS),
    )


# --- 4. Washington Apple Health fee-for-service lumbar MRI without the HCA 13-835 ------------------


def wa_apple_health_ffs_no_form_text() -> Case:
    practice = Practice(
        "Palouse Hills Family Medicine",
        "1315 N Grand Ave, Suite 6",
        "Pullman",
        "WA",
        "99163",
        "(509) 555-0131",
        "(509) 555-0132",
    )
    patient = Patient(
        "Haverford-Quispe",
        "Delphine",
        "M",
        date(1988, 5, 11),
        "F",
        "PHF-072215",
        "41930682",
        "204817395WA",
        "Washington Apple Health",
        None,
        "(509) 555-0174",
    )
    doctor = Provider("Caspian Moreau-Whitlock, DO", "1800625604", True)
    facility = Provider("Pullman Regional Imaging", "1700212057", True, role="facility")
    contact = ("99163", "(509) 555-0131", "(509) 555-0132", "PHF-072215", "41930682")
    the_note = note(
        title="CLINIC NOTE",
        practice=practice,
        patient=patient,
        d=date(2026, 10, 21),
        provider=doctor,
        visit="Established patient, follow-up",
        show_member_id=True,
        sections=(
            Section("Chief Complaint", ("Low back pain with pain down the left leg.",)),
            Section(
                "History of Present Illness",
                (
                    "Ms. Haverford-Quispe is a 38-year-old home health aide with low back pain radiating to the left calf "
                    "and the top of the left foot for 10 weeks, since lifting a client. Pain 6/10, worse with sitting and "
                    "lifting; she has been on light duty.",
                    "Physical therapy twice weekly for 8 weeks (08/24/2026 to 10/16/2026) and ibuprofen 600 mg three times "
                    "daily for 8 weeks, without improvement. No saddle anesthesia, no bowel or bladder changes, no fever.",
                ),
            ),
            Section("Past Medical History", ("Asthma (J45.909), mild intermittent.",)),
            Section("Medications", ("Albuterol inhaler as needed, ibuprofen 600 mg three times daily.",)),
            Section(
                "Physical Examination",
                (
                    "BP 118/72, HR 70, BMI 24.9. Positive straight-leg raise on the left at 45 degrees. Weak left great toe "
                    "extension 4/5. Decreased sensation over the dorsum of the left foot. Reflexes symmetric.",
                ),
            ),
            Section(
                "Assessment",
                ("1. Lumbar radiculopathy (M54.16), left L5, 10 weeks, after 8 weeks of failed physical therapy and NSAIDs.",),
            ),
            Section("Plan", ("MRI lumbar spine without contrast (CPT 72148). Continue home exercises. Return after the MRI.",)),
        ),
        truth={
            "npi": [npi_entry(doctor)],
            "cpt": ["72148"],
            "hcpcs": [],
            "icd10": [icd("J45.909", "historical"), icd("M54.16")],
        },
        facts={
            "symptom_duration": [weeks(10)],
            "conservative_therapy": [
                therapy("physical_therapy", duration_weeks=8, outcome="failed"),
                therapy("nsaid", duration_weeks=8, outcome="failed"),
                therapy("home_exercise", duration_weeks=None, outcome="unknown"),
            ],
            "red_flag": [fact("saddle_anesthesia", "negated"), fact("bowel_bladder_dysfunction", "negated")],
            "bmi": [fact(24.9)],
        },
        decoys=contact + ("118/72",),
    )
    the_order = order(
        title="IMAGING ORDER",
        practice=practice,
        patient=patient,
        d=date(2026, 10, 22),
        provider=doctor,
        exams=(MRI_EXAM,),
        diagnoses=(("M54.16", "Radiculopathy, lumbar region"),),
        indication="Left L5 radiculopathy for 10 weeks with weak great toe extension; 8 weeks of physical therapy and "
        "ibuprofen failed.",
        priority=ROUTINE,
        facility=("Pullman Regional Imaging", "835 SE Bishop Blvd, Pullman, WA 99163", facility),
        truth={
            "npi": [npi_entry(doctor), npi_entry(facility)],
            "cpt": ["72148"],
            "hcpcs": [],
            "icd10": [icd("M54.16")],
        },
        facts={
            "symptom_duration": [weeks(10)],
            "conservative_therapy": [
                therapy("physical_therapy", duration_weeks=8, outcome="failed"),
                therapy("nsaid", duration_weeks=8, outcome="failed"),
            ],
        },
        decoys=contact + ("(509) 555-0174",),
    )
    return Case(
        case_id="wa_apple_health_ffs_no_form_text",
        description="Lumbar MRI (72148), Washington Apple Health fee-for-service (payer 'Washington Apple Health', ProviderOne "
        "ID 204817395WA): text PDFs of the order and the clinic note, 10 weeks of left L5 radiculopathy M54.16, 8 weeks of "
        "failed PT and ibuprofen, red flags denied. Clinically complete, but the HCA 13-835 form that HCA wants as page 1 "
        "is not attached: wa-apple-health-ffs.first-form is missing.",
        request={
            "service_codes": ["72148"],
            "payer_name": patient.payer,
            "plan_type": "medicaid",
            "state": "WA",
            "urgency": "standard",
            "request_date": "2026-10-26",
        },
        files=(
            FileSpec("imaging_order.pdf", "text_pdf", (the_order,)),
            FileSpec("clinic_note.pdf", "text_pdf", (the_note,)),
        ),
        expected=expect(
            MRI_LUMBAR_WA_APPLE_HEALTH_FFS_REQUIREMENTS,
            missing=("mri-lumbar.red-flag", "wa-apple-health-ffs.first-form"),
        ),
    )


# --- 5. PET/CT for a suspected lung cancer, scanned ----------------------------------------------


def pet_suspected_lung_scan() -> Case:
    practice = Practice(
        "Saguaro Pulmonary & Sleep",
        "6565 E Carondelet Dr, Suite 230",
        "Tucson",
        "AZ",
        "85710",
        "(520) 555-0161",
        "(520) 555-0162",
    )
    imaging = Practice(
        "Tanque Verde Radiology",
        "7250 E Tanque Verde Rd",
        "Tucson",
        "AZ",
        "85715",
        "(520) 555-0171",
        "(520) 555-0172",
        tagline="CT  |  MRI  |  PET/CT  |  Ultrasound",
    )
    patient = Patient(
        "Lindgren-Achebe",
        "Walter",
        "F",
        date(1954, 8, 2),
        "M",
        "SPS-660183",
        "52206619",
        "SSA 881402775",
        "Sonoran Senior Advantage (PPO)",
        "SSA-5120",
        "(520) 555-0196",
    )
    doctor = Provider("Rosalyn Achterberg-Mensah, MD", "1564041071", True)
    pet_centre = Provider("Tanque Verde Radiology PET/CT", "1776673927", True, role="facility")
    radiologist = Provider("Anselm Draycott, MD", "1944627722", True, role="rendering")
    contact = ("85710", "(520) 555-0161", "(520) 555-0162", "SPS-660183", "52206619")
    ct = imaging_report(
        group=imaging,
        style="centre",
        patient=patient,
        exam=Exam(
            name="CT CHEST WITH CONTRAST",
            cpt="71260",
            history="Persistent cough and 12 lb weight loss in a former smoker. Evaluate. Chronic obstructive pulmonary disease.",
            comparison="Chest radiograph of 09/30/2026.",
            technique="Axial CT of the chest after 75 mL of intravenous contrast, with coronal and sagittal reformats.",
            findings=(
                "Lungs: 2.4 x 2.1 cm spiculated nodule in the posterior segment of the right upper lobe, abutting but not "
                "invading the fissure. Centrilobular emphysema, upper lobe predominant. No other nodule over 4 mm.",
                "Mediastinum: 1.1 cm short-axis right lower paratracheal lymph node. No hilar adenopathy. Heart normal in "
                "size; coronary artery calcification.",
                "No pleural effusion. Visualized upper abdomen: no adrenal or liver lesion. No suspicious bone lesion.",
            ),
            impression=(
                "2.4 cm spiculated right upper lobe nodule, highly suspicious for primary lung malignancy (Lung-RADS "
                "category 4X). Borderline right paratracheal node.",
                "Emphysema. Recommend PET/CT and tissue sampling.",
            ),
        ),
        exam_date=date(2026, 10, 19),
        exam_time="08:40",
        signed=date(2026, 10, 19),
        signed_time="12:16",
        facility_mrn="TVR-3391046",
        accession="CT26-1019-288",
        referring="Rosalyn Achterberg-Mensah, MD",
        location="Tanque Verde",
        radiologist=radiologist,
        truth={"npi": [npi_entry(radiologist)], "cpt": ["71260"], "hcpcs": [], "icd10": []},
        decoys=("TVR-3391046", "CT26-1019-288", "85715", "(520) 555-0171", "(520) 555-0172", "75 mL"),
    )
    the_note = note(
        title="PULMONOLOGY CONSULTATION",
        practice=practice,
        patient=patient,
        d=date(2026, 10, 28),
        provider=doctor,
        visit="New patient consultation",
        font="Helvetica",
        size=11,
        sections=(
            Section("Reason for Consultation", ("Right upper lobe lung nodule on CT.",)),
            Section(
                "History of Present Illness",
                (
                    "Mr. Lindgren-Achebe is a 72-year-old retired machinist with a cough for 3 months and an unintentional "
                    "12 lb weight loss. CT chest on 10/19/2026 (accession CT26-1019-288) showed a 2.4 cm spiculated right "
                    "upper lobe nodule and a borderline 1.1 cm right paratracheal lymph node. No hemoptysis. Former smoker, "
                    "45 pack-years, quit in 2016.",
                ),
            ),
            Section(
                "Past Medical History",
                ("Chronic obstructive pulmonary disease (J44.9). Type 2 diabetes mellitus (E11.9). Benign colon polyps.",),
            ),
            Section("Medications", ("Umeclidinium-vilanterol 1 inhalation daily, metformin 500 mg twice daily.",)),
            Section(
                "Physical Examination",
                (
                    "BP 138/80, HR 82, SpO2 94% on room air, BMI 23.2. No supraclavicular or cervical lymphadenopathy. "
                    "Decreased breath sounds throughout, no wheeze. No clubbing.",
                ),
            ),
            Section(
                "Data Reviewed",
                ("Spirometry 10/28/2026: FEV1 1.9 L (64% predicted), FEV1/FVC 0.61. CT chest 10/19/2026 as above.",),
            ),
            Section(
                "Assessment",
                (
                    "1. Solitary pulmonary nodule (R91.1), 2.4 cm, spiculated, right upper lobe: suspected malignancy "
                    "(primary lung cancer), with a borderline paratracheal node. High pre-test probability (Brock model "
                    "over 60%).",
                    "2. COPD (J44.9), moderate, stable.",
                ),
            ),
            Section(
                "Plan",
                (
                    "FDG PET/CT skull base to mid-thigh (CPT 78815) for characterization and staging before tissue "
                    "diagnosis; then navigational bronchoscopy with EBUS staging of the mediastinum. Discuss at the "
                    "thoracic tumor board.",
                ),
            ),
        ),
        truth={
            "npi": [npi_entry(doctor)],
            "cpt": ["78815"],
            "hcpcs": [],
            "icd10": [icd("J44.9"), icd("E11.9", "historical"), icd("R91.1")],
        },
        facts={"symptom_duration": [weeks(round(3 * MONTH_WEEKS, 1))], "bmi": [fact(23.2)]},
        decoys=contact + ("CT26-1019-288", "138/80", "64%"),
    )
    the_order = service_order(
        title="PET/CT ORDER",
        practice=practice,
        patient=patient,
        d=date(2026, 10, 29),
        provider=doctor,
        heading="Exam Requested",
        lines=(
            ("CPT 78815", "PET/CT, skull base to mid-thigh"),
            ("Radiotracer", "F-18 FDG"),
            ("Priority", "[X] Routine   [ ] Urgent"),
        ),
        diagnoses=(("R91.1", "Solitary pulmonary nodule"),),
        indication="2.4 cm spiculated right upper lobe nodule on CT chest 10/19/2026, suspected malignancy; initial "
        "characterization and staging.",
        place=(
            "Performing Facility",
            (
                ("Facility", "Tanque Verde Radiology PET/CT"),
                ("Address", "7250 E Tanque Verde Rd, Tucson, AZ 85715"),
                ("Facility NPI", pet_centre.npi),
            ),
        ),
        truth={
            "npi": [npi_entry(doctor), npi_entry(pet_centre)],
            "cpt": ["78815"],
            "hcpcs": [],
            "icd10": [icd("R91.1")],
        },
        decoys=contact + ("(520) 555-0196", "85715"),
        font="Times",
        size=11,
    )
    return Case(
        case_id="pet_suspected_lung_scan",
        description="FDG PET/CT (78815), Medicare Advantage, Arizona: one 300-DPI scan, order p1, pulmonology consultation "
        "p2, CT chest report p3. A 2.4 cm spiculated right upper lobe nodule (R91.1), 'suspected malignancy', no "
        "biopsy yet: the biopsy-proven branch is missing, the suspected branch met (suspected diagnosis and the CT report "
        "that raised it). COPD current, diabetes historical. Complete.",
        request={
            "service_codes": ["78815"],
            "payer_name": patient.payer,
            "plan_type": "medicare_advantage",
            "state": "AZ",
            "urgency": "standard",
            "request_date": "2026-11-02",
        },
        files=(FileSpec("scan_pet_request_300dpi.pdf", "scan_pdf", (the_order, the_note, ct), dpi=300),),
        expected=expect(PET_REQUIREMENTS, missing=("pet.cancer-diagnosis",)),
    )


CASES = (
    vein_ablation_commercial_fax,
    out_of_network_referral_text,
    inpatient_admission_text,
    wa_apple_health_ffs_no_form_text,
    pet_suspected_lung_scan,
)
