"""ObjectStore against the real embedded S3 server."""

from __future__ import annotations

import hashlib

import pytest

from intake.runtime import Runtime


def test_original_is_stored_once(runtime: Runtime) -> None:
    data = b"%PDF-1.4 fake bytes"
    sha = hashlib.sha256(data).hexdigest()
    assert runtime.store.put_original(sha, data, "application/pdf") is True
    assert runtime.store.put_original(sha, data, "application/pdf") is False
    assert runtime.store.get_original(sha) == data


def test_packet_files_are_never_overwritten(runtime: Runtime) -> None:
    runtime.store.put_new("packets/c1/v1/manifest.json", b"{}", "application/json")
    with pytest.raises(FileExistsError):
        runtime.store.put_new("packets/c1/v1/manifest.json", b'{"x": 1}', "application/json")
    assert runtime.store.get_stored("packets/c1/v1/manifest.json") == b"{}"


def test_quarantine_keeps_the_file_and_its_reason(runtime: Runtime) -> None:
    store = runtime.store
    store.client.put_object(store.inbox_bucket, "scanner1/bad.doc", __import__("io").BytesIO(b"PK\x03\x04"), 4)
    target = store.quarantine("scanner1/bad.doc", "unsupported_type: a Word file")
    assert [o.key for o in store.list_inbox()] == []  # quarantined files are not listed as work
    assert store.get(store.inbox_bucket, target) == b"PK\x03\x04"
    assert b"unsupported_type" in store.get(store.inbox_bucket, target + ".reason.txt")


def test_a_second_quarantined_file_of_the_same_name_keeps_the_first(runtime: Runtime) -> None:
    import io

    store = runtime.store
    for body in (b"first", b"second"):
        store.client.put_object(store.inbox_bucket, "scan0001.pdf", io.BytesIO(body), len(body))
        store.quarantine("scan0001.pdf", f"reason for {body.decode()}")
    listed = store.list_quarantine()
    assert sorted(store.get(store.inbox_bucket, q.key) for q in listed) == [b"first", b"second"]
    assert {q.original_key for q in listed} == {"scan0001.pdf"}
