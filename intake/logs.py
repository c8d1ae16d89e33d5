"""Logging without patient data: exception messages (which may quote the input, such as a date
or a name a parser choked on) are left out; the type and the code location are kept."""

from __future__ import annotations

import logging
import traceback


def log_failure(log: logging.Logger, what: str, exc: BaseException) -> None:
    frames = traceback.extract_tb(exc.__traceback__)
    where = " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}" for f in reversed(frames[-6:]))
    log.error("%s: %s at %s", what, type(exc).__name__, where or "?")
