"""The documentation-requirements catalog: YAML data files validated by pydantic models.

`packet_builder/catalog/common.yaml` holds the catalog version and the requirements shared by
services (`common.*`); every other `*.yaml` file there describes one service: its codes and
its requirements, which may `include` a common requirement by id. Unknown keys are refused so
that a typo in a data file fails loudly at load time instead of silently weakening a check.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from extractors.errors import CatalogError, UnknownServiceError

# The requirement models live in requirements.py; they are re-exported here, where the checker,
# the overlays and the tests have always found them.
from .requirements import (
    ASSERTIONS,
    EPISODES,
    FACT_NAMES,
    REQUEST_FIELDS,
    ConsistencyRequirement,
    DiagnosisRequirement,
    DocumentRequirement,
    FactRequirement,
    FieldRequirement,
    Follows,
    GroupRequirement,
    Include,
    OrderRequirement,
    Requirement,
    RequirementEntry,
    walk,
)

__all__ = [
    "ASSERTIONS",
    "CATALOG_DIR",
    "EPISODES",
    "FACT_NAMES",
    "FAMILIES",
    "REQUEST_FIELDS",
    "Catalog",
    "CodeResolution",
    "ConsistencyRequirement",
    "DiagnosisRequirement",
    "DocumentRequirement",
    "FactRequirement",
    "FieldRequirement",
    "Follows",
    "GroupRequirement",
    "Include",
    "OrderRequirement",
    "Requirement",
    "RequirementEntry",
    "Service",
    "expand_codes",
    "load_catalog",
    "load_catalog_from",
    "walk",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


CATALOG_DIR = Path(__file__).parent / "catalog"
COMMON_FILE = "common.yaml"


class CommonFile(_Strict):
    catalog_version: str = Field(pattern=r"^\d{4}\.\d+\.\d+$")
    requirements: tuple[RequirementEntry, ...]


FAMILIES: dict[str, str] = {
    "advanced_imaging": "Advanced imaging",
    "sleep": "Sleep testing and PAP",
    "cardiology": "Cardiology",
    "orthopedics": "Orthopedic surgery",
    "spine": "Spine and pain procedures",
    "medicare_opd": "Medicare hospital outpatient PA list",
    "therapy": "Outpatient rehabilitation",
    "dme": "Durable medical equipment",
    "specialty_drug": "Specialty drugs",
    "surgery": "Other surgery",
    "inpatient": "Inpatient care",
    "referral": "Referrals",
}
_CODE = r"[0-9]{4}[0-9FTU]|[A-V][0-9]{4}"


def expand_codes(items: Iterable[str]) -> tuple[str, ...]:
    """Codes as written in a service file; "K0800-K0802" stands for K0800, K0801, K0802."""
    out: list[str] = []
    for item in items:
        item = item.strip().upper()
        if "-" not in item:
            out.append(item)
            continue
        lo, _, hi = (x.strip() for x in item.partition("-"))
        prefix = lo[:1] if lo[:1].isalpha() else ""
        if prefix != (hi[:1] if hi[:1].isalpha() else "") or not lo[len(prefix) :].isdigit() or not hi[len(prefix) :].isdigit():
            raise ValueError(f"code range {item!r}: both ends need the same letter and digits")
        width = len(lo) - len(prefix)
        a, b = int(lo[len(prefix) :]), int(hi[len(prefix) :])
        if b < a or b - a > 200:
            raise ValueError(f"code range {item!r} is empty or implausibly wide")
        out.extend(f"{prefix}{n:0{width}d}" for n in range(a, b + 1))
    return tuple(out)


class ServiceFile(_Strict):
    service: str = Field(pattern=r"^[a-z0-9_]+$")
    label: str
    family: str
    cpt: tuple[str, ...] = ()
    hcpcs: tuple[str, ...] = ()
    # Codes that ride on a request for this service and never make one alone: supplies with the
    # device, a PET tracer, drug administration, therapy add-ons, contrast. Several services may
    # share one (96413 goes with every infused drug).
    companion_cpt: tuple[str, ...] = ()
    companion_hcpcs: tuple[str, ...] = ()
    # Requested by name when no code names it (an inpatient admission, an out-of-network referral).
    aliases: tuple[str, ...] = ()
    effective: date
    source: str = ""  # the policy the service's requirements come from, for the catalog page
    notes: tuple[str, ...] = ()  # coverage notes a coordinator should know (not checked)
    requirements: tuple[RequirementEntry, ...] = Field(min_length=1)

    @field_validator("family")
    @classmethod
    def _known_family(cls, v: str) -> str:
        if v not in FAMILIES:
            raise ValueError(f"unknown family {v!r}; known: {list(FAMILIES)}")
        return v

    @field_validator("cpt", "hcpcs", "companion_cpt", "companion_hcpcs")
    @classmethod
    def _codes(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        codes = expand_codes(v)
        bad = [c for c in codes if not re.fullmatch(_CODE, c)]
        if bad:
            raise ValueError(f"not CPT/HCPCS codes: {bad}")
        return codes


class Service(_Strict):
    """A service with its includes resolved: `requirements` holds only real requirements."""

    id: str
    label: str
    family: str
    codes: tuple[str, ...]  # the primary codes: any one of them requests this service
    effective: date
    requirements: tuple[Requirement, ...]
    companions: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    source: str = ""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class CodeResolution:
    """What the catalog makes of a request's codes."""

    services: tuple[Service, ...]  # requested by a primary code or a name, in catalog order
    # companion code -> the requested service it rides with
    companions: dict[str, str]
    # companions whose services were not requested: code -> the services they go with
    orphans: dict[str, tuple[str, ...]]
    unknown: tuple[str, ...]  # codes no service knows

    def service_of(self, code: str) -> str | None:
        for s in self.services:
            if code in s.codes:
                return s.id
        return self.companions.get(code)


