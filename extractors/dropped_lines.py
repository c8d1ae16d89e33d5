"""Text lines Tesseract's page layout left out, found and read again.

On a 1-bit fax page Tesseract's layout analysis (psm 3) sometimes takes a bold heading for a
picture and returns a few specks for it ("* vad 4 >" for "Past Medical History"); the section
that heading opens is then lost to the assertion rules. A band of ink rows the size of a text
line that no confidently read word covers is cut out and read as a single line (psm 7); its
words replace what was there when they read clearly.
"""

from __future__ import annotations

from dataclasses import replace
from statistics import median

from PIL import Image

from extractors.tesseract import OcrResult, OcrWord

MAX_LINES_PER_PAGE = 6  # each costs a Tesseract call: a page of pictures must not cost dozens
MIN_WORD_CONFIDENCE = 0.5
MIN_LINE_CONFIDENCE = 0.6  # mean confidence a re-read line needs to be kept
_INK = 128
_MIN_INK_SHARE = 0.004  # of a row's pixels: a row with less is paper


def ink_bands(image: Image.Image) -> list[tuple[int, int]]:
    """(top, bottom) pixel rows of each horizontal band of ink on the page."""
    ink = image.convert("L").point(lambda v: 255 if v < _INK else 0)
    rows = ink.resize((1, ink.height), Image.Resampling.BOX).get_flattened_data()
    bands, start = [], None
    for y, value in enumerate(rows):
        inked = value / 255 >= _MIN_INK_SHARE
        if inked and start is None:
            start = y
        elif not inked and start is not None:
            bands.append((start, y))
            start = None
    if start is not None:
        bands.append((start, len(rows)))
    # A fax drops a scan line now and then: a gap of a row or two does not end a band.
    merged: list[tuple[int, int]] = []
    for top, bottom in bands:
        if merged and top - merged[-1][1] <= 2:
            merged[-1] = (merged[-1][0], bottom)
        else:
            merged.append((top, bottom))
    return merged


def uncovered_bands(result: OcrResult, bands: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Bands of text-line height that no confidently read word sits on."""
    good = [w for w in result.words if w.confidence >= MIN_WORD_CONFIDENCE and len(w.text) >= 2]
    if len(good) < 5:
        return []  # too little read to know what a text line looks like here
    line_height = median(w.height for w in good)
    out = []
    for top, bottom in bands:
        height = bottom - top
        if not 0.6 * line_height <= height <= 2.5 * line_height:
            continue
        # Specks read as tiny "words" ("vad" 11 px high on a 21 px line) do not cover a line.
        covered = any(
            w.height >= 0.6 * line_height and min(bottom, w.top + w.height) - max(top, w.top) >= 0.5 * min(height, w.height)
            for w in good
        )
        if not covered:
            out.append((top, bottom))
    return out[:MAX_LINES_PER_PAGE]


def merge_line(result: OcrResult, band: tuple[int, int], line: OcrResult, pad: int) -> OcrResult:
    """`result` with the words of the re-read `line` (read from the band cut out with `pad`
    rows above) in place of whatever was read in that band, as a block of its own placed in
    reading order."""
    top, bottom = band
    confident = [w for w in line.words if w.text.strip()]
    if not confident or sum(w.confidence for w in confident) / len(confident) < MIN_LINE_CONFIDENCE:
        return result
    if sum(1 for w in confident if w.confidence >= MIN_LINE_CONFIDENCE and any(c.isalpha() for c in w.text)) < 2:
        return result  # a rule, a logo or a signature, not a line of words
    kept = [w for w in result.words if not (top <= w.top + w.height / 2 <= bottom)]
    block = max((w.block for w in result.words), default=0) + 1
    line_id = max((w.line for w in result.words), default=0) + 1
    new = [replace(w, top=w.top + top - pad, block=block, line=line_id) for w in confident]
    # Before the first block that starts below the band, so the page still reads top down.
    at = next((i for i, w in enumerate(kept) if w.top > bottom and _block_top(kept, w.block) > bottom), len(kept))
    return replace(result, words=(*kept[:at], *new, *kept[at:]))


def _block_top(words: list[OcrWord], block: int) -> int:
    return min(w.top for w in words if w.block == block)
