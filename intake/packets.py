"""Packet versions: request one, build it in a worker, store its files once, supersede the old."""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from huey.exceptions import RetryTask
from sqlalchemy import func, select

from extractors.errors import PrecertError
from extractors.models import DocumentExtraction, extraction_from_json, with_ocr_words
from intake import webhooks
from intake.case_request import service_request
from intake.config import Settings
from intake.db import Case, Document, Packet, utcnow
from intake.handoff import add_history, supersede
from intake.logs import log_failure
from intake.packet_status import SUPERSEDABLE
from intake.processing import OCR_WORDS
from intake.receive import ConflictError, NotFoundError
from intake.runtime import Runtime
from intake.tasks import TaskQueue
from packet_builder.assemble import PacketDocument
from packet_builder.assemble import build_packet as assemble_packet
from packet_builder.checker import CompletenessReport, check
from packet_builder.clocks import decision_due
from packet_builder.precert_required import precert_required
from packet_builder.request import PacketOptions, Sender

log = logging.getLogger(__name__)
# How long a packet waits for its case's documents to be read before it gives up.
PACKET_WAIT = timedelta(hours=1)

CONTENT_TYPES = {"manifest.json": "application/json", "bundle.json": "application/fhir+json"}


def content_type_of(name: str) -> str:
    """packet.pdf and its parts (packet.part2.pdf) are PDFs; the JSON files say what they are."""
    if name.endswith(".pdf"):
        return "application/pdf"
    return CONTENT_TYPES.get(name, "application/octet-stream")


def packet_key(case_id: str, version: int, name: str) -> str:
    return f"packets/{case_id}/v{version}/{name}"


def packet_options(settings: Settings) -> PacketOptions:
    sender = Sender(
        practice=settings.practice_name,
        contact=settings.practice_contact,
        phone=settings.practice_phone,
        fax=settings.practice_fax,
        email=settings.practice_email,
    )
    return PacketOptions(
        sender=sender,
        max_part_bytes=int(settings.packet_part_mb * 1024 * 1024) or None,
        attachment_base_url=settings.public_url.rstrip("/") if settings.public_url else None,
        inline_attachments=settings.bundle_inline_attachments,
    )


def precert_answers(case: Case) -> list[dict[str, Any]]:
    """ "Is pre-cert required?" for the case's services, plan type and state (empty when a code
    is unknown: the completeness check reports that)."""
    request = service_request(case)
    try:
        return [
            a.to_json()
            for a in precert_required(
                request.service_codes, plan_type=request.plan_type, state=request.state, on=request.request_date
            )
        ]
    except PrecertError:
        return []


def case_extractions(case: Case) -> list[DocumentExtraction]:
    seen: set[str] = set()
    out = []
    for d in case.documents:
        if d.status == "extracted" and d.sha256 not in seen:
            seen.add(d.sha256)
            out.extend(extraction_from_json(e) for e in (d.extraction or []))
    return out


def packet_documents(rt: Runtime, documents: list[Document]) -> list[PacketDocument]:
    """Every document the case was given, once per content: read ones with what was read,
    failed ones with their error (the payer may still need their pages; nothing is dropped)."""
    out: list[PacketDocument] = []
    seen: set[str] = set()
    for d in documents:
        if d.sha256 in seen or d.status not in ("extracted", "failed"):
            continue  # the same bytes twice in one case (two doors, a resent fax) go in once
        seen.add(d.sha256)
        original = rt.store.get_original(d.sha256)
        if d.status == "failed":
            unread = DocumentExtraction(
                file=d.filename,
                doc_type="other",
                doc_type_confidence=0.0,
                pages=(),
                page_range=(1, max(d.pages or 1, 1)),
                fields={},
            )
            out.append(
                PacketDocument(
                    document_id=d.id,
                    filename=d.filename,
                    content_type=d.content_type,
                    sha256=d.sha256,
                    source=d.source,
                    original=original,
                    extraction=unread,
                    read_error=d.error or "the document could not be read",
                )
            )
            continue
        words = rt.store.get_derived(d.id, OCR_WORDS)
        words_json = json.loads(words) if words else {}
        out.extend(
            PacketDocument(
                document_id=d.id,
                filename=d.filename,
                content_type=d.content_type,
                sha256=d.sha256,
                source=d.source,
                original=original,
                extraction=with_ocr_words(extraction_from_json(e), words_json),
            )
            for e in (d.extraction or [])
        )
    return out


