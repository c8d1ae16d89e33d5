"""One patient per case: member ID, name and DOB compared across documents."""

from __future__ import annotations

from packet_builder.consistency import find_disagreements
from tests.pb_factories import doc


def _order(**fields):
    return doc("order", doc_id="order-1", fields=fields)


def _note(**fields):
    return doc("progress_note", doc_id="note-1", fields=fields)


def test_documents_of_one_patient_agree() -> None:
    order = _order(member_id=["XKJ-8123-45678"], patient_name=["QUILL, ADA M"], patient_dob=["1960-01-02"])
    note = _note(member_id=["xkj812345678"], patient_name=["Quill, Ada"], patient_dob=["1960-01-02"])
    assert find_disagreements([order, note]) == []


def test_a_shared_member_id_is_agreement_even_beside_an_mbi() -> None:
    order = _order(member_id=["XKJ812345678", "7QX2WJ4RT58"])
    note = _note(member_id=["XKJ812345678"])
    assert find_disagreements([order, note]) == []


def test_another_patients_page_is_reported_with_both_evidences() -> None:
    order = _order(member_id=["XKJ812345678"], patient_name=["Quill, Ada"], patient_dob=["1960-01-02"])
    note = _note(member_id=["MBR55501234"], patient_name=["Fenwick, Tobias"], patient_dob=["1971-08-30"])
    found = {d.field: d for d in find_disagreements([order, note])}
    assert set(found) == {"member_id", "patient_name", "patient_dob"}
    name = found["patient_name"]
    assert not name.likely_misread
    assert {name.first.evidence.document_id, name.second.evidence.document_id} == {"order-1", "note-1"}
    assert "Quill, Ada (order, page 1)" in name.message and "Fenwick, Tobias (progress note, page 1)" in name.message
    assert "belong to this patient" in name.message


def test_one_character_off_is_marked_as_a_likely_misreading() -> None:
    order = _order(member_id=["XKJ812345678"], patient_name=["Quill, Ada"])
    note = _note(member_id=["XKJ8I2345678"], patient_name=["Quil, Ada"])
    found = {d.field: d for d in find_disagreements([order, note])}
    assert found["member_id"].likely_misread and found["patient_name"].likely_misread
    assert "misreading" in found["member_id"].message


def test_a_document_that_does_not_state_a_field_does_not_disagree() -> None:
    assert find_disagreements([_order(patient_dob=["1960-01-02"]), _note(member_id=["XKJ812345678"])]) == []


def test_a_different_date_of_birth_is_not_a_misreading_of_a_name() -> None:
    found = find_disagreements([_order(patient_dob=["1960-01-02"]), _note(patient_dob=["1960-01-20"])])
    assert [d.field for d in found] == ["patient_dob"]


def test_a_name_written_first_last_agrees_with_last_first() -> None:
    assert find_disagreements([_order(patient_name=["MARLOWE, QUENTIN A"]), _note(patient_name=["Quentin Marlowe"])]) == []


def test_the_completeness_report_lists_the_disagreements() -> None:
    from packet_builder.checker import check
    from tests.pb_factories import mri_request

    order = _order(member_id=["XKJ812345678"], patient_dob=["1960-01-02"])
    note = _note(member_id=["MBR55501234"], patient_dob=["1960-01-02"])
    report = check(mri_request(), [order, note]).to_json()
    [disagreement] = report["disagreements"]
    assert disagreement["field"] == "member_id" and not disagreement["likely_misread"]
    assert [v["value"] for v in disagreement["values"]] == ["XKJ812345678", "MBR55501234"]


def _same_patient(documents):
    from packet_builder.checker import check
    from tests.pb_factories import mri_request

    [result] = [r for r in check(mri_request(), documents).requirements if r.id == "common.same-patient"]
    return result


def test_the_same_patient_requirement_is_met_when_documents_agree() -> None:
    result = _same_patient([_order(member_id=["XKJ812345678"]), _note(member_id=["XKJ-8123-45678"])])
    assert result.status == "met" and "agree" in result.message


def test_another_patients_document_puts_the_case_in_review() -> None:
    result = _same_patient([_order(patient_dob=["1960-01-02"]), _note(patient_dob=["1971-08-30"])])
    assert result.status == "review"
    assert {e.document_id for e in result.evidence} == {"order-1", "note-1"}


def test_without_any_identity_on_the_documents_the_requirement_is_missing() -> None:
    assert _same_patient([_order(), _note()]).status == "missing"


def test_a_name_misread_by_one_character_does_not_hold_the_case_back() -> None:
    order = _order(patient_name=["HAUGEN, BRRTRAND K"], patient_dob=["1961-03-02"])
    note = _note(patient_name=["Haugen, Bertrand K"], patient_dob=["1961-03-02"])
    result = _same_patient([order, note])
    assert result.status == "met" and "misreading" in result.message


def test_two_fields_a_little_off_between_the_same_documents_are_not_a_misreading() -> None:
    order = _order(patient_name=["HAUGEN, BRRTRAND K"], patient_dob=["1961-03-02"])
    note = _note(patient_name=["Haugen, Bertrand K"], patient_dob=["1961-03-12"])
    assert _same_patient([order, note]).status == "review"
