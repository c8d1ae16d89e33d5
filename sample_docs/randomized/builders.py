"""One builder per service: the documents of a case and what they assert."""

from __future__ import annotations

from datetime import date, timedelta

from . import clinical as cl
from .documents import Doc, diagnosis_lines, letterhead, patient_block, signature
from .people import make_practice, make_provider
from .services import (
    DESCRIPTIONS,
    Ctx,
    clinical_note,
    finish,
    note_dx_section,
    order_doc,
    setup_providers,
    sign_note,
    supporting_dx,
    vitals,
)

LUMBAR_DX = [
    {"code": "M54.16", "text": "Radiculopathy, lumbar region"},
    {"code": "M51.16", "text": "Lumbar disc disorder with radiculopathy"},
    {"code": "M54.41", "text": "Lumbago with sciatica, right side"},
    {"code": "M54.42", "text": "Lumbago with sciatica, left side"},
    {"code": "M48.062", "text": "Spinal stenosis, lumbar, with neurogenic claudication"},
]
BRAIN_DX = [
    {"code": "R51.9", "text": "Headache, unspecified"},
    {"code": "G43.909", "text": "Migraine, unspecified"},
    {"code": "G44.209", "text": "Tension-type headache"},
]
CT_ABD_DX = [
    {"code": "R10.31", "text": "Right lower quadrant pain"},
    {"code": "K57.32", "text": "Diverticulitis of large intestine"},
    {"code": "N20.0", "text": "Calculus of kidney"},
]
CT_CHEST_DX = [
    {"code": "R91.1", "text": "Solitary pulmonary nodule"},
    {"code": "R05.9", "text": "Cough, unspecified"},
    {"code": "R06.02", "text": "Shortness of breath"},
]
PET_DX = [
    {"code": "C34.11", "text": "Malignant neoplasm of upper lobe, right lung (biopsy-proven adenocarcinoma)"},
    {"code": "C34.90", "text": "Non-small cell lung cancer, biopsy-proven"},
    {"code": "C18.9", "text": "Adenocarcinoma of colon, biopsy-proven"},
    {"code": "C25.9", "text": "Pancreatic adenocarcinoma"},
    {"code": "R91.1", "text": "Spiculated pulmonary nodule, highly suspicious for malignancy"},
]
SLEEP_DX = [
    {"code": "R06.83", "text": "Snoring"},
    {"code": "G47.10", "text": "Hypersomnia, unspecified"},
    {"code": "R40.0", "text": "Somnolence"},
]
OSA = {"code": "G47.33", "text": "Obstructive sleep apnea"}
KNEE_DX = {
    "RT": {"code": "M17.11", "text": "Unilateral primary osteoarthritis, right knee"},
    "LT": {"code": "M17.12", "text": "Unilateral primary osteoarthritis, left knee"},
}
PT_DX = [
    {"code": "M54.50", "text": "Low back pain, unspecified"},
    {"code": "M25.561", "text": "Pain in right knee"},
    {"code": "M62.81", "text": "Muscle weakness (generalized)"},
    {"code": "R26.2", "text": "Difficulty in walking"},
    {"code": "M25.511", "text": "Pain in right shoulder"},
]
ONC_DX = [
    {"code": "C34.90", "text": "Non-small cell lung cancer, stage IV"},
    {"code": "C34.11", "text": "Adenocarcinoma right upper lobe, stage IIIB"},
    {"code": "C43.9", "text": "Melanoma, stage IIIC"},
    {"code": "C67.9", "text": "Urothelial carcinoma of bladder, stage IV"},
]


def _plan_text(ctx: Ctx, words: str) -> str:
    """The plan names the study, with its code inline when an order exists anyway."""
    draw = ctx.draw
    if ctx.fail("order") is None and draw.chance(0.4):
        code = ctx.lines[0]["code"]
        kind = "cpt" if code[0].isdigit() else "hcpcs"
        shown = ctx.docs[-1].code(kind, code, role="note")
        return f"{words} (CPT {shown}) ordered today." if kind == "cpt" else f"{words} ({shown}) ordered."
    return f"{words} ordered."


def _order_date(ctx: Ctx, note: Doc) -> date:
    assert note.date
    return min(ctx.request_date, note.date + timedelta(days=ctx.draw.between(0, 3)))


# ---- imaging -------------------------------------------------------------------------------


