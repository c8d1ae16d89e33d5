"""The shapes of a sample case: invented patients, labelled documents, files, cases; and the
builders for the two document kinds the cases use (orders and visit notes).

A labelled document carries its truth beside what it prints. Identity fields (name, DOB,
member ID, document date) are derived from the same values that are printed; codes, NPIs,
facts and decoys are declared by the case, and `generate.py` checks each appears in the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sample_docs.forms import PayerForm
from sample_docs.layout import Document, Practice, Section
from sample_docs.sheets import Sheet


def us(d: date) -> str:
    return f"{d.month:02d}/{d.day:02d}/{d.year}"


def long(d: date) -> str:
    return f"{d.strftime('%B')} {d.day}, {d.year}"


@dataclass(frozen=True)
class Patient:
    last: str
    first: str
    middle: str
    dob: date
    sex: str
    mrn: str
    account: str
    member_id: str  # as printed on the card
    payer: str
    group: str | None
    phone: str

    @property
    def name_truth(self) -> str:
        return f"{self.last}, {self.first}" + (f" {self.middle}" if self.middle else "")

    @property
    def printed_upper(self) -> str:
        return self.name_truth.upper()

    @property
    def member_id_truth(self) -> str:
        # Normalized as the vocabulary says: upper-case, no spaces, no dashes.
        return self.member_id.upper().replace(" ", "").replace("-", "")


@dataclass(frozen=True)
class Provider:
    name: str
    npi: str
    npi_valid: bool
    role: str = "ordering"


@dataclass(frozen=True)
class Labelled:
    document: Document | PayerForm | Sheet  # a Sheet: a report, letter, card or typed form (sheets.py)
    doc_type: str
    date: date
    fields: dict[str, list[Any]]
    facts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    decoys: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileSpec:
    """One file of a case and how to make it; sample_docs/README.md describes each format and key."""

    name: str
    format: str  # text_pdf | scan_pdf | mixed_pdf | form_pdf | fax_tiff | tiff | photo_jpeg | photo_heic
    docs: tuple[Labelled, ...]
    dpi: int | tuple[int, int] | None = None
    rotation: int | None = None  # photo or scan: clockwise turn the stored pixels need to read upright
    exif_orientation: int | None = None
    fax_header: str | None = None  # format string with {page} and {pages}
    skew: float | None = None  # scan: degrees counter-clockwise (else a random 0.5-2, not recorded)
    layer: str | None = None  # PDF: "glyph_soup" | "partial_ocr", a text layer not to trust
    scanned_pages: tuple[int, ...] = ()  # mixed_pdf: 1-based file pages that are scans
    compression: str | None = None  # fax_tiff: "group3"; None is Group 4 (the first samples leave it out)
    alpha: bool = False  # tiff: RGBA with transparent paper
    encrypted: bool = False  # PDF: owner password set, empty user password
    damaged: str | None = None  # PDF: "truncated" (cut inside the cross-reference table)
    quality: int = 40  # JPEG quality of scanned pages


@dataclass(frozen=True)
class Case:
    case_id: str
    description: str
    request: dict[str, Any]
    files: tuple[FileSpec, ...]
    expected: dict[str, Any]


def npi_entry(p: Provider) -> dict[str, Any]:
    return {"value": p.npi, "role": p.role, "valid": p.npi_valid}


def _identity_fields(patient: Patient, d: date, *, member_id: bool) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {
        "patient_name": [patient.name_truth],
        "patient_dob": [patient.dob.isoformat()],
        "document_date": [d.isoformat()],
    }
    if member_id:
        out["member_id"] = [patient.member_id_truth]
        out["payer_name"] = [patient.payer]
        if patient.group:
            out["group_number"] = [patient.group]
    return out


def order(
    *,
    title: str,
    practice: Practice,
    patient: Patient,
    d: date,
    provider: Provider,
    exams: tuple[tuple[str, str], ...],
    diagnoses: tuple[tuple[str, str], ...],
    indication: str,
    priority: str,
    facility: tuple[str, str, Provider | None],
    truth: dict[str, list[Any]],
    facts: dict[str, list[dict[str, Any]]] | None = None,
    decoys: tuple[str, ...] = (),
    extra_rows: tuple[tuple[tuple[str, str], ...], ...] = (),
    font: str = "Helvetica",
    size: float = 10.5,
    insurance: bool = True,
) -> Labelled:
    """A requisition: patient and insurance block, requested exam codes, diagnoses, provider.
    Without `insurance` the patient block prints no member ID, group or payer."""
    rows: list[tuple[str, str]] = [
        ("Name", provider.name),
        ("NPI", provider.npi),
        ("Phone / Fax", f"{practice.phone} / {practice.fax}"),
    ]
    facility_rows = [("Facility", facility[0]), ("Address", facility[1])]
    if facility[2] is not None:
        facility_rows.append(("Facility NPI", facility[2].npi))
    doc = Document(
        title=title,
        practice=practice,
        date_line=f"Order Date: {us(d)}",
        patient_rows=(
            (("Patient:", patient.printed_upper), ("DOB:", us(patient.dob))),
            (("MRN:", patient.mrn), ("Sex:", patient.sex)),
        )
        + (
            (
                (("Member ID:", patient.member_id), ("Group #:", patient.group or "N/A")),
                (("Insurance:", patient.payer),),
            )
            if insurance
            else ()
        )
        + ((("Account #:", patient.account), ("Patient Phone:", patient.phone)),)
        + extra_rows,
        sections=(
            Section("Exam Requested", rows=exams + (("Priority", priority),)),
            Section("Diagnosis (ICD-10-CM)", rows=diagnoses),
            Section("Clinical Indication", paragraphs=(indication,)),
            Section("Ordering Provider", rows=tuple(rows)),
            Section("Performing Facility", rows=tuple(facility_rows)),
        ),
        signature=(f"Electronically signed by {provider.name} on {us(d)} 16:05",),
        continuation=f"{patient.printed_upper}   DOB {us(patient.dob)}   MRN {patient.mrn}",
        font=font,
        size=size,
    )
    fields = _identity_fields(patient, d, member_id=insurance) | truth
    return Labelled(doc, "order", d, fields, facts or {}, decoys)


def note(
    *,
    title: str,
    practice: Practice,
    patient: Patient,
    d: date,
    provider: Provider,
    visit: str,
    sections: tuple[Section, ...],
    truth: dict[str, list[Any]],
    facts: dict[str, list[dict[str, Any]]],
    decoys: tuple[str, ...] = (),
    show_member_id: bool = False,
    font: str = "Times",
    size: float = 11,
) -> Labelled:
    """A visit note: patient block, SOAP-style sections, signature with the provider's NPI."""
    rows: list[tuple[tuple[str, str], ...]] = [
        (
            ("Patient:", f"{patient.first} {patient.middle + '. ' if patient.middle else ''}{patient.last}"),
            ("DOB:", us(patient.dob)),
        ),
        (("MRN:", patient.mrn), ("Account #:", patient.account)),
        (("Provider:", provider.name), ("Visit Type:", visit)),
    ]
    if show_member_id:
        rows.append((("Member ID:", patient.member_id), ("Group #:", patient.group or "N/A")))
        rows.append((("Insurance:", patient.payer),))
    doc = Document(
        title=title,
        practice=practice,
        date_line=f"Date of Service: {us(d)}",
        patient_rows=tuple(rows),
        sections=sections,
        signature=(f"Electronically signed by {provider.name}   NPI {provider.npi}   {us(d)} 17:42",),
        continuation=f"{patient.name_truth}   DOB {us(patient.dob)}   MRN {patient.mrn}",
        font=font,
        size=size,
    )
    fields = _identity_fields(patient, d, member_id=show_member_id) | {"date_of_service": [d.isoformat()]} | truth
    return Labelled(doc, "progress_note", d, fields, facts, decoys)


