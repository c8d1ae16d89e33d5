"""What a documentation requirement is: one pydantic model per kind (document, field,
diagnosis, fact, order, consistency, groups), with the vocabulary they may name (doc types,
fields, facts) checked at load time. packet_builder/catalog.py reads them from the data files;
the checker evaluates them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator, model_validator

from extractors.models import DOC_TYPES, FIELD_NAMES

# The clinical facts extractors report (COMMON contract); a typo in a data file is caught here.
FACT_NAMES: tuple[str, ...] = (
    "symptom_duration",
    "conservative_therapy",
    "red_flag",
    "epworth",
    "bmi",
    "ahi",
    "rdi",
    "oxygen_nadir",
    "hba1c",
    "ejection_fraction",
    "tb_test",
    "pd_l1",
    "biomarker",
    "pain_score",
    "function_score",
    "failed_medication",
    # Added with the catalog of every service family (extractors/data/facts.yaml documents them).
    "kl_grade",
    "ceap_class",
    "venous_reflux",
    "headache_days",
    "visual_field",
    "mrd1",
    "cotinine",
    "pain_relief",
    "cpap_adherence",
    "therapy_visits",
    "stress_test",
    "evaluation",
    "functional_limitation",
    "mechanical_symptoms",
    "signature",
    "therapy_start",
    "visit_reported",
    "psg_reason",
)


def _known_fact(v: str) -> str:
    if v not in FACT_NAMES:
        raise ValueError(f"unknown fact {v!r}; known: {list(FACT_NAMES)}")
    return v


# A fact name of the extractors' contract, checked where the data file names it.
FactName = Annotated[str, AfterValidator(_known_fact)]
# Values a coordinator enters on the case rather than reads off a page (ServiceRequest).
REQUEST_FIELDS: tuple[str, ...] = ("place_of_service", "units", "date_of_service")
EPISODES: tuple[str, ...] = ("initial", "continuation")
PlanType = Literal["commercial", "medicare", "medicare_advantage", "medicaid", "medicaid_managed_care"]
ASSERTIONS: tuple[str, ...] = ("present", "negated", "historical", "hypothetical")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _RequirementBase(_Strict):
    id: str = Field(pattern=r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$")
    label: str
    missing_message: str  # what document or fact to add: shown to staff as-is
    source: str  # citation (see shared/reference/documentation-requirements.md)
    effective: date
    # Scope: the requirement applies only when one of `codes` is requested (a permanent
    # stimulator, not its trial) and/or for one `episode` (initial request or continuation).
    codes: tuple[str, ...] = ()
    episode: Literal["initial", "continuation"] | None = None
    # A rule of some plan types only (JW/JZ is Medicare Part B's single-dose-vial rule).
    plan_types: tuple[PlanType, ...] = ()
    # What a person must confirm when the documents meet it: a `met` becomes a `review` with
    # this text (a criterion the documents alone cannot settle).
    confirm: str | None = None
    # Out of its `episode`, the requirement still applies when the documents state this fact
    # ("pain_relief", or with one attribute: "pain_relief.after=block"): a second diagnostic
    # block asked for as a new request shows the first block's relief.
    episode_shown_by: str | None = None

    @field_validator("episode_shown_by")
    @classmethod
    def _shown_fact(cls, v: str | None) -> str | None:
        if v is not None:
            _known_fact(v.split(".", 1)[0])
        return v

    def applies(self, requested: Iterable[str], episode: str, plan_type: str | None = None, *, shown: Iterable[str] = ()) -> bool:
        if self.episode is not None and self.episode != episode and self.episode_shown_by not in set(shown):
            return False
        if self.plan_types and plan_type not in self.plan_types:
            return False
        return not self.codes or any(c in self.codes for c in requested)


class DocumentRequirement(_RequirementBase):
    """A document of one of `doc_types`, optionally dated within `within_days` before the
    request date (document_date, else date_of_service). `text_any`: words of which at least
    one must appear in the document (e.g. a *sleep* evaluation), else the note needs review."""

    kind: Literal["document"]
    doc_types: tuple[str, ...] = Field(min_length=1)
    within_days: int | None = Field(default=None, ge=1)
    # The date the window ends on: the request date, or the anticipated date of service
    # (falls back to the request date when the case has none).
    relative_to: Literal["request_date", "service_date"] = "request_date"
    # What a document older than the window makes of it: `missing` where the policy states the
    # window, `review` where the window is this catalog's convention for "current".
    when_old: Literal["missing", "review"] = "missing"
    text_any: tuple[str, ...] = ()
    # Words whose negated mention meets `text_any` too: a finding documented as absent ("no
    # erythema, warmth or drainage; no evidence of infection", "infection ruled out").
    absence_any: tuple[str, ...] = ()
    # Words of which one must be in the document's title lines (its first lines): what the
    # document is, not what it mentions ("continue per plan of care" in a daily note is no
    # plan of care). Not there -> review.
    title_any: tuple[str, ...] = ()
    # The document must say it is signed (a `signature` fact); none found -> review.
    signed: bool = False
    # Ordering against other evidence: dated on or before the date of a fact (the sleep test's
    # AHI), or on/after the document that met another requirement, within `days`.
    precedes_fact: str | None = None
    follows: Follows | None = None
    # Dated within a window after a dated fact (the CPAP re-evaluation on day 31-91 after the
    # start of therapy); when no such fact was read, the window is not checked.
    after_fact: AfterFact | None = None
    min_count: int = Field(default=1, ge=1)  # qualifying documents needed (e.g. 3 supervised visits)
    # Documents of other types that count when they report the visit (a letter saying when the
    # patient was examined), dated by that visit.
    reported_in: ReportedIn | None = None

    @field_validator("doc_types")
    @classmethod
    def _known_doc_types(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        return _doc_types(v)


def _doc_types(v: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [t for t in v if t not in DOC_TYPES]
    if unknown:
        raise ValueError(f"unknown doc_types {unknown}; known: {list(DOC_TYPES)}")
    return v


class ReportedIn(_Strict):
    """Other document types that report the event a `document` requirement wants (`fact`, a
    dated fact such as visit_reported), dated by the fact. `status`: what such a report makes
    of the requirement when it is recent enough (`review`: a letter that reports the visit is
    not the visit's record, and payers differ on taking it)."""

    doc_types: tuple[str, ...] = Field(min_length=1)
    fact: FactName
    status: Literal["met", "review"] = "review"

    _types = field_validator("doc_types")(lambda v: _doc_types(v))


class Follows(_Strict):
    requirement: str
    within_days: int = Field(ge=1)


class AfterFact(_Strict):
    fact: FactName
    min_days: int = Field(ge=0)
    max_days: int = Field(ge=1)


class FieldRequirement(_RequirementBase):
    """An extracted field with a value. `valid: true` needs the extractor's `valid` attribute
    (NPI check digit); `preferred_role`: a value with another explicit role needs review.
    `match_request`: when the request carries the same field (member_id), a document value
    must agree with it."""

    kind: Literal["field"]
    field: str
    valid: bool = False
    preferred_role: Literal["ordering", "rendering", "facility"] | None = None
    match_request: bool = False
    # Met by the value entered on the case too (place of service, units, date of service).
    or_request: bool = False

    @field_validator("field")
    @classmethod
    def _known_field(cls, v: str) -> str:
        if v not in FIELD_NAMES and v not in REQUEST_FIELDS:
            raise ValueError(f"unknown field {v!r}; known: {list(FIELD_NAMES) + list(REQUEST_FIELDS)}")
        return v


class DiagnosisRequirement(_RequirementBase):
    """A present-assertion ICD-10-CM code starting with one of `icd10_prefixes` (dots ignored)."""

    kind: Literal["diagnosis"]
    icd10_prefixes: tuple[str, ...] = ()
    # Any current diagnosis will do (therapy treats almost anything; its plan of care must
    # still name what it treats).
    any_code: bool = False
    # Assertions that count: a sleep study is ordered for *suspected* apnea.
    assertions: tuple[Literal["present", "hypothetical", "historical"], ...] = ("present",)
    # Codes that argue against the service (Z41.1 cosmetic surgery): present -> review.
    exclude_prefixes: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _prefixes_or_any(self) -> DiagnosisRequirement:
        if bool(self.icd10_prefixes) == self.any_code:
            raise ValueError("give icd10_prefixes, or any_code: true (not both)")
        return self

    @field_validator("icd10_prefixes", "exclude_prefixes")
    @classmethod
    def _prefix_shape(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for p in v:
            if not (len(p.replace(".", "")) >= 3 and p[0].isalpha() and p[1].isdigit()):
                raise ValueError(f"icd10 prefix {p!r} is not the start of an ICD-10-CM code")
        return v


class FactRequirement(_RequirementBase):
    """A clinical fact with assertion present. `values`: allowed values; `min`/`max`: numeric
    bounds on the value; `min_duration_weeks`: the fact's `duration_weeks` attribute, or the
    value of a present fact named in `duration_facts`, must reach it. `review_when`: attribute
    values that make an otherwise matching fact need a person's review (e.g. outcome improved)."""

    kind: Literal["fact"]
    fact: FactName
    values: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    min_duration_weeks: float | None = Field(default=None, gt=0)
    duration_facts: tuple[str, ...] = ()
    review_when: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    # Attribute filters: only facts whose attribute has one of the values count
    # (tb_test result negative; failed_medication drug_class csdmard, outcome failed).
    where: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    # The fact's own date (else its document's) within this many days before the request date.
    within_days: int | None = Field(default=None, ge=1)
    # Distinct values needed ("at least two conservative treatments").
    min_distinct: int = Field(default=1, ge=1)
    # Compare `max` against a range's upper end ("EF 30-35%" meets EF <= 35 only by its 35).
    compare: Literal["value", "range_high"] = "value"
    # The criterion is that the fact is NOT there ("no prior PD-1 inhibitor"): met when no
    # present or past fact matches; a match is a `review` (a person reads what it was for).
    absent: bool = False
    # A suspected finding meets it too (hypothetical: "narcolepsy suspected" is the reason for
    # the study that confirms it).
    suspected_counts: bool = False
    # The bounds apply to the current value, the latest dated one (a weight log's BMI 35.4 in
    # December is not the BMI at the evaluation): values of that date that disagree -> review.
    latest: bool = False

    @field_validator("duration_facts")
    @classmethod
    def _known_duration_facts(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [f for f in v if f not in FACT_NAMES]
        if unknown:
            raise ValueError(f"unknown duration_facts {unknown}")
        return v


class StandIn(_Strict):
    """Documents that are not orders but stand for one when they name a requested code: a PA
    request form (a benefit manager takes the ordering provider's request itself), a plan of
    care the physician certified (Medicare's certification is the order for therapy).
    `text_any`: words the document must state (the certification); `status`: what a stand-in
    makes of the requirement when no order is attached (`met` needs a valid NPI on it too)."""

    doc_types: tuple[str, ...] = Field(min_length=1)
    text_any: tuple[str, ...] = ()
    status: Literal["met", "review"] = "review"

    _types = field_validator("doc_types")(lambda v: _doc_types(v))


class ServiceWords(_Strict):
    """How an order names a service in words instead of codes ("PT eval and treat"): the words,
    and the codes and modifiers that say the request is for this service (a PT referral does
    not order occupational therapy)."""

    words: tuple[str, ...] = Field(min_length=1)
    codes: tuple[str, ...] = ()
    modifiers: tuple[str, ...] = ()


class OrderRequirement(_RequirementBase):
    """An order (or one of `doc_types`) whose cpt/hcpcs fields list one of the requested codes
    of this service."""

    kind: Literal["order_names_service"]
    doc_types: tuple[str, ...] = ("order",)
    # The listed code must carry one of these modifiers (JW/JZ on a single-dose drug).
    modifiers_any: tuple[str, ...] = ()
    # The listed code must state its units (drug units, therapy visits), here or on the case.
    units: bool = False
    stands_in: tuple[StandIn, ...] = ()
    # An order naming the requested service in words meets the requirement without codes.
    named_in_words: tuple[ServiceWords, ...] = ()


class GroupRequirement(_RequirementBase):
    """`any_of`: one child met; `all_of`: every child; `n_of`: at least `min_met` children."""

    kind: Literal["any_of", "all_of", "n_of"]
    requirements: tuple[RequirementEntry, ...] = Field(min_length=1)
    min_met: int | None = Field(default=None, ge=1)


class Include(_Strict):
    """A reference to a requirement of common.yaml; `episode` limits it to one episode (a
    DME rental's continuation relies on the order on file from the initial request)."""

    include: str
    episode: Literal["initial", "continuation"] | None = None


class ConsistencyRequirement(_RequirementBase):
    """The documents agree on who the patient is: each of `fields` compared across every
    pair of documents that state it (packet_builder/consistency.py)."""

    kind: Literal["consistency"]
    fields: tuple[Literal["member_id", "patient_name", "patient_dob"], ...] = ("member_id", "patient_name", "patient_dob")


def _entry_tag(v: Any) -> str:
    if isinstance(v, dict):
        if "include" in v and "kind" not in v:
            return "include"
        kind = v.get("kind", "")
    else:
        kind = getattr(v, "kind", "include")
    return "group" if kind in ("any_of", "all_of", "n_of") else str(kind)


Requirement = (
    DocumentRequirement
    | FieldRequirement
    | DiagnosisRequirement
    | FactRequirement
    | OrderRequirement
    | ConsistencyRequirement
    | GroupRequirement
)

RequirementEntry = Annotated[
    Annotated[DocumentRequirement, Tag("document")]
    | Annotated[FieldRequirement, Tag("field")]
    | Annotated[DiagnosisRequirement, Tag("diagnosis")]
    | Annotated[FactRequirement, Tag("fact")]
    | Annotated[OrderRequirement, Tag("order_names_service")]
    | Annotated[ConsistencyRequirement, Tag("consistency")]
    | Annotated[GroupRequirement, Tag("group")]
    | Annotated[Include, Tag("include")],
    Discriminator(
        _entry_tag,
        custom_error_type="unknown_kind",
        custom_error_message="unknown kind: use document, field, diagnosis, fact, order_names_service, "
        "consistency, any_of, all_of, n_of, or an include",
    ),
]
GroupRequirement.model_rebuild()
DocumentRequirement.model_rebuild()


def walk(requirements: Iterable[Requirement]) -> Iterator[Requirement]:
    """Every requirement, groups and their nested children, depth first."""
    for r in requirements:
        yield r
        if isinstance(r, GroupRequirement):
            yield from walk(r.requirements)  # type: ignore[arg-type]
