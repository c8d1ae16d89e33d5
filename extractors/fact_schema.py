"""The schema of data/facts.yaml: extractors.rules.FactRules (therapies, medications,
outcomes, durations, red flags, TB tests, PD-L1, biomarkers) extended with what the fact kinds
of every service family need (more measures and their attributes, stress tests, findings named
by a phrase, signatures). `fact_rules()` loads and validates the file for every fact module;
an unknown or misspelt key, a bad regex or term is a CatalogError naming the file and the key.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import Field, field_validator, model_validator

from extractors.rules import (
    FactRules,
    MeasureRule,
    MedicationClass,
    TermRule,
    _check_lower,
    _check_regexes,
    _check_terms,
    _Strict,
    fill_snippets,
    load_rules,
)

MeasureName = Literal[
    "epworth",
    "bmi",
    "ahi",
    "rdi",
    "hba1c",
    "ejection_fraction",
    "oxygen_nadir",
    "pain_score",
    "function_score",
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
]


class NearAttribute(_Strict):
    """An attribute read from words written near a fact ("right knee", "after the block"): the
    value whose pattern matches nearest to the fact, else `default` (no attribute when None).
    Patterns are matched on lower-cased text."""

    values: dict[str, list[str]]
    default: str | None = None
    before_chars: int = 40  # searched this far before the fact (within its sentence)
    after_chars: int = 40  # and this far after it
    prefer: Literal["nearest", "before", "after"] = "nearest"  # look on this side of the fact first

    _re = field_validator("values")(lambda v: {k: _check_lower(_check_regexes(p)) for k, p in v.items()})


class ServiceMeasureRule(MeasureRule):
    # The text of the `num` group, lower-cased, when it is not digits: roman numerals ("KL III").
    numerals: dict[str, float] = Field(default_factory=dict)
    # Results written as a word instead of a number ("cotinine negative"): result -> phrases.
    # A `word` group that matched is the value (and the `result` attribute); a `result` group
    # after a number is the `result` attribute.
    words: dict[str, list[str]] = Field(default_factory=dict)
    # Named groups of the value pattern kept as (number) attributes: group -> attribute.
    groups: dict[str, str] = Field(default_factory=dict)
    near: dict[str, NearAttribute] = Field(default_factory=dict)
    # Matched where the anchor starts, when the number was written before the anchor: "18"
    # before "headache days" counts only with "per month" after.
    before_check: str | None = None
    # The sentence must contain this (a regex, case-sensitive: write (?i:...) where case does
    # not matter): "12 visits" is a therapy visit count only in a sentence about therapy.
    sentence_requires: str | None = None

    _re = field_validator("before_check", "sentence_requires")(lambda v: v if v is None else _check_regexes([v])[0])
    _w = field_validator("words")(lambda v: {k: _check_terms(t) for k, t in v.items()})


class ServiceMedicationClass(MedicationClass):
    # Generic names that are not themselves names of the class: "triamcinolone" alone is most
    # often a joint injection, so only its listed nasal names ("Nasacort") count.
    names_only: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _names_only_are_drugs(self) -> ServiceMedicationClass:
        unknown = sorted(set(self.names_only) - set(self.drugs))
        if unknown:
            raise ValueError(f"names_only: {unknown[0]!r} is not one of the class's drugs")
        return self


StressResult = Literal["abnormal", "normal", "equivocal"]


class StressTestRules(_Strict):
    tests: dict[Literal["exercise", "nuclear", "echo", "unspecified"], TermRule]
    # Names that carry their result without a test named ("reversible perfusion defect"):
    # result -> terms, and the test they imply.
    findings: dict[StressResult, list[str]]
    findings_test: Literal["exercise", "nuclear", "echo", "unspecified"]
    max_chars: int
    # result -> phrases, searched after the test name; `ignore` lists phrases that look like a
    # result but are not ("normal sinus rhythm").
    results: dict[Literal["abnormal", "normal", "equivocal", "ignore"], list[str]]
    before: str

    _t = field_validator("findings", "results")(lambda v: {k: _check_terms(t) for k, t in v.items()})
    _before = field_validator("before")(lambda v: _check_regexes([v])[0])

    @field_validator("before")
    @classmethod
    def _before_group(cls, v: str) -> str:
        if "(?P<res>" not in v:
            raise ValueError(f"pattern {v!r} needs a (?P<res>...) group")
        return v


class FindingKind(_Strict):
    """A categorical fact named by a phrase: value -> names."""

    values: dict[str, TermRule]
    # Words near the name saying it is not done yet ("psych eval pending"): hypothetical.
    pending: str | None = None
    pending_chars: int = 40
    # An attribute read from the name and the words after it (value -> patterns, lower case).
    detail_attribute: str | None = None
    details: dict[str, list[str]] = Field(default_factory=dict)
    detail_chars: int = 40
    # Context cue words that say nothing about this kind ("his walking has declined" is a
    # limitation, not a refusal): cues whose literal is listed are skipped.
    ignore_cues: list[str] = Field(default_factory=list)

    _re = field_validator("pending")(lambda v: v if v is None else _check_lower(_check_regexes([v]))[0])
    _d = field_validator("details")(lambda v: {k: _check_lower(_check_regexes(p)) for k, p in v.items()})


FindingName = Literal["evaluation", "functional_limitation", "mechanical_symptoms", "psg_reason"]


class SignatureRules(_Strict):
    # kind -> names. signed_electronic, signed_attested, unsigned: the name says it all;
    # conformed ("/s/") and signed_by need a name after them; a label ("Signature:") is read
    # from what follows it on its line.
    names: dict[Literal["signed_electronic", "signed_attested", "conformed", "signed_by", "unsigned", "label"], list[str]]
    blank: str  # after a label: an empty signature line ("______")
    name: str  # a signer's name (case-sensitive), after a label, "signed by" or /s/
    electronic: str  # words in an unsigned phrase saying the signature is electronic

    _t = field_validator("names")(lambda v: {k: _check_terms(t) for k, t in v.items()})
    _re = field_validator("blank", "name", "electronic")(lambda v: _check_regexes([v])[0])


class DatedEvent(_Strict):
    """An event whose value is its date, read from a label and the date after it on its line
    ("Therapy start: Jan 3, 2026", "CPAP started on 01/03/2026")."""

    labels: list[str]  # regular expressions, lower case, matched at a word start
    max_gap: int = 30  # characters between the label and the date
    # Words that stand for the document's own date ("seen in our office today"): the value is
    # then "today", dated by the checker from the document.
    today_words: list[str] = Field(default_factory=list)

    _re = field_validator("labels")(lambda v: _check_lower(_check_regexes(v)))


class ServiceFactRules(FactRules):
    medication_classes: dict[str, ServiceMedicationClass]  # type: ignore[assignment]
    measures: dict[MeasureName, ServiceMeasureRule]  # type: ignore[assignment]
    stress_test: StressTestRules
    findings: dict[FindingName, FindingKind]
    signature: SignatureRules
    dated_events: dict[Literal["therapy_start", "visit_reported"], DatedEvent] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check_service_measures(self) -> ServiceFactRules:
        for name, m in self.measures.items():
            if m.before:
                filled = fill_snippets(m.before, self.snippets)
                if "(?P<num>" not in filled:
                    raise ValueError(f"measures.{name}: before pattern has no (?P<num>...) group")
            for group in m.groups:
                patterns = [m.value, *(a.value for a in m.anchors.values() if a.value), m.before or ""]
                if not any(f"(?P<{group}>" in fill_snippets(p, self.snippets) for p in patterns):
                    raise ValueError(f"measures.{name}.groups: no pattern has a (?P<{group}>...) group")
            if m.words and not any("(?P<word>" in fill_snippets(p, self.snippets) for p in [m.value]):
                raise ValueError(f"measures.{name}.words: the value pattern has no (?P<word>...) group")
        return self


@cache
def fact_rules() -> ServiceFactRules:
    return load_rules("facts.yaml", ServiceFactRules)
