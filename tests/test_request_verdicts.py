"""Requests as coordinators write them (code lines, companions, plan types), and the verdict
rules that keep a case from being called complete wrongly. Pure: synthetic extractions only."""

from __future__ import annotations

from dataclasses import replace

import pytest

from extractors.errors import InvalidRequestError
from packet_builder.checker import check
from packet_builder.request import ServiceLine, ServiceRequest, parse_service_line, parse_service_lines
from tests.pb_factories import REQUEST_DATE, doc, mri_docs, mri_request


def by_id(report, rid):
    return next(r for r in report.requirements if r.id == rid)


@pytest.mark.parametrize(
    ("typed", "line"),
    [
        ("97110", ServiceLine("97110")),
        ("97110-GP", ServiceLine("97110", ("GP",))),
        ("97110 gp 59 x4", ServiceLine("97110", ("GP", "59"), 4)),
        ("J9271-JZ 200 units", ServiceLine("J9271", ("JZ",), 200)),
        ("E0601 NU (1)", ServiceLine("E0601", ("NU",), 1)),
        ("A7030 3", ServiceLine("A7030", (), 3)),
        ("G0399 qty: 1", ServiceLine("G0399", (), 1)),
        ("inpatient_admission", ServiceLine("INPATIENT_ADMISSION")),
    ],
)
def test_code_lines_as_typed(typed: str, line: ServiceLine) -> None:
    assert parse_service_line(typed) == line


@pytest.mark.parametrize(
    ("typed", "named"), [("7214", "'7214'"), ("97110 GPX", "'GPX'"), ("E06O1", "'E06O1'"), ("J9271 JZ JW 59 25 KX", "at most 4")]
)
def test_malformed_lines_are_refused_naming_the_part(typed: str, named: str) -> None:
    with pytest.raises(InvalidRequestError, match=named):
        parse_service_line(typed)


def test_several_lines_in_one_box() -> None:
    lines = parse_service_lines(["72148 72158", "E0601 NU, A7030 x2; A7035\nE0562"])
    assert [ln.code for ln in lines] == ["72148", "72158", "E0601", "A7030", "A7035", "E0562"]
    assert lines[3].units == 2


def test_request_keeps_every_line_and_its_codes_once() -> None:
    req = ServiceRequest(
        service_codes=("A7030",),
        service_lines=(ServiceLine("E0601", ("NU",)), ServiceLine("E0601", ("RR",))),
        request_date=REQUEST_DATE,
    )
    assert req.service_codes == ("E0601", "A7030")
    assert [ln.modifiers for ln in req.line_of("E0601")] == [("NU",), ("RR",)]


# --- plan types ------------------------------------------------------------------------------


def test_fee_for_service_form_is_not_asked_of_managed_care() -> None:
    ffs = check(mri_request(plan_type="medicaid", state="AZ", payer_name="AHCCCS"), mri_docs())
    mc = check(mri_request(plan_type="medicaid_managed_care", state="AZ", payer_name="Mesquite Health Plan (AHCCCS)"), mri_docs())
    assert "az-ahcccs-ffs" in {o["id"] for o in ffs.overlays}
    assert "az-ahcccs-ffs.first-form" in {r.id for r in ffs.requirements}
    ids = {o["id"] for o in mc.overlays}
    assert "az-ahcccs" in ids and "az-ahcccs-ffs" not in ids
    assert "az-ahcccs-ffs.first-form" not in {r.id for r in mc.requirements}


def test_the_payer_name_still_picks_the_plan() -> None:
    """A managed care plan entered as plain `medicaid` does not get the program's FFS form."""
    report = check(mri_request(plan_type="medicaid", state="AZ", payer_name="Mesquite Health Plan (AHCCCS)"), mri_docs())
    assert "az-ahcccs-ffs" not in {o["id"] for o in report.overlays}