def build_lumbar_mri(ctx: Ctx) -> None:
    draw = ctx.draw
    setup_providers(ctx, draw.pick(("spine", "primary")))
    dx = supporting_dx(ctx, LUMBAR_DX)
    note = clinical_note(
        ctx,
        stem="note",
        title=draw.pick(("Office Visit", "Follow-up Visit", "Spine Clinic Note")),
        when_way=ctx.fail("recent_clinical_note"),
    )
    way = ctx.fail("conservative_therapy")
    red_flag = way is None and draw.chance(0.3)
    weeks = {
        None: draw.between(7, 12),
        "short": draw.between(2, 4),
        "absent": draw.between(2, 10),
        "improved": draw.between(6, 10),
    }[way]
    note.heading(draw.pick(("HPI", "History of Present Illness", "Subjective")))
    hpi = [cl.lumbar_hpi(draw, weeks + draw.between(0, 2))]
    if red_flag:
        hpi.append(draw.pick(cl.LUMBAR_RED_FLAGS).format(side=draw.pick(("left", "right"))))
        ctx.notes["met_by"] = "red_flag"
    if way is None and not red_flag:
        if draw.chance(0.2) and not note.undated:
            start = note.date - timedelta(weeks=weeks)  # type: ignore[operator]
            hpi.append(cl.conservative_since(draw, note.d(start)))
        else:
            hpi.append(cl.conservative_failed(draw, weeks))
        ctx.notes["met_by"] = f"conservative {weeks} weeks"
    elif way == "short":
        hpi.append(cl.conservative_failed(draw, weeks))
    elif way == "improved":
        hpi.append(cl.conservative_improved(draw, weeks))
    elif way == "absent" and draw.chance(0.5):
        hpi.append("No treatment tried so far.")
    if not red_flag:
        hpi += draw.sample(cl.LUMBAR_NEGATIONS, draw.between(1, 3))
    if draw.chance(0.5):
        note.prose(" ".join(hpi))
    else:
        note.bullets(hpi)
    note.heading(draw.pick(("Exam", "Physical Examination", "Objective")))
    vitals(note, draw)
    note.prose(cl.lumbar_exam(draw))
    note_dx_section(note, draw, dx, "Lumbar radicular pain.")
    note.heading("Plan")
    note.prose(_plan_text(ctx, draw.pick(("MRI of the lumbar spine", "MRI L-spine"))))
    sign_note(ctx, note)
    order_doc(ctx, _order_date(ctx, note), dx, draw.pick(("Imaging Order", "Radiology Requisition", "MRI Order")))
    return finish(ctx, dx)


def build_brain_mri(ctx: Ctx) -> None:
    draw = ctx.draw
    setup_providers(ctx, draw.pick(("neuro", "primary")))
    dx = supporting_dx(ctx, BRAIN_DX)
    way = ctx.fail("red_flag")
    if way is None and ctx.fail("diagnosis") is None and draw.chance(0.4):
        dx.append({"code": "R29.818", "text": "Other symptoms involving nervous system"})
    note = clinical_note(
        ctx,
        stem="note",
        title=draw.pick(("Neurology Consultation", "Clinic Note", "New Patient Visit")),
        when_way=ctx.fail("recent_clinical_note"),
    )
    note.heading(draw.pick(("HPI", "History")))
    hpi = [draw.pick(cl.HEADACHE_HPI).format(w=draw.between(3, 16))]
    if way is None:
        hpi.append(draw.pick(cl.HEADACHE_RED_FLAGS))
    elif way == "negated":
        hpi += draw.sample(cl.HEADACHE_NEGATED, 2)
    hpi.append(
        draw.pick(("Tried sumatriptan with partial relief.", "Uses acetaminophen 1000 mg as needed.", "Keeps a headache diary."))
    )
    note.bullets(hpi) if draw.chance(0.4) else note.prose(" ".join(hpi))
    note.heading("Exam")
    vitals(note, draw)
    note_dx_section(note, draw, dx, "Headache.")
    note.heading("Plan")
    note.prose(_plan_text(ctx, draw.pick(("MRI brain", "MRI of the head"))))
    sign_note(ctx, note)
    order_doc(ctx, _order_date(ctx, note), dx, draw.pick(("Outpatient Imaging Order", "MRI Requisition")))
    return finish(ctx, dx)


