"""Format and check-digit rules for the identifiers a pre-cert packet carries.

NPI: 10 digits, first digit 1 or 2, last digit a Luhn check computed as if the card-issuer
prefix 80840 were present (the constant 24 below is the Luhn contribution of that prefix).
MBI: the 11-character Medicare Beneficiary Identifier shape published by CMS.
"""

from __future__ import annotations

import re

# The Luhn sum of the prefix "80840" when it precedes the nine NPI digits.
_NPI_PREFIX_SUM = 24

_NPI_SHAPE = re.compile(r"[12]\d{9}")

# C A AN N A AN N A A N N; A = letters without S, L, O, I, B, Z.
_A = "[AC-HJKMNP-RT-Y]"
_AN = "[AC-HJKMNP-RT-Y0-9]"
_MBI_SHAPE = re.compile(f"[1-9]{_A}{_AN}[0-9]{_A}{_AN}[0-9]{_A}{_A}[0-9][0-9]")
# The loose shape (any letter) used to decide whether a token is *meant* to be an MBI.
MBI_LOOSE = re.compile(r"[1-9][A-Z][A-Z0-9][0-9][A-Z][A-Z0-9][0-9][A-Z]{2}[0-9]{2}")


def npi_check_digit(first9: str) -> int:
    """The check digit for the first nine digits of an NPI."""
    if len(first9) != 9 or not first9.isdigit():
        raise ValueError("an NPI check digit needs exactly nine digits")
    total = _NPI_PREFIX_SUM
    # Double every other digit starting from the rightmost of the nine.
    for pos, ch in enumerate(reversed(first9)):
        d = int(ch)
        if pos % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def is_valid_npi(s: object) -> bool:
    """True when `s` is a 10-digit NPI (first digit 1 or 2) whose check digit matches."""
    if not isinstance(s, str):
        s = str(s) if isinstance(s, int) else ""
    s = s.strip()
    if not _NPI_SHAPE.fullmatch(s):
        return False
    return npi_check_digit(s[:9]) == int(s[9])


def is_valid_mbi(s: object) -> bool:
    """True when `s` (dashes and spaces ignored, any case) has the CMS MBI shape."""
    if not isinstance(s, str):
        return False
    return bool(_MBI_SHAPE.fullmatch(re.sub(r"[\s-]", "", s).upper()))


def looks_like_mbi(s: str) -> bool:
    """True when the token has the MBI layout, ignoring the excluded-letter rule."""
    return bool(MBI_LOOSE.fullmatch(re.sub(r"[\s-]", "", s).upper()))


# OCR's letter/digit confusions. In an MBI every position's class is fixed, and the letters OCR
# confuses with digits (S, O, I, L, B, Z) are never MBI letters, so a repair has one result.
_TO_DIGIT = {"O": "0", "D": "0", "Q": "0", "I": "1", "L": "1", "S": "5", "B": "8", "Z": "2", "G": "6"}
_TO_LETTER = {"6": "G"}
_MBI_DIGIT_POSITIONS = {0, 3, 6, 9, 10}
_MBI_LETTER_POSITIONS = {1, 4, 7, 8}


def repair_mbi(s: str) -> str | None:
    """The MBI that an OCR misreading of `s` (11 characters once dashes and spaces are gone)
    stands for, when mapping confused characters to the class each position requires gives a
    valid MBI; None otherwise, and None when `s` is valid as printed."""
    raw = re.sub(r"[\s-]", "", s).upper()
    if len(raw) != 11 or is_valid_mbi(raw):
        return None
    chars = []
    for pos, ch in enumerate(raw):
        if pos in _MBI_DIGIT_POSITIONS and not ch.isdigit():
            ch = _TO_DIGIT.get(ch, ch)
        elif pos in _MBI_LETTER_POSITIONS and ch.isdigit():
            ch = _TO_LETTER.get(ch, ch)
        chars.append(ch)
    repaired = "".join(chars)
    return repaired if is_valid_mbi(repaired) else None


_TO_LETTER_ANY = {"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z", "6": "G", "4": "A"}


def _fits(shape: str, value: str) -> bool:
    if len(shape) != len(value):
        return False
    for cls, ch in zip(shape, value, strict=True):
        if (cls == "A" and not ch.isalpha()) or (cls == "9" and not ch.isdigit()) or (cls == "X" and not ch.isalnum()):
            return False
        if cls not in "A9X" and ch != cls:
            return False
    return True


def _coerce(shape: str, value: str) -> str:
    """`value` with each confusable character mapped to its position's class."""
    out = []
    for cls, ch in zip(shape, value, strict=True):
        if cls == "9" and not ch.isdigit():
            ch = _TO_DIGIT.get(ch, ch)
        elif cls == "A" and ch.isdigit():
            ch = _TO_LETTER_ANY.get(ch, ch)
        elif cls not in "A9X" and ch != cls:
            ch = {"0": "O", "5": "S", "1": "I"}.get(ch, ch) if cls.isalpha() else _TO_DIGIT.get(ch, ch)
        out.append(ch)
    return "".join(out)


def member_id_format(value: str, shapes: dict[str, str], *, named: bool = False) -> tuple[str | None, str | None]:
    """(format id, repaired value) for a normalized member ID: the format it fits as printed
    (repaired None), or the one format it fits after OCR confusion repair; (None, None) when
    none or more than one does."""
    raw = re.sub(r"[\s-]", "", value).upper()
    for fmt, shape in shapes.items():
        if _fits(shape, raw):
            return fmt, None
    # An all-digit ID is not turned into one that needs letters (a 9-digit commercial ID is
    # not an AHCCCS ID with its A misread), unless the label named the program: `named`.
    candidates = shapes if named or not raw.isdigit() else {f: sh for f, sh in shapes.items() if "A" not in sh}
    fixed = {fmt: _coerce(shape, raw) for fmt, shape in candidates.items() if len(shape) == len(raw)}
    fitting = {fmt: v for fmt, v in fixed.items() if _fits(shapes[fmt], v)}
    if len(fitting) == 1:
        return next(iter(fitting.items()))
    return None, None


def normalize_member_id(s: str) -> str:
    """Upper-case, spaces removed; dashes removed too when the result is MBI-shaped."""
    out = re.sub(r"\s+", "", s).upper().strip(".,;:")
    if looks_like_mbi(out):
        out = out.replace("-", "")
    return out


__all__ = [
    "is_valid_mbi",
    "is_valid_npi",
    "looks_like_mbi",
    "member_id_format",
    "normalize_member_id",
    "npi_check_digit",
    "repair_mbi",
]
