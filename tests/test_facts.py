from __future__ import annotations

import pytest

from extractors.errors import CatalogError
from extractors.fact_schema import ServiceFactRules
from extractors.fields import extract_fields
from extractors.rules import LabelRules, load_rules
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
    assert pairs(f, "epworth") == [(14, {"unit": "points", "assertion": "present"})]
    assert pairs(f, "bmi") == [(38.2, {"unit": "kg/m2", "assertion": "present"})]
    assert pairs(f, "ahi") == [(22.0, {"unit": "events/h", "scope": "overall", "assertion": "present"})]
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

    text = (DATA_DIR / "facts.yaml").read_text().replace("'fever[^.;", "'fever(equina[^.;")
    (tmp_path / "facts.yaml").write_text(text)
    with pytest.raises(CatalogError, match=r"facts\.yaml"):
        load_rules("facts.yaml", ServiceFactRules, data_dir=tmp_path)


def test_referral_for_injection_is_hypothetical():
    text = "Order MRI before referral for an epidural steroid injection. Continue the home exercise program."
    got = {v.value: v.attributes["assertion"] for v in facts_of(text)["conservative_therapy"]}
    assert got == {"injection": "hypothetical", "home_exercise": "present"}


# --- issue 4: more fact kinds, dates, decoys -----------------------------------------------------
def only(text, name):
    """(value, attributes) of every `name` fact in `text`."""
    return pairs(facts_of(text), name)


def test_rule_file_bad_term_syntax_is_catalog_error(tmp_path):
    from extractors.rules import DATA_DIR

    text = (DATA_DIR / "facts.yaml").read_text().replace("'cauda equina'", "'cauda {equina'")
    (tmp_path / "facts.yaml").write_text(text)
    with pytest.raises(CatalogError, match=r"facts\.yaml"):
        load_rules("facts.yaml", ServiceFactRules, data_dir=tmp_path)


def test_term_syntax_expands_alternatives_and_options():
    from extractors.fact_terms import expand

    assert expand("epidural [steroid] injection{s|}") == [
        "epidural injections",
        "epidural injection",
        "epidural steroid injections",
        "epidural steroid injection",
    ]
    from extractors.fact_terms import TermSyntaxError

    with pytest.raises(TermSyntaxError):
        expand("cauda {equina")


# failed_medication ------------------------------------------------------------------------------
def test_failed_medication_with_duration_and_intolerance():
    text = (
        "He took naproxen 500 mg twice daily for 4 weeks with no meaningful improvement and stopped it because of stomach upset."
    )
    assert only(text, "failed_medication") == [
        ("naproxen", {"drug_class": "nsaid", "duration_weeks": 4.0, "outcome": "intolerant", "assertion": "present"})
    ]
    # The same mention is also the conservative therapy "nsaid", whose outcome vocabulary has no
    # "intolerant": a drug that could not be tolerated failed as a therapy.
    assert only(text, "conservative_therapy")[0][1]["outcome"] == "failed"


def test_failed_medication_brands_classes_and_lists():
    got = {
        v: a
        for v, a in only("Failed Humira and Enbrel; methotrexate 20 mg weekly x 4 months was not tolerated.", "failed_medication")
    }
    assert got["adalimumab"]["drug_class"] == "tnf_inhibitor" and got["adalimumab"]["outcome"] == "failed"
    assert got["etanercept"]["outcome"] == "failed"
    assert got["methotrexate"]["drug_class"] == "csdmard" and got["methotrexate"]["outcome"] == "intolerant"
    assert got["methotrexate"]["duration_weeks"] == pytest.approx(17.38)
    # "NSAIDs (naproxen, ibuprofen)": the named drugs are the facts, not the class as well.
    assert [v for v, _ in only("Failed NSAIDs (naproxen, ibuprofen).", "failed_medication")] == ["naproxen", "ibuprofen"]
    # A class named alone is reported by its class id.
    assert only("Tried muscle relaxants without relief.", "failed_medication")[0][0] == "muscle_relaxant"
    # MTX is methotrexate only in capitals.
    assert only("Failed MTX.", "failed_medication")[0][0] == "methotrexate"


def test_each_medication_gets_its_own_outcome():
    got = {v: a["outcome"] for v, a in only("Gabapentin helped, but duloxetine did not help at all.", "failed_medication")}
    assert got == {"gabapentin": "improved", "duloxetine": "failed"}
    got = {v: a["outcome"] for v, a in only("Progressed on carboplatin/pemetrexed.", "failed_medication")}
    assert got == {"carboplatin": "failed", "pemetrexed": "failed"}