def build_ct(ctx: Ctx) -> None:
    draw = ctx.draw
    setup_providers(ctx, "primary")
    chest = ctx.lines[0]["code"] == "71250"
    dx = supporting_dx(ctx, CT_CHEST_DX if chest else CT_ABD_DX)
    note = clinical_note(
        ctx,
        stem="note",
        title=draw.pick(("Clinic Visit", "Acute Visit", "Progress Note")),
        when_way=ctx.fail("recent_clinical_note"),
    )
    note.heading("Subjective")
    if chest:
        note.prose(
            draw.pick(
                (
                    f"Cough for {draw.between(6, 14)} weeks; 30 pack-year former smoker. Outside chest film shows a {draw.between(6, 14)} mm nodule.",
                    "Progressive dyspnea on exertion; chest x-ray with an indeterminate right upper lobe opacity.",
                )
            )
        )
    else:
        note.prose(
            draw.pick(
                (
                    f"Right lower quadrant pain for {draw.between(2, 6)} days with anorexia. WBC {draw.uniform(11.5, 16.9):.1f}.",
                    f"Left lower quadrant pain and fever; lipase {draw.between(20, 55)} U/L (normal).",
                    "Colicky right flank pain with microscopic hematuria.",
                )
            )
        )
    vitals(note, draw)
    note_dx_section(note, draw, dx, "Symptoms as above.")
    note.heading("Plan")
    note.prose(_plan_text(ctx, DESCRIPTIONS[ctx.lines[0]["code"]]))
    sign_note(ctx, note)
    order_doc(ctx, _order_date(ctx, note), dx, draw.pick(("CT Order", "Imaging Order")))
    return finish(ctx, dx)


def build_pet(ctx: Ctx) -> None:
    draw = ctx.draw
    setup_providers(ctx, "oncology")
    dx = supporting_dx(ctx, PET_DX)
    note = clinical_note(
        ctx,
        stem="note",
        title=draw.pick(("Oncology Consultation", "Thoracic Oncology Visit", "Hematology/Oncology Note")),
        when_way=ctx.fail("recent_clinical_note"),
    )
    note.heading("History")
    if ctx.fail("diagnosis") == "negated":
        note.prose("CT-guided biopsy of the lung lesion showed benign granulomatous inflammation; malignancy ruled out.")
    else:
        note.prose(
            draw.pick(
                (
                    "Referred for initial staging after tissue diagnosis.",
                    "Restaging after completion of first-line therapy (second PET since diagnosis).",
                    "Newly identified lesion; PET requested for staging and biopsy planning.",
                )
            )
        )
    note.line(f"Weight {draw.between(52, 110)} kg; ECOG {draw.pick((0, 1))}.")
    note_dx_section(note, draw, dx, "Lung lesion.")
    note.heading("Plan")
    note.prose(_plan_text(ctx, "FDG PET/CT"))
    sign_note(ctx, note)
    order_doc(ctx, _order_date(ctx, note), dx, draw.pick(("PET/CT Order", "Nuclear Medicine Requisition")))
    return finish(ctx, dx)


# ---- sleep ---------------------------------------------------------------------------------


def _sleep_findings(ctx: Ctx, note: Doc, *, epworth: bool, bmi: bool) -> None:
    draw = ctx.draw
    note.heading(draw.pick(("Sleep History", "HPI", "Symptoms")))
    items = draw.sample(cl.SLEEP_SYMPTOMS, 2)
    if epworth:
        items.append(cl.epworth(draw, draw.between(11, 20)))
    note.bullets(items) if draw.chance(0.5) else note.prose(" ".join(items))
    note.heading("Exam")
    vitals(note, draw)
    if bmi:
        note.line(cl.bmi_text(draw, draw.uniform(29.0, 44.0), draw.uniform(16.0, 19.5)))
    note.line(
        draw.pick(
            ("Mallampati class IV, crowded oropharynx.", "Mallampati III; retrognathia.", "Enlarged tonsils, Mallampati III.")
        )
    )


def build_sleep_study(ctx: Ctx) -> None:
    draw = ctx.draw
    setup_providers(ctx, draw.pick(("sleep", "primary")))
    dx = supporting_dx(ctx, SLEEP_DX)
    psg = ctx.lines[0]["code"] == "95810"
    note = clinical_note(
        ctx,
        stem="note",
        title=draw.pick(("Sleep Medicine Consultation", "Sleep Evaluation", "Office Visit")),
        when_way=ctx.fail("recent_clinical_note"),
    )
    _sleep_findings(ctx, note, epworth=ctx.fail("epworth") is None, bmi=ctx.fail("bmi") is None)
    if psg:
        if ctx.fail("psg_indication") is None:
            sentence, extra = draw.pick(cl.psg_indications(draw))
            note.prose(sentence)
            ctx.notes["psg_indication"] = sentence
            if extra and ctx.fail("diagnosis") is None:
                dx.append(dict(extra))
        else:
            note.prose(
                draw.pick(("No history of COPD, heart failure or opioid use.", "Otherwise healthy; no cardiopulmonary disease."))
            )
    note_dx_section(note, draw, dx, "Suspected obstructive sleep apnea.")
    note.heading("Plan")
    note.prose(_plan_text(ctx, "Attended polysomnography" if psg else "Home sleep apnea test"))
    sign_note(ctx, note)
    order_doc(ctx, _order_date(ctx, note), dx, draw.pick(("Sleep Study Order", "Order for Sleep Testing")))
    return finish(ctx, dx)


