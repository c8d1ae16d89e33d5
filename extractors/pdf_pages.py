"""PDF pages: the text layer with real character boxes, AcroForm values, or a render for OCR."""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from extractors.errors import DamagedFileError, EncryptedPdfError, ImageTooLargeError, TooManyPagesError
from extractors.models import Page, Word
from extractors.pdf_repair import repair_pdf

# PDFium is not thread-safe, even across documents: every call into it in this process holds
# this lock (the API checks uploads in a thread pool while the inbox watcher runs in another).
PDFIUM_LOCK = threading.RLock()


@dataclass(frozen=True)
class PageDecision:
    method: str  # text_layer | form_field | ocr
    reason: str


_WORDISH = re.compile(r"[A-Za-z]{2,}")


@dataclass(frozen=True)
class PageLayout:
    """What a page is made of, as far as choosing how to read it goes."""

    image_coverage: float = 0.0  # fraction of the page area under images
    text_extent: float = 1.0  # fraction of the page height spanned by text-layer characters
    scan_dpi: float | None = None  # resolution of the image that covers most of the page, if any


# Tesseract reads body text best with an x-height of 20-30 px, i.e. at about 300 DPI.
OCR_DPI = 300
MIN_NATIVE_DPI = 200  # below this, a scan is enlarged to OCR_DPI: its letters are too small
MAX_NATIVE_DPI = 400  # above this, a scan is reduced to OCR_DPI: more pixels only cost time


def ocr_render_dpi(scan_dpi: float | None, *, default: int = OCR_DPI) -> int:
    """The resolution to render a page at for OCR. A scan is read at its own resolution where
    that is good for OCR (resampling it blurs the letters: a 200-DPI scan read at 200 DPI had
    1-2 fewer wrong words per page than read at 300); a page with no scan is rendered at
    `default`."""
    if scan_dpi is None or scan_dpi <= 0:
        return default
    if scan_dpi < MIN_NATIVE_DPI or scan_dpi > MAX_NATIVE_DPI:
        return default
    return round(scan_dpi)


def decide_page(text: str, *, form_values: int = 0, layout: PageLayout = PageLayout()) -> PageDecision:
    """Choose how to read a PDF page from what its text layer holds. Pure, so it is testable."""
    stripped = text.strip()
    if "(cid:" in stripped or stripped.count("\ufffd") > 5:
        return PageDecision("ocr", "text layer is glyph soup (unmapped font codes)")
    tokens = stripped.split()
    if form_values and len(tokens) < 20:
        return PageDecision("form_field", f"filled form: {form_values} field values, little page text")
    if len(tokens) < 8:
        return PageDecision("ocr", f"no usable text layer ({len(tokens)} words)")
    wordish = sum(1 for t in tokens if _WORDISH.search(t))
    if wordish / len(tokens) < 0.4:
        return PageDecision("ocr", f"text layer looks like noise ({wordish}/{len(tokens)} word-like tokens)")
    if layout.image_coverage >= 0.8 and layout.text_extent < 0.5:
        # A scan whose earlier OCR layer reaches only part of the page: the rest would be lost.
        return PageDecision(
            "ocr", f"text layer spans {layout.text_extent:.0%} of a scanned page's height: reading the whole image"
        )
    if form_values:
        return PageDecision("form_field", f"text layer plus {form_values} form field values")
    return PageDecision("text_layer", f"text layer with {len(tokens)} words")


