"""What keeps the embedded service going: re-enqueue work whose task was lost (a worker killed,
a queue emptied) and restart a worker process that died."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from datetime import timedelta

from sqlalchemy import or_, select

from intake.db import Document, Packet, utcnow
from intake.logs import log_failure
from intake.processing import PROCESSING_LEASE
from intake.runtime import Runtime
from intake.tasks import TaskQueue

log = logging.getLogger(__name__)

# A received document normally starts within seconds; one still waiting after this lost its task.
RECEIVED_GRACE = timedelta(minutes=5)
PACKET_LEASE = timedelta(minutes=30)


def sweep(rt: Runtime, queue: TaskQueue) -> tuple[int, int]:
    """Re-enqueue stale documents and packets; returns how many of each."""
    now = utcnow()
    with rt.sessions() as session:
        documents = session.scalars(
            select(Document.id).where(
                or_(
                    (Document.status == "received") & (Document.updated_at < now - RECEIVED_GRACE),
                    (Document.status == "processing") & (Document.updated_at < now - PROCESSING_LEASE),
                )
            )
        ).all()
        packets = session.scalars(
            select(Packet.id).where(Packet.status == "building", Packet.updated_at < now - PACKET_LEASE)
        ).all()
        for packet in session.scalars(select(Packet).where(Packet.id.in_(packets))):
            packet.updated_at = now  # one re-enqueue per lease, not one per sweep
        session.commit()
    for document_id in documents:
        queue.process_document(document_id)
    for packet_id in packets:
        queue.build_packet(packet_id)
    if documents or packets:
        log.info("sweep re-enqueued %d documents and %d packets", len(documents), len(packets))
    return len(documents), len(packets)


class Supervisor:
    """Runs `precert worker` as a child process, restarts it if it dies, and sweeps."""

    def __init__(self, rt: Runtime, queue: TaskQueue, *, env: dict[str, str], interval_s: float = 30) -> None:
        self.rt, self.queue, self.env, self.interval_s = rt, queue, env, interval_s
        self.worker: subprocess.Popen[bytes] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._start_worker()
        self._thread = threading.Thread(target=self._run, name="supervisor", daemon=True)
        self._thread.start()

    def _start_worker(self) -> None:
        self.worker = subprocess.Popen([sys.executable, "-m", "intake.cli", "worker"], env=self.env)

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            if self.worker is not None and self.worker.poll() is not None:
                log.error("the worker process exited (code %s); starting a new one", self.worker.returncode)
                self._start_worker()
            try:
                sweep(self.rt, self.queue)
            except Exception as exc:
                log_failure(log, "sweep failed", exc)

    def stop(self, *, timeout_s: float = 60) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        worker = self.worker
        if worker is not None and worker.poll() is None:
            worker.send_signal(2)  # SIGINT: Huey's graceful shutdown finishes the running tasks
            try:
                worker.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                worker.kill()
