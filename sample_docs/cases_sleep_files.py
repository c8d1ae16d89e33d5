"""Sleep-study cases in awkward files: an RGBA TIFF export with a half-sheet questionnaire beside a
glyph-soup order PDF, and a copy-protected (encrypted) note beside a truncated order download
(Washington). Every person, ID, address and phone number here is made up."""

from __future__ import annotations

from datetime import date

from sample_docs.extra_docs import sleepiness_questionnaire
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


def sleep_tiff_alpha_mixed_sizes() -> Case:
    practice = Practice(
        "Bellingham Bay Sleep Center",
        "2200 Rimland Dr, Suite 115",
        "Bellingham",
        "WA",
        "98226",
        "(360) 555-0146",
        "(360) 555-0147",
    )
    patient = Patient(
        "Mbatha-Sullivan",
        "Kwame",
        "O",
        date(1963, 10, 28),
        "M",
        "BBS-118402",
        "404417",
        "NWC-883-410-297",
        "North Cascades Health Alliance",
        "NCHA-5512",
        "(360) 555-0174",
    )
    doctor = Provider("Elspeth Varga-Moreno, MD", "1075291702", True)
    lab = Provider("Bellingham Bay Sleep Lab", "1423667124", True, role="facility")
    decoys = ("98226", "(360) 555-0146", "(360) 555-0147", "BBS-118402", "404417")
    visit = date(2026, 3, 24)
    the_order = order(
        title="SLEEP STUDY ORDER",
        practice=practice,
        patient=patient,
        d=date(2026, 3, 26),
        provider=doctor,
        exams=(("CPT 95811", "Polysomnography with CPAP titration (split night)"),),
        diagnoses=(("G47.33", "Obstructive sleep apnea (adult)"),),
        indication="Sleepiness (Epworth 13), BMI 41.2, witnessed apneas, COPD: attended split-night study.",
        priority="[X] Routine   [ ] Urgent",
        facility=("Bellingham Bay Sleep Lab", "2200 Rimland Dr, Suite 120, Bellingham, WA 98226", lab),
        truth={"npi": [npi_entry(doctor), npi_entry(lab)], "cpt": ["95811"], "hcpcs": [], "icd10": [icd("G47.33")]},
        facts={"epworth": [fact(13)], "bmi": [fact(41.2)]},
        decoys=decoys + ("(360) 555-0174",),
        font="VeraSoup",
        size=10,
    )
    the_note = note(
        title="SLEEP MEDICINE CONSULTATION",
        practice=practice,
        patient=patient,
        d=visit,
        provider=doctor,
        visit="New patient",
        show_member_id=True,
        font="Times",
        size=10,
        sections=(
            Section(
                "History of Present Illness",
                (
                    "Mr. Mbatha-Sullivan is a 62-year-old harbor pilot referred for loud snoring, choking awakenings and sleepiness "
                    "that has made him stop taking night shifts. His partner has watched him stop breathing for long spells. "
                    "Epworth score 13 on today's questionnaire. No prior sleep testing.",
                ),
            ),
            Section(
                "Past Medical History",
                (
                    "Chronic obstructive pulmonary disease (J44.9) on a long-acting inhaler, no home oxygen. Hypertension (I10). "
                    "Pulmonary embolism (I26.99) in 2017, treated, off anticoagulation since 2018. Central sleep apnea (G47.31) is "
                    "not suspected: no opioids, no heart failure.",
                ),
            ),
            Section(
                "Physical Examination",
                (
                    "Weight 296 lb, BMI 41.2 (Z68.41). Neck circumference 19 in. BP 142/90, SpO2 93% awake on room air. "
                    "Mallampati IV. Scattered expiratory wheezes.",
                ),
            ),
            Section(
                "Assessment",
                (
                    "Obstructive sleep apnea (G47.33), probably severe, with COPD (J44.9) and class III obesity: an attended study is "
                    "needed to watch oxygen levels and to start CPAP the same night.",
                ),
            ),
            Section(
                "Plan",
                ("Split-night polysomnography with CPAP titration (CPT 95811). Do not drive drowsy. Return after the study.",),
            ),
        ),
        truth={
            "npi": [npi_entry(doctor)],
            "cpt": ["95811"],
            "hcpcs": [],
            "icd10": [
                icd("J44.9"),
                icd("I10"),
                icd("I26.99", "historical"),
                icd("G47.31", "negated"),
                icd("Z68.41"),
                icd("G47.33"),
            ],
        },
        facts={"epworth": [fact(13)], "bmi": [fact(41.2)]},
        decoys=decoys + ("142/90", "SpO2 93%", "19 in"),
    )
    questionnaire = sleepiness_questionnaire(
        practice=practice, patient=patient, d=visit, scores=(2, 2, 1, 2, 3, 1, 2, 0), reviewer=doctor
    )
    return Case(
        case_id="sleep_tiff_alpha_mixed_sizes",
        description="Split-night polysomnography, commercial, Washington: the order is a text PDF printed through a driver "
        "that left glyph soup (no Unicode map), and the consultation comes as an RGBA TIFF export with transparent paper: a "
        "letter page plus the Epworth questionnaire on a half sheet. Epworth 13, BMI 41.2, G47.33.",
        request={
            "service_codes": ["95811"],
            "payer_name": patient.payer,
            "plan_type": "commercial",
            "state": "WA",
            "urgency": "standard",
            "request_date": "2026-03-30",
        },
        files=(
            FileSpec("order_glyph_soup.pdf", "text_pdf", (the_order,), layer="glyph_soup"),
            FileSpec("consult_export_rgba.tif", "tiff", (the_note, questionnaire), dpi=200, alpha=True),
        ),
        expected=expect(PSG_REQUIREMENTS, missing=("sleep.psg-non-osa-disorder",), review=("sleep.psg-prior-hsat",)),
    )


