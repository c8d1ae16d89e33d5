"""manifest.json: every extracted value, checksums and versions of one packet. Its shape is
published as packet_builder/schema/manifest.schema.json (schema_version below)."""

from __future__ import annotations

import hashlib
import importlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extractors.rules import attachment_codes

from .clocks import Deadline
from .hcpcs import descriptions_source
from .report import CompletenessReport
from .request import ServiceRequest

if TYPE_CHECKING:
    from .assemble import PlacedDocument

SCHEMA_VERSION = "1.2"
SCHEMA_PATH = Path(__file__).parent / "schema" / "manifest.schema.json"


LOINC = "http://loinc.org"


@dataclass(frozen=True)
class BuiltPart:
    """One size-limited part of packet.pdf."""

    name: str  # packet.part<k>.pdf
    pdf: bytes
    part: int
    of: int
    packet_pages: tuple[int, int]  # the packet's document pages it holds (1-based, inclusive)
    front_pages: int  # its own cover + checklist pages, before them
    page_count: int
    documents: tuple[int, ...]  # numbers of the documents it holds (wholly or in part)

    @property
    def size(self) -> int:
        return len(self.pdf)

    def to_json(self, limit: int | None) -> dict[str, Any]:
        return {
            "name": self.name,
            "sha256": hashlib.sha256(self.pdf).hexdigest(),
            "size": self.size,
            "part": self.part,
            "of": self.of,
            "packet_pages": list(self.packet_pages),
            "front_matter_pages": [1, self.front_pages],
            "page_count": self.page_count,
            "documents": list(self.documents),
            "over_limit": limit is not None and self.size > limit,
        }


def _file(name: str, data: bytes) -> dict[str, Any]:
    return {"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def attachment_code_json(doc_type: str) -> dict[str, Any]:
    """The document type as the codes a payer's systems know it (LOINC, X12 PWK01)."""
    entry = attachment_codes().types[doc_type]
    return {
        "system": LOINC,
        "code": entry.loinc.code,
        "display": entry.loinc.display,
        "pwk01": entry.pwk01.code,
        "fit": entry.fit,
    }


def icd10_version() -> str:
    try:
        module = importlib.import_module("extractors.icd10")
        return str(module.CODE_SET_VERSION)
    except (ImportError, AttributeError):
        return "ICD-10-CM (version not reported by extractors)"


def _request_json(request: ServiceRequest, report: CompletenessReport) -> dict[str, Any]:
    out = request.to_json()
    for line in out["service_lines"]:
        line["role"], line["service"] = report.line_role(line["code"])
    return out


def build_manifest(
    *,
    case_id: str,
    version: int,
    previous_version: int | None,
    request: ServiceRequest,
    placed: Sequence[PlacedDocument],
    report: CompletenessReport,
    deadline: Deadline,
    created_at: datetime,
    packet_pdf: bytes,
    front_pages: int,
    parts: Sequence[BuiltPart] = (),
    warnings: Sequence[str] = (),
    max_part_bytes: int | None = None,
    other_files: Mapping[str, bytes] | None = None,
) -> bytes:
    documents = []
    for p in placed:
        extraction = p.doc.extraction.to_json()
        documents.append(
            {
                "document_id": p.doc.document_id,
                "number": p.number,
                "filename": p.doc.filename,
                "content_type": p.doc.content_type,
                "sha256": p.doc.sha256,
                "source": p.doc.source,
                "doc_type": extraction["doc_type"],
                "doc_type_confidence": extraction["doc_type_confidence"],
                "attachment_code": attachment_code_json(extraction["doc_type"]),
                "pages_in_packet": list(p.pages_in_packet),
                "file_pages": list(p.file_pages),
                "page_range": extraction["page_range"],
                "included": p.included,
                "problems": list(p.problems),
                "fields": extraction["fields"],
                "facts": extraction["facts"],
            }
        )
    manifest: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "case": {"id": case_id, "request": _request_json(request, report)},
        "packet": {
            "version": version,
            "previous_version": previous_version,
            "created_at": created_at.isoformat(),
            "catalog_version": report.catalog_version,
            "code_set_versions": {"icd10": icd10_version(), "hcpcs_descriptions": descriptions_source()},
            "page_count": (placed[-1].pages_in_packet[1] if placed else front_pages),
            "front_matter_pages": [1, front_pages],
            "max_part_bytes": max_part_bytes,
            "parts": [p.to_json(max_part_bytes) for p in parts],
            "warnings": list(warnings),
        },
        "deadline": deadline.to_json(),
        "documents": documents,
        "completeness": report.to_json(),
        "files": [
            _file("packet.pdf", packet_pdf),
            *(_file(p.name, p.pdf) for p in parts),
            *(_file(name, data) for name, data in (other_files or {}).items()),
        ],
    }
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def load_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
