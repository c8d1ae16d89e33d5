"""A case from its seed, the splits, and the cache of generated cases on disk.

generate_case(seed) -> Case            deterministic: the same seed gives the same bytes
ensure_case(split, seed, root) -> Path  the case folder (case.json + PDFs), generated once
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from . import GENERATOR_VERSION
from .audit import audit_case
from .builders import BUILDERS
from .draw import Draw
from .people import make_person, member_id_for
from .policies import MEDICAID_STATES, OTHER_STATES, PT_EVAL_CODES, SERVICES, UNKNOWN_CODES, choose_failures, items_for
from .render import render
from .services import Ctx

# "held" has been scored many times (aggregates only); "fresh" was added on 2026-12-07 and is
# scored once per issue, so that its figures have not steered any rule.
SPLITS: dict[str, range] = {"dev": range(0, 1200), "held": range(100000, 100200), "fresh": range(200000, 200400)}
DEFAULT_ROOT = Path(os.environ.get("PRECERT_RANDOMIZED_CACHE", "/tmp/precert-randomized"))
COMPLETE_SHARE = 0.42
UNKNOWN_ALONGSIDE = 0.06
UNKNOWN_ONLY = 0.04
PAYERS = {
    "commercial": (
        "Summit Ridge Health",
        "Bluewater Mutual Insurance",
        "Cascade Crest Health Plan",
        "Mesa Alliance Insurance Co.",
    ),
    "medicare": ("Medicare Part B", "Medicare (traditional)", "Original Medicare"),
    "medicare_advantage": ("Sonoran Senior Advantage (HMO)", "Evergreen Medicare Advantage PPO", "Peakview Medicare Advantage"),
}
MEDICAID_FFS = {"AZ": "AHCCCS Fee-for-Service", "WA": "Washington Apple Health (fee-for-service)", "CO": "Health First Colorado"}
MEDICAID_MCO = {
    "AZ": "Saguaro Complete Care (AHCCCS)",
    "WA": "Apple Health - Puget Community Plan",
    "CO": "Front Range Medicaid Health Plan",
    "TX": "Lone Star Community Medicaid HMO",
    "NM": "Turquoise Care - Mesa Health Plan",
}


@dataclass
class Case:
    meta: dict[str, Any]  # case.json
    pdfs: dict[str, bytes]

    @property
    def case_id(self) -> str:
        return str(self.meta["case_id"])

    def write(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in self.pdfs.items():
            (folder / name).write_bytes(data)
        (folder / "case.json").write_text(json.dumps(self.meta, indent=2, sort_keys=True) + "\n")


def split_of(seed: int) -> str:
    for name, seeds in SPLITS.items():
        if seed in seeds:
            return name
    return "adhoc"


def case_id(seed: int) -> str:
    return f"{split_of(seed)}-{seed:06d}"


def _lines(draw: Draw, key: str, plan_type: str) -> list[dict[str, Any]]:
    spec = SERVICES[key]
    primary = draw.pick(spec.codes)
    if key == "cpap_initial" or key == "cpap_continuation":
        lines = [
            {
                "code": "E0601",
                "modifiers": ["RR" if plan_type in ("medicare", "medicare_advantage") or draw.chance(0.5) else "NU"],
                "units": 1,
            }
        ]
        if draw.chance(0.5):
            lines += [{"code": c, "modifiers": ["NU"], "units": 1} for c in draw.sample(spec.companions, draw.between(1, 3))]
        return lines
    if key == "tka":
        return [{"code": "27447", "modifiers": [draw.pick(("RT", "LT"))], "units": 1}]
    if key in ("pt_initial", "pt_continuation"):
        lines = []
        if key == "pt_initial":
            lines.append({"code": draw.pick(PT_EVAL_CODES), "modifiers": ["GP"], "units": 1})
        lines.append({"code": "97110", "modifiers": ["GP"], "units": draw.between(2, 4)})
        lines += [
            {"code": c, "modifiers": ["GP"], "units": draw.between(1, 2)}
            for c in draw.sample(spec.companions, draw.between(0, 2))
        ]
        return lines
    if key == "pembrolizumab":
        return [
            {"code": "J9271", "modifiers": [], "units": draw.pick((200, 200, 400))},
            {"code": "96413", "modifiers": [], "units": 1},
        ] + ([{"code": "96415", "modifiers": [], "units": 1}] if draw.chance(0.5) else [])
    if key == "pet":
        return [{"code": "78815", "modifiers": [], "units": 1}, {"code": "A9552", "modifiers": [], "units": 1}]
    return [{"code": primary, "modifiers": [], "units": 1}]


def _state(draw: Draw, key: str, plan_type: str) -> str:
    if plan_type == "medicaid":
        return draw.pick(tuple(s for s in MEDICAID_STATES if not (key.startswith("cpap") and s == "CO")))
    if plan_type == "medicaid_managed_care":
        return draw.pick(tuple(MEDICAID_MCO))
    return draw.pick(OTHER_STATES)


def _payer(draw: Draw, plan_type: str, state: str) -> str:
    if plan_type == "medicaid":
        return MEDICAID_FFS[state]
    if plan_type == "medicaid_managed_care":
        return MEDICAID_MCO[state]
    return draw.pick(PAYERS[plan_type])


def _settle_common_items(ctx: Ctx, items: list[str]) -> None:
    """The common items are met by what was printed anywhere on the patient's pages: when a
    builder's choices left no page to carry one (no order, so no ordering NPI), it is unmet."""
    mine = [e for d in ctx.docs if d.patient == "case" for e in d.ledger]
    if "npi" in items and not any(e["kind"] == "npi" and e.get("role") == "ordering" and e.get("valid") for e in mine):
        ctx.failures.setdefault("npi", "not_printed")
    if "diagnosis" in items and not any(e["kind"] == "icd10" and e.get("assertion") == "present" for e in mine):
        ctx.failures.setdefault("diagnosis", "not_printed")
    if "member_id" in items and not any(e["kind"] == "member_id" for e in mine):
        ctx.failures.setdefault("member_id", "not_printed")


