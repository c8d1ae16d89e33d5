"""Generate the labelled sample cases: `python -m sample_docs.generate [--out DIR] [--case ID]`.

Per case: make each file in its format (`formats.py`: draw the documents, then scan, fax,
photograph, layer, encrypt or damage them), check that the labels agree with what was drawn,
then write the files with case.json and truth.json. Seeds and dates are fixed, so a rerun
writes the same bytes.

This package must not import `extractors`: the samples are an independent check of it.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sample_docs import (
    cases_cards,
    cases_families,
    cases_families_more,
    cases_families_scans,
    cases_mri_az,
    cases_mri_form_fax,
    cases_mri_layers,
    cases_mri_letter_fax,
    cases_mri_photos,
    cases_mri_reports,
    cases_mri_scans,
    cases_mri_wa_co,
    cases_sleep,
    cases_sleep_files,
    cases_sleep_scans,
)
from sample_docs.formats import render_file
from sample_docs.layout import Section
from sample_docs.spec import Case, FileSpec, Labelled, long

HERE = Path(__file__).resolve().parent
CASE_BUILDERS: tuple[Callable[[], Case], ...] = (
    cases_mri_az.CASES
    + cases_mri_wa_co.CASES
    + cases_sleep.CASES
    + cases_mri_layers.CASES
    + cases_mri_form_fax.CASES
    + cases_mri_scans.CASES
    + cases_mri_photos.CASES
    + cases_sleep_scans.CASES
    + cases_sleep_files.CASES
    + cases_mri_reports.CASES
    + cases_cards.CASES
    + cases_mri_letter_fax.CASES
    + cases_families.CASES
    + cases_families_scans.CASES
    + cases_families_more.CASES
)
EXIF_FOR_ROTATION = {90: 6, 180: 3, 270: 8}


def npi_is_valid(npi: str) -> bool:
    """NPI check digit: Luhn over the 9 digits with the 80840 prefix (a constant 24)."""
    if not re.fullmatch(r"[12]\d{9}", npi):
        return False
    total = 24
    for i, ch in enumerate(reversed(npi[:9])):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10 == int(npi[9])


def _printed_forms(name: str, value: Any) -> list[str]:
    """Ways a labelled value may be printed, to find it in the drawn text."""
    if name in ("patient_dob", "document_date", "date_of_service"):
        y, m, d = value.split("-")
        return [f"{m}/{d}/{y}", long(date.fromisoformat(value))]  # a letter writes its date out
    if name == "patient_name":
        return [value.split(",")[0].upper(), value.split(",")[0]]
    if name == "npi":
        return [value["value"]]
    if name == "icd10":
        return [value["code"]]
    return [str(value)]


def check_labels(case: Case, spec: FileSpec, texts: list[list[str]]) -> None:
    """Refuse labels that the drawn text does not support, and NPIs labelled wrongly."""
    for doc, pages in zip(spec.docs, texts, strict=False):
        text = "\f".join(pages)
        squashed = re.sub(r"[\s-]", "", text).upper()
        for name, values in doc.fields.items():
            for value in values:
                ok = value in squashed if name == "member_id" else any(form in text for form in _printed_forms(name, value))
                if not ok:
                    raise ValueError(f"{case.case_id}/{spec.name}: {name} {value!r} is not in the drawn text")
                if name == "npi" and npi_is_valid(value["value"]) != value["valid"]:
                    raise ValueError(f"{case.case_id}: NPI {value['value']} labelled valid={value['valid']}")
        for decoy in doc.decoys:
            if decoy not in text:
                raise ValueError(f"{case.case_id}/{spec.name}: decoy {decoy!r} is not in the drawn text")
        # A 10-digit number that passes the NPI check would be an NPI, not a decoy.
        for number in re.findall(r"(?<!\d)\d{10}(?!\d)", text):
            labelled = {v["value"] for v in doc.fields.get("npi", [])}
            if number not in labelled and npi_is_valid(number):
                raise ValueError(f"{case.case_id}/{spec.name}: unlabelled 10-digit number passes the NPI check")
    if spec.exif_orientation is not None and EXIF_FOR_ROTATION[spec.rotation or 0] != spec.exif_orientation:
        raise ValueError(f"{case.case_id}/{spec.name}: EXIF orientation does not undo the rotation")


# Headings whose diagnoses are the patient's history, not the reason for this visit: the
# project's assertion rule (issue 4) labels a code printed only there `historical`.
HISTORY_HEADINGS = re.compile(r"^(?:past\s+(?:medical|surgical|medical/surgical)?\s*history|pmh|medical\s+history)\b", re.I)


def history_only_codes(doc: Labelled) -> set[str]:
    """ICD-10 codes printed under a history heading and nowhere else in the document."""
    where: dict[str, set[bool]] = {}
    for section in getattr(doc.document, "sections", ()):
        if not isinstance(section, Section):
            return set()  # a payer form: its diagnosis fields are the request's, never history
        text = " ".join(section.paragraphs) + " " + " ".join(f"{a} {b}" for a, b in section.rows)
        for code in re.findall(r"\b[A-Z][0-9][0-9A-Z]\.[0-9A-Z]{1,4}\b|\b[A-Z][0-9]{2}\b", text):
            where.setdefault(code, set()).add(bool(HISTORY_HEADINGS.match(section.heading.strip())))
    return {code for code, places in where.items() if places == {True}}


def with_history_assertions(doc: Labelled) -> dict[str, list[Any]]:
    """The document's fields, with present-labelled codes printed only in its history turned
    historical."""
    history = history_only_codes(doc)
    icds = doc.fields.get("icd10")
    if not icds or not history:
        return doc.fields
    relabelled = [
        {**i, "assertion": "historical"} if i["code"] in history and i.get("assertion", "present") == "present" else i
        for i in icds
    ]
    return {**doc.fields, "icd10": relabelled}


def truth_document(spec: FileSpec, doc: Labelled, first_page: int, pages: list[str]) -> dict[str, Any]:
    return {
        "file": spec.name,
        "page_range": [first_page, first_page + len(pages) - 1],
        "doc_type": doc.doc_type,
        "fields": with_history_assertions(doc),
        "facts": doc.facts,
        "decoys": list(doc.decoys),
        "source_text": "\f".join(pages),
    }


def file_entry(spec: FileSpec) -> dict[str, Any]:
    entry: dict[str, Any] = {"file": spec.name, "format": spec.format}
    if spec.dpi is not None:
        entry["dpi"] = list(spec.dpi) if isinstance(spec.dpi, tuple) else spec.dpi
    if spec.rotation is not None:
        entry["rotation"] = spec.rotation
    if spec.exif_orientation is not None:
        entry["exif_orientation"] = spec.exif_orientation
    # Keys of the later samples; absent from the first eight cases, whose files stay as they were.
    optional = {
        "skew": spec.skew,
        "layer": spec.layer,
        "scanned_pages": list(spec.scanned_pages) or None,
        "compression": spec.compression,
        "alpha": spec.alpha or None,
        "encrypted": spec.encrypted or None,
        "damaged": spec.damaged,
    }
    entry.update({k: v for k, v in optional.items() if v is not None})
    return entry


def _dump(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_case(case: Case, out: Path) -> int:
    """Write one case folder; returns its size in bytes. The folder is wholly generated, so
    files no longer listed are removed."""
    folder = out / case.case_id
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    documents: list[dict[str, Any]] = []
    for spec in case.files:
        blob, texts = render_file(spec, random.Random(f"{case.case_id}/{spec.name}"))
        check_labels(case, spec, texts)
        (folder / spec.name).write_bytes(blob)
        first = 1
        for doc, pages in zip(spec.docs, texts, strict=False):
            documents.append(truth_document(spec, doc, first, pages))
            first += len(pages)
    _dump(
        folder / "case.json",
        {
            "case_id": case.case_id,
            "description": case.description,
            "request": case.request,
            "files": [file_entry(s) for s in case.files],
        },
    )
    _dump(folder / "truth.json", {"case_id": case.case_id, "documents": documents, "expected": case.expected})
    return sum(p.stat().st_size for p in folder.iterdir())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder for the case folders (default: sample_docs/)")
    parser.add_argument("--case", action="append", help="only this case id (repeatable)")
    args = parser.parse_args(argv)
    total = 0
    for build in CASE_BUILDERS:
        case = build()
        if args.case and case.case_id not in args.case:
            continue
        size = write_case(case, args.out)
        total += size
        print(f"{case.case_id:38s} {case.expected['status']:10s} {size / 1024:8.1f} KiB")
    print(f"{'total':38s} {'':10s} {total / 1024:8.1f} KiB")


if __name__ == "__main__":
    main()