def _sleep_report(ctx: Ctx, test_date: date, *, low: bool, hsat: bool, dx_ok: bool) -> Doc:
    draw = ctx.draw
    practice = make_practice(draw, "sleep", ctx.state)
    reader = make_provider(draw, practice, credential="MD")
    doc = ctx.new_doc("lab_report", test_date, "sleep_test")
    letterhead(doc, draw, practice)
    doc.heading("Home Sleep Apnea Test Report" if hsat else "Diagnostic Polysomnography Report")
    patient_block(doc, draw, ctx.pv(), visit=test_date, visit_label="Study date")
    hours = round(draw.uniform(5.2, 7.6), 1)
    if low:
        ahi = round(draw.uniform(1.2, 4.6), 1)
    elif ctx.notes.get("ahi_band") == "mild":
        ahi = round(draw.uniform(8.0, 14.0), 1)
    else:
        ahi = round(draw.uniform(16.0, 58.0), 1)
    events = int(ahi * hours)
    ctx.notes["ahi"] = ahi
    rows = [
        ["Total recording time", f"{hours} h"],
        ["Respiratory events", str(events)],
        ["AHI" if draw.chance(0.6) else "Apnea-hypopnea index", f"{ahi}/h"],
        ["Oxygen nadir", f"{draw.between(74, 89)}%"],
    ]
    doc.table(["Measure", "Value"], rows) if draw.chance(0.6) else [doc.line(f"{a}: {b}") for a, b in rows]
    doc.heading("Interpretation")
    if low:
        doc.prose("No significant sleep-disordered breathing.")
    else:
        severity = "severe" if ahi >= 30 else "moderate" if ahi >= 15 else "mild"
        words = f"Obstructive sleep apnea, {severity}."
        if dx_ok:
            code = doc.code("icd10", OSA["code"], assertion="present")
            words = f"Obstructive sleep apnea, {severity} ({code})."
        doc.prose(words + " CPAP recommended.")
    signature(doc, draw, reader, test_date, role="rendering")
    return doc


def _swo(ctx: Ctx, when: date, dx: list[dict[str, str]]) -> None:
    signed = ctx.fail("order_signed") is None
    doc = order_doc(
        ctx, when, dx, ctx.draw.pick(("Standard Written Order - PAP", "DME Order", "Written Order for CPAP")), signed=signed
    )
    if doc is not None:
        doc.line(ctx.draw.pick(("Length of need: 99 months", "Length of need: lifetime", "Pressure: auto 5-15 cm H2O")))


def build_cpap_initial(ctx: Ctx) -> None:
    draw = ctx.draw
    setup_providers(ctx, "sleep")
    dx_ok = ctx.fail("diagnosis") is None
    mild = ctx.fail("ahi") is None and draw.chance(0.2)
    ctx.notes["ahi_band"] = "mild" if mild else "ok"
    test_date = ctx.request_date - timedelta(days=draw.between(12, 40))
    way = ctx.fail("evaluation_before_test")
    eval_date = (
        test_date + timedelta(days=draw.between(2, 8)) if way == "after_test" else test_date - timedelta(days=draw.between(5, 30))
    )
    note = clinical_note(
        ctx,
        stem="evaluation",
        title=draw.pick(("Sleep Medicine Consultation (in person)", "Face-to-Face Evaluation", "Office Visit - Sleep")),
        when_way=way,
        when=eval_date,
    )
    _sleep_findings(ctx, note, epworth=True, bmi=True)
    pre_dx = supporting_dx(ctx, SLEEP_DX)
    if mild:
        note.prose("Long-standing hypertension on lisinopril 20 mg daily.")
        if dx_ok:
            pre_dx.append({"code": "I10", "text": "Essential hypertension"})
    note_dx_section(note, draw, pre_dx, "Suspected obstructive sleep apnea.")
    note.heading("Plan")
    note.prose("Diagnostic sleep testing." + (" Follow-up after the study to review results." if way == "after_test" else ""))
    sign_note(ctx, note)
    if ctx.fail("sleep_test") is None:
        _sleep_report(ctx, test_date, low=ctx.fail("ahi") == "low", hsat=draw.chance(0.5), dx_ok=dx_ok)
    dx = [OSA] if dx_ok else []
    _swo(ctx, min(ctx.request_date, max(test_date, eval_date) + timedelta(days=draw.between(1, 6))), dx)
    return finish(ctx, dx + [d for d in pre_dx if d["code"] == "I10"])


