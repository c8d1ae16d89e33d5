"""A webhook receiver for tests: a real HTTP endpoint on 127.0.0.1 that checks every request's
signature with the secret registered for its path, and records what it got."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from intake import webhooks


class Receiver:
    """An HTTP endpoint that checks each request's signature with the secret of its path."""

    def __init__(self) -> None:
        self.secrets: dict[str, str] = {}
        self.received: list[dict[str, Any]] = []
        self.responses: list[tuple[int, bytes]] = []  # answered in order; then 200
        self.delay_s = 0.0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                secret = receiver.secrets.get(self.path, "")
                verified = webhooks.verify_signature(secret, self.headers.get("Precert-Signature", ""), body)
                time.sleep(receiver.delay_s)
                with receiver.lock:
                    receiver.received.append(
                        {"path": self.path, "headers": dict(self.headers), "body": body, "verified": verified}
                    )
                    status, text = receiver.responses.pop(0) if receiver.responses else (200, b"ok")
                if not verified:
                    status, text = 401, b"bad signature"
                self.send_response(status)
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def events(self, path: str | None = None) -> list[dict[str, Any]]:
        with self.lock:
            return [json.loads(r["body"]) for r in self.received if path is None or r["path"] == path]
