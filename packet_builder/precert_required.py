""" "Is pre-certification required?" for a service, plan type and state: yes, no or unknown,
from the rules of packet_builder/rules/precert_required.yaml, with the rule's source.

The most specific matching rule answers (a rule naming the state beats one naming only the
plan type, which beats one for every plan). Where no rule matches the answer is `unknown`:
most commercial and Medicare Advantage lists are the payer's own, and guessing "no" would send
a request unauthorized.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from extractors.errors import CatalogError

from .catalog import Catalog, Service, load_catalog
from .request import PLAN_TYPES
from .requirements import PlanType

RULES_FILE = Path(__file__).parent / "rules" / "precert_required.yaml"
Answer = Literal["yes", "no", "unknown"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PrecertRule(_Strict):
    id: str
    services: tuple[str, ...] = ()  # service ids; empty: see families
    families: tuple[str, ...] = ()  # catalog families; both empty: every service
    plan_types: tuple[PlanType, ...] = ()
    states: tuple[str, ...] = ()
    answer: Answer
    note: str
    source: str
    effective: date
    until: date | None = None

    def matches(self, service: Service, plan_type: str | None, state: str | None, on: date) -> bool:
        if on < self.effective or (self.until is not None and on > self.until):
            return False
        if (self.services or self.families) and service.id not in self.services and service.family not in self.families:
            return False
        if self.plan_types and plan_type not in self.plan_types:
            return False
        return not self.states or state in self.states

    def specificity(self) -> tuple[int, int, int]:
        return (bool(self.states), bool(self.plan_types), bool(self.services) * 2 + bool(self.families))


class PrecertRules(_Strict):
    rules_version: str
    rules: tuple[PrecertRule, ...] = Field(min_length=1)


@dataclass(frozen=True)
class PrecertAnswer:
    service: str
    label: str
    answer: Answer
    note: str
    source: str
    rule_id: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "label": self.label,
            "answer": self.answer,
            "note": self.note,
            "source": self.source,
            "rule_id": self.rule_id,
        }


@functools.lru_cache(maxsize=1)
def load_precert_rules(path: Path = RULES_FILE) -> PrecertRules:
    try:
        rules = PrecertRules.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (ValidationError, yaml.YAMLError) as exc:
        raise CatalogError(f"{path.name}: {exc}") from exc
    known = {s.id for s in load_catalog().services}
    for r in rules.rules:
        unknown = [s for s in r.services if s not in known]
        if unknown:
            raise CatalogError(f"{path.name}: rule {r.id} names unknown service(s) {', '.join(unknown)}")
    return rules


def precert_required(
    codes: tuple[str, ...] | list[str],
    *,
    plan_type: str | None,
    state: str | None,
    on: date,
    catalog: Catalog | None = None,
    rules: PrecertRules | None = None,
) -> list[PrecertAnswer]:
    """One answer per service the codes select; a code no service knows gets an `unknown`
    answer of its own (companion codes go with their service's answer)."""
    catalog = catalog or load_catalog()
    rules = rules or load_precert_rules()
    state = state.strip().upper() if state else None
    resolution = catalog.resolve(codes)
    out = []
    for code in (*resolution.unknown, *resolution.orphans):
        out.append(
            PrecertAnswer(
                service=code,
                label=code,
                answer="unknown",
                note=f"No rule on file for {code} on its own: check the payer's prior-authorization list.",
                source="",
                rule_id=None,
            )
        )
    for service in resolution.services:
        matching = [r for r in rules.rules if r.matches(service, plan_type, state, on)]
        if not matching:
            plan = plan_type if plan_type in PLAN_TYPES else "an unknown plan type"
            where = f" in {state}" if state else ""
            out.append(
                PrecertAnswer(
                    service=service.id,
                    label=service.label,
                    answer="unknown",
                    note=f"No rule on file for {service.label} under {plan}{where}: check the payer's prior-authorization list.",
                    source="",
                    rule_id=None,
                )
            )
            continue
        best = max(matching, key=lambda r: r.specificity())  # max keeps the first of equals
        out.append(
            PrecertAnswer(
                service=service.id,
                label=service.label,
                answer=best.answer,
                note=" ".join(best.note.split()),
                source=" ".join(best.source.split()),
                rule_id=best.id,
            )
        )
    return out
