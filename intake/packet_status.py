"""Packet statuses, and what follows from them (DESIGN.md's vocabulary, plus `failed` and `pended`)."""

from __future__ import annotations

from datetime import UTC, datetime

from intake.db import Packet

STATUSES: tuple[str, ...] = ("building", "ready", "failed", "submitted", "pended", "approved", "denied", "superseded")
# A packet in one of these has been sent and waits for the payer's decision: its due date runs.
AWAITING_DECISION: tuple[str, ...] = ("submitted",)
SUBMITTABLE: tuple[str, ...] = ("ready", "pended")
DECIDABLE: tuple[str, ...] = ("submitted", "pended")
# A newer version replaces these; a submitted packet stays with the payer until it is decided.
SUPERSEDABLE: tuple[str, ...] = ("ready", "pended")
DECIDED: tuple[str, ...] = ("approved", "denied")


def utc(moment: datetime) -> datetime:
    """SQLite hands datetimes back without their offset; they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def is_overdue(packet: Packet, now: datetime | None = None) -> bool:
    """Sent, not decided, and past its decision due date."""
    if packet.status not in AWAITING_DECISION or packet.due_at is None:
        return False
    return utc(packet.due_at) < (now or datetime.now(UTC))
