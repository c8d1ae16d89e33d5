"""Load and validate the extraction rule files in extractors/data/.

Each YAML file has a pydantic model with extra="forbid": an unknown or misspelt key, a wrong
type or a regular expression that does not compile is a CatalogError naming the file and the
key, raised when the file is first loaded (at import of the module that uses it).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

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
    roles: dict[Literal["ordering", "rendering", "facility"], list[str]]

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
class PatternRule(_Strict):
    patterns: list[str]
    case_sensitive_patterns: list[str] = []
    historical_is_present: bool = False

    _re = field_validator("patterns", "case_sensitive_patterns")(_check_regexes)


class MeasureRule(_Strict):
    patterns: list[str]
    min: float
    max: float
    integer: bool = False

    _re = field_validator("patterns")(_check_regexes)


class FactRules(_Strict):
    therapies: dict[str, PatternRule]
    outcomes: dict[Literal["failed", "improved"], list[str]]
    number_words: dict[str, float]
    unit_weeks: dict[str, float]
    symptom_words: list[str]
    max_attach_chars: int
    red_flags: dict[str, PatternRule]
    measures: dict[Literal["epworth", "bmi", "ahi"], MeasureRule]

    _re = field_validator("outcomes")(lambda v: {k: _check_regexes(p) for k, p in v.items()})


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
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
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
def fact_rules() -> FactRules:
    return load_rules("facts.yaml", FactRules)


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