def sleep_locked_truncated_no_member_id() -> Case:
    practice = Practice(
        "Spokane Valley Pulmonary & Sleep",
        "12410 E Mission Ave, Suite 200",
        "Spokane Valley",
        "WA",
        "99216",
        "(509) 555-0155",
        "(509) 555-0156",
    )
    patient = Patient(
        "Ostrowski",
        "Harriet",
        "L",
        date(1950, 5, 18),
        "F",
        "SVP-2207714",
        "66120934",
        "IES559107734",  # on her card, but printed on none of these documents
        "Inland Empire Senior Advantage (HMO)",
        None,
        "(509) 555-0121",
    )
    doctor = Provider("Dmitri Halloran-Osei, MD", "1684268463", True)
    decoys = ("99216", "(509) 555-0155", "(509) 555-0156", "SVP-2207714", "66120934")
    the_order = order(
        title="HOME SLEEP TEST ORDER",
        practice=practice,
        patient=patient,
        d=date(2026, 8, 5),
        provider=doctor,
        exams=(("HCPCS G0399", "Home sleep test, type III portable monitor, unattended"),),
        diagnoses=(("G47.30", "Sleep apnea, unspecified"), ("R06.83", "Snoring")),
        indication="Snoring for 10 years, witnessed apneas, Epworth 9, BMI 29.8.",
        priority="[X] Routine   [ ] Urgent",
        facility=("Spokane Valley Pulmonary & Sleep", "12410 E Mission Ave, Suite 200, Spokane Valley, WA 99216", None),
        truth={"npi": [npi_entry(doctor)], "cpt": [], "hcpcs": ["G0399"], "icd10": [icd("G47.30"), icd("R06.83")]},
        facts={"epworth": [fact(9)], "bmi": [fact(29.8)]},
        decoys=decoys + ("(509) 555-0121",),
        insurance=False,
    )
    the_note = note(
        title="SLEEP EVALUATION",
        practice=practice,
        patient=patient,
        d=date(2026, 8, 4),
        provider=doctor,
        visit="Consultation",
        font="Vera",
        size=10,
        sections=(
            Section(
                "History",
                (
                    "Mrs. Ostrowski is a 76-year-old retired school principal whose snoring has been loud for about 10 years. Her "
                    "sister, visiting this summer, saw her stop breathing during an afternoon nap. She wakes three times a night to "
                    "urinate and feels foggy in the mornings. Epworth Sleepiness Scale 9.",
                ),
            ),
            Section(
                "Past Medical History",
                (
                    "Hypertension (I10). Atrial fibrillation (I48.91) after cardiac surgery in 2018, none since. Hypothyroidism "
                    "(E03.9) was ruled out: TSH 2.1 mIU/L in 07/2026.",
                ),
            ),
            Section(
                "Examination",
                ("Height 5 ft 4 in, weight 174 lb, BMI 29.8. Neck 15.5 in. BP 138/80, SpO2 95%. Retrognathia, Mallampati III.",),
            ),
            Section(
                "Assessment",
                ("Sleep apnea, unspecified (G47.30), obstructive pattern likely. Snoring (R06.83).",),
            ),
            Section("Plan", ("Type III home sleep test (HCPCS G0399). Follow up with the results.",)),
        ),
        truth={
            "npi": [npi_entry(doctor)],
            "cpt": [],
            "hcpcs": ["G0399"],
            "icd10": [icd("I10"), icd("I48.91", "historical"), icd("E03.9", "negated"), icd("G47.30"), icd("R06.83")],
        },
        facts={"epworth": [fact(9)], "bmi": [fact(29.8)]},
        decoys=decoys + ("TSH 2.1 mIU/L", "138/80", "SpO2 95%", "15.5 in"),
    )
    return Case(
        case_id="sleep_locked_truncated_no_member_id",
        description="Home sleep test (HCPCS G0399), Medicare Advantage, Washington: the order PDF was cut off mid-download "
        "(cross-reference table truncated, no trailer: needs repair) and the evaluation is a portal export encrypted with an "
        "owner password and an empty user password. Clinically complete, but neither document prints a member ID.",
        request={
            "service_codes": ["G0399"],
            "payer_name": patient.payer,
            "plan_type": "medicare_advantage",
            "state": "WA",
            "urgency": "standard",
            "request_date": "2026-08-10",
        },
        files=(
            FileSpec("order_truncated_download.pdf", "text_pdf", (the_order,), damaged="truncated"),
            FileSpec("sleep_eval_portal_locked.pdf", "text_pdf", (the_note,), encrypted=True),
        ),
        expected=expect(SLEEP_STUDY_REQUIREMENTS, missing=("common.member-id",)),
    )


CASES = (
    sleep_tiff_alpha_mixed_sizes,
    sleep_locked_truncated_no_member_id,
)
