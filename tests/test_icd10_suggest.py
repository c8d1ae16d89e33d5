"""Suggested ICD-10-CM codes for diagnoses written in words (issue 4).

Speed is measured in benchmarks/suggest_speed.py, not asserted here.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from extractors import icd10
from extractors.codes import extract_icd10
from extractors.icd10_suggest import FIELD, diagnosis_phrases, match, suggest_icd10, suggest_rules
from extractors.models import FieldValue
from extractors.pagetext import PageText
from extractors.text_pages import page_from_text
from packet_builder.checker import check
from tests.pb_factories import fv, mri_docs, mri_request


@pytest.fixture(scope="module", autouse=True)
def _code_set() -> None:
    icd10.load()


def _page(text: str, method: str = "text_layer") -> PageText:
    return PageText(page_from_text(text, method=method))  # type: ignore[arg-type]


def _suggest(text: str, method: str = "text_layer") -> list[FieldValue]:
    pt = _page(text, method)
    return suggest_icd10(pt, extract_icd10(pt))


def _best(values: list[FieldValue]) -> dict[str, FieldValue]:
    """Phrase -> its rank-1 suggestion."""
    return {v.attributes["phrase"]: v for v in values if v.attributes["rank"] == 1}


# -- matching -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("phrase", "code"),
    [
        ("Low back pain", "M54.50"),
        ("Obstructive sleep apnea", "G47.33"),
        ("Lumbar radiculopathy", "M54.16"),
        ("Type 2 diabetes", "E11.9"),
        ("Essential hypertension", "I10"),
        ("Morbid obesity", "E66.01"),
        ("Hypertension", "I10"),
        ("Class III obesity", "E66.813"),
        ("L4-5 disc herniation", "M51.26"),
    ],
)
def test_descriptions_in_words_match_their_code(phrase: str, code: str) -> None:
    found = match(phrase)
    assert found and found[0].code == code
    assert found[0].score >= suggest_rules().min_score
    assert found[0].billable


@pytest.mark.parametrize(
    ("phrase", "code"),
    [("OSA", "G47.33"), ("LBP", "M54.50"), ("HTN", "I10"), ("DM2", "E11.9"), ("T2DM", "E11.9"),
     ("GERD", "K21.9"), ("afib", "I48.91"), ("CKD stage 3", "N18.30"), ("COPD", "J44.9")],
)  # fmt: skip
def test_abbreviations_expand(phrase: str, code: str) -> None:
    assert match(phrase)[0].code == code


def test_at_most_three_candidates_best_first() -> None:
    found = match("Obstructive sleep apnea")
    assert 1 <= len(found) <= suggest_rules().max_candidates
    assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)
    assert all(c.score >= suggest_rules().min_other_score for c in found)


@pytest.mark.parametrize("phrase", ["Ordering Provider", "MRI lumbar spine", "left leg", "Epworth 14", "naproxen"])
def test_words_that_name_no_condition_match_nothing(phrase: str) -> None:
    assert match(phrase) == ()


def test_ocr_digit_for_letter_still_matches() -> None:
    assert match("Lumbar radicu1opathy")[0].code == "M54.16"


def test_ocr_misread_letter_matches_on_an_ocr_page_only() -> None:
    assert match("Lumbar radiculopatby", ocr=True)[0].code == "M54.16"
    assert match("Lumbar radiculopatby") == ()  # a text layer's unknown word is not repaired
    found = _best(_suggest("Assessment:\n1. Lumbar radiculopatby\n", method="ocr"))
    assert found["Lumbar radiculopatby"].value == "M54.16"


# -- phrases on a page ----------------------------------------------------------------------
def test_assessment_list_gets_suggestions_in_a_separate_field() -> None:
    values = _suggest(
        "Assessment:\n1. Low back pain\n2. Obstructive sleep apnea\n3. Lumbar radiculopathy\n"
        "4. Type 2 diabetes\n5. Essential hypertension\n6. Morbid obesity\n"
    )
    best = _best(values)
    assert {p: v.value for p, v in best.items()} == {
        "Low back pain": "M54.50",
        "Obstructive sleep apnea": "G47.33",
        "Lumbar radiculopathy": "M54.16",
        "Type 2 diabetes": "E11.9",
        "Essential hypertension": "I10",
        "Morbid obesity": "E66.01",
    }
    for v in values:
        assert v.name == FIELD != "icd10"
        a = v.attributes
        assert a["suggested"] is True and a["assertion"] == "present" and a["billable"] is True
        assert a["description"] == icd10.lookup(v.value).description
        assert 0 < v.confidence <= suggest_rules().certainty
        assert a["phrase"] in v.evidence.snippet and v.evidence.bbox is not None and v.evidence.page == 1


def test_numbered_items_on_one_line_are_split() -> None:
    best = _best(_suggest("Impression: 1. Lumbar radiculopathy. 2. Obesity\n"))
    assert {p: v.value for p, v in best.items()} == {"Lumbar radiculopathy": "M54.16", "Obesity": "E66.9"}


def test_an_item_with_a_printed_code_gets_no_suggestion() -> None:
    pt = _page("Assessment\n1. Lumbar radiculopathy (M54.16), left L5.\n2. Obesity\n")
    printed = extract_icd10(pt)
    assert [v.value for v in printed] == ["M54.16"]
    best = _best(suggest_icd10(pt, printed))
    assert set(best) == {"Obesity"}


def test_a_phrase_a_printed_code_already_describes_gets_no_suggestion() -> None:
    text = "Diagnosis: M54.16 Radiculopathy, lumbar region\n\nAssessment\nLumbar radiculopathy, worse on sitting.\nSnoring\n"
    assert set(_best(_suggest(text))) == {"Snoring"}


def test_printed_codes_speak_for_their_category() -> None:
    # Sleep apnea is coded (G47.30) elsewhere: a more specific wording is the same condition.
    pt = _page("Assessment\nObstructive sleep apnea\n")
    printed = [fv("icd10", "G47.30", description="Sleep apnea, unspecified", billable=True, assertion="present")]
    assert suggest_icd10(pt, printed) == []


def test_non_diagnosis_lines_get_none() -> None:
    assert _suggest("Plan: MRI lumbar spine\nHistory of present illness: low back pain for 9 weeks.\n") == []


def test_a_diagnosis_label_outside_a_diagnosis_section() -> None:
    text = "Exam requested: MRI lumbar spine   Diagnosis: Lumbar radiculopathy\nPlan\nPhysical therapy.\n"
    assert {p: v.value for p, v in _best(_suggest(text)).items()} == {"Lumbar radiculopathy": "M54.16"}


def test_negated_phrases_get_no_suggestion() -> None:
    assert _suggest("Impression:\n1. No evidence of fracture.\n2. No obstructive sleep apnea.\n") == []
    assert _suggest("Assessment:\nLumbar radiculopathy is not suspected.\n") == []


def test_hypothetical_and_historical_phrases_keep_their_assertion() -> None:
    best = _best(
        _suggest(
            "Assessment:\n1. Rule out obstructive sleep apnea.\n2. Suspected lumbar spinal stenosis.\n"
            "3. History of atrial fibrillation.\n"
        )
    )
    assert best["obstructive sleep apnea"].value == "G47.33"
    assert best["obstructive sleep apnea"].attributes["assertion"] == "hypothetical"
    assert best["lumbar spinal stenosis"].attributes["assertion"] == "hypothetical"
    assert best["atrial fibrillation"].value == "I48.91"
    assert best["atrial fibrillation"].attributes["assertion"] == "historical"


def test_abbreviations_on_a_page() -> None:
    best = _best(_suggest("Dx: OSA, HTN, T2DM, GERD\n"))
    assert {p: v.value for p, v in best.items()} == {"OSA": "G47.33", "HTN": "I10", "T2DM": "E11.9", "GERD": "K21.9"}


def test_and_joins_two_diagnoses() -> None:
    best = _best(_suggest("Assessment: Obesity and hypertension\n"))
    assert {p: v.value for p, v in best.items()} == {"Obesity": "E66.9", "hypertension": "I10"}


def test_circumstance_after_a_context_word_is_not_a_diagnosis() -> None:
    best = _best(_suggest("Clinical Indication\nLow back pain for 2 weeks after a fall from a step stool.\n"))
    assert {p: v.value for p, v in best.items()} == {"Low back pain": "M54.50"}


def test_an_order_indication_ends_at_the_provider_block() -> None:
    text = (
        "Clinical Indication\nWitnessed apneas, COPD.\nOrdering Provider\nName Jane Roe, MD\n"
        "Performing Facility\nFacility Sleep Lab\nElectronically signed by Jane Roe, MD\n"
    )
    (phrase,) = diagnosis_phrases(_page(text))
    assert phrase.text == "Witnessed apneas, COPD"
    assert [c.text for c in phrase.clauses] == ["Witnessed apneas", "COPD"]
    # The whole list names no code: its clauses do.
    assert {v.value for v in _suggest(text) if v.attributes["rank"] == 1} == {"R06.81", "J44.9"}


def test_a_comma_qualified_diagnosis_is_read_whole() -> None:
    best = _best(_suggest("Problem list:\n- Asthma, mild intermittent\n- Lumbago with sciatica, right side\n"))
    assert {p: v.value for p, v in best.items()} == {
        "Asthma, mild intermittent": "J45.20",
        "Lumbago with sciatica, right side": "M54.41",
    }


def test_diagnoses_inside_prose_are_found() -> None:
    best = _best(_suggest("Assessment and Plan:\n55-year-old woman with chronic low back pain and left L5 radiculopathy.\n"))
    assert {p: v.value for p, v in best.items()} == {"chronic low back pain": "M54.50", "left L5 radiculopathy": "M54.16"}


def test_a_phrase_wrapped_across_lines_is_one_phrase() -> None:
    best = _best(_suggest("Clinical Indication\nDaytime fatigue. Suspected obstructive sleep -\napnea.\n", method="ocr"))
    assert best["obstructive sleep -\napnea"].value == "G47.33"
    assert best["obstructive sleep -\napnea"].attributes["assertion"] == "hypothetical"
    assert _best(_suggest("Assessment:\nLumbar radicu-\nlopathy\n"))["Lumbar radicu-\nlopathy"].value == "M54.16"


def test_a_spinal_level_in_the_item_lends_its_region() -> None:
    best = _best(_suggest("Impression:\n1. Degenerative disc disease, moderate at L4-L5.\n"))
    assert best["Degenerative disc disease"].value.startswith("M51.36")


def test_suggestions_are_less_certain_than_printed_codes() -> None:
    pt = _page("Assessment\n1. Lumbar radiculopathy (M54.16)\n2. Obstructive sleep apnea\n")
    printed = extract_icd10(pt)
    suggested = suggest_icd10(pt, printed)
    assert suggested and max(v.confidence for v in suggested) < min(v.confidence for v in printed)


# -- consumers ------------------------------------------------------------------------------
def test_the_checker_never_counts_a_suggestion_as_a_diagnosis() -> None:
    suggestion = fv(
        FIELD, "M54.16", conf=0.5, suggested=True, description="Radiculopathy, lumbar region", billable=True,
        score=98.8, rank=1, phrase="Lumbar radiculopathy", assertion="present",
    )  # fmt: skip
    docs = [replace(d, fields={**{k: v for k, v in d.fields.items() if k != "icd10"}, FIELD: (suggestion,)}) for d in mri_docs()]
    diagnosis = next(r for r in check(mri_request(), docs).requirements if r.id == "mri-lumbar.diagnosis")
    assert diagnosis.status == "missing"
