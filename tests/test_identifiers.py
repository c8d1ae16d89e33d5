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


def _member_ids(text: str) -> list[tuple[str, dict]]:
    from extractors.fields import extract_fields
    from extractors.text_pages import page_from_text

    fields, _facts = extract_fields([page_from_text(text, index=0)])
    return [(v.value, dict(v.attributes)) for v in fields.get("member_id", ())]


@pytest.mark.parametrize(
    ("text", "value", "id_format"),
    [
        ("AHCCCS ID: A12345678\n", "A12345678", "ahcccs"),
        ("ProviderOne Client ID: 208463917WA\n", "208463917WA", "providerone"),
        ("Medicaid ID: B123456\n", "B123456", "health_first_colorado"),
        ("Member ID: 1EG4-TE5-MK73\n", "1EG4TE5MK73", "mbi"),
    ],
)
def test_member_ids_of_known_programs_carry_their_format(text, value, id_format):
    [(got, attrs)] = _member_ids(text)
    assert got == value and attrs["id_format"] == id_format and not attrs.get("repaired")


def test_a_state_medicaid_id_misread_by_ocr_is_repaired_to_its_format():
    [(got, attrs)] = _member_ids("Member ID: 2O8463917WA\n")  # letter O for zero
    assert got == "208463917WA" and attrs["repaired"] and attrs["printed"] == "2O8463917WA"


def test_a_commercial_id_has_no_format_and_is_left_as_printed():
    [(got, attrs)] = _member_ids("Member ID: XKJ812345678\n")
    assert got == "XKJ812345678" and "id_format" not in attrs


def test_an_mbi_in_a_value_row_under_its_label_is_found_by_its_shape():
    # As OCR gives a card: the columns' gaps collapsed to single spaces.
    ids = _member_ids("Member ID Medicare ID (MBI)\nOSC 48213 7706 3TW7-KP5-RX62\n")
    assert "3TW7KP5RX62" in [value for value, _attrs in ids]
    # Without Medicare on the page, an MBI-shaped string is not taken for one.
    assert _member_ids("Specimen 3TW7-KP5-RX62\n") == []


def test_a_label_that_names_the_program_lets_a_misread_letter_be_repaired():
    [(got, attrs)] = _member_ids("AHCCCS ID: 470318264\n")  # the A read as 4
    assert got == "A70318264" and attrs["printed"] == "470318264"
    # Under a generic label a 9-digit number stays a 9-digit ID.
    assert _member_ids("Member ID: 470318264\n") == [("470318264", {"label": "member id"})]