def page_layout(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage | None) -> PageLayout:
    """Image coverage and text extent, both measured on the page as shown (crop box, /Rotate)."""
    to_shown = shown_box_mapper(page)
    covered = largest = 0.0
    scan_dpi = None
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        u0, v0, u1, v1 = to_shown(left, bottom, right, top)
        area = max(0.0, min(u1, 1.0) - max(u0, 0.0)) * max(0.0, min(v1, 1.0) - max(v0, 0.0))
        covered += area
        if area > largest and area >= 0.5:
            largest = area
            px_w, px_h = obj.get_px_size()
            shown_w, shown_h = max(right - left, 1e-6) / 72, max(top - bottom, 1e-6) / 72
            # The geometric mean is the same whichever way the image is turned on the page.
            scan_dpi = ((px_w * px_h) / (shown_w * shown_h)) ** 0.5
    coverage = min(covered, 1.0)
    if coverage < 0.8 or textpage is None:
        return PageLayout(coverage, 1.0, scan_dpi)  # not a scan: the text's extent does not matter
    boxes = [to_shown(*textpage.get_charbox(i)) for i in range(textpage.count_chars())]
    boxes = [b for b in boxes if b[3] > b[1]]
    if not boxes:
        return PageLayout(coverage, 0.0, scan_dpi)
    extent = max(b[3] for b in boxes) - min(b[1] for b in boxes)
    return PageLayout(coverage, min(max(extent, 0.0), 1.0), scan_dpi)


def open_pdf(data: bytes, *, max_pages: int) -> pdfium.PdfDocument:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            raise EncryptedPdfError(
                "The PDF is password-protected. Remove the password (print to a new PDF) and upload it again."
            ) from exc
        pdf = _recover(data)
    if len(pdf) == 0:
        raise DamagedFileError("The PDF has no pages. Re-scan or re-export the document.")
    if len(pdf) > max_pages:
        raise TooManyPagesError(f"The PDF has {len(pdf)} pages; the limit is {max_pages}. Split it and upload the parts.")
    return pdf


def _recover(data: bytes) -> pdfium.PdfDocument:
    """A PDF that PDFium cannot open: open what repair_pdf rebuilds from it."""
    try:
        return pdfium.PdfDocument(repair_pdf(data))
    except pdfium.PdfiumError as exc:
        raise DamagedFileError("The PDF is damaged and could not be repaired. Re-export or re-scan the document.") from exc


def has_form(pdf: pdfium.PdfDocument) -> bool:
    """Whether the PDF has an AcroForm (or XFA form): cheap, unlike reading the fields."""
    return pdfium_c.FPDF_GetFormType(pdf) != pdfium_c.FORMTYPE_NONE


def form_values_by_page(data: bytes) -> dict[int, list[tuple[str, str]]]:
    """AcroForm field values (label, value) per 0-based page; empty when the PDF is no form."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            reader.decrypt("")
        if "/AcroForm" not in reader.trailer["/Root"]:
            return {}
        found: dict[int, list[tuple[str, str]]] = {}
        for index, page in enumerate(reader.pages):
            for annot in page.get("/Annots") or []:
                obj = annot.get_object()
                if obj.get("/Subtype") != "/Widget":
                    continue
                parent = obj.get("/Parent")
                name = obj.get("/T") or (parent.get_object().get("/T") if parent else None)
                value = obj.get("/V")
                if value is None and parent is not None:
                    value = parent.get_object().get("/V")
                label = obj.get("/TU") or name
                if value in (None, "", "/Off") or label is None:
                    continue
                found.setdefault(index, []).append((str(label), str(value).lstrip("/")))
        return found
    except Exception:
        return {}


def shown_box_mapper(page: pdfium.PdfPage) -> Callable[[float, float, float, float], tuple[float, float, float, float]]:
    """Page-space boxes (PDF points, y up, before /Rotate and the crop box) -> fractions of the
    page as it is shown (top-left origin, after the crop box and /Rotate), as evidence needs."""
    crop_left, crop_bottom, crop_right, crop_top = page.get_cropbox()
    crop_w, crop_h = max(crop_right - crop_left, 1e-6), max(crop_top - crop_bottom, 1e-6)
    turn = page.get_rotation() % 360

    def point(x: float, y: float) -> tuple[float, float]:
        u, v = (x - crop_left) / crop_w, (crop_top - y) / crop_h  # unturned, top-left origin
        if turn == 90:
            return 1 - v, u
        if turn == 180:
            return 1 - u, 1 - v
        if turn == 270:
            return v, 1 - u
        return u, v

    def box(left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        (u0, v0), (u1, v1) = point(left, top), point(right, bottom)
        return (min(u0, u1), min(v0, v1), max(u0, u1), max(v0, v1))

    return box


def text_layer_page(
    page: pdfium.PdfPage,
    index: int,
    decision: PageDecision,
    form_values: list[tuple[str, str]],
    textpage: pdfium.PdfTextPage | None = None,
) -> Page:
    """Words with boxes from the PDF's own characters (and form values appended as lines)."""
    width, height = page.get_size()
    to_shown = shown_box_mapper(page)
    own = textpage is None
    textpage = page.get_textpage() if textpage is None else textpage
    try:
        raw = textpage.get_text_range()
        # pdfium ends lines with \r\n; keep offsets aligned with its char indexes.
        text = raw.replace("\r\n", " \n").replace("\r", "\n")
        words: list[Word] = []
        if len(text) == textpage.count_chars():
            for m in re.finditer(r"\S+", text):
                # A word's box from its first and last characters' font boxes (which span the
                # line's ascent and descent): two calls per word instead of one per character,
                # the bulk of reading a text page.
                first, last = textpage.get_charbox(m.start(), loose=True), textpage.get_charbox(m.end() - 1, loose=True)
                left, right = min(first[0], last[0]), max(first[2], last[2])
                bottom, top = min(first[1], last[1]), max(first[3], last[3])
                if right <= left or top <= bottom:
                    continue
                words.append(Word(m.group(), to_shown(left, bottom, right, top), 1.0, m.start(), m.end()))
    finally:
        if own:
            textpage.close()
    if form_values:
        lines = "\n".join(f"{label}: {value}" for label, value in form_values)
        base = len(text) + 1
        text = f"{text}\n{lines}"
        for m in re.finditer(r"\S+", lines):
            words.append(Word(m.group(), (0.0, 0.0, 1.0, 1.0), 1.0, base + m.start(), base + m.end()))
    method = "form_field" if decision.method == "form_field" else "text_layer"
    return Page(
        index=index,
        text=text,
        method=method,
        words=tuple(words),
        confidence=1.0,
        width=width,
        height=height,
        decision=decision.reason,
        form_fields=tuple(form_values),
    )


