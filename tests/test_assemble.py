from __future__ import annotations

import hashlib
import io
import json
from datetime import UTC, datetime

import jsonschema
import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen import canvas

from packet_builder.assemble import PacketDocument, build_packet, file_spans
from packet_builder.catalog import load_catalog
from packet_builder.checker import check
from packet_builder.clocks import decision_due
from packet_builder.manifest import load_schema
from tests.pb_factories import doc, mri_docs, mri_request, packet_doc

CREATED = datetime(2026, 11, 2, 14, 0, tzinfo=UTC)


def make_pdf(pages: int, label: str) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    for i in range(pages):
        c.drawString(72, 720, f"{label} page {i + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


def encrypted_pdf(label: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(2, label))))
    writer.encrypt(user_password="", owner_password="owner-secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def fax_tiff() -> bytes:
    frames = [Image.new("1", (1728, 1100), 1) for _ in range(3)]
    out = io.BytesIO()
    frames[0].save(out, format="TIFF", save_all=True, append_images=frames[1:], dpi=(204, 98), compression="group4")
    return out.getvalue()


def rotated_jpeg() -> bytes:
    img = Image.new("RGB", (300, 200), (200, 30, 30))  # stored landscape, shown portrait
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif, dpi=(100, 100))
    return out.getvalue()


def alpha_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (400, 500), (0, 0, 255, 128)).save(out, format="PNG", dpi=(150, 150))
    return out.getvalue()


@pytest.fixture(scope="module")
def case():
    card, order, note = mri_docs()
    documents = [
        packet_doc("d-card", "card.png", "image/png", alpha_png(), card),
        packet_doc("d-note", "note.pdf", "application/pdf", make_pdf(2, "NOTE"), note),
        packet_doc("d-order", "order.pdf", "application/pdf", encrypted_pdf("ENCRYPTED-ORDER"), order),
        packet_doc("d-fax", "fax.tiff", "image/tiff", fax_tiff(), doc("imaging_report", doc_id="d-fax", pages=3)),
        packet_doc("d-photo", "photo.jpg", "image/jpeg", rotated_jpeg(), doc("lab_report", doc_id="d-photo")),
        packet_doc(
            "d-bad", "broken.pdf", "application/pdf", b"%PDF-1.7\n this is not a pdf at all", doc("other", doc_id="d-bad")
        ),
    ]
    request = mri_request(member_id="XZA123456789", payer_name="Example Health Plan")
    report = check(request, [d.extraction for d in documents])
    deadline = decision_due(request, CREATED)
    kwargs = {
        "case_id": "C-0001",
        "version": 2,
        "request": request,
        "documents": documents,
        "report": report,
        "deadline": deadline,
        "created_at": CREATED,
        "previous_version": 1,
    }
    files = build_packet(**kwargs)
    return documents, files, kwargs


def test_page_count_is_front_matter_plus_all_document_pages(case):
    _, files, _ = case
    manifest = json.loads(files["manifest.json"])
    front = manifest["packet"]["front_matter_pages"][1]
    assert front >= 2  # cover + checklist
    reader = PdfReader(io.BytesIO(files["packet.pdf"]))
    # png 1 + note 2 + encrypted order 2 + fax 3 TIFF frames + photo 1 + placeholder 1
    assert len(reader.pages) == front + 10
    assert manifest["packet"]["page_count"] == len(reader.pages)


def test_documents_in_sensible_order_with_bookmarks(case):
    _, files, _ = case
    manifest = json.loads(files["manifest.json"])
    assert [d["document_id"] for d in manifest["documents"]] == ["d-order", "d-note", "d-fax", "d-photo", "d-card", "d-bad"]
    reader = PdfReader(io.BytesIO(files["packet.pdf"]))
    titles = [item.title for item in reader.outline]
    assert titles[:2] == ["Cover sheet", "Requirements checklist"]
    assert len(titles) == 2 + 6
    for d in manifest["documents"]:
        item = next(i for i in reader.outline if d["filename"] in i.title)
        assert reader.get_destination_page_number(item) + 1 == d["pages_in_packet"][0]


def test_fax_page_keeps_its_aspect(case):
    _, files, _ = case
    manifest = json.loads(files["manifest.json"])
    fax = next(d for d in manifest["documents"] if d["document_id"] == "d-fax")
    first, last = fax["pages_in_packet"]
    assert last - first + 1 == 3
    page = PdfReader(io.BytesIO(files["packet.pdf"])).pages[first - 1]
    w, h = float(page.mediabox.width), float(page.mediabox.height)
    assert w == pytest.approx(1728 / 204 * 72, rel=0.01)
    assert h == pytest.approx(1100 / 98 * 72, rel=0.01)  # not squashed to half height


