"""Make one file of a case in its format: draw its documents, then turn the drawing into what
the file spec asks for (text PDF, scan, mixed or form PDF, fax, TIFF export, photo).

Returns the file's bytes and, per document, the text shown on each of its pages.
"""

from __future__ import annotations

import random

from reportlab.lib.pdfencrypt import StandardEncryption

from sample_docs.cards import CARD_PHOTO_DPI, make_card_photo
from sample_docs.damage import truncated_download
from sample_docs.degrade import make_fax_tiff, make_photo, make_scan_pdf, render_pages
from sample_docs.exports import make_alpha_tiff
from sample_docs.forms import PayerForm, draw_form
from sample_docs.hybrid import make_layered_scan_pdf, make_mixed_pdf
from sample_docs.layout import Document, draw_file, lay_out_file
from sample_docs.sheets import Sheet
from sample_docs.spec import FileSpec

PHOTO_DPI = 160  # a letter page about 1,760 px tall inside a 1500x2000 photo
# The owner password of the encrypted samples (documented in README.md; the user password is empty).
OWNER_PASSWORD = "synthetic-owner-2026"

Rendered = tuple[bytes, list[list[str]]]


def render_file(spec: FileSpec, rng: random.Random) -> Rendered:
    if spec.format == "form_pdf":
        return _form(spec)
    docs = [d.document for d in spec.docs]
    if not all(isinstance(d, Document | Sheet) for d in docs):
        raise ValueError(f"{spec.name}: only a form_pdf holds a payer form")
    maker = _MAKERS.get(spec.format)
    if maker is None:
        raise ValueError(f"unknown format {spec.format}")
    return maker(spec, docs, rng)


def _text_pdf(spec: FileSpec, docs: list[Document], rng: random.Random) -> Rendered:
    if spec.layer not in (None, "glyph_soup"):
        raise ValueError(f"{spec.name}: a text PDF's layer can only be glyph_soup")
    if (spec.layer == "glyph_soup") != all(d.font == "VeraSoup" for d in docs):
        raise ValueError(f"{spec.name}: a glyph-soup text PDF is drawn in the VeraSoup font, and only it")
    encrypt = None
    if spec.encrypted:
        # An empty user password opens it; the owner password guards copying and changes.
        encrypt = StandardEncryption(
            "", ownerPassword=OWNER_PASSWORD, canPrint=1, canModify=0, canCopy=0, canAnnotate=0, strength=128
        )
    pdf, texts = draw_file(docs, encrypt=encrypt)
    if spec.damaged == "truncated":
        pdf = truncated_download(pdf)
    elif spec.damaged is not None:
        raise ValueError(f"{spec.name}: unknown damage {spec.damaged!r}")
    return pdf, texts


def _scan_pdf(spec: FileSpec, docs: list[Document], rng: random.Random) -> Rendered:
    assert isinstance(spec.dpi, int)
    pdf, texts = draw_file(docs)
    images = render_pages(pdf, dpi_x=spec.dpi)
    if spec.layer is None:
        scan, _angles = make_scan_pdf(
            images, dpi=spec.dpi, rng=rng, quality=spec.quality, skew=spec.skew, rotation=spec.rotation or 0
        )
        return scan, texts
    if spec.rotation:
        raise ValueError(f"{spec.name}: a scan with a text layer is not turned")
    pages = [p for doc_pages in lay_out_file(docs) for p in doc_pages]
    layered = make_layered_scan_pdf(pages, images, dpi=spec.dpi, rng=rng, layer=spec.layer, skew=spec.skew, quality=spec.quality)
    return layered, texts


def _mixed_pdf(spec: FileSpec, docs: list[Document], rng: random.Random) -> Rendered:
    assert isinstance(spec.dpi, int) and spec.scanned_pages
    pdf, texts = draw_file(docs)
    images = render_pages(pdf, dpi_x=spec.dpi)
    if not set(spec.scanned_pages) <= set(range(1, len(images) + 1)) or len(spec.scanned_pages) == len(images):
        raise ValueError(f"{spec.name}: scanned pages {spec.scanned_pages} do not leave text pages in {len(images)}")
    pages = [p for doc_pages in lay_out_file(docs) for p in doc_pages]
    scans = {n - 1: images[n - 1] for n in spec.scanned_pages}
    return make_mixed_pdf(pages, scans, dpi=spec.dpi, rng=rng, quality=spec.quality), texts


def _fax_tiff(spec: FileSpec, docs: list[Document], rng: random.Random) -> Rendered:
    assert isinstance(spec.dpi, tuple) and spec.fax_header
    pdf, texts = draw_file(docs, fax_header=spec.fax_header)
    pages = render_pages(pdf, dpi_x=spec.dpi[0], dpi_y=spec.dpi[1])
    return make_fax_tiff(pages, dpi=spec.dpi, rng=rng, compression=spec.compression or "group4"), texts


def _tiff(spec: FileSpec, docs: list[Document], rng: random.Random) -> Rendered:
    assert isinstance(spec.dpi, int) and spec.alpha, "the TIFF export is an RGBA one"
    pdf, texts = draw_file(docs)
    return make_alpha_tiff(render_pages(pdf, dpi_x=spec.dpi), dpi=spec.dpi), texts


def _photo(spec: FileSpec, docs: list[Document], rng: random.Random) -> Rendered:
    assert spec.rotation is not None
    pdf, texts = draw_file(docs)
    if isinstance(docs[0], Sheet) and docs[0].card:
        return _card_photo(spec, pdf, rng), texts
    pages = render_pages(pdf, dpi_x=PHOTO_DPI)
    if len(pages) != 1:
        raise ValueError(f"{spec.name}: a photo shows one page, the document has {len(pages)}")
    fmt = "HEIF" if spec.format == "photo_heic" else "JPEG"
    quality = 60 if fmt == "HEIF" else 85
    photo = make_photo(
        pages[0], rng=rng, rotation=spec.rotation, exif_orientation=spec.exif_orientation, fmt=fmt, quality=quality
    )
    return photo, texts


def _card_photo(spec: FileSpec, pdf: bytes, rng: random.Random) -> bytes:
    if spec.format != "photo_jpeg" or len(spec.docs) != 1:
        raise ValueError(f"{spec.name}: a card photo is one JPEG of one card")
    (card,) = render_pages(pdf, dpi_x=CARD_PHOTO_DPI)
    return make_card_photo(
        card, rng=rng, rotation=spec.rotation or 0, exif_orientation=spec.exif_orientation, tint=((24, 44, 92), (246, 244, 236))
    )


def _form(spec: FileSpec) -> Rendered:
    if len(spec.docs) != 1 or not isinstance(spec.docs[0].document, PayerForm):
        raise ValueError(f"{spec.name}: a form_pdf holds exactly one payer form")
    pdf, text = draw_form(spec.docs[0].document)
    return pdf, [text]


_MAKERS = {
    "text_pdf": _text_pdf,
    "scan_pdf": _scan_pdf,
    "mixed_pdf": _mixed_pdf,
    "fax_tiff": _fax_tiff,
    "tiff": _tiff,
    "photo_jpeg": _photo,
    "photo_heic": _photo,
}
