"""Score extraction and completeness against the labelled cases in sample_docs/.

    .venv/bin/python -m benchmarks.accuracy [--json] [--case ID ...]

Per field: true positives, false positives, false negatives, precision and recall over all
documents. Per case: the verdict (complete/incomplete) against the truth file, and each
requirement's status. Decoys (ZIPs, phones, MRNs, lab values) read as any field are counted.
Also prints the seconds per text-layer page and per OCR page it took.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from extractors.extract import extract_pages
from extractors.models import DocumentExtraction
from extractors.reader import read_pages
from packet_builder.checker import check
from packet_builder.request import ServiceRequest

SAMPLES = Path(__file__).resolve().parent.parent / "sample_docs"
FIELDS = (
    "member_id",
    "group_number",
    "patient_name",
    "patient_dob",
    "payer_name",
    "npi",
    "cpt",
    "hcpcs",
    "icd10",
    "document_date",
    "date_of_service",
)


def _norm(name: str, value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("value", value.get("code"))
    text = str(value).upper()
    if name == "patient_name":
        return " ".join(sorted(re.findall(r"[A-Z]{2,}", text)))  # order and case free: "Rivera, Ana" == "ANA RIVERA"
    if name == "payer_name":
        return " ".join(re.findall(r"[A-Z0-9]+", text))
    return re.sub(r"[\s\-]", "", text)


def truth_values(name: str, items: list[Any]) -> set[str]:
    if name == "icd10":  # only present diagnoses count as the document's diagnoses
        return {_norm(name, i["code"]) for i in items if i.get("assertion", "present") == "present"}
    if name == "npi":
        return {f"{_norm(name, i)}|{'valid' if i.get('valid', True) else 'invalid'}" for i in items}
    return {_norm(name, i) for i in items}


def extracted_values(name: str, doc: DocumentExtraction) -> set[str]:
    values = doc.fields.get(name, ())
    if name == "icd10":
        return {
            _norm(name, v.value)
            for v in values
            if v.attributes.get("assertion", "present") == "present" and not v.attributes.get("suggested")
        }
    if name == "npi":
        return {f"{_norm(name, v.value)}|{'valid' if v.attributes.get('valid') else 'invalid'}" for v in values}
    return {_norm(name, v.value) for v in values}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def score_cases(case_ids: list[str] | None = None) -> dict[str, Any]:
    scores: dict[str, Score] = defaultdict(Score)
    doc_types = Counter()
    verdicts = []
    requirement_agreement = Counter()
    decoy_hits: list[str] = []
    timing = {"text_layer": [0, 0.0], "ocr": [0, 0.0]}
    for case_json in sorted(SAMPLES.glob("*/case.json")):
        case = json.loads(case_json.read_text())
        if case_ids and case["case_id"] not in case_ids:
            continue
        truth = json.loads((case_json.parent / "truth.json").read_text())
        extractions: list[DocumentExtraction] = []
        for f in case["files"]:
            data = (case_json.parent / f["file"]).read_bytes()
            started = time.perf_counter()
            _kind, pages = read_pages(data)
            elapsed = time.perf_counter() - started
            method = "ocr" if any(p.method == "ocr" for p in pages) else "text_layer"
            timing[method][0] += len(pages)
            timing[method][1] += elapsed
            docs = extract_pages(pages, filename=f["file"])
            extractions.extend(d.with_document_id(f"{case['case_id']}/{f['file']}") for d in docs)
            truth_docs = [d for d in truth["documents"] if d["file"] == f["file"]]
            for name in FIELDS:
                expected = set().union(*(truth_values(name, d["fields"].get(name, [])) for d in truth_docs))
                got = set().union(*(extracted_values(name, d) for d in docs))
                s = scores[name]
                s.tp += len(expected & got)
                s.fp += len(got - expected)
                s.fn += len(expected - got)
                s.misses += [f"{case['case_id']}/{f['file']}: missed {v}" for v in expected - got]
                s.misses += [f"{case['case_id']}/{f['file']}: wrong {v}" for v in got - expected]
            # One file, one logical document for now: compare with the file's first labelled type.
            expected_type = truth_docs[0]["doc_type"] if truth_docs else "other"
            doc_types["right" if docs and docs[0].doc_type == expected_type else "wrong"] += 1
            decoys = {_norm("cpt", d) for td in truth_docs for d in td.get("decoys", [])}
            for d in docs:
                for name, values in d.fields.items():
                    for v in values:
                        if _norm("cpt", v.value) in decoys:
                            decoy_hits.append(f"{case['case_id']}/{f['file']}: decoy {v.value} read as {name}")
        request = case["request"]
        service = ServiceRequest(
            service_codes=tuple(request["service_codes"]),
            request_date=date.fromisoformat(request["request_date"]),
            payer_name=request.get("payer_name"),
            plan_type=request.get("plan_type"),
            state=request.get("state"),
            urgency=request.get("urgency", "standard"),
        )
        report = check(service, extractions).to_json()
        got_status = {r["id"]: r["status"] for r in _flatten(report["requirements"])}
        for rid, want in truth["expected"]["requirements"].items():
            requirement_agreement["agree" if got_status.get(rid) == want else "disagree"] += 1
            if got_status.get(rid) != want:
                requirement_agreement[f"{case['case_id']}: {rid} expected {want}, got {got_status.get(rid)}"] += 1
        verdicts.append({"case": case["case_id"], "expected": truth["expected"]["status"], "got": report["status"]})
    return {
        "fields": {
            n: {
                "tp": s.tp,
                "fp": s.fp,
                "fn": s.fn,
                "precision": round(s.precision, 3),
                "recall": round(s.recall, 3),
                "errors": s.misses,
            }
            for n, s in scores.items()
        },
        "doc_type": dict(doc_types),
        "verdicts": verdicts,
        "requirements": dict(requirement_agreement),
        "decoy_hits": decoy_hits,
        "seconds_per_page": {m: round(t / n, 3) if n else None for m, (n, t) in timing.items()},
        "pages": {m: n for m, (n, _t) in timing.items()},
    }


def _flatten(requirements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for r in requirements:
        out.append(r)
        out.extend(_flatten(r.get("children", []) or r.get("requirements", []) or []))
    return out


def print_report(result: dict[str, Any]) -> None:
    print(f"{'field':<16}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>8}")
    for name in FIELDS:
        s = result["fields"].get(name)
        if s:
            print(f"{name:<16}{s['tp']:>5}{s['fp']:>5}{s['fn']:>5}{s['precision']:>11.3f}{s['recall']:>8.3f}")
    right = sum(1 for v in result["verdicts"] if v["expected"] == v["got"])
    false_complete = [v["case"] for v in result["verdicts"] if v["got"] == "complete" and v["expected"] != "complete"]
    print(f"\ndocument type right: {result['doc_type'].get('right', 0)} of {sum(result['doc_type'].values())} files")
    print(f"case verdicts right: {right} of {len(result['verdicts'])}; false 'complete': {len(false_complete)} {false_complete}")
    for v in result["verdicts"]:
        print(f"  {v['case']:<28} expected {v['expected']:<10} got {v['got']}")
    agree = result["requirements"].get("agree", 0)
    total = agree + result["requirements"].get("disagree", 0)
    print(f"requirement statuses agreeing with the truth files: {agree} of {total}")
    for key in result["requirements"]:
        if ": " in key:
            print(f"  {key}")
    print(f"decoys read as a field: {len(result['decoy_hits'])}")
    for hit in result["decoy_hits"]:
        print(f"  {hit}")
    print(f"seconds per page: {result['seconds_per_page']} over pages {result['pages']}")
    print("\nfield errors:")
    for name in FIELDS:
        for err in result["fields"].get(name, {}).get("errors", []):
            print(f"  {name}: {err}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--case", action="append")
    args = parser.parse_args()
    result = score_cases(args.case)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_report(result)


if __name__ == "__main__":
    main()
