"""A lumbar MRI request faxed with a letter instead of a note (Washington): the order and a
two-page, pen-signed letter of medical necessity, in a normal-mode Group 4 fax. The letter tells
the whole story but is not a clinical note, so the 60-day note requirement is missing. Every
person, ID, address and phone number here is made up; 555-01xx numbers are reserved for fiction."""

from __future__ import annotations

from datetime import date

from sample_docs.layout import Practice
from sample_docs.letters import medical_necessity_letter
from sample_docs.spec import (
    MRI_LUMBAR_REQUIREMENTS,
    Case,
    FileSpec,
    Patient,
    Provider,
    expect,
    fact,
    icd,
    npi_entry,
    order,
    therapy,
    weeks,
)


def mri_fax_letter_no_note() -> Case:
    practice = Practice(
        "Olympic Peninsula Orthopedics", "620 E 8th St", "Port Angeles", "WA", "98362", "(360) 555-0128", "(360) 555-0129"
    )
    patient = Patient(
        "Thorvaldsen",
        "Augustin",
        "P",
        date(1969, 7, 7),
        "M",
        "OPO-118273",
        "77-40213",
        "EVG 770 318 245",
        "Evergreen Sound Health Plan",
        "ESH-11840",
        "(360) 555-0177",
    )
    surgeon = Provider("Marguerite Oyelowo-Bright, MD", "1349058267", True)
    facility = Provider("Peninsula Open MRI", "1982730461", True, role="facility")
    the_order = order(
        title="MRI REQUEST",
        practice=practice,
        patient=patient,
        d=date(2026, 6, 22),
        provider=surgeon,
        exams=(("CPT 72148", "MRI lumbar spine without contrast"),),
        diagnoses=(("M54.16", "Radiculopathy, lumbar region"),),
        indication="Left L5 radiculopathy for 14 weeks; failed 8 weeks of physical therapy, a chiropractic course and a "
        "steroid taper. See the letter of medical necessity.",
        priority="[X] Routine   [ ] Urgent",
        facility=("Peninsula Open MRI", "1012 E Front St, Port Angeles, WA 98362", facility),
        truth={"npi": [npi_entry(surgeon), npi_entry(facility)], "cpt": ["72148"], "hcpcs": [], "icd10": [icd("M54.16")]},
        facts={
            "symptom_duration": [weeks(14)],
            "conservative_therapy": [
                therapy("physical_therapy", duration_weeks=8, outcome="failed"),
                therapy("chiropractic", duration_weeks=None, outcome="failed"),
                therapy("oral_steroid", duration_weeks=None, outcome="failed"),
            ],
        },
        decoys=("98362", "(360) 555-0128", "(360) 555-0129", "OPO-118273", "77-40213", "(360) 555-0177"),
        font="Courier",
        size=10,
    )
    letter = medical_necessity_letter(
        practice=practice,
        patient=patient,
        d=date(2026, 6, 23),
        provider=surgeon,
        credentials="Orthopedic Surgery, Spine",
        addressee=(patient.payer, "Clinical Review Department", "1200 Fifth Ave, Suite 900", "Seattle, WA 98101"),
        subject="Request for MRI of the lumbar spine without contrast, CPT 72148",
        salutation="To Whom It May Concern:",
        paragraphs=(
            "I am writing to request approval of an MRI of the lumbar spine without contrast (CPT 72148) for Mr. Augustin "
            "Thorvaldsen, whom I have treated since 03/2026 for pain radiating from the low back down the left leg to the top "
            "of the foot. His symptoms began 14 weeks ago. The diagnosis is lumbar radiculopathy, left L5 (ICD-10-CM M54.16).",
            "He completed 8 weeks of physical therapy (16 visits) without lasting benefit, a 4-week course of chiropractic care "
            "that did not help, and a methylprednisolone taper that gave two days of relief before the pain returned. He "
            "continues his home exercises every day. He cannot take NSAIDs because of chronic kidney disease, stage 3 "
            "(N18.30).",
            "At his last visit, on 06/09/2026, the straight-leg raise was positive on the left, ankle dorsiflexion was 4/5 "
            "on the left and sensation was reduced over the top of the left foot. Lumbar spinal stenosis with neurogenic "
            "claudication (M48.062) is unlikely: he walks a mile without leg symptoms. He has no saddle anesthesia and no "
            "bladder or bowel dysfunction.",
            "His work on the ferry requires climbing ladders and handling mooring lines; he has been on light duty since "
            "04/2026, and his employer cannot keep him on light duty past the end of July. Plain films of the lumbar spine "
            "on 03/19/2026 showed mild degenerative changes at L4-L5 and L5-S1 and no fracture or spondylolisthesis.",
            "Without imaging I cannot choose between a transforaminal epidural steroid injection and a surgical "
            "decompression. After this much failed conservative care, an MRI is the standard next step, and it would let him "
            "go back to full duty as a ferry deckhand sooner.",
            "His office notes are available on request. Please call my office at (360) 555-0128 if you need anything else.",
        ),
        truth={"cpt": ["72148"], "hcpcs": [], "icd10": [icd("M54.16"), icd("N18.30"), icd("M48.062", "negated")]},
        facts={
            "symptom_duration": [weeks(14)],
            "conservative_therapy": [
                therapy("physical_therapy", duration_weeks=8, outcome="failed"),
                therapy("chiropractic", duration_weeks=4, outcome="failed"),
                therapy("oral_steroid", duration_weeks=None, outcome="failed"),
                therapy("home_exercise", duration_weeks=None, outcome="unknown"),
                therapy("nsaid", duration_weeks=None, outcome="unknown", assertion="negated"),
                therapy("injection", duration_weeks=None, outcome="unknown", assertion="hypothetical"),
            ],
            "red_flag": [
                fact("saddle_anesthesia", "negated"),
                fact("bowel_bladder_dysfunction", "negated"),
                fact("fracture", "negated"),
            ],
        },
        decoys=("98101", "98362", "(360) 555-0128", "(360) 555-0129"),
        font="Times",
        size=11.5,
        letterhead="banner",
        signed_in_pen=True,
    )
    return Case(
        case_id="mri_fax_letter_no_note",
        description="Lumbar MRI, commercial, Washington: a normal-mode Group 4 fax (204x98) of the order (Courier) and a "
        "two-page, pen-signed letter of medical necessity addressed 'To Whom It May Concern'. 14 weeks of L5 radiculopathy, "
        "failed PT, chiropractic care and a steroid taper, NSAIDs not possible (negated), stenosis unlikely (negated). No "
        "office note was sent; the letter reports the last visit (06/09/2026), so imaging.clinical-note-60d is a review: "
        "payers differ on taking a letter for the note.",
        request={
            "service_codes": ["72148"],
            "payer_name": patient.payer,
            "plan_type": "commercial",
            "state": "WA",
            "urgency": "standard",
            "request_date": "2026-06-24",
        },
        files=(
            FileSpec(
                "fax_normal_order_letter.tif",
                "fax_tiff",
                (the_order, letter),
                dpi=(204, 98),
                fax_header="JUN-23-2026 16:41   OLYMPIC PENINSULA ORTHO   (360) 555-0129   P.{page}/{pages}",
            ),
        ),
        expected=expect(MRI_LUMBAR_REQUIREMENTS, missing=("mri-lumbar.red-flag",), review=("imaging.clinical-note-60d",)),
    )


CASES = (mri_fax_letter_no_note,)
