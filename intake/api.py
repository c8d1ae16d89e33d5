"""REST API under /api/v1 (DESIGN.md's public contract). Routes parse, call a service, shape."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from extractors.errors import PrecertError
from intake import packets
from intake.db import Case, Document, Packet
from intake.deps import QueueDep, RuntimeDep, UserDep
from intake.packet_api import router as packet_router
from intake.processing import assign_to_case
from intake.receive import NotFoundError, Upload, receive
from intake.schemas import CaseCreate, PlanType, case_json, document_json, iso, packet_json
from packet_builder.catalog import load_catalog
from packet_builder.catalog_page import rows
from packet_builder.overlay import load_overlays
from packet_builder.precert_required import precert_required
from packet_builder.request import parse_service_lines

router = APIRouter(prefix="/api/v1")
DocumentStatus = Literal["received", "processing", "extracted", "failed"]
Source = Literal["web", "api", "inbox"]
MAX_LIST = 500


async def _read_limited(file: UploadFile, limit: int) -> bytes:
    # Read one byte past the limit so an oversize file is refused without reading all of it.
    return await file.read(limit + 1)


@router.post("/cases", status_code=201, tags=["cases"])
def create_case(body: CaseCreate, rt: RuntimeDep, _user: UserDep) -> dict[str, Any]:
    # Any well-formed code is taken: one without documentation requirements is the check's
    # `review`, not a refusal.
    with rt.sessions() as session:
        case = Case(
            **body.model_dump(exclude={"patient_dob", "request_date"}),
            # A person or tool opening the case makes the request that day; only a case the
            # inbox opens has no request date until someone enters it.
            request_date=body.request_date or date.today(),
            created_by="api",
            patient_dob=body.patient_dob.isoformat() if body.patient_dob else None,
        )
        session.add(case)
        session.commit()
        return case_json(case)


@router.get("/cases", tags=["cases"])
def list_cases(
    rt: RuntimeDep,
    _user: UserDep,
    status: Literal["open", "closed"] | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIST)] = 100,
) -> dict[str, Any]:
    with rt.sessions() as session:
        query = select(Case).order_by(Case.created_at.desc()).limit(limit)
        if status:
            query = query.where(Case.status == status)
        return {"cases": [case_json(c) for c in session.scalars(query)]}


@router.get("/cases/{case_id}", tags=["cases"])
def get_case(case_id: str, rt: RuntimeDep, _user: UserDep) -> dict[str, Any]:
    with rt.sessions() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise NotFoundError(f"Case {case_id} does not exist.")
        out = case_json(case)
        out["documents"] = [document_json(d, full=False) for d in case.documents]
        out["packets"] = [
            packet_json(p) for p in session.scalars(select(Packet).where(Packet.case_id == case_id).order_by(Packet.version))
        ]
        return out


async def receive_uploads(rt: Any, queue: Any, files: list[UploadFile], source: str, case_id: str | None) -> dict[str, Any]:
    """Each file is accepted or refused on its own; a refused file in a batch does not hide the
    accepted ones (they are stored and listed). All refused -> the first refusal is raised."""
    results: list[dict[str, Any]] = []
    errors: list[PrecertError] = []
    for file in files:
        data = await _read_limited(file, rt.settings.max_upload_bytes)
        upload = Upload(file.filename or "upload", data, source)
        try:
            received = await run_in_threadpool(receive, rt, queue, upload, case_id=case_id)
        except NotFoundError:
            raise
        except PrecertError as exc:
            errors.append(exc)
            results.append({"filename": upload.filename, "status": "rejected", "error": {"error": exc.code, "detail": str(exc)}})
            continue
        results.append(document_json(received.document, full=False, duplicate=received.duplicate))
    if errors and len(errors) == len(results):
        if len(errors) > 1:  # every reason, under the first one's code and status
            errors[0].args = (" | ".join(str(e) for e in errors),)
        raise errors[0]
    return {"documents": results}


@router.post("/cases/{case_id}/documents", status_code=202, tags=["documents"])
async def upload_to_case(
    case_id: str, files: list[UploadFile], rt: RuntimeDep, queue: QueueDep, _user: UserDep
) -> dict[str, Any]:
    return await receive_uploads(rt, queue, files, "api", case_id)


@router.post("/documents", status_code=202, tags=["documents"])
async def upload_ungrouped(files: list[UploadFile], rt: RuntimeDep, queue: QueueDep, _user: UserDep) -> dict[str, Any]:
    return await receive_uploads(rt, queue, files, "api", None)


@router.get("/documents", tags=["documents"])
def list_documents(
    rt: RuntimeDep,
    _user: UserDep,
    case_id: str | None = None,
    status: DocumentStatus | None = None,
    source: Source | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIST)] = 100,
) -> dict[str, Any]:
    with rt.sessions() as session:
        query = select(Document).order_by(Document.created_at.desc()).limit(limit)
        if case_id:
            query = query.where(Document.case_id == case_id)
        if status:
            query = query.where(Document.status == status)
        if source:
            query = query.where(Document.source == source)
        return {"documents": [document_json(d, full=False) for d in session.scalars(query)]}


@router.get("/documents/{document_id}", tags=["documents"])
def get_document(document_id: str, rt: RuntimeDep, _user: UserDep) -> dict[str, Any]:
    with rt.sessions() as session:
        doc = session.get(Document, document_id)
        if doc is None:
            raise NotFoundError(f"Document {document_id} does not exist.")
        return document_json(doc)


class CaseAssignment(BaseModel):
    model_config = ConfigDict(extra="forbid")
    case_id: str


@router.post("/documents/{document_id}/case", tags=["documents"])
def assign_document(document_id: str, body: CaseAssignment, rt: RuntimeDep, user: UserDep) -> dict[str, Any]:
    """Place a document in a case by hand (the staff queue of ambiguous or unidentified documents)."""
    return document_json(assign_to_case(rt, document_id, body.case_id, by=user.username), full=False)


@router.get("/documents/{document_id}/original", tags=["documents"])
def get_original(document_id: str, rt: RuntimeDep, _user: UserDep) -> Response:
    """The bytes exactly as they were received."""
    with rt.sessions() as session:
        doc = session.get(Document, document_id)
        if doc is None:
            raise NotFoundError(f"Document {document_id} does not exist.")
        sha256, content_type, filename = doc.sha256, doc.content_type, doc.filename
    data = rt.store.get_original(sha256)
    safe = "".join(ch for ch in filename if ch.isalnum() or ch in "._-") or "document"
    return Response(
        data, media_type=content_type, headers={"X-Checksum-SHA256": sha256, "Content-Disposition": f'inline; filename="{safe}"'}
    )


@router.get("/inbox/quarantine", tags=["documents"])
def list_quarantine(rt: RuntimeDep, _user: UserDep) -> dict[str, Any]:
    """Inbox files that could not be taken (wrong type, damaged, unknown case folder), with why."""
    return {
        "files": [
            {
                "key": q.key,
                "original_key": q.original_key,
                "size": q.size,
                "quarantined_at": iso(q.quarantined_at),
                "reason": q.reason,
            }
            for q in rt.store.list_quarantine()
        ]
    }


@router.get("/cases/{case_id}/completeness", tags=["cases"])
def get_completeness(case_id: str, rt: RuntimeDep, _user: UserDep) -> dict[str, Any]:
    out = packets.completeness(rt, case_id).to_json()
    with rt.sessions() as session:
        case = session.get(Case, case_id)
        out["precert_required"] = packets.precert_answers(case) if case is not None else []
    return out


@router.get("/precert-required", tags=["catalog"])
def get_precert_required(
    _user: UserDep,
    service: Annotated[list[str], Query(min_length=1, description="CPT/HCPCS code or service name; repeat for several")],
    plan_type: PlanType | None = None,
    state: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$")] = None,
    on: date | None = None,
) -> dict[str, Any]:
    """Is pre-certification required? One answer per service: yes, no or unknown, with the rule
    and its source."""
    codes = [line.code for line in parse_service_lines(service)]  # a malformed code: 422 naming it
    answers = precert_required(codes, plan_type=plan_type, state=state, on=on or date.today())
    return {"answers": [a.to_json() for a in answers]}


@router.get("/catalog", tags=["catalog"])
def get_catalog(_user: UserDep) -> dict[str, Any]:
    """Every service with its codes and requirements (what is checked, and the source)."""
    catalog = load_catalog()
    return {
        "catalog_version": catalog.version,
        "services": [
            {
                "id": s.id,
                "label": s.label,
                "family": s.family,
                "codes": list(s.codes),
                "aliases": list(s.aliases),
                "notes": list(s.notes),
                "requirements": [row.__dict__ for row in rows(s.requirements)],
            }
            for s in catalog.services
        ],
        "overlays": [o.to_json() for o in load_overlays()],
    }


# The packet hand-off routes (/cases/{id}/packets, /packets...) live in packet_api.py.
router.include_router(packet_router)
