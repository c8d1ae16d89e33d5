"""The typed data that flows out of `extractors/`.

Everything here is a frozen dataclass: the readers build `Page`s, the field extractors turn
pages into `FieldValue`s that each carry an `Evidence`, and `DocumentExtraction` bundles one
logical document. Page indexes are 0-based inside; `Evidence.page` is 1-based because a person
reads it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

Method = Literal["text_layer", "form_field", "ocr"]
BBox = tuple[float, float, float, float]  # x0, y0, x1, y1 as fractions of the page, origin top-left

DOC_TYPES: tuple[str, ...] = (
    "order",
    "progress_note",
    "imaging_report",
    "lab_report",
    "letter_of_medical_necessity",
    "prior_auth_form",
    "insurance_card",
    "other",
)

# Below this mean word confidence an OCRed page is flagged for a person to check.
REVIEW_CONFIDENCE = 0.6

FIELD_NAMES: tuple[str, ...] = (
    "member_id",
    "group_number",
    "patient_name",
    "patient_dob",
    "payer_name",
    "npi",
    "tax_id",
    "cpt",
    "hcpcs",
    "icd10",
    "date_of_service",
    "document_date",
)


@dataclass(frozen=True)
class Word:
    """One word on a page; `start`/`end` are its character offsets in `Page.text`."""

    text: str
    bbox: BBox
    confidence: float
    start: int
    end: int
    line: int = 0
    block: int = 0


@dataclass(frozen=True)
class Page:
    """What was read from one page, and how."""

    index: int
    text: str
    method: Method
    words: tuple[Word, ...] = ()
    confidence: float = 1.0
    width: float = 0.0  # points (1/72 in) for PDFs, pixels for images
    height: float = 0.0
    decision: str = ""  # why this method was chosen, for the person reviewing
    form_fields: tuple[tuple[str, str], ...] = ()
    error: str | None = None  # set when the page could not be read (it is then empty)
    rotation: int = 0  # clockwise degrees (0/90/180/270) the page was turned to read upright

    @property
    def needs_review(self) -> bool:
        """A person should look at this page: it could not be read, or OCR read it poorly."""
        return self.error is not None or (
            self.method == "ocr" and bool(self.text.strip()) and self.confidence < REVIEW_CONFIDENCE
        )

    def bbox_of(self, start: int, end: int) -> BBox | None:
        """The union of the boxes of the words overlapping the character span, if any."""
        boxes = [w.bbox for w in self.words if w.start < end and w.end > start]
        if not boxes:
            return None
        return (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )

    def confidence_of(self, start: int, end: int) -> float:
        """Mean OCR confidence of the words overlapping the span (1.0 for text layers)."""
        confs = [w.confidence for w in self.words if w.start < end and w.end > start]
        if not confs:
            return self.confidence
        return sum(confs) / len(confs)


@dataclass(frozen=True)
class Evidence:
    page: int  # 1-based
    snippet: str
    method: Method
    confidence: float
    bbox: BBox | None = None
    document_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "document_id": self.document_id,
            "page": self.page,
            "bbox": [round(v, 4) for v in self.bbox] if self.bbox else None,
            "snippet": self.snippet,
            "method": self.method,
            "confidence": round(self.confidence, 3),
        }


@dataclass(frozen=True)
class FieldValue:
    """One extracted value. `attributes` holds the per-field extras of DESIGN.md
    (npi: role, valid; icd10: description, billable, assertion; hcpcs/cpt: modifiers, units;
    facts: unit, assertion, ...)."""

    name: str
    value: Any
    confidence: float
    evidence: Evidence
    attributes: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value}
        out.update(self.attributes)
        out["confidence"] = round(self.confidence, 3)
        out["evidence"] = self.evidence.to_json()
        return out


@dataclass(frozen=True)
class DocumentExtraction:
    """One logical document read from one input file."""

    file: str
    doc_type: str
    doc_type_confidence: float
    pages: tuple[Page, ...]
    page_range: tuple[int, int]  # 1-based, inclusive, within the input file
    fields: Mapping[str, tuple[FieldValue, ...]]
    facts: Mapping[str, tuple[FieldValue, ...]] = field(default_factory=dict)

    def values(self, name: str) -> tuple[FieldValue, ...]:
        return tuple(self.fields.get(name, ())) or tuple(self.facts.get(name, ()))

    def with_document_id(self, document_id: str) -> DocumentExtraction:
        def tag(values: Mapping[str, tuple[FieldValue, ...]]) -> dict[str, tuple[FieldValue, ...]]:
            return {
                name: tuple(replace(v, evidence=replace(v.evidence, document_id=document_id)) for v in vs)
                for name, vs in values.items()
            }

        return replace(self, fields=tag(self.fields), facts=tag(self.facts))

    def to_json(self, *, include_text: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "file": self.file,
            "doc_type": self.doc_type,
            "doc_type_confidence": round(self.doc_type_confidence, 3),
            "pages": len(self.pages),
            "page_range": list(self.page_range),
            "pages_to_review": [p.index + 1 for p in self.pages if p.needs_review],
            "fields": {name: [v.to_json() for v in vs] for name, vs in self.fields.items()},
            "facts": {name: [v.to_json() for v in vs] for name, vs in self.facts.items()},
        }
        if include_text:
            out["page_text"] = [
                {
                    "page": p.index + 1,
                    "method": p.method,
                    "confidence": round(p.confidence, 3),
                    "decision": p.decision,
                    "error": p.error,
                    "rotation": p.rotation,
                    "needs_review": p.needs_review,
                    "text": p.text,
                }
                for p in self.pages
            ]
        return out


def evidence_from_json(data: Mapping[str, Any]) -> Evidence:
    bbox = data.get("bbox")
    return Evidence(
        page=int(data["page"]),
        snippet=data.get("snippet", ""),
        method=data.get("method", "text_layer"),
        confidence=float(data.get("confidence", 0.0)),
        bbox=tuple(bbox) if bbox else None,  # type: ignore[arg-type]
        document_id=data.get("document_id"),
    )


def _values_from_json(name: str, items: list[Mapping[str, Any]]) -> tuple[FieldValue, ...]:
    out = []
    for item in items:
        attrs = {k: v for k, v in item.items() if k not in ("value", "confidence", "evidence")}
        out.append(
            FieldValue(name, item["value"], float(item.get("confidence", 0.0)), evidence_from_json(item["evidence"]), attrs)
        )
    return tuple(out)


def extraction_from_json(data: Mapping[str, Any]) -> DocumentExtraction:
    """The inverse of `DocumentExtraction.to_json` (pages come back with text, without words)."""
    page_text = data.get("page_text") or []
    start = data.get("page_range", [1, 1])[0]
    pages = tuple(
        Page(
            index=p["page"] - 1,
            text=p.get("text", ""),
            method=p.get("method", "text_layer"),
            confidence=float(p.get("confidence", 1.0)),
            decision=p.get("decision", ""),
            error=p.get("error"),
            rotation=int(p.get("rotation", 0)),
        )
        for p in page_text
    ) or tuple(Page(index=start - 1 + i, text="", method="text_layer") for i in range(int(data.get("pages", 0))))
    return DocumentExtraction(
        file=data["file"],
        doc_type=data["doc_type"],
        doc_type_confidence=float(data.get("doc_type_confidence", 0.0)),
        pages=pages,
        page_range=tuple(data.get("page_range", [1, len(pages)])),  # type: ignore[arg-type]
        fields={name: _values_from_json(name, items) for name, items in data.get("fields", {}).items()},
        facts={name: _values_from_json(name, items) for name, items in data.get("facts", {}).items()},
    )


def ocr_words_to_json(pages: tuple[Page, ...] | list[Page]) -> dict[str, Any]:
    """The OCR words of the pages (for the searchable layer of the packet), compactly:
    [text, x0, y0, x1, y1, confidence] per word."""
    return {
        "schema_version": 1,
        "pages": [
            {
                "page": p.index + 1,
                "rotation": p.rotation,
                "words": [[w.text, *(round(v, 4) for v in w.bbox), round(w.confidence, 3)] for w in p.words],
            }
            for p in pages
            if p.method == "ocr" and p.words
        ],
    }


def with_ocr_words(extraction: DocumentExtraction, data: Mapping[str, Any]) -> DocumentExtraction:
    """The extraction with the words of `ocr_words_to_json` put back on its OCR pages."""
    by_page = {entry["page"]: entry for entry in data.get("pages", [])}
    pages = []
    for page in extraction.pages:
        entry = by_page.get(page.index + 1)
        if entry is None or page.method != "ocr":
            pages.append(page)
            continue
        words = tuple(Word(text, (x0, y0, x1, y1), conf, 0, 0) for text, x0, y0, x1, y1, conf in entry["words"])
        pages.append(replace(page, words=words))
    return replace(extraction, pages=tuple(pages))