def build_cpap_continuation(ctx: Ctx) -> None:
    draw = ctx.draw
    setup_providers(ctx, "sleep")
    dx_ok = ctx.fail("diagnosis") is None
    start = ctx.request_date - timedelta(days=draw.between(95, 130))
    ctx.notes["therapy_start"] = start.isoformat()
    adherence = ctx.fail("adherence")
    nights = {None: draw.between(22, 30), "low": draw.between(9, 19), "absent": None}[adherence]
    dx_printed = False
    if adherence != "absent":
        w0 = start + timedelta(days=draw.between(1, 55))
        w1 = w0 + timedelta(days=29)
        doc = ctx.new_doc("lab_report", w1 + timedelta(days=1), "download")
        doc.title(draw.pick(("PAP Compliance Report", "CPAP Usage Download", "Therapy Data Summary")))
        patient_block(doc, draw, ctx.pv())
        doc.line(f"Therapy start: {doc.d(start)}")
        doc.line(f"Report window: {doc.d(w0)} - {doc.d(w1)} (30 days)")
        assert nights is not None
        pct = round(100 * nights / 30)
        rows = [
            ["Days with usage >= 4 hours", f"{nights}/30 ({pct}%)"],
            ["Average usage (days used)", f"{draw.uniform(3.1 if adherence else 5.0, 7.8):.1f} h"],
            ["Residual AHI", f"{draw.uniform(0.8, 4.9):.1f}"],
            ["Median leak", f"{draw.between(4, 22)} L/min"],
        ]
        doc.table(["Metric", "Value"], rows)
        if dx_ok and draw.chance(0.5):
            doc.line(f"Diagnosis: {doc.code('icd10', OSA['code'], assertion='present')} obstructive sleep apnea")
            dx_printed = True
    way = ctx.fail("reevaluation")
    if way != "absent":
        day = draw.between(7, 20) if way == "too_early" else draw.between(31, 88)
        when = start + timedelta(days=day)
        note = clinical_note(
            ctx,
            stem="reevaluation",
            title=draw.pick(("CPAP Follow-up Visit", "Sleep Clinic Re-evaluation", "PAP Adherence Visit")),
            when_way=way,
            when=when,
        )
        note.heading("Interval history")
        items = [
            draw.pick(
                (
                    "Daytime sleepiness much improved.",
                    "Sleeping through the night; partner reports no snoring.",
                    "Feels more alert at work since starting CPAP.",
                )
            ),
            cl.epworth(draw, draw.between(3, 8)),
        ]
        if adherence == "absent":
            items.append("Reports using the machine most nights.")
        elif adherence is None:
            items.append(f"Download reviewed: {nights} of 30 nights with 4+ hours.")
        else:
            items.append(f"Download reviewed: only {nights} of 30 nights with 4+ hours; mask leak discussed.")
        note.bullets(items)
        if dx_ok and (not dx_printed or draw.chance(0.5)):
            diagnosis_lines(note, draw, [OSA])
            dx_printed = True
        note.line("Continue CPAP; resupply as scheduled.")
        sign_note(ctx, note)
    if dx_ok and not dx_printed:
        ctx.failures.setdefault("diagnosis", "no_document_with_code")  # nowhere left to print it
    if draw.chance(0.4) and ctx.practice and ctx.orderer:
        order_doc(ctx, ctx.request_date - timedelta(days=draw.between(0, 5)), [OSA] if dx_ok else [], "PAP Supplies Order")
    return finish(ctx, [OSA] if dx_ok else [])


# ---- knee ----------------------------------------------------------------------------------


