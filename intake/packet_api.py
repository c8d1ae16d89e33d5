"""The hand-off API under /api/v1/packets: what downstream submission tools are written against.

List (filters, cursor pages in the order packets last changed), one packet, its files (streamed
and checksum-verified, or a short-lived presigned link), and the submission and decision they
report back.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import RedirectResponse, Response, StreamingResponse
from sqlalchemy import and_, or_, select

from extractors.errors import InvalidRequestError
from intake import handoff, packets
from intake.db import Case, Packet
from intake.deps import QueueDep, RuntimeDep, UserDep
from intake.packet_status import STATUSES, utc
from intake.receive import NotFoundError
from intake.runtime import Runtime
from intake.schemas import DecisionIn, SubmissionIn, packet_json

log = logging.getLogger(__name__)
# Mounted under /api/v1 by intake.api (its router includes this one).
router = APIRouter(tags=["packets"])
PacketStatus = Literal["building", "ready", "failed", "submitted", "pended", "approved", "denied", "superseded"]
assert set(PacketStatus.__args__) == set(STATUSES)  # type: ignore[attr-defined]
MAX_PAGE = 500
CHUNK = 256 * 1024


@router.post("/cases/{case_id}/packets", status_code=202)
def create_packet(case_id: str, rt: RuntimeDep, queue: QueueDep, _user: UserDep) -> dict[str, Any]:
    return packet_json(packets.request_packet(rt, queue, case_id))


def encode_cursor(updated_at: datetime, packet_id: str) -> str:
    raw = json.dumps([utc(updated_at).isoformat(), packet_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        moment, packet_id = json.loads(raw)
        return utc(datetime.fromisoformat(moment)), str(packet_id)
    except (ValueError, TypeError, binascii.Error) as exc:
        raise InvalidRequestError("cursor is not one this service gave out: start again without it") from exc


@router.get("/packets")
def list_packets(
    rt: RuntimeDep,
    _user: UserDep,
    status: Annotated[list[PacketStatus] | None, Query(description="repeat for several")] = None,
    case_id: str | None = None,
    payer: Annotated[str | None, Query(max_length=200, description="part of the payer's name, any case")] = None,
    state: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$")] = None,
    urgency: Literal["standard", "urgent"] | None = None,
    due_before: Annotated[datetime | None, Query(description="decision due before this time")] = None,
    updated_since: Annotated[datetime | None, Query(description="changed at or after this time")] = None,
    overdue: Annotated[bool | None, Query(description="submitted and past the decision due date")] = None,
    cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
) -> dict[str, Any]:
    """Packets in the order they last changed (oldest change first), so a tool that keeps the
    last `next_cursor` (or the last `updated_at` as `updated_since`) sees every later change:
    a packet that changes again moves to the end and is listed again."""
    now = datetime.now(UTC)
    query = select(Packet, Case).join(Case, Case.id == Packet.case_id)
    if status:
        query = query.where(Packet.status.in_(status))
    if case_id:
        query = query.where(Packet.case_id == case_id)
    if payer:
        query = query.where(Case.payer_name.ilike(f"%{payer.strip()}%"))
    if state:
        query = query.where(Case.state == state.upper())
    if urgency:
        query = query.where(Case.urgency == urgency)
    if due_before:
        query = query.where(Packet.due_at < utc(due_before))
    if updated_since:
        query = query.where(Packet.updated_at >= utc(updated_since))
    if overdue is not None:
        late = and_(Packet.status.in_(handoff.AWAITING_DECISION), Packet.due_at < now)
        query = query.where(late if overdue else ~late)
    if cursor:
        after, after_id = decode_cursor(cursor)
        query = query.where(or_(Packet.updated_at > after, and_(Packet.updated_at == after, Packet.id > after_id)))
    query = query.order_by(Packet.updated_at, Packet.id).limit(limit + 1)
    with rt.sessions() as session:
        rows = session.execute(query).all()
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1][0] if rows else None
    return {
        "packets": [packet_json(p, case=c, now=now) for p, c in rows],
        "next_cursor": encode_cursor(last.updated_at, last.id) if (more and last is not None) else None,
    }


@router.get("/packets/{packet_id}")
def get_packet(packet_id: str, rt: RuntimeDep, _user: UserDep) -> dict[str, Any]:
    with rt.sessions() as session:
        packet = handoff.get_packet(session, packet_id)
        return packet_json(packet, case=session.get(Case, packet.case_id))


def _verified_chunks(rt: Runtime, key: str, version_id: str | None, sha256: str, packet_id: str) -> Iterator[bytes]:
    """The object's bytes, checked against the recorded SHA-256 as they go. The last chunk is
    held back until the whole file is checked: on a mismatch the response ends short of its
    Content-Length, so no client can take a corrupted file for a whole one."""
    response = rt.store.open_stored(key, version_id)
    digest = hashlib.sha256()
    held: bytes | None = None
    try:
        for chunk in response.stream(CHUNK):
            digest.update(chunk)
            if held is not None:
                yield held
            held = chunk
        if digest.hexdigest() != sha256:
            log.error("stored packet file of packet %s does not match its checksum: download aborted", packet_id)
            raise OSError(f"stored file of packet {packet_id} does not match its checksum")
        if held is not None:
            yield held
    finally:
        response.close()
        response.release_conn()


@router.get("/packets/{packet_id}/files/{name}")
def get_packet_file(
    packet_id: str,
    name: str,
    rt: RuntimeDep,
    _user: UserDep,
    redirect: Annotated[
        Literal["presigned"] | None, Query(description="presigned: answer 307 with a short-lived S3 link")
    ] = None,
) -> Response:
    """The file's bytes, streamed, with Content-Length and its SHA-256 (X-Checksum-SHA256 in
    hex, Repr-Digest in base64) so the client can check what it received."""
    with rt.sessions() as session:
        packet = handoff.get_packet(session, packet_id)
        entry = next((f for f in packet.files or [] if f["name"] == name), None)
        if entry is None:
            names = ", ".join(f["name"] for f in packet.files or []) or "none yet (status " + packet.status + ")"
            raise NotFoundError(f"Packet {packet_id} has no file '{name}'. Files: {names}.")
        key = packets.packet_key(packet.case_id, packet.version, name)
        download = f"case-{packet.case_id}-v{packet.version}-{name}"
    checksum_headers = {
        "X-Checksum-SHA256": entry["sha256"],
        "Repr-Digest": f"sha-256=:{base64.b64encode(bytes.fromhex(entry['sha256'])).decode()}:",
        "ETag": f'"{entry["sha256"]}"',
        "Cache-Control": "private, no-store",
    }
    if redirect == "presigned":
        url = rt.store.presigned_get(
            key, seconds=rt.settings.presigned_seconds, filename=download, version_id=entry.get("version_id")
        )
        return RedirectResponse(url, status_code=307, headers=checksum_headers)
    return StreamingResponse(
        _verified_chunks(rt, key, entry.get("version_id"), entry["sha256"], packet_id),
        media_type=packets.content_type_of(name),
        headers={
            **checksum_headers,
            "Content-Length": str(entry["size"]),
            "Content-Disposition": f'attachment; filename="{download}"',
        },
    )


def _now_if_none(moment: datetime | None) -> datetime:
    return utc(moment) if moment else datetime.now(UTC)


@router.post("/packets/{packet_id}/submission")
def post_submission(packet_id: str, body: SubmissionIn, rt: RuntimeDep, user: UserDep) -> dict[str, Any]:
    """Record that the packet was sent to the payer. Its decision due date is counted from
    `submitted_at`. 409 when the packet is not ready (or pended); the same submission again is
    accepted unchanged."""
    submission = handoff.Submission(
        channel=body.channel,
        submitted_at=_now_if_none(body.submitted_at),
        payer_reference=body.payer_reference,
        note=body.note,
    )
    packet = handoff.record_submission(rt, packet_id, submission, by=user.username)
    return get_packet(packet.id, rt, user)


@router.post("/packets/{packet_id}/decision")
def post_decision(packet_id: str, body: DecisionIn, rt: RuntimeDep, user: UserDep) -> dict[str, Any]:
    """Record the payer's decision on a submitted (or pended) packet: approved (authorization
    number, dates, units, conditions), denied (the payer's specific reason) or pended (what the
    payer asked for). 409 when the packet was not submitted or is already decided."""
    fields = body.model_dump(exclude={"decided_at"})
    decision = handoff.Decision(decided_at=_now_if_none(body.decided_at), **fields)
    packet = handoff.record_decision(rt, packet_id, decision, by=user.username)
    return get_packet(packet.id, rt, user)