def fact(value: Any, assertion: str = "present", **attrs: Any) -> dict[str, Any]:
    return {"value": value, **attrs, "assertion": assertion}


def weeks(n: float, assertion: str = "present") -> dict[str, Any]:
    return fact(float(n), assertion, unit="weeks")


def therapy(kind: str, *, duration_weeks: float | None, outcome: str, assertion: str = "present") -> dict[str, Any]:
    return fact(kind, assertion, duration_weeks=duration_weeks, outcome=outcome)


def icd(code: str, assertion: str = "present") -> dict[str, str]:
    return {"code": code, "assertion": assertion}


# Requirement ids of COMMON.md. The two "any of" branches are listed too, after their parent;
# only the parent decides the case status.
MRI_LUMBAR_REQUIREMENTS = (
    "common.member-id",
    "common.ordering-npi",
    "imaging.order",
    "imaging.clinical-note-60d",
    "mri-lumbar.diagnosis",
    "mri-lumbar.conservative-care-or-red-flag",
    "mri-lumbar.conservative-care-6w",
    "mri-lumbar.red-flag",
    "common.same-patient",
)
PSG_BRANCHES = ("sleep.psg-comorbidity", "sleep.psg-non-osa-disorder", "sleep.psg-reason-stated", "sleep.psg-prior-hsat")
ANY_OF_BRANCHES = frozenset({"mri-lumbar.conservative-care-6w", "mri-lumbar.red-flag", *PSG_BRANCHES})
SLEEP_STUDY_REQUIREMENTS = (
    "common.member-id",
    "common.ordering-npi",
    "sleep.order",
    "sleep.evaluation-note",
    "sleep.epworth",
    "sleep.bmi",
    "sleep.diagnosis",
    "common.same-patient",
)
# In-lab polysomnography (95810, 95811) also needs a reason a home test won't do.
# The prior-home-test branch is a review when no document mentions one: a person reads the note
# for a reason the catalog's lists do not name.
PSG_REQUIREMENTS = (*SLEEP_STUDY_REQUIREMENTS, "sleep.psg-indication", *PSG_BRANCHES)

