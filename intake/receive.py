"""Receiving a file, the same for every door (web form, REST, inbox bucket):
check it, hash it, store the original, record it, enqueue it, and only then acknowledge."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from sqlalchemy import select

from extractors.errors import EmptyFileError, FileTooLargeError, PrecertError
from extractors.reader import inspect_file
from intake.db import Case, Document
from intake.logs import log_failure
from intake.runtime import Runtime
from intake.tasks import TaskQueue

log = logging.getLogger(__name__)


class NotFoundError(PrecertError):
    code = "not_found"
    http_status = 404


class ConflictError(PrecertError):
    code = "conflict"
    http_status = 409


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes
    source: str  # web | api | inbox
    inbox_key: str | None = None


@dataclass(frozen=True)
class Received:
    document: Document
    duplicate: bool


def safe_filename(name: str | None) -> str:
    base = (name or "upload").replace("\\", "/").rsplit("/", 1)[-1].strip() or "upload"
    return "".join(ch for ch in base if ch.isprintable())[:200]


def receive(rt: Runtime, queue: TaskQueue, upload: Upload, *, case_id: str | None) -> Received:
    data = upload.data
    if not data:
        raise EmptyFileError(f"'{safe_filename(upload.filename)}' is empty (0 bytes). Upload the document again.")
    if len(data) > rt.settings.max_upload_bytes:
        raise FileTooLargeError(
            f"'{safe_filename(upload.filename)}' is {len(data) / 1048576:.1f} MB; the limit is "
            f"{rt.settings.max_upload_mb} MB. Split the document or scan at 300 DPI in black and white."
        )
    try:
        info = inspect_file(data, limits=rt.limits)
    except PrecertError as exc:
        exc.args = (f"'{safe_filename(upload.filename)}': {exc}",)
        raise
    sha256 = hashlib.sha256(data).hexdigest()

    with rt.sessions() as session:
        if case_id is not None:
            if session.get(Case, case_id) is None:
                raise NotFoundError(f"Case {case_id} does not exist. Create it with POST /api/v1/cases first.")
            existing = session.scalar(select(Document).where(Document.case_id == case_id, Document.sha256 == sha256))
            if existing is not None:
                return Received(existing, duplicate=True)

    rt.store.put_original(sha256, data, info.kind.content_type)  # durable before anything refers to it

    with rt.sessions() as session:
        doc = Document(
            case_id=case_id,
            source=upload.source,
            filename=safe_filename(upload.filename),
            content_type=info.kind.content_type,
            size=len(data),
            sha256=sha256,
            status="received",
            pages=info.pages,
            inbox_key=upload.inbox_key,
        )
        session.add(doc)
        session.commit()
    try:
        queue.process_document(doc.id)
    except Exception as exc:  # the document is durable: the sweep enqueues it later
        log_failure(log, f"document {doc.id} stored but not enqueued; the sweep will enqueue it", exc)
    log.info("document %s received from %s (%d bytes, %d pages)", doc.id, upload.source, len(data), info.pages)
    return Received(doc, duplicate=False)


def requeue_unfinished(rt: Runtime, queue: TaskQueue) -> int:
    """Documents stored but never processed (a crash between commit and enqueue, a lost queue)."""
    with rt.sessions() as session:
        ids = session.scalars(select(Document.id).where(Document.status.in_(("received", "processing")))).all()
    for document_id in ids:
        queue.process_document(document_id)
    return len(ids)
