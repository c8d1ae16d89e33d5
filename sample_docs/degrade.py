"""Turn rendered text-PDF pages into the degraded inputs the service must read: scanned
image-only PDFs (skewed, turned), 1-bit Group 3/4 fax TIFFs, and phone photos (JPEG, HEIC).

Pure Pillow (no numpy): every random choice comes from a `random.Random` seeded by the caller,
so a rerun draws the same specks, angles and gradients.
"""

from __future__ import annotations

import io
import math
import random

import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageDraw, ImageFilter
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

EXIF_ORIENTATION = 0x0112
FAX_WIDTH_PX = 1728  # the fixed scan-line width of a Group 3/4 fax page


def render_pages(pdf: bytes, *, dpi_x: float, dpi_y: float | None = None) -> list[Image.Image]:
    """Grayscale rasters of every page; a different vertical DPI resamples the height."""
    doc = pdfium.PdfDocument(pdf)
    try:
        out = []
        for page in doc:
            img = page.render(scale=dpi_x / 72, grayscale=True).to_pil().convert("L")
            if dpi_y is not None and dpi_y != dpi_x:
                img = img.resize((img.width, round(img.height * dpi_y / dpi_x)), Image.Resampling.LANCZOS)
            out.append(img)
        return out
    finally:
        doc.close()


