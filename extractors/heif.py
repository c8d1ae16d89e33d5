"""HEIC/HEIF phone photos (iPhones' default), through pillow-heif when it is installed."""

from __future__ import annotations

from functools import cache

HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1")


def is_heif(head: bytes) -> bool:
    return len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS


@cache
def heif_available() -> bool:
    """Register pillow-heif's opener with Pillow (once); False when the package is missing."""
    try:
        import pillow_heif
    except ImportError:
        return False
    pillow_heif.register_heif_opener()
    return True
