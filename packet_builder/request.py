"""What the staff member (or tool) asked for: the service and the context of the request.

The checker, the clocks and the packet all take this one value; it carries no documents.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from extractors.errors import InvalidRequestError

# `medicaid` is a state program's fee-for-service; `medicaid_managed_care` one of the plans it
# contracts (their rules and forms differ: AHCCCS FFS wants its own form first, its plans do not).
PLAN_TYPES: tuple[str, ...] = ("commercial", "medicare", "medicare_advantage", "medicaid", "medicaid_managed_care")
MEDICAID_PLAN_TYPES: tuple[str, ...] = ("medicaid", "medicaid_managed_care")
URGENCIES: tuple[str, ...] = ("standard", "urgent")
EPISODES: tuple[str, ...] = ("initial", "continuation")

# CPT: 5 digits, or 4 digits and F/T/U (category II, III, PLA); HCPCS level II: a letter A-V
# and 4 digits. A service asked for by name (catalog `aliases`: inpatient_admission).
SERVICE_CODE = re.compile(r"^(?:\d{5}|\d{4}[FTU]|[A-V]\d{4})$")
SERVICE_NAME = re.compile(r"^[A-Z]+(?:_[A-Z0-9]+){1,6}$")
MODIFIER = re.compile(r"^[A-Z0-9]{2}$")
MAX_UNITS = 100_000
_UNITS = re.compile(
    r"^(?:[X×*]\s*(?P<a>\d+)|(?P<b>\d+)\s*(?:UNITS?|UN|U)|(?:UNITS?|UN|QTY|QUANTITY)\s*[:=]?\s*(?P<c>\d+)|\((?P<d>\d+)\))$"
)


@dataclass(frozen=True)
class ServiceLine:
    """One code line of the request: the code, its modifiers and units (X12 278 SV1/SV2)."""

    code: str
    modifiers: tuple[str, ...] = ()
    units: int | None = None

    def __post_init__(self) -> None:
        code = (self.code or "").strip().upper()
        if not (SERVICE_CODE.match(code) or SERVICE_NAME.match(code)):
            raise InvalidRequestError(
                f"{self.code!r} is not a CPT or HCPCS code (CPT: 5 digits, or 4 digits and F, T or U; "
                "HCPCS: a letter A-V and 4 digits; or a service name such as inpatient_admission)"
            )
        mods = tuple(m.strip().upper() for m in self.modifiers if m and m.strip())
        bad = [m for m in mods if not MODIFIER.match(m)]
        if bad:
            raise InvalidRequestError(f"{code}: modifier {', '.join(bad)} is not 2 letters or digits (e.g. GP, JZ, RT, 59)")
        if len(mods) > 4:
            raise InvalidRequestError(f"{code}: at most 4 modifiers per code line")
        if self.units is not None and not 1 <= self.units <= MAX_UNITS:
            raise InvalidRequestError(f"{code}: units must be between 1 and {MAX_UNITS}")
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "modifiers", mods)

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "modifiers": list(self.modifiers), "units": self.units}

    @classmethod
    def from_json(cls, raw: Any) -> ServiceLine:
        if isinstance(raw, str):
            return parse_service_line(raw)
        if not isinstance(raw, dict) or not isinstance(raw.get("code"), str):
            raise InvalidRequestError('a service line is a code, or {"code", "modifiers", "units"}')
        units = raw.get("units")
        if units is not None and (isinstance(units, bool) or not isinstance(units, int)):
            raise InvalidRequestError(f"{raw['code']}: units must be a whole number")
        mods = raw.get("modifiers") or ()
        if isinstance(mods, str):
            mods = mods.replace(",", " ").split()
        return cls(code=raw["code"], modifiers=tuple(mods), units=units)


def parse_service_line(text: str) -> ServiceLine:
    """A code line as coordinators type it: "97110", "97110-GP", "97110 GP 59 x4", "J9271 JZ
    200 units", "E0601 NU (1)". Anything that is not a code, a modifier or a unit count is
    refused with the line named, never dropped."""
    raw = " ".join(text.split())
    tokens = re.split(r"[\s:]+|(?<=[0-9A-Z])-(?=[0-9A-Z]{2}\b)", raw.upper())
    tokens = [t for t in tokens if t]
    if not tokens:
        raise InvalidRequestError("an empty service code line")
    code, rest = tokens[0], tokens[1:]
    modifiers: list[str] = []
    units: int | None = None
    i = 0
    while i < len(rest):
        tok = rest[i]
        pair = f"{tok} {rest[i + 1]}" if i + 1 < len(rest) else None
        m = _UNITS.match(tok) or (pair and _UNITS.match(pair))
        if m:
            units = int(next(g for g in m.groups() if g))
            i += 2 if (pair and not _UNITS.match(tok)) else 1
            continue
        if tok.isdigit() and i == len(rest) - 1 and len(tok) != 2:
            units = int(tok)  # a bare trailing count ("A7030 3" is 3 units; "97110 59" is the modifier)
        elif MODIFIER.match(tok):
            modifiers.append(tok)
        else:
            raise InvalidRequestError(
                f"service line {raw!r}: {tok!r} is neither a modifier (2 characters) nor units (x4, 4 units)"
            )
        i += 1
    return ServiceLine(code=code, modifiers=tuple(modifiers), units=units)


def _starts_line(token: str) -> bool:
    head = token.upper().split("-", 1)[0]
    return bool(SERVICE_CODE.match(head) or SERVICE_NAME.match(head))


def parse_service_lines(items: Iterable[str]) -> tuple[ServiceLine, ...]:
    """Lines from a form or a CLI. Commas, semicolons and new lines separate lines, and so does
    a second code on one line ("72148 72158" is two lines; "97110 GP x4" is one)."""
    out: list[ServiceLine] = []
    for item in items:
        for part in re.split(r"[,;\n]+", item or ""):
            group: list[str] = []
            for token in part.split():
                if group and _starts_line(token) and not _UNITS.match(f"{group[-1]} {token}".upper()):
                    out.append(parse_service_line(" ".join(group)))
                    group = []
                group.append(token)
            if group:
                out.append(parse_service_line(" ".join(group)))
    return tuple(out)


@dataclass(frozen=True)
class ServiceRequest:
    service_codes: tuple[str, ...]
    request_date: date
    # Every code line with its modifiers and units; `service_codes` is their codes, in order,
    # each once. Either may be given: a code without a line gets a bare line.
    service_lines: tuple[ServiceLine, ...] = ()
    payer_name: str | None = None
    plan_type: str | None = None  # one of PLAN_TYPES
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
    # Case fields nobody entered (a case the inbox opened): request_date, payer_name. The
    # checker says so instead of measuring recency from a guessed date.
    unset: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        # Normalise instead of rejecting: codes arrive from forms and CLIs in any case/spacing.
        lines = list(self.service_lines)
        have = {line.code for line in lines}
        for c in self.service_codes:
            if c and c.strip() and c.strip().upper() not in have:
                line = parse_service_line(c)
                if line.code not in have:
                    lines.append(line)
                    have.add(line.code)
        codes = tuple(dict.fromkeys(line.code for line in lines))
        object.__setattr__(self, "service_lines", tuple(lines))
        object.__setattr__(self, "service_codes", codes)
        bad_unset = [u for u in self.unset if u not in UNSET_FIELDS]
        if bad_unset:
            raise InvalidRequestError(f"unset: unknown field(s) {', '.join(bad_unset)}")
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

    def line_of(self, code: str) -> tuple[ServiceLine, ...]:
        return tuple(line for line in self.service_lines if line.code == code)

    def units_of(self, code: str) -> int | None:
        """The units of `code`: its line's, else the case's when it asks for one code."""
        for line in self.line_of(code):
            if line.units:
                return line.units
        return self.units if len(self.service_codes) == 1 else None

    @property
    def service_date(self) -> date:
        """The date a service-relative window ends on: the anticipated date of service, else
        the request date."""
        return self.date_of_service or self.request_date

    def to_json(self) -> dict[str, Any]:
        return {
            "service_codes": list(self.service_codes),
            "service_lines": [line.to_json() for line in self.service_lines],
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
            "unset": list(self.unset),
        }


UNSET_FIELDS: tuple[str, ...] = ("request_date", "payer_name")


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
