"""Packet assembly: packet.pdf (cover, checklist, documents, bookmarks, stamps), its parts
when it is larger than the fax/portal limit, and manifest.json, as bytes. Deterministic for the
same inputs; `created_at` is passed in.

Reads top to bottom: order the documents (the payer's required form first) -> give each its
pages of its original file -> render them (images stored G4/JPEG) -> lay out the front matter
(which cites packet pages, so it is laid out until its own length is stable) -> join, bookmark,
stamp -> split by size -> manifest.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import pikepdf
from pypdf import PdfReader, PdfWriter

from extractors.models import DocumentExtraction

from .bundle import build_bundle
from .clocks import Deadline
from .cover import ChecklistRow, DocumentRow, FrontMatter, render_front_matter
from .evidence import document_date, label_of
from .first_form import RequiredForm, form_keys, required_forms
from .manifest import BuiltPart, build_manifest
from .pages import open_source, render_pages, turn_pages, upright_turns
from .parts import PartPlan, Segment, page_sizes, plan_parts
from .report import CompletenessReport, RequirementResult
from .request import PacketOptions, ServiceRequest
from .stamp import StampLabel, stamp_pages
from .summary import cover_facts, member_id_for_stamp
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


@dataclass(frozen=True)
class _Case:
    """What every layout of this packet (whole or a part) shares."""

    case_id: str
    version: int
    previous_version: int | None
    request: ServiceRequest
    report: CompletenessReport
    deadline: Deadline
    created_at: datetime
    options: PacketOptions
    forms: tuple[RequiredForm, ...]


@dataclass(frozen=True)
class _Layout:
    front_pdf: bytes
    front_pages: int
    checklist_page: int
    placed: list[PlacedDocument]


# Bytes a part adds beyond its front matter and document pages (stamps, outline, xref), per
# part and per page: only the first guess of the split; the built parts are measured.
PART_OVERHEAD, PAGE_OVERHEAD = 4_000, 600


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
    options: PacketOptions = PacketOptions(),
) -> dict[str, bytes]:
    forms = tuple(required_forms(report, [(d.document_id, d.extraction) for d in documents]))
    ctx = _Case(case_id, version, previous_version, request, report, deadline, created_at, options, forms)
    ordered = sort_documents(documents, request.request_date, first=form_keys(forms))
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

    whole = _lay_out(ctx, rendered)
    label = StampLabel(case_id, version, request.reference, member_id_for_stamp(request, [d.extraction for d in ordered]))
    segments = [(p, Segment(p.number - 1, 0, p.page_count - 1, True)) for p in whole.placed]
    packet_pdf = _join(ctx, whole.front_pdf, whole.checklist_page, segments, label)

    parts: list[BuiltPart] = []
    warnings: list[str] = []
    limit = options.max_part_bytes
    if limit is not None and len(packet_pdf) > limit:
        parts, warnings = _split(ctx, whole, label, limit, len(whole.front_pdf))
    bundle = build_bundle(
        case_id=case_id,
        version=version,
        request=request,
        placed=whole.placed,
        report=report,
        deadline=deadline,
        created_at=created_at,
        options=options,
        packet_pdf_sha256=hashlib.sha256(packet_pdf).hexdigest(),
    )
    manifest = build_manifest(
        other_files={"bundle.json": bundle},
        case_id=case_id,
        version=version,
        previous_version=previous_version,
        request=request,
        placed=whole.placed,
        report=report,
        deadline=deadline,
        created_at=created_at,
        packet_pdf=packet_pdf,
        front_pages=whole.front_pages,
        parts=parts,
        warnings=warnings,
        max_part_bytes=limit,
    )
    return {"packet.pdf": packet_pdf, **{p.name: p.pdf for p in parts}, "bundle.json": bundle, "manifest.json": manifest}


def _lay_out(ctx: _Case, rendered: list) -> _Layout:
    """The whole packet: its front matter laid out until its own length is stable."""
    doc_pages = sum(r[3] for r in rendered)
    front_pages = 2
    for _ in range(5):  # the front matter cites packet pages, which depend on its own length
        placed = _place(rendered, front_pages)
        front = _front_matter(ctx, placed, total_pages=front_pages + doc_pages)
        front_pdf, pages, checklist_page = render_front_matter(front)
        if pages == front_pages:
            break
        front_pages = pages
    # Should the layout never settle, the bookmarks and manifest still follow the real pages.
    return _Layout(front_pdf, pages, checklist_page, _place(rendered, pages))


def _part_front(
    ctx: _Case, placed: Sequence[PlacedDocument], k: int, of: int, covers: tuple[int, int], doc_pages: int
) -> _Layout:
    """A part's front matter: the whole packet's (its tables cite packet pages), with the part
    named on the cover and the part's own page count."""
    front_pages = 2
    for _ in range(5):
        first_own = front_pages + 1
        note = (
            f"Part {k} of {of}: packet pages {covers[0]}-{covers[1]}, which are pages {first_own}-{front_pages + doc_pages} "
            "of this part (the page numbers in the tables below are packet pages)"
        )
        front = _front_matter(ctx, placed, total_pages=front_pages + doc_pages, part=note)
        front_pdf, pages, checklist_page = render_front_matter(front)
        if pages == front_pages:
            break
        front_pages = pages
    return _Layout(front_pdf, pages, checklist_page, list(placed))


