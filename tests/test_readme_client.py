"""The README's example downstream client, run as written against a running `precert serve`:
it lists ready packets, downloads one, checks its checksum and posts the submission. A webhook
subscriber registered beforehand is told, signed, when the packet is ready and decided."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

from tests.conftest import REPO, LiveService, wait_for
from tests.docmaker import text_pdf
from tests.webhook_receiver import Receiver


def readme_client() -> str:
    text = (REPO / "README.md").read_text()
    found = re.search(r"<!-- downstream-client -->\s*```python\n(.*?)```", text, re.S)
    assert found, "README lost its example downstream client"
    return found.group(1)


def test_readme_client_submits_a_ready_packet(live_service: LiveService, receiver: Receiver, tmp_path: Path) -> None:
    payer = f"Example Payer {uuid.uuid4().hex[:8]}"  # the client only touches this test's packets
    with live_service.client() as client:
        hook = client.post(
            "/api/v1/webhooks", json={"url": receiver.url("/events"), "events": ["packet.ready", "decision.recorded"]}
        )
        assert hook.status_code == 201, hook.text
        receiver.secrets["/events"] = hook.json()["secret"]
        case = client.post("/api/v1/cases", json={"service_codes": ["72148"], "payer_name": payer, "member_id": "XKJ812345678"})
        assert case.status_code == 201, case.text
        case_id = case.json()["id"]
        upload = client.post(f"/api/v1/cases/{case_id}/documents", files=[("files", ("order.pdf", text_pdf()))])
        assert upload.status_code == 202, upload.text
        wait_for(
            lambda: all(d["status"] == "extracted" for d in client.get(f"/api/v1/cases/{case_id}").json()["documents"]),
            what="the order to be read",
        )
        packet_id = client.post(f"/api/v1/cases/{case_id}/packets").json()["id"]
        ready = wait_for(
            lambda: (p := client.get(f"/api/v1/packets/{packet_id}").json())["status"] == "ready" and p, what="packet"
        )

        script = tmp_path / "client.py"
        script.write_text(readme_client())
        env = {**os.environ, "PRECERT_URL": live_service.base_url, "PRECERT_TOKEN": live_service.token, "PRECERT_PAYER": payer}
        run = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        assert f"{packet_id} submitted; decision due" in run.stdout

        downloaded = (tmp_path / f"packet-{packet_id}.pdf").read_bytes()
        expected = next(f["sha256"] for f in ready["files"] if f["name"] == "packet.pdf")
        assert hashlib.sha256(downloaded).hexdigest() == expected
        after = client.get(f"/api/v1/packets/{packet_id}").json()
        assert after["status"] == "submitted" and after["submission"]["channel"] == "portal"

        decided = client.post(
            f"/api/v1/packets/{packet_id}/decision", json={"outcome": "approved", "authorization_number": "AUTH-77"}
        )
        assert decided.status_code == 200, decided.text

        def told() -> list[dict] | None:
            mine = [e for e in receiver.events("/events") if e["data"]["id"] == packet_id]
            return mine if len(mine) == 2 else None

        # Deliveries run in parallel and may arrive in any order; `created_at` orders them.
        events = sorted(wait_for(told, timeout=30, interval=0.2, what="the packet's events"), key=lambda e: e["created_at"])
        assert [(e["type"], e["data"]["status"]) for e in events] == [
            ("packet.ready", "ready"),
            ("decision.recorded", "approved"),
        ]
        assert all(r["verified"] for r in receiver.received)  # every delivery signed with the secret
        client.delete(f"/api/v1/webhooks/{hook.json()['id']}")
