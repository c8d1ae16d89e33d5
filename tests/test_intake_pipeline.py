"""Receive -> store -> record -> enqueue -> process -> group, on the real S3 server and a real
Huey queue; the task body is run here as the worker would run it."""

from __future__ import annotations

import hashlib

import pytest

from extractors.errors import DamagedFileError, EmptyFileError, EncryptedPdfError, FileTooLargeError, UnsupportedFileType
from intake.db import Case, Document
from intake.processing import process_document
from intake.receive import NotFoundError, Upload, receive, requeue_unfinished
from intake.runtime import Runtime
from intake.tasks import make_queue
from intake.watcher import poll_once
from tests.docmaker import encrypted_pdf, text_pdf


@pytest.fixture()
def queue(runtime: Runtime):
    return make_queue(runtime)


def _case(rt: Runtime, **kwargs: object) -> str:
    with rt.sessions() as s:
        case = Case(service_codes=["72148"], **kwargs)
        s.add(case)
        s.commit()
        return case.id


def test_accepted_file_is_durable_recorded_and_enqueued(runtime: Runtime, queue) -> None:
    case_id = _case(runtime)
    data = text_pdf()
    received = receive(runtime, queue, Upload("order.pdf", data, "api"), case_id=case_id)
    sha = hashlib.sha256(data).hexdigest()
    assert runtime.store.get_original(sha) == data
    assert received.document.status == "received" and received.document.pages == 1
    assert queue.huey.pending_count() == 1
    again = receive(runtime, queue, Upload("order-copy.pdf", data, "api"), case_id=case_id)
    assert again.duplicate and again.document.id == received.document.id


def test_processing_extracts_fields_with_evidence(runtime: Runtime, queue) -> None:
    case_id = _case(runtime)
    doc = receive(runtime, queue, Upload("order.pdf", text_pdf(), "api"), case_id=case_id).document
    process_document(runtime, doc.id)
    with runtime.sessions() as s:
        stored = s.get(Document, doc.id)
        assert stored.status == "extracted", stored.error
        fields = stored.extraction[0]["fields"]
        assert [v["value"] for v in fields["member_id"]] == ["XKJ812345678"]
        assert "72148" in [v["value"] for v in fields["cpt"]]
        npi = fields["npi"][0]
        assert npi["value"] == "1234567893" and npi["valid"] is True
        assert npi["evidence"]["document_id"] == doc.id and npi["evidence"]["page"] == 1
        assert npi["evidence"]["method"] == "text_layer" and npi["evidence"]["bbox"]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", EmptyFileError),
        (b"just some text, not a document", UnsupportedFileType),
        (b"%PDF-1.4\n this is not really a pdf at all", DamagedFileError),
    ],
)
def test_bad_input_is_refused_and_nothing_is_recorded(runtime: Runtime, queue, data: bytes, error: type) -> None:
    with pytest.raises(error):
        receive(runtime, queue, Upload("x.pdf", data, "api"), case_id=None)
    with runtime.sessions() as s:
        assert s.query(Document).count() == 0


def test_encrypted_pdf_is_refused_with_a_clear_message(runtime: Runtime, queue) -> None:
    with pytest.raises(EncryptedPdfError) as info:
        receive(runtime, queue, Upload("locked.pdf", encrypted_pdf(), "api"), case_id=None)
    assert "password-protected" in str(info.value)


def test_oversize_file_is_refused(runtime: Runtime, queue) -> None:
    runtime.settings.max_upload_mb = 1
    with pytest.raises(FileTooLargeError) as info:
        receive(runtime, queue, Upload("big.pdf", b"%PDF-1.4" + b"0" * (1024 * 1024 + 10), "api"), case_id=None)
    assert "limit is 1 MB" in str(info.value)


def test_unknown_case_is_refused(runtime: Runtime, queue) -> None:
    with pytest.raises(NotFoundError):
        receive(runtime, queue, Upload("order.pdf", text_pdf(), "api"), case_id="0" * 32)


def test_document_without_case_is_grouped_by_member_id(runtime: Runtime, queue) -> None:
    case_id = _case(runtime, member_id="XKJ812345678")
    doc = receive(runtime, queue, Upload("order.pdf", text_pdf(), "api"), case_id=None).document
    process_document(runtime, doc.id)
    with runtime.sessions() as s:
        stored = s.get(Document, doc.id)
        assert stored.case_id == case_id
        assert stored.grouping["outcome"] == "matched"