def _split(ctx: _Case, whole: _Layout, label: StampLabel, limit: int, front_size: int) -> tuple[list[BuiltPart], list[str]]:
    """The packet as parts of at most `limit` bytes where possible, each with the front matter."""
    placed = whole.placed
    sizes = [[s + PAGE_OVERHEAD for s in page_sizes(p.pdf)] for p in placed]
    fixed = front_size + PART_OVERHEAD  # bytes of a part besides its document pages
    for _ in range(6):
        plans = plan_parts(sizes, max(limit - fixed, 1))
        built = [_build_part(ctx, placed, plan, k, len(plans), label) for k, plan in enumerate(plans, start=1)]
        over = [b.size - limit for b in built if b.size > limit and b.page_count - b.front_pages > 1]
        if not over or fixed >= limit:
            break
        # The estimate was short by at least the overshoot: plan again with that much less room.
        fixed += max(over) + limit // 100
    warnings = []
    if front_size > limit:
        warnings.append(f"The front matter alone ({front_size} bytes) is larger than the part limit ({limit} bytes).")
    for b in built:
        if b.size > limit:
            what = (
                f"a single page (packet page {b.packet_pages[0]}), which cannot be divided"
                if b.page_count - b.front_pages == 1
                else f"packet pages {b.packet_pages[0]}-{b.packet_pages[1]}"
            )
            warnings.append(f"{b.name} is {b.size} bytes, over the part limit of {limit} bytes: it holds {what}.")
    return built, warnings


def _build_part(ctx: _Case, placed: Sequence[PlacedDocument], plan: PartPlan, k: int, of: int, label: StampLabel) -> BuiltPart:
    segs = [(placed[s.index], s) for s in plan.segments]
    covers = (segs[0][0].first_page + segs[0][1].first, segs[-1][0].first_page + segs[-1][1].last)
    doc_pages = sum(s.last - s.first + 1 for _, s in segs)
    front = _part_front(ctx, placed, k, of, covers, doc_pages)
    pdf = _join(ctx, front.front_pdf, front.checklist_page, segs, StampLabel(**{**label.__dict__, "part": (k, of)}))
    return BuiltPart(
        name=f"packet.part{k}.pdf",
        pdf=pdf,
        part=k,
        of=of,
        packet_pages=covers,
        front_pages=front.front_pages,
        page_count=front.front_pages + doc_pages,
        documents=tuple(sorted({p.number for p, _ in segs})),
    )


def _date_text(p: PlacedDocument, request_date: date) -> str:
    when, _ = document_date(p.doc.extraction, request_date)
    return when.isoformat() if when else "undated"


