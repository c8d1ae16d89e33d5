"""Packet assembly: packet.pdf (cover, checklist, documents, bookmarks, stamps) and
manifest.json, as bytes. Deterministic for the same inputs; `created_at` is passed in.

Reads top to bottom: order the documents -> give each its pages of its original file ->
render them -> lay out the front matter (which cites packet pages, so it is laid out until its
own length is stable) -> join, bookmark, stamp -> manifest.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from pypdf import PdfReader, PdfWriter

from extractors.models import DocumentExtraction

from .clocks import Deadline
from .cover import ChecklistRow, DocumentRow, FrontMatter, render_front_matter
from .evidence import document_date, label_of
from .manifest import build_manifest
from .pages import open_source, render_pages, turn_pages, upright_turns
from .report import CompletenessReport, RequirementResult
from .request import ServiceRequest
from .stamp import stamp_pages
from .summary import cover_facts
from .text_layer import add_text_layer

DOC_ORDER = (
    "prior_auth_form",
    "order",
    "letter_of_medical_necessity",
    "progress_note",
    "imaging_report",
    "lab_report",
    "insurance_card",
    "other",
)
CONTENT_TYPES = ("application/pdf", "image/png", "image/jpeg", "image/tiff", "image/heic")


@dataclass(frozen=True)
class PacketDocument:
    document_id: str
    filename: str
    content_type: str  # application/pdf | image/png | image/jpeg | image/tiff
    sha256: str
    source: str  # web | api | inbox | cli
    original: bytes
    extraction: DocumentExtraction
    # Why the service could not read it (its pages are still placed, unread, when they can be).
    read_error: str | None = None


@dataclass(frozen=True)
class PlacedDocument:
    """A document as it sits in the packet."""

    doc: PacketDocument
    number: int  # 1-based order in the packet
    file_pages: tuple[int, int]  # pages of the original file used (1-based, inclusive)
    pdf: bytes
    page_count: int
    first_page: int  # 1-based packet page
    problems: tuple[str, ...]
    included: bool  # False when only a placeholder page stands for it

    @property
    def pages_in_packet(self) -> tuple[int, int]:
        return (self.first_page, self.first_page + self.page_count - 1)


def build_packet(
    *,
    case_id: str,
    version: int,
    request: ServiceRequest,
    documents: Sequence[PacketDocument],
    report: CompletenessReport,
    deadline: Deadline,
    created_at: datetime,
    previous_version: int | None = None,
) -> dict[str, bytes]:
    ordered = sort_documents(documents, request.request_date)
    sources = {d.sha256: open_source(d.original, d.content_type) for d in ordered}
    spans = file_spans(documents, {sha: src.page_count for sha, src in sources.items()})
    rendered = []
    for d in ordered:
        src = sources[d.sha256]
        first, last = spans[span_key(d)]
        pdf, problems = render_pages(src, first, last, title=f"{label_of(d.extraction.doc_type)}: {d.filename}")
        if src.problem is None:
            pdf = turn_pages(pdf, first, upright_turns(d.extraction.pages))
            pdf = add_text_layer(pdf, first, d.extraction.pages)
        if d.read_error:
            problems = [f"not read by the service: {d.read_error}", *problems]
        rendered.append((d, (first, last), pdf, len(PdfReader(io.BytesIO(pdf)).pages), tuple(problems), src.problem is None))

    front_pages = 2
    for _ in range(5):  # the front matter cites packet pages, which depend on its own length
        placed = _place(rendered, front_pages)
        front = _front_matter(case_id, version, previous_version, request, placed, report, deadline, created_at)
        front_pdf, pages, checklist_page = render_front_matter(front)
        if pages == front_pages:
            break
        front_pages = pages
    # Should the layout never settle, the bookmarks and manifest still follow the real pages.
    placed = _place(rendered, pages)
    front_pages = pages

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(front_pdf)), import_outline=False)
    writer.add_outline_item(title="Cover sheet", page_number=0)
    writer.add_outline_item(title="Requirements checklist", page_number=checklist_page - 1)
    for p in placed:
        writer.append(PdfReader(io.BytesIO(p.pdf)), import_outline=False)
        writer.add_outline_item(
            title=f"{p.number}. {label_of(p.doc.extraction.doc_type)} - {p.doc.filename}", page_number=p.first_page - 1
        )
    stamp_pages(writer, case_id=case_id, version=version)
    writer.add_metadata({"/Title": f"Prior authorization packet, case {case_id} v{version}", "/Producer": "precert-intake"})
    out = io.BytesIO()
    writer.write(out)
    packet_pdf = out.getvalue()

    manifest = build_manifest(
        case_id=case_id,
        version=version,
        previous_version=previous_version,
        request=request,
        placed=placed,
        report=report,
        deadline=deadline,
        created_at=created_at,
        packet_pdf=packet_pdf,
        front_pages=front_pages,
    )
    return {"packet.pdf": packet_pdf, "manifest.json": manifest}


def sort_documents(documents: Sequence[PacketDocument], request_date: date) -> list[PacketDocument]:
    """By type (DOC_ORDER), then newest first (undated last), then file name and id."""

    def key(d: PacketDocument) -> tuple:
        t = d.extraction.doc_type
        rank = DOC_ORDER.index(t) if t in DOC_ORDER else len(DOC_ORDER)
        when, _ = document_date(d.extraction, request_date)
        return (rank, -(when.toordinal() if when else 0), d.filename, d.extraction.page_range[0], d.document_id)

    return sorted(documents, key=key)


def span_key(d: PacketDocument) -> tuple[str, int]:
    # One stored document (one document_id) may hold several logical documents (an order and
    # a note in one fax): they differ by where their page range starts.
    return d.document_id, d.extraction.page_range[0]


def file_spans(documents: Sequence[PacketDocument], page_counts: dict[str, int]) -> dict[tuple[str, int], tuple[int, int]]:
    """The pages of its original file each document takes, by `span_key`. Documents cut from
    one file (same sha256) split it at their start pages, so every page lands in exactly one
    document even when the extractors' page ranges leave a gap. `page_counts`: pages per sha256."""
    by_file: dict[str, list[PacketDocument]] = {}
    for d in documents:
        by_file.setdefault(d.sha256, []).append(d)
    spans: dict[str, tuple[int, int]] = {}
    for docs in by_file.values():
        count = page_counts.get(docs[0].sha256, 0)
        if len(docs) == 1:
            spans[span_key(docs[0])] = (1, max(count, 1))
            continue
        docs = sorted(docs, key=lambda d: (d.extraction.page_range[0], d.document_id))
        starts = sorted({min(max(d.extraction.page_range[0], 1), max(count, 1)) for d in docs})
        for d in docs:
            start = min(max(d.extraction.page_range[0], 1), max(count, 1))
            if start == starts[0]:
                start = 1  # pages before the first range belong to the first document
            later = [s for s in starts if s > start]
            spans[span_key(d)] = (start, (later[0] - 1) if later else max(count, 1))
    return spans


