"""What a complete case needs, per service, as a coordinator reads the payers' policies in
shared/reference/documentation-requirements.md (not the project's catalog).

Each `Item` is one thing a reviewer would look for; `ways` are the ways a generated case
leaves it unmet (each writer knows how to print that near miss). The truth of a case is the
list of items it leaves unmet, decided before any page is written and kept as the pages are.
"""

from __future__ import annotations

from dataclasses import dataclass

from .draw import Draw


@dataclass(frozen=True)
class Item:
    name: str
    source: str  # where in the reference
    ways: tuple[str, ...]  # how a case leaves it unmet


COMMON = {
    "member_id": Item("member_id", "2 checklist: member ID (MBI for Medicare)", ("absent",)),
    "npi": Item("npi", "2 ordering/referring NPI; 3 NPI check digit", ("absent", "invalid")),
    "diagnosis": Item("diagnosis", "2 ICD-10-CM diagnoses supporting the service", ("absent", "negated")),
    "order": Item("order", "2 CPT/HCPCS codes of the service (order / DMEPOS SWO)", ("absent", "wrong_code")),
    "same_patient": Item("same_patient", "2 member name/DOB/ID: documents of one patient", ("other_patient",)),
}
RECENT_NOTE = Item("recent_clinical_note", "4.3 General: clinical evaluation within ~60 days", ("stale", "undated"))
STATE_FORM = Item("state_pa_form", "5 AHCCCS FFS PA form / WA HCA 13-835 as page 1", ("absent",))

SERVICE_ITEMS: dict[str, tuple[Item, ...]] = {
    "lumbar_mri": (
        RECENT_NOTE,
        Item(
            "conservative_therapy",
            "4.3 MRI lumbar: red flag, or >= 6 weeks provider-directed conservative care",
            ("short", "absent", "improved"),
        ),
    ),
    "brain_mri": (RECENT_NOTE, Item("red_flag", "4.3 MRI brain: headache needs red flags", ("absent", "negated"))),
    "ct": (RECENT_NOTE,),
    "pet": (RECENT_NOTE,),  # the diagnosis item carries "biopsy-proven or strongly suspected cancer" (4.3 PET)
    "sleep_study": (
        RECENT_NOTE,
        Item("epworth", "4.4 sleep evaluation: Epworth", ("absent",)),
        Item("bmi", "4.4 sleep evaluation: BMI/neck", ("absent",)),
    ),
    "cpap_initial": (
        Item("evaluation_before_test", "4.5 (A) in-person evaluation before the sleep test", ("after_test", "undated")),
        Item("sleep_test", "4.5 (B) sleep test report", ("absent",)),
        Item("ahi", "4.5 (B) AHI/RDI >= 15 (>= 30 events), or 5-14 with a listed condition", ("low",)),
        Item("order_signed", "2 DMEPOS SWO element 6: practitioner signature", ("unsigned",)),
    ),
    "cpap_continuation": (
        Item(
            "reevaluation",
            "4.5 continuation: in-person re-evaluation day 31-91 showing benefit",
            ("absent", "too_early", "undated"),
        ),
        Item("adherence", "4.5 continuation: >= 4 h/night on >= 70% of nights in 30 days", ("low", "absent")),
    ),
    "tka": (
        RECENT_NOTE,
        Item("imaging", "4.7 TKA: KL 3-4 or >= 2 radiographic findings", ("absent", "mild")),
        Item("conservative_therapy", "4.7 TKA: >= 3 months failed conservative care", ("short",)),
        Item("medical_clearance", "4.7 TKA: medical clearance", ("absent", "pending")),
    ),
    "pt_initial": (
        Item("recent_clinical_note", "4.10 PT: the evaluation behind the plan of care (recent)", ("stale", "undated")),
        Item("plan_of_care", "4.10 plan of care: diagnosis, goals, type, amount, frequency, duration", ("absent",)),
    ),
    "pt_continuation": (
        Item(
            "progress_note_recent",
            "4.10 progress report every 10 treatment days; recert <= 90 days",
            ("stale_4mo", "stale_4mo", "undated"),
        ),
        Item("plan_of_care", "4.10 plan of care (current)", ("absent",)),
    ),
    "pembrolizumab": (
        RECENT_NOTE,
        Item("biomarker", "4.11 J9271: PD-L1 CPS/TPS, MSI-H/dMMR or TMB >= 10", ("absent", "pending")),
        Item("no_prior_pd1", "4.11 J9271: no prior PD-1/L1 failure", ("failed_pd1",)),
        Item("units", "2 units of the drug (J9271 1 mg/unit)", ("absent",)),
    ),
}
CERTIFICATION = Item("certification", "4.10 Medicare: physician certification of the plan of care", ("absent",))
PSG_INDICATION = Item("psg_indication", "4.4 PSG only for COPD/HF, hypoventilation, non-OSA disorder, failed HSAT", ("absent",))
JW_JZ = Item("jw_jz_modifier", "3 modifiers: JW/JZ on single-dose drugs (Medicare claims rule)", ("absent",))


@dataclass(frozen=True)
class ServiceSpec:
    key: str
    codes: tuple[str, ...]  # one or more drawn as the primary lines
    companions: tuple[str, ...]  # codes billed with it that select no service of their own
    episode: str
    plans: dict[str, float]
    weight: float