@pytest.mark.parametrize(
    "text",
    [
        "Will start methotrexate 15 mg weekly.",  # a plan is no trial
        "Medications: lisinopril 10 mg daily, acetaminophen 500 mg as needed.",  # a list is no trial
        "Humira 40 mg every other week.",
    ],
)
def test_medication_mentions_that_are_not_trials(text):
    assert "failed_medication" not in facts_of(text)


def test_medication_trial_negated_and_hypothetical():
    assert only("She has never tried gabapentin.", "failed_medication")[0][1]["assertion"] == "negated"
    (fact,) = only("Consider a trial of duloxetine.", "failed_medication")
    assert fact[1]["assertion"] == "hypothetical"


# hba1c ------------------------------------------------------------------------------------------
def test_hba1c_with_date():
    assert only("HbA1c 8.2% on 03/14/2026.", "hba1c") == [(8.2, {"unit": "%", "assertion": "present", "date": "2026-03-14"})]
    # A date labelling the line is the date of the labs on it.
    text = "Labs 10/05/2026: creatinine 0.9 mg/dL, eGFR 96 mL/min/1.73m2, WBC 6.8 K/uL, HbA1c 5.6%."
    assert only(text, "hba1c") == [(5.6, {"unit": "%", "assertion": "present", "date": "2026-10-05"})]
    # IFCC units are converted to percent.
    assert only("Hemoglobin A1c 64 mmol/mol", "hba1c")[0][0] == pytest.approx(8.0, abs=0.05)


@pytest.mark.parametrize(
    "text",
    [
        "Glucose 8.2 mmol/L. Hemoglobin 13.8 g/dL.",  # another lab
        "A1c goal < 7%.",  # a target
        "HbA1c pending.",
        "HbA1c 25%.",  # not a plausible value: a misread
    ],
)
def test_hba1c_near_misses(text):
    assert "hba1c" not in facts_of(text)


# ejection fraction --------------------------------------------------------------------------------
def test_ejection_fraction_values_and_ranges():
    assert only("EF estimated at 35%.", "ejection_fraction") == [(35.0, {"unit": "%", "assertion": "present"})]
    # A range: the value is the lower bound, the upper one is kept.
    assert only("Echo 02/02/2026: LVEF 55-60%.", "ejection_fraction") == [
        (55.0, {"unit": "%", "range_high": 60.0, "assertion": "present", "date": "2026-02-02"})
    ]
    assert only("Left ventricular ejection fraction of less than 30%.", "ejection_fraction")[0][1]["comparator"] == "<"


@pytest.mark.parametrize(
    "text",
    [
        "The EFFECT of therapy. REF 35.",  # EF inside other words
        "Call the echo lab at (602) 555-0143 for the EF.",  # a phone number
        "EF of 35% or less is required for the device.",  # a criterion
        "EF 95%.",
    ],
)
def test_ejection_fraction_near_misses(text):
    assert "ejection_fraction" not in facts_of(text)


# sleep: rdi, oxygen nadir, and AHI targets -----------------------------------------------------
def test_rdi_and_oxygen_nadir():
    text = "PSG 07/30/2026: AHI 18.4, RDI 24 events/hour, SpO2 nadir 82%."
    f = facts_of(text)
    assert pairs(f, "rdi") == [(24.0, {"unit": "events/h", "scope": "overall", "assertion": "present", "date": "2026-07-30"})]
    assert pairs(f, "oxygen_nadir")[0][0] == 82.0
    assert pairs(f, "ahi")[0][0] == 18.4


@pytest.mark.parametrize(
    "text,absent",
    [
        ("On CPAP the AHI target < 5 was discussed.", "ahi"),
        ("AHI goal discussed with the patient.", "ahi"),
        ("SpO2 95% on room air.", "oxygen_nadir"),
        ("Neutrophil nadir 45% on day 10.", "oxygen_nadir"),
        ("BMI", "bmi"),
        ("BMI\nCounseled on diet and exercise.", "bmi"),
    ],
)
def test_measure_decoys(text, absent):
    assert absent not in facts_of(text)


def test_wrapped_score_on_the_next_line():
    f = facts_of("He feels foggy in the mornings. Epworth Sleepiness Scale\n9.\nPast Medical History")
    assert [v.value for v in f["epworth"]] == [9]


