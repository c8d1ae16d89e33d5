"""What every part of bundle.json shares: deterministic ids and references, the code systems
more than one resource uses, and the rules that keep each element valid FHIR (a value or
nothing; data-absent-reason where R4 requires what nobody gave or read)."""

from __future__ import annotations

import uuid
from typing import Any

PAS = "http://hl7.org/fhir/us/davinci-pas"
X12 = "https://codesystem.x12.org/005010"  # as the PAS 2.x examples write the X12 code lists
URI = "urn:ietf:rfc:3986"
DATA_ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:precert-intake:bundle")


class Refs:
    """Deterministic ids and urn:uuid fullUrls of one packet version, one per resource key."""

    def __init__(self, case_id: str, version: int) -> None:
        self.case_id = case_id
        self.version = version
        self._seed = f"{case_id}\x1f{version}"

    def id(self, key: str) -> str:
        return str(uuid.uuid5(_NAMESPACE, f"{self._seed}\x1f{key}"))

    def url(self, key: str) -> str:
        return f"urn:uuid:{self.id(key)}"

    def to(self, key: str) -> dict[str, str]:
        return {"reference": self.url(key)}


def clean(value: Any) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def absent() -> dict[str, Any]:
    # For a reference R4 requires but nobody gave or read: say "unknown" rather than guess.
    return {"extension": [{"url": DATA_ABSENT, "valueCode": "unknown"}]}


def prune(value: Any) -> Any:
    """Drop None, empty strings, lists and objects, bottom up (FHIR allows none of them)."""
    if isinstance(value, dict):
        pruned = {k: prune(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [v for v in (prune(v) for v in value) if v not in (None, "", [], {})]
    if isinstance(value, str):
        return value.strip()
    return value
