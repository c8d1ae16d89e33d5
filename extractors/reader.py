"""Bytes -> pages: the per-file orchestration of the readers.

PDF pages are read from their text layer or form fields when those are real, and OCRed
otherwise; every frame of a TIFF and every photo is OCRed. Pages are rendered one at a time in
this thread (PDFium is not thread-safe) and OCRed by `OcrSettings.workers` Tesseract processes
at once; at most a few rendered images are alive, so a 200-page fax never holds 200 of them.
"""

from __future__ import annotations

import io
import warnings
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from PIL import Image

from extractors.errors import DamagedFileError, ImageTooLargeError, PrecertError, TooManyPagesError
from extractors.models import Page
from extractors.ocr_page import OcrSettings, ocr_page, prepare_image
from extractors.pdf_pages import (
    PDFIUM_LOCK,
    check_page_sizes,
    form_values_by_page,
    has_form,
    iter_pdf_pages,
    ocr_render_dpi,
    open_pdf,
    render_page,
    text_layer_page,
)
from extractors.sniff import PDF, FileKind, sniff


@dataclass(frozen=True)
class ReadLimits:
    max_pages: int = 500
    max_pixels: int = 60_000_000  # per page after decoding: ~ a 600-DPI tabloid page
    ocr_dpi: int = 300


@dataclass(frozen=True)
class OcrJob:
    """A page image waiting for OCR."""

    image: Image.Image
    index: int
    dpi: int
    decision: str


def read_pages(
    data: bytes, *, limits: ReadLimits = ReadLimits(), ocr: OcrSettings = OcrSettings()
) -> tuple[FileKind, list[Page]]:
    kind = sniff(data[:1024])
    work = _pdf_pages(data, limits) if kind == PDF else _image_pages(data, limits)
    return kind, list(_ocr_in_order(work, ocr))


def _ocr_in_order(work: Iterator[Page | OcrJob], ocr: OcrSettings) -> Iterator[Page]:
    """Pages in file order; OCR jobs run `ocr.workers` at a time. Each job is a Tesseract child
    process, so threads are enough to keep that many cores busy."""
    if ocr.workers <= 1:
        for item in work:
            yield item if isinstance(item, Page) else _ocr(item, ocr)
        return
    pending: deque[Future[Page] | Page] = deque()
    pool = ThreadPoolExecutor(max_workers=ocr.workers, thread_name_prefix="ocr")
    try:
        for item in work:
            pending.append(item if isinstance(item, Page) else pool.submit(_ocr, item, ocr))
            # Bound the rendered images alive: wait for the oldest once the window is full.
            while sum(isinstance(p, Future) for p in pending) > ocr.workers or (pending and isinstance(pending[0], Page)):
                head = pending.popleft()
                yield head if isinstance(head, Page) else head.result()
        while pending:
            head = pending.popleft()
            yield head if isinstance(head, Page) else head.result()
    finally:
        # On an error (a damaged page, a limit) the queued pages are not OCRed for nothing.
        pool.shutdown(wait=True, cancel_futures=True)


def _ocr(job: OcrJob, ocr: OcrSettings) -> Page:
    return ocr_page(job.image, job.index, settings=ocr, dpi=job.dpi, decision=job.decision)


def _pdf_pages(data: bytes, limits: ReadLimits) -> Iterator[Page | OcrJob]:
    """PDFium work happens under PDFIUM_LOCK, released while the consumer handles each page."""
    with PDFIUM_LOCK:
        pdf = open_pdf(data, max_pages=limits.max_pages)
        forms = form_values_by_page(data) if has_form(pdf) else {}
        pages = iter_pdf_pages(pdf, forms)
    try:
        while True:
            with PDFIUM_LOCK:
                step = next(pages, None)
                if step is None:
                    return
                index, page, textpage, decision, layout = step
                if decision.method in ("text_layer", "form_field"):
                    item: Page | OcrJob = text_layer_page(page, index, decision, forms.get(index, []), textpage)
                else:
                    dpi = ocr_render_dpi(layout.scan_dpi, default=limits.ocr_dpi)
                    image = render_page(page, dpi=dpi, max_pixels=limits.max_pixels, index=index)
                    # Lower than asked when the pixel limit applied.
                    dpi = round(72 * (image.width * image.height / (page.get_width() * page.get_height())) ** 0.5)
                    reason = f"{decision.reason}; rendered at {dpi} DPI" + (
                        f" (scanned at {layout.scan_dpi:.0f})" if layout.scan_dpi else ""
                    )
                    item = OcrJob(image, index, dpi, reason)
            yield item
    finally:
        with PDFIUM_LOCK:
            pages.close()  # closes the page it holds open
            pdf.close()