def test_an_overlay_is_listed_only_for_the_services_it_concerns() -> None:
    report = check(mri_request(plan_type="commercial", state="WA"), mri_docs())
    ids = {o["id"] for o in report.overlays}
    assert "commercial-medicaid-bariatric" not in ids and "commercial-opd-procedures" not in ids
    assert "wa-commercial" in ids  # the state's program rules concern every service


# --- JW/JZ ------------------------------------------------------------------------------------


def _drug_docs(modifiers: list[str]) -> list:
    order = doc(
        "order",
        doc_id="order",
        fields={
            "member_id": ["QZT123456789"],
            "npi": [("1234567893", {"role": "ordering", "valid": True})],
            "hcpcs": [("J9271", {"modifiers": modifiers, "units": 200})],
            "document_date": ["2026-10-28"],
        },
    )
    return [order]


@pytest.mark.parametrize("plan", ["commercial", "medicare_advantage", "medicaid_managed_care"])
def test_jw_jz_is_not_asked_outside_medicare_part_b(plan: str) -> None:
    report = check(ServiceRequest(service_codes=("J9271",), request_date=REQUEST_DATE, plan_type=plan), _drug_docs([]))
    assert "pembro.jw-jz" not in {r.id for r in report.requirements}
    assert by_id(report, "pembro.order").status == "met"


def test_jw_jz_is_asked_of_medicare_and_the_request_line_counts() -> None:
    bare = check(ServiceRequest(service_codes=("J9271",), request_date=REQUEST_DATE, plan_type="medicare"), _drug_docs([]))
    assert by_id(bare, "pembro.jw-jz").status == "missing"
    on_order = check(
        ServiceRequest(service_codes=("J9271",), request_date=REQUEST_DATE, plan_type="medicare"), _drug_docs(["JZ"])
    )
    assert by_id(on_order, "pembro.jw-jz").status == "met"
    on_line = check(
        ServiceRequest(
            service_codes=(), service_lines=(ServiceLine("J9271", ("JW",), 200),), request_date=REQUEST_DATE, plan_type="medicare"
        ),
        _drug_docs([]),
    )
    assert by_id(on_line, "pembro.jw-jz").status == "met"


# --- dates and recency -------------------------------------------------------------------------


def _therapy_docs(*, note_date: str | None, text: str) -> list:
    form = doc(
        "prior_auth_form",
        doc_id="form",
        fields={
            "member_id": ["QZT123456789"],
            "npi": [("1234567893", {"role": "ordering", "valid": True})],
            "cpt": [("97110", {"modifiers": ["GP"], "units": 8}), ("97530", {"modifiers": ["GP"], "units": 8})],
            "icd10": [("M62.81", {"description": "Muscle weakness (generalized)", "billable": True, "assertion": "present"})],
            "document_date": ["2026-10-30"],
        },
    )
    note_fields = {"document_date": [note_date]} if note_date else {}
    note = doc(
        "progress_note", doc_id="note", text=text, fields=note_fields, facts={"signature": [("signed", {"assertion": "present"})]}
    )
    return [form, note]


THERAPY_TEXT = (
    "Physical therapy progress report. Plan of care: 2 times per week for 6 weeks. Short-term goal: "
    "climb stairs. Goals partially met. LEFS improved from 38 to 52."
)


def _therapy_request(**kw) -> ServiceRequest:
    base = {
        "service_codes": ("97110", "97530"),
        "request_date": REQUEST_DATE,
        "plan_type": "commercial",
        "episode": "continuation",
    }
    base.update(kw)
    return ServiceRequest(**base)


def test_continued_therapy_with_a_current_progress_report_is_complete() -> None:
    report = check(_therapy_request(), _therapy_docs(note_date="2026-10-26", text=THERAPY_TEXT))
    assert report.status == "complete", [(r.id, r.status, r.message) for r in report.requirements if r.status != "met"]
    assert report.services[0].companions == ("97530",)


