from __future__ import annotations

from datetime import UTC, date, datetime

from packet_builder.clocks import decision_due, load_clock_rules
from packet_builder.request import ServiceRequest

RECEIVED = datetime(2026, 11, 5, 15, 30, tzinfo=UTC)  # a Thursday


def req(**kw):
    base = {"service_codes": ("72148",), "request_date": date(2026, 11, 5)}
    base.update(kw)
    return ServiceRequest(**base)


def test_rules_file_loads():
    rules = load_clock_rules()
    assert {r.id for r in rules.rules} >= {"cms-0057-f", "medicare-opd", "wa-rcw-48.43.830"}


def test_medicare_advantage_standard_is_seven_calendar_days():
    d = decision_due(req(plan_type="medicare_advantage", state="TX"), RECEIVED)
    assert d.due_at == datetime(2026, 11, 12, 15, 30, tzinfo=UTC)
    assert "CMS-0057-F" in d.rule and "7 calendar days" in d.rule
    assert d.source


def test_medicaid_urgent_is_72_hours():
    d = decision_due(req(plan_type="medicaid", state="AZ", urgency="urgent"), RECEIVED)
    assert d.due_at == datetime(2026, 11, 8, 15, 30, tzinfo=UTC)


def test_medicare_ffs_urgent_is_two_business_days_skipping_weekend():
    # Thursday + 2 business days, Friday 2026-11-06 then Monday 2026-11-09. Facet joint
    # injections are on the OPD prior authorization list.
    d = decision_due(req(service_codes=("64490",), plan_type="medicare", urgency="urgent"), RECEIVED)
    assert d.due_at == datetime(2026, 11, 9, 15, 30, tzinfo=UTC)
    assert "OPD" in d.rule


def test_business_days_skip_holidays():
    # Tuesday 2026-11-10 + 2 business days skips Veterans Day (Wed 11-11): Thu, Fri.
    d = decision_due(req(service_codes=("64490",), plan_type="medicare", urgency="urgent"), datetime(2026, 11, 10, 9, 0))
    assert d.due_at == datetime(2026, 11, 13, 9, 0)


def test_washington_state_rule_is_stricter():
    d = decision_due(req(plan_type="commercial", state="WA"), RECEIVED)
    assert d.due_at == datetime(2026, 11, 8, 15, 30, tzinfo=UTC)
    assert "RCW" in d.rule
    d = decision_due(req(plan_type="medicaid", state="wa", urgency="urgent"), RECEIVED)
    assert d.due_at == datetime(2026, 11, 6, 15, 30, tzinfo=UTC)


def test_unknown_plan_type_defaults_to_cms_and_says_so():
    d = decision_due(req(), RECEIVED)
    assert d.due_at == datetime(2026, 11, 12, 15, 30, tzinfo=UTC)
    assert "unknown" in d.rule.lower() and "default" in d.rule


def test_commercial_outside_listed_states_defaults():
    d = decision_due(req(plan_type="commercial", state="OH"), RECEIVED)
    assert "default" in d.rule and "OH" in d.rule


def test_drugs_have_no_federal_clock():
    d = decision_due(req(service_codes=("J9271",), plan_type="medicare_advantage"), RECEIVED)
    assert "no federal clock" in d.rule.lower()
    assert d.due_at == datetime(2026, 11, 12, 15, 30, tzinfo=UTC)
    # A state rule that covers drugs still applies.
    d = decision_due(req(service_codes=("J9271",), plan_type="medicaid", state="WA"), RECEIVED)
    assert "RCW" in d.rule and "no federal clock" in d.rule.lower()
    assert d.due_at == datetime(2026, 11, 8, 15, 30, tzinfo=UTC)


def test_deadline_to_json():
    j = decision_due(req(plan_type="medicaid"), RECEIVED).to_json()
    assert j["due_at"] == "2026-11-12T15:30:00+00:00" and j["rule_id"] == "cms-0057-f"


def test_medicare_service_off_the_opd_list_has_no_opd_clock():
    d = decision_due(req(plan_type="medicare"), RECEIVED)  # lumbar MRI: no Medicare FFS PA
    assert "OPD" not in d.rule.split(":")[0] and "default" in d.rule


def test_power_mobility_is_ten_business_days():
    # Thursday 2026-11-05 + 10 business days, skipping Veterans Day (11-11) and Thanksgiving (11-26):
    # 6, 9, 10, 12, 13, 16, 17, 18, 19, 20 -> Friday 2026-11-20.
    d = decision_due(req(service_codes=("K0823",), plan_type="medicare"), RECEIVED)
    assert d.due_at == datetime(2026, 11, 20, 15, 30, tzinfo=UTC)
    assert d.rule_id == "medicare-dmepos-pmd"


def test_arizona_medicaid_moved_from_14_to_7_days_on_october_first():
    before = decision_due(req(plan_type="medicaid", state="AZ"), datetime(2026, 9, 15, 12, 0, tzinfo=UTC))
    after = decision_due(req(plan_type="medicaid", state="AZ"), datetime(2026, 10, 15, 12, 0, tzinfo=UTC))
    # The federal 7 days is earlier than the state's 14 before October too: the earliest wins.
    assert before.due_at == datetime(2026, 9, 22, 12, 0, tzinfo=UTC)
    assert after.due_at == datetime(2026, 10, 22, 12, 0, tzinfo=UTC)
    assert {r.id for r in load_clock_rules().rules} >= {"az-ahcccs-14d", "az-ahcccs-7d"}


def test_arizona_commercial_urgent_is_five_days_and_says_deemed_approved():
    d = decision_due(req(plan_type="commercial", state="AZ", urgency="urgent"), RECEIVED)
    assert d.due_at == datetime(2026, 11, 10, 15, 30, tzinfo=UTC)
    assert "deemed approved" in d.rule