def build_tka(ctx: Ctx) -> None:
    draw = ctx.draw
    setup_providers(ctx, "ortho")
    side = ctx.lines[0]["modifiers"][0]
    dx = supporting_dx(ctx, [KNEE_DX[side]])
    knee = "right" if side == "RT" else "left"
    note = clinical_note(
        ctx,
        stem="note",
        title=draw.pick(("Orthopaedic Visit", "Joint Clinic Note", "Surgical Consultation")),
        when_way=ctx.fail("recent_clinical_note"),
    )
    note.heading("HPI")
    items = [f"{knee.capitalize()} knee pain for {draw.between(2, 6)} years.", draw.pick(cl.KNEE_FUNCTION)]
    if ctx.fail("conservative_therapy"):
        items.append(cl.conservative_weeks_failed_knee(draw, draw.between(4, 8)))
    else:
        items.append(cl.conservative_months_failed(draw, draw.between(4, 9)))
    note.bullets(items) if draw.chance(0.5) else note.prose(" ".join(items))
    note.heading("Exam")
    vitals(note, draw)
    note.prose(draw.pick(cl.KNEE_EXAM) + " " + draw.pick(cl.NO_INFECTION))
    clearance = ctx.fail("medical_clearance")
    clear_date = ctx.request_date - timedelta(days=draw.between(3, 25))
    if clearance == "pending":
        note.prose("Medical clearance pending; PCP visit scheduled.")
    if ctx.fail("imaging") == "absent":
        note.prose("Weight-bearing radiographs to be obtained.")
    note_dx_section(note, draw, dx, f"Osteoarthritis of the {knee} knee.")
    note.heading("Plan")
    note.prose(f"{knee.capitalize()} total knee arthroplasty. Risks and benefits discussed.")
    sign_note(ctx, note)
    if ctx.fail("imaging") != "absent":
        assert note.date
        xdate = note.date - timedelta(days=draw.between(0, 60))
        practice = make_practice(draw, "ortho", ctx.state)
        rad = make_provider(draw, practice, credential="MD")
        x = ctx.new_doc("imaging_report", xdate, "xray")
        x.title(draw.pick(("Radiology Report", "Diagnostic Imaging")))
        patient_block(x, draw, ctx.pv(), visit=xdate, visit_label="Exam date")
        x.line(f"Exam: XR knee {knee}, 3 views, weight-bearing")
        findings, impression = cl.xray_findings(draw, severe=ctx.fail("imaging") is None)
        x.heading("Findings")
        x.prose(findings)
        x.heading("Impression")
        x.prose(impression)
        signature(x, draw, rad, xdate, role="rendering")
    if clearance is None:
        if draw.chance(0.5):
            pcp_practice = make_practice(draw, "primary", ctx.state)
            pcp = make_provider(draw, pcp_practice, credential="MD")
            c = ctx.new_doc("other", clear_date, "clearance")
            letterhead(c, draw, pcp_practice)
            c.heading(draw.pick(("Pre-operative Medical Clearance", "Preoperative Evaluation")))
            patient_block(c, draw, ctx.pv(), visit=clear_date)
            c.prose(
                draw.pick(
                    (
                        "Patient is medically cleared for the planned knee arthroplasty.",
                        "Acceptable risk; cleared for surgery from a medical standpoint.",
                    )
                )
            )
            signature(c, draw, pcp, clear_date, role="unknown")
        else:
            note.prose(
                f"Medically cleared for surgery by primary care on {note.d(clear_date)}."
                if not note.undated
                else "Medically cleared for surgery by primary care."
            )
    order_doc(ctx, _order_date(ctx, note), dx, draw.pick(("Surgical Booking Sheet", "Surgery Order")))
    return finish(ctx, dx)


# ---- outpatient therapy --------------------------------------------------------------------


def _therapy_practice(ctx: Ctx):
    practice = make_practice(ctx.draw, "therapy", ctx.state)
    return practice, make_provider(ctx.draw, practice, credential=ctx.draw.pick(("PT", "DPT")))


def _plan_of_care(ctx: Ctx, doc: Doc, dx: list[dict[str, str]]) -> None:
    draw = ctx.draw
    doc.heading(draw.pick(("Plan of Care", "Plan of Treatment", "POC")))
    weeks = draw.between(4, 10)
    doc.bullets(
        [
            draw.pick(("Goal: independent with home program in 4 weeks", "Goal: walk 20 minutes without an assistive device")),
            draw.pick(("Goal: reduce pain to 3/10 or less", "Goal: climb one flight of stairs reciprocally")),
            "Interventions: "
            + ", ".join(
                DESCRIPTIONS[ln["code"]].split(",")[0].lower()
                for ln in ctx.lines
                if ln["code"] not in ("97161", "97162", "97163")
            ),
            f"Frequency: {draw.pick((2, 3))}x/week; duration: {weeks} weeks",
        ]
    )
    if dx:
        doc.line("Treatment diagnosis: " + ", ".join(doc.code("icd10", d["code"], assertion="present") for d in dx))


def _certification(ctx: Ctx, doc: Doc, when: date) -> None:
    """Medicare: the physician certifies the plan of care (within 30 days)."""
    draw = ctx.draw
    if ctx.plan_type != "medicare":
        return
    assert ctx.orderer
    if ctx.fail("certification") or doc.undated:
        doc.prose(
            draw.pick(
                (
                    "Plan of care sent to the referring physician for certification; awaiting signature.",
                    "Physician certification: pending.",
                )
            )
        )
        if doc.undated:
            ctx.failures.setdefault("certification", "undated")
        return
    signed = when + timedelta(days=draw.between(1, 12))
    doc.prose(
        f"I certify the need for these services under this plan of care. Certified by {ctx.orderer.name} on {doc.d(signed)}."
    )