# Requirement ids of the other service families (cases_families*.py), as the checker reports
# them for the case's request: the top-level ids, each group followed by its children (depth
# first), and the ids an overlay adds for that plan type. Requirements scoped to other codes or
# to the other episode are left out, since the checker does not report them.
TKA_REQUIREMENTS = (
    "common.member-id",
    "common.ordering-npi",
    "tka.order",
    "tka.exam-note-60d",
    "tka.diagnosis",
    "tka.imaging",
    "tka.kl-grade",
    "tka.radiographic-findings",
    "tka.joint-space-narrowing",
    "tka.osteophytes",
    "tka.sclerosis-or-cysts",
    "tka.subluxation",
    "tka.functional-limitation",
    "tka.conservative-care",
    "tka.no-infection",
    "tka.medical-clearance",
    "common.same-patient",
)
# Coronary angiography codes (93454-93461): the ischemia work-up applies.
CATH_CORONARY_REQUIREMENTS = (
    "common.member-id",
    "common.ordering-npi",
    "cath.order",
    "cath.clinical-note-60d",
    "cath.diagnosis",
    "cath.ecg-echo",
    "cath.ejection-fraction",
    "cath.ecg-echo-report",
    "cath.ischemia-indication",
    "cath.stable-ischemia",
    "cath.stress-test",
    "cath.medical-therapy",
    "cath.acute-coronary-syndrome",
    "cath.reduced-ef",
    "common.same-patient",
)
# The order on file from the initial request stands: no order or NPI is asked again.
CPAP_CONTINUATION_REQUIREMENTS = (
    "common.member-id",
    "cpap.diagnosis",
    "cpap.reevaluation",
    "cpap.adherence",
    "common.same-patient",
)
ADALIMUMAB_INITIAL_REQUIREMENTS = (
    "common.member-id",
    "common.ordering-npi",
    "common.current-note",
    "adalimumab.order",
    "adalimumab.diagnosis",
    "adalimumab.disease-activity",
    "adalimumab.csdmard-trial",
    "adalimumab.csdmard-failed-3m",
    "adalimumab.csdmard-intolerant",
    "adalimumab.tb-negative",
    "common.same-patient",
)
PEMBROLIZUMAB_INITIAL_REQUIREMENTS = (
    "common.member-id",
    "common.ordering-npi",
    "common.diagnosis-coded",
    "common.current-note",
    "pembro.order",
    "pembro.no-prior-pd1",
    "pembro.indication",
    "pembro.labeled-cancer",
    "pembro.tumor-agnostic",
    "pembro.solid-tumor",
    "pembro.agnostic-biomarker",
    "pembro.agnostic-msi-h",
    "pembro.agnostic-dmmr",
    "pembro.agnostic-tmb-h",
    "pembro.stage",
    "pembro.biomarker",
    "pembro.pd-l1",
    "pembro.msi-h",
    "pembro.dmmr",
    "pembro.tmb-h",
    "pembro.biomarker-free-indication",
    "common.same-patient",
)
# Medicare fee-for-service hospital outpatient PA adds the date of service and the facility NPI.
MEDICARE_OPD_ADDED = ("medicare-opd.date-of-service", "medicare-opd.facility-npi")
# A first diagnostic facet block or medial branch block (64490-64495, episode initial).
FACET_MEDICARE_OPD_REQUIREMENTS = (
    "common.member-id",
    "common.ordering-npi",
    "common.current-note",
    "facet.order",
    "facet.clinical-note",
    "facet.diagnosis",
    "facet.baseline-pain",
    "facet.baseline-function",
    "facet.pain-3-months",
    "facet.conservative-care",
    "common.same-patient",
    *MEDICARE_OPD_ADDED,
)
BLEPHAROPLASTY_MEDICARE_OPD_REQUIREMENTS = (
    "common.member-id",
    "common.ordering-npi",
    "common.current-note",
    "bleph.order",
    "bleph.complaints-adl",
    "bleph.lid-exam",
    "bleph.field-or-mrd1",
    "bleph.visual-field",
    "bleph.mrd1",
    "bleph.photos",
    "bleph.signed-note",
    "bleph.diagnosis",
    "common.same-patient",
    *MEDICARE_OPD_ADDED,
)
POWER_MOBILITY_REQUIREMENTS = (
    "common.member-id",
    "common.ordering-npi",
    "common.diagnosis-coded",
    "pmd.order",
    "pmd.f2f-exam",
    "pmd.mradl-limitation",
    "pmd.lesser-devices",
    "pmd.home-access",
    "pmd.safe-operation",
    "pmd.specialty-evaluation",
    "pmd.wopd",
    "common.same-patient",
)
# Commercial and Medicaid plans: the overlay replaces BMI 35 and the comorbidity with its own
# BMI rule and adds the supervised program, the visits and the two evaluations.
BARIATRIC_COMMERCIAL_REQUIREMENTS = (
    "common.member-id",
    "common.ordering-npi",
    "common.current-note",
    "bariatric.order",
    "bariatric.obesity-diagnosis",
    "bariatric.prior-medical-treatment",
    "bariatric.weight-loss-program",
    "bariatric.weight-loss-medication",
    "common.same-patient",
    "commercial-medicaid.bariatric-bmi",
    "commercial-medicaid.bariatric-bmi-40",
    "commercial-medicaid.bariatric-bmi-35-comorbidity",
    "commercial-medicaid.bariatric-bmi-35",
    "commercial-medicaid.bariatric-comorbidity",
    "commercial-medicaid.bariatric-supervised-6m",
    "commercial-medicaid.bariatric-program-visits",
    "commercial-medicaid.bariatric-psych-eval",
    "commercial-medicaid.bariatric-nutrition-eval",
)
# The ids above that are a group's children (at any depth): their group's status is the
# result; a child that is missing or in review does not decide the case by itself.
FAMILY_GROUP_CHILDREN = frozenset(
    {
        "tka.kl-grade",
        "tka.radiographic-findings",
        "tka.joint-space-narrowing",
        "tka.osteophytes",
        "tka.sclerosis-or-cysts",
        "tka.subluxation",
        "cath.ejection-fraction",
        "cath.ecg-echo-report",
        "cath.stable-ischemia",
        "cath.stress-test",
        "cath.medical-therapy",
        "cath.acute-coronary-syndrome",
        "cath.reduced-ef",
        "adalimumab.csdmard-failed-3m",
        "adalimumab.csdmard-intolerant",
        "pembro.labeled-cancer",
        "pembro.tumor-agnostic",
        "pembro.solid-tumor",
        "pembro.agnostic-biomarker",
        "pembro.agnostic-msi-h",
        "pembro.agnostic-dmmr",
        "pembro.agnostic-tmb-h",
        "pembro.pd-l1",
        "pembro.msi-h",
        "pembro.dmmr",
        "pembro.tmb-h",
        "pembro.biomarker-free-indication",
        "bleph.visual-field",
        "bleph.mrd1",
        "bariatric.weight-loss-program",
        "bariatric.weight-loss-medication",
        "commercial-medicaid.bariatric-bmi-40",
        "commercial-medicaid.bariatric-bmi-35-comorbidity",
        "commercial-medicaid.bariatric-bmi-35",
        "commercial-medicaid.bariatric-comorbidity",
    }
)


