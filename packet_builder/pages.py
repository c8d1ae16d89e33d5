"""Turn an original file (PDF or image) into PDF pages for the packet.

PDF pages are copied with pypdf (an empty user password is tried on encrypted files) and their
big scan images recompressed (compress.py); images become one page per frame (all TIFF
frames), upright by their EXIF orientation, sized by their own DPI so a 204x98 DPI fax keeps
its aspect, each stored as G4 or JPEG (compress.py). Anything that cannot be read becomes a
placeholder page that says so: a packet never silently drops a page.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pikepdf
from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from extractors.errors import PrecertError
from extractors.heif import heif_available
from extractors.models import Page
from extractors.pdf_repair import repair_pdf

from .compress import encode_image, image_xobject, recompress_pdf

IMAGE_TYPES = ("image/png", "image/jpeg", "image/tiff", "image/heic")
LETTER_W, LETTER_H = letter
MAX_PAGE_IN = 17.0  # pages larger than this (tabloid) are scaled down to letter
FALLBACK_DPI = 200.0


@dataclass
class SourceFile:
    """An opened original: how many pages it has, or why it cannot be read."""

    content_type: str
    page_count: int
    problem: str | None = None
    reader: PdfReader | None = None
    image: Any = None  # PIL image, for image types


def open_source(data: bytes, content_type: str) -> SourceFile:
    if content_type == "application/pdf":
        return _open_pdf(data)
    if content_type in IMAGE_TYPES:
        if content_type == "image/heic" and not heif_available():
            return SourceFile(content_type, 0, problem="HEIC photos cannot be read here (pillow-heif is missing)")
        try:
            img = Image.open(io.BytesIO(data))
            return SourceFile(content_type, int(getattr(img, "n_frames", 1)), image=img)
        except Exception as exc:
            return SourceFile(content_type, 0, problem=f"the image could not be read ({type(exc).__name__})")
    return SourceFile(content_type, 0, problem=f"the file type {content_type} cannot be placed in a packet")


def _open_pdf(data: bytes) -> SourceFile:
    try:
        return _pdf_source(data)
    except Exception:
        try:
            return _pdf_source(repair_pdf(data))
        except PrecertError as exc:
            return SourceFile("application/pdf", 0, problem=str(exc).rstrip("."))
        except Exception as exc:
            return SourceFile("application/pdf", 0, problem=f"the PDF could not be read ({type(exc).__name__})")


def _pdf_source(data: bytes) -> SourceFile:
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        return SourceFile("application/pdf", 0, problem="the PDF is protected by a password")
    count = len(reader.pages)
    if count == 0:
        raise ValueError("no pages")
    return SourceFile("application/pdf", count, reader=reader)


def render_pages(source: SourceFile, first: int, last: int, *, title: str) -> tuple[bytes, list[str]]:
    """PDF bytes holding pages `first`..`last` (1-based, inclusive) of `source`, and the
    problems met (one per page replaced by a placeholder)."""
    if source.problem or source.page_count == 0:
        reason = source.problem or "the file has no pages"
        return placeholder_pdf(title, reason), [reason]
    if source.reader is not None:
        pdf, problems = _pdf_pages(source.reader, first, last, title)
        return recompress_pdf(pdf), problems
    return _image_pages(source.image, first, last, title)


def _pdf_pages(reader: PdfReader, first: int, last: int, title: str) -> tuple[bytes, list[str]]:
    writer = PdfWriter()
    problems: list[str] = []
    try:
        writer.append(reader, pages=(first - 1, last), import_outline=False)
        return _write(writer), problems
    except Exception:
        writer = PdfWriter()
    for i in range(first - 1, last):
        try:
            page_writer = PdfWriter()
            page_writer.add_page(reader.pages[i])
            page_bytes = _write(page_writer)
        except Exception as exc:
            reason = f"page {i + 1} could not be copied ({type(exc).__name__})"
            problems.append(reason)
            page_bytes = placeholder_pdf(title, reason)
        writer.append(PdfReader(io.BytesIO(page_bytes)))
    return _write(writer), problems


def _image_pages(img: Any, first: int, last: int, title: str) -> tuple[bytes, list[str]]:
    pdf = pikepdf.new()
    problems: list[str] = []
    keep_open = []  # pikepdf copies a foreign page's objects only when the target is saved
    for i in range(first - 1, last):
        try:
            img.seek(i)
            _add_frame(pdf, img)
        except Exception as exc:
            reason = f"frame {i + 1} could not be decoded ({type(exc).__name__})"
            problems.append(reason)
            holder = pikepdf.open(io.BytesIO(placeholder_pdf(title, reason)))
            keep_open.append(holder)
            pdf.pages.append(holder.pages[0])
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    for holder in keep_open:
        holder.close()
    return out.getvalue(), problems


def _dpi(frame: Any) -> tuple[float, float] | None:
    dpi = frame.info.get("dpi")
    if not dpi:
        return None
    try:
        x, y = float(dpi[0]), float(dpi[1])
    except (TypeError, ValueError, IndexError):
        return None
    if not (30 <= x <= 2400 and 30 <= y <= 2400):
        return None
    return x, y


def frame_geometry(frame: Any) -> tuple[Any, float, float]:
    """The frame upright (EXIF orientation applied) and its page size in points: from its own
    DPI (a 204x98 fax keeps its aspect), fitted into letter when it has none or is huge."""
    orientation = frame.getexif().get(0x0112, 1)
    dpi = _dpi(frame)
    upright = ImageOps.exif_transpose(frame.copy())
    if dpi and orientation in (5, 6, 7, 8):  # a quarter turn swaps the axes' resolutions
        dpi = (dpi[1], dpi[0])
    px_w, px_h = upright.size
    if dpi:
        w, h = px_w / dpi[0] * 72.0, px_h / dpi[1] * 72.0
    else:
        w, h = px_w / FALLBACK_DPI * 72.0, px_h / FALLBACK_DPI * 72.0
    if max(w, h) > MAX_PAGE_IN * 72 or not dpi:
        # Fit into a letter page (turned to the image's orientation), keeping the aspect.
        box_w, box_h = (LETTER_H, LETTER_W) if w > h else (LETTER_W, LETTER_H)
        scale = min(box_w / w, box_h / h)
        if dpi or scale < 1:
            w, h = w * scale, h * scale
    return upright, w, h


def _add_frame(pdf: pikepdf.Pdf, frame: Any) -> None:
    upright, w, h = frame_geometry(frame)
    enc = encode_image(upright, (upright.width / (w / 72.0), upright.height / (h / 72.0)))
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=pikepdf.Array([0, 0, round(w, 4), round(h, 4)]),
        Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image_xobject(pdf, enc))),
        Contents=pikepdf.Stream(pdf, f"q {w:.4f} 0 0 {h:.4f} 0 0 cm /Im0 Do Q".encode()),
    )
    pdf.pages.append(pikepdf.Page(page))


def _draw_placeholder(c: canvas.Canvas, title: str, reason: str) -> None:
    c.setPageSize(letter)
    c.setFont("Helvetica-Bold", 16)
    c.drawString(72, LETTER_H - 144, "Document could not be included")
    c.setFont("Helvetica", 11)
    y = LETTER_H - 174
    for line in (
        f"Document: {title}",
        f"Reason: {reason}.",
        "The original is kept unchanged in the case file; the manifest lists it.",
        "Ask the sender for a readable copy if the payer needs it.",
    ):
        c.drawString(72, y, line[:110])
        y -= 18


def placeholder_pdf(title: str, reason: str) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    _draw_placeholder(c, title, reason)
    c.showPage()
    c.save()
    return buf.getvalue()


def upright_turns(pages: Sequence[Page]) -> dict[int, int]:
    """File page (1-based) -> clockwise degrees the page needs to read upright (found by OCR)."""
    return {p.index + 1: p.rotation for p in pages if p.rotation in (90, 180, 270)}


def turn_pages(pdf: bytes, first_file_page: int, turns: dict[int, int]) -> bytes:
    """Turn the pages of `pdf` (which starts at file page `first_file_page`) upright."""
    reader = PdfReader(io.BytesIO(pdf))
    wanted = {i: turns[first_file_page + i] for i in range(len(reader.pages)) if first_file_page + i in turns}
    if not wanted:
        return pdf
    writer = PdfWriter(clone_from=reader)
    for i, degrees in wanted.items():
        writer.pages[i].rotate(degrees)
    return _write(writer)


def _write(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
