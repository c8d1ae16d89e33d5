"""The packet's life after it is built: submitted to the payer, then decided (approved, denied,
pended), or superseded by a newer version. Transitions not listed here are refused (HTTP 409)."""

from __future__ import annotations

# A packet in one of these has been sent and waits for the payer's decision: its due date runs.
AWAITING_DECISION: tuple[str, ...] = ("submitted",)
