"""ICD-10-CM code-set access (validity, description, billable) and OCR repair of code tokens.

The code set is the CDC April 2026 release bundled by simple-icd-10-cm. Its import takes a few
seconds and ~170 MB, so it is imported once, lazily, on first use.
"""

from __future__ import annotations

import itertools
import re
import threading
import warnings
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType

CODE_SET_VERSION = "ICD-10-CM 2026 (CDC April 2026 release, simple-icd-10-cm 1.5.0)"

# Letter, digit, then digit-or-letter, then up to four alphanumerics (dot after the third).
_SHAPE = re.compile(r"[A-Z][0-9][0-9A-Z](?:\.?[0-9A-Z]{1,4})?")

# OCR letter/digit confusions, in the direction the code shape demands.
_TO_DIGIT = {"O": "0", "I": "1", "L": "1", "S": "5", "B": "8", "Z": "2", "G": "6"}
_TO_LETTER = {"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z", "6": "G"}
_MAX_CANDIDATES = 64

_lock = threading.Lock()
_module: ModuleType | None = None


@dataclass(frozen=True)
class Icd10Entry:
    code: str  # dotted, e.g. "M54.16"
    description: str
    billable: bool


def _codes() -> ModuleType:
    global _module
    if _module is None:
        with _lock:
            if _module is None:
                with warnings.catch_warnings():
                    # The package reads its data through a deprecated importlib API.
                    warnings.simplefilter("ignore", DeprecationWarning)
                    import simple_icd_10_cm

                _module = simple_icd_10_cm
    return _module


def load() -> None:
    """Import the code set now (a service calls this at start-up, tests once per session)."""
    _codes()


@lru_cache(maxsize=8192)
def lookup(code: str) -> Icd10Entry | None:
    """The code-set entry for a dotted or undotted code, or None when it is not a code."""
    c = re.sub(r"\s+", "", code or "").upper()
    if not _SHAPE.fullmatch(c):
        return None
    if "." in c and c.index(".") != 3:
        return None
    bare = c.replace(".", "")
    m = _codes()
    # is_valid_item also accepts chapters ("10") and blocks ("M50-M54"): only codes count.
    if not (m.is_category_or_subcategory(bare) or m.is_extended_subcategory(bare)):
        return None
    return Icd10Entry(code=m.add_dot(bare), description=m.get_description(bare), billable=bool(m.is_leaf(bare)))


def _options(pos: int, ch: str) -> list[str]:
    up = ch.upper()
    if pos == 0:  # must be a letter
        if ch == "l":
            return ["I"]
        if up.isalpha():
            return [up]
        return [_TO_LETTER[up]] if up in _TO_LETTER else []
    if pos == 1:  # must be a digit
        if up.isdigit():
            return [up]
        return [_TO_DIGIT[up]] if up in _TO_DIGIT else []
    # Positions 3..7 may be either: keep the printed character and try its twin.
    if ch == "l":
        return ["1", "I"]
    if not up.isalnum():
        return []
    twin = _TO_DIGIT.get(up) if up.isalpha() else _TO_LETTER.get(up)
    return [up, twin] if twin else [up]


def repair(printed: str) -> Icd10Entry | None:
    """The one valid code that letter/digit OCR repair of `printed` yields, else None.

    Returns None as well when `printed` is valid as it stands (nothing to repair) or when
    several different valid codes could result (a guess would not be evidence).
    """
    text = printed.strip()
    if lookup(text) is not None:
        return None
    dot = text.find(".")
    if dot not in (-1, 3):
        return None
    bare = text.replace(".", "")
    if not 3 <= len(bare) <= 7:
        return None
    options = [_options(i, ch) for i, ch in enumerate(bare)]
    if any(not o for o in options):
        return None
    total = 1
    for o in options:
        total *= len(o)
    if total > _MAX_CANDIDATES:
        return None
    found: dict[str, Icd10Entry] = {}
    for combo in itertools.product(*options):
        entry = lookup("".join(combo))
        if entry is not None:
            found[entry.code] = entry
            if len(found) > 1:
                return None
    return next(iter(found.values()), None)


__all__ = ["CODE_SET_VERSION", "Icd10Entry", "load", "lookup", "repair"]