def test_document_of_an_unknown_member_opens_a_new_case(runtime: Runtime, queue) -> None:
    doc = receive(runtime, queue, Upload("order.pdf", text_pdf(), "api"), case_id=None).document
    process_document(runtime, doc.id)
    with runtime.sessions() as s:
        stored = s.get(Document, doc.id)
        assert stored.grouping["outcome"] == "new_case"
        case = s.get(Case, stored.case_id)
        assert case.member_id == "XKJ812345678" and "72148" in case.service_codes


def test_inbox_case_keeps_every_code_line_and_says_what_is_unset(runtime: Runtime, queue) -> None:
    """A CPAP order with its supplies opens a case with every line; the case says its request
    date and payer were never entered instead of measuring recency from a guess."""
    from intake import packets

    lines = [
        "STANDARD WRITTEN ORDER - CPAP",
        "Order Date: 11/02/2026",
        "Patient: Okafor, Ada   DOB: 03/14/1961",
        "Member ID: QZT909988776",
        "Ordering Physician NPI: 1558598797",
        "E0601 CPAP device",
        "A7030 Full face mask x1",
        "E0562 Heated humidifier",
        "Diagnosis: G47.33 Obstructive sleep apnea",
    ]
    doc = receive(runtime, queue, Upload("fax-0001.pdf", text_pdf(lines), "inbox"), case_id=None).document
    process_document(runtime, doc.id)
    with runtime.sessions() as s:
        case_id = s.get(Document, doc.id).case_id
        case = s.get(Case, case_id)
        assert case.service_codes == ["A7030", "E0562", "E0601"]
        assert case.request_date is None and case.payer_name is None
    report = packets.completeness(runtime, case_id)
    assert report.status == "incomplete"
    assert [s.id for s in report.services] == ["cpap"] and report.services[0].companions == ("A7030", "E0562")
    by_id = {r.id: r for r in report.requirements}
    assert (
        by_id["request.request-date"].status == "review"
        and "No request date was entered" in by_id["request.request-date"].message
    )
    assert by_id["request.payer"].status == "review"


def test_unprocessed_documents_are_requeued(runtime: Runtime, queue) -> None:
    receive(runtime, queue, Upload("order.pdf", text_pdf(), "api"), case_id=None)
    queue.huey.flush()  # the queue lost its task (crash between commit and enqueue)
    assert requeue_unfinished(runtime, queue) == 1
    assert queue.huey.pending_count() == 1


def test_inbox_file_is_taken_only_after_it_is_recorded(runtime: Runtime, queue) -> None:
    import io

    store = runtime.store
    case_id = _case(runtime)
    data = text_pdf()
    store.client.put_object(store.inbox_bucket, f"inbox/{case_id}/fax-0001.pdf", io.BytesIO(data), len(data))
    store.client.put_object(store.inbox_bucket, "scanner/notes.txt", io.BytesIO(b"hello"), 5)
    store.client.put_object(store.inbox_bucket, "inbox/MRN-4471/order.pdf", io.BytesIO(data), len(data))
    assert poll_once(runtime, queue) == 3
    assert list(store.list_inbox()) == []
    with runtime.sessions() as s:
        doc = s.query(Document).one()
        assert doc.case_id == case_id and doc.source == "inbox" and doc.inbox_key == f"inbox/{case_id}/fax-0001.pdf"
    reason = store.get(store.inbox_bucket, "quarantine/scanner/notes.txt.reason.txt").decode()
    assert "unsupported_type" in reason
    # A folder under inbox/ that is not a case id is never guessed at.
    reason = store.get(store.inbox_bucket, "quarantine/inbox/MRN-4471/order.pdf.reason.txt").decode()
    assert "does not name an existing case" in reason


