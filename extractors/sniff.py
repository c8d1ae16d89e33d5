"""What a file really is, from its first bytes (never from its name or a client's header)."""

from __future__ import annotations

from dataclasses import dataclass

from extractors.errors import EmptyFileError, UnsupportedFileType
from extractors.heif import heif_available, is_heif


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str


PDF = FileKind("application/pdf", "pdf")
PNG = FileKind("image/png", "png")
JPEG = FileKind("image/jpeg", "jpg")
TIFF = FileKind("image/tiff", "tif")
HEIC = FileKind("image/heic", "heic")

SUPPORTED = (PDF, PNG, JPEG, TIFF, HEIC)


def sniff(head: bytes) -> FileKind:
    """Identify PDF, PNG, JPEG or TIFF from the leading bytes; refuse anything else."""
    if not head:
        raise EmptyFileError("The file is empty (0 bytes). Upload the document again.")
    # Some scanners prepend a few bytes of junk before %PDF; the PDF spec tolerates 1 KiB.
    if b"%PDF-" in head[:1024]:
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return TIFF
    if is_heif(head):
        if heif_available():
            return HEIC
        raise UnsupportedFileType(
            "This is a HEIC photo, and this installation cannot read HEIC (pillow-heif is missing). "
            "Send it as JPEG (on an iPhone: Settings > Camera > Formats > Most Compatible)."
        )
    raise UnsupportedFileType(
        f"Unsupported file type ({_describe(head)}). Send a PDF, PNG, JPEG, TIFF or HEIC "
        "(scan or fax); convert other formats to PDF first."
    )


def _describe(head: bytes) -> str:
    known = {
        b"PK\x03\x04": "a ZIP or Office document",
        b"GIF8": "a GIF image",
        b"{\\rtf": "an RTF document",
        b"\xd0\xcf\x11\xe0": "a legacy Office document",
        b"RIFF": "a RIFF (WebP/AVI/WAV) file",
    }
    for magic, name in known.items():
        if head.startswith(magic):
            return f"looks like {name}"
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "looks like a video or an AVIF image"
    try:
        head[:512].decode("utf-8")
        return "looks like plain text"
    except UnicodeDecodeError:
        return "unrecognised binary data"
