"""Builders for the less common documents of a case: a fax cover sheet, a half-sheet sleepiness
questionnaire and a payer's prior-authorization request form. Like the order and note builders
of spec.py, each returns a `Labelled` whose identity fields come from the printed values."""

from __future__ import annotations

from datetime import date
from typing import Any

from sample_docs.forms import Checkbox, FormField, FormSection, PayerForm
from sample_docs.layout import Document, Practice, Section
from sample_docs.spec import Labelled, Patient, Provider, fact, npi_entry, us

HALF_SHEET = (612.0, 396.0)  # letter cut across: 8.5 x 5.5 in


def fax_cover(
    *,
    practice: Practice,
    patient: Patient,
    d: date,
    to: tuple[str, str],  # recipient, fax number
    sender: str,
    pages: int,
    message: str,
    decoys: tuple[str, ...] = (),
) -> Labelled:
    """The cover page a practice faxes first: recipient, sender, page count, a short message and
    the confidentiality notice; the patient is named only on the "Re" line."""
    doc = Document(
        title="FAX COVER SHEET",
        practice=practice,
        date_line=f"Date: {us(d)}",
        patient_rows=(
            (("To:", to[0]), ("Fax:", to[1])),
            (("From:", sender), ("Fax:", practice.fax)),
            (("Re:", f"{patient.printed_upper}, DOB {us(patient.dob)}"),),
            (("Pages:", f"{pages} including this cover"),),
        ),
        sections=(
            Section("Message", (message,)),
            Section(
                "Confidentiality",
                (
                    "This fax holds protected health information meant only for the addressee. If it reached you by mistake, "
                    f"call {practice.phone} and destroy every page; do not read, copy or pass it on.",
                ),
            ),
        ),
        signature=(),
        continuation="FAX COVER SHEET",
        font="Helvetica",
        size=11,
    )
    fields: dict[str, list[Any]] = {
        "patient_name": [patient.name_truth],
        "patient_dob": [patient.dob.isoformat()],
        "document_date": [d.isoformat()],
    }
    return Labelled(doc, "other", d, fields, {}, decoys)


# Eight everyday situations, each scored 0 (would never doze) to 3 (high chance of dozing).
SLEEPINESS_SITUATIONS = (
    "Reading in a chair",
    "Watching television",
    "Sitting still in a public place, such as a meeting or a show",
    "Riding for an hour as a car passenger",
    "Lying down to rest in the afternoon",
    "Sitting and talking with someone",
    "Sitting quietly after a lunch without alcohol",
    "In a car stopped for a few minutes in traffic",
)


def sleepiness_questionnaire(
    *, practice: Practice, patient: Patient, d: date, scores: tuple[int, ...], reviewer: Provider, font: str = "Helvetica"
) -> Labelled:
    """The Epworth sleepiness questionnaire as a clinic hands it out, on a half sheet: eight
    situations scored 0-3 and the total."""
    if len(scores) != len(SLEEPINESS_SITUATIONS) or not all(0 <= s <= 3 for s in scores):
        raise ValueError("eight scores of 0-3")
    total = sum(scores)
    doc = Document(
        title="EPWORTH SLEEPINESS SCALE",
        practice=practice,
        date_line=f"Date: {us(d)}",
        patient_rows=((("Patient:", patient.printed_upper), ("DOB:", us(patient.dob))),),
        sections=(
            Section(
                "Chance of dozing (0 never, 1 slight, 2 moderate, 3 high)",
                tuple(f"{i}. {s}: {score}" for i, (s, score) in enumerate(zip(SLEEPINESS_SITUATIONS, scores, strict=True), 1)),
            ),
        ),
        signature=(f"Epworth total: {total} / 24      Reviewed by {reviewer.name}",),
        continuation=f"{patient.printed_upper}   DOB {us(patient.dob)}",
        font=font,
        size=8.5,
        page_size=HALF_SHEET,
    )
    fields: dict[str, list[Any]] = {
        "patient_name": [patient.name_truth],
        "patient_dob": [patient.dob.isoformat()],
        "document_date": [d.isoformat()],
    }
    return Labelled(doc, "other", d, fields, {"epworth": [fact(total)]}, ())


def prior_auth_form(
    *,
    payer: str,
    contact: tuple[str, ...],
    title: str,
    patient: Patient,
    d: date,
    provider: Provider,
    practice: Practice,
    facility: tuple[str, Provider | None],
    service: tuple[str, str],  # code, description
    diagnoses: tuple[str, ...],  # dotted ICD-10-CM codes, primary first
    urgent: bool,
    start: date,
    truth: dict[str, list[Any]],
    decoys: tuple[str, ...] = (),
    font: str = "Helvetica",
) -> Labelled:
    """A payer's one-page request form, filled in: member, ordering provider, facility, the
    requested code and the diagnoses. The printed labels are page text; the values are fields."""
    dx = (*diagnoses, "", "")[:2]
    form = PayerForm(
        payer=payer,
        title=title,
        contact=contact,
        instructions="Complete every field. Attach the signed order and clinical notes from the last 60 days. "
        "Incomplete requests are returned without review.",
        sections=(
            FormSection(
                "Member information",
                rows=(
                    (FormField("Member ID", patient.member_id), FormField("Group number", patient.group or "")),
                    (FormField("Patient name", f"{patient.last}, {patient.first} {patient.middle}".strip()),),
                    (FormField("Date of birth", us(patient.dob)), FormField("Sex", patient.sex)),
                ),
            ),
            FormSection(
                "Ordering provider",
                rows=(
                    (FormField("Provider name", provider.name), FormField("NPI", provider.npi)),
                    (FormField("Practice", practice.name),),
                    (FormField("Phone", practice.phone), FormField("Fax", practice.fax)),
                ),
            ),
            FormSection(
                "Servicing facility",
                rows=(
                    (FormField("Facility name", facility[0]), FormField("Facility NPI", facility[1].npi if facility[1] else "")),
                ),
            ),
            FormSection(
                "Service requested",
                rows=(
                    (FormField("CPT/HCPCS code", service[0]), FormField("Units", "1")),
                    (FormField("Description", service[1]),),
                    (FormField("Primary ICD-10", dx[0]), FormField("Secondary ICD-10", dx[1])),
                    (FormField("Requested start date", us(start)), FormField("Date of request", us(d))),
                ),
                checkboxes=(Checkbox("Standard review", not urgent), Checkbox("Urgent review (72 hours)", urgent)),
            ),
        ),
        attestation="I attest that the information on this form is true and supported by the medical record, and that the "
        "service is medically necessary for this member.",
        font=font,
    )
    npis = [npi_entry(provider)] + ([npi_entry(facility[1])] if facility[1] else [])
    fields: dict[str, list[Any]] = {
        "member_id": [patient.member_id_truth],
        "patient_name": [patient.name_truth],
        "patient_dob": [patient.dob.isoformat()],
        "payer_name": [payer],
        "document_date": [d.isoformat()],
        "npi": npis,
    }
    if patient.group:
        fields["group_number"] = [patient.group]
    return Labelled(form, "prior_auth_form", d, fields | truth, {}, decoys)