class Catalog:
    def __init__(self, *, version: str, services: Sequence[Service], common: dict[str, Requirement] | None = None) -> None:
        self.version = version
        self.services: tuple[Service, ...] = tuple(services)
        self.common: dict[str, Requirement] = dict(common or {})
        self._by_code = {code: s for s in self.services for code in s.codes}
        for s in self.services:
            for name in (s.id, *s.aliases):
                self._by_code.setdefault(name.upper(), s)
        self._companion_of: dict[str, list[Service]] = {}
        for s in self.services:
            for code in s.companions:
                self._companion_of.setdefault(code, []).append(s)

    def resolve(self, codes: Iterable[str]) -> CodeResolution:
        """Sort the request's codes into services, their companions and the unknown; never
        refuses (a code nobody knows is the checker's `review`, not the request's rejection)."""
        wanted = list(dict.fromkeys(c.strip().upper() for c in codes if c.strip()))
        hit = {self._by_code[c].id for c in wanted if c in self._by_code}
        services = tuple(s for s in self.services if s.id in hit)
        companions: dict[str, str] = {}
        orphans: dict[str, tuple[str, ...]] = {}
        unknown: list[str] = []
        for c in wanted:
            if c in self._by_code:
                continue
            owners = self._companion_of.get(c, [])
            riding = [s.id for s in services if s in owners]
            if riding:
                companions[c] = riding[0]
            elif owners:
                orphans[c] = tuple(s.id for s in owners)
            else:
                unknown.append(c)
        return CodeResolution(services=services, companions=companions, orphans=orphans, unknown=tuple(unknown))

    def primary_codes(self) -> set[str]:
        return {c for s in self.services for c in s.codes}

    def service(self, service_id: str) -> Service:
        for s in self.services:
            if s.id == service_id:
                return s
        raise UnknownServiceError(f"no service {service_id!r} in the catalog")

    def services_for(self, codes: Iterable[str]) -> list[Service]:
        """The services covering `codes` (CPT/HCPCS codes, or a service's id or alias), in
        catalog order, each once; any code that is not a primary code is refused (the catalog
        page and the pre-cert rules need exact services; requests go through `resolve`)."""
        wanted = [c.strip().upper() for c in codes]
        unknown = [c for c in wanted if c not in self._by_code]
        if unknown:
            known = "; ".join(f"{s.id} ({', '.join(s.codes)})" for s in self.services)
            raise UnknownServiceError(
                f"no documentation requirements for code(s) {', '.join(unknown)}; the catalog covers: {known}"
            )
        hit = {self._by_code[c].id for c in wanted}
        return [s for s in self.services if s.id in hit]

    def requirement_ids(self) -> list[str]:
        return [r.id for s in self.services for r in walk(s.requirements)]


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CatalogError(f"{path.name}: not valid YAML ({exc})") from exc


def _requirement_at(raw: Any, loc: Sequence[Any]) -> str | None:
    """The id of the innermost requirement on the error's path, to point at it by name."""
    found, node = None, raw
    for step in loc:
        if (isinstance(node, dict) and step in node) or (isinstance(node, list) and isinstance(step, int) and step < len(node)):
            node = node[step]
        else:
            continue  # pydantic's union tags ("fact", "group") are not keys of the data
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            found = node["id"]
    return found


def _problem(path: Path, raw: Any, exc: ValidationError) -> CatalogError:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err["loc"])
        rid = _requirement_at(raw, err["loc"])
        parts.append(f"{where}{f' (requirement {rid})' if rid else ''}: {err['msg']}")
    return CatalogError(f"{path.name}: " + "; ".join(parts))


