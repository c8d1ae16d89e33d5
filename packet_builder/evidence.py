"""Small readers over `DocumentExtraction`s shared by the checker and the packet: dates,
assertions, normalised codes and identifiers, and human-readable places ("order, page 2")."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date
from functools import lru_cache
from typing import Any

from extractors.context import assertion, has_cue
from extractors.models import DocumentExtraction, Evidence, FieldValue
from extractors.pagetext import PageText

DOC_TYPE_LABELS: dict[str, str] = {
    "order": "Order",
    "progress_note": "Progress note",
    "imaging_report": "Imaging report",
    "lab_report": "Lab report",
    "letter_of_medical_necessity": "Letter of medical necessity",
    "prior_auth_form": "Prior authorization form",
    "insurance_card": "Insurance card",
    "other": "Other document",
}


def label_of(doc_type: str) -> str:
    return DOC_TYPE_LABELS.get(doc_type, doc_type.replace("_", " ").capitalize())


def assertion_of(v: FieldValue) -> str:
    # Extractors always set it; a value without one was stated plainly, i.e. present.
    return str(v.attributes.get("assertion") or "present")


def norm_code(value: Any) -> str:
    return str(value or "").strip().upper().replace(".", "")


def norm_id(value: Any) -> str:
    return "".join(ch for ch in str(value or "").upper() if ch.isalnum())


def parse_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def document_date(doc: DocumentExtraction, request_date: date) -> tuple[date | None, FieldValue | None]:
    """The date of a document: its document_date, else its date_of_service. Of several, the
    latest on or before the request date (a note cites older visits), else the earliest after."""
    for name in ("document_date", "date_of_service"):
        dated = [(d, v) for v in doc.fields.get(name, ()) if (d := parse_date(v.value)) is not None]
        if not dated:
            continue
        before = [t for t in dated if t[0] <= request_date]
        if before:
            return max(before, key=lambda t: t[0])
        return min(dated, key=lambda t: t[0])
    # A note dated only on its signature line ("/s/ A. Reyes, MD on 03/30/2026") is dated by it:
    # the earliest signature, the author's, not a later co-signature.
    signed = [
        (d, v)
        for v in doc.facts.get("signature", ())
        if v.value == "signed" and assertion_of(v) == "present" and (d := parse_date(v.attributes.get("date"))) is not None
    ]
    if signed:
        return min(signed, key=lambda t: t[0])
    return None, None


def document_id_of(doc: DocumentExtraction) -> str | None:
    """The document id the caller tagged the evidence with (DocumentExtraction has none)."""
    for values in (*doc.fields.values(), *doc.facts.values()):
        for v in values:
            if v.evidence.document_id:
                return v.evidence.document_id
    return None


def doc_evidence(doc: DocumentExtraction, fv: FieldValue | None = None) -> Evidence:
    """Evidence for a whole document: the dating value's evidence when there is one."""
    if fv is not None:
        return fv.evidence
    method = doc.pages[0].method if doc.pages else "text_layer"
    return Evidence(
        page=doc.page_range[0],
        snippet=label_of(doc.doc_type),
        method=method,
        confidence=doc.doc_type_confidence,
        document_id=document_id_of(doc),
    )


def where(doc: DocumentExtraction, v: FieldValue | None = None) -> str:
    page = v.evidence.page if v is not None else doc.page_range[0]
    return f"{label_of(doc.doc_type).lower()}, page {page}"


# The title lines of a document: the first non-empty lines of its first page, each up to its
# first colon ("P: continue per plan of care" is content, "Plan of Care: ..." a heading).
TITLE_LINES = 8


def mentions_any(doc: DocumentExtraction, words: Iterable[str], *, title_only: bool = False) -> bool:
    """Whether the document states one of `words` (substrings, any case) as a fact: a mention
    that its sentence negates ("no medical clearance yet") or makes hypothetical ("medical
    clearance pending", "will obtain a psychological evaluation") does not count; a phrase that
    carries its own negation ("no signs of infection") does. `title_only`: in its title lines."""
    wanted = [w.lower() for w in words if w.strip()]
    if title_only:
        first = next((p.text for p in doc.pages if p.text.strip()), "")
        top = [ln for ln in first.lower().split("\n") if ln.strip()][:TITLE_LINES]
        title = "\n".join(ln.split(":", 1)[0] for ln in top)
        return any(next(_occurrences(title, w), None) is not None for w in wanted)
    for page in doc.pages:
        lower = page.text.lower()
        # A phrase written with its own negation means what it says, whatever came before it
        # ("no crystals, gout excluded and no infection").
        if any(has_cue(w) and next(_occurrences(lower, w), None) is not None for w in wanted):
            return True
        spans = [span for w in wanted for span in _occurrences(lower, w)]
        if not spans:
            continue
        pt = PageText(page)
        for a, b in sorted(spans):
            # "no change in headache pattern": "no change" is a pseudo-negation to the context
            # rules (the thing that did not change is there), but here the change is the finding.
            if _DENIED_BEFORE.search(lower, max(0, a - 40), a):
                continue
            if assertion(pt, a, b, target="text") in ("present", "historical"):
                return True
    return False


def denies_any(doc: DocumentExtraction, words: Iterable[str]) -> bool:
    """Whether the document states the absence of one of `words`: a mention its sentence
    negates ("no erythema, warmth or drainage; no evidence of infection", "infection ruled
    out")."""
    wanted = [w.lower() for w in words if w.strip()]
    for page in doc.pages:
        lower = page.text.lower()
        spans = [span for w in wanted for span in _occurrences(lower, w)]
        if not spans:
            continue
        pt = PageText(page)
        if any(assertion(pt, a, b, target="text") == "negated" for a, b in sorted(spans)):
            return True
    return False


_DENIED_BEFORE = re.compile(r"\b(?:no|not|without|denies|denied)\s+(?:[a-z]+\s+){0,2}$")


def _occurrences(text: str, word: str) -> Iterator[tuple[int, int]]:
    """The spans where `word` starts a word of `text`: a stem may run on ("polysomnogra" in
    "polysomnogram"), but never starts inside another word ("mons" in "demonstrates", "ramp" in
    "cramps"). A space in `word` is any run of whitespace (a phrase may wrap a line)."""
    for m in _phrase(word).finditer(text):
        yield m.start(), m.end()


@lru_cache(maxsize=4096)
def _phrase(word: str) -> re.Pattern[str]:
    # A leading or trailing space in `word` is part of it ("ess " is not "essential").
    body = r"\s+".join(re.escape(part) for part in word.split())
    lead = r"\s" if word[:1].isspace() else r"(?<![a-z0-9])" if word[:1].isalnum() else ""
    return re.compile(lead + body + (r"\s" if word[-1:].isspace() else ""))
