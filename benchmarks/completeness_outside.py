"""Completeness verdicts on sample_docs/outside: 156 cases written as plain text by four testers
outside the project, from shared/reference/documentation-requirements.md only (not from the
catalog), with the expected verdict frozen before the checker first ran on them.

    .venv/bin/python -m benchmarks.completeness_outside [--details] [--json] [--root DIR]

Each case folder holds request.json (service lines, dates, plan type, state, episode, payer),
expected.json (verdict, missing items in the tester's words) and one text file per document
("<<<PAGE BREAK>>>" or a form feed between pages). The cases have since been read while fixing
failure classes: they are a second development set, in another hand, not a held-back measure.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from extractors.extract import extract_pages
from extractors.text_pages import page_from_text
from packet_builder.checker import check
from packet_builder.request import ServiceLine, ServiceRequest

ROOT = Path(__file__).resolve().parent.parent / "sample_docs" / "outside"
PAGE_BREAK = "<<<PAGE BREAK>>>"


def request_of(raw: dict[str, Any]) -> ServiceRequest:
    return ServiceRequest(
        service_codes=(),
        service_lines=tuple(
            ServiceLine(ln["code"], tuple(ln.get("modifiers") or ()), ln.get("units")) for ln in raw["service_lines"]
        ),
        request_date=date.fromisoformat(raw["request_date"]),
        plan_type=raw.get("plan_type"),
        state=raw.get("state"),
        episode=raw.get("episode", "initial"),
        payer_name=raw.get("payer_name"),
    )


def score_case(folder: Path) -> dict[str, Any]:
    docs = []
    for path in sorted(folder.glob("*.txt")):
        texts = path.read_text(encoding="utf-8").replace("\f", PAGE_BREAK).split(PAGE_BREAK)
        pages = [page_from_text(t.strip("\n"), index=i) for i, t in enumerate(texts)]
        docs.extend(d.with_document_id(path.name) for d in extract_pages(pages, filename=path.name))
    report = check(request_of(json.loads((folder / "request.json").read_text())), docs).to_json()
    expected = json.loads((folder / "expected.json").read_text())
    return {
        "case": folder.name,
        "expected": expected["verdict"],
        "got": report["status"],
        "not_met": [f"{r['id']}={r['status']}" for r in report["requirements"] if r["status"] != "met"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--details", action="store_true", help="one line per case")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--root", type=Path, default=ROOT, help="another folder of cases in the same layout")
    args = parser.parse_args()
    results = [score_case(f) for f in sorted(p for p in args.root.iterdir() if p.is_dir())]
    agg = {
        "cases": len(results),
        "verdicts_agreeing": sum(r["got"] == r["expected"] for r in results),
        "false_complete": [r["case"] for r in results if r["got"] == "complete" and r["expected"] == "incomplete"],
        "false_incomplete": [r["case"] for r in results if r["got"] != "complete" and r["expected"] == "complete"],
    }
    if args.json:
        print(json.dumps({"aggregate": agg, "cases": results}, indent=2))
        return
    print(f"cases written outside the project: {agg['cases']}")
    print(f"verdict agreement: {agg['verdicts_agreeing']}/{agg['cases']}")
    print(f"false complete: {len(agg['false_complete'])} {agg['false_complete']}")
    print(f"false incomplete: {len(agg['false_incomplete'])} {agg['false_incomplete']}")
    if args.details:
        for r in results:
            flag = "OK " if r["got"] == r["expected"] else "ERR"
            print(f"  {flag} {r['case']:<40} expected {r['expected']:<10} got {r['got']:<10} {r['not_met']}")


if __name__ == "__main__":
    sys.exit(main())
