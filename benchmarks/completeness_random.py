"""Completeness verdicts on the randomized corpus (sample_docs/randomized), which was written
apart from the catalog: its truth comes from the payers' policy text, not from the rules.

    .venv/bin/python -m benchmarks.completeness_random [--split dev|held|fresh|both|all] [--limit N]
        [--details] [--json] [--jobs N] [--cache DIR]

Cases are generated on demand (deterministic by seed) into the cache folder
(default /tmp/precert-randomized/<split>/<case-id>/) and reused. Each PDF is read with the
project's reader and extractor, the request is built from case.json, and
`packet_builder.checker.check` gives the verdict.

The held-back splits print aggregate figures only, never a case: do not tune the catalog or
extractors against them. `held` (seeds 100000-100199) has been scored after many changes;
`fresh` (seeds 200000-200399) is scored once per issue. `--details` applies to the dev split
only. `both` is dev and held, `all` every split.

Figures: verdict agreement; false complete (truth incomplete, checker complete); false
incomplete; requests not answered (the checker raised); missing items named: of the cases
whose truth is incomplete, the share whose report has a requirement that is not met ("any"),
and of the truth's missing items, the share matched by a non-met requirement of a related
id or label ("mapped", a keyword mapping, see ITEM_PATTERNS).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from datetime import date
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from extractors.extract import extract_pages
from extractors.ocr_page import OcrSettings
from extractors.reader import read_pages
from packet_builder.checker import check
from packet_builder.request import PLAN_TYPES, ServiceRequest
from sample_docs.randomized.corpus import DEFAULT_ROOT, SPLITS, ensure_case

# A truth item is "named" when a requirement that is not met has one of these words in its
# id or label.
ITEM_PATTERNS: dict[str, str] = {
    "member_id": r"member",
    "npi": r"npi",
    "diagnosis": r"diagnos|icd",
    "order": r"order",
    "same_patient": r"same.patient",
    "recent_clinical_note": r"note|evaluation|clinical|visit|recent",
    "conservative_therapy": r"conservative|red.flag|therap",
    "red_flag": r"red.flag",
    "epworth": r"epworth",
    "bmi": r"bmi|neck",
    "psg_indication": r"psg|polysomno|indicat|attended|in.lab",
    "evaluation_before_test": r"evaluation|face|before",
    "sleep_test": r"sleep.test|sleep.study|study|ahi|report",
    "ahi": r"ahi|rdi",
    "order_signed": r"sign",
    "reevaluation": r"evaluation|follow|benefit",
    "adherence": r"adheren|download|usage|complian",
    "imaging": r"imaging|x.?ray|radiograph|kellgren|kl",
    "medical_clearance": r"clearance",
    "plan_of_care": r"plan.of.care|plan",
    "certification": r"certif",
    "progress_note_recent": r"progress|evaluation|note",
    "biomarker": r"biomarker|pd.?l1|msi|tmb",
    "no_prior_pd1": r"pd.?1|prior|checkpoint|immunotherap",
    "units": r"unit|dose",
    "jw_jz_modifier": r"jw|jz|modifier|wast",
    "state_pa_form": r"form|13.835|ahcccs",
    "unknown_code": r"unknown|code",
}


def service_request(request: dict[str, Any]) -> ServiceRequest:
    """case.json's request as the project's ServiceRequest: the one place to change when the
    request model changes."""
    plan_type = request.get("plan_type")
    if plan_type not in PLAN_TYPES and plan_type == "medicaid_managed_care":
        plan_type = "medicaid"  # TODO: drop once every checkout has medicaid_managed_care
    common: dict[str, Any] = {
        "request_date": date.fromisoformat(request["request_date"]),
        "payer_name": request.get("payer_name"),
        "plan_type": plan_type,
        "state": request.get("state"),
        "urgency": request.get("urgency", "standard"),
        "episode": request.get("episode", "initial"),
        "date_of_service": date.fromisoformat(request["date_of_service"]) if request.get("date_of_service") else None,
    }
    lines = request["service_lines"]
    try:
        from packet_builder.request import ServiceLine
    except ImportError:  # TODO: older request model: codes only, modifiers and units are lost
        return ServiceRequest(service_codes=tuple(ln["code"] for ln in lines), **common)
    return ServiceRequest(
        service_codes=(),
        service_lines=tuple(
            ServiceLine(code=ln["code"], modifiers=tuple(ln.get("modifiers") or ()), units=ln.get("units")) for ln in lines
        ),
        **common,
    )


def _not_met(reqs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Requirements not met, with the children not met of a group not met (a group met by
    one child keeps its other children out)."""
    out = []
    for r in reqs:
        if r["status"] != "met":
            out.append(r)
            out.extend(_not_met(r.get("children") or []))
    return out