def _place(rendered: list, front_pages: int) -> list[PlacedDocument]:
    placed, page = [], front_pages + 1
    for number, (d, span, pdf, count, problems, included) in enumerate(rendered, start=1):
        placed.append(PlacedDocument(d, number, span, pdf, count, page, problems, included))
        page += count
    return placed


def _references(result: RequirementResult, placed: Sequence[PlacedDocument]) -> str:
    by_id = {p.doc.document_id: p for p in placed}
    refs: list[str] = []
    for ev in result.evidence:
        p = by_id.get(ev.document_id or "")
        if p is None:
            continue
        offset = min(max(ev.page - p.file_pages[0], 0), p.page_count - 1)
        ref = f"{label_of(p.doc.extraction.doc_type)} (doc {p.number}), p. {p.first_page + offset}"
        if ref not in refs:
            refs.append(ref)
    return "; ".join(refs[:4]) + (f"; +{len(refs) - 4} more" if len(refs) > 4 else "")


def _rows(
    results: Sequence[RequirementResult], placed: Sequence[PlacedDocument], depth: int = 0, parent_met: bool = False
) -> list[ChecklistRow]:
    rows = []
    for r in results:
        if parent_met and r.status != "met":
            # An alternative of a met any-of group: not a gap, so not shown as one.
            rows.append(ChecklistRow(r.label, r.id, "not needed", "Another alternative of this group is met.", "", depth))
        else:
            rows.append(ChecklistRow(r.label, r.id, r.status, r.message, _references(r, placed), depth))
        rows.extend(_rows(r.children, placed, depth + 1, parent_met=r.status == "met" and r.kind == "any_of"))
    return rows


def _front_matter(
    case_id: str,
    version: int,
    previous_version: int | None,
    request: ServiceRequest,
    placed: Sequence[PlacedDocument],
    report: CompletenessReport,
    deadline: Deadline,
    created_at: datetime,
) -> FrontMatter:
    facts = cover_facts(
        case_id=case_id,
        version=version,
        previous_version=previous_version,
        request=request,
        extractions=[p.doc.extraction for p in placed],
        report=report,
        deadline=deadline,
        created_at=created_at,
    )
    docs = [
        DocumentRow(
            p.number,
            label_of(p.doc.extraction.doc_type),
            p.doc.filename,
            f"{p.pages_in_packet[0]}-{p.pages_in_packet[1]}" if p.page_count > 1 else str(p.first_page),
            "not readable: placeholder page"
            if not p.included
            else (f"{len(p.problems)} page(s) replaced by placeholders" if p.problems else ""),
        )
        for p in placed
    ]
    return FrontMatter(
        title="Prior authorization request: supporting documentation",
        facts=facts,
        documents=docs,
        overall=report.status,
        checklist=_rows(report.requirements, placed),
    )
