"""Sleep-study cases on paper that went through a scanner: a scan under a partial earlier-OCR layer
(Colorado) and scans at 150 and 600 DPI (Washington). Every person, ID, address and phone number
here is made up."""

from __future__ import annotations

from datetime import date

from sample_docs.layout import Practice, Section
from sample_docs.spec import (
    PSG_REQUIREMENTS,
    SLEEP_STUDY_REQUIREMENTS,
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
)


def sleep_partial_ocr_scan() -> Case:
    practice = Practice(
        "Boulder Creek Sleep & Lung", "4800 Baseline Rd, Suite C110", "Boulder", "CO", "80303", "(303) 555-0127", "(303) 555-0128"
    )
    patient = Patient(
        "Hollingsworth",
        "Beatrix",
        "E",
        date(1966, 1, 19),
        "F",
        "BCS-77201",
        "9920183",
        "QHM604417752",
        "Columbine Mutual Insurance",
        "CMI-0042",
        "(720) 555-0148",
    )
    doctor = Provider("Arjun Mehta-Sorensen, MD", "1559797117", True)
    lab = Provider("Boulder Creek Sleep Lab", "2599528900", True, role="facility")
    decoys = ("80303", "(303) 555-0127", "(303) 555-0128", "BCS-77201", "9920183")
    the_order = order(
        title="POLYSOMNOGRAPHY ORDER",
        practice=practice,
        patient=patient,
        d=date(2026, 2, 20),
        provider=doctor,
        exams=(("CPT 95810", "Polysomnography, attended, in-lab, 4 or more parameters"),),
        diagnoses=(("G47.33", "Obstructive sleep apnea (adult)"), ("R06.83", "Snoring")),
        indication="Witnessed apneas, Epworth 16, BMI 33.4, paroxysmal atrial fibrillation: attended study rather than a home test.",
        priority="[X] Routine   [ ] Urgent",
        facility=("Boulder Creek Sleep Lab", "4800 Baseline Rd, Suite C120, Boulder, CO 80303", lab),
        truth={
            "npi": [npi_entry(doctor), npi_entry(lab)],
            "cpt": ["95810"],
            "hcpcs": [],
            "icd10": [icd("G47.33"), icd("R06.83")],
        },
        facts={"epworth": [fact(16)], "bmi": [fact(33.4)]},
        decoys=decoys + ("(720) 555-0148",),
        font="Times",
        size=11,
    )
    the_note = note(
        title="SLEEP MEDICINE CONSULTATION",
        practice=practice,
        patient=patient,
        d=date(2026, 2, 17),
        provider=doctor,
        visit="New patient consultation",
        show_member_id=True,
        font="Helvetica",
        size=10.5,
        sections=(
            Section("Reason for Referral", ("Snoring with pauses in breathing noticed by her husband.",)),
            Section(
                "History of Present Illness",
                (
                    "Mrs. Hollingsworth is a 60-year-old bookkeeper whose husband has heard loud snoring for years and, since last "
                    "summer, pauses in her breathing followed by gasps several nights a week. She wakes with a dull headache most "
                    "mornings, gets up twice a night to urinate and naps in her car at lunch. Epworth Sleepiness Scale score 16/24.",
                    "No cataplexy, no hypnagogic hallucinations. She has never had a sleep study.",
                ),
            ),
            Section(
                "Past Medical History",
                (
                    "Paroxysmal atrial fibrillation (I48.0) on metoprolol and apixaban. Essential hypertension (I10). Insomnia "
                    "(G47.00) treated with cognitive behavioral therapy in 2019, resolved. Restless legs syndrome (G25.81) was "
                    "considered and ruled out: no urge to move the legs, ferritin normal.",
                ),
            ),
            Section("Medications", ("Metoprolol succinate 50 mg daily, apixaban 5 mg twice daily, lisinopril 20 mg daily.",)),
            Section(
                "Physical Examination",
                (
                    "Height 5 ft 5 in, weight 200 lb, BMI 33.4 (Z68.33). Neck circumference 16 in. BP 136/84, HR 68 irregular, "
                    "SpO2 94% on room air. Mallampati class III, crowded oropharynx, normal nasal passages.",
                ),
            ),
            Section(
                "Assessment",
                (
                    "1. Obstructive sleep apnea (G47.33), likely moderate or severe given witnessed apneas, sleepiness and obesity.",
                    "2. Snoring (R06.83). 3. Paroxysmal atrial fibrillation (I48.0): untreated sleep apnea raises recurrence risk.",
                ),
            ),
            Section(
                "Plan",
                (
                    "Attended in-laboratory polysomnography (CPT 95810): a home test is not suitable with atrial fibrillation. "
                    "Avoid driving when drowsy. Follow up after the study.",
                ),
            ),
        ),
        truth={
            "npi": [npi_entry(doctor)],
            "cpt": ["95810"],
            "hcpcs": [],
            "icd10": [
                icd("I48.0"),
                icd("I10"),
                icd("G47.00", "historical"),
                icd("G25.81", "negated"),
                icd("Z68.33"),
                icd("G47.33"),
                icd("R06.83"),
            ],
        },
        facts={"epworth": [fact(16)], "bmi": [fact(33.4)]},
        decoys=decoys + ("136/84", "SpO2 94%", "16 in"),
    )
    return Case(
        case_id="sleep_partial_ocr_scan",
        description="In-lab polysomnography, commercial, Colorado: a text PDF order and a consultation scanned at "
        "300 DPI whose earlier OCR layer (invisible, with misreads) covers only the top third of the page, so the whole page "
        "must be read again. Epworth 16, BMI 33.4, G47.33; old insomnia historical, restless legs ruled out.",
        request={
            "service_codes": ["95810"],
            "payer_name": patient.payer,
            "plan_type": "commercial",
            "state": "CO",
            "urgency": "standard",
            "request_date": "2026-02-23",
        },
        files=(
            FileSpec("order.pdf", "text_pdf", (the_order,)),
            FileSpec("consult_scan_partial_ocr.pdf", "scan_pdf", (the_note,), dpi=300, layer="partial_ocr"),
        ),
        expected=expect(
            PSG_REQUIREMENTS,
            missing=("sleep.psg-comorbidity", "sleep.psg-non-osa-disorder", "sleep.psg-reason-stated"),
            review=("sleep.psg-indication", "sleep.psg-prior-hsat"),
        ),
    )


