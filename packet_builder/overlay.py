"""Payer and state overlays: data files (packet_builder/overlays/*.yaml) that add, remove or
change a service's requirements for the plans they match, and name the submission channel and
the form that must go first.

The catalog holds what most payers ask for; an overlay holds what one kind of payer asks for
on top (a state Medicaid form, a commercial radiology benefit manager's cotinine test) or no
longer asks for. Matching is by plan type, state and payer name; every matching overlay
applies, in file order.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from extractors.errors import CatalogError

from .catalog import (
    Catalog,
    DocumentRequirement,
    GroupRequirement,
    Include,
    Requirement,
    RequirementEntry,
    Service,
    walk,
)
from .request import ServiceRequest
from .requirements import PlanType

OVERLAY_DIR = Path(__file__).parent / "overlays"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Match(_Strict):
    """Every key given must match; an empty key matches anything."""

    plan_types: tuple[PlanType, ...] = ()
    states: tuple[str, ...] = ()
    payer_patterns: tuple[str, ...] = ()  # case-insensitive regular expressions on the payer name

    @field_validator("payer_patterns")
    @classmethod
    def _compiles(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for p in v:
            try:
                re.compile(p)
            except re.error as exc:
                raise ValueError(f"payer pattern {p!r}: {exc}") from exc
        return v

    def matches(self, request: ServiceRequest) -> bool:
        if self.plan_types and request.plan_type not in self.plan_types:
            return False
        if self.states and request.state not in self.states:
            return False
        if self.payer_patterns:
            name = request.payer_name or ""
            return any(re.search(p, name, re.IGNORECASE) for p in self.payer_patterns)
        return True


class FirstForm(_Strict):
    """A form the payer wants as page 1 of the request; it becomes a requirement."""

    name: str
    form_id: str = ""
    doc_types: tuple[str, ...] = ("prior_auth_form",)
    text_any: tuple[str, ...] = ()  # words that identify this form among prior-auth forms
    url: str = ""


class Submission(_Strict):
    channel: str
    first_form: FirstForm | None = None


class Change(_Strict):
    id: str
    set: dict[str, Any]


class ServiceChanges(_Strict):
    add: tuple[RequirementEntry, ...] = ()
    remove: tuple[str, ...] = ()
    change: tuple[Change, ...] = ()


class Overlay(_Strict):
    overlay: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    label: str
    match: Match
    effective: date
    until: date | None = None  # last day it applies (a rule replaced by a new one)
    source: str
    submission: Submission | None = None
    notes: tuple[str, ...] = ()
    services: dict[str, ServiceChanges] = Field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.overlay

    def applies(self, request: ServiceRequest) -> bool:
        on = request.request_date
        if on < self.effective or (self.until is not None and on > self.until):
            return False
        return self.match.matches(request)

    def applies_to_services(self, service_ids: Sequence[str]) -> bool:
        """Whether this (matching) overlay concerns a case of these services: it changes one of
        them or every service, or it is about the program itself (channel, form, notes)."""
        if not self.services:
            return True
        return "*" in self.services or any(s in self.services for s in service_ids)

    def first_form_requirement(self) -> DocumentRequirement | None:
        if self.submission is None or self.submission.first_form is None:
            return None
        form = self.submission.first_form
        named = f"{form.name} ({form.form_id})" if form.form_id else form.name
        return DocumentRequirement(
            id=f"{self.overlay}.first-form",
            kind="document",
            label=f"{named} as the first page",
            doc_types=form.doc_types,
            text_any=form.text_any,
            missing_message=f"{self.label} wants the {named} as the first page of the request: fill it in and add it.",
            source=" ".join(self.source.split()),
            effective=self.effective,
        )

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.overlay, "label": self.label, "source": " ".join(self.source.split())}
        if self.submission:
            out["channel"] = self.submission.channel
            if self.submission.first_form:
                f = self.submission.first_form
                out["first_form"] = {"name": f.name, "form_id": f.form_id, "url": f.url}
        if self.notes:
            out["notes"] = list(self.notes)
        return out


class OverlayFile(_Strict):
    overlays: tuple[Overlay, ...] = Field(min_length=1)


def _load_file(path: Path) -> tuple[Overlay, ...]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CatalogError(f"overlays/{path.name}: not valid YAML ({exc})") from exc
    # A file holds one overlay (a mapping) or several (a list).
    data = {"overlays": raw if isinstance(raw, list) else [raw]}
    try:
        return OverlayFile.model_validate(data).overlays
    except ValidationError as exc:
        parts = [f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors()[:5]]
        raise CatalogError(f"overlays/{path.name}: " + "; ".join(parts)) from exc


def load_overlays_from(directory: Path, catalog: Catalog) -> tuple[Overlay, ...]:
    """Load and validate the overlays of `directory` against `catalog`: every service and
    requirement an overlay names must exist, and added ids must be new."""
    overlays: list[Overlay] = []
    for path in sorted(directory.glob("*.yaml")):
        overlays.extend(_load_file(path))
    ids = [o.overlay for o in overlays]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise CatalogError(f"overlays: id(s) defined twice: {', '.join(dupes)}")
    known = {s.id: {r.id for r in walk(s.requirements)} for s in catalog.services}
    every = set().union(*known.values()) if known else set()
    for o in overlays:
        for service_id, changes in o.services.items():
            if service_id != "*" and service_id not in known:
                raise CatalogError(f"overlays: {o.overlay} names service {service_id!r}, which the catalog lacks")
            have = every if service_id == "*" else known[service_id]
            for rid in (*changes.remove, *(c.id for c in changes.change)):
                if rid not in have:
                    raise CatalogError(f"overlays: {o.overlay} changes {rid!r}, not a requirement of {service_id}")
            for entry in changes.add:
                if isinstance(entry, Include):
                    continue
                for r in walk([entry]):  # type: ignore[list-item]
                    if r.id in every:
                        raise CatalogError(f"overlays: {o.overlay} adds {r.id!r}, which the catalog already defines")
            for c in changes.change:
                _changed(_find(catalog, service_id, c.id), c, o.overlay)  # fails now, not at check time
    return tuple(overlays)


def _find(catalog: Catalog, service_id: str, rid: str) -> Requirement:
    services = catalog.services if service_id == "*" else [catalog.service(service_id)]
    for s in services:
        for r in walk(s.requirements):
            if r.id == rid:
                return r
    raise CatalogError(f"overlays: requirement {rid!r} not found")


def _changed(req: Requirement, change: Change, overlay_id: str) -> Requirement:
    bad = sorted(set(change.set) - set(type(req).model_fields) | ({"id", "kind"} & set(change.set)))
    if bad:
        raise CatalogError(f"overlays: {overlay_id} cannot set {', '.join(bad)} on {req.id}")
    try:
        return type(req).model_validate({**req.model_dump(), **change.set})
    except ValidationError as exc:
        raise CatalogError(f"overlays: {overlay_id} change of {req.id}: {exc.errors()[0]['msg']}") from exc


def _rewrite(
    reqs: Sequence[Requirement], remove: set[str], changes: dict[str, Change], overlay_id: str
) -> tuple[Requirement, ...]:
    out: list[Requirement] = []
    for r in reqs:
        if r.id in remove:
            continue
        if r.id in changes:
            r = _changed(r, changes[r.id], overlay_id)
        if isinstance(r, GroupRequirement):
            children = _rewrite(r.requirements, remove, changes, overlay_id)  # type: ignore[arg-type]
            if not children:
                continue
            r = r.model_copy(update={"requirements": children})
        out.append(r)
    return tuple(out)


def apply_overlays(service: Service, overlays: Sequence[Overlay], common: dict[str, Requirement]) -> Service:
    """`service` as the payer of the request sees it: the matching overlays' changes applied."""
    reqs = tuple(service.requirements)
    for o in overlays:
        for key in ("*", service.id):
            changes = o.services.get(key)
            if changes is None:
                continue
            reqs = _rewrite(reqs, set(changes.remove), {c.id: c for c in changes.change}, o.overlay)
            added = [common[e.include] if isinstance(e, Include) else e for e in changes.add]
            reqs = reqs + tuple(added)  # type: ignore[operator]
    return service.model_copy(update={"requirements": reqs})


def matching_overlays(request: ServiceRequest, overlays: Sequence[Overlay] | None = None) -> list[Overlay]:
    return [o for o in (load_overlays() if overlays is None else overlays) if o.applies(request)]


@functools.lru_cache(maxsize=1)
def load_overlays() -> tuple[Overlay, ...]:
    from .catalog import load_catalog

    return load_overlays_from(OVERLAY_DIR, load_catalog())