SERVICES: dict[str, ServiceSpec] = {
    s.key: s
    for s in (
        ServiceSpec(
            "lumbar_mri",
            ("72148", "72158"),
            (),
            "initial",
            {"commercial": 4, "medicare_advantage": 2, "medicaid": 2, "medicaid_managed_care": 2},
            12,
        ),
        ServiceSpec(
            "brain_mri",
            ("70551", "70552", "70553"),
            (),
            "initial",
            {"commercial": 4, "medicare_advantage": 2, "medicaid": 1, "medicaid_managed_care": 2},
            8,
        ),
        ServiceSpec(
            "ct",
            ("74177", "71250"),
            (),
            "initial",
            {"commercial": 4, "medicare_advantage": 2, "medicaid": 1, "medicaid_managed_care": 2},
            7,
        ),
        ServiceSpec(
            "pet", ("78815",), ("A9552",), "initial", {"commercial": 3, "medicare_advantage": 2, "medicaid_managed_care": 1}, 6
        ),
        ServiceSpec(
            "sleep_study",
            ("95810", "95806"),
            (),
            "initial",
            {"commercial": 3, "medicare_advantage": 2, "medicaid": 1, "medicaid_managed_care": 2},
            9,
        ),
        ServiceSpec(
            "cpap_initial",
            ("E0601",),
            ("A7030", "A7034", "A7035", "A7037", "A7038", "A7039", "A7046", "E0562"),
            "initial",
            {"medicare": 4, "medicare_advantage": 2, "commercial": 2, "medicaid": 1},
            10,
        ),
        ServiceSpec(
            "cpap_continuation",
            ("E0601",),
            ("A7030", "A7031", "A7032", "A7033", "A7035", "A7037", "A7038", "A7039", "A7046"),
            "continuation",
            {"medicare": 4, "medicare_advantage": 2, "commercial": 2},
            8,
        ),
        ServiceSpec(
            "tka",
            ("27447",),
            (),
            "initial",
            {"commercial": 3, "medicare_advantage": 3, "medicaid": 1, "medicaid_managed_care": 1},
            8,
        ),
        ServiceSpec(
            "pt_initial",
            ("97110",),
            ("97112", "97116", "97140", "97530", "97535"),
            "initial",
            {"medicare": 3, "commercial": 3, "medicaid_managed_care": 1},
            8,
        ),
        ServiceSpec(
            "pt_continuation",
            ("97110",),
            ("97112", "97116", "97140", "97530", "97535"),
            "continuation",
            {"medicare": 3, "commercial": 3, "medicaid_managed_care": 1},
            9,
        ),
        ServiceSpec("pembrolizumab", ("J9271",), ("96413", "96415"), "initial", {"commercial": 3, "medicare": 3}, 8),
    )
}
PT_EVAL_CODES = ("97161", "97162", "97163")
UNKNOWN_CODES = ("20610", "99213", "20611", "99214")
MEDICAID_STATES = ("AZ", "WA", "CO")
OTHER_STATES = ("AZ", "WA", "CO", "TX", "NM", "NV", "UT")


# A ruled-out diagnosis is a near miss that reads naturally before a test; after one (CPAP),
# or for a treatment (knee, therapy, drug), only a missing code is written.
NEGATABLE_DX = ("lumbar_mri", "brain_mri", "ct", "pet", "sleep_study")
DX_ABSENT_ONLY = Item("diagnosis", COMMON["diagnosis"].source, ("absent",))


def needs_state_form(plan_type: str, state: str) -> bool:
    return plan_type == "medicaid" and state in ("AZ", "WA")


def items_for(service: str, plan_type: str, state: str, codes: tuple[str, ...]) -> list[Item]:
    diagnosis = COMMON["diagnosis"] if service in NEGATABLE_DX else DX_ABSENT_ONLY
    items = [COMMON["member_id"], diagnosis, COMMON["same_patient"]]
    if service != "cpap_continuation":
        items += [COMMON["npi"], COMMON["order"]]
    items += SERVICE_ITEMS[service]
    if service == "sleep_study" and "95810" in codes:
        items.append(PSG_INDICATION)
    if service in ("pt_initial", "pt_continuation") and plan_type == "medicare":
        items.append(CERTIFICATION)
    if service == "pembrolizumab" and plan_type == "medicare":
        items.append(JW_JZ)
    if needs_state_form(plan_type, state):
        items.append(STATE_FORM)
    return items


def choose_failures(draw: Draw, items: list[Item], *, complete: bool) -> dict[str, str]:
    """item name -> the way it is left unmet (empty when the case is complete)."""
    if complete:
        return {}
    n = 1 if draw.chance(0.8) else 2
    # The service's own items are drawn three times as often as the common ones, and
    # same_patient (a page of another patient) least often.
    weights = {
        i.name: 0.3 if i.name == "same_patient" else 1.0 if i.name in COMMON else 1.5 if i is RECENT_NOTE else 3.0 for i in items
    }
    chosen: list[Item] = []
    while len(chosen) < min(n, len(items)):
        pick = draw.weighted({i: weights[i.name] for i in items if i not in chosen})
        chosen.append(pick)
    return {i.name: draw.pick(i.ways) for i in chosen}
