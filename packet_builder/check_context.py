"""What every requirement check sees: the request, the documents, the requested codes of the
service being checked, the disagreements between documents, and the results so far (a
requirement that must follow another's document reads that result)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from extractors.models import DocumentExtraction

from .catalog import Requirement
from .consistency import Disagreement
from .report import RequirementResult
from .request import ServiceRequest


@dataclass
class CheckContext:
    request: ServiceRequest
    documents: Sequence[DocumentExtraction]
    codes: tuple[str, ...]  # the requested codes that the service being checked covers
    disagreements: Sequence[Disagreement] = ()
    requirements: dict[str, Requirement] = field(default_factory=dict)  # of the service, by id
    results: dict[str, RequirementResult] = field(default_factory=dict)
    # requirement id -> the dates of the documents that met it (for `follows`)
    met_dates: dict[str, list[date]] = field(default_factory=dict)
