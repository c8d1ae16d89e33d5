"""Document writers: a document is a list of blocks (title, key-value lines, prose, tables,
lists, signature) plus a ledger of every code-like value it prints, recorded as it is printed.

The writers here are the parts every document shares (letterhead, patient block, signature,
insurance card, order, state form); `services.py` writes the clinical content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .draw import Draw, format_date
from .people import MemberId, Person, Practice, Provider


@dataclass
class Block:
    kind: str  # title | heading | line | kvrow | prose | table | bullets | numbered | spacer
    data: Any


@dataclass
class Doc:
    file: str
    doc_type: str
    date: date | None
    date_style: str
    blocks: list[Block] = field(default_factory=list)
    ledger: list[dict[str, Any]] = field(default_factory=list)
    undated: bool = False
    patient: str = "case"  # "case", or "other" for a page of another patient

    # --- recording what is printed -----------------------------------------------------
    def code(self, kind: str, value: str, **attrs: Any) -> str:
        """Record a labelled value (cpt, hcpcs, icd10, npi, member_id, ...) and return it."""
        self.ledger.append({"kind": kind, "value": value, **attrs})
        return attrs.get("printed", value)

    def decoy(self, kind: str, value: str) -> str:
        self.ledger.append({"kind": "decoy", "decoy": kind, "value": value})
        return value

    def d(self, when: date) -> str:
        """A date as this document prints it (the writers never print a date when undated)."""
        if self.undated:
            raise AssertionError("an undated document printed a date")
        return format_date(when, self.date_style)

    # --- blocks ------------------------------------------------------------------------
    def title(self, text: str) -> None:
        self.blocks.append(Block("title", text))

    def heading(self, text: str) -> None:
        self.blocks.append(Block("heading", text))

    def line(self, text: str) -> None:
        self.blocks.append(Block("line", text))

    def kvrow(self, *cells: str) -> None:
        self.blocks.append(Block("kvrow", [c for c in cells if c]))

    def prose(self, text: str) -> None:
        self.blocks.append(Block("prose", text))

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        self.blocks.append(Block("table", {"header": header, "rows": rows}))

    def bullets(self, items: list[str], *, numbered: bool = False) -> None:
        self.blocks.append(Block("numbered" if numbered else "bullets", items))

    def spacer(self) -> None:
        self.blocks.append(Block("spacer", None))

    def printed(self, kind: str) -> list[dict[str, Any]]:
        return [e for e in self.ledger if e["kind"] == kind]

    def to_truth(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "doc_type": self.doc_type,
            "date": None if self.undated or self.date is None else self.date.isoformat(),
            "undated": self.undated,
            "patient": self.patient,
            "printed": self.ledger,
        }


def kv(label: str | None, value: str) -> str:
    return f"{label}: {value}" if label else value


def letterhead(doc: Doc, draw: Draw, practice: Practice) -> None:
    doc.title(practice.name if draw.chance(0.5) else practice.name.upper())
    zip_code = doc.decoy("zip", practice.zip)
    address = f"{practice.street}, {practice.city}, {practice.state} {zip_code}"
    phone = doc.decoy("phone", practice.phone)
    fax = doc.decoy("fax", practice.fax)
    style = draw.between(0, 2)
    if style == 0:
        doc.line(address)
        doc.line(f"{draw.label('phone')}: {phone}   {draw.label('fax')}: {fax}")
    elif style == 1:
        doc.line(f"{address} | {phone} | fax {fax}")
    else:
        doc.kvrow(address, f"{draw.label('phone')} {phone}")
        doc.line(f"{draw.label('fax')}: {fax}")
    if draw.chance(0.3):
        doc.line(f"{draw.label('tax_id')}: {doc.decoy('tax_id', practice.tax_id)}")


@dataclass
class PatientView:
    person: Person
    member: MemberId | None
    payer: str
    group: str | None = None


def patient_block(doc: Doc, draw: Draw, pv: PatientView, *, visit: date | None = None, visit_label: str | None = None) -> None:
    """The patient's identity; the member ID only when `pv.member` is given; dates only when dated."""
    name = pv.person.printed_name(draw)
    cells: list[tuple[str | None, str]] = [(draw.label("patient"), name)]
    if not doc.undated:
        cells.append((draw.label("dob"), doc.d(pv.person.dob)))
    if pv.member is not None:
        label = draw.label("member_id")
        printed = doc.code("member_id", pv.member.value, printed=pv.member.printed, family=pv.member.family)
        cells.append((label, printed))
    if draw.chance(0.6):
        cells.append((draw.label("payer", allow_none=False), pv.payer))
    if pv.group and draw.chance(0.5):
        cells.append((draw.label("group"), doc.code("group_number", pv.group)))
    if draw.chance(0.5):
        cells.append((draw.label("mrn"), doc.decoy("mrn", pv.person.mrn)))
    if visit is not None and not doc.undated:
        cells.append((visit_label or draw.label("visit_date"), doc.d(visit)))
    style = draw.between(0, 3)
    if style == 0:
        for label, value in cells:
            doc.line(kv(label, value))
    elif style == 1:
        for i in range(0, len(cells), 2):
            doc.kvrow(*(kv(lab, v) for lab, v in cells[i : i + 2]))
    elif style == 2:
        doc.table(["Field", "Value"], [[lab or "ID", v] for lab, v in cells])
    else:
        parts = [f"{lab} {v}" if lab else v for lab, v in cells]
        doc.prose("Re: " + "; ".join(parts) + ".")
    doc.spacer()