def _referral(ctx: Ctx, when: date, dx: list[dict[str, str]]) -> None:
    order_doc(
        ctx,
        when,
        dx,
        ctx.draw.pick(("Referral: Outpatient Physical Therapy", "Therapy Order - Evaluate and Treat", "PT Referral")),
    )


def build_pt_initial(ctx: Ctx) -> None:
    draw = ctx.draw
    setup_providers(ctx, draw.pick(("primary", "ortho", "spine")))
    dx = [
        d
        for d in supporting_dx(ctx, PT_DX)
        if d.get("assertion", "present") == "present" and d["code"] not in ("I10", "E11.9", "E78.5", "K21.9")
    ]
    practice, therapist = _therapy_practice(ctx)
    way = ctx.fail("recent_clinical_note")
    when = ctx.request_date - timedelta(days=draw.between(100, 160) if way == "stale" else draw.between(2, 20))
    _referral(ctx, when - timedelta(days=draw.between(3, 15)), dx)
    doc = ctx.new_doc("progress_note", when, "pt_evaluation", undated=way == "undated")
    letterhead(doc, draw, practice)
    doc.heading(draw.pick(("Physical Therapy Initial Evaluation", "PT Evaluation", "Initial Therapy Assessment")))
    patient_block(doc, draw, ctx.pv(), visit=when)
    doc.heading("Subjective")
    doc.prose(
        draw.pick(
            (
                "Pain with walking and stairs for 3 months.",
                "Difficulty lifting and reaching; pain 6/10.",
                "Unsteady gait after a fall; fear of falling.",
            )
        )
    )
    doc.heading("Objective")
    doc.table(
        ["Measure", "Result"],
        [
            ["LEFS", f"{draw.between(20, 50)}/80"],
            ["Gait speed", f"{draw.uniform(0.5, 1.0):.2f} m/s"],
            ["Strength", "4-/5 hip abductors"],
        ],
    )
    if dx:
        diagnosis_lines(doc, draw, dx)
    if ctx.fail("plan_of_care") is None:
        _plan_of_care(ctx, doc, [])
        _certification(ctx, doc, when)
    else:
        doc.prose("Will establish plan of care after the next visit.")
        if ctx.plan_type == "medicare":
            ctx.failures.setdefault("certification", "no_plan_of_care")
    signature(doc, draw, therapist, when, role="rendering")
    return finish(ctx, dx)


def build_pt_continuation(ctx: Ctx) -> None:
    draw = ctx.draw
    setup_providers(ctx, draw.pick(("primary", "ortho", "spine")))
    dx = [
        d
        for d in supporting_dx(ctx, PT_DX)
        if d.get("assertion", "present") == "present" and d["code"] not in ("I10", "E11.9", "E78.5", "K21.9")
    ]
    practice, therapist = _therapy_practice(ctx)
    way = ctx.fail("progress_note_recent")
    when = ctx.request_date - timedelta(days=draw.between(110, 135) if way == "stale_4mo" else draw.between(4, 25))
    start = when - timedelta(days=draw.between(28, 50))
    _referral(ctx, start - timedelta(days=draw.between(3, 12)), dx)
    doc = ctx.new_doc("progress_note", when, "progress_report", undated=way == "undated")
    letterhead(doc, draw, practice)
    doc.heading(draw.pick(("Physical Therapy Progress Report", "Re-evaluation / Progress Note", "PT Progress Summary")))
    patient_block(doc, draw, ctx.pv(), visit=when)
    visits = draw.between(10, 16)
    doc.line(f"Visits completed: {visits}")
    doc.table(
        ["Measure", "Initial", "Current"],
        [
            ["LEFS", f"{draw.between(18, 35)}/80", f"{draw.between(40, 60)}/80"],
            ["Pain", f"{draw.between(6, 8)}/10", f"{draw.between(2, 5)}/10"],
        ],
    )
    doc.prose(
        draw.pick(
            (
                "Progressing toward goals; continued skilled therapy needed for gait and balance.",
                "Goals partially met; remaining deficits in stair negotiation.",
            )
        )
    )
    if dx:
        diagnosis_lines(doc, draw, dx)
    poc_separate = draw.chance(0.4)
    if ctx.fail("plan_of_care") is None and not poc_separate:
        _plan_of_care(ctx, doc, [])
        if way is not None:  # the plan of care on a stale or undated note is not current
            ctx.failures.setdefault("plan_of_care", f"on_{way}_note")
        if way == "stale_4mo" and ctx.plan_type == "medicare":
            ctx.failures.setdefault("certification", "older_than_90_days")
        _certification(ctx, doc, when)
    elif ctx.fail("plan_of_care") is None:
        pdate = ctx.request_date - timedelta(days=draw.between(1, 10))
        poc = ctx.new_doc("other", pdate, "plan_of_care")
        letterhead(poc, draw, practice)
        poc.heading("Updated Plan of Care")
        patient_block(poc, draw, ctx.pv(), visit=pdate, visit_label="Date")
        _plan_of_care(ctx, poc, [])
        _certification(ctx, poc, pdate)
        signature(poc, draw, therapist, pdate, role="rendering")
    elif ctx.plan_type == "medicare":
        ctx.failures.setdefault("certification", "no_plan_of_care")
    signature(doc, draw, therapist, when, role="rendering")
    return finish(ctx, dx)


