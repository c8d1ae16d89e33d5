from __future__ import annotations

from intake.grouping import CaseIdentity, Identity, decide_case

CASES = [
    CaseIdentity("case-a", Identity("XKJ812345678", "Rivera, Ana", "1961-03-14")),
    CaseIdentity("case-b", Identity("W987654321", "Okafor, Ben", "1975-07-02")),
]


def test_exact_member_id_matches() -> None:
    decision = decide_case(Identity("XKJ812345678", None, None), CASES)
    assert decision.outcome == "matched" and decision.case_id == "case-a"


def test_ocr_misread_member_id_still_matches() -> None:
    decision = decide_case(Identity("XKJ8I2345678", "Ana Rivera", "1961-03-14"), CASES)
    assert decision.outcome == "matched" and decision.case_id == "case-a"


def test_same_member_id_different_dob_is_not_a_match() -> None:
    decision = decide_case(Identity("XKJ812345678", "Rivera, Ana", "1961-03-15"), CASES)
    assert decision.case_id is None


def test_name_and_dob_match_without_member_id() -> None:
    decision = decide_case(Identity(None, "BEN OKAFOR", "1975-07-02"), CASES)
    assert decision.outcome == "matched" and decision.case_id == "case-b"


def test_no_match_opens_a_new_case() -> None:
    decision = decide_case(Identity("Q11122233", "Lee, Sam", "1990-01-01"), CASES)
    assert decision.outcome == "new_case" and decision.case_id is None


def test_nothing_identifying_goes_to_staff() -> None:
    assert decide_case(Identity(None, "Only A Name", None), CASES).outcome == "needs_review"


def test_two_equal_candidates_go_to_staff() -> None:
    twins = [CaseIdentity("c1", Identity("A12345678", None, None)), CaseIdentity("c2", Identity("A12345678", None, None))]
    decision = decide_case(Identity("A12345678", None, None), twins)
    assert decision.outcome == "needs_review" and set(decision.candidates) == {"c1", "c2"}
