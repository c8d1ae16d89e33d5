"""The one module that runs Tesseract.

Tesseract is handed a file (pytesseract re-encodes a PIL image to a temporary file itself, which
measured ~1.6 s slower per page here), runs with OMP_THREAD_LIMIT=1 (parallelism is across pages,
in processes), and has a timeout per call. A failure or timeout yields an empty result with a
reason: one bad page never fails the document.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass

from PIL import Image

# Inherited by every Tesseract child process this interpreter starts.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import pytesseract


@dataclass(frozen=True)
class OcrWord:
    text: str
    left: int
    top: int
    width: int
    height: int
    confidence: float  # 0..1
    block: int
    line: int  # unique per page: (block, paragraph, line) flattened


@dataclass(frozen=True)
class OcrResult:
    words: tuple[OcrWord, ...]
    width: int
    height: int
    error: str | None = None


@dataclass(frozen=True)
class Orientation:
    rotate: int  # degrees clockwise to turn the image upright: 0, 90, 180, 270
    confidence: float
    error: str | None = None


def tesseract_version() -> str:
    try:
        return str(pytesseract.get_tesseract_version())
    except Exception:
        return "unavailable"


def _as_file(image: Image.Image, directory: str) -> str:
    path = os.path.join(directory, "page.png")
    image.save(path, format="PNG", compress_level=1)
    return path


def ocr_words(image: Image.Image, *, timeout_s: float = 120, lang: str = "eng", dpi: int = 300, psm: int = 3) -> OcrResult:
    """Words with pixel boxes and confidences for one upright page image (psm 3: a whole page;
    psm 7: one line of text)."""
    with tempfile.TemporaryDirectory(prefix="precert-ocr-") as tmp:
        path = _as_file(image, tmp)
        try:
            data = pytesseract.image_to_data(
                path,
                lang=lang,
                config=f"--psm {psm} --dpi {dpi}",
                output_type=pytesseract.Output.DICT,
                timeout=timeout_s,
            )
        except RuntimeError as exc:  # pytesseract raises RuntimeError on timeout
            return OcrResult((), image.width, image.height, error=f"OCR timed out after {timeout_s:.0f} s ({exc})")
        except pytesseract.TesseractError as exc:
            return OcrResult((), image.width, image.height, error=f"OCR failed: {exc.message[:200]}")
    words: list[OcrWord] = []
    line_ids: dict[tuple[int, int, int], int] = {}
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        line = line_ids.setdefault(key, len(line_ids))
        words.append(
            OcrWord(
                text=text,
                left=int(data["left"][i]),
                top=int(data["top"][i]),
                width=int(data["width"][i]),
                height=int(data["height"][i]),
                confidence=max(0.0, min(1.0, conf / 100.0)),
                block=int(data["block_num"][i]),
                line=line,
            )
        )
    return OcrResult(tuple(words), image.width, image.height)


_ROTATE_RE = re.compile(r"Rotate:\s*(\d+)")
_CONF_RE = re.compile(r"Orientation confidence:\s*([\d.]+)")


def detect_orientation(image: Image.Image, *, timeout_s: float = 30) -> Orientation:
    """Tesseract OSD: how far to rotate clockwise so the text reads upright."""
    with tempfile.TemporaryDirectory(prefix="precert-osd-") as tmp:
        path = _as_file(image, tmp)
        try:
            out = pytesseract.image_to_osd(path, config="--psm 0", timeout=timeout_s)
        except (RuntimeError, pytesseract.TesseractError) as exc:
            # Sparse pages ("Too few characters") land here: treat as upright.
            return Orientation(0, 0.0, error=str(exc)[:200])
    rotate = _ROTATE_RE.search(out)
    conf = _CONF_RE.search(out)
    return Orientation(int(rotate.group(1)) if rotate else 0, float(conf.group(1)) if conf else 0.0)