# ---- specialty drug ------------------------------------------------------------------------


def build_pembrolizumab(ctx: Ctx) -> None:
    draw = ctx.draw
    setup_providers(ctx, "oncology")
    dx = supporting_dx(ctx, ONC_DX)
    note = clinical_note(
        ctx,
        stem="note",
        title=draw.pick(("Medical Oncology Visit", "Treatment Planning Note", "Oncology Follow-up")),
        when_way=ctx.fail("recent_clinical_note"),
    )
    note.heading("Oncologic history")
    hist = []
    if ctx.fail("no_prior_pd1"):
        hist.append(cl.pd1_failure(draw))
    else:
        hist.append(cl.first_line_history(draw) if draw.chance(0.6) else cl.second_line_history(draw))
    bio = ctx.fail("biomarker")
    if bio == "pending":
        hist.append("PD-L1 IHC and MSI testing sent; results pending.")
    elif bio is None:
        hist.append(cl.biomarker_text(draw))
    note.prose(" ".join(hist))
    note.line(
        f"Weight {draw.between(50, 105)} kg. ECOG {draw.pick((0, 1))}. Creatinine {draw.uniform(0.6, 1.3):.2f}, "
        f"ALT {draw.between(12, 40)}, TSH {draw.uniform(0.6, 3.9):.2f}."
    )
    note_dx_section(note, draw, dx, "Advanced malignancy.")
    note.heading("Plan")
    j = next(ln for ln in ctx.lines if ln["code"] == "J9271")
    if ctx.fail("units"):
        note.prose("Start pembrolizumab per protocol.")
    else:
        q = "every 3 weeks" if j["units"] == 200 else "every 6 weeks"
        note.prose(f"Start pembrolizumab {j['units']} mg IV {q}, up to 24 months.")
    sign_note(ctx, note)
    if bio is None and draw.chance(0.7):
        assert note.date
        pdate = note.date - timedelta(days=draw.between(5, 40))
        lab = ctx.new_doc("lab_report", pdate, "pathology")
        lab.title(draw.pick(("Surgical Pathology - Biomarker Addendum", "Molecular Pathology Report")))
        patient_block(lab, draw, ctx.pv(), visit=pdate, visit_label="Collected")
        lab.prose(cl.biomarker_text(draw))
    order_doc(
        ctx,
        _order_date(ctx, note),
        dx,
        draw.pick(("Infusion Order", "Chemotherapy / Immunotherapy Order", "Treatment Plan Order")),
    )
    return finish(ctx, dx)


# ---- a code no service covers --------------------------------------------------------------


def build_unknown_only(ctx: Ctx) -> None:
    draw = ctx.draw
    setup_providers(ctx, draw.pick(("ortho", "primary")))
    dx = supporting_dx(ctx, [{"code": "M17.11", "text": "Primary osteoarthritis, right knee"}])
    note = clinical_note(ctx, stem="note", title="Office Visit", when_way=None)
    note.prose("Right knee pain; discussed injection.")
    note_dx_section(note, draw, dx, "Knee osteoarthritis.")
    sign_note(ctx, note)
    order_doc(ctx, _order_date(ctx, note), dx, "Procedure Order")
    return finish(ctx, dx)


BUILDERS = {
    "lumbar_mri": build_lumbar_mri,
    "brain_mri": build_brain_mri,
    "ct": build_ct,
    "pet": build_pet,
    "sleep_study": build_sleep_study,
    "cpap_initial": build_cpap_initial,
    "cpap_continuation": build_cpap_continuation,
    "tka": build_tka,
    "pt_initial": build_pt_initial,
    "pt_continuation": build_pt_continuation,
    "pembrolizumab": build_pembrolizumab,
    "unknown_only": build_unknown_only,
}
