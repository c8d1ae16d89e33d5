"""'Is pre-cert required?': answers from the rules file, the most specific rule winning, and
unknown (never a guessed "no") where no rule is on file."""

from __future__ import annotations

from datetime import date

from packet_builder.precert_required import load_precert_rules, precert_required

ON = date(2026, 11, 27)


def answer(code: str, plan: str | None, state: str | None = None, on: date = ON):
    (a,) = precert_required([code], plan_type=plan, state=state, on=on)
    return a


def test_rules_file_loads_and_names_real_services():
    assert len(load_precert_rules().rules) >= 10


def test_medicare_opd_list_is_yes_with_source():
    a = answer("64490", "medicare")
    assert a.answer == "yes" and "419.83" in a.source and a.rule_id == "medicare-opd-2023"


def test_facet_before_its_phase_in_is_unknown():
    assert answer("64490", "medicare", on=date(2023, 6, 30)).answer == "unknown"


def test_medicare_imaging_is_no_but_colorado_medicaid_imaging_is_yes():
    assert answer("72148", "medicare").answer == "no"
    co = answer("72148", "medicaid", "co")
    assert co.answer == "yes" and "ColoradoPAR" in co.note


def test_state_rule_beats_plan_rule():
    # Colorado Medicaid auto-authorizes E0601; Medicare has it off the PA list: both "no", each its own rule.
    assert answer("E0601", "medicaid", "CO").rule_id == "co-par-cpap-auto"
    assert answer("E0601", "medicare").rule_id == "medicare-cpap-no-pa"


def test_no_rule_is_unknown_never_no():
    a = answer("72148", "commercial", "AZ")
    assert a.answer == "unknown" and a.rule_id is None and "payer" in a.note


def test_unknown_code_gets_an_unknown_answer_naming_it():
    (a,) = precert_required(["99999"], plan_type="medicare", state=None, on=ON)
    assert a.answer == "unknown" and "99999" in a.note


def test_companion_code_goes_with_its_service():
    answers = precert_required(["E0601", "A7030"], plan_type="medicaid", state="CO", on=ON)
    assert [(a.service, a.answer) for a in answers] == [("cpap", "no")]
