"""OCRed pages come out of the packet searchable, with the words where they are on the page."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from extractors.extract import extract_bytes
from packet_builder.assemble import PacketDocument, build_packet
from packet_builder.checker import check
from packet_builder.clocks import decision_due
from packet_builder.request import ServiceRequest
from tests.conftest import SAMPLES

pytestmark = pytest.mark.integration


def _packet(paths: list[Path]) -> tuple[bytes, dict]:
    request = ServiceRequest(service_codes=("72148",), request_date=date(2026, 12, 7))
    docs = []
    for i, path in enumerate(paths):
        data = path.read_bytes()
        for extraction in extract_bytes(data, filename=path.name):
            docs.append(
                PacketDocument(
                    document_id=f"d{i}",
                    filename=path.name,
                    content_type="image/jpeg",
                    sha256=f"{i:064d}",
                    source="cli",
                    original=data,
                    extraction=extraction.with_document_id(f"d{i}"),
                )
            )
    now = datetime(2026, 12, 7, tzinfo=UTC)
    report = check(request, [d.extraction for d in docs])
    files = build_packet(
        case_id="t",
        version=1,
        request=request,
        documents=docs,
        report=report,
        deadline=decision_due(request, now),
        created_at=now,
    )
    return files["packet.pdf"], json.loads(files["manifest.json"])


def _word_position(pdf: pdfium.PdfDocument, page_index: int, word: str) -> tuple[float, float] | None:
    page = pdf[page_index]
    width, height = page.get_size()
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    at = text.find(word)
    if at < 0:
        return None
    left, _bottom, _right, top = textpage.get_charbox(at)
    return left / width, 1 - top / height


def test_upside_down_photo_is_searchable_in_place() -> None:
    pdf_bytes, manifest = _packet([SAMPLES / "mri_photo_exif_complete" / "photo_note_upside_down.jpg"])
    pdf = pdfium.PdfDocument(io.BytesIO(pdf_bytes))
    first = manifest["documents"][0]["pages_in_packet"][0] - 1
    position = _word_position(pdf, first, "PROGRESS")
    assert position is not None, "the OCR text is not in the packet page"
    x, y = position
    assert x < 0.3 and y < 0.3  # top left, as on the upright page
    assert "OCH447109251" in pdf[first].get_textpage().get_text_range().replace(" ", "")


def test_sideways_exif_photo_is_searchable_in_place() -> None:
    pdf_bytes, manifest = _packet([SAMPLES / "mri_photo_exif_complete" / "photo_order_exif6.jpg"])
    pdf = pdfium.PdfDocument(io.BytesIO(pdf_bytes))
    first = manifest["documents"][0]["pages_in_packet"][0] - 1
    x, y = _word_position(pdf, first, "Inland")
    assert 0.2 < x < 0.5 and y < 0.2


def test_photo_turned_a_quarter_is_searchable_in_place() -> None:
    pdf_bytes, manifest = _packet([SAMPLES / "sleep_photo_incomplete" / "photo_order_rotated270.jpg"])
    pdf = pdfium.PdfDocument(io.BytesIO(pdf_bytes))
    first = manifest["documents"][0]["pages_in_packet"][0] - 1
    page = pdf[first]
    width, height = page.get_size()
    assert height > width  # shown upright: portrait
    position = _word_position(pdf, first, "ORDER")
    assert position is not None and position[1] < 0.3, position
