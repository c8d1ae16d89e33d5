"""Damage a PDF as an interrupted download does: the file ends inside its cross-reference
table, so the trailer (which names the catalog) and `startxref` are gone.

Every object is still there, so a repairing reader (qpdf) rebuilds the file by scanning for
objects, while PDFium alone refuses it. The generator checks both, so a library upgrade that
changes either shows up at generation time instead of silently changing what the sample tests.
"""

from __future__ import annotations

import io

import pikepdf
import pypdfium2 as pdfium


def truncated_download(pdf: bytes) -> bytes:
    """`pdf` cut halfway through its last cross-reference table."""
    xref = pdf.rindex(b"\nxref\n") + 1
    trailer = pdf.index(b"trailer", xref)
    entries = pdf[xref:trailer].split(b"\n")
    keep = len(entries) // 2
    cut = pdf[: xref + sum(len(e) + 1 for e in entries[:keep])]
    _check_damage(cut)
    return cut


def _check_damage(data: bytes) -> None:
    try:
        pdfium.PdfDocument(data).close()
    except pdfium.PdfiumError:
        pass
    else:
        raise ValueError("PDFium opens the truncated PDF: it no longer needs repair")
    with pikepdf.open(io.BytesIO(data)) as repaired:
        if not len(repaired.pages):
            raise ValueError("qpdf recovers no page from the truncated PDF")
