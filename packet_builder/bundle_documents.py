"""The documents of bundle.json: one DocumentReference per placed document (its attachment by
URL and/or inline), the PAS documentInformation of the Claim.supportingInfo that points at it,
and the DocumentReference of packet.pdf itself when its SHA-256 is known."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from .bundle_fhir import PAS, URI, X12, Refs, clean
from .evidence import document_date, label_of
from .manifest import attachment_code_json
from .request import PacketOptions, ServiceRequest

if TYPE_CHECKING:
    from .assemble import PlacedDocument


@dataclass(frozen=True)
class Documents:
    """`references`: (resource key, DocumentReference) in packet order; `supporting`: (resource
    key, documentInformation extension or None) for the Claim's supportingInfo, in the same order."""

    references: list[tuple[str, dict[str, Any]]]
    supporting: list[tuple[str, dict[str, Any] | None]]


def build_documents(
    *,
    placed: Sequence[PlacedDocument],
    request: ServiceRequest,
    options: PacketOptions,
    created: str,
    ref: Refs,
    packet_pdf_sha256: str | None,
) -> Documents:
    # One stored file may hold several logical documents: they differ by their first page.
    keyed = [(f"document/{p.doc.document_id}/{p.file_pages[0]}", p) for p in placed]
    references = [(key, _document_reference(p, request, options, created, ref)) for key, p in keyed]
    supporting = [(key, _document_information(p, options)) for key, p in keyed]
    if packet_pdf_sha256:
        references.append(("packet", _packet_reference(packet_pdf_sha256, created, ref)))
        supporting.append(("packet", None))
    return Documents(references=references, supporting=supporting)


def _document_reference(
    p: PlacedDocument, request: ServiceRequest, options: PacketOptions, created: str, ref: Refs
) -> dict[str, Any]:
    code = attachment_code_json(p.doc.extraction.doc_type)
    when, _ = document_date(p.doc.extraction, request.request_date)
    first, last = p.pages_in_packet
    pages = f"page {first}" if first == last else f"pages {first}-{last}"
    note = "" if p.included else "; could not be rendered, a placeholder page stands for it"
    return {
        "resourceType": "DocumentReference",
        # The original's SHA-256 as published everywhere else, as an RFC 6920 "nih:" URI.
        "identifier": [{"system": URI, "value": f"nih:sha-256;{p.doc.sha256.lower()}"}],
        "status": "current",
        "type": {"coding": [{"system": code["system"], "code": code["code"], "display": code["display"]}]},
        "subject": ref.to("patient"),
        "date": created,  # R4: when this reference was made; the document's own date is below
        "description": f"{label_of(p.doc.extraction.doc_type)}, packet.pdf {pages}{note}",
        "content": [{"attachment": _attachment(p, options)}],
        "context": {"period": {"start": when.isoformat(), "end": when.isoformat()}} if isinstance(when, date) else None,
    }


def _attachment(p: PlacedDocument, options: PacketOptions) -> dict[str, Any]:
    original = p.doc.original
    base = (options.attachment_base_url or "").rstrip("/")
    return {
        "contentType": p.doc.content_type,
        # Inline bytes are what PAS's DocumentReference profile asks for (data 1..1, url 0..0);
        # a URL into our download API is the lighter alternative. With neither, no location:
        # the document is still in packet.pdf at the pages the description gives.
        "data": base64.b64encode(original).decode("ascii") if options.inline_attachments else None,
        "url": f"{base}/api/v1/documents/{p.doc.document_id}/original" if base else None,
        "size": len(original),
        "hash": base64.b64encode(hashlib.sha1(original).digest()).decode("ascii"),  # R4: SHA-1
        "title": clean(p.doc.filename),
    }


def _document_information(p: PlacedDocument, options: PacketOptions) -> dict[str, Any]:
    """PAS documentInformation on the supportingInfo: the X12 PWK01 report type, and PWK02
    "EL" when the bytes travel electronically (inline or by URL)."""
    code = attachment_code_json(p.doc.extraction.doc_type)
    electronic = options.inline_attachments or bool(options.attachment_base_url)
    parts = [{"url": "reportTypeCode", "valueCodeableConcept": {"coding": [{"system": f"{X12}/755", "code": code["pwk01"]}]}}]
    if electronic:
        parts.append(
            {
                "url": "transmissionMethod",
                "valueCodeableConcept": {"coding": [{"system": f"{X12}/756", "code": "EL", "display": "Electronically Only"}]},
            }
        )
    return {"url": f"{PAS}/StructureDefinition/extension-documentInformation", "extension": parts}


def _packet_reference(sha256: str, created: str, ref: Refs) -> dict[str, Any]:
    """packet.pdf itself: the rendition a person reviews (cover, checklist, every document with
    page stamps). Its bytes are not known here, so only its SHA-256 and its file name: it travels
    beside bundle.json in the same packet version (and its files endpoint), and no URL is made up."""
    return {
        "resourceType": "DocumentReference",
        "identifier": [{"system": URI, "value": f"nih:sha-256;{sha256.lower()}"}],
        "status": "current",
        "type": {"text": "Prior authorization submission packet"},  # no LOINC code names it
        "subject": ref.to("patient"),
        "date": created,
        "description": "packet.pdf of this packet version: cover sheet, requirements checklist and the documents above",
        "content": [{"attachment": {"contentType": "application/pdf", "title": "packet.pdf"}}],
    }
