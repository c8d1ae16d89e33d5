"""`precert serve` starts and stops its own S3 server and worker, and a restart keeps the data,
the login, the S3 address and the credentials (which are printed only on the first start)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

from intake.embedded_s3 import free_port
from tests.conftest import REPO, wait_for

pytestmark = pytest.mark.integration


def _processes_using(path: Path) -> list[str]:
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if str(path) in cmdline:
                found.append(cmdline)
    return found


def _processes_using_cmd(needle: str) -> list[tuple[int, str]]:
    """(pid, "ppid=<parent pid>") of processes whose command line contains `needle`."""
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                ppid = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]
            except (OSError, IndexError):
                continue
            if needle in cmdline:
                found.append((int(pid), f"ppid={ppid}"))
    return found


def _start(data_dir: Path, port: int, token: str, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRECERT_")} | {
        "PRECERT_ADMIN_TOKEN": token,
        "PRECERT_SUPERVISE_SECONDS": "1",
    }
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "intake.cli", "serve", "--data-dir", str(data_dir), "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=REPO,
            start_new_session=True,
        )

    def healthy() -> bool:
        assert proc.poll() is None, log.read_text()
        try:
            return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    wait_for(healthy, timeout=90, interval=0.3, what="precert serve to answer")
    return proc


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=60)


def test_restart_keeps_everything_and_stops_cleanly(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    token = "pct_" + uuid.uuid4().hex
    port = free_port()
    first = _start(data_dir, port, token, tmp_path / "first.log")
    try:
        env_before = (data_dir / "storage.env").read_text()
        headers = {"Authorization": f"Bearer {token}"}
        case_id = httpx.post(f"http://127.0.0.1:{port}/api/v1/cases", json={"service_codes": ["72148"]}, headers=headers).json()[
            "id"
        ]
    finally:
        _stop(first)
    assert "First start" in (tmp_path / "first.log").read_text()
    time.sleep(0.5)
    assert _processes_using(data_dir) == [], "the S3 server or a worker outlived precert serve"
    assert oct(data_dir.stat().st_mode & 0o777) == "0o700"

    second = _start(data_dir, port, token, tmp_path / "second.log")
    try:
        assert "First start" not in (tmp_path / "second.log").read_text()
        assert (data_dir / "storage.env").read_text() == env_before  # same S3 address and keys
        again = httpx.get(f"http://127.0.0.1:{port}/api/v1/cases/{case_id}", headers=headers)
        assert again.status_code == 200 and again.json()["service_codes"] == ["72148"]

        # The worker process dies: serve starts another, and documents are still read.
        workers = [c for c in _processes_using_cmd("intake.cli worker") if c[1] == f"ppid={second.pid}"]
        assert workers, "no worker process found"
        os.kill(workers[0][0], signal.SIGKILL)
        time.sleep(3)
        from tests.docmaker import text_pdf

        upload = httpx.post(
            f"http://127.0.0.1:{port}/api/v1/cases/{case_id}/documents",
            headers=headers,
            files=[("files", ("order.pdf", text_pdf()))],
            timeout=30,
        )
        doc_id = upload.json()["documents"][0]["id"]
        wait_for(
            lambda: (
                httpx.get(f"http://127.0.0.1:{port}/api/v1/documents/{doc_id}", headers=headers).json()["status"] == "extracted"
            ),
            timeout=60,
            what="a document read by the restarted worker",
        )
    finally:
        _stop(second)
    time.sleep(0.5)
    assert _processes_using(data_dir) == []
