"""What the cover sheet says: the request's own values, else the best value read from the
documents (marked as read, so staff know to verify it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from extractors.models import DocumentExtraction

from .clocks import Deadline
from .evidence import assertion_of, norm_id
from .report import CompletenessReport
from .request import ServiceRequest

READ_MARK = " (read from documents)"


def best_value(extractions: Sequence[DocumentExtraction], name: str) -> str | None:
    """The value seen most confidently across documents: confidences of equal values (after
    normalising case, spaces and punctuation) add up, so agreement beats one sharp read."""
    groups: dict[str, list] = {}
    for doc in extractions:
        for v in doc.fields.get(name, ()):
            key = norm_id(v.value)
            if key:
                groups.setdefault(key, []).append(v)
    if not groups:
        return None
    best = max(groups.values(), key=lambda vs: sum(v.confidence for v in vs))  # first wins ties
    return str(max(best, key=lambda v: v.confidence).value)


def diagnoses(extractions: Sequence[DocumentExtraction]) -> list[str]:
    seen: dict[str, str] = {}
    for doc in extractions:
        for v in doc.fields.get("icd10", ()):
            if assertion_of(v) != "present":
                continue
            code = str(v.value).strip().upper()
            desc = str(v.attributes.get("description") or "")
            if code not in seen or (desc and not seen[code]):
                seen[code] = desc
    return [f"{code} {desc}".strip() for code, desc in sorted(seen.items())]


def _given_or_read(given: str | None, extractions: Sequence[DocumentExtraction], name: str) -> str:
    if given:
        return given
    read = best_value(extractions, name)
    return f"{read}{READ_MARK}" if read else "not found"


def cover_facts(
    *,
    case_id: str,
    version: int,
    previous_version: int | None,
    request: ServiceRequest,
    extractions: Sequence[DocumentExtraction],
    report: CompletenessReport,
    deadline: Deadline,
    created_at: datetime,
) -> list[tuple[str, str]]:
    services = "; ".join(f"{', '.join(s.codes)} - {s.label}" for s in report.services) or ", ".join(request.service_codes)
    counts = report.counts()
    status = f"{report.status.upper()}: {counts['met']} met, {counts['missing']} missing, {counts['review']} to review"
    packet = f"v{version}" + (f" (supersedes v{previous_version})" if previous_version else "")
    channels = [f"{o['label']}: {o['channel']}" for o in report.overlays if o.get("channel")]
    forms = [
        f"{o['first_form']['name']}" + (f" ({o['first_form']['form_id']})" if o["first_form"].get("form_id") else "")
        for o in report.overlays
        if o.get("first_form")
    ]
    service_details = [
        ("Date of service", request.date_of_service.isoformat()) if request.date_of_service else None,
        ("Place of service", request.place_of_service) if request.place_of_service else None,
        ("Units", str(request.units)) if request.units else None,
        ("Episode", request.episode) if request.episode != "initial" else None,
        ("Network", "out of network") if request.out_of_network else None,
    ]
    extra = [row for row in service_details if row is not None]
    if channels:
        extra.append(("Submit via", "; ".join(channels)))
    if forms:
        extra.append(("Form required first", "; ".join(forms)))
    return [
        ("Member ID", _given_or_read(request.member_id, extractions, "member_id")),
        ("Patient name", _given_or_read(request.patient_name, extractions, "patient_name")),
        ("Date of birth", _given_or_read(request.patient_dob, extractions, "patient_dob")),
        ("Payer", _given_or_read(request.payer_name, extractions, "payer_name")),
        ("Plan type", (request.plan_type or "not given").replace("_", " ")),
        ("State", request.state or "not given"),
        ("Requested service", services),
        *extra,
        ("Diagnoses", "; ".join(diagnoses(extractions)) or "none documented"),
        ("Urgency", request.urgency),
        ("Decision due", f"{deadline.due_at.isoformat(timespec='minutes')} - {deadline.rule}"),
        ("Request date", request.request_date.isoformat()),
        ("Case", case_id + (f" (reference {request.reference})" if request.reference else "")),
        ("Packet version", packet),
        ("Created", created_at.isoformat(timespec="seconds")),
        ("Completeness", status),
        ("Catalog version", report.catalog_version),
    ]