def score_case(args: tuple[int, str]) -> dict[str, Any]:
    seed, root = args
    started = time.perf_counter()
    folder = ensure_case(seed, Path(root))
    case = json.loads((folder / "case.json").read_text())
    truth = case["truth"]
    out: dict[str, Any] = {
        "case": case["case_id"],
        "split": case["split"],
        "service": case["service"],
        "plan_type": case["request"]["plan_type"],
        "expected": truth["verdict"],
        "truth_missing": truth["missing"],
        "ways": truth["ways"],
        "got": None,
        "error": None,
    }
    try:
        docs = []
        for name in case["files"]:
            _kind, pages = read_pages((folder / name).read_bytes(), ocr=OcrSettings(workers=1))
            docs.extend(d.with_document_id(f"{case['case_id']}/{name}") for d in extract_pages(pages, filename=name))
        report = check(service_request(case["request"]), docs).to_json()
    except Exception as exc:  # a request the service did not answer
        out["error"] = type(exc).__name__
        out["error_message"] = str(exc)[:300]
        out["seconds"] = time.perf_counter() - started
        return out
    nonmet = [r for r in _not_met(report["requirements"]) if not r.get("children")] or _not_met(report["requirements"])
    nonmet_top = [r for r in report["requirements"] if r["status"] != "met"]
    out["got"] = report["status"]
    out["nonmet"] = [f"{r['id']}={r['status']}" for r in nonmet]
    out["any_named"] = bool(nonmet_top)
    named = {}
    for item in truth["missing"]:
        pattern = re.compile(ITEM_PATTERNS.get(item, re.escape(item)), re.I)
        hit = any(pattern.search(f"{r['id']} {r['label']}") for r in nonmet + nonmet_top)
        if item == "unknown_code" and report.get("unknown_codes"):
            hit = True
        named[item] = hit
    out["named"] = named
    out["seconds"] = time.perf_counter() - started
    return out


def aggregate(results: list[dict[str, Any]]) -> dict[str, Any]:
    answered = [r for r in results if r["error"] is None]
    incomplete_truth = [r for r in results if r["expected"] == "incomplete"]
    items = [(r, item) for r in answered for item in r["truth_missing"]]
    agree = sum(r["got"] == r["expected"] for r in answered)
    any_named = sum(1 for r in incomplete_truth if r["error"] is None and r["any_named"])
    return {
        "cases": len(results),
        "truth_complete": sum(r["expected"] == "complete" for r in results),
        "truth_incomplete": len(incomplete_truth),
        "verdict_agreement": round(agree / len(results), 3) if results else None,
        "verdicts_agreeing": agree,
        "false_complete": sum(r["got"] == "complete" and r["expected"] == "incomplete" for r in answered),
        "false_incomplete": sum(r["got"] == "incomplete" and r["expected"] == "complete" for r in answered),
        "not_answered": len(results) - len(answered),
        "not_answered_by_exception": dict(Counter(r["error"] for r in results if r["error"])),
        "missing_named_any": round(any_named / len(incomplete_truth), 3) if incomplete_truth else None,
        "missing_items_mapped": round(sum(r["named"][i] for r, i in items) / len(items), 3) if items else None,
        "seconds_per_case": round(sum(r["seconds"] for r in results) / len(results), 3) if results else None,
    }


