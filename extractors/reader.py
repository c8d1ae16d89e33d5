"""Bytes -> pages: the per-file orchestration of the readers.

PDF pages are read from their text layer or form fields when those are real, and OCRed
otherwise; every frame of a TIFF and every photo is OCRed. Pages are produced one at a time so
a 200-page fax never holds 200 rendered images.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PIL import Image, ImageSequence

from extractors.errors import DamagedFileError, ImageTooLargeError, TooManyPagesError
from extractors.models import Page
from extractors.ocr_page import OcrSettings, ocr_page, prepare_image
from extractors.pdf_pages import (
    check_page_sizes,
    form_values_by_page,
    iter_pdf_pages,
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


def read_pages(
    data: bytes, *, limits: ReadLimits = ReadLimits(), ocr: OcrSettings = OcrSettings()
) -> tuple[FileKind, list[Page]]:
    kind = sniff(data[:1024])
    if kind == PDF:
        return kind, list(_pdf_pages(data, limits, ocr))
    return kind, list(_image_pages(data, limits, ocr))


def _pdf_pages(data: bytes, limits: ReadLimits, ocr: OcrSettings) -> Iterator[Page]:
    pdf = open_pdf(data, max_pages=limits.max_pages)
    forms = form_values_by_page(data)
    try:
        for index, page, decision in iter_pdf_pages(pdf, forms):
            try:
                if decision.method in ("text_layer", "form_field"):
                    yield text_layer_page(page, index, decision, forms.get(index, []))
                else:
                    image = render_page(page, dpi=limits.ocr_dpi, max_pixels=limits.max_pixels, index=index)
                    yield ocr_page(image, index, settings=ocr, dpi=limits.ocr_dpi, decision=decision.reason)
            finally:
                page.close()
    finally:
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


def _image_pages(data: bytes, limits: ReadLimits, ocr: OcrSettings) -> Iterator[Page]:
    with _open_image(data, limits) as image:
        for index, frame in enumerate(ImageSequence.Iterator(image)):
            if frame.width * frame.height > limits.max_pixels:  # TIFF frames each have their own size
                raise ImageTooLargeError(f"Page {index + 1} of the image file is too large to read safely. Scan at 300 DPI.")
            dpi = _dpi(frame)
            frame.load()
            prepared = prepare_image(frame, dpi=dpi)
            ocr_dpi = int(dpi[0]) if dpi and 100 <= dpi[0] <= 1200 else 300
            yield ocr_page(prepared, index, settings=ocr, dpi=ocr_dpi, decision="image page: OCR")


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
    if kind == PDF:
        pdf = open_pdf(data, max_pages=limits.max_pages)
        try:
            check_page_sizes(pdf, max_pixels=limits.max_pixels)
            return FileInfo(kind, len(pdf))
        finally:
            pdf.close()
    with _open_image(data, limits) as image:
        image.load()  # decodes the first frame: catches truncated files
        return FileInfo(kind, getattr(image, "n_frames", 1))