def generate_case(seed: int) -> Case:
    draw = Draw(f"precert-randomized/{GENERATOR_VERSION}/{seed}")
    unknown_only = draw.chance(UNKNOWN_ONLY)
    key = "unknown_only" if unknown_only else draw.weighted({k: s.weight for k, s in SERVICES.items()})
    spec = SERVICES["tka" if unknown_only else key]
    plan_type = draw.weighted(spec.plans)
    state = _state(draw, key, plan_type)
    payer = _payer(draw, plan_type, state)
    request_date = date(2026, 1, 5) + timedelta(days=draw.between(0, 175))
    urgency = "urgent" if draw.chance(0.12) else "standard"
    unknown = draw.pick(UNKNOWN_CODES) if unknown_only or draw.chance(UNKNOWN_ALONGSIDE) else None
    lines = [] if unknown_only else _lines(draw, key, plan_type)
    codes = tuple(ln["code"] for ln in lines)
    items = [] if unknown_only else items_for(key, plan_type, state, codes)
    complete = draw.chance(COMPLETE_SHARE) and unknown is None
    failures = {} if unknown_only else choose_failures(draw, items, complete=complete if unknown is None else draw.chance(0.5))
    if key == "pembrolizumab":
        jcode = lines[0]
        if failures.get("units"):
            jcode["units"] = None
        if plan_type == "medicare":
            jcode["modifiers"] = [] if failures.get("jw_jz_modifier") else [draw.pick(("JZ", "JZ", "JW"))]
        elif draw.chance(0.5):
            jcode["modifiers"] = ["JZ"]
    person = make_person(draw, request_date, min_age=66 if plan_type in ("medicare", "medicare_advantage") else 22)
    member = member_id_for(draw, plan_type, state)
    group = None
    if plan_type in ("commercial", "medicare_advantage") and draw.chance(0.6):
        group = draw.pick(
            (
                f"{draw.between(10000, 99999)}",
                f"GRP{draw.between(1000, 99999)}",
                f"{draw.between(100, 999)}-{draw.between(10, 99)}",
            )
        )
    ctx = Ctx(
        draw,
        spec,
        plan_type,
        state,
        payer,
        request_date,
        person,
        member,
        group,
        dict(failures),
        [dict(ln) for ln in lines],
        unknown,
    )
    ctx.notes["urgency"] = urgency
    BUILDERS[key](ctx)
    _settle_common_items(ctx, [i.name for i in items])
    missing = sorted(ctx.failures) + (["unknown_code"] if unknown else [])
    request_lines = [{"code": ln["code"], "modifiers": list(ln.get("modifiers") or []), "units": ln.get("units")} for ln in lines]
    if unknown:
        request_lines.append({"code": unknown, "modifiers": [], "units": 1})
    request: dict[str, Any] = {
        "service_lines": request_lines,
        "request_date": request_date.isoformat(),
        "payer_name": payer,
        "plan_type": plan_type,
        "state": state,
        "urgency": urgency,
        "episode": spec.episode if not unknown_only else "initial",
    }
    if draw.chance(0.3):
        request["date_of_service"] = (request_date + timedelta(days=draw.between(10, 30))).isoformat()
    pdfs, strings = {}, {}
    for doc in ctx.docs:
        out = render(doc, draw)
        pdfs[doc.file] = out.pdf
        strings[doc.file] = out.strings
    meta = {
        "case_id": case_id(seed),
        "seed": seed,
        "split": split_of(seed),
        "generator_version": GENERATOR_VERSION,
        "service": key,
        "request": request,
        "files": [d.file for d in ctx.docs],
        "documents": [d.to_truth() for d in ctx.docs],
        "truth": {
            "verdict": "incomplete" if missing else "complete",
            "missing": missing,
            "ways": {**ctx.failures, **({"unknown_code": unknown} if unknown else {})},
            "items": [i.name for i in items],
            "notes": {k: v for k, v in ctx.notes.items() if k != "ahi_band"},
        },
    }
    audit_case(meta, strings)
    return Case(meta, pdfs)


def ensure_case(seed: int, root: Path = DEFAULT_ROOT) -> Path:
    """The folder of the case of `seed` under root/<split>/, generated unless it is there."""
    folder = root / split_of(seed) / case_id(seed)
    meta = folder / "case.json"
    if meta.exists():
        try:
            if json.loads(meta.read_text()).get("generator_version") == GENERATOR_VERSION:
                return folder
        except (OSError, ValueError):
            pass
    case = generate_case(seed)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{case.case_id}-"))
    case.write(tmp)
    if folder.exists():
        shutil.rmtree(folder, ignore_errors=True)
    try:
        tmp.rename(folder)
    except OSError:  # another process wrote it first
        shutil.rmtree(tmp, ignore_errors=True)
    return folder
