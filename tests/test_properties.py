"""Property tests (hypothesis) for the identifier and code rules: check digits, normalizers,
and the code-set-constrained OCR repair."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from extractors import icd10
from extractors.identifiers import is_valid_mbi, is_valid_npi, normalize_member_id, npi_check_digit

nine_digits = st.from_regex(r"[12][0-9]{8}", fullmatch=True)


@given(nine_digits)
def test_an_npi_with_its_check_digit_is_valid(first9: str) -> None:
    assert is_valid_npi(first9 + str(npi_check_digit(first9)))


@given(nine_digits, st.integers(0, 9), st.integers(0, 9))
def test_any_single_wrong_digit_fails_the_check(first9: str, position: int, digit: int) -> None:
    npi = first9 + str(npi_check_digit(first9))
    assume(npi[position] != str(digit))
    wrong = npi[:position] + str(digit) + npi[position + 1 :]
    assert not is_valid_npi(wrong)


@given(nine_digits, st.integers(0, 8))
def test_swapped_neighbours_fail_the_check_unless_they_are_0_and_9(first9: str, position: int) -> None:
    npi = first9 + str(npi_check_digit(first9))
    a, b = npi[position], npi[position + 1]
    assume(a != b and {a, b} != {"0", "9"})
    swapped = npi[:position] + b + a + npi[position + 2 :]
    assert not is_valid_npi(swapped)


_MBI_LETTER = "ACDEFGHJKMNPQRTUVWXY"  # no S, L, O, I, B, Z
_mbi = st.tuples(
    st.sampled_from("123456789"),
    st.sampled_from(_MBI_LETTER),
    st.sampled_from(_MBI_LETTER + "0123456789"),
    st.sampled_from("0123456789"),
    st.sampled_from(_MBI_LETTER),
    st.sampled_from(_MBI_LETTER + "0123456789"),
    st.sampled_from("0123456789"),
    st.sampled_from(_MBI_LETTER),
    st.sampled_from(_MBI_LETTER),
    st.sampled_from("0123456789"),
    st.sampled_from("0123456789"),
).map("".join)


@given(_mbi)
def test_mbis_of_the_cms_shape_are_valid_as_printed_on_cards(mbi: str) -> None:
    assert is_valid_mbi(mbi)
    assert is_valid_mbi(f"{mbi[:4]}-{mbi[4:7]}-{mbi[7:]}".lower())
    assert normalize_member_id(f"{mbi[:4]}-{mbi[4:7]}-{mbi[7:]}") == mbi


@given(_mbi, st.integers(1, 10), st.sampled_from("SLOIBZ"))
def test_an_excluded_letter_makes_an_mbi_invalid(mbi: str, position: int, letter: str) -> None:
    assume(mbi[position].isalpha())
    assert not is_valid_mbi(mbi[:position] + letter + mbi[position + 1 :])


@given(st.text(alphabet="ABCXYZ0123456789- ", min_size=1, max_size=20))
def test_member_id_normalization_is_idempotent_and_upper_case(raw: str) -> None:
    once = normalize_member_id(raw)
    assert normalize_member_id(once) == once
    assert " " not in once and once == once.upper()


# Real codes of the bundled release, with letters and digits in the positions OCR confuses.
SAMPLE_CODES = ["M54.16", "M54.50", "G47.33", "I10", "E11.9", "Z68.37", "M48.061", "S32.010A", "E66.01", "J45.909"]


@pytest.fixture(scope="module", autouse=True)
def _code_set() -> None:
    icd10.load()


@pytest.mark.parametrize("code", SAMPLE_CODES)
def test_a_code_reads_the_same_dotted_or_not(code: str) -> None:
    entry = icd10.lookup(code)
    assert entry is not None and entry.code == code
    assert icd10.lookup(code.replace(".", "")) == entry
    assert icd10.lookup(code.lower()) == entry


_CONFUSIONS = {"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z", "6": "G", "I": "1", "O": "0", "S": "5", "Z": "2", "G": "6"}


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=150)
@given(st.sampled_from(SAMPLE_CODES), st.data())
def test_repair_returns_the_one_valid_code_or_nothing(code: str, data: st.DataObject) -> None:
    positions = [i for i, ch in enumerate(code) if ch in _CONFUSIONS]
    position = data.draw(st.sampled_from(positions))
    misread = code[:position] + _CONFUSIONS[code[position]] + code[position + 1 :]
    assume(icd10.lookup(misread) is None)
    repaired = icd10.repair(misread)
    # Either exactly the printed code comes back, or the repair declines: never another code.
    assert repaired is None or repaired.code == code


@given(st.sampled_from(SAMPLE_CODES))
def test_a_valid_code_is_never_repaired(code: str) -> None:
    assert icd10.repair(code) is None
