"""signature: whether a document says it is signed (data/facts.yaml `signature`).

"Electronically signed by Dr. X on 10/30/2026", "Digitally signed", "/s/ Jane Roe" and
"Authenticated by" say signed; "unsigned", "signature pending" and an empty signature line
("Signature: ______") say unsigned. A label ("Signature:", "Signed:") followed by a name is
signed on a signature line. A page that says nothing of either gets no fact: a wet signature
is an image, invisible in the text, so the checker asks a person instead.

What a text can not show: a handwritten signature written across the line of "Signature:
______" on a scanned page leaves the underscores in the text (OCR does not read the
handwriting), so an empty line is reported with a lower confidence.
"""

from __future__ import annotations

import re
from typing import Any

from extractors.context import assertion
from extractors.fact_page import FactPage, fact_value
from extractors.fact_schema import fact_rules
from extractors.fact_terms import Hit
from extractors.models import FieldValue

_S = fact_rules().signature
_BLANK = re.compile(_S.blank)
_NAME = re.compile(_S.name)
_ELECTRONIC = re.compile(_S.electronic)
_COLON = re.compile(r"[ \t]*:[ \t]*")
_GAP = re.compile(r"[ \t]*:?[ \t]*")
_BY = re.compile(r"[ \t]*(?:by\b)?[ \t]*:?[ \t]*", re.IGNORECASE)


def _read(page: FactPage, h: Hit) -> tuple[str, str | None, int, float] | None:
    """(value, method, end of the evidence, certainty) for one signature name, or None."""
    kind = h.value("signature")
    text = page.text
    line_end = page.pt.line_at(h.start).end
    if kind in ("signed_electronic", "signed_attested"):
        # The signer's name, when written, is part of the evidence (and "Dr." does not end the
        # sentence whose date is the signature's).
        by = _BY.match(text, h.end, line_end)
        name = _NAME.match(text, by.end(), line_end) if by else None
        end = name.end() if name is not None else h.end
        return ("signed", "electronic", end, 0.9) if kind == "signed_electronic" else ("signed", "attested", end, 0.85)
    if kind == "unsigned":
        return "unsigned", "electronic" if _ELECTRONIC.search(text, h.start, h.end) else None, h.end, 0.85
    if kind in ("conformed", "signed_by"):  # "/s/ Jane Roe", "Signed by Jane Roe, MD"
        gap = _GAP.match(text, h.end, line_end)
        name = _NAME.match(text, gap.end(), line_end) if gap else None
        if name is None:
            return None  # "signed by the patient"
        return "signed", "electronic" if kind == "conformed" else None, name.end(), 0.85
    # A label: "Signature: Jane Roe, MD" / "Physician signature ________"
    blank = _BLANK.match(text, h.end, line_end)
    if blank is not None:
        return "unsigned", "handwritten_line", blank.end(), 0.6
    colon = _COLON.match(text, h.end, line_end)
    name = _NAME.match(text, colon.end(), line_end) if colon else None
    if name is None:
        return None  # "Signature:" alone: an image may be there
    return "signed", "handwritten_line", name.end(), 0.75


def signatures(page: FactPage) -> list[FieldValue]:
    out = []
    for h in page.of("signature"):
        found = _read(page, h)
        if found is None:
            continue
        value, method, end, certainty = found
        a = assertion(page.pt, h.start, end, target="signature")
        if value == "signed" and a == "negated":
            value, a = "unsigned", "present"  # "not electronically signed"
        attrs: dict[str, Any] = {}
        if method is not None:
            attrs["method"] = method
        attrs["assertion"] = a
        out.append(fact_value(page, "signature", value, (h.start, end), certainty, attrs))
    return out