def _resolve(entries: Sequence[Any], common: dict[str, Requirement], path: Path) -> tuple[Requirement, ...]:
    out: list[Requirement] = []
    for e in entries:
        if isinstance(e, Include):
            if e.include not in common:
                raise CatalogError(f"{path.name}: include {e.include!r} is not defined in {COMMON_FILE}")
            base = common[e.include]
            out.append(base.model_copy(update={"episode": e.episode}) if e.episode else base)
        elif isinstance(e, GroupRequirement):
            out.append(e.model_copy(update={"requirements": _resolve(e.requirements, common, path)}))
        else:
            out.append(e)
    return tuple(out)


def _check_references(path: Path, reqs: Sequence[Requirement]) -> None:
    """Cross-requirement references point at something real: `follows` names a requirement of
    the same service, `precedes_fact` a fact, `n_of` asks for no more children than it has."""
    ids = {r.id for r in walk(reqs)}
    for r in walk(reqs):
        if isinstance(r, DocumentRequirement):
            if r.follows and r.follows.requirement not in ids:
                raise CatalogError(f"{path.name}: {r.id} follows {r.follows.requirement!r}, not a requirement of this service")
            if r.precedes_fact and r.precedes_fact not in FACT_NAMES:
                raise CatalogError(f"{path.name}: {r.id} precedes_fact {r.precedes_fact!r} is not a fact")
        if isinstance(r, GroupRequirement):
            if r.kind == "n_of" and (r.min_met is None or r.min_met > len(r.requirements)):
                raise CatalogError(f"{path.name}: {r.id} n_of needs min_met between 1 and {len(r.requirements)}")
            if r.kind != "n_of" and r.min_met is not None:
                raise CatalogError(f"{path.name}: {r.id} min_met is only for n_of")


def load_catalog_from(directory: Path) -> Catalog:
    """Load and validate every file of `directory` (uncached; tests point it at a tmp dir)."""
    common_path = directory / COMMON_FILE
    if not common_path.is_file():
        raise CatalogError(f"{COMMON_FILE}: missing from the catalog folder")
    raw = _read_yaml(common_path)
    try:
        common_file = CommonFile.model_validate(raw)
    except ValidationError as exc:
        raise _problem(common_path, raw, exc) from exc
    if any(isinstance(e, Include) for e in common_file.requirements):
        raise CatalogError(f"{COMMON_FILE}: common requirements cannot include others")
    common = {r.id: r for r in common_file.requirements}  # type: ignore[union-attr]
    if len(common) != len(common_file.requirements):
        raise CatalogError(f"{COMMON_FILE}: duplicate requirement id")

    services: list[Service] = []
    defined: dict[str, str] = {rid: COMMON_FILE for rid in common}
    codes: dict[str, str] = {}
    for path in sorted(directory.glob("*.yaml")):
        if path.name == COMMON_FILE:
            continue
        raw = _read_yaml(path)
        try:
            sf = ServiceFile.model_validate(raw)
        except ValidationError as exc:
            raise _problem(path, raw, exc) from exc
        reqs = _resolve(sf.requirements, common, path)
        own_ids = [r.id for r in walk(reqs) if r.id not in common]
        for rid in own_ids:
            if rid in defined:
                raise CatalogError(f"{path.name}: requirement id {rid!r} already defined in {defined[rid]}")
            defined[rid] = path.name
        all_codes = tuple(c.upper() for c in sf.cpt + sf.hcpcs)
        companions = tuple(c.upper() for c in sf.companion_cpt + sf.companion_hcpcs)
        both = sorted(set(all_codes) & set(companions))
        if both:
            raise CatalogError(f"{path.name}: {', '.join(both)} listed as both primary and companion codes")
        if not all_codes and not sf.aliases:
            raise CatalogError(f"{path.name}: service {sf.service!r} lists no cpt or hcpcs codes and no alias")
        for c in all_codes:
            if c in codes:
                raise CatalogError(f"{path.name}: code {c} already belongs to service {codes[c]!r}")
            codes[c] = sf.service
        if any(s.id == sf.service for s in services):
            raise CatalogError(f"{path.name}: service {sf.service!r} defined twice")
        _check_references(path, reqs)
        services.append(
            Service(
                id=sf.service,
                label=sf.label,
                family=sf.family,
                codes=all_codes,
                companions=companions,
                effective=sf.effective,
                requirements=reqs,
                aliases=sf.aliases,
                source=" ".join(sf.source.split()),
                notes=sf.notes,
            )
        )
    if not services:
        raise CatalogError("the catalog folder holds no service files")
    primaries = {c: s.id for s in services for c in s.codes}
    for s in services:
        clash = sorted(c for c in s.companions if c in primaries)
        if clash:
            raise CatalogError(f"{s.id}: companion code(s) {', '.join(clash)} are primary codes of {primaries[clash[0]]!r}")
    return Catalog(version=common_file.catalog_version, services=services, common=common)


@functools.lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """The packaged catalog, validated once per process."""
    return load_catalog_from(CATALOG_DIR)
