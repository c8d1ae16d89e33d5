"""Small documents made inside tests (the labelled corpus lives in sample_docs/)."""

from __future__ import annotations

import io

from PIL import Image
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

ORDER_LINES = [
    "Desert Spine Associates - 1200 N Central Ave, Phoenix, AZ 85004 - Phone (602) 555-0143",
    "IMAGING ORDER",
    "Order Date: 10/30/2026",
    "Patient: Rivera, Ana    DOB: 03/14/1961",
    "Member ID: XKJ812345678",
    "Ordering Physician: Dana Holt, MD   NPI: 1234567893",
    "Exam requested: MRI lumbar spine without contrast   CPT 72148",
    "Diagnosis: M54.16 Radiculopathy, lumbar region",
]


def text_pdf(lines: list[str] = ORDER_LINES, *, pages: int = 1) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=1)
    for _ in range(pages):
        y = 720
        for line in lines:
            c.setFont("Helvetica", 11)
            c.drawString(60, y, line)
            y -= 22
        c.showPage()
    c.save()
    return buf.getvalue()


def encrypted_pdf(password: str = "s3cret") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf())))
    writer.encrypt(user_password=password, owner_password="owner-" + password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_page() -> bytes:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(text_pdf())
    image = pdf[0].render(scale=200 / 72, grayscale=True).to_pil()
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(200, 200))
    return out.getvalue()


def blank_png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("1", (width, height), 1).save(out, format="PNG")
    return out.getvalue()
