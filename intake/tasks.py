"""Huey tasks. The API process enqueues; `precert worker` (or the workers that `precert serve`
starts) runs them. Both sides register the same task names on a queue built from settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from huey import Huey

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


def make_queue(runtime: Runtime) -> TaskQueue:
    huey = make_huey(runtime.settings)
    # Retries cover transient failures (S3 or database briefly away); bad input is not retried,
    # it is recorded as a failed document by the task itself.
    process = huey.task(retries=3, retry_delay=10, name="precert.process_document")(_process_document)
    # A packet waits (by retrying) until every document of its case is read: up to an hour.
    packet = huey.task(retries=3600, retry_delay=1, name="precert.build_packet")(_build_packet)
    return TaskQueue(huey, process, packet)