def test_unidentified_document_waits_for_staff_then_is_assigned(runtime: Runtime, queue) -> None:
    from intake.processing import assign_to_case

    case_id = _case(runtime)
    lines = ["PROGRESS NOTE", "Date of Service: 10/12/2026", "Low back pain for nine weeks despite physical therapy."]
    doc = receive(runtime, queue, Upload("page.pdf", text_pdf(lines), "inbox"), case_id=None).document
    process_document(runtime, doc.id)
    with runtime.sessions() as s:
        stored = s.get(Document, doc.id)
        assert stored.case_id is None and stored.grouping["outcome"] == "needs_review"
    assign_to_case(runtime, doc.id, case_id, by="admin")
    with runtime.sessions() as s:
        stored = s.get(Document, doc.id)
        assert stored.case_id == case_id and stored.grouping["outcome"] == "assigned"


def test_packet_keeps_failed_documents_and_drops_repeats(runtime: Runtime, queue) -> None:
    import json

    from intake.db import Packet
    from intake.packets import build_packet, request_packet

    case_id = _case(runtime, member_id="XKJ812345678", request_date=None)
    first = receive(runtime, queue, Upload("order.pdf", text_pdf(), "api"), case_id=case_id).document
    process_document(runtime, first.id)
    # The same fax again through the inbox: grouped into the same case by member ID.
    again = receive(runtime, queue, Upload("fax-0002.pdf", text_pdf(), "inbox"), case_id=None).document
    process_document(runtime, again.id)
    unreadable = receive(runtime, queue, Upload("note.pdf", text_pdf(["PROGRESS NOTE"] * 3), "api"), case_id=case_id).document
    with runtime.sessions() as s:
        assert s.get(Document, again.id).case_id == case_id
        failed = s.get(Document, unreadable.id)
        failed.status, failed.error = "failed", "OCR failed on every page"
        s.commit()
    packet = request_packet(runtime, queue, case_id)
    build_packet(runtime, packet.id)
    with runtime.sessions() as s:
        stored = s.get(Packet, packet.id)
        assert stored.status == "ready", stored.error
        manifest = json.loads(runtime.store.get_stored(f"packets/{case_id}/v1/manifest.json"))
    names = [d["filename"] for d in manifest["documents"]]
    assert sorted(names) == ["note.pdf", "order.pdf"]  # the repeat is in once
    note = next(d for d in manifest["documents"] if d["filename"] == "note.pdf")
    assert any("OCR failed on every page" in p for p in note["problems"])


def test_service_packet_makes_scanned_pages_searchable(runtime: Runtime, queue) -> None:
    import io
    import json

    import pypdfium2 as pdfium

    from intake.packets import build_packet, request_packet
    from tests.docmaker import png_page

    case_id = _case(runtime)
    doc = receive(runtime, queue, Upload("scan.png", png_page(), "web"), case_id=case_id).document
    process_document(runtime, doc.id)
    assert runtime.store.get_derived(doc.id, "ocr-words.json") is not None
    packet = request_packet(runtime, queue, case_id)
    build_packet(runtime, packet.id)
    manifest = json.loads(runtime.store.get_stored(f"packets/{case_id}/v1/manifest.json"))
    pdf = pdfium.PdfDocument(io.BytesIO(runtime.store.get_stored(f"packets/{case_id}/v1/packet.pdf")))
    page = manifest["documents"][0]["pages_in_packet"][0] - 1
    assert "XKJ812345678" in pdf[page].get_textpage().get_text_range().replace(" ", "")


def test_inbox_file_that_keeps_failing_is_quarantined_not_retried_forever(runtime: Runtime, queue, monkeypatch) -> None:
    import io

    import intake.watcher as watcher

    store = runtime.store
    data = text_pdf()
    store.client.put_object(store.inbox_bucket, "fax/odd.pdf", io.BytesIO(data), len(data))

    def broken(*_args, **_kwargs):
        raise RuntimeError("simulated parser crash")

    monkeypatch.setattr(watcher, "receive", broken)
    failures: dict = {}
    for _ in range(watcher.MAX_ATTEMPTS - 1):
        assert watcher.poll_once(runtime, queue, failures) == 0
    assert watcher.poll_once(runtime, queue, failures) == 1
    assert list(store.list_inbox()) == []
    assert "could_not_take" in store.list_quarantine()[0].reason