def test_continued_therapy_on_a_four_month_old_note_is_not_complete() -> None:
    report = check(_therapy_request(), _therapy_docs(note_date="2026-07-01", text=THERAPY_TEXT))
    assert report.status == "incomplete"
    assert by_id(report, "therapy.progress-report").status == "missing"
    assert by_id(report, "therapy.plan-of-care").status == "missing"


def test_an_add_on_code_alone_scopes_the_plan_of_care() -> None:
    report = check(
        _therapy_request(service_codes=("97161", "97530"), episode="initial"),
        _therapy_docs(note_date="2026-10-26", text=THERAPY_TEXT),
    )
    assert "therapy.plan-of-care" in {r.id for r in report.requirements}


def test_undated_note_never_meets_a_dated_requirement() -> None:
    report = check(_therapy_request(), _therapy_docs(note_date=None, text=THERAPY_TEXT))
    r = by_id(report, "therapy.progress-report")
    assert r.status == "review" and "No date was read" in r.message
    assert report.status == "incomplete"


def test_signed_but_undated_order_is_review() -> None:
    order = doc(
        "order",
        doc_id="order",
        fields={"member_id": ["QZT123456789"], "hcpcs": ["E0601"], "npi": [("1234567893", {"role": "ordering", "valid": True})]},
        facts={"signature": [("signed", {"assertion": "present"})]},
    )
    report = check(ServiceRequest(service_codes=("E0601",), request_date=REQUEST_DATE, plan_type="medicare"), [order])
    r = by_id(report, "cpap.order-signed")
    assert r.status == "review" and "No date was read" in r.message


def test_a_drug_request_needs_a_current_evaluation() -> None:
    old_note = doc("progress_note", doc_id="note", text="Oncology follow-up.", fields={"document_date": ["2026-05-01"]})
    report = check(
        ServiceRequest(service_codes=("J9271",), request_date=REQUEST_DATE, plan_type="commercial"), [*_drug_docs([]), old_note]
    )
    r = by_id(report, "common.current-note")
    assert r.status == "review" and "Confirm the payer takes it as current" in r.message


def test_a_plan_sent_for_certification_is_not_certified() -> None:
    """Medicare: the therapist signed, the physician has not yet: not a certified plan."""
    text = (
        "Plan of care: 2 times per week for 6 weeks. Short-term goal: gait without device. "
        "Plan of care sent to Dr. Reyes for certification; awaiting physician signature."
    )
    note = doc(
        "progress_note",
        doc_id="note",
        text=text,
        fields={"document_date": ["2026-10-26"]},
        facts={"signature": [("signed", {"assertion": "present"}), ("unsigned", {"assertion": "present"})]},
    )
    form = _therapy_docs(note_date="2026-10-26", text="")[0]
    report = check(_therapy_request(plan_type="medicare", episode="initial", service_codes=("97110",)), [form, note])
    assert by_id(report, "medicare.therapy-certification").status != "met"
    assert report.status == "incomplete"


# --- word matches ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words", "found"),
    [
        ("Exam demonstrates a large pannus.", ["mons "], False),
        ("Pannus reaches the mons pubis.", ["mons pubis"], True),
        ("Leg cramps at night.", ["ramp"], False),
        ("Home has a wheelchair ramp.", ["ramp"], True),
        ("Polysomnogram on 10/02/2026.", ["polysomnogra"], True),
        ("Review of systems: sleeps well, no trouble sleeping.", ["sleep apnea", "snor", "osa", "epworth"], False),
        ("Will start CPAP at 8 cm H2O.", ["cpap"], False),
        ("Patient advised to keep a headache diary.", ["headache diary"], False),
        ("Plan of care sent to Dr. Reyes for certification.", ["certification of the plan", "physician certification"], False),
    ],
)
def test_words_start_a_word_and_are_stated(text: str, words: list[str], found: bool) -> None:
    from packet_builder.evidence import mentions_any

    assert mentions_any(doc("progress_note", doc_id="n", text=text), words) is found


