"""Object storage through the minio SDK, S3 API only (MinIO, AWS S3, SeaweedFS, Ceph)."""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlparse

from minio import Minio
from minio.commonconfig import CopySource
from minio.error import S3Error

from intake.config import Settings

log = logging.getLogger(__name__)

QUARANTINE_PREFIX = "quarantine/"
REASON_SUFFIX = ".reason.txt"
_STAMP = re.compile(r"^\d{8}T\d{12}Z/")


@dataclass(frozen=True)
class QuarantinedFile:
    key: str  # where it is now, in the inbox bucket
    original_key: str  # where the scanner put it
    size: int
    quarantined_at: datetime
    reason: str


@dataclass(frozen=True)
class InboxObject:
    key: str
    size: int
    last_modified: datetime
    etag: str


def make_client(endpoint: str, access_key: str | None, secret_key: str | None, region: str = "us-east-1") -> Minio:
    parsed = urlparse(endpoint if "://" in endpoint else f"http://{endpoint}")
    return Minio(parsed.netloc, access_key=access_key, secret_key=secret_key, secure=parsed.scheme == "https", region=region)


class ObjectStore:
    def __init__(self, client: Minio, *, store_bucket: str, inbox_bucket: str) -> None:
        self.client = client
        self.store_bucket = store_bucket
        self.inbox_bucket = inbox_bucket

    @classmethod
    def from_settings(cls, settings: Settings) -> ObjectStore:
        if not settings.s3_endpoint:
            raise RuntimeError("No S3 endpoint configured (PRECERT_S3_ENDPOINT).")
        client = make_client(settings.s3_endpoint, settings.s3_access_key, settings.s3_secret_key, settings.s3_region)
        return cls(client, store_bucket=settings.store_bucket, inbox_bucket=settings.inbox_bucket)

    def ensure_buckets(self) -> None:
        for bucket in (self.store_bucket, self.inbox_bucket):
            if not self.client.bucket_exists(bucket):
                self.client.make_bucket(bucket)

    # -- originals ---------------------------------------------------------------------------
    @staticmethod
    def original_key(sha256: str) -> str:
        return f"originals/{sha256}"

    def put_original(self, sha256: str, data: bytes, content_type: str) -> bool:
        """Store the bytes once per content hash. Returns False when they were already there."""
        key = self.original_key(sha256)
        if self.exists(self.store_bucket, key):
            return False
        self.client.put_object(
            self.store_bucket, key, io.BytesIO(data), len(data), content_type=content_type, metadata={"sha256": sha256}
        )
        return True

    def get_original(self, sha256: str) -> bytes:
        return self.get(self.store_bucket, self.original_key(sha256))

    # -- generic -------------------------------------------------------------------------------
    def exists(self, bucket: str, key: str) -> bool:
        try:
            self.client.stat_object(bucket, key)
            return True
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NoSuchObject", "NotFound", "ResourceNotFound"):
                return False
            raise

    def get(self, bucket: str, key: str) -> bytes:
        response = self.client.get_object(bucket, key)
        try:
            return response.read()
        finally:
            response.close()
            response.release_conn()

    def put_new(self, key: str, data: bytes, content_type: str) -> None:
        """Write an object that must never be overwritten (packet files are immutable). Writing
        the same bytes again (a retried build) is allowed; different bytes are refused."""
        if self.exists(self.store_bucket, key):
            if hashlib.sha256(self.get(self.store_bucket, key)).digest() == hashlib.sha256(data).digest():
                return
            raise FileExistsError(f"object {key} already exists; packet versions are written once")
        self.client.put_object(self.store_bucket, key, io.BytesIO(data), len(data), content_type=content_type)

    def put_derived(self, document_id: str, name: str, data: bytes, content_type: str) -> None:
        """What the service computed from a document (rewritten when it is processed again)."""
        self.client.put_object(
            self.store_bucket, f"derived/{document_id}/{name}", io.BytesIO(data), len(data), content_type=content_type
        )

    def get_derived(self, document_id: str, name: str) -> bytes | None:
        key = f"derived/{document_id}/{name}"
        return self.get(self.store_bucket, key) if self.exists(self.store_bucket, key) else None

    def get_stored(self, key: str) -> bytes:
        return self.get(self.store_bucket, key)

    # -- inbox ---------------------------------------------------------------------------------
    def list_inbox(self) -> Iterator[InboxObject]:
        for obj in self.client.list_objects(self.inbox_bucket, recursive=True):
            if obj.is_dir or obj.object_name.startswith(QUARANTINE_PREFIX):
                continue
            yield InboxObject(obj.object_name, obj.size or 0, obj.last_modified, (obj.etag or "").strip('"'))

    def read_inbox(self, key: str) -> bytes:
        return self.get(self.inbox_bucket, key)

    def remove_from_inbox(self, key: str) -> None:
        self.client.remove_object(self.inbox_bucket, key)

    def list_quarantine(self, *, limit: int = 200) -> list[QuarantinedFile]:
        """Inbox files that could not be taken, newest first, with the reason kept beside each."""
        objects = [
            o
            for o in self.client.list_objects(self.inbox_bucket, prefix=QUARANTINE_PREFIX, recursive=True)
            if not o.is_dir and not o.object_name.endswith(REASON_SUFFIX)
        ]
        objects.sort(key=lambda o: o.last_modified, reverse=True)
        out = []
        for obj in objects[:limit]:
            try:
                reason = self.get(self.inbox_bucket, obj.object_name + REASON_SUFFIX).decode(errors="replace")
            except S3Error:
                reason = "(no reason recorded)"
            original = _STAMP.sub("", obj.object_name[len(QUARANTINE_PREFIX) :], count=1)
            out.append(QuarantinedFile(obj.object_name, original, obj.size or 0, obj.last_modified, reason))
        return out

    def quarantine(self, key: str, reason: str) -> str:
        """Move an unreadable inbox file aside, with its reason beside it; nothing is deleted
        until the copy exists."""
        target = QUARANTINE_PREFIX + key
        if self.exists(self.inbox_bucket, target):
            # Scanners reuse names (scan0001.pdf): never replace an earlier quarantined file.
            target = f"{QUARANTINE_PREFIX}{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}/{key}"
        self.client.copy_object(self.inbox_bucket, target, CopySource(self.inbox_bucket, key))
        text = reason.encode()
        self.client.put_object(
            self.inbox_bucket, target + REASON_SUFFIX, io.BytesIO(text), len(text), content_type="text/plain; charset=utf-8"
        )
        self.client.remove_object(self.inbox_bucket, key)
        return target