def completeness(rt: Runtime, case_id: str) -> CompletenessReport:
    with rt.sessions() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise NotFoundError(f"Case {case_id} does not exist.")
        return check(service_request(case), case_extractions(case))


def request_packet(rt: Runtime, queue: TaskQueue, case_id: str) -> Packet:
    with rt.sessions() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise NotFoundError(f"Case {case_id} does not exist.")
        if not case.service_codes:
            raise ConflictError("The case has no service codes: set the requested CPT/HCPCS codes before building a packet.")
        if not any(d.status in ("received", "processing", "extracted") for d in case.documents):
            raise ConflictError("The case has no readable documents yet: upload the clinical documents first.")
        version = (session.scalar(select(func.max(Packet.version)).where(Packet.case_id == case_id)) or 0) + 1
        packet = Packet(case_id=case_id, version=version, status="building")
        session.add(packet)
        session.commit()
    queue.build_packet(packet.id)
    return packet


def build_packet(rt: Runtime, packet_id: str) -> None:
    try:
        _build(rt, packet_id)
    except RetryTask:
        raise
    except Exception as exc:
        log_failure(log, f"packet {packet_id} failed", exc)
        with rt.sessions() as session:
            packet = session.get(Packet, packet_id)
            if packet is not None and packet.status == "building":
                packet.status = "failed"
                packet.error = f"The packet could not be built ({type(exc).__name__}). Request a new packet; if it fails again, report packet {packet_id}."
                session.commit()


def _build(rt: Runtime, packet_id: str) -> None:
    with rt.sessions() as session:
        packet = session.get(Packet, packet_id)
        if packet is None or packet.status != "building":
            return
        case = packet.case
        unread = [d for d in case.documents if d.status in ("received", "processing")]
        if unread:
            created = packet.created_at if packet.created_at.tzinfo else packet.created_at.replace(tzinfo=UTC)
            if datetime.now(UTC) - created < PACKET_WAIT:
                raise RetryTask()  # documents still being read; the packet waits for them
            packet.status = "failed"
            packet.error = (
                f"{len(unread)} document(s) were still not read after {PACKET_WAIT.total_seconds() / 3600:.0f} h; "
                "check them on the case page, then request a new packet."
            )
            session.commit()
            return
        request = service_request(case)
        packet_docs = packet_documents(rt, case.documents)
        report = check(request, [p.extraction for p in packet_docs if p.read_error is None])
        # The packet's own creation time, not the build's: a retried build writes the same bytes.
        now = packet.created_at if packet.created_at.tzinfo else packet.created_at.replace(tzinfo=UTC)
        deadline = decision_due(request, now)
        previous = session.scalar(
            select(Packet)
            .where(Packet.case_id == case.id, Packet.version < packet.version, Packet.status != "building")
            .order_by(Packet.version.desc())
        )
        files = assemble_packet(
            options=packet_options(rt.settings),
            case_id=case.id,
            version=packet.version,
            request=request,
            documents=packet_docs,
            report=report,
            deadline=deadline,
            created_at=now,
            previous_version=previous.version if previous else None,
        )
        listing = []
        for name, data in files.items():
            stored = rt.store.put_new(
                packet_key(case.id, packet.version, name),
                data,
                content_type_of(name),
                retain_days=rt.settings.packet_retention_days,
            )
            listing.append(
                {
                    "name": name,
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "size": len(data),
                    "version_id": stored.version_id,
                    "retained_until": stored.retained_until,
                }
            )
        packet.files = listing
        packet.completeness = report.status
        packet.due_at = deadline.due_at
        packet.due_rule = deadline.rule
        newer = session.scalar(
            select(Packet.id).where(
                Packet.case_id == case.id, Packet.version > packet.version, Packet.status.not_in(("building", "failed"))
            )
        )
        if newer:
            # Built out of order (v1 finishing after v2): only the newest version is ever "ready".
            add_history(packet, "superseded", "service", utcnow())
            packet.status = "superseded"
        else:
            add_history(packet, "ready", "service", utcnow())
            packet.status = "ready"
            for old in session.scalars(
                select(Packet).where(Packet.case_id == case.id, Packet.version < packet.version, Packet.status.in_(SUPERSEDABLE))
            ):
                supersede(session, old, packet)
            webhooks.record_event(
                session, "packet.ready", webhooks.event_data_for_packet(packet), dedupe_key=f"packet.ready:{packet.id}"
            )
        session.commit()
    log.info("packet %s ready", packet_id)
