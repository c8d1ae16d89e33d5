from __future__ import annotations

from extractors import icd10


def test_lookup_dotted_and_undotted():
    e = icd10.lookup("M54.16")
    assert e is not None and e.code == "M54.16" and e.billable
    assert e.description == "Radiculopathy, lumbar region"
    assert icd10.lookup("m5416") == e


def test_lookup_non_billable_category():
    e = icd10.lookup("M54.5")
    assert e is not None and not e.billable


def test_lookup_rejects_non_codes():
    for text in ("10", "M50-M54", "B12", "M54.1234", "M5.416", "", "72148"):
        assert icd10.lookup(text) is None


def test_repair_unique_result():
    assert icd10.repair("110").code == "I10"
    assert icd10.repair("M54.l6").code == "M54.16"
    assert icd10.repair("MS4.16").code == "M54.16"


def test_repair_refuses_valid_or_unrepairable():
    assert icd10.repair("G47.33") is None  # nothing to repair
    assert icd10.repair("99999") is None
    assert icd10.repair("110.5") is None


def test_code_set_version_named():
    assert "2026" in icd10.CODE_SET_VERSION


def _codes(text: str) -> dict[str, dict]:
    from extractors.fields import extract_fields
    from extractors.text_pages import page_from_text

    fields, _facts = extract_fields([page_from_text(text, index=0)])
    return {v.value: {**v.attributes, "confidence": v.confidence} for v in fields.get("icd10", ())}


def test_a_code_misread_in_parentheses_is_repaired_when_its_neighbours_name_it():
    found = _codes("Problem list\nHypertension (110). Atrial fibrillation (148.91), on apixaban.\n")
    assert found["I10"]["repaired"] and found["I10"]["printed"] == "110"
    assert found["I48.91"]["printed"] == "148.91"


def test_a_number_in_parentheses_beside_other_words_is_not_a_code():
    assert _codes("Glucose (110) mg/dL\nWBC count (110)\nRoom (148.91)\n") == {}


def test_a_code_split_after_its_dot_is_joined():
    found = _codes("Assessment\n1. Lumbar radiculopathy (M54. 16)\n2. M54, 50 Low back pain, unspecified\n")
    assert found["M54.16"]["printed"] == "M54. 16"
    assert "M54.50" in found


def test_a_description_that_disagrees_lowers_the_confidence():
    found = _codes("Diagnosis: M54.16 Radiculopathy, lumbar region\n")
    wrong = _codes("Diagnosis: M54.16 Asthma, uncomplicated\n")
    assert found["M54.16"]["description_agreement"] == 100
    assert wrong["M54.16"]["description_agreement"] < 45
    assert wrong["M54.16"]["confidence"] < found["M54.16"]["confidence"]
    assert _codes("Diagnosis: M54.16\n")["M54.16"]["description_agreement"] is None


def test_a_diagnosis_set_aside_after_its_code_is_negated():
    found = _codes(
        "Assessment\nLumbar radiculopathy\n(M54.16) is not suspected.\nCauda equina syndrome (G83.4) unlikely.\nM54.50 Low back pain\n"
    )
    assert found["M54.16"]["assertion"] == "negated" and found["G83.4"]["assertion"] == "negated"
    assert found["M54.50"]["assertion"] == "present"


def test_a_suspected_diagnosis_is_hypothetical():
    found = _codes("Assessment\nSuspected obstructive sleep apnea (G47.33), to be confirmed by testing. Snoring (R06.83).\n")
    assert found["G47.33"]["assertion"] == "hypothetical"
    assert found["R06.83"]["assertion"] == "present"


def test_a_bmi_code_misread_is_taken_when_the_bmi_beside_it_is_in_its_range():
    assert "Z68.33" in _codes("Exam\nWeight 200 lb, BMI 33.4 (268.33). Neck 16 in.\n")
    assert _codes("Exam\nBMI 41.2 (268.33)\n") == {}


def test_a_street_number_is_not_a_code():
    assert "I20.0" not in _codes("Diagnosis\n1200 Fifth Ave, Suite 900\n")


def test_codes_under_a_diagnosis_column_header_are_read():
    found = _codes("PRIMARY ICD-10 SECONDARY ICD-10 SETTING\nM51.17 M5417 OUTPATIENT IMAGING CENTER\n")
    assert {"M51.17", "M54.17"} <= set(found)


def test_a_code_read_with_a_comma_or_a_split_dot_in_a_diagnosis_list_is_repaired():
    listed = _codes("Diagnosis (ICD-10-CM)\n298,890 Other specified postprocedural states\n")
    assert listed["Z98.890"]["printed"] == "298,890"
    assessed = _codes("Assessment\n1. Low back pain (M54.50) after lumbar microdiscectomy (298. 890)\n")
    assert assessed["Z98.890"]["printed"] == "298. 890"
    assert _codes("Labs\nTotal 1,200 and 100,000 (110)\nPlatelets 250,000\n") == {}
