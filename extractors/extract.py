"""The entry point of `extractors/`: one input file's bytes -> its logical documents."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from extractors.doc_type import classify, scores
from extractors.fields import extract_fields
from extractors.models import DocumentExtraction, FieldValue, Page
from extractors.ocr_page import OcrSettings
from extractors.reader import ReadLimits, read_pages


def extract_bytes(
    data: bytes, *, filename: str, limits: ReadLimits = ReadLimits(), ocr: OcrSettings = OcrSettings()
) -> list[DocumentExtraction]:
    _kind, pages = read_pages(data, limits=limits, ocr=ocr)
    return extract_pages(pages, filename=filename)


# A page starts a new logical document only when it, alone, is this clearly another type: a
# second page without a heading keeps belonging to the document before it.
SPLIT_CONFIDENCE = 0.8
STRONG_SCORE = 4.0
WEAK_SCORE = 1.5
# A page that says it continues a document ("Page 2 of 2", "(continued)") is never split off: a
# note's last page with its plan and signature reads much like an order.
_CONTINUED = re.compile(r"\bpage\s+(?:[2-9]|\d{2,})\s+of\s+\d+\b|\(continued\)|\bcontinued\s+from\b", re.IGNORECASE)


def split_points(pages: Sequence[Page]) -> list[tuple[int, int]]:
    """0-based inclusive page ranges of the logical documents in one file (an order followed by
    a progress note in one fax, say)."""
    if not pages:
        return []
    ranges: list[tuple[int, int]] = []
    start, current = 0, classify(pages[:1])[0]
    for i in range(1, len(pages)):
        doc_type, confidence = classify(pages[i : i + 1])
        # A page of no known type ("other" at low confidence) continues the document; one that
        # is clearly something else (a cover sheet, a questionnaire: "other" by its own rules)
        # does not. Neither does a page with strong evidence of its own type and next to none
        # of the current one's (a visit note after an order that mentions prior authorization).
        page_scores = scores(pages[i : i + 1])
        distinct = page_scores.get(doc_type, 0.0) >= STRONG_SCORE and page_scores.get(current, 0.0) < WEAK_SCORE
        continued = bool(_CONTINUED.search(pages[i].text))
        if doc_type != current and not continued and (confidence >= SPLIT_CONFIDENCE or distinct):
            ranges.append((start, i - 1))
            start, current = i, doc_type
    ranges.append((start, len(pages) - 1))
    return ranges


def extract_pages(pages: Sequence[Page], *, filename: str) -> list[DocumentExtraction]:
    """Fields, facts and type of each logical document in the pages of one file. Page indexes
    (and so evidence pages) stay those of the file."""
    out = []
    for first, last in split_points(pages):
        part = pages[first : last + 1]
        doc_type, confidence = classify(part)
        fields, facts = extract_fields(part)
        fields = _settle_signer_roles(fields, doc_type)
        out.append(
            DocumentExtraction(
                file=filename,
                doc_type=doc_type,
                doc_type_confidence=confidence,
                pages=tuple(part),
                page_range=(first + 1, last + 1),
                fields=fields,
                facts=facts,
            )
        )
    return out


# Who signs a report read the study; who signs a note or an order asks for the service.
_READER_DOC_TYPES = frozenset({"imaging_report", "lab_report"})


def _settle_signer_roles(fields: Mapping[str, tuple[FieldValue, ...]], doc_type: str) -> dict[str, tuple[FieldValue, ...]]:
    role = "rendering" if doc_type in _READER_DOC_TYPES else "ordering"
    out = dict(fields)
    if "npi" in out:
        out["npi"] = tuple(
            replace(v, attributes={**v.attributes, "role": role}) if v.attributes.get("role") == "signer" else v
            for v in out["npi"]
        )
    return out
