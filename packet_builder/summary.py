"""What the cover sheet says: the request's own values, else the best value read from the
documents (marked as read, so staff know to verify it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from extractors import icd10
from extractors.models import DocumentExtraction

from .clocks import Deadline
from .evidence import assertion_of, norm_id
from .hcpcs import describe_code
from .report import CompletenessReport
from .request import Sender, ServiceRequest

READ_MARK = " (read from documents)"
SENDER_SETTINGS = (
    "PRECERT_PRACTICE_NAME",
    "PRECERT_PRACTICE_CONTACT",
    "PRECERT_PRACTICE_PHONE",
    "PRECERT_PRACTICE_FAX",
    "PRECERT_PRACTICE_EMAIL",
)
SENDER_MISSING = f"not configured (set {', '.join(SENDER_SETTINGS)})"


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
    """Present diagnoses, "code description"; a description the extraction lacks comes from
    the ICD-10-CM code set."""
    seen: dict[str, str] = {}
    for doc in extractions:
        for v in doc.fields.get("icd10", ()):
            if assertion_of(v) != "present":
                continue
            code = str(v.value).strip().upper()
            desc = str(v.attributes.get("description") or "")
            if code not in seen or (desc and not seen[code]):
                seen[code] = desc
    out = []
    for code, desc in sorted(seen.items()):
        if not desc:
            entry = icd10.lookup(code)
            desc = entry.description if entry else ""
        out.append(f"{code} {desc}".strip())
    return out


def _given_or_read(given: str | None, extractions: Sequence[DocumentExtraction], name: str) -> str:
    if given:
        return given
    read = best_value(extractions, name)
    return f"{read}{READ_MARK}" if read else "not found"


def member_id_for_stamp(request: ServiceRequest, extractions: Sequence[DocumentExtraction]) -> str | None:
    return request.member_id or best_value(extractions, "member_id")


def recipient(request: ServiceRequest, extractions: Sequence[DocumentExtraction], report: CompletenessReport) -> str:
    """The cover's "To": the payer, and its fax number or else the channel its overlay names."""
    payer = _given_or_read(request.payer_name, extractions, "payer_name")
    if request.payer_fax:
        return f"{payer} \u00b7 fax {request.payer_fax}"
    channels = [str(o["channel"]) for o in report.overlays if o.get("channel")]
    return (f"{payer} \u00b7 via " + "; ".join(channels)) if channels else payer


def sender_line(sender: Sender) -> str:
    parts = [
        sender.practice,
        f"Attn: {sender.contact}" if sender.contact else None,
        f"Phone {sender.phone}" if sender.phone else None,
        f"Fax {sender.fax}" if sender.fax else None,
        sender.email,
    ]
    given = [p for p in parts if p and p.strip()]
    return " \u00b7 ".join(given) if given else SENDER_MISSING


def requested_services(request: ServiceRequest, report: CompletenessReport) -> str:
    """Every code line as the payer will read it: code, modifiers, units, and what it is."""
    label_of_code = {code: s.label for s in report.services for code in (*s.codes, *s.companions)}
    out = []
    for line in request.service_lines:
        text = describe_code(line.code, label_of_code.get(line.code))
        extras = []
        if line.modifiers:
            extras.append("modifiers " + " ".join(line.modifiers))
        units = request.units_of(line.code)
        if units:
            extras.append(f"{units} units")
        role, _ = report.line_role(line.code)
        if role == "unknown":
            extras.append("no documentation requirements known")
        elif role == "companion" and line.code not in label_of_code:
            extras.append("companion code without its service")
        out.append(f"{text} ({', '.join(extras)})" if extras else text)
    return "; ".join(out) or "none given"


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
    sender: Sender,
    total_pages: int,
    part: str | None = None,
    first_forms: Sequence[str] = (),
) -> list[tuple[str, str]]:
    """(label, value) rows of the cover sheet, fax cover first (To, From, Pages)."""
    counts = report.counts()
    status = f"{report.status.upper()}: {counts['met']} met, {counts['missing']} missing, {counts['review']} to review"
    packet = f"v{version}" + (f" (supersedes v{previous_version})" if previous_version else "")
    channels = [f"{o['label']}: {o['channel']}" for o in report.overlays if o.get("channel")]
    service_details = [
        ("Units", str(request.units)) if request.units else None,
        ("Date of service", request.date_of_service.isoformat()) if request.date_of_service else None,
        ("Place of service", request.place_of_service) if request.place_of_service else None,
        ("Episode", request.episode) if request.episode != "initial" else None,
        ("Network", "out of network") if request.out_of_network else None,
    ]
    extra = [row for row in service_details if row is not None]
    if channels:
        extra.append(("Submit via", "; ".join(channels)))
    if first_forms:
        extra.append(("Form required first", "; ".join(first_forms)))
    head = [
        ("To", recipient(request, extractions, report)),
        ("From", sender_line(sender)),
        ("Pages", f"{total_pages} including this cover"),
    ]
    if part:
        head.append(("Part", part))
    return [
        *head,
        ("Member ID", _given_or_read(request.member_id, extractions, "member_id")),
        ("Patient name", _given_or_read(request.patient_name, extractions, "patient_name")),
        ("Date of birth", _given_or_read(request.patient_dob, extractions, "patient_dob")),
        ("Payer", _given_or_read(request.payer_name, extractions, "payer_name")),
        ("Plan type", (request.plan_type or "not given").replace("_", " ")),
        ("State", request.state or "not given"),
        ("Requested service", requested_services(request, report)),
        *extra,
        ("Diagnoses", "; ".join(diagnoses(extractions)) or "none documented"),
        ("Urgency", request.urgency),
        ("Request date", request.request_date.isoformat()),
        ("Decision due", f"{deadline.due_at.isoformat(timespec='minutes')} - {deadline.rule}"),
        ("Case", case_id + (f" (reference {request.reference})" if request.reference else "")),
        ("Packet version", packet),
        ("Created", created_at.isoformat(timespec="seconds")),
        ("Completeness", status),
        ("Catalog version", report.catalog_version),
    ]
