"""Whether the documents of a case are about one patient: member ID, name and date of birth
compared across documents.

A fax batch that carries another patient's page is the error this catches; sending it is a
privacy breach and a denial. Two documents disagree on a field when both state it and they share
no value (a document may state two member IDs, a plan ID and an MBI; one in common is
agreement). A disagreement that looks like a misreading (one character off, a near-identical
name) is marked so: it still needs a person, but points at OCR rather than at a wrong page.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from extractors.models import DocumentExtraction, FieldValue

from .evidence import norm_id, where

COMPARED = ("member_id", "patient_name", "patient_dob")
FIELD_LABELS = {"member_id": "Member ID", "patient_name": "Patient name", "patient_dob": "Date of birth"}
_NAME_MISREAD_RATIO = 90  # rapidfuzz ratio of two folded names


@dataclass(frozen=True)
class Disagreement:
    field: str
    first: FieldValue
    second: FieldValue
    first_document: DocumentExtraction
    second_document: DocumentExtraction
    likely_misread: bool

    def to_json(self) -> dict[str, object]:
        return {
            "field": self.field,
            "values": [self.first.to_json(), self.second.to_json()],
            "likely_misread": self.likely_misread,
            "message": self.message,
        }

    @property
    def message(self) -> str:
        label = FIELD_LABELS[self.field]
        cause = (
            "probably a misreading: check the page and correct the value"
            if self.likely_misread
            else "check that both pages belong to this patient"
        )
        return (
            f"{label} differs between documents: {self.first.value} ({where(self.first_document, self.first)}) "
            f"and {self.second.value} ({where(self.second_document, self.second)}); {cause}."
        )


def normalized(field: str, value: object) -> str:
    if field == "member_id":
        return norm_id(value)
    if field == "patient_name":
        return _name_key(str(value))
    return str(value).strip()


def _name_key(name: str) -> str:
    """The name's words of two letters or more, sorted: case, accents, punctuation, order
    ("Marlowe, Quentin A" / "Quentin A. Marlowe") and initials do not tell patients apart; a
    different first or last name does."""
    return " ".join(sorted(w for w in _name_words(name) if len(w) >= 2))


def _name_words(name: str) -> list[str]:
    """The name's words, folded: no case, accents or punctuation."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return [w for w in re.split(r"[^a-z']+", folded) if w]


def _name_parts(name: str) -> tuple[set[str], set[str]]:
    """(words of two letters or more, initials)."""
    words = _name_words(name)
    return {w for w in words if len(w) >= 2}, {w for w in words if len(w) == 1}


def _initials_agree(a: str, b: str) -> bool:
    """ "R. Montenegro-Shaw" and "Rafaela Montenegro-Shaw": the same names, a first name written
    as its initial. Every word the shorter name lacks must start with one of its initials."""
    (words_a, init_a), (words_b, init_b) = _name_parts(a), _name_parts(b)
    if len(words_a) > len(words_b):
        (words_a, init_a), (words_b, init_b) = (words_b, init_b), (words_a, init_a)
    extra = words_b - words_a
    return bool(words_a) and words_a <= words_b and bool(extra) and all(w[0] in init_a for w in extra)


def _misread(field: str, a: str, b: str) -> bool:
    if field == "patient_name":
        return fuzz.ratio(a, b) >= _NAME_MISREAD_RATIO
    return Levenshtein.distance(a, b) <= 1


def find_disagreements(documents: Sequence[DocumentExtraction]) -> list[Disagreement]:
    """Every pair of documents (or pages of one document) that disagree on a compared field,
    one entry per pair and field."""
    found: list[Disagreement] = []
    for field in COMPARED:
        # The pages of a document are compared on name and member ID too: a misfiled page of
        # another patient may sit inside one file ("SLEEP INTAKE QUESTIONNAIRE (page 2 of 2)").
        # Not on the date of birth: a letter's date misread as one would make every letter a
        # question.
        split = _by_page if field != "patient_dob" else lambda values: [values]
        stated = [
            (doc, values)
            for doc in documents
            for values in split([v for v in doc.fields.get(field, ()) if normalized(field, v.value)])
            if values
        ]
        for (doc_a, values_a), (doc_b, values_b) in combinations(stated, 2):
            keys_a = {normalized(field, v.value): v for v in values_a}
            keys_b = {normalized(field, v.value): v for v in values_b}
            if keys_a.keys() & keys_b.keys():
                continue
            if field == "patient_name" and any(_initials_agree(str(a.value), str(b.value)) for a in values_a for b in values_b):
                continue
            # The closest pair is the one to show: it is the likeliest to be one value misread.
            key_a, key_b = min(
                ((a, b) for a in keys_a for b in keys_b),
                key=lambda pair: Levenshtein.normalized_distance(pair[0], pair[1]),
            )
            found.append(
                Disagreement(field, keys_a[key_a], keys_b[key_b], doc_a, doc_b, likely_misread=_misread(field, key_a, key_b))
            )
    return found


def _by_page(values: list[FieldValue]) -> list[list[FieldValue]]:
    pages: dict[int, list[FieldValue]] = {}
    for v in values:
        pages.setdefault(v.evidence.page, []).append(v)
    return [pages[p] for p in sorted(pages)]
