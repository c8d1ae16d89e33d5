"""Object storage through the minio SDK, S3 API only (MinIO, AWS S3, SeaweedFS, Ceph)."""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any
from urllib.parse import urlparse

from minio import Minio
from minio.commonconfig import GOVERNANCE, CopySource
from minio.error import S3Error
from minio.retention import Retention

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
class StoredObject:
    key: str
    retained_until: str | None  # ISO 8601: under S3 object-lock retention until then
    # The S3 version written (versioned buckets): reads ask for it, so a later write or delete
    # marker on the same key cannot change what a packet's file is.
    version_id: str | None = None


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
        if not self.client.bucket_exists(self.store_bucket):
            # Object lock can only be turned on when a bucket is made: packets rely on it.
            try:
                self.client.make_bucket(self.store_bucket, object_lock=True)
            except S3Error as exc:
                log.warning(
                    "the S3 server refused object lock (%s): packet files are protected by write-once checks only", exc.code
                )
                self.client.make_bucket(self.store_bucket)
        if not self.client.bucket_exists(self.inbox_bucket):
            self.client.make_bucket(self.inbox_bucket)

    @cached_property
    def object_lock(self) -> bool:
        """Whether the store bucket can hold objects under retention (S3 object lock)."""
        try:
            self.client.get_object_lock_config(self.store_bucket)
            return True
        except S3Error as exc:
            if exc.code in (
                "ObjectLockConfigurationNotFoundError",
                "NoSuchObjectLockConfiguration",
                "InvalidRequest",
                "NotImplemented",
            ):
                return False
            raise

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

    def get(self, bucket: str, key: str, version_id: str | None = None) -> bytes:
        response = self.client.get_object(bucket, key, version_id=version_id)
        try:
            return response.read()
        finally:
            response.close()
            response.release_conn()

    def put_new(self, key: str, data: bytes, content_type: str, *, retain_days: int = 0) -> StoredObject:
        """Write an object that must never be overwritten (packet files are immutable). Writing
        the same bytes again (a retried build) is allowed; different bytes are refused. With
        `retain_days` and a bucket with object lock, the object cannot be deleted (governance
        retention) until then."""
        if self.exists(self.store_bucket, key):
            if hashlib.sha256(self.get(self.store_bucket, key)).digest() == hashlib.sha256(data).digest():
                stat = self.client.stat_object(self.store_bucket, key)
                return StoredObject(key, self._retained_until(key), stat.version_id)
            raise FileExistsError(f"object {key} already exists; packet versions are written once")
        retention = None
        if retain_days and self.object_lock:
            until = (datetime.now(UTC) + timedelta(days=retain_days)).replace(microsecond=0)
            retention = Retention(GOVERNANCE, until)
        written = self.client.put_object(
            self.store_bucket, key, io.BytesIO(data), len(data), content_type=content_type, retention=retention
        )
        return StoredObject(key, retention.retain_until_date.isoformat() if retention else None, written.version_id)

    def _retained_until(self, key: str) -> str | None:
        if not self.object_lock:
            return None
        try:
            retention = self.client.get_object_retention(self.store_bucket, key)
        except S3Error:
            return None
        return retention.retain_until_date.isoformat() if retention and retention.retain_until_date else None

    def open_stored(self, key: str, version_id: str | None = None) -> Any:
        """A streaming response for the object (the caller closes and releases it)."""
        return self.client.get_object(self.store_bucket, key, version_id=version_id)

    def presigned_get(self, key: str, *, seconds: int, filename: str, version_id: str | None = None) -> str:
        return self.client.presigned_get_object(
            self.store_bucket,
            key,
            expires=timedelta(seconds=seconds),
            response_headers={"response-content-disposition": f'attachment; filename="{filename}"'},
            version_id=version_id,
        )

    def put_derived(self, document_id: str, name: str, data: bytes, content_type: str) -> None:
        """What the service computed from a document (rewritten when it is processed again)."""
        self.client.put_object(
            self.store_bucket, f"derived/{document_id}/{name}", io.BytesIO(data), len(data), content_type=content_type
        )

    def get_derived(self, document_id: str, name: str) -> bytes | None:
        key = f"derived/{document_id}/{name}"
        return self.get(self.store_bucket, key) if self.exists(self.store_bucket, key) else None

    def get_stored(self, key: str, version_id: str | None = None) -> bytes:
        return self.get(self.store_bucket, key, version_id)

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
