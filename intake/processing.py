"""The document task: read and extract the stored original, then place it in a case."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update

from extractors.errors import InputFileError
from extractors.extract import extract_bytes
from extractors.models import ocr_words_to_json
from intake.db import Case, Document, utcnow
from intake.grouping import CaseIdentity, Identity, decide_case
from intake.logs import log_failure
from intake.runtime import Runtime

log = logging.getLogger(__name__)
OCR_WORDS = "ocr-words.json"


# A document in "processing" for longer than this is taken to be abandoned (its worker died) and
# may be claimed again; OCR of a 500-page fax takes a few minutes.
PROCESSING_LEASE = timedelta(minutes=30)


def claim(rt: Runtime, document_id: str) -> bool:
    """Mark the document as being processed by this worker, unless another holds it."""
    now = utcnow()
    with rt.sessions() as session:
        claimed = session.execute(
            update(Document)
            .where(
                Document.id == document_id,
                or_(
                    Document.status == "received",
                    and_(Document.status == "processing", Document.updated_at < now - PROCESSING_LEASE),
                ),
            )
            .values(status="processing", updated_at=now)
        ).rowcount
        session.commit()
    return bool(claimed)


def release(rt: Runtime, document_id: str) -> None:
    """Give the document back (a transient failure: the task's retry claims it again)."""
    with rt.sessions() as session:
        session.execute(
            update(Document).where(Document.id == document_id, Document.status == "processing").values(status="received")
        )
        session.commit()


def release_abandoned(rt: Runtime) -> int:
    """Every document marked as being processed goes back to "received" (only for a service
    that knows no worker is running anywhere, such as the embedded default at start)."""
    with rt.sessions() as session:
        count = session.execute(update(Document).where(Document.status == "processing").values(status="received")).rowcount
        session.commit()
    return count


def process_document(rt: Runtime, document_id: str) -> None:
    if not claim(rt, document_id):
        return  # done, failed, unknown, or in another worker's hands
    try:
        _process(rt, document_id)
    except Exception:
        release(rt, document_id)
        raise


def _process(rt: Runtime, document_id: str) -> None:
    with rt.sessions() as session:
        doc = session.get(Document, document_id)
        assert doc is not None
        sha, filename = doc.sha256, doc.filename

    data = rt.store.get_original(sha)
    try:
        extractions = extract_bytes(data, filename=filename, limits=rt.limits, ocr=rt.ocr)
    except InputFileError as exc:
        _fail(rt, document_id, str(exc))
        return
    except Exception as exc:
        log_failure(log, f"document {document_id}: extraction crashed", exc)
        _fail(
            rt,
            document_id,
            f"Internal error while reading the document ({type(exc).__name__}); it is kept and can be reprocessed.",
        )
        return

    payload = [e.with_document_id(document_id).to_json(include_text=True) for e in extractions]
    words = ocr_words_to_json([p for e in extractions for p in e.pages])
    if words["pages"]:
        # Kept beside the original, not in the database: the packet's searchable layer needs them.
        rt.store.put_derived(document_id, OCR_WORDS, json.dumps(words).encode(), "application/json")
    # Grouping reads the open cases and may open one: one document at a time, service-wide, or
    # two faxes of a new patient would open two cases.
    with rt.grouping_lock(), rt.sessions() as session:
        doc = session.get(Document, document_id)
        assert doc is not None
        doc.extraction = payload
        doc.doc_type = extractions[0].doc_type if extractions else "other"
        doc.pages = sum(len(e.pages) for e in extractions)
        if doc.case_id is None:
            _group(session, doc, payload)
        doc.status = "extracted"
        doc.error = None
        session.commit()
    log.info("document %s extracted: %s pages", document_id, sum(len(e.pages) for e in extractions))


def _fail(rt: Runtime, document_id: str, message: str) -> None:
    with rt.sessions() as session:
        doc = session.get(Document, document_id)
        if doc is not None:
            doc.status = "failed"
            doc.error = message
            session.commit()
    log.warning("document %s failed", document_id)


def best_value(payload: list[dict[str, Any]], name: str) -> str | None:
    best: tuple[float, str] | None = None
    for extraction in payload:
        for item in extraction.get("fields", {}).get(name, []):
            if name == "npi" and not item.get("valid", True):
                continue
            candidate = (float(item.get("confidence", 0)), str(item["value"]))
            if best is None or candidate > best:
                best = candidate
    return best[1] if best else None


def identity_of(payload: list[dict[str, Any]]) -> Identity:
    return Identity(best_value(payload, "member_id"), best_value(payload, "patient_name"), best_value(payload, "patient_dob"))


def case_identity(case: Case) -> Identity:
    """The case's own identity, filled in from its documents where staff left it blank."""
    member_id, name, dob = case.member_id, case.patient_name, case.patient_dob
    for doc in case.documents:
        if member_id and name and dob:
            break
        found = identity_of(doc.extraction or [])
        member_id, name, dob = member_id or found.member_id, name or found.patient_name, dob or found.patient_dob
    return Identity(member_id, name, dob)


def requested_lines(payload: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The code lines a document that opens a case asks for: every CPT/HCPCS code it prints,
    with the modifiers and units printed beside it (an order lists the device and its supplies)."""
    lines: dict[str, dict[str, Any]] = {}
    for e in payload:
        for name in ("cpt", "hcpcs"):
            for item in e.get("fields", {}).get(name, []):
                code = str(item["value"]).strip().upper()
                line = lines.setdefault(code, {"code": code, "modifiers": [], "units": None})
                for m in item.get("modifiers") or ():
                    if str(m).upper() not in line["modifiers"] and len(line["modifiers"]) < 4:
                        line["modifiers"].append(str(m).upper())
                units = item.get("units")
                if line["units"] is None and isinstance(units, int) and 1 <= units <= 100000:
                    line["units"] = units
    return [lines[c] for c in sorted(lines)]


def _group(session: Any, doc: Document, payload: list[dict[str, Any]]) -> None:
    identity = identity_of(payload)
    open_cases = session.scalars(select(Case).where(Case.status == "open")).all()
    decision = decide_case(identity, [CaseIdentity(c.id, case_identity(c)) for c in open_cases])
    if decision.outcome == "matched":
        doc.case_id = decision.case_id
    elif decision.outcome == "new_case":
        lines = requested_lines(payload)
        case = Case(
            service_codes=[line["code"] for line in lines],
            service_lines=lines,
            member_id=identity.member_id,
            patient_name=identity.patient_name,
            patient_dob=identity.patient_dob,
            created_by=doc.source,
        )
        session.add(case)
        session.flush()
        doc.case_id = case.id
    doc.grouping = decision.to_json() | {"case_id": doc.case_id}


def assign_to_case(rt: Runtime, document_id: str, case_id: str, *, by: str) -> Document:
    """A person places a document (from the staff queue, or a misgrouped one) in a case."""
    from intake.receive import NotFoundError

    with rt.grouping_lock(), rt.sessions() as session:
        doc = session.get(Document, document_id)
        if doc is None:
            raise NotFoundError(f"Document {document_id} does not exist.")
        if session.get(Case, case_id) is None:
            raise NotFoundError(f"Case {case_id} does not exist.")
        previous = doc.case_id
        doc.case_id = case_id
        doc.grouping = {
            "outcome": "assigned",
            "case_id": case_id,
            "previous_case_id": previous,
            "reason": f"assigned by {by}",
            "candidates": [],
        }
        session.commit()
        log.info("document %s assigned to case %s", document_id, case_id)
        return doc
