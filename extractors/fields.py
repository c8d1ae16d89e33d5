"""Text-level extraction: `Page`s -> fields and clinical facts, each value with evidence.

Reads top to bottom: per page, build the line/sentence/section view once, run the label,
code and fact extractors over it, then merge pages (deduplicate, keep the best evidence).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import replace
from typing import Any

from extractors.codes import extract_icd10, extract_procedures
from extractors.evidence import _freeze, dedupe, value_key
from extractors.facts import extract_facts
from extractors.icd10_suggest import FIELD as ICD10_SUGGESTED
from extractors.icd10_suggest import suggest_icd10
from extractors.label_fallbacks import known_payer_fallback, mbis_anywhere, standalone_date_fallback
from extractors.labels import extract_labelled
from extractors.models import FIELD_NAMES, FieldValue, Page
from extractors.pagetext import PageText
from extractors.provider_ids import extract_npis, extract_tax_ids

Values = dict[str, tuple[FieldValue, ...]]


def _group(values: list[FieldValue]) -> dict[str, list[FieldValue]]:
    out: dict[str, list[FieldValue]] = {}
    for v in values:
        out.setdefault(v.name, []).append(v)
    return out


def _field_key(fv: FieldValue) -> Hashable:
    if fv.name in ("icd10", ICD10_SUGGESTED):
        return (fv.name, fv.value, fv.attributes.get("assertion"))
    if fv.name in ("cpt", "hcpcs"):
        return (fv.name, fv.value, tuple(fv.attributes.get("modifiers", ())))
    return value_key(fv)


def _field_preference(fv: FieldValue) -> tuple[Any, ...]:
    a = fv.attributes
    return (a.get("role", "unknown") != "unknown", a.get("units") is not None, fv.confidence)


def _fact_key(fv: FieldValue) -> Hashable:
    return (fv.name, _freeze(fv.value), fv.attributes.get("assertion"))


_OUTCOME_RANK = {"failed": 2, "improved": 1, "unknown": 0}


def _merge_therapies(values: list[FieldValue]) -> tuple[FieldValue, ...]:
    """One fact per (therapy, assertion): the longest duration, the worst outcome, best evidence."""
    groups: dict[Hashable, list[FieldValue]] = {}
    for v in values:
        groups.setdefault((v.value, v.attributes.get("assertion")), []).append(v)
    out = []
    for vs in groups.values():
        durations = [v.attributes.get("duration_weeks") for v in vs if v.attributes.get("duration_weeks") is not None]
        outcome = max((v.attributes.get("outcome", "unknown") for v in vs), key=lambda o: _OUTCOME_RANK.get(o, 0))
        best = max(vs, key=lambda v: (v.attributes.get("duration_weeks") is not None, v.confidence))
        attrs = {**best.attributes, "duration_weeks": max(durations) if durations else None, "outcome": outcome}
        out.append(replace(best, attributes=attrs))
    return tuple(out)


def extract_fields(pages: Sequence[Page]) -> tuple[Values, Values]:
    """(fields, facts) of one logical document; names follow extractors.models.FIELD_NAMES."""
    found_fields: list[FieldValue] = []
    found_facts: list[FieldValue] = []
    views: list[PageText] = []
    section = None
    for page in pages:
        if page.error or not page.text.strip():
            continue
        pt = PageText(page, initial_section=section)
        section = pt.last_section  # a section runs on across a page break
        views.append(pt)
        found_fields += extract_labelled(pt)
        found_fields += mbis_anywhere(pt)
        found_fields += extract_npis(pt)
        found_fields += extract_tax_ids(pt)
        found_fields += extract_procedures(pt)
        found_fields += extract_icd10(pt)
        found_facts += extract_facts(pt)
    # Diagnoses written in words with no code printed: a field of their own, judged against all
    # of the document's printed codes (a code on page 2 covers a phrase on page 1).
    printed = [v for v in found_fields if v.name == "icd10"]
    for pt in views:
        found_fields += suggest_icd10(pt, printed)
    grouped = _group(found_fields)
    if views and "payer_name" not in grouped:
        grouped["payer_name"] = known_payer_fallback(views[0])
    if views and "document_date" not in grouped:
        grouped["document_date"] = standalone_date_fallback(views[0])
    fields: Values = {}
    for name in (*FIELD_NAMES, ICD10_SUGGESTED):
        values = grouped.get(name)
        if values:
            fields[name] = dedupe(values, key=_field_key, prefer=_field_preference)
    facts: Values = {
        name: _merge_therapies(vs) if name == "conservative_therapy" else dedupe(vs, key=_fact_key)
        for name, vs in _group(found_facts).items()
    }
    return fields, facts


__all__ = ["extract_fields"]
