from __future__ import annotations

import pytest

from extractors.errors import EmptyFileError, UnsupportedFileType
from extractors.pdf_pages import decide_page
from extractors.sniff import HEIC, JPEG, PDF, PNG, TIFF, sniff


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"%PDF-1.7\n", PDF),
        (b"\r\n\x00junk%PDF-1.4", PDF),  # a few junk bytes before the header, as some scanners write
        (b"\x89PNG\r\n\x1a\n....", PNG),
        (b"\xff\xd8\xff\xe0....JFIF", JPEG),
        (b"II*\x00\x08\x00", TIFF),
        (b"MM\x00*\x00\x00", TIFF),
        (b"\x00\x00\x00\x18ftypheic\x00\x00", HEIC),
    ],
)
def test_sniff_known_types(head: bytes, kind: object) -> None:
    assert sniff(head) == kind


@pytest.mark.parametrize(
    ("head", "hint"),
    [
        (b"PK\x03\x04rest", "ZIP or Office"),
        (b"GIF89a", "GIF"),
        (b"hello, this is a note", "plain text"),
        (b"\x00\x00\x00\x18ftypavif", "AVIF"),
    ],
)
def test_sniff_refuses_other_types_with_a_reason(head: bytes, hint: str) -> None:
    with pytest.raises(UnsupportedFileType) as info:
        sniff(head)
    assert hint in str(info.value)
    assert "PDF, PNG, JPEG, TIFF or HEIC" in str(info.value)


def test_sniff_empty() -> None:
    with pytest.raises(EmptyFileError):
        sniff(b"")


def test_decide_text_layer() -> None:
    text = "Progress note. Patient reports low back pain for nine weeks, worse with sitting and bending."
    assert decide_page(text).method == "text_layer"


def test_decide_no_text_means_ocr() -> None:
    decision = decide_page("   \r\n ")
    assert decision.method == "ocr" and "no usable text layer" in decision.reason


def test_decide_glyph_soup_means_ocr() -> None:
    assert decide_page("(cid:12)(cid:44)(cid:3) " * 30).method == "ocr"


def test_decide_noise_means_ocr() -> None:
    assert decide_page("1 2 3 ## 4 5 6 %% 7 8 9 0 .. ,, 11 ;; 22").method == "ocr"


def test_decide_filled_form() -> None:
    decision = decide_page("PRIOR AUTHORIZATION REQUEST FORM", form_values=12)
    assert decision.method == "form_field"


def test_decide_scan_whose_text_layer_covers_part_of_the_page() -> None:
    from extractors.pdf_pages import PageLayout

    text = "Patient reports low back pain for nine weeks, worse with sitting and bending forward."
    partial = decide_page(text, layout=PageLayout(image_coverage=1.0, text_extent=0.3))
    assert partial.method == "ocr" and "30%" in partial.reason
    assert decide_page(text, layout=PageLayout(image_coverage=1.0, text_extent=0.9)).method == "text_layer"
    assert decide_page(text, layout=PageLayout(image_coverage=0.2, text_extent=0.1)).method == "text_layer"


def test_pages_a_person_should_check() -> None:
    from extractors.models import DocumentExtraction, Page

    pages = (
        Page(index=0, text="clear words", method="ocr", confidence=0.93),
        Page(index=1, text="b1urr3d w0rds", method="ocr", confidence=0.41),
        Page(index=2, text="", method="ocr", confidence=0.0),  # a blank separator page
        Page(index=3, text="", method="ocr", confidence=0.0, error="OCR timed out after 120 s"),
        Page(index=4, text="from the text layer", method="text_layer", confidence=1.0),
    )
    assert [p.needs_review for p in pages] == [False, True, False, True, False]
    doc = DocumentExtraction("f.pdf", "other", 0.3, pages, (1, 5), {})
    assert doc.to_json()["pages_to_review"] == [2, 4]