def failure_classes(results: list[dict[str, Any]]) -> Counter[str]:
    """Dev only: what kinds of cases the checker got wrong."""
    out: Counter[str] = Counter()
    for r in results:
        if r["error"]:
            out[f"{r['service']}: not answered ({r['error']})"] += 1
        elif r["got"] == "complete" and r["expected"] == "incomplete":
            for item in r["truth_missing"]:
                out[f"{r['service']}: {item} ({r['ways'].get(item)}) called complete"] += 1
        elif r["got"] == "incomplete" and r["expected"] == "complete":
            for nm in r["nonmet"]:
                out[f"{r['service']}: complete case, {nm}"] += 1
    return out


def run(split: str, limit: int | None, jobs: int, root: Path) -> tuple[list[dict[str, Any]], float]:
    seeds = list(SPLITS[split])[: limit or None]
    started = time.perf_counter()
    work = [(s, str(root)) for s in seeds]
    if jobs > 1:
        with get_context("fork").Pool(jobs) as pool:
            results = list(pool.imap(score_case, work, chunksize=2))
    else:
        results = [score_case(w) for w in work]
    return results, time.perf_counter() - started


def print_aggregate(split: str, agg: dict[str, Any], seconds: float) -> None:
    print(
        f"\n== {split} split: {agg['cases']} cases ({agg['truth_complete']} complete, {agg['truth_incomplete']} incomplete by the truth)"
    )
    print(f"verdict agreement: {agg['verdicts_agreeing']}/{agg['cases']} = {agg['verdict_agreement']}")
    print(f"false complete (truth incomplete, service complete): {agg['false_complete']}")
    print(f"false incomplete (truth complete, service incomplete): {agg['false_incomplete']}")
    print(f"requests not answered (checker raised): {agg['not_answered']} {agg['not_answered_by_exception'] or ''}")
    print(
        f"missing items named: any non-met requirement on {agg['missing_named_any']} of the incomplete cases; truth items matched {agg['missing_items_mapped']}"
    )
    print(f"time: {seconds:.1f} s wall, {agg['seconds_per_case']} s per case in a worker")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("dev", "held", "fresh", "both", "all"), default="dev")
    parser.add_argument("--limit", type=int, default=None, help="the first N cases of each split")
    parser.add_argument("--details", action="store_true", help="per-case lines and failure classes (dev only)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--cache", type=Path, default=DEFAULT_ROOT)
    args = parser.parse_args()
    splits = {"both": ("dev", "held"), "all": ("dev", "held", "fresh")}.get(args.split, (args.split,))
    output: dict[str, Any] = {}
    for split in splits:
        results, seconds = run(split, args.limit, args.jobs, args.cache)
        agg = aggregate(results)
        agg["wall_seconds"] = round(seconds, 1)
        output[split] = {"aggregate": agg}
        if split == "dev":
            output[split]["failure_classes"] = dict(failure_classes(results).most_common())
            if args.details:
                output[split]["cases"] = results
        del results  # held: nothing per case leaves this function
        if not args.json:
            print_aggregate(split, agg, seconds)
            if split == "dev" and args.details:
                for r in output[split]["cases"]:
                    flag = "OK " if r["got"] == r["expected"] else "ERR"
                    print(
                        f"  {flag} {r['case']} {r['service']:<18} {r['plan_type']:<22} truth {r['expected']:<10} got {r['got'] or r['error']}"
                        f"  missing={r['truth_missing']} ways={r['ways']} nonmet={r.get('nonmet')}"
                    )
                print("\nfailure classes (dev):")
                for k, n in output[split]["failure_classes"].items():
                    print(f"  {n:>3}  {k}")
    if args.json:
        print(json.dumps(output, indent=2))


if __name__ == "__main__":
    sys.exit(main())