def test_exif_rotation_applied(case):
    _, files, _ = case
    manifest = json.loads(files["manifest.json"])
    photo = next(d for d in manifest["documents"] if d["document_id"] == "d-photo")
    page = PdfReader(io.BytesIO(files["packet.pdf"])).pages[photo["pages_in_packet"][0] - 1]
    assert float(page.mediabox.height) > float(page.mediabox.width)


def test_encrypted_pdf_is_included_and_garbage_gets_placeholder(case):
    _, files, _ = case
    manifest = json.loads(files["manifest.json"])
    reader = PdfReader(io.BytesIO(files["packet.pdf"]))
    docs = {d["document_id"]: d for d in manifest["documents"]}
    order_first = docs["d-order"]["pages_in_packet"][0]
    assert "ENCRYPTED-ORDER page 1" in reader.pages[order_first - 1].extract_text()
    bad = docs["d-bad"]
    assert bad["included"] is False and bad["problems"]
    assert bad["pages_in_packet"][0] == bad["pages_in_packet"][1]
    assert "could not be included" in reader.pages[bad["pages_in_packet"][0] - 1].extract_text()


def test_every_page_is_stamped(case):
    _, files, _ = case
    reader = PdfReader(io.BytesIO(files["packet.pdf"]))
    n = len(reader.pages)
    for i in (0, 1, n - 5, n - 1):
        assert f"Case C-0001 v2 \u00b7 Member XZA123456789 \u00b7 page {i + 1} of {n}" in reader.pages[i].extract_text()


def test_cover_and_checklist_content(case):
    _, files, _ = case
    reader = PdfReader(io.BytesIO(files["packet.pdf"]))
    cover = reader.pages[0].extract_text()
    for text in ("XZA123456789", "Pat Testcase", "72148", "M54.16", "C-0001", "Decision due", "CMS-0057-F"):
        assert text in cover, text
    front = json.loads(files["manifest.json"])["packet"]["front_matter_pages"][1]
    checklist = " ".join(reader.pages[i].extract_text() for i in range(1, front))
    assert "imaging.order" in checklist and "MET" in checklist


def test_manifest_validates_and_has_checksums(case):
    documents, files, _ = case
    manifest = json.loads(files["manifest.json"])
    jsonschema.Draft202012Validator.check_schema(load_schema())
    jsonschema.validate(manifest, load_schema(), cls=jsonschema.Draft202012Validator)
    sums = {d["document_id"]: d["sha256"] for d in manifest["documents"]}
    for d in documents:
        assert sums[d.document_id] == hashlib.sha256(d.original).hexdigest()
    assert manifest["files"] == [
        {"name": name, "sha256": hashlib.sha256(files[name]).hexdigest(), "size": len(files[name])}
        for name in ("packet.pdf", "bundle.json")
    ]
    assert manifest["packet"]["previous_version"] == 1
    assert manifest["completeness"]["catalog_version"] == load_catalog().version
    note = next(d for d in manifest["documents"] if d["document_id"] == "d-note")
    assert note["fields"]["document_date"][0]["value"] == "2026-10-20"
    assert note["facts"]["conservative_therapy"][0]["assertion"] == "present"


def test_schema_rejects_a_broken_manifest(case):
    _, files, _ = case
    manifest = json.loads(files["manifest.json"])
    manifest["documents"][0]["sha256"] = "nope"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(manifest, load_schema(), cls=jsonschema.Draft202012Validator)


def test_deterministic(case):
    _, files, kwargs = case
    again = build_packet(**kwargs)
    assert again["packet.pdf"] == files["packet.pdf"]
    assert again["manifest.json"] == files["manifest.json"]


def _split_docs(data: bytes, content_type: str, name: str) -> list[PacketDocument]:
    """One stored document (one id) holding an order (page 1-2) and a note (page 3-...)."""
    a = doc("order", doc_id="d1", pages=2)
    b = doc("progress_note", doc_id="d1", pages=2)
    b = b.__class__(**{**b.__dict__, "page_range": (3, 4)})
    return [packet_doc("d1", name, content_type, data, a), packet_doc("d1", name, content_type, data, b)]


def test_one_file_holding_two_documents_is_split_without_losing_pages(case):
    data = make_pdf(5, "MIXED")
    docs = _split_docs(data, "application/pdf", "m.pdf")
    sha = hashlib.sha256(data).hexdigest()
    assert file_spans(docs, {sha: 5}) == {("d1", 1): (1, 2), ("d1", 3): (3, 5)}
    _, _, kwargs = case
    files = build_packet(**{**kwargs, "documents": docs})
    pages = PdfReader(io.BytesIO(files["packet.pdf"])).pages
    front = json.loads(files["manifest.json"])["packet"]["front_matter_pages"][1]
    texts = [p.extract_text() for p in pages[front:]]
    assert [next(f"page {i}" for i in range(1, 6) if f"MIXED page {i}" in t) for t in texts] == [f"page {i}" for i in range(1, 6)]


