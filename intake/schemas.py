"""HTTP request and response shapes (the public contract of DESIGN.md: add fields, rename none)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from extractors.errors import InvalidRequestError
from intake.db import Case, Document, Packet
from intake.packet_status import is_overdue
from packet_builder.request import ServiceLine, parse_service_lines

PlanType = Literal["commercial", "medicare", "medicare_advantage", "medicaid", "medicaid_managed_care"]
MAX_LINES = 30


class ServiceLineIn(BaseModel):
    """One code line: the code with its modifiers and units."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(max_length=40, examples=["97110"])
    modifiers: list[str] = Field(default_factory=list, max_length=4, examples=[["GP"]])
    units: int | None = Field(default=None, ge=1, le=100000)


class CaseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Codes, or code lines as typed ("97110-GP x4"); every line is kept with its modifiers and units.
    service_codes: list[str] = Field(default_factory=list, max_length=MAX_LINES, examples=[["E0601", "A7030", "E0562"]])
    service_lines: list[ServiceLineIn] = Field(default_factory=list, max_length=MAX_LINES)
    payer_name: str | None = Field(default=None, max_length=200)
    plan_type: PlanType | None = None
    state: str | None = Field(default=None, pattern=r"^[A-Za-z]{2}$")
    urgency: Literal["standard", "urgent"] = "standard"
    request_date: date | None = None
    member_id: str | None = Field(default=None, max_length=80)
    patient_name: str | None = Field(default=None, max_length=200)
    patient_dob: date | None = None
    reference: str | None = Field(default=None, max_length=200)
    date_of_service: date | None = Field(default=None, description="anticipated date of service")
    place_of_service: str | None = Field(default=None, pattern=r"^\d{1,2}$", description="CMS 2-digit place-of-service code")
    units: int | None = Field(default=None, ge=1, le=100000)
    episode: Literal["initial", "continuation"] = "initial"
    out_of_network: bool = False
    payer_fax: str | None = Field(
        default=None, pattern=r"^[0-9()+.\- ]{7,40}$", description="the payer's fax number, for the cover sheet"
    )

    @model_validator(mode="after")
    def _lines(self) -> CaseCreate:
        try:
            lines = [ServiceLine.from_json(line.model_dump()) for line in self.service_lines]
            lines += list(parse_service_lines(self.service_codes))
        except InvalidRequestError as exc:
            raise ValueError(str(exc)) from exc
        if not lines:
            raise ValueError("at least one CPT/HCPCS service code is required")
        self.service_lines = [ServiceLineIn(**line.to_json()) for line in lines]
        self.service_codes = list(dict.fromkeys(line.code for line in lines))
        return self

    @field_validator("state")
    @classmethod
    def _state(cls, state: str | None) -> str | None:
        return state.upper() if state else None


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 with its UTC offset (SQLite hands datetimes back without one; they are UTC)."""
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def case_lines(case: Case) -> list[dict[str, Any]]:
    """Every code line of the case (a case from before code lines has bare codes)."""
    if case.service_lines:
        return list(case.service_lines)
    return [{"code": c, "modifiers": [], "units": None} for c in case.service_codes or ()]


def unset_fields(case: Case) -> list[str]:
    """Case fields nobody entered: an inbox case has neither a request date nor a payer."""
    out = []
    if case.request_date is None:
        out.append("request_date")
    if not case.payer_name:
        out.append("payer_name")
    return out


def case_json(case: Case) -> dict[str, Any]:
    return {
        "id": case.id,
        "reference": case.reference,
        "service_codes": case.service_codes,
        "service_lines": case_lines(case),
        "payer_name": case.payer_name,
        "plan_type": case.plan_type,
        "state": case.state,
        "urgency": case.urgency,
        "request_date": case.request_date.isoformat() if case.request_date else None,
        "member_id": case.member_id,
        "patient_name": case.patient_name,
        "patient_dob": case.patient_dob,
        "date_of_service": case.date_of_service.isoformat() if case.date_of_service else None,
        "place_of_service": case.place_of_service,
        "units": case.units,
        "episode": case.episode or "initial",
        "out_of_network": bool(case.out_of_network),
        "payer_fax": case.payer_fax,
        "unset": unset_fields(case),
        "status": case.status,
        "created_by": case.created_by,
        "created_at": iso(case.created_at),
        "updated_at": iso(case.updated_at),
    }


def document_json(doc: Document, *, full: bool = True, duplicate: bool | None = None) -> dict[str, Any]:
    extraction = doc.extraction or []
    out: dict[str, Any] = {
        "id": doc.id,
        "case_id": doc.case_id,
        "source": doc.source,
        "filename": doc.filename,
        "content_type": doc.content_type,
        "size": doc.size,
        "sha256": doc.sha256,
        "status": doc.status,
        "error": doc.error,
        "doc_type": doc.doc_type,
        "pages": doc.pages,
        "grouping": doc.grouping,
        "created_at": iso(doc.created_at),
    }
    if duplicate is not None:
        out["duplicate"] = duplicate
    if full:
        # One input file may hold several logical documents; `fields` merges them for
        # convenience, `documents` keeps each with its page range.
        merged: dict[str, list[Any]] = {}
        for e in extraction:
            for name, values in e.get("fields", {}).items():
                merged.setdefault(name, []).extend(values)
        out["fields"] = merged
        out["documents"] = [{k: v for k, v in e.items() if k != "page_text"} for e in extraction]
        # Pages a person should look at (unreadable, or read poorly), across the file.
        out["pages_to_review"] = sorted({page for e in extraction for page in e.get("pages_to_review", [])})
    return out


def packet_json(packet: Packet, *, case: Case | None = None, now: datetime | None = None) -> dict[str, Any]:
    """A packet as downstream tools see it; with its case, the values they route and filter by."""
    files = [{**f, "url": f"/api/v1/packets/{packet.id}/files/{f['name']}"} for f in packet.files or []]
    out: dict[str, Any] = {
        "id": packet.id,
        "case_id": packet.case_id,
        "version": packet.version,
        "status": packet.status,
        "error": packet.error,
        "completeness": packet.completeness,
        "due_at": iso(packet.due_at),
        "due_rule": packet.due_rule,
        "overdue": is_overdue(packet, now),
        "files": files,
        "submission": packet.submission,
        "decision": packet.decision,
        "history": packet.history or [],
        "created_at": iso(packet.created_at),
        "updated_at": iso(packet.updated_at),
    }
    if case is not None:
        out["case"] = {
            "reference": case.reference,
            "service_codes": case.service_codes,
            "payer_name": case.payer_name,
            "payer_fax": case.payer_fax,
            "plan_type": case.plan_type,
            "state": case.state,
            "urgency": case.urgency,
            "member_id": case.member_id,
        }
    return out


class SubmissionIn(BaseModel):
    """What a downstream tool reports after sending a packet."""

    model_config = ConfigDict(extra="forbid")

    channel: Literal["fax", "portal", "x12_278", "fhir_pas", "phone", "mail", "email", "other"]
    payer_reference: str | None = Field(default=None, max_length=120, description="the payer's tracking or case number")
    submitted_at: datetime | None = Field(default=None, description="when the payer received it; default now")
    note: str | None = Field(default=None, max_length=2000)


class DecisionIn(BaseModel):
    """The payer's answer. approved: authorization number and dates; denied: the payer's specific
    reason; pended: what the payer asked for."""

    model_config = ConfigDict(extra="forbid")

    outcome: Literal["approved", "denied", "pended"]
    decided_at: datetime | None = Field(default=None, description="default now")
    payer_reference: str | None = Field(default=None, max_length=120)
    authorization_number: str | None = Field(default=None, max_length=80)
    authorized_from: date | None = None
    authorized_to: date | None = None
    authorized_units: int | None = Field(default=None, ge=1, le=100000)
    conditions: str | None = Field(default=None, max_length=2000)
    reason: str | None = Field(default=None, max_length=4000, description="denied: the payer's specific reason")
    reason_code: str | None = Field(default=None, max_length=40)
    requested: str | None = Field(default=None, max_length=4000, description="pended: what the payer asked for")
    respond_by: date | None = None

    @model_validator(mode="after")
    def _per_outcome(self) -> DecisionIn:
        given = {k for k, v in self.model_dump().items() if v is not None}
        if self.outcome == "approved":
            if not self.authorization_number:
                raise ValueError("an approval needs the payer's authorization_number")
            if self.authorized_from and self.authorized_to and self.authorized_to < self.authorized_from:
                raise ValueError("authorized_to is before authorized_from")
            wrong = given & {"reason", "reason_code", "requested", "respond_by"}
        elif self.outcome == "denied":
            if not (self.reason and self.reason.strip()):
                raise ValueError("a denial needs the payer's specific reason (CMS-0057-F requires payers to give one)")
            wrong = given & {
                "authorization_number",
                "authorized_from",
                "authorized_to",
                "authorized_units",
                "requested",
                "respond_by",
            }
        else:
            if not (self.requested and self.requested.strip()):
                raise ValueError("a pended decision needs what the payer asked for (requested)")
            wrong = given & {
                "authorization_number",
                "authorized_from",
                "authorized_to",
                "authorized_units",
                "reason",
                "reason_code",
            }
        if wrong:
            raise ValueError(f"{', '.join(sorted(wrong))} do not belong to a decision of outcome '{self.outcome}'")
        return self