def bookmark_title(p: PlacedDocument, request_date: date, seg: Segment | None = None) -> str:
    """Bookmark of a document: "3. Progress note, 2026-10-02 - note.pdf" ("undated" when no
    date was read); a document cut across parts names the pages of it that a part holds."""
    title = f"{p.number}. {label_of(p.doc.extraction.doc_type)}, {_date_text(p, request_date)} - {p.doc.filename}"
    if seg is not None and not seg.whole:
        title += f" (pages {seg.first + 1}-{seg.last + 1} of {p.page_count})"
    return title


def _join(
    ctx: _Case, front_pdf: bytes, checklist_page: int, segments: Sequence[tuple[PlacedDocument, Segment]], label: StampLabel
) -> bytes:
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(front_pdf)), import_outline=False)
    writer.add_outline_item(title="Cover sheet", page_number=0)
    writer.add_outline_item(title="Requirements checklist", page_number=checklist_page - 1)
    for p, seg in segments:
        at = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(p.pdf)), pages=(seg.first, seg.last + 1), import_outline=False)
        writer.add_outline_item(title=bookmark_title(p, ctx.request.request_date, seg), page_number=at)
    stamp_pages(writer, label)
    title = f"Prior authorization packet, case {ctx.case_id} v{ctx.version}"
    if label.part:
        title += f", part {label.part[0]} of {label.part[1]}"
    writer.add_metadata({"/Title": title, "/Producer": "precert-intake"})
    out = io.BytesIO()
    writer.write(out)
    return _finish(out.getvalue())


def _finish(pdf: bytes) -> bytes:
    """Rewritten by qpdf: pypdf leaves merged content streams (stamps, text layers) uncompressed,
    which doubled a fax page; object streams pack the rest."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        out = io.BytesIO()
        doc.save(
            out,
            compress_streams=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            deterministic_id=True,
        )
    return out.getvalue()


def _is_form(d: PacketDocument, first: Sequence[tuple[str, int | None]]) -> bool:
    lo, hi = d.extraction.page_range
    return any(d.document_id == doc_id and (page is None or lo <= page <= hi) for doc_id, page in first)


def sort_documents(
    documents: Sequence[PacketDocument], request_date: date, *, first: Sequence[tuple[str, int | None]] = ()
) -> list[PacketDocument]:
    """The payer's required form(s) (`first`: document id and file page) first; then by type
    (DOC_ORDER), newest first (undated last), file name and id."""

    def key(d: PacketDocument) -> tuple:
        t = d.extraction.doc_type
        rank = -1 if _is_form(d, first) else DOC_ORDER.index(t) if t in DOC_ORDER else len(DOC_ORDER)
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


def _form_lines(forms: Sequence[RequiredForm], placed: Sequence[PlacedDocument]) -> list[str]:
    lines = []
    for f in forms:
        at = next((p for p in placed if _is_form(p.doc, [(f.document_id, f.page)])), None) if f.document_id else None
        if at is not None and at.included:
            lines.append(f"{f.name} (included, packet page {at.first_page})")
        else:
            lines.append(f"{f.name} (NOT included: the payer requires it first)")
    return lines


def _front_matter(ctx: _Case, placed: Sequence[PlacedDocument], *, total_pages: int, part: str | None = None) -> FrontMatter:
    facts = cover_facts(
        case_id=ctx.case_id,
        version=ctx.version,
        previous_version=ctx.previous_version,
        request=ctx.request,
        extractions=[p.doc.extraction for p in placed],
        report=ctx.report,
        deadline=ctx.deadline,
        created_at=ctx.created_at,
        sender=ctx.options.sender,
        total_pages=total_pages,
        part=part,
        first_forms=_form_lines(ctx.forms, placed),
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
            _date_text(p, ctx.request.request_date),
        )
        for p in placed
    ]
    return FrontMatter(
        title="Prior authorization request: supporting documentation",
        facts=facts,
        documents=docs,
        overall=ctx.report.status,
        checklist=_rows(ctx.report.requirements, placed),
    )
