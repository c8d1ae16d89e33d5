"""Load and validate the extraction rule files in extractors/data/.

Each YAML file has a pydantic model with extra="forbid": an unknown or misspelt key, a wrong
type or a regular expression that does not compile is a CatalogError naming the file and the
key, raised when the file is first loaded (at import of the module that uses it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from extractors.errors import CatalogError

DATA_DIR = Path(__file__).parent / "data"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_regexes(patterns: list[str]) -> list[str]:
    for p in patterns:
        try:
            re.compile(p)
        except re.error as exc:
            raise ValueError(f"pattern {p!r} does not compile: {exc}") from exc
    return patterns


# --- labels.yaml ---------------------------------------------------------------------------
class LabelSet(_Strict):
    id: str
    emits: list[str]
    value: Literal["member_id", "group", "person_name", "dob", "date", "payer", "none"]
    certainty: float
    labels: list[str]
    standalone: list[str] = []
    bare_ok: list[str] = []


class LabelRules(_Strict):
    label_sets: list[LabelSet]
    stop_labels: list[str]
    empty_values: list[str]
    known_payers: list[str]


# --- codes.yaml ----------------------------------------------------------------------------
class NpiRules(_Strict):
    label_regex: str
    max_label_distance: int
    role_lines_above: int
    roles: dict[Literal["ordering", "rendering", "facility", "signer"], list[str]]

    _re = field_validator("label_regex")(lambda v: _check_regexes([v])[0])


class TaxIdRules(_Strict):
    labels: list[str]
    max_label_distance: int


class ProcedureRules(_Strict):
    labels: list[str]
    table_headers: list[str]
    table_max_rows: int
    decoy_labels: list[str]
    description_words: list[str]
    description_distance: int
    unit_words: list[str]
    modifiers: list[str]
    hcpcs_letters: str


class DiagnosisRules(_Strict):
    labels: list[str]


class CodeRules(_Strict):
    npi: NpiRules
    tax_id: TaxIdRules
    procedure: ProcedureRules
    diagnosis: DiagnosisRules


# --- context.yaml --------------------------------------------------------------------------
Assertion = Literal["present", "negated", "historical", "hypothetical"]


class SectionRule(_Strict):
    category: Assertion
    names: list[str]
    diagnosis: bool = False


class CueRule(_Strict):
    literal: str
    category: Literal["negated", "historical", "hypothetical", "pseudo"]
    direction: Literal["forward", "backward", "both"] = "forward"
    max_words: int = 8
    targets: list[str] = []


class ContextRules(_Strict):
    sections: list[SectionRule]
    cues: list[CueRule]
    terminators: list[str]


# --- facts.yaml ----------------------------------------------------------------------------
def _check_terms(terms: list[str]) -> list[str]:
    from extractors.fact_terms import TermSyntaxError, expand

    for t in terms:
        try:
            expand(t)
        except TermSyntaxError as exc:
            raise ValueError(str(exc)) from exc
    return terms


def _check_term_patterns(patterns: list[str]) -> list[str]:
    # The matcher tells its patterns apart by group names of its own.
    for p in _check_regexes(patterns):
        if "(?P<" in p:
            raise ValueError(f"pattern {p!r}: named groups are not allowed here")
    return patterns


def _check_lower(patterns: list[str]) -> list[str]:
    # These are matched on lower-cased text: an upper-case letter would never match.
    for p in patterns:
        if any(ch.isupper() for ch in re.sub(r"\\.", "", p)):
            raise ValueError(f"pattern {p!r} is matched on lower-cased text: write it in lower case")
    return patterns


def _with_groups(*names: str) -> Callable[[str], str]:
    """A validator: the regex compiles and has the named groups the code reads."""

    def check(v: str) -> str:
        missing = [n for n in names if f"(?P<{n}>" not in _check_regexes([v])[0]]
        if missing:
            raise ValueError(f"pattern {v!r} needs a (?P<{missing[0]}>...) group")
        return v

    return check


class TermRule(_Strict):
    """Names of one thing: phrases (term syntax, see facts.yaml) and, where a phrase is not
    enough, regular expressions."""

    terms: list[str] = []
    case_sensitive_terms: list[str] = []
    patterns: list[str] = []
    case_sensitive_patterns: list[str] = []
    historical_is_present: bool = False

    _t = field_validator("terms", "case_sensitive_terms")(_check_terms)
    _re = field_validator("patterns")(lambda v: _check_lower(_check_term_patterns(v)))
    _re_cs = field_validator("case_sensitive_patterns")(_check_term_patterns)


class MedicationClass(_Strict):
    therapy: str | None = None  # the conservative_therapy a trial of this class also is
    terms: list[str] = []  # names of the class itself ("NSAIDs")
    drugs: dict[str, list[str]] = {}  # generic name -> brand names and synonyms
    case_sensitive_drugs: dict[str, str] = {}  # abbreviation -> generic name ("MTX")

    _t = field_validator("terms")(_check_terms)
    _d = field_validator("drugs")(lambda v: {k: _check_terms(t) for k, t in v.items()})


class MeasureAnchor(_Strict):
    terms: list[str] = []
    case_sensitive_terms: list[str] = []
    value: str | None = None  # overrides the measure's value pattern after this anchor

    _t = field_validator("terms", "case_sensitive_terms")(_check_terms)


MeasureName = Literal[
    "epworth", "bmi", "ahi", "rdi", "hba1c", "ejection_fraction", "oxygen_nadir", "pain_score", "function_score"
]


class MeasureRule(_Strict):
    unit: str
    min: float
    max: float
    integer: bool = False
    anchors: dict[str, MeasureAnchor]
    anchor_attribute: str | None = None  # the attribute that records which anchor was found
    value: str  # regex (with {snippets}) matched right after an anchor
    before: str | None = None  # regex matched just before an anchor, ending where it starts
    scale_to: float | None = None  # with a denominator: value = num / den * scale_to
    convert: dict[str, tuple[float, float]] = {}  # unit -> (factor, offset) to the measure's unit


TbResult = Literal["positive", "negative", "indeterminate"]


class TbTestRule(_Strict):
    terms: list[str] = []
    case_sensitive_terms: list[str] = []
    requires: str | None = None  # regex the text after the name must contain

    _t = field_validator("terms", "case_sensitive_terms")(_check_terms)
    _re = field_validator("requires")(lambda v: v if v is None else _check_regexes([v])[0])


class TbRules(_Strict):
    tests: dict[str, TbTestRule]
    max_chars: int
    results: dict[TbResult, list[str]]
    before: str
    induration: str

    _t = field_validator("results")(lambda v: {k: _check_terms(t) for k, t in v.items()})
    _before = field_validator("before")(_with_groups("res"))
    _mm = field_validator("induration")(_with_groups("mm"))


class PdL1Rules(_Strict):
    anchors: TermRule
    max_chars: int
    clones: str
    number: str
    scales: dict[str, list[str]]
    results: dict[str, list[str]]

    _re = field_validator("clones")(lambda v: _check_regexes([v])[0])
    _number = field_validator("number")(_with_groups("num", "num2", "cmp"))


class MarkerRule(_Strict):
    terms: list[str] = []
    case_sensitive_terms: list[str] = []
    implied: dict[str, str] = {}  # a name that carries its result ("MSI-H": high)

    _t = field_validator("terms", "case_sensitive_terms")(_check_terms)


class BiomarkerRules(_Strict):
    markers: dict[str, MarkerRule]
    max_chars: int
    results: dict[str, list[str]]
    before: str
    absent_before: str
    absent_after: str
    variant: str
    ihc_scores: dict[str, str]
    tmb_high_from: float

    _re = field_validator("absent_before", "absent_after", "variant")(lambda v: _check_regexes([v])[0])
    _before = field_validator("before")(_with_groups("res"))


_SNIPPET = re.compile(r"\{([a-z_]+)\}")


def fill_snippets(pattern: str, snippets: dict[str, str]) -> str:
    """Insert {name} snippets; other braces ({0,30}) are regex syntax and stay."""
    return _SNIPPET.sub(lambda m: snippets.get(m.group(1), m.group(0)), pattern)


class FactRules(_Strict):
    """The base of facts.yaml's schema; extractors/fact_schema.py extends it with the fact kinds
    of every service family and loads the file (`fact_schema.fact_rules()`)."""

    therapies: dict[str, TermRule]
    ignore_terms: list[str] = []
    case_sensitive_ignore_terms: list[str] = []
    medication_classes: dict[str, MedicationClass]
    outcomes: dict[Literal["intolerant", "failed", "improved"], list[str]]
    trial_words: list[str]
    clause_split: str
    number_words: dict[str, float]
    unit_weeks: dict[str, float]
    symptom_words: list[str]
    max_attach_chars: int
    red_flags: dict[str, TermRule]
    snippets: dict[str, str]
    goal_words: str
    goal_words_before_chars: int
    goal_after: str
    measures: dict[MeasureName, MeasureRule]
    tb_test: TbRules
    pd_l1: PdL1Rules
    biomarkers: BiomarkerRules
    date_max_gap: int
    date_range_joiner: str

    _re = field_validator("outcomes")(lambda v: {k: _check_lower(_check_regexes(p)) for k, p in v.items()})
    _t = field_validator("ignore_terms", "case_sensitive_ignore_terms")(_check_terms)
    _re2 = field_validator("trial_words")(lambda v: _check_lower(_check_regexes(v)))
    _re3 = field_validator("clause_split", "goal_words", "goal_after", "date_range_joiner")(lambda v: _check_regexes([v])[0])

    @model_validator(mode="after")
    def _check_cross_references(self) -> FactRules:
        for name, m in self.measures.items():
            patterns = [m.value, *(a.value for a in m.anchors.values() if a.value)]
            for p in patterns:
                filled = fill_snippets(p, self.snippets)
                if "(?P<num>" not in filled:
                    raise ValueError(f"measures.{name}: value pattern has no (?P<num>...) group")
                _check_regexes([filled])
            if m.before:
                _check_regexes([fill_snippets(m.before, self.snippets)])
        for name, marker in self.biomarkers.markers.items():
            bad = sorted(set(marker.implied.values()) - set(self.biomarkers.results))
            if bad:
                raise ValueError(f"biomarkers.markers.{name}: unknown implied result {bad[0]!r}")
        return self


# --- doc_types.yaml ------------------------------------------------------------------------
class DocTypeRule(_Strict):
    pattern: str
    weight: float
    title_only: bool = False

    _re = field_validator("pattern")(lambda v: _check_regexes([v])[0])


class DocTypeRules(_Strict):
    title_lines: int
    title_boost: float
    min_score: float
    types: dict[str, list[DocTypeRule]]


class MemberIdFormat(_Strict):
    id: str
    label: str
    shape: str
    source: str
    state: str | None = None


class MemberIdFormats(_Strict):
    formats: list[MemberIdFormat]


class Coding(_Strict):
    code: str
    display: str


class AttachmentCode(_Strict):
    loinc: Coding
    pwk01: Coding
    fit: Literal["exact", "generic"]


class AttachmentCodes(_Strict):
    types: dict[str, AttachmentCode]


M = TypeVar("M", bound=BaseModel)


def load_rules(file_name: str, model: type[M], *, data_dir: Path = DATA_DIR) -> M:
    """Parse and validate one rule file; any problem is a CatalogError naming file and key."""
    path = data_dir / file_name
    try:
        # libyaml's loader when present: the rule files are read at every process start.
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogError(f"{file_name}: cannot be read as YAML ({type(exc).__name__})") from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"]) or "(top level)"
        kind = "unknown key" if first["type"] == "extra_forbidden" else first["msg"]
        raise CatalogError(f"{file_name}: {kind} at '{key}'") from exc


@cache
def label_rules() -> LabelRules:
    return load_rules("labels.yaml", LabelRules)


@cache
def code_rules() -> CodeRules:
    return load_rules("codes.yaml", CodeRules)


@cache
def context_rules() -> ContextRules:
    return load_rules("context.yaml", ContextRules)


@cache
def member_id_formats() -> MemberIdFormats:
    return load_rules("member_ids.yaml", MemberIdFormats)


@cache
def attachment_codes() -> AttachmentCodes:
    """LOINC and X12 PWK01 codes per document type: every type has one."""
    codes = load_rules("attachment_codes.yaml", AttachmentCodes)
    from extractors.models import DOC_TYPES

    missing = sorted(set(DOC_TYPES) - set(codes.types))
    extra = sorted(set(codes.types) - set(DOC_TYPES))
    if missing or extra:
        raise CatalogError(f"attachment_codes.yaml: {'no entry for' if missing else 'unknown type'} '{(missing or extra)[0]}'")
    return codes


@cache
def doc_type_rules() -> DocTypeRules:
    rules = load_rules("doc_types.yaml", DocTypeRules)
    from extractors.models import DOC_TYPES

    unknown = sorted(set(rules.types) - set(DOC_TYPES))
    if unknown:
        raise CatalogError(f"doc_types.yaml: unknown document type at 'types.{unknown[0]}'")
    return rules
