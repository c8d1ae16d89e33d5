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
