from __future__ import annotations

import pytest

from extractors.errors import CatalogError
from extractors.fields import extract_fields
from extractors.rules import FactRules, LabelRules, load_rules
from extractors.text_pages import page_from_text


def facts_of(text: str):
    return extract_fields([page_from_text(text)])[1]


def pairs(facts, name):
    return [(v.value, dict(v.attributes)) for v in facts.get(name, ())]


NOTE = """HPI: 54 y/o with low back pain radiating to the left leg x 8 weeks. She completed 6 weeks of
physical therapy without relief and failed NSAIDs (naproxen, ibuprofen). Chiropractic care helped.
Denies saddle anesthesia, bowel or bladder incontinence. No evidence of fracture.
Epworth Sleepiness Scale: 14. BMI 38.2. AHI 22. Glucose 99 mg/dL.
"""


def test_symptom_duration():
    f = facts_of(NOTE)
    assert [(v.value, v.attributes["assertion"]) for v in f["symptom_duration"]] == [(8.0, "present")]
    f = facts_of("Patient reports a 2-month history of low back pain.")
    assert f["symptom_duration"][0].value == pytest.approx(8.69, abs=0.05)
    f = facts_of("Back pain for the past 3 months.")
    assert f["symptom_duration"][0].value == pytest.approx(13.0, abs=0.1)


def test_follow_up_interval_is_not_a_duration():
    assert "symptom_duration" not in facts_of("Follow up in 6 weeks. Return in 3 months.")


def test_conservative_therapy_duration_outcome():
    therapies = {v.value: dict(v.attributes) for v in facts_of(NOTE)["conservative_therapy"]}
    assert therapies["physical_therapy"] == {"duration_weeks": 6.0, "outcome": "failed", "assertion": "present"}
    assert therapies["nsaid"]["outcome"] == "failed"
    assert therapies["chiropractic"]["outcome"] == "improved"
    # "naproxen, ibuprofen" in the same sentence as "NSAIDs" is one NSAID fact.
    assert [v.value for v in facts_of(NOTE)["conservative_therapy"]].count("nsaid") == 1


def test_other_therapies():
    text = (
        "s/p epidural steroid injection in January. Home exercise program for 8 weeks. "
        "Tried cyclobenzaprine. Medrol dose pack did not help."
    )
    got = {v.value: dict(v.attributes) for v in facts_of(text)["conservative_therapy"]}
    assert set(got) == {"injection", "home_exercise", "muscle_relaxant", "oral_steroid"}
    assert got["home_exercise"]["duration_weeks"] == 8.0
    assert got["oral_steroid"]["outcome"] == "failed"


@pytest.mark.parametrize(
    "text", ["Patient has not tried physical therapy.", "No physical therapy to date.", "She has never had PT."]
)
def test_negated_therapy(text):
    (t,) = facts_of(text)["conservative_therapy"]
    assert t.value == "physical_therapy" and t.attributes["assertion"] == "negated"


def test_planned_therapy_is_hypothetical():
    (t,) = facts_of("Plan: recommend physical therapy twice weekly.")["conservative_therapy"]
    assert t.attributes["assertion"] == "hypothetical"


def test_no_relief_is_not_a_negation():
    (t,) = facts_of("No relief with physical therapy.")["conservative_therapy"]
    assert t.attributes == {"duration_weeks": None, "outcome": "failed", "assertion": "present"}


def test_patient_abbreviation_is_not_pt():
    assert "conservative_therapy" not in facts_of("Pt is a 54 year old man. PT/INR normal.")


def test_red_flags_negated_and_present():
    got = {(v.value, v.attributes["assertion"]) for v in facts_of(NOTE)["red_flag"]}
    assert got == {("saddle_anesthesia", "negated"), ("bowel_bladder_dysfunction", "negated"), ("fracture", "negated")}
    text = "Progressive weakness with foot drop. History of prostate cancer. Fever and suspected infection."
    got = {(v.value, v.attributes["assertion"]) for v in facts_of(text)["red_flag"]}
    assert ("progressive_neurologic_deficit", "present") in got
    assert ("malignancy", "present") in got
    assert ("suspected_infection", "present") in got
    got = {(v.value, v.attributes["assertion"]) for v in facts_of("Urinary retention. Saddle numbness.")["red_flag"]}
    assert got == {("bowel_bladder_dysfunction", "present"), ("saddle_anesthesia", "present")}


def test_fracture_ruled_out_and_hypothetical():
    f = facts_of("Compression fracture was ruled out.")
    assert f["red_flag"][0].attributes["assertion"] == "negated"
    f = facts_of("MRI to rule out fracture.")
    assert f["red_flag"][0].attributes["assertion"] == "hypothetical"


def test_scores():
    f = facts_of(NOTE)
    assert pairs(f, "epworth") == [(14, {"assertion": "present"})]
    assert pairs(f, "bmi") == [(38.2, {"assertion": "present"})]
    assert pairs(f, "ahi") == [(22.0, {"assertion": "present"})]
    f = facts_of("ESS 14/24, BMI: 38, apnea-hypopnea index 31.5")
    assert [v.value for v in f["epworth"]] == [14]
    assert [v.value for v in f["bmi"]] == [38.0]
    assert [v.value for v in f["ahi"]] == [31.5]


def test_lab_values_are_not_measures():
    f = facts_of("Glucose 99 mg/dL. Hemoglobin 13.8 g/dL. BUN 38. Epworth not assessed.")
    assert not {"bmi", "epworth", "ahi"} & set(f)


def test_out_of_range_scores_refused():
    assert "epworth" not in facts_of("Epworth 31")


def test_rule_file_unknown_key_is_catalog_error(tmp_path):
    (tmp_path / "labels.yaml").write_text("label_sets: []\nstop_labels: []\nempty_values: []\nknown_payers: []\nsurprise: 1\n")
    with pytest.raises(CatalogError) as err:
        load_rules("labels.yaml", LabelRules, data_dir=tmp_path)
    assert "labels.yaml" in str(err.value) and "surprise" in str(err.value)


def test_rule_file_bad_regex_is_catalog_error(tmp_path):
    from extractors.rules import DATA_DIR

    text = (DATA_DIR / "facts.yaml").read_text().replace("'cauda\\s+equina'", "'cauda(equina'")
    (tmp_path / "facts.yaml").write_text(text)
    with pytest.raises(CatalogError, match=r"facts\.yaml"):
        load_rules("facts.yaml", FactRules, data_dir=tmp_path)


def test_referral_for_injection_is_hypothetical():
    text = "Order MRI before referral for an epidural steroid injection. Continue the home exercise program."
    got = {v.value: v.attributes["assertion"] for v in facts_of(text)["conservative_therapy"]}
    assert got == {"injection": "hypothetical", "home_exercise": "present"}
