"""Time from upload to a ready packet, through a real `precert serve` (embedded default).

    .venv/bin/python -m benchmarks.upload_to_packet [--case ID ...]

Starts the service in a temporary data dir, then for each sample case: creates the case,
uploads its files in one request, requests a packet and waits until it is ready. Prints the
seconds per case, with its page count.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from intake.embedded_s3 import free_port

SAMPLES = Path(__file__).resolve().parent.parent / "sample_docs"


def _wait(predicate, timeout: float = 300):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise TimeoutError("timed out")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--case", action="append")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="precert-bench-"))
    port, token = free_port(), "pct_bench_" + uuid.uuid4().hex
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRECERT_")} | {"PRECERT_ADMIN_TOKEN": token}
    proc = subprocess.Popen(
        [sys.executable, "-m", "intake.cli", "serve", "--data-dir", str(data_dir), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        started = time.monotonic()
        _wait(lambda: _healthy(base), timeout=120)
        print(f"service up in {time.monotonic() - started:.1f} s")
        client = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=120)
        print(f"{'case':<28}{'files':>6}{'pages':>7}{'upload->packet s':>18}")
        for case_json in sorted(SAMPLES.glob("*/case.json")):
            case = json.loads(case_json.read_text())
            if args.case and case["case_id"] not in args.case:
                continue
            t0 = time.monotonic()
            case_id = client.post("/api/v1/cases", json=case["request"]).json()["id"]
            files = [("files", (f["file"], (case_json.parent / f["file"]).read_bytes())) for f in case["files"]]
            client.post(f"/api/v1/cases/{case_id}/documents", files=files).raise_for_status()
            packet_id = client.post(f"/api/v1/cases/{case_id}/packets").json()["id"]
            _wait(lambda pid=packet_id: client.get(f"/api/v1/packets/{pid}").json()["status"] == "ready")
            elapsed = time.monotonic() - t0
            docs = client.get("/api/v1/documents", params={"case_id": case_id}).json()["documents"]
            print(f"{case['case_id']:<28}{len(files):>6}{sum(d['pages'] or 0 for d in docs):>7}{elapsed:>18.1f}")
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=60)
        shutil.rmtree(data_dir, ignore_errors=True)


def _healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


if __name__ == "__main__":
    main()
