"""Builders of synthetic extractions for the packet_builder tests (invented data only)."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from extractors.models import DocumentExtraction, Evidence, FieldValue, Page
from packet_builder.assemble import PacketDocument
from packet_builder.request import ServiceRequest

REQUEST_DATE = date(2026, 11, 2)


def fv(name: str, value: Any, *, page: int = 1, doc_id: str = "doc-1", conf: float = 0.95, **attrs: Any) -> FieldValue:
    return FieldValue(
        name=name,
        value=value,
        confidence=conf,
        evidence=Evidence(page=page, snippet=f"{name}: {value}", method="text_layer", confidence=conf, document_id=doc_id),
        attributes=attrs,
    )


def doc(
    doc_type: str,
    *,
    doc_id: str,
    text: str = "",
    pages: int = 1,
    fields: dict | None = None,
    facts: dict | None = None,
    file: str | None = None,
) -> DocumentExtraction:
    def tag(values: dict | None) -> dict:
        out = {}
        for name, items in (values or {}).items():
            out[name] = tuple(
                fv(name, item[0], doc_id=doc_id, **item[1]) if isinstance(item, tuple) else fv(name, item, doc_id=doc_id)
                for item in items
            )
        return out

    return DocumentExtraction(
        file=file or f"{doc_id}.pdf",
        doc_type=doc_type,
        doc_type_confidence=0.9,
        pages=tuple(Page(index=i, text=text, method="text_layer") for i in range(pages)),
        page_range=(1, pages),
        fields=tag(fields),
        facts=tag(facts),
    )


def mri_request(**kw: Any) -> ServiceRequest:
    base: dict[str, Any] = {
        "service_codes": ("72148",),
        "request_date": REQUEST_DATE,
        "plan_type": "medicare_advantage",
        "state": "WA",
    }
    base.update(kw)
    return ServiceRequest(**base)


def mri_docs(
    *,
    note_date: str = "2026-10-20",
    therapy: tuple | None = None,
    icd: tuple | None = None,
    order_code: str = "72148",
    npi: tuple | None = None,
    red_flag: tuple | None = None,
) -> list[DocumentExtraction]:
    therapy = therapy or ("physical_therapy", {"duration_weeks": 8.0, "outcome": "failed", "assertion": "present"})
    icd = icd or ("M54.16", {"description": "Radiculopathy, lumbar region", "billable": True, "assertion": "present"})
    npi = npi or ("1234567893", {"role": "ordering", "valid": True})
    facts: dict = {"conservative_therapy": [therapy], "symptom_duration": [(4.0, {"unit": "weeks", "assertion": "present"})]}
    if red_flag:
        facts["red_flag"] = [red_flag]
    return [
        doc("insurance_card", doc_id="card", fields={"member_id": ["XZA123456789"], "patient_name": ["Pat Testcase"]}),
        doc("order", doc_id="order", fields={"cpt": [order_code], "npi": [npi], "document_date": ["2026-10-30"], "icd10": [icd]}),
        doc(
            "progress_note",
            doc_id="note",
            text="Low back pain radiating to left leg.",
            fields={"document_date": [note_date], "icd10": [icd]},
            facts=facts,
        ),
    ]


def packet_doc(doc_id: str, filename: str, content_type: str, data: bytes, extraction) -> PacketDocument:
    """A document as the packet builder takes it, from its bytes and what was read from it."""
    return PacketDocument(
        document_id=doc_id,
        filename=filename,
        content_type=content_type,
        sha256=hashlib.sha256(data).hexdigest(),
        source="web",
        original=data,
        extraction=extraction.with_document_id(doc_id),
    )
