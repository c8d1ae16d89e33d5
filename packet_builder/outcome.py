"""Building a `RequirementResult` from a catalog requirement (shared by the checkers)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .catalog import Requirement
from .report import RequirementResult


def result(req: Requirement, status: str, message: str, evidence: Sequence[Any] = (), **kw: Any) -> RequirementResult:
    return RequirementResult(
        id=req.id,
        label=req.label,
        status=status,  # type: ignore[arg-type]
        message=message,
        evidence=tuple(evidence),
        kind=req.kind,
        source=" ".join(req.source.split()),
        **kw,
    )


def missing(req: Requirement, detail: str = "") -> RequirementResult:
    msg = " ".join(req.missing_message.split())
    return result(req, "missing", f"{detail} {msg}".strip())


def lower_first(text: str) -> str:
    """A message continued mid-sentence: "Add the note" -> "add the note"."""
    text = " ".join(text.split())
    return text[:1].lower() + text[1:]
