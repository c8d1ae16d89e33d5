"""Image files that document systems export: a multi-page RGBA TIFF whose paper is
transparent and whose pages keep their own sizes (a letter page beside a half sheet).

The transparent pixels carry the ink colour at alpha 0, as many exporters leave them: a reader
that drops the alpha channel sees a solid dark page instead of white paper.
"""

from __future__ import annotations

import io

from PIL import Image, ImageOps

INK = (18, 26, 52)  # dark blue-black


def make_alpha_tiff(pages: list[Image.Image], *, dpi: int) -> bytes:
    """Grayscale renderings (white paper) -> RGBA frames, ink colour everywhere and the ink
    coverage as alpha; Deflate-compressed, one frame per page at its own size."""
    frames = []
    for page in pages:
        alpha = ImageOps.invert(page.convert("L"))
        colour = [Image.new("L", page.size, v) for v in INK]
        frames.append(Image.merge("RGBA", (*colour, alpha)))
    buf = io.BytesIO()
    frames[0].save(
        buf,
        format="TIFF",
        save_all=True,
        append_images=frames[1:],
        compression="tiff_adobe_deflate",
        dpi=(dpi, dpi),
    )
    return buf.getvalue()
