"""packet.pdf as a payer's reviewer and a fax server see it: qpdf-clean, compact (1-bit pages as
G4, photos as JPEG), bookmarked by type and date, stamped on every page, searchable where it was
OCRed, and split into size-limited parts that each start with the cover.

Every input is a real file made here (Pillow, reportlab); nothing is mocked.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
from dataclasses import replace
from datetime import UTC, datetime

import jsonschema
import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from extractors.models import Page, Word
from packet_builder.assemble import build_packet
from packet_builder.catalog import load_catalog
from packet_builder.checker import check
from packet_builder.clocks import decision_due
from packet_builder.compress import encode_image, near_bilevel
from packet_builder.hcpcs import hcpcs_descriptions, is_hcpcs_level2
from packet_builder.manifest import load_schema
from packet_builder.parts import plan_parts
from packet_builder.request import PacketOptions, Sender
from tests.pb_factories import doc, mri_request, packet_doc

CREATED = datetime(2026, 11, 2, 14, 0, tzinfo=UTC)
CASE_ID, MEMBER = "C-0042", "XZA123456789"
SCAN_WORD = "RADICULOPATHY"
SCAN_DPI = 200


def _font(size: int) -> ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def text_pdf(pages: int, label: str, *, rotate: int = 0) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    for i in range(pages):
        c.drawString(72, 720, f"{label} page {i + 1}")
        c.showPage()
    c.save()
    if not rotate:
        return buf.getvalue()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(buf.getvalue())))
    for page in writer.pages:
        page.rotate(rotate)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(1, "LOCKED"))))
    writer.encrypt(user_password="", owner_password="owner-secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def fax_tiff(frames: int = 2) -> bytes:
    images = []
    for i in range(frames):
        frame = Image.new("1", (1728, 2156), 1)
        draw = ImageDraw.Draw(frame)
        draw.text((150, 200), f"FAX ORDER FRAME {i + 1}", fill=0, font=_font(48))
        draw.rectangle((150, 400, 1500, 420), fill=0)
        images.append(frame)
    out = io.BytesIO()
    images[0].save(out, format="TIFF", save_all=True, append_images=images[1:], dpi=(204, 196), compression="group4")
    return out.getvalue()


def grey_text_scan() -> tuple[bytes, tuple[float, float, float, float]]:
    """A scanned letter page: anti-aliased grey text (near-bilevel), embedded by reportlab as an
    8-bit Flate image, as many scanners write it; and the box of SCAN_WORD (fractions)."""
    w, h = int(8.5 * SCAN_DPI), 11 * SCAN_DPI
    img = Image.new("L", (w, h), 250)
    draw = ImageDraw.Draw(img)
    at = (200, 300)
    draw.text(at, SCAN_WORD, fill=20, font=_font(40))
    box = draw.textbbox(at, SCAN_WORD, font=_font(40))
    for y in range(500, 2000, 60):
        draw.text((200, y), "Patient reports low back pain radiating to the left leg.", fill=30, font=_font(30))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(612, 792), invariant=1)
    c.drawImage(ImageReader(img), 0, 0, width=612, height=792)
    c.showPage()
    c.save()
    return buf.getvalue(), (box[0] / w, box[1] / h, box[2] / w, box[3] / h)


def grey_picture_png() -> bytes:
    """A grey page that is not bilevel (an X-ray print): must stay grey, as JPEG."""
    img = Image.linear_gradient("L").resize((1700, 2200))
    out = io.BytesIO()
    img.save(out, format="PNG", dpi=(200, 200))
    return out.getvalue()


def colour_photo() -> bytes:
    img = Image.radial_gradient("L").resize((1600, 1200)).convert("RGB")
    img = Image.merge("RGB", (img.getchannel(0), Image.new("L", img.size, 120), img.getchannel(0).point(lambda v: 255 - v)))
    exif = Image.Exif()
    exif[0x0112] = 6  # stored landscape, shown portrait
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif, quality=92)
    return out.getvalue()


def ocr_scan_extraction(box: tuple[float, float, float, float]):
    base = doc("imaging_report", doc_id="d-scan", fields={"document_date": ["2026-08-15"]})
    word = Word(text=SCAN_WORD, bbox=box, confidence=0.95, start=0, end=len(SCAN_WORD))
    page = Page(index=0, text=SCAN_WORD, method="ocr", words=(word,), width=612, height=792)
    return base.__class__(**{**base.__dict__, "pages": (page,)})


# Pages each document takes in the packet, in the order the packet must put them.
EXPECTED = [
    ("d-order-fax", 2, "Order, undated - fax.tif"),
    ("d-note-new", 2, "Progress note, 2026-10-20 - note_new.pdf"),
    ("d-note-old", 1, "Progress note, 2026-09-01 - note_old.pdf"),
    ("d-note-turned", 1, "Progress note, undated - turned.pdf"),
    ("d-scan", 1, "Imaging report, 2026-08-15 - scan.pdf"),
    ("d-xray", 1, "Imaging report, undated - xray.png"),
    ("d-lab-locked", 1, "Lab report, undated - locked.pdf"),
    ("d-bad", 1, "Other document, undated - broken.pdf"),
    ("d-photo", 1, "Other document, undated - photo.jpg"),
]


@pytest.fixture(scope="module")
def mixed():
    scan, box = grey_text_scan()
    documents = [
        packet_doc("d-photo", "photo.jpg", "image/jpeg", colour_photo(), doc("other", doc_id="d-photo")),
        packet_doc(
            "d-note-old",
            "note_old.pdf",
            "application/pdf",
            text_pdf(1, "OLD NOTE"),
            doc("progress_note", doc_id="d-note-old", fields={"document_date": ["2026-09-01"]}),
        ),
        packet_doc(
            "d-note-new",
            "note_new.pdf",
            "application/pdf",
            text_pdf(2, "NEW NOTE"),
            doc("progress_note", doc_id="d-note-new", pages=2, fields={"document_date": ["2026-10-20"]}),
        ),
        packet_doc("d-order-fax", "fax.tif", "image/tiff", fax_tiff(), doc("order", doc_id="d-order-fax", pages=2)),
        packet_doc("d-scan", "scan.pdf", "application/pdf", scan, ocr_scan_extraction(box)),
        packet_doc("d-xray", "xray.png", "image/png", grey_picture_png(), doc("imaging_report", doc_id="d-xray")),
        packet_doc("d-lab-locked", "locked.pdf", "application/pdf", encrypted_pdf(), doc("lab_report", doc_id="d-lab-locked")),
        packet_doc(
            "d-note-turned",
            "turned.pdf",
            "application/pdf",
            text_pdf(1, "TURNED", rotate=90),
            doc("progress_note", doc_id="d-note-turned"),
        ),
        packet_doc("d-bad", "broken.pdf", "application/pdf", b"%PDF-1.7\n not a pdf", doc("other", doc_id="d-bad")),
    ]
    request = mri_request(member_id=MEMBER, payer_name="Example Health Plan", payer_fax="(555) 010-2030", reference="ST-9")
    kwargs = {
        "case_id": CASE_ID,
        "version": 1,
        "request": request,
        "documents": documents,
        "report": check(request, [d.extraction for d in documents]),
        "deadline": decision_due(request, CREATED),
        "created_at": CREATED,
        "options": PacketOptions(sender=Sender(practice="Desert Spine Clinic", phone="(602) 555-0100", fax="(602) 555-0101")),
    }
    files = build_packet(**kwargs)
    return files, json.loads(files["manifest.json"]), kwargs


def qpdf_check(pdf: bytes, tmp_path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(pdf)
    run = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr


def page_images(pdf: bytes, page_index: int) -> list[pikepdf.Stream]:
    with pikepdf.open(io.BytesIO(pdf)) as doc_:
        page = doc_.pages[page_index]
        return [
            pikepdf.Dictionary({k: v for k, v in x.items()})  # detached copy of the dictionary
            for _n, x in page.obj.Resources.get("/XObject", {}).items()
            if x.get("/Subtype") == "/Image"
        ]


def doc_pages(manifest: dict, doc_id: str) -> tuple[int, int]:
    d = next(d for d in manifest["documents"] if d["document_id"] == doc_id)
    return tuple(d["pages_in_packet"])


def test_qpdf_finds_no_problem(mixed, tmp_path):
    files, _, _ = mixed
    qpdf_check(files["packet.pdf"], tmp_path, "packet.pdf")


def test_pages_are_front_matter_plus_document_pages_in_order(mixed):
    files, manifest, _ = mixed
    front = manifest["packet"]["front_matter_pages"][1]
    assert len(PdfReader(io.BytesIO(files["packet.pdf"])).pages) == front + sum(n for _, n, _ in EXPECTED)
    assert [d["document_id"] for d in manifest["documents"]] == [d for d, _, _ in EXPECTED]
    jsonschema.validate(manifest, load_schema(), cls=jsonschema.Draft202012Validator)


def test_bookmarks_carry_type_and_date_and_point_at_the_document(mixed):
    files, manifest, _ = mixed
    reader = PdfReader(io.BytesIO(files["packet.pdf"]))
    outline = [(item.title, reader.get_destination_page_number(item) + 1) for item in reader.outline]
    assert outline[0] == ("Cover sheet", 1) and outline[1][0] == "Requirements checklist"
    for number, ((doc_id, _, title), (got, page)) in enumerate(zip(EXPECTED, outline[2:], strict=True), start=1):
        assert got == f"{number}. {title}"
        assert page == doc_pages(manifest, doc_id)[0]


def test_every_page_stamped_with_case_member_and_page(mixed):
    files, _, _ = mixed
    pdf = pdfium.PdfDocument(files["packet.pdf"])
    n = len(pdf)
    for i in range(n):
        text = pdf[i].get_textpage().get_text_range()
        assert f"Case {CASE_ID} v1 (ref ST-9)" in text, i
        assert f"Member {MEMBER}" in text and f"page {i + 1} of {n}" in text, i


def test_stamp_sits_at_the_bottom_of_a_turned_page(mixed):
    files, manifest, _ = mixed
    first, _ = doc_pages(manifest, "d-note-turned")
    page = pdfium.PdfDocument(files["packet.pdf"])[first - 1]
    textpage = page.get_textpage()
    at = textpage.get_text_range().find(f"Case {CASE_ID}")
    _left, bottom, _right, top = textpage.get_charbox(at)
    assert top < 14 and bottom >= 0  # within the bottom 14 pt of the page as shown


def test_fax_page_is_stored_1_bit_g4_and_renders_black_on_white(mixed):
    files, manifest, _ = mixed
    first, _ = doc_pages(manifest, "d-order-fax")
    (image,) = page_images(files["packet.pdf"], first - 1)
    assert image.Filter == "/CCITTFaxDecode" and int(image.BitsPerComponent) == 1
    assert (int(image.Width), int(image.Height)) == (1728, 2156)  # native fax resolution kept
    page = pdfium.PdfDocument(files["packet.pdf"])[first - 1]
    grey = page.render(scale=1).to_pil().convert("L")
    w, h = grey.size
    assert grey.getpixel((w // 2, int(h * 0.6))) > 200  # paper is white
    bar = grey.crop((int(w * 0.2), int(h * 410 / 2156) - 1, int(w * 0.8), int(h * 410 / 2156) + 2))
    assert bar.getextrema()[0] < 60  # the ruled line is black


def test_photo_is_jpeg_and_grey_picture_stays_grey_jpeg(mixed):
    files, manifest, _ = mixed
    (photo,) = page_images(files["packet.pdf"], doc_pages(manifest, "d-photo")[0] - 1)
    assert photo.Filter == "/DCTDecode" and photo.ColorSpace == "/DeviceRGB"
    (xray,) = page_images(files["packet.pdf"], doc_pages(manifest, "d-xray")[0] - 1)
    assert xray.Filter == "/DCTDecode" and xray.ColorSpace == "/DeviceGray"
    page = PdfReader(io.BytesIO(files["packet.pdf"])).pages[doc_pages(manifest, "d-photo")[0] - 1]
    assert float(page.mediabox.height) > float(page.mediabox.width)  # EXIF orientation applied


def test_grey_text_scan_inside_a_pdf_is_recompressed_and_its_ocr_text_stays_in_place(mixed):
    files, manifest, kwargs = mixed
    first, _ = doc_pages(manifest, "d-scan")
    (image,) = page_images(files["packet.pdf"], first - 1)
    assert image.Filter == "/CCITTFaxDecode"  # near-bilevel at 200 DPI: stored 1-bit
    original = next(d for d in kwargs["documents"] if d.document_id == "d-scan").original
    page_bytes = len(files["packet.pdf"]) // len(PdfReader(io.BytesIO(files["packet.pdf"])).pages)
    assert page_bytes < len(original) / 2
    page = pdfium.PdfDocument(files["packet.pdf"])[first - 1]
    width, height = page.get_size()
    textpage = page.get_textpage()
    at = textpage.get_text_range().find(SCAN_WORD)
    assert at >= 0, "the OCR text layer is gone"
    left, _bottom, _right, top = textpage.get_charbox(at)
    box = next(d for d in kwargs["documents"] if d.document_id == "d-scan").extraction.pages[0].words[0].bbox
    assert left / width == pytest.approx(box[0], abs=0.02)
    assert 1 - top / height == pytest.approx(box[1], abs=0.03)


def test_cover_is_a_fax_cover(mixed):
    files, manifest, _ = mixed
    cover = PdfReader(io.BytesIO(files["packet.pdf"])).pages[0].extract_text()
    n = manifest["packet"]["page_count"]
    for text in (
        "Example Health Plan \u00b7 fax (555) 010-2030",
        "Desert Spine Clinic \u00b7 Phone (602) 555-0100 \u00b7 Fax (602) 555-0101",
        f"{n} including this cover",
        "72148 (CPT) - service: MRI lumbar spine",
        MEMBER,
        "Request date",
        "Decision due",
        "Urgency",
    ):
        assert text in cover, text


def _small_packet(request, documents, **options):
    return build_packet(
        case_id="C-1",
        version=1,
        request=request,
        documents=documents,
        report=check(request, [d.extraction for d in documents]),
        deadline=decision_due(request, CREATED),
        created_at=CREATED,
        options=PacketOptions(**options),
    )


def test_cover_without_sender_says_how_to_configure_it_and_describes_hcpcs_and_diagnoses():
    request = mri_request(service_codes=("E0601",), member_id=MEMBER)
    note = doc("progress_note", doc_id="n", fields={"icd10": [("G47.33", {"assertion": "present"})]})
    files = _small_packet(request, [packet_doc("n", "n.pdf", "application/pdf", text_pdf(1, "N"), note)])
    cover = " ".join(PdfReader(io.BytesIO(files["packet.pdf"])).pages[0].extract_text().split())
    assert "not configured (set PRECERT_PRACTICE_NAME" in cover
    assert "E0601 Continuous positive airway pressure (CPAP) device (HCPCS)" in cover
    assert "G47.33 Obstructive sleep apnea" in cover  # description from the ICD-10-CM code set


def test_every_catalog_hcpcs_code_has_a_description():
    codes = {c for s in load_catalog().services for c in s.codes if is_hcpcs_level2(c)}
    assert codes and not codes - set(hcpcs_descriptions())


def test_required_form_goes_first_and_the_cover_says_so():
    request = mri_request(plan_type="medicaid", state="WA", payer_name="Washington Apple Health", member_id=MEMBER)
    form = doc("prior_auth_form", doc_id="f", text="HCA 13-835 General Information for Authorization")
    other_form = doc("prior_auth_form", doc_id="g", text="Generic prior authorization request")
    order = doc("order", doc_id="o")
    documents = [
        packet_doc("o", "order.pdf", "application/pdf", text_pdf(1, "ORDER"), order),
        packet_doc("g", "generic.pdf", "application/pdf", text_pdf(1, "GENERIC"), other_form),
        packet_doc("f", "hca.pdf", "application/pdf", text_pdf(1, "HCA FORM"), form),
    ]
    files = _small_packet(request, documents)
    manifest = json.loads(files["manifest.json"])
    assert [d["document_id"] for d in manifest["documents"]] == ["f", "g", "o"]
    first = manifest["documents"][0]["pages_in_packet"][0]
    cover = " ".join(PdfReader(io.BytesIO(files["packet.pdf"])).pages[0].extract_text().split())
    assert f"(HCA 13-835) (included, packet page {first})" in cover

    files = _small_packet(request, documents[:2])
    cover = " ".join(PdfReader(io.BytesIO(files["packet.pdf"])).pages[0].extract_text().split())
    assert "(NOT included: the payer requires it first)" in cover


@pytest.fixture(scope="module")
def split(mixed):
    files, _, kwargs = mixed
    limit = len(files["packet.pdf"]) // 2
    parted = build_packet(**{**kwargs, "options": replace(kwargs["options"], max_part_bytes=limit)})
    return parted, json.loads(parted["manifest.json"]), limit


def test_split_parts_are_under_the_limit_start_with_the_cover_and_cover_every_page_once(mixed, split, tmp_path):
    files, manifest, _ = mixed
    parted, parted_manifest, limit = split
    assert parted["packet.pdf"] == files["packet.pdf"]  # packet.pdf is always the whole packet
    parts = parted_manifest["packet"]["parts"]
    assert len(parts) >= 2 and not parted_manifest["packet"]["warnings"]
    assert [f["name"] for f in parted_manifest["files"]] == ["packet.pdf", *(p["name"] for p in parts), "bundle.json"]
    jsonschema.validate(parted_manifest, load_schema(), cls=jsonschema.Draft202012Validator)
    front = manifest["packet"]["front_matter_pages"][1]
    covered: list[int] = []
    for k, part in enumerate(parts, start=1):
        pdf = parted[part["name"]]
        assert len(pdf) <= limit and part["size"] == len(pdf) and not part["over_limit"]
        assert part["sha256"] == hashlib.sha256(pdf).hexdigest()
        qpdf_check(pdf, tmp_path, part["name"])
        reader = PdfReader(io.BytesIO(pdf))
        n = len(reader.pages)
        assert n == part["page_count"]
        cover = " ".join(reader.pages[0].extract_text().split())
        assert cover.startswith("Prior authorization request")
        a, b = part["packet_pages"]
        assert f"Part {k} of {len(parts)}: packet pages {a}-{b}" in cover
        own_front = part["front_matter_pages"][1]
        assert n - own_front == b - a + 1
        for i, page in enumerate(reader.pages, start=1):
            assert f"part {k} of {len(parts)} \u00b7 page {i} of {n}" in page.extract_text()
        covered.extend(range(a, b + 1))
    assert covered == list(range(front + 1, manifest["packet"]["page_count"] + 1))
    # No document is cut: each lies in one part.
    homes = [p["documents"] for p in parts]
    assert sum(len(h) for h in homes) == len({n for h in homes for n in h}) == len(manifest["documents"])


def test_a_page_larger_than_the_limit_gets_its_own_part_and_a_warning(mixed):
    _, _, kwargs = mixed
    parted = build_packet(**{**kwargs, "options": replace(kwargs["options"], max_part_bytes=20_000)})
    manifest = json.loads(parted["manifest.json"])
    parts = manifest["packet"]["parts"]
    assert manifest["packet"]["warnings"]
    over = [p for p in parts if p["over_limit"]]
    assert over and all(p["packet_pages"][0] == p["packet_pages"][1] for p in over)
    pages = [n for p in parts for n in range(p["packet_pages"][0], p["packet_pages"][1] + 1)]
    assert pages == sorted(set(pages)) and len(pages) == sum(n for _, n, _ in EXPECTED)


def test_plan_cuts_a_document_only_when_it_alone_is_over_the_budget():
    plans = plan_parts([[10, 10], [30], [50, 50, 50], [5]], budget=60)
    assert [[(s.index, s.first, s.last) for s in p.segments] for p in plans] == [
        [(0, 0, 1), (1, 0, 0)],
        [(2, 0, 0)],
        [(2, 1, 1)],
        [(2, 2, 2), (3, 0, 0)],
    ]
    assert [p.over(60) for p in plan_parts([[100], [5]], budget=60)] == [True, False]


def test_near_bilevel_is_measured_not_assumed():
    text = Image.new("L", (1700, 2200), 255)
    ImageDraw.Draw(text).text((100, 100), "Lumbar radiculopathy " * 3, fill=0, font=_font(40))
    assert near_bilevel(text, 200.0)
    assert not near_bilevel(text, 150.0)  # too coarse to threshold safely
    assert not near_bilevel(Image.linear_gradient("L").resize((1700, 2200)), 300.0)
    assert encode_image(text, (200.0, 200.0)).filter == "/CCITTFaxDecode"
    rgb = Image.merge("RGB", [Image.linear_gradient("L").resize((800, 1000))] * 2 + [Image.new("L", (800, 1000), 40)])
    assert encode_image(rgb, (100.0, 100.0)).kind == "colour"
    assert re.fullmatch(r"grey|bilevel", encode_image(text.convert("RGB"), (200.0, 200.0)).kind)
