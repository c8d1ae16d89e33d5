"""Which open case a document without one belongs to. Pure: identities in, a decision out.

A match needs the member ID (OCR-tolerant) or name and DOB together; a conflict (same member
ID, different DOB) or several candidates go to the staff queue, never to a guess.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from rapidfuzz import fuzz

MEMBER_ID_MIN_SCORE = 90.0  # one misread character in a 10+ character ID still matches
NAME_MIN_SCORE = 88.0


@dataclass(frozen=True)
class Identity:
    member_id: str | None = None
    patient_name: str | None = None
    patient_dob: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.member_id or (self.patient_name and self.patient_dob))


@dataclass(frozen=True)
class CaseIdentity:
    case_id: str
    identity: Identity


@dataclass(frozen=True)
class GroupingDecision:
    outcome: Literal["matched", "new_case", "needs_review"]
    case_id: str | None
    reason: str
    candidates: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "case_id": self.case_id, "reason": self.reason, "candidates": list(self.candidates)}


def _norm_id(value: str | None) -> str:
    return re.sub(r"[^A-Z0-9]", "", (value or "").upper())


def _norm_name(value: str | None) -> str:
    words = re.findall(r"[a-z]+", (value or "").lower())
    return " ".join(sorted(w for w in words if len(w) > 1))


def _score(doc: Identity, case: Identity) -> tuple[float, str] | None:
    """A match score, or None when the identities do not match (or conflict)."""
    if doc.patient_dob and case.patient_dob and doc.patient_dob != case.patient_dob:
        return None
    a, b = _norm_id(doc.member_id), _norm_id(case.member_id)
    if a and b:
        score = fuzz.ratio(a, b)
        if score >= MEMBER_ID_MIN_SCORE:
            return score + (5 if doc.patient_dob and doc.patient_dob == case.patient_dob else 0), "member ID"
        return None
    if doc.patient_name and case.patient_name and doc.patient_dob and doc.patient_dob == case.patient_dob:
        score = fuzz.token_sort_ratio(_norm_name(doc.patient_name), _norm_name(case.patient_name))
        if score >= NAME_MIN_SCORE:
            return score - 5, "patient name and date of birth"
    return None


def decide_case(doc: Identity, open_cases: Sequence[CaseIdentity]) -> GroupingDecision:
    if doc.empty:
        return GroupingDecision(
            "needs_review", None, "no member ID, or name with date of birth, was read: assign the case by hand"
        )
    scored = [(s, why, c.case_id) for c in open_cases if (m := _score(doc, c.identity)) for s, why in [m]]
    if not scored:
        return GroupingDecision("new_case", None, "no open case has this member")
    scored.sort(reverse=True)
    best = scored[0]
    close = [c for s, _, c in scored if best[0] - s < 3]
    if len(close) > 1:
        return GroupingDecision("needs_review", None, f"{len(close)} open cases match equally well", tuple(close))
    return GroupingDecision("matched", best[2], f"matched by {best[1]}")
