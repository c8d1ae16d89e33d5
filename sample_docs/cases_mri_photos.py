"""A lumbar MRI case sent as phone photos: a JPEG with EXIF orientation 8 and an iPhone-style HEIC
(Arizona). Every person, ID, address and phone number here is made up."""

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


def mri_photos_exif8_heic() -> Case:
    practice = Practice(
        "Papago Buttes Family Health", "1440 N Scottsdale Rd, Suite 5", "Tempe", "AZ", "85281", "(480) 555-0113", "(480) 555-0114"
    )
    patient = Patient(
        "Achterberg",
        "Lorenzo",
        "F",
        date(1990, 6, 6),
        "M",
        "PBF-0662190",
        "55190477",
        "AZB-2291-7730-4",
        "Grand Canyon Benefit Plans",
        "GCBP-1188",
        "(480) 555-0165",
    )
    doctor = Provider("Mei-Lin Castellano, MD", "1527601896", True)
    decoys = ("85281", "(480) 555-0113", "(480) 555-0114", "PBF-0662190", "55190477")
    the_order = order(
        title="MRI REQUEST",
        practice=practice,
        patient=patient,
        d=date(2026, 11, 23),
        provider=doctor,
        exams=(("CPT 72148", "MRI lumbar spine without contrast"),),
        diagnoses=(("M51.27", "Other intervertebral disc displacement, lumbosacral region"),),
        indication="Left S1 sciatica for 10 weeks; failed physical therapy, naproxen and an epidural steroid injection.",
        priority="[X] Routine   [ ] Urgent",
        facility=("Tempe Diagnostic MRI", "2000 E Southern Ave, Tempe, AZ 85282", None),
        truth={"npi": [npi_entry(doctor)], "cpt": ["72148"], "hcpcs": [], "icd10": [icd("M51.27")]},
        facts={
            "symptom_duration": [weeks(10)],
            "conservative_therapy": [
                therapy("physical_therapy", duration_weeks=None, outcome="failed"),
                therapy("nsaid", duration_weeks=None, outcome="failed"),
                therapy("injection", duration_weeks=None, outcome="failed"),
            ],
        },
        decoys=decoys + ("(480) 555-0165", "85282"),
        size=11,
    )
    the_note = note(
        title="CLINIC NOTE",
        practice=practice,
        patient=patient,
        d=date(2026, 11, 20),
        provider=doctor,
        visit="Follow-up",
        show_member_id=True,
        font="Helvetica",
        size=10,
        sections=(
            Section(
                "History",
                (
                    "Mr. Achterberg, 36, a software tester, has had low back pain shooting to the outside of the left foot for 10 weeks. "
                    "Six weeks of physical therapy and naproxen 500 mg twice daily for 8 weeks failed. A left S1 transforaminal epidural "
                    "steroid injection on 10/30/2026 gave no relief. No saddle anesthesia, no bowel or bladder incontinence.",
                ),
            ),
            Section(
                "Past History",
                ("Obstructive sleep apnea (G47.33) on CPAP. Appendectomy 2012. No known drug allergies.",),
            ),
            Section(
                "Examination",
                (
                    "BP 120/80. Straight-leg raise positive on the left at 30 degrees. Left Achilles reflex absent. Weak left toe "
                    "walking. Numbness along the lateral left foot.",
                ),
            ),
            Section(
                "Assessment",
                (
                    "Lumbosacral disc displacement (M51.27) with left S1 radiculopathy, 10 weeks, failed physical therapy, an NSAID "
                    "and an epidural steroid injection.",
                ),
            ),
            Section("Plan", ("MRI lumbar spine without contrast (CPT 72148), then spine surgery consultation.",)),
        ),
        truth={"npi": [npi_entry(doctor)], "cpt": ["72148"], "hcpcs": [], "icd10": [icd("G47.33"), icd("M51.27")]},
        facts={
            "symptom_duration": [weeks(10)],
            "conservative_therapy": [
                therapy("physical_therapy", duration_weeks=6, outcome="failed"),
                therapy("nsaid", duration_weeks=8, outcome="failed"),
                therapy("injection", duration_weeks=None, outcome="failed"),
            ],
            "red_flag": [fact("saddle_anesthesia", "negated"), fact("bowel_bladder_dysfunction", "negated")],
        },
        decoys=decoys + ("120/80",),
    )
    return Case(
        case_id="mri_photos_exif8_heic",
        description="Lumbar MRI, commercial, Arizona: two phone photos, the order as a JPEG stored sideways with EXIF "
        "Orientation 8, the note as an iPhone-style HEIC whose orientation (6) is in the container. 10 weeks of sciatica "
        "after failed PT, NSAID and an epidural injection: complete.",
        request={
            "service_codes": ["72148"],
            "payer_name": patient.payer,
            "plan_type": "commercial",
            "state": "AZ",
            "urgency": "standard",
            "request_date": "2026-11-24",
        },
        files=(
            FileSpec("photo_order_exif8.jpg", "photo_jpeg", (the_order,), rotation=270, exif_orientation=8),
            FileSpec("photo_note.heic", "photo_heic", (the_note,), rotation=90, exif_orientation=6),
        ),
        expected=expect(MRI_LUMBAR_REQUIREMENTS, missing=("mri-lumbar.red-flag",)),
    )


CASES = (mri_photos_exif8_heic,)
