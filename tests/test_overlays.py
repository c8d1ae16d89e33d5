"""Payer/state overlays: loading and validation, matching, what they change in a check, and the
form that goes first."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.errors import CatalogError
from packet_builder.catalog import load_catalog
from packet_builder.checker import check
from packet_builder.overlay import load_overlays, load_overlays_from
from tests.pb_factories import doc, mri_docs, mri_request

BASE = """
overlay: {id}
label: Test payer rules
match: {match}
effective: 2026-01-01
source: test source
"""


def _overlays(tmp_path: Path, text: str):
    (tmp_path / "o.yaml").write_text(text)
    return load_overlays_from(tmp_path, load_catalog())


def test_packaged_overlays_load_and_name_real_services():
    overlays = load_overlays()
    assert {"az-ahcccs-ffs", "wa-apple-health-ffs", "co-health-first-colorado", "medicare-ffs-opd"} <= {o.id for o in overlays}


def test_change_raises_a_threshold_for_the_matching_payer_only(tmp_path):
    overlays = _overlays(
        tmp_path,
        BASE.format(id="strict-plan", match="{plan_types: [commercial], payer_patterns: ['^Strict Mutual']}")
        + """
services:
  mri_lumbar_spine:
    change:
      - {id: mri-lumbar.conservative-care-6w, set: {min_duration_weeks: 12}}
""",
    )
    docs = mri_docs()  # 8 weeks of failed PT
    strict = check(mri_request(plan_type="commercial", payer_name="Strict Mutual Health"), docs, overlays=overlays)
    other = check(mri_request(plan_type="commercial", payer_name="Other Health"), docs, overlays=overlays)
    strict_status = {r.id: r.status for r in strict.requirements}
    assert strict_status["mri-lumbar.conservative-care-or-red-flag"] == "missing"
    assert strict.overlays[0]["id"] == "strict-plan"
    assert {r.id: r.status for r in other.requirements}["mri-lumbar.conservative-care-or-red-flag"] == "met"
    assert other.overlays == ()


def test_add_and_remove(tmp_path):
    overlays = _overlays(
        tmp_path,
        BASE.format(id="state-plan", match="{plan_types: [medicaid], states: [NV]}")
        + """
services:
  "*":
    remove: [common.ordering-npi]
  mri_lumbar_spine:
    add:
      - id: state-plan.imaging-history
        kind: document
        doc_types: [imaging_report]
        label: Prior imaging report
        missing_message: Add the prior imaging report.
        source: test
        effective: 2026-01-01
""",
    )
    report = check(mri_request(plan_type="medicaid", state="NV"), mri_docs(), overlays=overlays)
    ids = [r.id for r in report.requirements]
    assert "common.ordering-npi" not in ids
    assert ids[-1] == "state-plan.imaging-history"
    assert report.requirements[-1].status == "missing"


def test_first_form_is_a_requirement(tmp_path):
    overlays = _overlays(
        tmp_path,
        BASE.format(id="form-first", match="{plan_types: [medicaid], states: [WA]}")
        + """
submission:
  channel: the state portal
  first_form: {name: General Information for Authorization, form_id: HCA 13-835, text_any: ["13-835"]}
""",
    )
    without = check(mri_request(plan_type="medicaid", state="WA"), mri_docs(), overlays=overlays)
    form = {r.id: r for r in without.requirements}["form-first.first-form"]
    assert form.status == "missing" and "HCA 13-835" in form.message
    assert without.status == "incomplete"
    with_form = mri_docs() + [doc("prior_auth_form", doc_id="form", text="HCA 13-835 General Information for Authorization")]
    report = check(mri_request(plan_type="medicaid", state="WA"), with_form, overlays=overlays)
    assert {r.id: r.status for r in report.requirements}["form-first.first-form"] == "met"
    assert report.overlays[0]["channel"] == "the state portal"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("services: {no_such_service: {remove: [x]}}", "no_such_service"),
        ("services: {mri_lumbar_spine: {remove: [no.such-requirement]}}", "no.such-requirement"),
        ("services: {mri_lumbar_spine: {change: [{id: imaging.order, set: {within_days: 30}}]}}", "within_days"),
        (
            "services: {mri_lumbar_spine: {change: [{id: imaging.clinical-note-60d, set: {within_days: -3}}]}}",
            "imaging.clinical-note-60d",
        ),
        ("match: {plan_types: [medicaid], payer_patterns: ['(unclosed']}", "payer pattern"),
    ],
)
def test_bad_overlays_fail_loudly_naming_the_problem(tmp_path, text, message):
    body = BASE.format(id="bad", match="{plan_types: [medicaid]}")
    if text.startswith("match:"):
        body = body.replace("match: {plan_types: [medicaid]}\n", text + "\n")
    else:
        body += text + "\n"
    with pytest.raises(CatalogError) as exc:
        _overlays(tmp_path, body)
    assert message in str(exc.value)


def test_overlay_outside_its_dates_does_not_apply(tmp_path):
    overlays = _overlays(
        tmp_path,
        BASE.format(id="old-rule", match="{plan_types: [commercial]}").replace(
            "effective: 2026-01-01", "effective: 2025-01-01\nuntil: 2025-12-31"
        )
        + "services: {'*': {remove: [common.ordering-npi]}}\n",
    )
    report = check(mri_request(plan_type="commercial"), mri_docs(), overlays=overlays)
    assert "common.ordering-npi" in [r.id for r in report.requirements]


@pytest.mark.parametrize(
    ("payer", "plan", "state", "applies"),
    [
        ("AHCCCS", "medicaid", "AZ", "az-ahcccs-ffs"),
        ("AHCCCS FFS", "medicaid", "AZ", "az-ahcccs-ffs"),
        ("American Indian Health Program", "medicaid", "AZ", "az-ahcccs-ffs"),
        ("Sonoran Desert Health Plan (AHCCCS)", "medicaid", "AZ", None),  # a managed care plan
        ("Washington Apple Health", "medicaid", "WA", "wa-apple-health-ffs"),
        ("Apple Health (fee-for-service)", "medicaid", "WA", "wa-apple-health-ffs"),
        ("Cascade Pines Health (Apple Health)", "medicaid", "WA", None),
    ],
)
def test_fee_for_service_programs_are_told_from_their_managed_care_plans(payer, plan, state, applies):
    from packet_builder.overlay import matching_overlays

    ids = {o.id for o in matching_overlays(mri_request(payer_name=payer, plan_type=plan, state=state))}
    ffs = {i for i in ids if i.endswith("-ffs")}
    assert ffs == ({applies} if applies else set())
    assert ("az-ahcccs" if state == "AZ" else "wa-apple-health") in ids  # the state program's rules apply to all
