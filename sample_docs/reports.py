"""Builders for result documents: radiology reports and laboratory reports.

Neither looks like the practice documents of spec.py. A radiology report comes from the imaging
group's system: its own letterhead, an accession number, inline headings (EXAM:, CLINICAL
HISTORY:, COMPARISON:, TECHNIQUE:, FINDINGS:, IMPRESSION:) and the radiologist's signature with
the rendering NPI. A lab report is a header grid (specimen, accession, collected, received,
reported, ordering provider) over a result table (TEST RESULT FLAG UNITS REFERENCE) with the
lab's CLIA number and director. Each returns a `Labelled` whose identity fields come from the
printed values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sample_docs.layout import Practice, Section
from sample_docs.sheets import Box, Flow
from sample_docs.spec import Labelled, Patient, Provider, npi_entry, us


def _identity(patient: Patient, *, document_date: date, service_date: date | None) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {
        "patient_name": [patient.name_truth],
        "patient_dob": [patient.dob.isoformat()],
        "document_date": [document_date.isoformat()],
    }
    if service_date is not None:
        out["date_of_service"] = [service_date.isoformat()]
    return out


@dataclass(frozen=True)
class Exam:
    """What the radiologist reports: the exam line, the codes printed with it, and the text."""

    name: str  # "XR LUMBAR SPINE 2-3 VIEWS"
    cpt: str  # printed after the exam name, "" for none
    history: str
    comparison: str
    technique: str
    findings: tuple[str, ...]
    impression: tuple[str, ...]


def imaging_report(
    *,
    group: Practice,
    style: str,  # "ris": a Courier printout with capital headings; "centre": an imaging centre's Times letterhead
    patient: Patient,
    exam: Exam,
    exam_date: date,
    exam_time: str,
    signed: date,
    signed_time: str,
    facility_mrn: str,
    accession: str,
    referring: str,
    location: str,
    radiologist: Provider,
    truth: dict[str, list[Any]],
    facts: dict[str, list[dict[str, Any]]] | None = None,
    decoys: tuple[str, ...] = (),
) -> Labelled:
    if style == "ris":
        flow = Flow(font="Courier", size=9.2, left=50, right_margin=50, top=46)
        _ris_report(
            flow,
            group,
            patient,
            exam,
            exam_date,
            exam_time,
            signed,
            signed_time,
            facility_mrn,
            accession,
            referring,
            location,
            radiologist,
        )
    elif style == "centre":
        flow = Flow(font="Times", size=10.5, left=60, right_margin=60, top=50)
        _centre_report(
            flow,
            group,
            patient,
            exam,
            exam_date,
            exam_time,
            signed,
            signed_time,
            facility_mrn,
            accession,
            referring,
            location,
            radiologist,
        )
    else:
        raise ValueError(f"unknown report style {style!r}")
    sections = (
        Section("Clinical history", (exam.history,)),
        Section("Findings", exam.findings),
        Section("Impression", exam.impression),
    )
    fields = _identity(patient, document_date=signed, service_date=exam_date) | {"npi": [npi_entry(radiologist)]} | truth
    return Labelled(flow.sheet(title=exam.name, sections=sections), "imaging_report", signed, fields, facts or {}, decoys)


def _ris_report(
    f: Flow,
    group: Practice,
    patient: Patient,
    exam: Exam,
    exam_date: date,
    exam_time: str,
    signed: date,
    signed_time: str,
    facility_mrn: str,
    accession: str,
    referring: str,
    location: str,
    radiologist: Provider,
) -> None:
    """A radiology information system printout in Courier: capital headings, two-column
    demographics between rules."""
    f.text(f.left, group.name.upper(), bold=True, size=12)
    f.down(13)
    f.text(f.left, f"{group.street.upper()}, {group.city.upper()}, {group.state} {group.zip}", size=8.5)
    f.down(10.5)
    f.text(f.left, f"TEL {group.phone}   FAX {group.fax}", size=8.5)
    f.down(6)
    f.rule(0)
    f.down(20)
    f.centre_text("DIAGNOSTIC RADIOLOGY REPORT", bold=True, size=11)
    f.down(20)
    col2 = f.left + 290
    rows = (
        (f"PATIENT: {patient.last.upper()}, {patient.first.upper()} {patient.middle}".rstrip(), f"MRN: {facility_mrn}"),
        (f"DOB: {us(patient.dob)}   SEX: {patient.sex}", f"ACCESSION: {accession}"),
        (f"EXAM DATE: {us(exam_date)} {exam_time}", f"LOCATION: {location.upper()}"),
        (f"REFERRING: {referring.upper()}", ""),
    )
    for left, right in rows:
        f.text(f.left, left)
        if right:
            f.text(col2, right)
        f.down(12)
    f.rule(-4)
    f.down(14)
    exam_line = exam.name + (f"   CPT {exam.cpt}" if exam.cpt else "")
    f.labelled("EXAM:", exam_line)
    f.down(4)
    f.labelled("CLINICAL HISTORY:", exam.history, hang=0)
    f.down(4)
    f.labelled("COMPARISON:", exam.comparison, hang=0)
    f.down(4)
    f.labelled("TECHNIQUE:", exam.technique, hang=0)
    f.down(4)
    f.need(40)
    f.text(f.left, "FINDINGS:", bold=True)
    f.down(12.5)
    for paragraph in exam.findings:
        f.para(paragraph, after=4)
    f.down(2)
    f.need(40)
    f.text(f.left, "IMPRESSION:", bold=True)
    f.down(12.5)
    for i, item in enumerate(exam.impression, 1):
        f.text(f.left + 6, f"{i}.")
        f.para(item, x=f.left + 24, after=1)
    f.down(12)
    f.need(50)
    f.text(f.left, f"DICTATED BY: {radiologist.name.upper()}")
    f.down(12)
    f.text(f.left, f"ELECTRONICALLY SIGNED BY: {radiologist.name}   NPI {radiologist.npi}   {us(signed)} {signed_time}")
    f.down(12)
    f.rule(-2)


def _centre_report(
    f: Flow,
    group: Practice,
    patient: Patient,
    exam: Exam,
    exam_date: date,
    exam_time: str,
    signed: date,
    signed_time: str,
    facility_mrn: str,
    accession: str,
    referring: str,
    location: str,
    radiologist: Provider,
) -> None:
    """An imaging centre's report: name on the left, address block on the right, a shaded
    title bar, demographics in two columns without a box, headings on lines of their own."""
    top = f.y
    f.text(f.left, group.name, bold=True, size=16)
    if group.tagline:
        f.down(14)
        f.text(f.left, group.tagline, size=9.5)
    f.y = top + 2
    for line in (group.street, f"{group.city}, {group.state} {group.zip}", f"Phone {group.phone}", f"Fax {group.fax}"):
        f.right_text(line, size=8.5)
        f.down(10)
    f.down(6)
    f.rule(0)
    f.down(26)
    f.add(Box(f.left, f.y - 5, f.width, 17, fill=0.86, stroke=0))
    f.text(f.left + 6, exam.name, bold=True, size=11.5)
    f.down(26)
    col2 = f.left + 260
    rows = (
        (("Patient:", f"{patient.last}, {patient.first} {patient.middle}".rstrip()), ("Medical record #:", facility_mrn)),
        (("Date of birth:", us(patient.dob)), ("Accession #:", accession)),
        (("Exam date:", f"{us(exam_date)} {exam_time}"), ("Location:", location)),
        (("Referring physician:", referring), ("Report date:", us(signed))),
    )
    for pair in rows:
        for (label, value), x in zip(pair, (f.left, col2), strict=True):
            end = f.text(x, label, bold=True)
            f.text(end + 4, value)
        f.down(13.5)
    f.down(10)
    if exam.cpt:
        f.labelled("Procedure code:", f"CPT {exam.cpt}")
        f.down(4)
    for heading, body in (
        ("CLINICAL INDICATION", exam.history),
        ("COMPARISON", exam.comparison),
        ("TECHNIQUE", exam.technique),
    ):
        f.need(40)
        f.text(f.left, heading, bold=True, size=10)
        f.down(13)
        f.para(body, x=f.left + 14, after=6)
    f.need(40)
    f.text(f.left, "FINDINGS", bold=True, size=10)
    f.down(13)
    for paragraph in exam.findings:
        f.para(paragraph, x=f.left + 14, after=4)
    f.down(4)
    f.need(40)
    f.text(f.left, "IMPRESSION", bold=True, size=10)
    f.down(13)
    for item in exam.impression:
        f.text(f.left + 14, "-")
        f.para(item, x=f.left + 26, after=2)
    f.down(16)
    f.need(40)
    f.text(f.left, f"Interpreted by {radiologist.name}, Diagnostic Radiology   (NPI {radiologist.npi})")
    f.down(13)
    f.text(f.left, f"Electronically signed {us(signed)} at {signed_time}", size=9.5)


@dataclass(frozen=True)
class Result:
    test: str
    value: str
    flag: str  # "", "H", "L", "A"
    units: str
    reference: str


@dataclass(frozen=True)
class Panel:
    name: str
    code: str  # the lab's own test number (never a CPT code)
    results: tuple[Result, ...]


def lab_report(
    *,
    lab: Practice,
    style: str,  # "reference": a reference lab's Helvetica report; "hospital": a hospital LIS printout in Courier
    patient: Patient,
    patient_id: str,
    specimen_id: str,
    accession: str,
    collected: tuple[date, str],
    received: tuple[date, str],
    reported: tuple[date, str],
    ordering: Provider,
    diagnoses: tuple[str, ...],
    panels: tuple[Panel, ...],
    comments: tuple[str, ...],
    director: str,
    clia: str,
    truth: dict[str, list[Any]],
    facts: dict[str, list[dict[str, Any]]] | None = None,
    decoys: tuple[str, ...] = (),
) -> Labelled:
    if style not in ("reference", "hospital"):
        raise ValueError(f"unknown lab style {style!r}")
    hospital = style == "hospital"
    f = Flow(font="Courier" if hospital else "Helvetica", size=8.6 if hospital else 9, left=46, right_margin=46, top=44)
    # Letterhead: the lab on the left, its CLIA number and director on the right.
    top = f.y
    f.text(f.left, lab.name.upper() if hospital else lab.name, bold=True, size=12.5 if hospital else 15)
    f.down(13)
    f.text(f.left, f"{lab.street}, {lab.city}, {lab.state} {lab.zip}", size=8)
    f.down(10)
    f.text(f.left, f"Client services {lab.phone}   Fax {lab.fax}", size=8)
    f.y = top
    f.right_text("FINAL REPORT" if hospital else "Laboratory Report", bold=True, size=11)
    f.down(13)
    f.right_text(f"CLIA {clia}", size=8)
    f.down(10)
    f.right_text(f"Laboratory director: {director}", size=8)
    f.y = top - 40
    f.rule(0)
    f.down(16)
    # Header grid: three columns of label/value pairs.
    cols = (f.left, f.left + 190, f.left + 360)
    grid = (
        (
            ("Patient:", f"{patient.last.upper()}, {patient.first.upper()} {patient.middle}".rstrip()),
            ("DOB:", us(patient.dob)),
            ("Sex:", patient.sex),
        ),
        (("Patient ID:", patient_id), ("Specimen ID:", specimen_id), ("Accession:", accession)),
        (
            ("Collected:", f"{us(collected[0])} {collected[1]}"),
            ("Received:", f"{us(received[0])} {received[1]}"),
            ("Reported:", f"{us(reported[0])} {reported[1]}"),
        ),
        (("Ordering:", ordering.name), ("NPI:", ordering.npi), ("Dx codes:", " ".join(diagnoses))),
    )
    box_top = f.y + 11
    for row in grid:
        for (label, value), x in zip(row, cols, strict=True):
            end = f.text(x + 4, label, bold=True, size=8.2)
            f.text(end + 3, value, size=8.2)
        f.down(12.5)
    f.add(Box(f.left, f.y + 6, f.width, box_top - f.y - 6, stroke=0.6))
    f.down(14)
    # Result table.
    x_test, x_value, x_flag, x_units, x_ref = f.left, f.left + 205, f.left + 275, f.left + 310, f.left + 395
    f.add(Box(f.left, f.y - 4, f.width, 14, fill=0.82, stroke=0))
    for x, head in ((x_test, "TEST"), (x_value, "RESULT"), (x_flag, "FLAG"), (x_units, "UNITS"), (x_ref, "REFERENCE")):
        f.text(x + 3, head, bold=True, size=8.4)
    f.down(18)
    for panel in panels:
        f.need(30)
        f.text(x_test + 3, panel.name, bold=True)
        f.right_text(f"Test {panel.code}", size=7.5)
        f.down(12)
        for r in panel.results:
            f.need(12)
            f.text(x_test + 12, r.test)
            f.text(x_value + 3, r.value, bold=bool(r.flag))
            if r.flag:
                f.text(x_flag + 3, r.flag, bold=True)
            if r.units:
                f.text(x_units + 3, r.units)
            if r.reference:
                f.text(x_ref + 3, r.reference)
            f.down(11.5)
        f.down(6)
    f.rule(0)
    f.down(14)
    f.text(f.left, "Flags: H high, L low, A abnormal.", size=8)
    f.down(12)
    for comment in comments:
        f.para(comment, size=8.2, after=2)
    f.down(8)
    f.text(f.left, f"Ordering provider: {ordering.name}   NPI {ordering.npi}", size=8.2)
    f.down(11)
    f.text(f.left, f"Report status: FINAL   Printed {us(reported[0])} {reported[1]}", size=8.2)
    fields = _identity(patient, document_date=reported[0], service_date=collected[0]) | {"npi": [npi_entry(ordering)]} | truth
    return Labelled(f.sheet(title="Laboratory report"), "lab_report", reported[0], fields, facts or {}, decoys)