@contextmanager
def _open_image(data: bytes, limits: ReadLimits) -> Iterator[Image.Image]:
    """Open an image within the page and pixel limits; damage and bombs become clear errors."""
    Image.MAX_IMAGE_PIXELS = limits.max_pixels
    too_large = ImageTooLargeError(
        f"The image is too large to read safely (limit {limits.max_pixels // 1_000_000} megapixels). Scan at 300 DPI."
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            frames = getattr(image, "n_frames", 1)
            if frames > limits.max_pages:
                raise TooManyPagesError(
                    f"The image file has {frames} pages; the limit is {limits.max_pages}. Split it and upload the parts."
                )
            if image.width * image.height > limits.max_pixels:
                raise too_large
            yield image
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise too_large from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise DamagedFileError("The image is damaged or truncated. Re-scan or re-send the document.") from exc


def _image_pages(data: bytes, limits: ReadLimits) -> Iterator[Page | OcrJob]:
    with _open_image(data, limits) as image:
        for index in range(getattr(image, "n_frames", 1)):
            try:
                image.seek(index)
                if image.width * image.height > limits.max_pixels:  # TIFF frames each have their own size
                    raise ImageTooLargeError(f"Page {index + 1} of the image file is too large to read safely. Scan at 300 DPI.")
                dpi = _dpi(image)
                image.load()
                prepared = prepare_image(image, dpi=dpi)
            except (OSError, EOFError, SyntaxError, ValueError) as exc:
                if index == 0:
                    raise  # nothing readable: the whole file is damaged
                # A truncated last fax page costs that page, not the pages before it.
                yield Page(
                    index=index,
                    text="",
                    method="ocr",
                    confidence=0.0,
                    error=f"page could not be decoded ({type(exc).__name__})",
                    decision="image page: damaged",
                )
                continue
            ocr_dpi = int(dpi[0]) if dpi and 100 <= dpi[0] <= 1200 else 300
            yield OcrJob(prepared, index, ocr_dpi, "image page: OCR")


def _dpi(image: Image.Image) -> tuple[float, float] | None:
    dpi = image.info.get("dpi")
    if not dpi or len(dpi) != 2:
        return None
    try:
        return float(dpi[0]), float(dpi[1])
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class FileInfo:
    kind: FileKind
    pages: int


def inspect_file(data: bytes, *, limits: ReadLimits = ReadLimits()) -> FileInfo:
    """Cheap checks at intake (type, encryption, damage, page and pixel limits) so a bad file is
    refused while its sender is still there, instead of failing later in a worker."""
    kind = sniff(data[:1024])
    try:
        if kind == PDF:
            with PDFIUM_LOCK:
                pdf = open_pdf(data, max_pages=limits.max_pages)
                try:
                    check_page_sizes(pdf, max_pixels=limits.max_pixels)
                    return FileInfo(kind, len(pdf))
                finally:
                    pdf.close()
        with _open_image(data, limits) as image:
            image.load()  # decodes the first frame: catches truncated files
            return FileInfo(kind, getattr(image, "n_frames", 1))
    except PrecertError:
        raise
    except Exception as exc:
        raise DamagedFileError(
            f"The {kind.extension.upper()} file is damaged ({type(exc).__name__}). Re-export or re-scan the document."
        ) from exc
