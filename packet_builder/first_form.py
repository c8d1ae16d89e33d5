"""The form a payer wants as the first page (an overlay's `first_form`): which document of the
case is it. The checker's requirement `<overlay id>.first-form` says whether it is there; its
evidence names the document when the extraction tagged one, else the document is found the way
the checker found it (the form's document types and identifying words)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from extractors.models import DocumentExtraction

from .evidence import mentions_any
from .overlay import load_overlays
from .report import CompletenessReport, RequirementResult


@dataclass(frozen=True)
class RequiredForm:
    name: str  # "HCA General Information for Authorization form (HCA 13-835)"
    document_id: str | None  # the document that met the requirement; None: not in the case
    page: int | None  # the file page the checker found it on (1-based)


def _walk(results: Iterable[RequirementResult]) -> Iterable[RequirementResult]:
    for r in results:
        yield r
        yield from _walk(r.children)


def required_forms(report: CompletenessReport, documents: Sequence[tuple[str, DocumentExtraction]]) -> list[RequiredForm]:
    """The overlays' required forms and, when the requirement is met, the document (id, file
    page) that is the form. `documents`: (document id, extraction) in the case's order."""
    by_id = {r.id: r for r in _walk(report.requirements)}
    forms = []
    for overlay in report.overlays:
        form = overlay.get("first_form")
        if not form:
            continue
        name = str(form["name"]) + (f" ({form['form_id']})" if form.get("form_id") else "")
        result = by_id.get(f"{overlay['id']}.first-form")
        found: tuple[str, int] | None = None
        if result is not None and result.status == "met":
            tagged = next((e for e in result.evidence if e.document_id), None)
            found = (tagged.document_id, tagged.page) if tagged else _find(str(overlay["id"]), documents)  # type: ignore[assignment]
        forms.append(RequiredForm(name, found[0] if found else None, found[1] if found else None))
    return forms


def _find(overlay_id: str, documents: Sequence[tuple[str, DocumentExtraction]]) -> tuple[str, int] | None:
    overlay = next((o for o in load_overlays() if o.id == overlay_id), None)
    if overlay is None or overlay.submission is None or overlay.submission.first_form is None:
        return None
    form = overlay.submission.first_form
    for doc_id, d in documents:
        if d.doc_type in form.doc_types and (not form.text_any or mentions_any(d, form.text_any)):
            return doc_id, d.page_range[0]
    return None


def form_keys(forms: Sequence[RequiredForm]) -> list[tuple[str, int | None]]:
    """(document id, file page) of each form found, in the overlays' order."""
    return [(f.document_id, f.page) for f in forms if f.document_id]
