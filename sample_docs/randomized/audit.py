"""The audit of a generated case: everything code-like on its pages is accounted for by the
truth (a labelled code, a labelled NPI or member ID, or a labelled decoy), everything the
truth says was printed is on the page, undated documents carry no date, and the items the
truth calls met have their evidence printed. `AuditError` lists every problem."""

from __future__ import annotations

import re
from typing import Any

from .people import npi_is_valid

CPT5 = re.compile(r"(?<![A-Za-z0-9])\d{5}(?![A-Za-z0-9])")
CPT_CAT23 = re.compile(r"(?<![A-Za-z0-9])\d{4}[FTU](?![A-Za-z0-9])")
HCPCS = re.compile(r"(?<![A-Za-z0-9])[A-V]\d{4}(?!\d)")
TEN = re.compile(r"(?<![A-Za-z0-9])\d{10}(?![A-Za-z0-9])")
ICD_DOT = re.compile(r"(?<![A-Za-z0-9])[A-TV-Z]\d[0-9A-Z]\.[0-9A-Z]{1,4}(?![A-Za-z0-9])")
ICD3 = re.compile(r"(?<![A-Za-z0-9.\-])[A-TV-Z]\d\d(?![A-Za-z0-9.\-])")
_A = "[AC-HJKMNP-RT-Y]"
_AN = "[AC-HJKMNP-RT-Y0-9]"
MBI = re.compile(rf"(?<![A-Za-z0-9])[1-9]{_A}{_AN}\d-?{_A}{_AN}\d-?{_A}{{2}}\d{{2}}(?![A-Za-z0-9])")
MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*"
DATES = (
    re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"),
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    re.compile(rf"\b\d{{1,2}}[- ]{MONTH}[- ]\d{{4}}\b"),
    re.compile(rf"\b{MONTH} \d{{1,2}}, \d{{4}}\b"),
)


class AuditError(AssertionError):
    pass


def _valid_icd3(code: str) -> bool:
    try:
        import simple_icd_10_cm as icd
    except ImportError:  # pragma: no cover - the package ships with the project
        return True
    return bool(icd.is_valid_item(code))


def audit_document(strings: list[list[str]], truth_doc: dict[str, Any]) -> list[str]:
    where = truth_doc["file"]
    problems: list[str] = []
    ledger = truth_doc["printed"]
    labelled: dict[str, set[str]] = {}
    for e in ledger:
        labelled.setdefault(e["kind"], set()).add(e["value"].replace("-", "").upper())
        if e["kind"] == "member_id":
            labelled["member_id"].add(e.get("printed", e["value"]).upper())
    decoys = labelled.get("decoy", set())
    codes = labelled.get("cpt", set()) | labelled.get("hcpcs", set())
    text = "\n".join(s for page in strings for s in page)
    flat = " ".join(s for page in strings for s in page)  # a value wrapped over two lines
    digits_ok = codes | decoys | labelled.get("group_number", set())

    def check(pattern: re.Pattern[str], allowed: set[str], what: str, *, keep: Any = None) -> None:
        for m in pattern.finditer(text):
            token = m.group(0)
            if keep is not None and not keep(token):
                continue
            if token.replace("-", "").upper() not in allowed:
                problems.append(f"{where}: {what} {token!r} printed but not in the truth")

    check(CPT5, digits_ok, "CPT-shaped number")
    check(CPT_CAT23, digits_ok, "CPT category II/III-shaped code")
    check(HCPCS, codes | decoys, "HCPCS-shaped code")
    check(TEN, labelled.get("npi", set()) | decoys, "10-digit number")
    check(ICD_DOT, labelled.get("icd10", set()), "ICD-10-shaped code")
    check(ICD3, labelled.get("icd10", set()), "ICD-10-shaped code", keep=_valid_icd3)
    check(MBI, labelled.get("member_id", set()), "MBI-shaped identifier")
    for e in ledger:
        shown = e.get("printed", e["value"])
        if shown not in text and shown not in flat:
            problems.append(f"{where}: truth says {e['kind']} {shown!r} is printed, but it is not on the page")
        if e["kind"] == "npi" and bool(e.get("valid")) != npi_is_valid(e["value"]):
            problems.append(f"{where}: NPI {e['value']} labelled valid={e.get('valid')} but its check digit says otherwise")
    for m in TEN.finditer(text):
        if npi_is_valid(m.group(0)) and m.group(0) not in labelled.get("npi", set()):
            problems.append(f"{where}: {m.group(0)} passes the NPI check but is not a labelled NPI")
    if truth_doc["undated"]:
        for pattern in DATES:
            for m in pattern.finditer(text):
                problems.append(f"{where}: undated document prints a date {m.group(0)!r}")
    return problems


def audit_case(case: dict[str, Any], rendered: dict[str, list[list[str]]]) -> None:
    problems: list[str] = []
    docs = case["documents"]
    for d in docs:
        problems += audit_document(rendered[d["file"]], d)
    truth = case["truth"]
    missing = set(truth["missing"])
    if (truth["verdict"] == "complete") != (not missing):
        problems.append(f"verdict {truth['verdict']} with missing {sorted(missing)}")
    mine = [d for d in docs if d["patient"] == "case"]

    def printed(kind: str, **attrs: Any) -> list[dict[str, Any]]:
        return [e for d in mine for e in d["printed"] if e["kind"] == kind and all(e.get(k) == v for k, v in attrs.items())]

    if "same_patient" not in missing and len(mine) != len(docs):
        problems.append("a document of another patient, but same_patient is not missing")
    if "member_id" not in missing and not printed("member_id"):
        problems.append("member_id called met, but no member ID is printed")
    if "member_id" in missing and printed("member_id"):
        problems.append("member_id called missing, but one is printed")
    items = set(truth["items"])
    if "npi" in items and "npi" not in missing and not printed("npi", role="ordering", valid=True):
        problems.append("npi called met, but no valid ordering NPI is printed")
    if "npi" in missing and printed("npi", role="ordering", valid=True):
        problems.append("npi called missing, but a valid ordering NPI is printed")
    if "diagnosis" not in missing and not printed("icd10", assertion="present"):
        problems.append("diagnosis called met, but no present ICD-10 code is printed")
    if "order" in items and "order" not in missing:
        on_order = {e["value"] for d in mine if d["doc_type"] == "order" for e in d["printed"] if e.get("role") == "order"}
        wanted = {ln["code"] for ln in case["request"]["service_lines"]}
        if not wanted <= on_order:
            problems.append(f"order called met, but the order lacks {sorted(wanted - on_order)}")
    if problems:
        raise AuditError(f"case {case['case_id']}:\n  " + "\n  ".join(problems))
