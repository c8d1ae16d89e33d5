"""What the request itself leaves open: codes nobody has documentation requirements for, a
companion code without the service it goes with, and case fields nobody entered. Each is a
`review`, never a refusal: the coordinator sees it on the case, and the case is not complete
until a person has looked."""

from __future__ import annotations

from .catalog import Catalog, CodeResolution
from .report import RequirementResult
from .request import ServiceRequest

KIND = "request"
SOURCE = (
    "A prior authorization request is complete only when every requested line meets the payer's "
    "documentation requirements (documentation-requirements.md section 2)"
)


def _review(rid: str, label: str, message: str) -> RequirementResult:
    return RequirementResult(id=rid, label=label, status="review", message=message, kind=KIND, source=SOURCE)


def request_results(request: ServiceRequest, resolution: CodeResolution, catalog: Catalog) -> list[RequirementResult]:
    out: list[RequirementResult] = []
    for code in resolution.unknown:
        out.append(
            _review(
                f"request.unknown-code.{code.lower()}",
                f"Requirements for {code}",
                f"No documentation requirements known for {code}: check the payer's policy for it and "
                "attach what it asks for; a person must confirm this line before the request goes out.",
            )
        )
    for code, owners in resolution.orphans.items():
        names = "; ".join(
            f"{s.label} ({', '.join(s.codes[:6])}{', ...' if len(s.codes) > 6 else ''})" for s in map(catalog.service, owners)
        )
        out.append(
            _review(
                f"request.companion-alone.{code.lower()}",
                f"Requirements for {code}",
                f"{code} is billed with {names}, which is not requested: no documentation requirements known "
                f"for {code} on its own. Add the service's code if it is part of this request, or check the "
                "payer's policy for this line.",
            )
        )
    if "request_date" in request.unset:
        out.append(
            _review(
                "request.request-date",
                "Request date",
                f"No request date was entered on this case: the recency of every note was counted from "
                f"{request.request_date.isoformat()} (today when checked). Enter the request date.",
            )
        )
    if "payer_name" in request.unset:
        out.append(
            _review(
                "request.payer",
                "Payer",
                "No payer was entered on this case: the payer's and the state's own rules (a form that goes "
                "first, extra criteria) were not checked. Enter the payer, plan type and state.",
            )
        )
    return out
