"""What the staff member (or tool) asked for: the service and the context of the request.

The checker, the clocks and the packet all take this one value; it carries no documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from extractors.errors import InvalidRequestError

PLAN_TYPES: tuple[str, ...] = ("commercial", "medicare", "medicare_advantage", "medicaid")
URGENCIES: tuple[str, ...] = ("standard", "urgent")


@dataclass(frozen=True)
class ServiceRequest:
    service_codes: tuple[str, ...]
    request_date: date
    payer_name: str | None = None
    plan_type: str | None = None  # commercial | medicare | medicare_advantage | medicaid
    state: str | None = None  # 2-letter postal code
    urgency: str = "standard"  # standard | urgent
    member_id: str | None = None
    patient_name: str | None = None
    patient_dob: str | None = None  # YYYY-MM-DD
    reference: str | None = None

    def __post_init__(self) -> None:
        # Normalise instead of rejecting: codes arrive from forms and CLIs in any case/spacing.
        codes = tuple(c.strip().upper() for c in self.service_codes if c and c.strip())
        object.__setattr__(self, "service_codes", codes)
        if self.state is not None:
            object.__setattr__(self, "state", self.state.strip().upper() or None)
        if self.urgency not in URGENCIES:
            raise InvalidRequestError(f"urgency must be one of {', '.join(URGENCIES)}")
        if self.plan_type is not None and self.plan_type not in PLAN_TYPES:
            raise InvalidRequestError(f"plan_type must be one of {', '.join(PLAN_TYPES)}")

    def to_json(self) -> dict[str, Any]:
        return {
            "service_codes": list(self.service_codes),
            "request_date": self.request_date.isoformat(),
            "payer_name": self.payer_name,
            "plan_type": self.plan_type,
            "state": self.state,
            "urgency": self.urgency,
            "member_id": self.member_id,
            "patient_name": self.patient_name,
            "patient_dob": self.patient_dob,
            "reference": self.reference,
        }