# tb_test ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,value,test",
    [
        ("QuantiFERON negative (01/05/2026).", "negative", "quantiferon"),
        ("TB test negative.", "negative", "unspecified"),
        ("Negative QuantiFERON-TB Gold Plus on 1/5/2026.", "negative", "quantiferon"),
        ("T-SPOT.TB: positive.", "positive", "t_spot"),
        ("PPD 0 mm.", "negative", "ppd"),
        ("PPD was not positive.", "negative", "ppd"),
        ("Chest x-ray negative for TB.", "negative", "chest_xray"),
        ("QFT-Plus indeterminate, repeat ordered.", "indeterminate", "quantiferon"),
    ],
)
def test_tb_test_results(text, value, test):
    (fact,) = only(text, "tb_test")
    assert fact[0] == value and fact[1]["test"] == test and fact[1]["assertion"] == "present"


def test_tb_test_date():
    (fact,) = only("QuantiFERON negative (01/05/2026).", "tb_test")
    assert fact[1]["date"] == "2026-01-05"


@pytest.mark.parametrize(
    "text",
    [
        "No TB test on file.",  # the test is negated, not a negative result
        "QuantiFERON pending.",
        "TB screening to be done before starting Humira.",
        "CXR clear.",  # a chest film says nothing about TB unless it names TB
        "Denies TB exposure.",
    ],
)
def test_tb_test_without_a_result_is_no_fact(text):
    assert "tb_test" not in facts_of(text)


def test_tb_test_hypothetical_and_historical():
    (fact,) = only("If QuantiFERON is negative, start adalimumab.", "tb_test")
    assert fact[0] == "negative" and fact[1]["assertion"] == "hypothetical"
    (fact,) = only("History of positive PPD, treated for latent TB.", "tb_test")
    assert fact[0] == "positive" and fact[1]["assertion"] == "historical"


# pd_l1 and biomarkers --------------------------------------------------------------------------
def test_pd_l1():
    assert only("PD-L1 (22C3) TPS 60%.", "pd_l1") == [(60.0, {"scale": "TPS", "assertion": "present"})]
    (fact,) = only("PD-L1 CPS 12 on 02/10/2026.", "pd_l1")
    assert fact == (12.0, {"scale": "CPS", "assertion": "present", "date": "2026-02-10"})
    (fact,) = only("PD-L1 negative (TPS <1%).", "pd_l1")
    assert fact[0] == 1.0 and fact[1]["comparator"] == "<" and fact[1]["result"] == "negative"
    assert only("PD-L1 high.", "pd_l1")[0][0] == "high"


@pytest.mark.parametrize("text", ["PD-L1 testing pending.", "Failed a PD-L1 inhibitor.", "PD-L1 22C3 assay sent."])
def test_pd_l1_near_misses(text):
    assert "pd_l1" not in facts_of(text)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("EGFR exon 19 deletion detected.", [("EGFR", "mutated", "exon 19 deletion")]),
        ("KRAS G12C mutation.", [("KRAS", "mutated", "g12c")]),
        ("BRAF wild-type.", [("BRAF", "wild_type", None)]),
        ("EGFR, ALK and ROS1 negative.", [("EGFR", "negative", None), ("ALK", "negative", None), ("ROS1", "negative", None)]),
        ("Negative for EGFR and ALK alterations.", [("EGFR", "negative", None), ("ALK", "negative", None)]),
        ("No EGFR mutation detected.", [("EGFR", "negative", None)]),
        ("ALK rearrangement negative by FISH.", [("ALK", "negative", None)]),
        ("HER2 3+ by IHC.", [("HER2", "positive", "3+")]),
        ("ER+/PR-/HER2-", [("ER", "positive", None), ("PR", "negative", None), ("HER2", "negative", None)]),
        ("Tumor is MSI-H, dMMR.", [("MSI", "high", None), ("MMR", "deficient", None)]),
        ("TMB 14 mut/Mb.", [("TMB", "high", "14 mut/mb")]),
    ],
)
def test_biomarkers(text, expected):
    got = [(v, a["result"], a.get("detail")) for v, a in only(text, "biomarker")]
    assert got == expected
    assert all(a["assertion"] == "present" for _, a in only(text, "biomarker"))


@pytest.mark.parametrize(
    "text",
    [
        "eGFR 96 mL/min/1.73m2.",  # the kidney lab, not the gene
        "ALK PHOS 120 U/L.",
        "Seen in the ER yesterday.",
        "EGFR testing pending.",
        "Send tissue for EGFR and ALK.",
    ],
)
def test_biomarker_near_misses(text):
    assert "biomarker" not in facts_of(text)