def test_oversize_inbox_file_is_quarantined_without_reading_it(runtime: Runtime, queue) -> None:
    import io

    runtime.settings.max_upload_mb = 1
    store = runtime.store
    big = b"%PDF-1.4" + b"0" * (1024 * 1024 + 10)
    store.client.put_object(store.inbox_bucket, "big.pdf", io.BytesIO(big), len(big))
    assert poll_once(runtime, queue) == 1
    assert "file_too_large" in store.list_quarantine()[0].reason


def test_a_document_is_processed_by_one_worker_at_a_time(runtime: Runtime, queue) -> None:
    from intake.processing import claim

    doc = receive(runtime, queue, Upload("order.pdf", text_pdf(), "api"), case_id=None).document
    assert claim(runtime, doc.id) is True
    assert claim(runtime, doc.id) is False  # a second worker (or a re-enqueued task) keeps off
    process_document(runtime, doc.id)  # also keeps off: the first claim holds it
    with runtime.sessions() as s:
        assert s.get(Document, doc.id).status == "processing"


def test_two_faxes_of_a_new_patient_read_at_once_open_one_case(runtime: Runtime, queue) -> None:
    from concurrent.futures import ThreadPoolExecutor

    lines = ["IMAGING ORDER", "Patient: Marsh, Colin   DOB: 07/22/1958", "Member ID: QZT445566778", "CPT 72148"]
    docs = [
        receive(runtime, queue, Upload(f"fax-{i}.pdf", text_pdf([*lines, f"Page of fax {i}"]), "inbox"), case_id=None).document
        for i in range(2)
    ]
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda d: process_document(runtime, d.id), docs))
    with runtime.sessions() as s:
        case_ids = {s.get(Document, d.id).case_id for d in docs}
        assert len(case_ids) == 1 and None not in case_ids
        assert s.query(Case).count() == 1


def test_the_grouping_lock_is_held_by_one_worker_at_a_time(runtime: Runtime, queue) -> None:
    import threading
    import time

    inside, overlaps = [], []

    def group() -> None:
        with runtime.grouping_lock():
            inside.append(1)
            if len(inside) > 1:
                overlaps.append(1)
            time.sleep(0.2)
            inside.pop()

    threads = [threading.Thread(target=group) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert overlaps == []


def test_packets_built_out_of_order_leave_only_the_newest_ready(runtime: Runtime, queue) -> None:
    from intake.db import Packet
    from intake.packets import build_packet, request_packet

    case_id = _case(runtime)
    doc = receive(runtime, queue, Upload("order.pdf", text_pdf(), "api"), case_id=case_id).document
    process_document(runtime, doc.id)
    first, second = request_packet(runtime, queue, case_id), request_packet(runtime, queue, case_id)
    build_packet(runtime, second.id)
    build_packet(runtime, first.id)  # the older one finishes last
    with runtime.sessions() as s:
        assert s.get(Packet, second.id).status == "ready"
        assert s.get(Packet, first.id).status == "superseded"


def test_a_retried_packet_build_rewrites_the_same_files(runtime: Runtime, queue) -> None:
    from intake.db import Packet
    from intake.packets import build_packet, request_packet

    case_id = _case(runtime)
    doc = receive(runtime, queue, Upload("order.pdf", text_pdf(), "api"), case_id=case_id).document
    process_document(runtime, doc.id)
    packet = request_packet(runtime, queue, case_id)
    build_packet(runtime, packet.id)
    with runtime.sessions() as s:
        stored = s.get(Packet, packet.id)
        stored.status = "building"  # as if the worker died after writing the files
        s.commit()
    build_packet(runtime, packet.id)
    with runtime.sessions() as s:
        assert s.get(Packet, packet.id).status == "ready", s.get(Packet, packet.id).error


def test_sweep_re_enqueues_documents_whose_task_was_lost(runtime: Runtime, queue) -> None:
    from datetime import timedelta

    from intake.db import utcnow
    from intake.supervisor import sweep

    doc = receive(runtime, queue, Upload("order.pdf", text_pdf(), "api"), case_id=None).document
    queue.huey.flush()
    assert sweep(runtime, queue) == (0, 0)  # just received: its task may still be on its way
    with runtime.sessions() as s:
        stored = s.get(Document, doc.id)
        stored.updated_at = utcnow() - timedelta(minutes=10)
        s.commit()
    assert sweep(runtime, queue) == (1, 0)
    assert queue.huey.pending_count() == 1
