"""One page image -> an upright, OCRed `Page` with word boxes normalised to the page."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageOps

from extractors.dropped_lines import ink_bands, merge_line, uncovered_bands
from extractors.models import REVIEW_CONFIDENCE, Page, Word
from extractors.page_cleanup import clean_page, remove_specks, unskew_box
from extractors.reading_order import reading_order
from extractors.tesseract import OcrResult, detect_orientation, ocr_words

# Below this OSD confidence the page is left as it is (Tesseract's own guidance is ~2; sparse
# pages give noise). Issue 3 measures and tunes it.
MIN_OSD_CONFIDENCE = 2.0
# A page read this poorly is flagged for review, and gets an orientation check.
LOW_CONFIDENCE = REVIEW_CONFIDENCE


@dataclass(frozen=True)
class OcrSettings:
    timeout_s: float = 120
    lang: str = "eng"
    detect_rotation: bool = True
    workers: int = 1  # pages OCRed at once (one Tesseract process each)


def prepare_image(image: Image.Image, *, dpi: tuple[float, float] | None = None) -> Image.Image:
    """Grayscale, EXIF-upright, square pixels (a 204x98 fax page is squashed vertically)."""
    image = ImageOps.exif_transpose(image)
    if dpi and dpi[0] and dpi[1] and abs(dpi[0] - dpi[1]) / max(dpi) > 0.05:
        xdpi, ydpi = dpi
        image = image.resize(
            (image.width, round(image.height * xdpi / ydpi)),
            Image.Resampling.BICUBIC if image.mode != "1" else Image.Resampling.NEAREST,
        )
    if image.mode not in ("L", "1"):
        if image.mode in ("RGBA", "LA", "P"):
            # Transparent areas become white paper, not black.
            background = Image.new("RGB", image.size, "white")
            rgba = image.convert("RGBA")
            background.paste(rgba, mask=rgba.split()[-1])
            image = background
        image = image.convert("L")
    elif image.mode == "1":
        image = image.convert("L")
    return image


def ocr_page(
    image: Image.Image, index: int, *, settings: OcrSettings = OcrSettings(), dpi: int = 300, decision: str = ""
) -> Page:
    """OCR an already prepared (grayscale, square-pixel) page image."""
    notes = [decision] if decision else []
    turned = 0
    cleaned = clean_page(image)
    result = ocr_words(cleaned.image, timeout_s=settings.timeout_s, lang=settings.lang, dpi=dpi)
    page = page_from_ocr(result, index, skew=cleaned.skew)
    # Most pages are upright: OCR first, and look for the orientation only when the words read
    # badly (OSD costs about as much as OCR itself, and is unreliable on photos).
    sideways = _sideways(result)
    if settings.detect_rotation and not result.error and (page.confidence < LOW_CONFIDENCE or sideways):
        turn, how = find_upright_turn(image, settings=settings, current=0.0 if sideways else page.confidence)
        if turn:
            rotated = image.rotate(-turn, expand=True)  # PIL turns counter-clockwise
            recleaned = clean_page(rotated)
            retry = ocr_words(recleaned.image, timeout_s=settings.timeout_s, lang=settings.lang, dpi=dpi)
            retry_page = page_from_ocr(retry, index, skew=recleaned.skew)
            # A sideways page already read well; upright it must read about as well, not better.
            if retry_page.confidence > page.confidence - (0.05 if sideways else 0.0):
                image, cleaned, result, page, turned = rotated, recleaned, retry, retry_page, turn
                notes.append(f"rotated {turn} degrees ({how})")
    notes.extend(cleaned.notes)
    if not result.error:
        recovered = _recover_dropped_lines(cleaned.image, result, settings=settings, dpi=dpi)
        if recovered is not result:
            notes.append(f"{len(recovered.words) - len(result.words):+d} words from lines the page layout dropped")
            result, page = recovered, page_from_ocr(recovered, index, skew=cleaned.skew)
    if result.error:
        notes.append(result.error)
    elif page.words and page.confidence < LOW_CONFIDENCE:
        notes.append(f"low OCR confidence {page.confidence:.2f}: review this page")
    return Page(
        index=index,
        text=page.text,
        method="ocr",
        words=page.words,
        confidence=page.confidence,
        width=float(image.width),
        height=float(image.height),
        decision="; ".join(notes),
        error=result.error,
        rotation=turned,
    )


def _recover_dropped_lines(image: Image.Image, result: OcrResult, *, settings: OcrSettings, dpi: int) -> OcrResult:
    """Text lines the page layout left out, read one by one (see dropped_lines)."""
    pad = 6
    for top, bottom in uncovered_bands(result, ink_bands(image)):
        # Specks beside the line are what made the layout drop it: read it without them.
        strip = remove_specks(image.crop((0, max(0, top - pad), image.width, min(image.height, bottom + pad))))
        line = ocr_words(strip, timeout_s=min(settings.timeout_s, 20), lang=settings.lang, dpi=dpi, psm=7)
        if not line.error:
            result = merge_line(result, (top, bottom), line, pad=top - max(0, top - pad))
    return result


def _sideways(result: OcrResult) -> bool:
    """Tesseract reads a page turned 90 degrees well, as vertical lines: its words are then
    taller than wide. The page still has to be turned, for the packet and the evidence boxes."""
    long_words = [w for w in result.words if len(w.text) >= 4]
    if len(long_words) < 5:
        return False
    return sum(1 for w in long_words if w.height > w.width) > len(long_words) / 2


def find_upright_turn(image: Image.Image, *, settings: OcrSettings, current: float) -> tuple[int, str]:
    """The clockwise turn that makes the page upright, and how it was found; (0, "") if none."""
    orientation = detect_orientation(image, timeout_s=min(settings.timeout_s, 30))
    if orientation.rotate and orientation.confidence >= MIN_OSD_CONFIDENCE:
        return orientation.rotate, f"OSD confidence {orientation.confidence:.1f}"
    turn = best_rotation_by_ocr(image, settings=settings, current=current)
    return turn, "chosen by OCR confidence"


def best_rotation_by_ocr(image: Image.Image, *, settings: OcrSettings, current: float) -> int:
    """The clockwise turn whose quick, reduced-size OCR reads clearly better than `current`; 0 if none."""
    small = image.copy()
    small.thumbnail((1100, 1100))
    scores = {}
    for turn in (180, 90, 270):
        quick = ocr_words(small.rotate(-turn, expand=True), timeout_s=min(settings.timeout_s, 30), lang=settings.lang)
        confs = [w.confidence for w in quick.words if len(w.text) >= 3]
        scores[turn] = sum(confs) / len(confs) if len(confs) >= 5 else 0.0
        if scores[turn] >= 0.8:
            break
    best = max(scores, key=scores.__getitem__)
    return best if scores[best] > current + 0.15 else 0


def page_from_ocr(result: OcrResult, index: int, *, skew: float = 0.0) -> Page:
    """Lay OCR words out as text (a line per OCR line, a blank line between blocks). Boxes read
    on a deskewed image are mapped back onto the page as it is (`skew` degrees)."""
    parts: list[str] = []
    words: list[Word] = []
    pos = 0
    prev_line = prev_block = None
    w, h = max(result.width, 1), max(result.height, 1)
    on_page = unskew_box(w, h, skew)
    for ow in reading_order(result.words):
        if prev_line is not None:
            sep = " " if ow.line == prev_line else ("\n\n" if ow.block != prev_block else "\n")
            parts.append(sep)
            pos += len(sep)
        start = pos
        parts.append(ow.text)
        pos += len(ow.text)
        left, top, right, bottom = on_page(ow.left, ow.top, ow.left + ow.width, ow.top + ow.height)
        words.append(
            Word(
                text=ow.text,
                bbox=(left / w, top / h, right / w, bottom / h),
                confidence=ow.confidence,
                start=start,
                end=pos,
                line=ow.line,
                block=ow.block,
            )
        )
        prev_line, prev_block = ow.line, ow.block
    confidence = sum(x.confidence for x in words) / len(words) if words else 0.0
    return Page(
        index=index,
        text="".join(parts),
        method="ocr",
        words=tuple(words),
        confidence=confidence,
        width=float(result.width),
        height=float(result.height),
    )
