"""When the payer's decision is due: the timeframe rules of packet_builder/rules/clocks.yaml
applied to a request and the time it was received by the payer."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from extractors.errors import CatalogError, UnknownServiceError

from .request import PLAN_TYPES, ServiceRequest
from .requirements import PlanType

CLOCKS_FILE = Path(__file__).parent / "rules" / "clocks.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Timeframe(_Strict):
    amount: int = Field(gt=0)
    unit: Literal["calendar_days", "business_days", "hours"]

    def describe(self) -> str:
        return f"{self.amount} {self.unit.replace('_', ' ')}"


class ClockRule(_Strict):
    id: str
    title: str
    plan_types: tuple[PlanType, ...]
    states: tuple[str, ...] = ()  # empty: every state
    # Service families (catalog `family`) the program covers; empty: every service. The Medicare
    # OPD clock is the clock of the OPD prior-authorization list, not of every Medicare service.
    families: tuple[str, ...] = ()
    services: tuple[str, ...] = ()  # service ids, as families
    excludes_drugs: bool
    standard: Timeframe
    urgent: Timeframe
    source: str
    effective: date
    until: date | None = None  # last day the rule applies (a state's timeframe replaced by a new one)
    note: str = ""  # what happens at the deadline, or when the clock starts ("after complete information")

    def covers(self, request: ServiceRequest, families: set[str], services: set[str], on: date) -> bool:
        if request.plan_type not in self.plan_types or (self.states and request.state not in self.states):
            return False
        if on < self.effective or (self.until is not None and on > self.until):
            return False
        if self.families or self.services:
            return bool(families & set(self.families)) or bool(services & set(self.services))
        return True


class ClockRules(_Strict):
    rules_version: str
    drug_code_pattern: str
    holidays: tuple[date, ...] = ()
    rules: tuple[ClockRule, ...] = Field(min_length=1)
    fallback: str


@dataclass(frozen=True)
class Deadline:
    due_at: datetime
    rule: str  # what was applied, and why, in words a person reads
    source: str
    rule_id: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"due_at": self.due_at.isoformat(), "rule": self.rule, "source": self.source, "rule_id": self.rule_id}


@functools.lru_cache(maxsize=1)
def load_clock_rules(path: Path = CLOCKS_FILE) -> ClockRules:
    try:
        rules = ClockRules.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (ValidationError, yaml.YAMLError) as exc:
        raise CatalogError(f"{path.name}: {exc}") from exc
    if rules.fallback not in {r.id for r in rules.rules}:
        raise CatalogError(f"{path.name}: fallback {rules.fallback!r} names no rule")
    return rules


def add_time(start: datetime, frame: Timeframe, holidays: frozenset[date]) -> datetime:
    if frame.unit == "hours":
        return start + timedelta(hours=frame.amount)
    if frame.unit == "calendar_days":
        return start + timedelta(days=frame.amount)
    due, left = start, frame.amount
    while left:
        due += timedelta(days=1)
        if due.weekday() < 5 and due.date() not in holidays:
            left -= 1
    return due


def _requested_services(request: ServiceRequest) -> tuple[set[str], set[str]]:
    """The families and service ids of the request's codes (unknown codes: none)."""
    from .catalog import load_catalog

    catalog = load_catalog()
    found = []
    for code in request.service_codes:
        try:
            found.extend(catalog.services_for([code]))
        except UnknownServiceError:
            continue
    return {s.family for s in found}, {s.id for s in found}


def decision_due(request: ServiceRequest, received_at: datetime, *, rules: ClockRules | None = None) -> Deadline:
    """The decision deadline for `request` received at `received_at` (keeps its time zone)."""
    rules = rules or load_clock_rules()
    families, services = _requested_services(request)
    holidays = frozenset(rules.holidays)
    pattern = re.compile(rules.drug_code_pattern)
    drugs = [c for c in request.service_codes if pattern.match(c)]
    urgent = request.urgency == "urgent"
    level = "urgent" if urgent else "standard"

    matching = [r for r in rules.rules if r.covers(request, families, services, received_at.date())]
    applicable = [r for r in matching if not (drugs and r.excludes_drugs)]
    if applicable:
        timed = [(add_time(received_at, r.urgent if urgent else r.standard, holidays), r) for r in applicable]
        due, rule = min(timed, key=lambda t: t[0])
        frame = rule.urgent if urgent else rule.standard
        text = f"{rule.title}: {frame.describe()} ({level})"
        if rule.note:
            text += f"; {rule.note}"
        if drugs and any(r.excludes_drugs for r in matching):
            text += f"; no federal clock for drug code(s) {', '.join(drugs)} (CMS-0057-F excludes drugs)"
        return Deadline(due_at=due, rule=text, source=" ".join(rule.source.split()), rule_id=rule.id)

    fallback = next(r for r in rules.rules if r.id == rules.fallback)
    frame = fallback.urgent if urgent else fallback.standard
    due = add_time(received_at, frame, holidays)
    if drugs:
        why = (
            f"No federal clock: {fallback.title} excludes drugs ({', '.join(drugs)}) and no state rule applies;"
            f" {frame.describe()} ({level}) used as an internal target"
        )
    elif request.plan_type is None or request.plan_type not in PLAN_TYPES:
        why = f"Plan type unknown: {fallback.title} {frame.describe()} ({level}) applied as the default"
    else:
        where = f" in {request.state}" if request.state else ""
        why = (
            f"No decision-clock rule for {request.plan_type} plans{where}: "
            f"{fallback.title} {frame.describe()} ({level}) applied as the default"
        )
    return Deadline(due_at=due, rule=why, source=" ".join(fallback.source.split()), rule_id=f"default:{fallback.id}")
