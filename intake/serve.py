"""Process orchestration: `precert serve` (embedded default), `precert worker`, `precert watch`."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from pathlib import Path

from extractors.errors import InvalidRequestError
from intake.auth import bootstrap_admin
from intake.config import Settings, load_storage_env
from intake.embedded_s3 import EmbeddedS3
from intake.processing import release_abandoned
from intake.receive import requeue_unfinished
from intake.runtime import Runtime, settings_from_environment
from intake.supervisor import Supervisor
from intake.tasks import make_queue, set_runtime
from intake.webhook_delivery import WebhookDispatcher

log = logging.getLogger(__name__)
MIN_ADMIN_TOKEN_LENGTH = 24


def write_storage_env(settings: Settings) -> Path:
    """What an admin needs to point a scanner or a tool at the inbox (secret: mode 0600)."""
    path = settings.data_dir / "storage.env"
    lines = [
        "# Written by `precert serve` for the embedded S3 server. Keep it secret.",
        f"PRECERT_S3_ENDPOINT=http://{settings.s3_endpoint}",
        f"PRECERT_S3_ACCESS_KEY={settings.s3_access_key}",
        f"PRECERT_S3_SECRET_KEY={settings.s3_secret_key}",
        f"PRECERT_STORE_BUCKET={settings.store_bucket}",
        f"PRECERT_INBOX_BUCKET={settings.inbox_bucket}",
    ]
    path.touch(mode=0o600)
    os.chmod(path, 0o600)
    path.write_text("\n".join(lines) + "\n")
    return path


def _previous_embedded_port(data_dir: Path) -> int | None:
    endpoint = load_storage_env(data_dir).get("PRECERT_S3_ENDPOINT", "")
    try:
        port = int(endpoint.rsplit(":", 1)[1])
    except (IndexError, ValueError):
        return None
    import socket

    with socket.socket() as s:
        # Connections of the last run may linger in TIME_WAIT; they do not stop a new server.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            return port  # free again: keep the address scanners were given
        except OSError:
            return None


def _announce_first_start(runtime: Runtime) -> None:
    with runtime.sessions() as session:
        created = bootstrap_admin(session, admin_token=runtime.settings.admin_token)
    if created is None:
        return
    # Printed once, to the operator's terminal, never logged.
    print("=" * 72, file=sys.stderr)
    print("First start: an admin account was created. Shown once; store it now.", file=sys.stderr)
    print(f"  web login : {created.username} / {created.password}", file=sys.stderr)
    if created.token:
        print(f"  API token : {created.token}", file=sys.stderr)
    else:
        print("  API token : the value of PRECERT_ADMIN_TOKEN", file=sys.stderr)
    print("=" * 72, file=sys.stderr, flush=True)


def serve(*, data_dir: Path | None, host: str, port: int, workers: int | None) -> int:
    import uvicorn

    from intake.app import create_app
    from intake.watcher import InboxWatcher

    if data_dir is not None:
        os.environ["PRECERT_DATA_DIR"] = str(data_dir)
    settings = Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(settings.data_dir, 0o700)  # patient documents and the database live here
    if settings.admin_token is not None and len(settings.admin_token) < MIN_ADMIN_TOKEN_LENGTH:
        raise InvalidRequestError(
            f"PRECERT_ADMIN_TOKEN is too short to protect patient data: use at least {MIN_ADMIN_TOKEN_LENGTH} "
            "random characters (for example: python3 -c 'import secrets; print(secrets.token_urlsafe(32))')."
        )
    embedded: EmbeddedS3 | None = None
    if not settings.s3_endpoint:
        embedded = EmbeddedS3(settings.data_dir / "s3", port=_previous_embedded_port(settings.data_dir))
        creds = embedded.start()
        os.environ["PRECERT_S3_ENDPOINT"] = creds.endpoint
        os.environ["PRECERT_S3_ACCESS_KEY"] = creds.access_key
        os.environ["PRECERT_S3_SECRET_KEY"] = creds.secret_key
        settings = Settings()
        path = write_storage_env(settings)
        log.info("embedded S3 at http://%s; credentials for scanners in %s", creds.endpoint, path)
    if workers is not None:
        os.environ["PRECERT_WORKERS"] = str(workers)
        settings = Settings()

    supervisor: Supervisor | None = None
    watcher = None
    dispatcher: WebhookDispatcher | None = None
    try:
        runtime = Runtime(settings)
        runtime.migrate()
        runtime.store.ensure_buckets()
        _announce_first_start(runtime)
        queue = make_queue(runtime)
        if not settings.queue_url:
            # The embedded queue has no other workers: what was being read when the service
            # stopped was abandoned, and is read again now rather than after its lease.
            reset = release_abandoned(runtime)
            if reset:
                log.info("%d documents interrupted by the last stop will be read again", reset)
        supervisor = Supervisor(runtime, queue, env=os.environ.copy(), interval_s=settings.supervise_seconds)
        supervisor.start()
        pending = requeue_unfinished(runtime, queue)
        if pending:
            log.info("re-enqueued %d unfinished documents", pending)
        if settings.inbox_watch:
            watcher = InboxWatcher(runtime, queue)
            watcher.start()
        # Webhooks go out from the API process (here, and in every API replica of a scaled
        # deployment; deliveries are claimed, so replicas never send one twice at once).
        dispatcher = WebhookDispatcher(runtime)
        dispatcher.start()
        app = create_app(runtime, queue)
        log.info("serving on http://%s:%d (data in %s)", host, port, settings.data_dir.resolve())
        # Ctrl-C is the normal way to stop it. No lifespan events are used; with them on, Ctrl-C
        # printed a cancelled-lifespan traceback.
        with contextlib.suppress(KeyboardInterrupt):
            uvicorn.run(app, host=host, port=port, log_level="warning", lifespan="off")
        log.info("stopping")
    finally:
        if dispatcher is not None:
            dispatcher.stop()
        if watcher is not None:
            watcher.stop()
        if supervisor is not None:
            supervisor.stop()
        if embedded is not None:
            embedded.stop()
    return 0


def run_worker(*, data_dir: Path | None, workers: int | None) -> int:
    settings = settings_from_environment(str(data_dir) if data_dir else None)
    runtime = Runtime(settings)
    set_runtime(runtime)
    queue = make_queue(runtime)
    # Load the ICD-10-CM code set once, before the worker processes fork: they share its memory
    # and no document waits for the load.
    from extractors.icd10 import load as load_icd10

    load_icd10()
    # Poll an idle SQLite queue at least every second (Huey backs off to 10 s by default).
    # flush_locks: a worker killed while grouping must not leave the grouping lock held.
    consumer = queue.huey.create_consumer(
        workers=workers or settings.workers,
        worker_type="process",
        max_delay=1.0,
        flush_locks=True,
        extra_locks="precert-grouping",
    )
    log.info("worker started: %d processes", workers or settings.workers)
    consumer.run()
    return 0


def run_watcher(*, data_dir: Path | None) -> int:
    from intake.watcher import run_forever

    settings = settings_from_environment(str(data_dir) if data_dir else None)
    runtime = Runtime(settings)
    runtime.store.ensure_buckets()
    run_forever(runtime, make_queue(runtime))
    return 0