MIN_OCR_DPI = 100  # below this, text of ordinary size is too small for OCR


def _page_too_large(width: float, height: float, index: int) -> ImageTooLargeError:
    return ImageTooLargeError(
        f"Page {index + 1} of the PDF is {width / 72:.0f} x {height / 72:.0f} inches, too large to read. "
        "Re-scan or re-export it at letter size."
    )


def check_page_sizes(pdf: pdfium.PdfDocument, *, max_pixels: int) -> None:
    """Refuse, at intake, a page that could not be rendered for OCR within the pixel limit."""
    for index in range(len(pdf)):
        width, height = pdf.get_page_size(index)
        if (width * MIN_OCR_DPI / 72) * (height * MIN_OCR_DPI / 72) > max_pixels:
            raise _page_too_large(width, height, index)


def render_page(page: pdfium.PdfPage, *, dpi: int, max_pixels: int, index: int = 0) -> Image.Image:
    width, height = page.get_size()
    pixels = (width * dpi / 72) * (height * dpi / 72)
    if pixels > max_pixels:
        dpi = int(dpi * (max_pixels / pixels) ** 0.5)
        if dpi < MIN_OCR_DPI:
            raise _page_too_large(width, height, index)
    return page.render(scale=dpi / 72, grayscale=True).to_pil()


def iter_pdf_pages(
    pdf: pdfium.PdfDocument, form_values: dict[int, list[tuple[str, str]]]
) -> Iterator[tuple[int, pdfium.PdfPage, pdfium.PdfTextPage, PageDecision, PageLayout]]:
    """Each page with its text page and the decision how to read it; both are closed when the
    consumer asks for the next page."""
    for index in range(len(pdf)):
        page = pdf[index]
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_range()
            # Without text, only the scan's resolution matters (for rendering it).
            layout = page_layout(page, textpage if text.strip() else None)
            decision = decide_page(text, form_values=len(form_values.get(index, [])), layout=layout)
            yield index, page, textpage, decision, layout
        finally:
            textpage.close()
            page.close()