# pain_score and function_score ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,value,scale",
    [
        ("Pain is 7/10 and limits sitting.", 7.0, "unspecified"),
        ("She rates her pain 8 out of 10.", 8.0, "unspecified"),
        ("7/10 low back pain.", 7.0, "unspecified"),
        ("NRS 6 today.", 6.0, "nrs"),
        ("VAS 70 mm.", 7.0, "vas"),
        ("Pain 10/10.", 10.0, "unspecified"),
    ],
)
def test_pain_score(text, value, scale):
    (fact,) = only(text, "pain_score")
    assert fact[0] == value and fact[1]["scale"] == scale and fact[1]["unit"] == "0-10"


@pytest.mark.parametrize(
    "text",
    [
        "Pain since the visit on 10/10/2025.",  # a date, not a score
        "Pain 10/10/2025.",
        "Pain for 2 weeks.",
        "Strength 5/5. Reflexes 2+.",
        "Pain 12/10.",  # out of range
    ],
)
def test_pain_score_near_misses(text):
    assert "pain_score" not in facts_of(text)


def test_function_scores():
    assert only("Oswestry Disability Index 42%.", "function_score") == [
        (42.0, {"unit": "%", "instrument": "odi", "assertion": "present"})
    ]
    assert only("NDI 24/50.", "function_score")[0][:1] == (48.0,)
    assert only("ODI: 38", "function_score")[0][1]["instrument"] == "odi"
    assert "function_score" not in facts_of("ODI to be completed at the next visit.")


# the date attribute -------------------------------------------------------------------------------
def test_date_attribute_only_when_written_next_to_the_fact():
    f = facts_of("He completed 6 weeks of physical therapy (12 sessions, 08/24/2026 to 10/05/2026) without relief.")
    (pt,) = f["conservative_therapy"]
    assert pt.attributes["date"] == "2026-08-24" and pt.attributes["date_end"] == "2026-10-05"
    f = facts_of("Date of service: 10/12/2026\nBMI 29.1. Epworth 14.")
    assert "date" not in f["bmi"][0].attributes and "date" not in f["epworth"][0].attributes
    (fact,) = only("Naproxen discontinued 09/30/2026 after a 4-week trial without relief.", "failed_medication")
    assert fact[1]["date"] == "2026-09-30"


def test_every_fact_kind_in_one_note():
    # packet_builder.catalog.FACT_NAMES must list these names before a catalog can ask for them.
    text = (
        "Failed methotrexate. HbA1c 7.1%. EF 40%. RDI 20. SpO2 nadir 85%. QuantiFERON negative. PD-L1 TPS 50%. "
        "EGFR negative. Pain 6/10. ODI 30%. BMI 31. AHI 16. Epworth 12. Back pain x 8 weeks. No fracture."
    )
    names = set(facts_of(text))
    assert names == {
        "failed_medication",
        "hba1c",
        "ejection_fraction",
        "rdi",
        "oxygen_nadir",
        "tb_test",
        "pd_l1",
        "biomarker",
        "pain_score",
        "function_score",
        "bmi",
        "ahi",
        "epworth",
        "symptom_duration",
        "red_flag",
    }


def test_offsets_survive_characters_that_lower_case_longer():
    # "İ".lower() is two characters: facts after it must still point at the right words.
    f = facts_of("İ. Back pain for 8 weeks. Failed physical therapy for 6 weeks. BMI 31.")
    assert [v.value for v in f["symptom_duration"]] == [8.0]
    (pt,) = f["conservative_therapy"]
    assert pt.attributes["duration_weeks"] == 6.0 and "physical therapy" in pt.evidence.snippet
    assert [v.value for v in f["bmi"]] == [31.0]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Days with usage >= 4 hours\n24/30 (80%)", 80.0),  # a download table: threshold in the label, value below
        ("Download reviewed: 27 of 30 nights with 4+ hours.", 90.0),
        ("usage >= 4 h: 24 of 30 nights (80%)", 80.0),
    ],
)
def test_cpap_adherence_as_downloads_and_notes_print_it(text: str, value: float) -> None:
    assert [v.value for v in facts_of(text).get("cpap_adherence", ())] == [value]


@pytest.mark.parametrize(
    ("text", "value"), [("Sleepiness (Epworth) = 16 of 24", 16), ("Epworth score of 12.", 12), ("ESS 14/24", 14)]
)
def test_epworth_as_notes_write_it(text: str, value: int) -> None:
    assert [v.value for v in facts_of(text).get("epworth", ())] == [value]


def test_a_prior_checkpoint_inhibitor_named_by_any_of_its_class() -> None:
    facts = facts_of("Oncologic history: received cemiplimab in 2025 with progressive disease.")
    assert [v.value for v in facts.get("failed_medication", ())] == ["cemiplimab"]
