"""Huey tasks. The API process enqueues; `precert worker` (or the workers that `precert serve`
starts) runs them. Both sides register the same task names on a queue built from settings."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from huey import Huey
from huey.exceptions import TaskLockedException

from intake.runtime import Runtime, make_huey, settings_from_environment

_runtime: Runtime | None = None


def set_runtime(runtime: Runtime | None) -> None:
    global _runtime
    _runtime = runtime


def current_runtime() -> Runtime:
    global _runtime
    if _runtime is None:
        _runtime = Runtime(settings_from_environment())
    return _runtime


def _process_document(document_id: str) -> None:
    from intake.processing import process_document

    process_document(current_runtime(), document_id)


def _build_packet(packet_id: str) -> None:
    from intake.packets import build_packet

    build_packet(current_runtime(), packet_id)


@dataclass
class TaskQueue:
    huey: Huey
    process_document: Any
    build_packet: Any


@contextmanager
def shared_lock(huey: Huey, name: str, *, timeout_s: float = 120) -> Iterator[None]:
    """A lock held in the queue's storage (SQLite or Redis), so every worker process and machine
    sees it. Huey's own lock does not wait; this one does, up to `timeout_s`."""
    lock = huey.lock_task(name)
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            lock.__enter__()
            break
        except TaskLockedException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    try:
        yield
    finally:
        lock.__exit__(None, None, None)


def make_queue(runtime: Runtime) -> TaskQueue:
    huey = make_huey(runtime.settings)
    runtime.grouping_lock = lambda: shared_lock(huey, "precert-grouping")
    # Retries cover transient failures (S3 or database briefly away); bad input is not retried,
    # it is recorded as a failed document by the task itself.
    process = huey.task(retries=3, retry_delay=10, name="precert.process_document")(_process_document)
    # A packet waits (by retrying) until every document of its case is read: up to an hour.
    packet = huey.task(retries=3600, retry_delay=1, name="precert.build_packet")(_build_packet)
    return TaskQueue(huey, process, packet)
