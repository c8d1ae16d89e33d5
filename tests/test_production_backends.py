"""The production shape: PostgreSQL for metadata and Redis for the queue (both run on the
development and CI machines), with the same code as the embedded default."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from intake.config import Settings
from intake.db import Document
from intake.embedded_s3 import S3Credentials
from intake.receive import Upload, receive
from intake.runtime import Runtime
from intake.tasks import make_queue, set_runtime
from tests.docmaker import text_pdf

pytestmark = pytest.mark.integration


def _reachable(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture()
def postgres_url() -> Iterator[str]:
    if not _reachable(5432):
        pytest.skip("no PostgreSQL on 127.0.0.1:5432")
    import psycopg

    name = f"precert_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture()
def redis_url() -> str:
    if not _reachable(6379):
        pytest.skip("no Redis on 127.0.0.1:6379")
    return "redis://127.0.0.1:6379/15"


def test_postgres_and_redis_run_the_same_pipeline(
    s3_server: S3Credentials, postgres_url: str, redis_url: str, tmp_path: Path
) -> None:
    suffix = uuid.uuid4().hex[:10]
    settings = Settings(
        data_dir=tmp_path,
        s3_endpoint=s3_server.endpoint,
        s3_access_key=s3_server.access_key,
        s3_secret_key=s3_server.secret_key,
        store_bucket=f"store-{suffix}",
        inbox_bucket=f"inbox-{suffix}",
        database_url=postgres_url,
        queue_url=redis_url,
    )
    rt = Runtime(settings)
    rt.migrate()
    rt.migrate()  # idempotent on a migrated database
    rt.store.ensure_buckets()
    queue = make_queue(rt)
    queue.huey.flush()
    try:
        doc = receive(rt, queue, Upload("order.pdf", text_pdf(), "api"), case_id=None).document
        assert queue.huey.pending_count() == 1
        # What a `precert worker` on another machine does: take the task from Redis and run it.
        set_runtime(rt)
        task = queue.huey.dequeue()
        queue.huey.execute(task)
        with rt.sessions() as session:
            stored = session.get(Document, doc.id)
            assert stored.status == "extracted", stored.error
            assert stored.case_id is not None and stored.grouping["outcome"] == "new_case"
    finally:
        set_runtime(None)
        queue.huey.flush()
        rt.engine.dispose()
