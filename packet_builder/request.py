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
EPISODES: tuple[str, ...] = ("initial", "continuation")


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
    # What the coordinator knows about the service itself (X12 278 UM04 / DTP; CGS rejects a
    # request without an anticipated date of service).
    date_of_service: date | None = None  # anticipated
    place_of_service: str | None = None  # CMS 2-digit place-of-service code ("22" outpatient hospital)
    units: int | None = None
    episode: str = "initial"  # initial | continuation (CPAP after 90 days, a drug renewal)
    out_of_network: bool = False  # adds the out-of-network referral requirements
    payer_fax: str | None = None  # where the packet goes when it is faxed (the cover's "To")

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
        if self.episode not in EPISODES:
            raise InvalidRequestError(f"episode must be one of {', '.join(EPISODES)}")
        if self.place_of_service is not None:
            pos = self.place_of_service.strip()
            if not (pos.isdigit() and len(pos) <= 2):
                raise InvalidRequestError(
                    "place_of_service is the CMS 2-digit code, e.g. 11 (office) or 22 (outpatient hospital)"
                )
            object.__setattr__(self, "place_of_service", pos.zfill(2))
        if self.units is not None and self.units < 1:
            raise InvalidRequestError("units must be at least 1")

    @property
    def service_date(self) -> date:
        """The date a service-relative window ends on: the anticipated date of service, else
        the request date."""
        return self.date_of_service or self.request_date

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
            "date_of_service": self.date_of_service.isoformat() if self.date_of_service else None,
            "place_of_service": self.place_of_service,
            "units": self.units,
            "episode": self.episode,
            "out_of_network": self.out_of_network,
            "payer_fax": self.payer_fax,
        }


@dataclass(frozen=True)
class Sender:
    """The practice sending the packet (the cover's "From"), from the service's settings."""

    practice: str | None = None
    contact: str | None = None
    phone: str | None = None
    fax: str | None = None
    email: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"practice": self.practice, "contact": self.contact, "phone": self.phone, "fax": self.fax, "email": self.email}


@dataclass(frozen=True)
class PacketOptions:
    """How a packet is assembled, from the service's settings."""

    sender: Sender = Sender()
    # packet.pdf larger than this is also written as parts, each under it and each with the
    # cover (fax servers and portals cap a file's size). None: never split.
    max_part_bytes: int | None = None
    # bundle.json's DocumentReference attachments: a URL under this base (the download API),
    # or the original's bytes inline when `inline_attachments`.
    attachment_base_url: str | None = None
    inline_attachments: bool = False
