"""The packet's life after it is built: submitted to the payer, then decided (approved, denied,
pended), or superseded by a newer version. Transitions not listed here are refused (HTTP 409)
with the reason and what to do instead; repeating the same submission or decision is a no-op, so
a downstream tool that retries after a timeout is safe.

    building -> ready | failed
    ready    -> submitted | superseded
    submitted -> approved | denied | pended          (the decision; its clock runs from submission)
    pended   -> submitted (answered, same packet) | approved | denied | superseded (a new version)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from extractors.errors import InvalidRequestError
from intake import webhooks
from intake.case_request import service_request
from intake.db import Case, Packet
from intake.packet_status import AWAITING_DECISION, DECIDABLE, DECIDED, SUBMITTABLE, utc  # noqa: F401 (AWAITING_DECISION: re-exported)
from intake.receive import ConflictError, NotFoundError
from intake.runtime import Runtime
from packet_builder.clocks import decision_due

# A submission time this far ahead of the service's clock is a mistake, not clock skew.
FUTURE_SLACK = timedelta(minutes=5)


@dataclass(frozen=True)
class Submission:
    channel: str
    submitted_at: datetime
    payer_reference: str | None = None
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "submitted_at": utc(self.submitted_at).isoformat(),
            "payer_reference": self.payer_reference,
            "note": self.note,
        }


@dataclass(frozen=True)
class Decision:
    outcome: str  # approved | denied | pended
    decided_at: datetime
    payer_reference: str | None = None
    # approved
    authorization_number: str | None = None
    authorized_from: date | None = None
    authorized_to: date | None = None
    authorized_units: int | None = None
    conditions: str | None = None
    # denied: the payer's specific reason (CMS-0057-F requires one), and its code when given
    reason: str | None = None
    reason_code: str | None = None
    # pended: what the payer asked for, and by when
    requested: str | None = None
    respond_by: date | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"outcome": self.outcome, "decided_at": utc(self.decided_at).isoformat()}
        for name in (
            "payer_reference",
            "authorization_number",
            "authorized_from",
            "authorized_to",
            "authorized_units",
            "conditions",
            "reason",
            "reason_code",
            "requested",
            "respond_by",
        ):
            value = getattr(self, name)
            if value is not None:
                out[name] = value.isoformat() if isinstance(value, date) else value
        return out


def add_history(packet: Packet, to: str, by: str, at: datetime, **detail: Any) -> None:
    """Append a status change (before the status itself is changed)."""
    entry = {"at": utc(at).isoformat(), "from": packet.status, "to": to, "by": by, **detail}
    packet.history = [*(packet.history or []), entry]


def get_packet(session: Any, packet_id: str) -> Packet:
    packet = session.get(Packet, packet_id)
    if packet is None:
        raise NotFoundError(f"Packet {packet_id} does not exist.")
    return packet


def _newer(session: Any, packet: Packet) -> Packet | None:
    return session.scalar(
        select(Packet).where(Packet.case_id == packet.case_id, Packet.version > packet.version).order_by(Packet.version.desc())
    )


def _refuse(session: Any, packet: Packet, action: str) -> ConflictError:
    """Why `action` is not possible in the packet's status, and what to do instead."""
    status = packet.status
    if status == "superseded":
        newer = _newer(session, packet)
        hint = f" by version {newer.version} (packet {newer.id})" if newer else ""
        return ConflictError(f"Packet {packet.id} was superseded{hint}: {action} the newest version instead.")
    if status == "building":
        return ConflictError(f"Packet {packet.id} is still being built: wait until its status is 'ready'.")
    if status == "failed":
        return ConflictError(f"Packet {packet.id} failed to build ({packet.error}): request a new packet for the case.")
    if status in DECIDED:
        return ConflictError(
            f"Packet {packet.id} is already {status} (decision recorded {packet.decision.get('decided_at') if packet.decision else ''}); "
            "a decision is final here: record an appeal or a new request as a new case."
        )
    if status == "ready":
        return ConflictError(f"Packet {packet.id} has not been submitted: record its submission before a decision.")
    if status == "submitted":
        return ConflictError(
            f"Packet {packet.id} was already submitted ({(packet.submission or {}).get('channel')}, "
            f"{(packet.submission or {}).get('submitted_at')}): record the payer's decision next."
        )
    return ConflictError(f"Packet {packet.id} is {status}: cannot {action} it now.")


