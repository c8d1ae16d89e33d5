"""The inbox bucket watcher. Polling with ListObjects works on every S3 server (bucket
notifications are a MinIO extension). A file leaves the inbox only after its original is stored
and its Document row committed; a file that cannot be read moves to quarantine/ with a reason.

Run exactly one watcher per inbox (`precert serve` runs it in-process; in production the
`precert watch` service): the per-key checks below make a repeat pickup harmless, not a race
between two watchers.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from datetime import UTC, datetime

from sqlalchemy import select

from extractors.errors import PrecertError
from intake.db import Case, Document
from intake.logs import log_failure
from intake.receive import Upload, receive
from intake.runtime import Runtime
from intake.tasks import TaskQueue

log = logging.getLogger(__name__)

_CASE_FOLDER = re.compile(r"^inbox/([^/]+)/.")


def case_folder(key: str) -> str | None:
    """The folder under inbox/ that names the case ("inbox/<case-id>/fax.pdf"), if any."""
    match = _CASE_FOLDER.match(key)
    return match.group(1) if match else None


MAX_ATTEMPTS = 3  # a file that fails this often (the same bytes) is quarantined, not retried forever


def poll_once(rt: Runtime, queue: TaskQueue, failures: dict[tuple[str, str], int] | None = None) -> int:
    """Take every settled inbox object once. Returns how many left the inbox. `failures` counts
    failed attempts per (key, etag) across polls."""
    failures = {} if failures is None else failures
    taken = 0
    settle = rt.settings.inbox_settle_seconds
    now = datetime.now(UTC)
    for obj in list(rt.store.list_inbox()):
        if settle and obj.last_modified and (now - obj.last_modified).total_seconds() < settle:
            continue
        attempt = (obj.key, obj.etag)
        try:
            if obj.size > rt.settings.max_upload_bytes:
                # Refused without reading it into memory.
                rt.store.quarantine(
                    obj.key,
                    f"file_too_large: {obj.size / 1048576:.1f} MB; the limit is "
                    f"{rt.settings.max_upload_mb} MB. Split the document or scan at 300 DPI.",
                )
                taken += 1
            elif _take(rt, queue, obj.key):
                taken += 1
            failures.pop(attempt, None)
        except Exception as exc:
            failures[attempt] = failures.get(attempt, 0) + 1
            log.error("inbox object could not be taken (%s, attempt %d)", type(exc).__name__, failures[attempt])
            if failures[attempt] >= MAX_ATTEMPTS:
                try:
                    rt.store.quarantine(
                        obj.key,
                        f"could_not_take: failed {MAX_ATTEMPTS} times ({type(exc).__name__}). "
                        "Check the file and the service's log, then put it in the inbox again.",
                    )
                    failures.pop(attempt, None)
                    taken += 1
                except Exception as again:
                    log.error("inbox object could not be quarantined either (%s)", type(again).__name__)
    return taken


def _take(rt: Runtime, queue: TaskQueue, key: str) -> bool:
    case_id = case_folder(key)
    data = rt.store.read_inbox(key)
    if case_id is not None:
        with rt.sessions() as session:
            if session.get(Case, case_id) is None:
                # Never guess: a folder meant as a case (a reference, an MRN) must not be ignored.
                rt.store.quarantine(
                    key,
                    f"The folder inbox/{case_id}/ does not name an existing case. Put the file under "
                    "inbox/<case id>/ (the id shown by the service) or at the top of the inbox to group it automatically.",
                )
                log.warning("inbox file quarantined: its folder names no case")
                return True
    with rt.sessions() as session:
        # A crash after recording but before removal leaves the file behind: do not record twice.
        sha256 = hashlib.sha256(data).hexdigest()
        already = session.scalar(select(Document.id).where(Document.inbox_key == key, Document.sha256 == sha256))
    if already is None:
        try:
            receive(rt, queue, Upload(key.rsplit("/", 1)[-1], data, "inbox", inbox_key=key), case_id=case_id)
        except PrecertError as exc:
            rt.store.quarantine(key, f"{exc.code}: {exc}")
            log.warning("inbox file quarantined (%s)", exc.code)
            return True
    rt.store.remove_from_inbox(key)
    return True


class InboxWatcher:
    def __init__(self, rt: Runtime, queue: TaskQueue) -> None:
        self.rt = rt
        self.queue = queue
        self.failures: dict[tuple[str, str], int] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name="inbox-watcher", daemon=True)
        self._thread.start()

    def run(self) -> None:
        log.info("watching inbox bucket every %.1f s", self.rt.settings.inbox_poll_seconds)
        while not self._stop.is_set():
            try:
                poll_once(self.rt, self.queue, self.failures)
            except Exception as exc:
                log_failure(log, "inbox poll failed; retrying", exc)
            self._stop.wait(self.rt.settings.inbox_poll_seconds)

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=10)


def run_forever(rt: Runtime, queue: TaskQueue) -> None:
    watcher = InboxWatcher(rt, queue)
    try:
        watcher.run()
    except KeyboardInterrupt:
        watcher.stop()