def sleep_scans_150_600_no_epworth() -> Case:
    practice = Practice(
        "Olympia Harbor Family Medicine",
        "3500 Capitol Blvd S, Suite 12",
        "Tumwater",
        "WA",
        "98501",
        "(360) 555-0183",
        "(360) 555-0184",
    )
    patient = Patient(
        "Thorsby",
        "Nils",
        "G",
        date(1979, 9, 15),
        "M",
        "OHF-440918",
        "7715502",
        "EVG883104527",
        "Evergreen Sound Health Plan",
        "ESHP-2290",
        "(360) 555-0129",
    )
    arnp = Provider("Nadia Kowalski-Ibe, ARNP", "1710497466", True)
    d = date(2026, 6, 9)
    decoys = ("98501", "(360) 555-0183", "(360) 555-0184", "OHF-440918", "7715502")
    the_order = order(
        title="HOME SLEEP TEST ORDER",
        practice=practice,
        patient=patient,
        d=d,
        provider=arnp,
        exams=(("CPT 95806", "Home sleep apnea test, unattended, 3 channels"),),
        diagnoses=(("R06.83", "Snoring"), ("R53.83", "Other fatigue")),
        indication="Loud snoring with pauses seen by his wife, daytime fatigue, BMI 31.2. Suspected obstructive sleep apnea.",
        priority="[X] Routine   [ ] Urgent",
        facility=("South Sound Sleep Diagnostics", "1200 Cooper Point Rd SW, Olympia, WA 98502", None),
        truth={"npi": [npi_entry(arnp)], "cpt": ["95806"], "hcpcs": [], "icd10": [icd("R06.83"), icd("R53.83")]},
        facts={"bmi": [fact(31.2)]},
        decoys=decoys + ("(360) 555-0129", "98502"),
        size=10.5,
    )
    the_note = note(
        title="OFFICE VISIT NOTE",
        practice=practice,
        patient=patient,
        d=d,
        provider=arnp,
        visit="Sleep concerns",
        font="Times",
        size=10.5,
        sections=(
            Section(
                "Subjective",
                (
                    "Mr. Thorsby, 46, comes in because his wife moved to the guest room over his snoring. She has seen him stop "
                    "breathing for several seconds at a time. He is tired during the day and drinks four cups of coffee to get "
                    "through his shifts as a ferry deckhand. The Epworth questionnaire was not completed at this visit; the sleep "
                    "lab will collect it.",
                ),
            ),
            Section("History", ("Tonsillectomy in childhood. Seasonal allergies. No regular medications.",)),
            Section(
                "Objective",
                (
                    "Weight 231 lb, BMI 31.2. Neck circumference 17.5 in. BP 134/88, SpO2 96%. Enlarged tongue base, Mallampati III.",
                ),
            ),
            Section(
                "Assessment",
                ("Suspected obstructive sleep apnea (G47.33), to be confirmed by testing. Snoring (R06.83). Fatigue (R53.83).",),
            ),
            Section("Plan", ("Home sleep apnea test (CPT 95806). Sleep hygiene handout. Review the results in 3 weeks.",)),
        ),
        truth={
            "npi": [npi_entry(arnp)],
            "cpt": ["95806"],
            "hcpcs": [],
            "icd10": [icd("G47.33", "hypothetical"), icd("R06.83"), icd("R53.83")],
        },
        facts={"bmi": [fact(31.2)]},
        decoys=decoys + ("134/88", "SpO2 96%", "17.5 in"),
    )
    return Case(
        case_id="sleep_scans_150_600_no_epworth",
        description="Home sleep apnea test, commercial, Washington: the order scanned at 150 DPI and the note at 600 DPI (JPEG "
        "quality 30). Snoring, fatigue and BMI 31.2 are documented and OSA is only suspected (hypothetical code), but no "
        "Epworth score was taken, so sleep.epworth is missing.",
        request={
            "service_codes": ["95806"],
            "payer_name": patient.payer,
            "plan_type": "commercial",
            "state": "WA",
            "urgency": "standard",
            "request_date": "2026-06-12",
        },
        files=(
            FileSpec("order_scan_150dpi.pdf", "scan_pdf", (the_order,), dpi=150),
            FileSpec("note_scan_600dpi.pdf", "scan_pdf", (the_note,), dpi=600, quality=30),
        ),
        expected=expect(SLEEP_STUDY_REQUIREMENTS, missing=("sleep.epworth",)),
    )


CASES = (
    sleep_partial_ocr_scan,
    sleep_scans_150_600_no_epworth,
)
