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
