"""The letter of medical necessity: a physician's letter to the health plan's medical director.

Laid out as a business letter, not as a chart document: the practice's letterhead on the left,
the date written out, the plan's address, an "RE:" block naming the patient, the member ID and
the service, a salutation ("Dear Medical Director:", "To Whom It May Concern:"), paragraphs
that give the diagnosis in words and codes and the treatment history, and a signature block
with the physician's NPI.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sample_docs.layout import Practice
from sample_docs.sheets import Flow, Scribble
from sample_docs.spec import Labelled, Patient, Provider, long, npi_entry, us


def medical_necessity_letter(
    *,
    practice: Practice,
    patient: Patient,
    d: date,
    provider: Provider,
    credentials: str,  # the line under the name, e.g. "Board certified, Family Medicine"
    addressee: tuple[str, ...],
    subject: str,
    salutation: str,
    paragraphs: tuple[str, ...],
    truth: dict[str, list[Any]],
    facts: dict[str, list[dict[str, Any]]],
    decoys: tuple[str, ...] = (),
    font: str = "Times",
    size: float = 11,
    letterhead: str = "left",  # "left": name over a rule; "banner": name and address on one line between rules
    signed_in_pen: bool = False,
) -> Labelled:
    f = Flow(font=font, size=size, left=72, right_margin=72, top=54)

    def continuation(flow: Flow) -> None:
        flow.text(flow.left, f"{patient.first} {patient.last}, DOB {us(patient.dob)}", size=size - 1.5)
        flow.right_text(f"{long(d)}, page {len(flow.pages)}", size=size - 1.5)
        flow.down(28)

    f.header = continuation
    if letterhead == "left":
        f.text(f.left, practice.name, bold=True, size=size + 4)
        f.down(size + 3)
        if practice.tagline:
            f.text(f.left, practice.tagline, size=size - 1.5)
            f.down(size)
        f.text(f.left, f"{practice.street}  |  {practice.city}, {practice.state} {practice.zip}", size=size - 1.5)
        f.down(size)
        f.text(f.left, f"Telephone {practice.phone}  |  Fax {practice.fax}", size=size - 1.5)
        f.rule(6)
        f.down(40)
    elif letterhead == "banner":
        f.rule(-12)
        f.centre_text(practice.name.upper(), bold=True, size=size + 2)
        f.down(size + 4)
        f.centre_text(
            f"{practice.street}, {practice.city}, {practice.state} {practice.zip}   Tel {practice.phone}   Fax {practice.fax}",
            size=size - 2,
        )
        f.rule(7)
        f.down(40)
    else:
        raise ValueError(f"unknown letterhead {letterhead!r}")
    f.text(f.left, long(d))
    f.down(size * 2.4)
    for line in addressee:
        f.text(f.left, line)
        f.down(size + 3)
    f.down(size)
    re_lines = (
        subject,
        f"Patient: {patient.first} {patient.middle + '. ' if patient.middle else ''}{patient.last}    Date of birth: {us(patient.dob)}",
        f"Member ID: {patient.member_id}" + (f"    Group: {patient.group}" if patient.group else ""),
    )
    end = f.text(f.left, "RE:", bold=True)
    for line in re_lines:
        f.text(end + 8, line, bold=line is subject)
        f.down(size + 3)
    f.down(size)
    f.text(f.left, salutation)
    f.down(size + 9)
    for paragraph in paragraphs:
        f.para(paragraph, leading=size + 3.5, after=size - 1)
    f.need((size + 4) * 6)
    f.text(f.left, "Sincerely,")
    if signed_in_pen:  # printed, signed and faxed: ink over the name, no electronic signature line
        f.add(Scribble(f.left + 4, f.y - size * 3.4, 130, size * 2.2, seed=f"{provider.name}/{d}"))
        f.down(size * 4)
    else:
        f.down(size * 3.6)
        f.text(f.left, f"/s/ {provider.name}", size=size)
        f.down(size + 4)
    f.text(f.left, provider.name, bold=True)
    f.down(size + 3)
    f.text(f.left, credentials, size=size - 1)
    f.down(size + 2)
    f.text(f.left, f"NPI {provider.npi}", size=size - 1)
    f.down(size + 2)
    fields: dict[str, list[Any]] = {
        "patient_name": [patient.name_truth],
        "patient_dob": [patient.dob.isoformat()],
        "member_id": [patient.member_id_truth],
        "payer_name": [patient.payer],
        "document_date": [d.isoformat()],
        "npi": [npi_entry(provider)],
    }
    if patient.group:
        fields["group_number"] = [patient.group]
    return Labelled(
        f.sheet(title="Letter of medical necessity", footer=False),
        "letter_of_medical_necessity",
        d,
        fields | truth,
        facts,
        decoys,
    )
