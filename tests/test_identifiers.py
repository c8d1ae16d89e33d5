from __future__ import annotations

import pytest

from extractors.identifiers import is_valid_mbi, is_valid_npi, normalize_member_id, npi_check_digit


def test_npi_check_digit_known_values():
    assert npi_check_digit("123456789") == 3
    assert npi_check_digit("155859879") == 7


@pytest.mark.parametrize("npi", ["1234567893", "1558598797"])
def test_valid_npis(npi):
    assert is_valid_npi(npi)


@pytest.mark.parametrize("npi", ["1234567890", "3234567893", "123456789", "12345678931", "abcdefghij", "", None])
def test_invalid_npis(npi):
    assert not is_valid_npi(npi)


def test_npi_check_digit_rejects_bad_input():
    with pytest.raises(ValueError):
        npi_check_digit("12345")


def test_mbi_shape():
    assert is_valid_mbi("1EG4-TE5-MK73")
    assert is_valid_mbi("1eg4te5mk73")
    assert not is_valid_mbi("1EG4-TE5-MK7")  # too short
    assert not is_valid_mbi("0EG4TE5MK73")  # first character 0
    assert not is_valid_mbi("1SG4TE5MK73")  # S is excluded


def test_normalize_member_id():
    assert normalize_member_id(" xyz 1234 5678 ") == "XYZ12345678"
    assert normalize_member_id("1EG4-TE5-MK73") == "1EG4TE5MK73"
    # Dashes stay in non-Medicare IDs.
    assert normalize_member_id("abc-123456") == "ABC-123456"


def test_an_mbi_misread_by_ocr_is_repaired_to_the_one_valid_mbi():
    from extractors.identifiers import repair_mbi

    assert repair_mbi("SEK9TN2XJ47") == "5EK9TN2XJ47"  # S in the first (digit) position
    assert repair_mbi("1EG4-TE5-MK7B") == "1EG4TE5MK78"
    assert repair_mbi("1EG4TE5MK73") is None  # valid as printed: nothing to repair
    assert repair_mbi("XKJ812345678") is None  # not 11 characters
    assert repair_mbi("AEG4TE5MK73") is None  # no confusion explains the A


def test_a_repaired_mbi_keeps_what_was_printed():
    from extractors.fields import extract_fields
    from extractors.text_pages import page_from_text

    fields, _facts = extract_fields([page_from_text("Medicare MBI: SEK9-TN2-XJ47\n", index=0)])
    [mbi] = fields["member_id"]
    assert mbi.value == "5EK9TN2XJ47"
    assert mbi.attributes["repaired"] and mbi.attributes["printed"] == "SEK9-TN2-XJ47"