# The cases of cases_families_more.py, as the checker reports them for their requests.
# A commercial plan: the commercial overlay adds the 3-month stocking trial (and sets the duplex
# report's window to 6 months); the Medicare OPD date of service and facility NPI do not apply.
VEIN_ABLATION_COMMERCIAL_REQUIREMENTS = (
    "common.member-id",
    "common.ordering-npi",
    "common.current-note",
    "vein.order",
    "vein.symptomatic-hp",
    "vein.duplex-report",
    "vein.reflux",
    "vein.ceap",
    "vein.conservative-2x6w",
    "vein.adl-impact",
    "vein.diagnosis",
    "common.same-patient",
    "commercial.vein-stockings-3m",
)
# A request flagged out_of_network adds the referral and the reason after the service's own.
MRI_LUMBAR_OUT_OF_NETWORK_REQUIREMENTS = (*MRI_LUMBAR_REQUIREMENTS, "oon.referral", "oon.reason")
# Requested by name (service_codes ["inpatient_admission"]): no code, so no order_names_service.
INPATIENT_ADMISSION_REQUIREMENTS = (
    "common.member-id",
    "common.ordering-npi",
    "common.diagnosis-coded",
    "inpatient.order",
    "inpatient.certification",
    "inpatient.history-physical",
    "common.same-patient",
)
# Washington Apple Health fee-for-service (HCA, ProviderOne): the HCA 13-835 form as page 1.
MRI_LUMBAR_WA_APPLE_HEALTH_FFS_REQUIREMENTS = (*MRI_LUMBAR_REQUIREMENTS, "wa-apple-health-ffs.first-form")
PET_REQUIREMENTS = (
    "common.member-id",
    "common.ordering-npi",
    "common.diagnosis-coded",
    "pet.order",
    "pet.clinical-note-60d",
    "pet.cancer-indication",
    "pet.cancer-diagnosis",
    "pet.suspected-cancer",
    "pet.suspected-diagnosis",
    "pet.prior-imaging",
    "common.same-patient",
)
# The group children among the ids above (FAMILY_GROUP_CHILDREN and ANY_OF_BRANCHES hold the
# others').
PET_GROUP_CHILDREN = frozenset({"pet.cancer-diagnosis", "pet.suspected-cancer", "pet.suspected-diagnosis", "pet.prior-imaging"})


# The children of the catalog's groups that the truth files list: a missing child (the other
# branch of an "any of") does not decide the case; only top-level requirements do.
GROUP_CHILDREN = ANY_OF_BRANCHES | FAMILY_GROUP_CHILDREN | PET_GROUP_CHILDREN


def expect(ids: tuple[str, ...], *, missing: tuple[str, ...] = (), review: tuple[str, ...] = ()) -> dict[str, Any]:
    unknown = (set(missing) | set(review)) - set(ids)
    if unknown:
        raise ValueError(f"not a requirement of this service: {sorted(unknown)}")
    requirements = {i: ("missing" if i in missing else "review" if i in review else "met") for i in ids}
    decisive = [i for i in (*missing, *review) if i not in GROUP_CHILDREN]
    return {"status": "incomplete" if decisive else "complete", "requirements": requirements}
