"""Deskew and speck removal for a page image before OCR, each applied only where it was measured
to help (`python -m benchmarks.ocr_accuracy`; the figures are in issue 3's note).

- Deskew: Tesseract copes with a small skew by itself, and resampling a page costs it more than
  it gains below about 0.8 degrees; a 2-degree skew, in contrast, cost 5-10% WER on a scan.
- Speck removal (3x3 median): a scanner's dust specks are read as stray characters. The median
  removes marks thinner than 2 px, so it is only safe when the text's strokes are at least 3 px
  wide; on 200-DPI scans and faxes (2-2.5 px strokes) it ate letters.

Pillow only: the skew is found by a projection profile (rows of a rotated, reduced page: the
angle whose rows are most sharply either ink or paper is the one that lines the text up).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageFilter

MIN_DESKEW_DEGREES = 0.8
MAX_SKEW_DEGREES = 6.0
# The profile at the best angle must beat the unrotated one clearly; a page with no text lines
# (a photo, a sideways page) has no sharp angle and is left alone.
MIN_PROFILE_GAIN = 1.5
MIN_DENOISE_STROKE_PX = 3.4
# Above this the estimate is dominated by dark areas that are not text (a desk around a photo,
# black scan borders): the stroke width is unknown, so no median.
MAX_DENOISE_STROKE_PX = 8.0
_PROFILE_SIZE = 700
_INK = 140  # grey level below which a pixel counts as ink


@dataclass(frozen=True)
class Skew:
    degrees: float  # counter-clockwise turn that straightens the page
    gain: float  # sharpness of the profile at that angle over the unrotated page


@dataclass(frozen=True)
class CleanedPage:
    image: Image.Image
    skew: float  # degrees the page was turned (counter-clockwise), 0 if not
    despeckled: bool

    @property
    def notes(self) -> list[str]:
        out = []
        if self.skew:
            out.append(f"deskewed {self.skew:+.1f} degrees")
        if self.despeckled:
            out.append("specks removed")
        return out


def _profile_sharpness(ink: Image.Image, degrees: float) -> float:
    turned = ink.rotate(degrees, resample=Image.Resampling.NEAREST, fillcolor=0)
    rows = turned.resize((1, turned.height), Image.Resampling.BOX).get_flattened_data()
    return float(sum((a - b) ** 2 for a, b in itertools.pairwise(rows)))


def estimate_skew(image: Image.Image) -> Skew:
    """The page's skew from a coarse-to-fine search over +-6 degrees."""
    small = image.convert("L").reduce(max(1, round(max(image.size) / _PROFILE_SIZE)))
    ink = small.point(lambda v: 255 if v < _INK else 0)
    at_zero = _profile_sharpness(ink, 0.0)
    if at_zero <= 0:
        return Skew(0.0, 1.0)

    def best(candidates: list[float]) -> tuple[float, float]:
        scored = [(_profile_sharpness(ink, a), a) for a in candidates]
        score, angle = max(scored)
        return angle, score

    coarse, _ = best([float(step) for step in range(-6, 7)])
    fine, score = best([coarse + step / 10 for step in range(-7, 8)])
    return Skew(round(fine, 2), score / at_zero)


def _ink(image: Image.Image) -> Image.Image:
    return image.convert("L").point(lambda v: 255 if v < 128 else 0)


def stroke_width(image: Image.Image) -> float:
    """Typical width of the ink strokes in pixels: twice the ink area over its boundary (ink
    with a paper pixel beside it, above or below). The whole image counts: a photo's desk or a
    scan's black border makes it large, and so says that the page is not plain paper."""
    ink = _ink(image)
    inner = ink
    # Shifted copies instead of MinFilter: the same erosion (a cross) at a tenth of the time.
    for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        inner = ImageChops.darker(inner, ImageChops.offset(ink, dx, dy))
    area = ink.histogram()[255]
    return 2 * area / max(area - inner.histogram()[255], 1)


def remove_specks(image: Image.Image) -> Image.Image:
    """Turn to paper every ink pixel that most of its 3x3 neighbourhood is not: what a median
    filter removes (specks, stray pixels), without its cost on a grey page (a box blur of the
    ink mask is the neighbourhood's ink count)."""
    ink = _ink(image)
    kept = ink.filter(ImageFilter.BoxBlur(1)).point(lambda v: 255 if v >= 5 * 255 / 9 - 1 else 0)
    removed = ImageChops.subtract(ink, kept)
    return ImageChops.lighter(image.convert("L"), removed)


def clean_page(image: Image.Image) -> CleanedPage:
    """The page straightened and despeckled where that helps; the image itself otherwise."""
    skew = estimate_skew(image)
    turned = 0.0
    if MIN_DESKEW_DEGREES <= abs(skew.degrees) <= MAX_SKEW_DEGREES and skew.gain >= MIN_PROFILE_GAIN:
        # Same size, so word boxes map back to the page by a turn about the centre.
        image = image.rotate(skew.degrees, resample=Image.Resampling.BICUBIC, fillcolor=255)
        turned = skew.degrees
    despeckle = MIN_DENOISE_STROKE_PX <= stroke_width(image) <= MAX_DENOISE_STROKE_PX
    if despeckle:
        image = remove_specks(image)
    return CleanedPage(image, turned, despeckle)


def unskew_box(
    width: float, height: float, degrees: float
) -> Callable[[float, float, float, float], tuple[float, float, float, float]]:
    """Pixel boxes on the deskewed image -> pixel boxes on the page as it was (the box around
    the turned-back corners)."""
    if not degrees:
        return lambda left, top, right, bottom: (left, top, right, bottom)
    cx, cy = width / 2, height / 2
    # PIL's rotate(d) turns the picture counter-clockwise by d on screen (y down); undo it.
    rad = math.radians(degrees)
    cos, sin = math.cos(rad), math.sin(rad)

    def back(x: float, y: float) -> tuple[float, float]:
        dx, dy = x - cx, y - cy
        return cx + dx * cos - dy * sin, cy + dx * sin + dy * cos

    def box(left: float, top: float, right: float, bottom: float) -> tuple[float, float, float, float]:
        corners = [back(left, top), back(right, top), back(right, bottom), back(left, bottom)]
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        return max(min(xs), 0.0), max(min(ys), 0.0), min(max(xs), width), min(max(ys), height)

    return box
