"""Shared fixtures: a real embedded S3 server (weed) per test session, a fresh runtime per test,
and a whole `precert serve` process for end-to-end tests."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from intake.config import Settings
from intake.embedded_s3 import EmbeddedS3, S3Credentials, free_port
from intake.runtime import Runtime
from intake.storage import make_client
from tests.webhook_receiver import Receiver

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "sample_docs"


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Credentials]:
    root = Path(tempfile.mkdtemp(prefix="precert-test-s3-"))
    server = EmbeddedS3(root)
    creds = server.start()
    # Refuse anything but a local endpoint: tests must never write to a real bucket.
    assert creds.endpoint.startswith("127.0.0.1:")
    try:
        yield creds
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture()
def runtime(s3_server: S3Credentials, tmp_path: Path) -> Runtime:
    """A Runtime on the shared S3 server with buckets of its own and a fresh SQLite database."""
    suffix = uuid.uuid4().hex[:10]
    settings = Settings(
        data_dir=tmp_path / "data",
        s3_endpoint=s3_server.endpoint,
        s3_access_key=s3_server.access_key,
        s3_secret_key=s3_server.secret_key,
        store_bucket=f"store-{suffix}",
        inbox_bucket=f"inbox-{suffix}",
        inbox_settle_seconds=0,
    )
    rt = Runtime(settings)
    rt.migrate()
    rt.store.ensure_buckets()
    return rt


@dataclass
class LiveService:
    base_url: str
    token: str
    data_dir: Path
    process: subprocess.Popen[bytes]
    log_path: Path

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, headers={"Authorization": f"Bearer {self.token}"}, timeout=60, **kwargs)

    def storage_env(self) -> dict[str, str]:
        values = {}
        for line in (self.data_dir / "storage.env").read_text().splitlines():
            if "=" in line and not line.startswith("#"):
                key, _, value = line.partition("=")
                values[key] = value
        return values

    def s3_client(self):
        env = self.storage_env()
        return make_client(env["PRECERT_S3_ENDPOINT"], env["PRECERT_S3_ACCESS_KEY"], env["PRECERT_S3_SECRET_KEY"])

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture(scope="session")
def live_service() -> Iterator[LiveService]:
    """`precert serve` exactly as a clinic runs it: embedded S3, SQLite, workers, watcher."""
    data_dir = Path(tempfile.mkdtemp(prefix="precert-test-serve-"))
    port = free_port()
    token = "pct_test_" + uuid.uuid4().hex
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRECERT_")}
    env.update(
        {
            "PRECERT_ADMIN_TOKEN": token,
            "PRECERT_INBOX_POLL_SECONDS": "1",
            "PRECERT_INBOX_SETTLE_SECONDS": "0",
            "PRECERT_WORKERS": "2",
        }
    )
    log_path = data_dir / "serve.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "intake.cli",
                "serve",
                "--data-dir",
                str(data_dir),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=REPO,
            start_new_session=True,
        )
    service = LiveService(f"http://127.0.0.1:{port}", token, data_dir, process, log_path)
    deadline = time.monotonic() + 90
    while True:
        if process.poll() is not None:
            pytest.fail(f"precert serve exited early:\n{service.log()}")
        try:
            if httpx.get(f"{service.base_url}/healthz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"precert serve did not answer within 90 s:\n{service.log()}")
        time.sleep(0.3)
    try:
        yield service
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        shutil.rmtree(data_dir, ignore_errors=True)


def wait_for(predicate, *, timeout: float = 120, interval: float = 0.5, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


@pytest.fixture()
def receiver() -> Iterator[Receiver]:
    """A webhook receiver on 127.0.0.1 that checks signatures (tests/webhook_receiver.py)."""
    r = Receiver()
    try:
        yield r
    finally:
        r.server.shutdown()
        r.server.server_close()