def test_every_fax_frame_lands_once_in_the_packet(case):
    frames = []
    for i in range(4):
        frame = Image.new("1", (1728, 1100), 1)
        frame.paste(0, (100 + 200 * i, 100, 300 + 200 * i, 300))  # a different mark on each frame
        frames.append(frame)
    out = io.BytesIO()
    frames[0].save(out, format="TIFF", save_all=True, append_images=frames[1:], dpi=(204, 98), compression="group4")
    docs = _split_docs(out.getvalue(), "image/tiff", "fax.tif")
    _, _, kwargs = case
    files = build_packet(**{**kwargs, "documents": docs})
    reader = PdfReader(io.BytesIO(files["packet.pdf"]))
    front = json.loads(files["manifest.json"])["packet"]["front_matter_pages"][1]
    digests = []
    for page in reader.pages[front:]:
        (image,) = [x.get_object() for x in page["/Resources"]["/XObject"].values()]
        digests.append(hashlib.sha256(image.get_data()).hexdigest())
    assert len(digests) == 4 and len(set(digests)) == 4


def test_password_protected_pdf_becomes_placeholder():
    from packet_builder.pages import open_source, render_pages

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(1, "SECRET"))))
    writer.encrypt(user_password="letmein", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    src = open_source(out.getvalue(), "application/pdf")
    assert src.problem and "password" in src.problem
    pdf, problems = render_pages(src, 1, 1, title="Order: x.pdf")
    assert problems and len(PdfReader(io.BytesIO(pdf)).pages) == 1


def test_multiframe_tiff_with_alpha_keeps_every_frame_and_no_dpi_image_fits_letter():
    from packet_builder.pages import open_source, render_pages

    frames = [Image.new("RGBA", (800, 1000), (10, 20, 30, 200)) for _ in range(4)]
    out = io.BytesIO()
    frames[0].save(out, format="TIFF", save_all=True, append_images=frames[1:])
    src = open_source(out.getvalue(), "image/tiff")
    assert src.page_count == 4
    pdf, problems = render_pages(src, 1, 4, title="t")
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == 4 and not problems
    big = io.BytesIO()
    Image.new("RGB", (4032, 3024), "white").save(big, format="JPEG")  # phone photo, no DPI
    pdf, _ = render_pages(open_source(big.getvalue(), "image/jpeg"), 1, 1, title="p")
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    w, h = float(page.mediabox.width), float(page.mediabox.height)
    assert w <= 792.5 and h <= 612.5 and w / h == pytest.approx(4032 / 3024, rel=0.01)


def test_packet_without_documents():
    request = mri_request()
    report = check(request, [])
    files = build_packet(
        case_id="C-2",
        version=1,
        request=request,
        documents=[],
        report=report,
        deadline=decision_due(request, CREATED),
        created_at=CREATED,
    )
    manifest = json.loads(files["manifest.json"])
    jsonschema.validate(manifest, load_schema(), cls=jsonschema.Draft202012Validator)
    assert manifest["documents"] == [] and manifest["completeness"]["status"] == "incomplete"
    assert len(PdfReader(io.BytesIO(files["packet.pdf"])).pages) == manifest["packet"]["page_count"]


def test_page_found_upside_down_by_ocr_is_turned_upright():
    from extractors.models import Page
    from packet_builder.pages import turn_pages, upright_turns

    pages = (
        Page(index=0, text="", method="ocr", decision="rotated 180 degrees (OSD confidence 9.0)", rotation=180),
        Page(index=1, text="", method="ocr", decision="ocr"),
    )
    turns = upright_turns(pages)
    assert turns == {1: 180}
    turned = PdfReader(io.BytesIO(turn_pages(make_pdf(2, "X"), 1, turns)))
    assert [p.rotation for p in turned.pages] == [180, 0]


def test_a_checklist_message_longer_than_a_page_does_not_stop_the_packet():
    # Evidence in dozens of documents (a fax batch of several patients) made one table row taller
    # than a page, and reportlab refused to lay it out: found by benchmarks.packet_build.
    from packet_builder.cover import ChecklistRow, FrontMatter, render_front_matter

    long = "Document 7 disagrees with document 1 on the member ID. " * 400
    fm = FrontMatter(
        title="Prior authorization request",
        facts=[("Member ID", "X")],
        documents=[],
        overall="incomplete",
        checklist=[ChecklistRow("Documents of one patient", "common.same-patient", "review", long, long, 0)],
    )
    pdf, pages, checklist_page = render_front_matter(fm)
    assert pdf.startswith(b"%PDF") and pages >= 2 and checklist_page == 2