def test_a_note_dated_only_by_its_signature_is_dated() -> None:
    from packet_builder.evidence import document_date

    note = doc("progress_note", doc_id="n", facts={"signature": [("signed", {"assertion": "present", "date": "2026-03-30"})]})
    when, _ = document_date(note, REQUEST_DATE)
    assert when is not None and when.isoformat() == "2026-03-30"


def test_therapy_needs_the_diagnosis_it_treats() -> None:
    docs = _therapy_docs(note_date="2026-10-26", text=THERAPY_TEXT)
    docs[0] = doc(
        "prior_auth_form",
        doc_id="form",
        fields={
            k: [x.value if not x.attributes else (x.value, dict(x.attributes)) for x in v]
            for k, v in docs[0].fields.items()
            if k != "icd10"
        },
    )
    r = by_id(check(_therapy_request(), docs), "therapy.diagnosis")
    assert r.status == "missing"


# --- classes the randomized development split showed --------------------------------------------


def _npi(value: str, role: str, valid: bool) -> tuple:
    return (value, {"role": role, "valid": valid})


def test_an_invalid_npi_on_the_order_is_not_settled_by_a_report_physicians() -> None:
    docs = mri_docs()
    docs = [d for d in docs if d.doc_type != "order"] + [
        doc(
            "order",
            doc_id="order",
            fields={"cpt": ["72148"], "npi": [_npi("1234567890", "ordering", False)], "document_date": ["2026-10-21"]},
        ),
        doc("imaging_report", doc_id="xr", fields={"npi": [_npi("1234567893", "ordering", True)]}),
    ]
    r = by_id(check(mri_request(), docs), "common.ordering-npi")
    assert r.status == "review" and "fails the check-digit test" in r.message


def test_an_npi_of_unknown_role_off_the_order_is_a_question() -> None:
    docs = [d for d in mri_docs() if d.doc_type != "order"] + [
        doc("order", doc_id="order", fields={"cpt": ["72148"], "document_date": ["2026-10-21"]}),
        doc("other", doc_id="report", fields={"npi": [_npi("1234567893", "unknown", True)]}),
    ]
    docs = [
        replace(d, fields={k: v for k, v in d.fields.items() if k != "npi"}) if d.doc_type == "progress_note" else d for d in docs
    ]
    r = by_id(check(mri_request(), docs), "common.ordering-npi")
    assert r.status == "review" and "not on the order" in r.message


def test_an_order_must_name_every_requested_primary_code() -> None:
    report = check(mri_request(service_codes=("72148", "72158")), mri_docs())
    r = by_id(report, "imaging.order")
    assert r.status == "review" and "but not 72158" in r.message


def test_a_dose_in_a_code_table_description_is_not_units() -> None:
    from extractors.codes import extract_procedures
    from extractors.pagetext import PageText
    from extractors.text_pages import page_from_text

    text = "HCPCS   Description   Mod   Units\nJ9271   Injection, pembrolizumab, 1 mg   JZ\n96413   Chemo administration   1"
    got = {v.value: v.attributes["units"] for v in extract_procedures(PageText(page_from_text(text)))}
    assert got["J9271"] is None


def test_a_prior_checkpoint_inhibitor_is_a_question_for_pembrolizumab() -> None:
    note = doc(
        "progress_note",
        doc_id="note",
        fields={"document_date": ["2026-10-28"]},
        facts={
            "failed_medication": [
                ("atezolizumab", {"assertion": "present", "outcome": "unknown", "drug_class": "checkpoint_inhibitor"})
            ]
        },
    )
    report = check(
        ServiceRequest(service_codes=("J9271",), request_date=REQUEST_DATE, plan_type="commercial"), [*_drug_docs([]), note]
    )
    r = by_id(report, "pembro.no-prior-pd1")
    assert r.status == "review" and "atezolizumab" in r.message
    clean = check(ServiceRequest(service_codes=("J9271",), request_date=REQUEST_DATE, plan_type="commercial"), _drug_docs([]))
    assert by_id(clean, "pembro.no-prior-pd1").status == "met"
