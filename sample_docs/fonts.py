"""The fonts the sample documents are drawn in.

The PDF base fonts (Helvetica, Times, Courier) need no embedding. Two more families embed
subsets of the Bitstream Vera TrueType fonts that ship inside reportlab (so every machine with
the same reportlab draws the same bytes):

- `Vera`: an ordinary embedded font whose text extracts as written;
- `VeraSoup`: the same glyphs with no ToUnicode map and codes assigned in order of first use,
  as some print drivers and PDF converters write them. The page looks right, but its text
  layer extracts as control characters and punctuation ("glyph soup").
"""

from __future__ import annotations

from pathlib import Path

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

_VERA_DIR = Path(reportlab.__file__).resolve().parent / "fonts"


class UnmappedTTFont(TTFont):
    """A TrueType font written without its ToUnicode CMap: text drawn with it cannot be
    extracted back to Unicode."""

    def addObjects(self, doc) -> None:  # reportlab's hook that writes the font objects
        fonts = doc.idToObject["BasicFonts"].dict
        before = set(fonts)
        super().addObjects(doc)
        for name in set(fonts) - before:
            if hasattr(fonts[name], "ToUnicode"):
                del fonts[name].ToUnicode


def _unmapped(name: str, filename: str) -> UnmappedTTFont:
    # asciiReadable=False: codes are handed out 1, 2, 3... so nothing maps back by accident.
    font = UnmappedTTFont(name, str(_VERA_DIR / filename), asciiReadable=False)
    # reportlab shares one font object per face name: give this one a face name of its own.
    font.face.name = b"Synth" + font.face.name
    return font


def _register() -> None:
    if "Vera" in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont("Vera", str(_VERA_DIR / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont("Vera-Bold", str(_VERA_DIR / "VeraBd.ttf")))
    pdfmetrics.registerFont(_unmapped("VeraSoup", "Vera.ttf"))
    pdfmetrics.registerFont(_unmapped("VeraSoup-Bold", "VeraBd.ttf"))


_register()

# Family -> (regular, bold).
FONTS: dict[str, tuple[str, str]] = {
    "Helvetica": ("Helvetica", "Helvetica-Bold"),
    "Times": ("Times-Roman", "Times-Bold"),
    "Courier": ("Courier", "Courier-Bold"),
    "Vera": ("Vera", "Vera-Bold"),
    "VeraSoup": ("VeraSoup", "VeraSoup-Bold"),
}
