"""The result of a completeness check: one `RequirementResult` per requirement, and the case
status. `check()` in checker.py builds it; an incomplete case is a result, not an exception."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from extractors.models import Evidence

Status = Literal["met", "missing", "review"]


@dataclass(frozen=True)
class RequirementResult:
    id: str
    label: str
    status: Status
    message: str
    evidence: tuple[Evidence, ...] = ()
    children: tuple[RequirementResult, ...] = ()
    kind: str = ""
    source: str = ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "label": self.label,
            "status": self.status,
            "message": self.message,
            "evidence": [e.to_json() for e in self.evidence],
            "kind": self.kind,
            "source": self.source,
        }
        if self.children:
            out["children"] = [c.to_json() for c in self.children]
        return out


@dataclass(frozen=True)
class ServiceSummary:
    id: str
    label: str
    codes: tuple[str, ...]  # the requested primary codes this service covers
    companions: tuple[str, ...] = ()  # the requested companion codes that go with it

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "codes": list(self.codes), "companions": list(self.companions)}


@dataclass(frozen=True)
class CompletenessReport:
    status: Literal["complete", "incomplete"]
    requirements: tuple[RequirementResult, ...]
    services: tuple[ServiceSummary, ...]
    catalog_version: str
    request_date: str = ""
    # Documents that disagree on member ID, name or DOB (consistency.Disagreement.to_json()).
    disagreements: tuple[dict[str, Any], ...] = ()
    # The payer/state overlays applied (overlay.Overlay.to_json(): id, label, channel, first form).
    overlays: tuple[dict[str, Any], ...] = ()
    unknown_codes: tuple[str, ...] = ()  # requested codes no service has requirements for
    companion_codes: tuple[str, ...] = ()  # requested codes that go with a service (supplies, add-ons)

    def line_role(self, code: str) -> tuple[str, str | None]:
        """("primary" | "companion" | "unknown", the service id it belongs to)."""
        for svc in self.services:
            if code in svc.codes:
                return "primary", svc.id
            if code in svc.companions:
                return "companion", svc.id
        if code in self.companion_codes:
            return "companion", None  # billed with a service that was not requested
        return "unknown", None

    def counts(self) -> dict[str, int]:
        out = {"met": 0, "missing": 0, "review": 0}
        for r in self.requirements:
            out[r.status] += 1
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "requirements": [r.to_json() for r in self.requirements],
            "services": [s.to_json() for s in self.services],
            "catalog_version": self.catalog_version,
            "request_date": self.request_date,
            "counts": self.counts(),
            "disagreements": list(self.disagreements),
            "overlays": list(self.overlays),
            "unknown_codes": list(self.unknown_codes),
            "companion_codes": list(self.companion_codes),
        }
