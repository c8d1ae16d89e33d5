"""The entry point of `extractors/`: one input file's bytes -> its logical documents."""

from __future__ import annotations

from collections.abc import Sequence

from extractors.doc_type import classify
from extractors.fields import extract_fields
from extractors.models import DocumentExtraction, Page
from extractors.ocr_page import OcrSettings
from extractors.reader import ReadLimits, read_pages


def extract_bytes(data: bytes, *, filename: str, limits: ReadLimits = ReadLimits(), ocr: OcrSettings = OcrSettings()) -> list[DocumentExtraction]:
    _kind, pages = read_pages(data, limits=limits, ocr=ocr)
    return extract_pages(pages, filename=filename)


def extract_pages(pages: Sequence[Page], *, filename: str) -> list[DocumentExtraction]:
    """Fields, facts and type of the pages. One input file is one logical document for now;
    splitting a fax batch into its documents (with page ranges) comes with the extraction issue."""
    doc_type, confidence = classify(pages)
    fields, facts = extract_fields(pages)
    return [
        DocumentExtraction(
            file=filename,
            doc_type=doc_type,
            doc_type_confidence=confidence,
            pages=tuple(pages),
            page_range=(1, len(pages)),
            fields=fields,
            facts=facts,
        )
    ]