def _same_submission(recorded: dict[str, Any], submission: Submission) -> bool:
    """A retry of the recorded submission: the same channel and payer reference (a retry that left
    submitted_at to default would otherwise differ by its time)."""
    given = submission.to_json()
    return recorded.get("channel") == given["channel"] and recorded.get("payer_reference") == given["payer_reference"]


def record_submission(rt: Runtime, packet_id: str, submission: Submission, *, by: str) -> Packet:
    now = datetime.now(UTC)
    if utc(submission.submitted_at) > now + FUTURE_SLACK:
        raise InvalidRequestError("submitted_at is in the future: give the time the payer received the packet.")
    with rt.sessions() as session:
        packet = get_packet(session, packet_id)
        if packet.status == "submitted" and _same_submission(packet.submission or {}, submission):
            return packet  # the same submission again (a retried call)
        if packet.status not in SUBMITTABLE:
            raise _refuse(session, packet, "submit")
        case = session.get(Case, packet.case_id)
        # The payer's clock starts when it receives the request, not when the packet was built.
        deadline = decision_due(service_request(case), utc(submission.submitted_at))
        add_history(packet, "submitted", by, now, channel=submission.channel)
        if packet.status == "pended":
            packet.decision, packet.decided_at = None, None  # the pend stays in the history
        packet.status = "submitted"
        packet.submission = submission.to_json()
        packet.submitted_at = submission.submitted_at
        packet.due_at = deadline.due_at
        packet.due_rule = deadline.rule
        session.commit()
        return packet


def record_decision(rt: Runtime, packet_id: str, decision: Decision, *, by: str) -> Packet:
    now = datetime.now(UTC)
    with rt.sessions() as session:
        packet = get_packet(session, packet_id)
        if (
            packet.status == decision.outcome
            and {k: v for k, v in (packet.decision or {}).items() if k != "late"} == decision.to_json()
        ):
            return packet  # the same decision again (a retried call)
        if packet.status not in DECIDABLE:
            raise _refuse(session, packet, "record a decision for")
        if packet.submitted_at is not None and utc(decision.decided_at) < utc(packet.submitted_at):
            raise InvalidRequestError(
                f"decided_at is before the packet was submitted ({utc(packet.submitted_at).isoformat()}): check the date."
            )
        if packet.status == "pended" and decision.outcome == "pended":
            raise ConflictError(
                f"Packet {packet.id} is already pended ({(packet.decision or {}).get('requested')}): "
                "record the submission of the answer, or the final decision."
            )
        late = packet.due_at is not None and utc(decision.decided_at) > utc(packet.due_at)
        add_history(packet, decision.outcome, by, now, late=late, decision=decision.to_json())
        packet.status = decision.outcome
        packet.decision = {**decision.to_json(), "late": late}
        packet.decided_at = decision.decided_at
        webhooks.record_event(
            session,
            "decision.recorded",
            webhooks.event_data_for_packet(packet),
            dedupe_key=f"decision.recorded:{packet.id}:{len(packet.history)}",
        )
        session.commit()
        return packet


def supersede(session: Any, old: Packet, new: Packet) -> None:
    """Mark `old` replaced by `new` (inside the caller's transaction, with its event)."""
    add_history(old, "superseded", "service", datetime.now(UTC), by_version=new.version, by_packet=new.id)
    old.status = "superseded"
    webhooks.record_event(
        session,
        "packet.superseded",
        {**webhooks.event_data_for_packet(old), "superseded_by": new.id},
        dedupe_key=f"packet.superseded:{old.id}",
    )