def _speckle(img: Image.Image, rng: random.Random, *, per_mpx: int, dark: int, light: int) -> Image.Image:
    """Scatter small dark specks (dust) and a few light dropouts over the page."""
    img = img.copy()
    draw = ImageDraw.Draw(img)
    count = int(img.width * img.height / 1_000_000 * per_mpx)
    for _ in range(count):
        x, y = rng.randrange(img.width), rng.randrange(img.height)
        r = rng.choice((0.5, 1, 1, 1.5, 2))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.randrange(dark, dark + 60))
    for _ in range(count // 4):
        x, y = rng.randrange(img.width), rng.randrange(img.height)
        draw.rectangle((x, y, x + 1, y + 1), fill=light)
    return img


def _skew(img: Image.Image, degrees: float, fill: int | tuple[int, ...]) -> Image.Image:
    return img.rotate(degrees, resample=Image.Resampling.BICUBIC, fillcolor=fill)


# Transpose.ROTATE_90 turns counter-clockwise, so a reader must turn the result clockwise by the key.
TURN = {90: Image.Transpose.ROTATE_90, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_270}


def scan_image(
    page: Image.Image, *, dpi: int, rng: random.Random, skew: float | None = None, rotation: int = 0
) -> tuple[Image.Image, float]:
    """A page as a flatbed scanner sees it: grey paper, skewed (`skew` degrees counter-clockwise,
    else a random 0.5-2), specks, a little blur; then turned so that it needs `rotation` degrees
    clockwise to read upright (a page fed upside down or sideways). Returns the image and the skew."""
    angle = skew if skew is not None else round(rng.uniform(0.5, 2.0) * rng.choice((-1, 1)), 2)
    # Paper is never pure white nor toner pure black under a scanner lamp.
    img = page.point(lambda v: 22 + v * 0.86)
    img = _skew(img, angle, 241)
    img = _speckle(img, rng, per_mpx=60, dark=20, light=250)
    img = img.filter(ImageFilter.GaussianBlur(0.45 * dpi / 300))
    if rotation:
        img = img.transpose(TURN[rotation])
    return img, angle


def draw_scan(c: canvas.Canvas, img: Image.Image, *, dpi: int, quality: int = 40) -> None:
    """Put a scanned image on the canvas's current page as a JPEG filling the page; a landscape
    image gets a landscape page."""
    size = letter if img.height >= img.width else (letter[1], letter[0])
    if tuple(c._pagesize) != size:
        c.setPageSize(size)
    jpeg = io.BytesIO()
    img.save(jpeg, format="JPEG", quality=quality, dpi=(dpi, dpi), optimize=True)
    jpeg.seek(0)
    # reportlab embeds a JPEG as-is (DCTDecode), so the page holds exactly this image.
    c.drawImage(ImageReader(jpeg), 0, 0, width=size[0], height=size[1])


def make_scan_pdf(
    pages: list[Image.Image],
    *,
    dpi: int,
    rng: random.Random,
    quality: int = 40,
    skew: float | None = None,
    rotation: int = 0,
) -> tuple[bytes, list[float]]:
    """An image-only PDF of grayscale JPEG pages, as a desktop scanner makes it (no text layer).

    Returns the PDF and the skew applied to each page (degrees, counter-clockwise)."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=1)
    c.setTitle("Scanned document")
    c.setCreator("Synthetic flatbed scanner")
    angles = []
    for page in pages:
        img, angle = scan_image(page, dpi=dpi, rng=rng, skew=skew, rotation=rotation)
        angles.append(angle)
        draw_scan(c, img, dpi=dpi, quality=quality)
        c.showPage()
    c.save()
    return buf.getvalue(), angles


def make_fax_tiff(pages: list[Image.Image], *, dpi: tuple[int, int], rng: random.Random, compression: str = "group4") -> bytes:
    """A multi-page 1-bit TIFF, CCITT Group 4 (or "group3"), at fax resolution (204x196 fine,
    204x98 normal).

    `pages` must already be rendered at `dpi` (non-square for normal mode)."""
    frames = []
    for page in pages:
        img = page.resize((FAX_WIDTH_PX, page.height), Image.Resampling.LANCZOS)
        img = _skew(img, rng.uniform(-0.4, 0.4), 255)
        img = _speckle(img, rng, per_mpx=25, dark=0, light=255)
        draw = ImageDraw.Draw(img)
        # A fax line drops a scan line now and then.
        for _ in range(3):
            y = rng.randrange(img.height)
            draw.line((0, y, img.width, y), fill=255)
        frames.append(img.point(lambda v: 255 if v > 150 else 0, mode="1"))
    buf = io.BytesIO()
    frames[0].save(
        buf,
        format="TIFF",
        save_all=True,
        append_images=frames[1:],
        compression=compression,
        dpi=dpi,
    )
    return buf.getvalue()


def _perspective_coeffs(dst: list[tuple[float, float]], src: list[tuple[float, float]]) -> list[float]:
    """Coefficients for Image.transform(PERSPECTIVE) that map output points `dst` to input
    points `src` (Pillow asks for the inverse mapping). Solves the 8x8 system by elimination."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(dst, src, strict=False):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rhs.append(u)
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs.append(v)
    n = 8
    m = [row + [b] for row, b in zip(rows, rhs, strict=False)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(n):
            if r != col:
                f = m[r][col] / m[col][col]
                m[r] = [a - f * b for a, b in zip(m[r], m[col], strict=False)]
    return [m[i][n] / m[i][i] for i in range(n)]


def _lighting(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """A smooth light field (255 = full light): a lamp off one corner, falling off across the
    page. Computed on a coarse grid and upscaled, which keeps it smooth and fast."""
    grid = 48
    lamp_x, lamp_y = rng.choice((-0.3, 1.3)), rng.uniform(-0.3, 0.4)
    field = Image.new("L", (grid, grid))
    for gy in range(grid):
        for gx in range(grid):
            dist = math.hypot(gx / grid - lamp_x, gy / grid - lamp_y)
            field.putpixel((gx, gy), max(0, min(255, round(262 - 62 * dist))))
    return field.resize(size, Image.Resampling.BICUBIC)


def make_photo(
    page: Image.Image,
    *,
    rng: random.Random,
    rotation: int,
    exif_orientation: int | None,
    size: tuple[int, int] = (1500, 2000),
    quality: int = 85,
    fmt: str = "JPEG",
) -> bytes:
    """A phone photo of a printed page lying on a desk, as a JPEG or (fmt="HEIF") a HEIC file.

    `rotation` is the clockwise turn the stored pixels need to read upright. With
    `exif_orientation` the pixels are stored turned and the EXIF tag says how to turn them back
    (as a phone camera does); without it the pixels are simply turned. pillow-heif writes the
    EXIF orientation of a HEIC as the container's own rotation, which decoders apply."""
    w, h = size
    paper = page.convert("RGB")
    r, g, b = paper.split()
    paper = Image.merge("RGB", (r.point(lambda v: v * 0.97), g.point(lambda v: v * 0.95), b.point(lambda v: v * 0.88)))
    pw, ph = paper.size

    def jitter(a):
        return a + rng.uniform(-25, 25)

    quad = [
        (jitter(90), jitter(80)),
        (jitter(w - 90), jitter(110)),
        (jitter(w - 70), jitter(h - 70)),
        (jitter(60), jitter(h - 95)),
    ]
    coeffs = _perspective_coeffs(quad, [(0, 0), (pw, 0), (pw, ph), (0, ph)])
    warped = paper.transform((w, h), Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BICUBIC)
    mask = Image.new("L", paper.size, 255).transform((w, h), Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BILINEAR)
    desk = Image.new("RGB", (w, h), (96, 78, 62))
    photo = Image.composite(warped, desk, mask)
    light = _lighting((w, h), rng)
    photo = ImageChops.multiply(photo, Image.merge("RGB", (light, light, light)))
    photo = photo.filter(ImageFilter.GaussianBlur(1.1))
    exif = Image.Exif()
    exif[0x010F] = "SynthCam"  # Make
    exif[0x0110] = "Sample Phone 1"  # Model
    exif[0x0132] = "2026:01:01 09:00:00"  # DateTime, fixed for reproducibility
    if rotation:
        photo = photo.transpose(TURN[rotation])
    if exif_orientation is not None:
        exif[EXIF_ORIENTATION] = exif_orientation
    buf = io.BytesIO()
    if fmt == "HEIF":
        import pillow_heif

        pillow_heif.register_heif_opener()
        photo.save(buf, format="HEIF", quality=quality, exif=exif.tobytes())
    else:
        photo.save(buf, format="JPEG", quality=quality, exif=exif.tobytes(), dpi=(72, 72))
    return buf.getvalue()