def signature(
    doc: Doc, draw: Draw, who: Provider, when: date | None, *, npi: bool = True, signed: bool = True, role: str = "ordering"
) -> None:
    """The signature block; `npi=False` leaves the provider's NPI off."""
    if not signed:
        doc.line(f"{draw.pick(('Ordering practitioner signature', 'Signature', 'Physician signature'))}: ______________________")
        doc.line(f"Printed name: {who.name}")
    else:
        stamp = f" on {doc.d(when)}" if when is not None and not doc.undated else ""
        doc.line(
            draw.pick((f"Electronically signed by {who.name}{stamp}", f"Signed: {who.name}{stamp}", f"/s/ {who.name}{stamp}"))
        )
    if npi:
        label = draw.label("npi", allow_none=False)
        doc.line(f"{label}: {doc.code('npi', who.npi, valid=who.npi_valid, role=role)}")


def insurance_card(doc: Doc, draw: Draw, pv: PatientView, rx_bin: str) -> None:
    doc.title(draw.pick(("Member ID Card (copy)", "INSURANCE CARD - FRONT", "Health plan card")))
    doc.line(pv.payer)
    doc.line(kv(draw.pick(("Member", "Name", "Subscriber")), pv.person.printed_name(draw)))
    if pv.member is not None:
        doc.line(
            kv(
                draw.label("member_id"),
                doc.code("member_id", pv.member.value, printed=pv.member.printed, family=pv.member.family),
            )
        )
    if pv.group:
        doc.line(kv(draw.label("group", allow_none=False), doc.code("group_number", pv.group)))
    doc.line(f"RxBIN {doc.decoy('rx_bin', rx_bin)}   RxPCN {draw.pick(('ADV', 'MEDDADV', 'RXCARE'))}")
    doc.line(f"Member services {doc.decoy('phone', '1-800-555-01' + f'{draw.between(0, 99):02d}')}")


def order_lines_table(doc: Doc, draw: Draw, lines: list[dict[str, Any]]) -> None:
    """Service lines: {code, kind (cpt|hcpcs), desc, units?, modifiers?}."""
    style = draw.between(0, 2)
    if style == 0:
        rows = []
        for ln in lines:
            code = doc.code(ln["kind"], ln["code"], modifiers=ln.get("modifiers", []), units=ln.get("units"), role="order")
            mods = " ".join(ln.get("modifiers", []))
            rows.append([code, ln["desc"], mods or "-", str(ln["units"]) if ln.get("units") else ""])
        doc.table([draw.pick(("Code", "CPT/HCPCS", "Procedure code")), "Description", "Mod", "Units"], rows)
    elif style == 1:
        items = []
        for ln in lines:
            code = doc.code(ln["kind"], ln["code"], modifiers=ln.get("modifiers", []), units=ln.get("units"), role="order")
            mods = "-" + "-".join(ln["modifiers"]) if ln.get("modifiers") else ""
            units = f", {ln['units']} unit(s)" if ln.get("units") else ""
            items.append(f"{ln['desc']} ({ln['kind'].upper()} {code}{mods}){units}")
        doc.bullets(items)
    else:
        parts = []
        for ln in lines:
            code = doc.code(ln["kind"], ln["code"], modifiers=ln.get("modifiers", []), units=ln.get("units"), role="order")
            mods = " " + " ".join(ln["modifiers"]) if ln.get("modifiers") else ""
            units = f" x{ln['units']}" if ln.get("units") else ""
            parts.append(f"{code}{mods}{units} {ln['desc'].lower()}")
        doc.prose("Please perform: " + "; ".join(parts) + ".")


def diagnosis_lines(doc: Doc, draw: Draw, dx: list[dict[str, str]], *, header: str | None = None) -> None:
    """dx entries: {code, text, assertion (present|negated|historical)}."""
    if not dx:
        return
    doc.heading(header or draw.pick(("Diagnosis", "Diagnoses", "ICD-10", "Dx", "Indication")))
    items = []
    for entry in dx:
        code = doc.code("icd10", entry["code"], assertion=entry.get("assertion", "present"))
        text = entry["text"]
        if entry.get("assertion") == "negated":
            items.append(draw.pick((f"{text} ({code}) - ruled out", f"Ruled out: {text}, {code}", f"{code} {text}: excluded")))
        elif entry.get("assertion") == "historical":
            items.append(draw.pick((f"History of {text.lower()} ({code})", f"{code} {text} - resolved, historical")))
        else:
            items.append(draw.pick((f"{code} {text}", f"{text} ({code})", f"{text} - {code}")))
    if draw.chance(0.5):
        doc.bullets(items, numbered=draw.chance(0.5))
    else:
        doc.prose("; ".join(items) + ".")
