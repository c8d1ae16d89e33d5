"""The documents of one case, per service: which documents, what each says, and so what the
case meets. Every near miss a policy item names (`policies.SERVICE_ITEMS[...].ways`) is
written here, where the value is printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .documents import Doc, PatientView, diagnosis_lines, insurance_card, letterhead, order_lines_table, patient_block, signature
from .draw import Draw
from .people import MemberId, Person, Practice, Provider, make_practice, make_provider
from .policies import ServiceSpec, needs_state_form

DESCRIPTIONS = {
    "72148": "MRI lumbar spine without contrast",
    "72158": "MRI lumbar spine without and with contrast",
    "72146": "MRI thoracic spine without contrast",
    "72157": "MRI thoracic spine without and with contrast",
    "70551": "MRI brain without contrast",
    "70552": "MRI brain with contrast",
    "70553": "MRI brain without and with contrast",
    "70544": "MR angiography head without contrast",
    "74177": "CT abdomen and pelvis with contrast",
    "74150": "CT abdomen without contrast",
    "71250": "CT chest without contrast",
    "71045": "Chest x-ray, single view",
    "78815": "PET/CT skull base to mid-thigh",
    "78816": "PET/CT whole body",
    "A9552": "F-18 FDG, diagnostic, per study dose",
    "95810": "Polysomnography, attended, 4+ parameters",
    "95811": "Polysomnography with CPAP titration",
    "95806": "Home sleep apnea test, unattended",
    "95800": "Sleep study, unattended, simultaneous recording",
    "E0601": "CPAP device",
    "E0470": "Bi-level device without backup rate",
    "E0562": "Heated humidifier, used with PAP",
    "A7030": "Full face mask",
    "A7031": "Face mask interface, replacement",
    "A7032": "Nasal cushion, replacement",
    "A7033": "Nasal pillows, replacement",
    "A7034": "Nasal mask interface",
    "A7035": "Headgear",
    "A7037": "Tubing",
    "A7038": "Filter, disposable",
    "A7039": "Filter, non-disposable",
    "A7046": "Water chamber for humidifier",
    "27447": "Total knee arthroplasty",
    "27446": "Unicompartmental knee arthroplasty",
    "97161": "PT evaluation, low complexity",
    "97162": "PT evaluation, moderate complexity",
    "97163": "PT evaluation, high complexity",
    "97110": "Therapeutic exercise, each 15 min",
    "97150": "Group therapeutic procedures",
    "97112": "Neuromuscular re-education",
    "97116": "Gait training",
    "97140": "Manual therapy",
    "97530": "Therapeutic activities",
    "97535": "Self-care/home management training",
    "J9271": "Injection, pembrolizumab, 1 mg",
    "J9299": "Injection, nivolumab, 1 mg",
    "96413": "Chemotherapy administration, IV infusion, up to 1 hour",
    "96415": "Chemotherapy administration, IV infusion, each additional hour",
    "20610": "Arthrocentesis/injection, major joint",
    "20611": "Arthrocentesis, major joint, with ultrasound guidance",
    "99213": "Office visit, established, low complexity",
    "99214": "Office visit, established, moderate complexity",
}
WRONG_CODE = {
    "72148": "72146",
    "72158": "72157",
    "70551": "70544",
    "70552": "70544",
    "70553": "70544",
    "74177": "74150",
    "71250": "71045",
    "78815": "78816",
    "95810": "95811",
    "95806": "95800",
    "E0601": "E0470",
    "27447": "27446",
    "97110": "97150",
    "J9271": "J9299",
}
COMORBID = [
    {"code": "I10", "text": "Essential hypertension"},
    {"code": "E11.9", "text": "Type 2 diabetes mellitus without complications"},
    {"code": "E78.5", "text": "Hyperlipidemia, unspecified"},
    {"code": "K21.9", "text": "GERD without esophagitis"},
]
NEGATED_DECOYS = [
    {"code": "I82.401", "text": "Acute DVT of right femoral vein", "assertion": "negated"},
    {"code": "N39.0", "text": "Urinary tract infection", "assertion": "negated"},
    {"code": "J18.9", "text": "Pneumonia", "assertion": "historical"},
]


def kind_of(code: str) -> str:
    return "cpt" if code[0].isdigit() else "hcpcs"


@dataclass
class Ctx:
    draw: Draw
    spec: ServiceSpec
    plan_type: str
    state: str
    payer: str
    request_date: date
    person: Person
    member: MemberId
    group: str | None
    failures: dict[str, str]
    lines: list[dict[str, Any]]  # the request's service lines: code, modifiers, units
    unknown_code: str | None = None
    docs: list[Doc] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)
    practice: Practice | None = None
    orderer: Provider | None = None

    def fail(self, item: str) -> str | None:
        return self.failures.get(item)

    def pv(self) -> PatientView:
        member = None if self.fail("member_id") else self.member
        return PatientView(self.person, member, self.payer, self.group)

    def new_doc(self, doc_type: str, when: date | None, stem: str, *, undated: bool = False) -> Doc:
        doc = Doc(f"{len(self.docs) + 1:02d}_{stem}.pdf", doc_type, when, self.draw.date_style(), undated=undated)
        self.docs.append(doc)
        return doc

    def show_npi(self) -> bool:
        return self.fail("npi") != "absent"


def setup_providers(ctx: Ctx, kind: str) -> None:
    ctx.practice = make_practice(ctx.draw, kind, ctx.state)
    ctx.orderer = make_provider(
        ctx.draw, ctx.practice, valid_npi=ctx.fail("npi") != "invalid", credential=ctx.draw.pick(("MD", "DO", "NP"))
    )


def supporting_dx(ctx: Ctx, pool: list[dict[str, str]], k: int = 1) -> list[dict[str, str]]:
    """The diagnoses printed on the clinical documents, as the diagnosis item decides."""
    draw = ctx.draw
    chosen = [dict(d) for d in draw.sample(pool, k)]
    way = ctx.fail("diagnosis")
    if way == "absent":
        return []
    if way == "negated":
        for d in chosen:
            d["assertion"] = "negated"
        return chosen
    out = chosen
    if draw.chance(0.4):
        out = [*out, dict(draw.pick(COMORBID))]
    if draw.chance(0.3):
        out = [*out, dict(draw.pick(NEGATED_DECOYS))]
    return out


def order_dx(dx: list[dict[str, str]]) -> list[dict[str, str]]:
    return [d for d in dx if d.get("assertion", "present") == "present"]


def vitals(doc: Doc, draw: Draw) -> None:
    doc.line(
        f"BP {draw.between(112, 156)}/{draw.between(66, 94)}  HR {draw.between(58, 96)}  "
        f"SpO2 {draw.between(93, 99)}%  Temp {draw.pick(('98.1', '98.4', '97.9', '98.6'))} F"
    )


def note_dx_section(doc: Doc, draw: Draw, dx: list[dict[str, str]], words: str) -> None:
    if dx:
        diagnosis_lines(doc, draw, dx, header=draw.pick(("Assessment", "Impression", "Assessment/Plan")))
    else:
        doc.heading(draw.pick(("Assessment", "Impression")))
        doc.prose(words)


def order_doc(ctx: Ctx, when: date, dx: list[dict[str, str]], title: str, *, signed: bool = True) -> Doc | None:
    """The order naming the service (absent or naming the wrong code as the order item says)."""
    if ctx.fail("order") == "absent":
        return None
    draw = ctx.draw
    doc = ctx.new_doc("order", when, "order")
    assert ctx.practice and ctx.orderer
    letterhead(doc, draw, ctx.practice)
    doc.heading(title)
    if not doc.undated:
        doc.line(f"{draw.pick(('Order date', 'Date ordered', 'Date'))}: {doc.d(when)}")
    patient_block(doc, draw, ctx.pv())
    lines = [dict(ln) for ln in ctx.lines]
    if ctx.fail("order") == "wrong_code":
        for ln in lines:
            if ln["code"] in WRONG_CODE:
                ln["code"] = WRONG_CODE[ln["code"]]
                ln["wrong"] = True
    for ln in lines:
        ln["kind"] = kind_of(ln["code"])
        ln["desc"] = DESCRIPTIONS[ln["code"]]
    if ctx.unknown_code:
        lines.append({"code": ctx.unknown_code, "kind": "cpt", "desc": DESCRIPTIONS[ctx.unknown_code], "units": 1})
    order_lines_table(doc, draw, lines)
    present = order_dx(dx)
    if present:
        diagnosis_lines(doc, draw, present)
    doc.line(f"{draw.pick(('Ordering provider', 'Ordered by', 'Referring physician'))}: {ctx.orderer.name}")
    signature(doc, draw, ctx.orderer, when, npi=ctx.show_npi(), signed=signed)
    return doc


def maybe_card(ctx: Ctx) -> None:
    if ctx.fail("member_id") or not ctx.draw.chance(0.35):
        return
    doc = ctx.new_doc("insurance_card", None, "card", undated=True)
    insurance_card(doc, ctx.draw, ctx.pv(), f"{ctx.draw.between(100000, 999999)}")


def state_form(ctx: Ctx, when: date, dx: list[dict[str, str]]) -> None:
    """AHCCCS FFS PA form / HCA 13-835, as page 1, unless the case leaves it out."""
    if not needs_state_form(ctx.plan_type, ctx.state) or ctx.fail("state_pa_form"):
        return
    draw = ctx.draw
    doc = Doc("00_pa_form.pdf", "prior_auth_form", when, draw.date_style())
    if ctx.state == "AZ":
        doc.title("AHCCCS Fee-For-Service Prior Authorization Request")
    else:
        doc.title("HCA 13-835 Apple Health Prior Authorization Request (General)")
    pv = ctx.pv()
    doc.line(f"Request date: {doc.d(when)}   Urgency: {ctx.notes.get('urgency', 'standard')}")
    doc.line(f"Member name: {ctx.person.printed_name(draw)}   DOB: {doc.d(ctx.person.dob)}")
    if pv.member:
        doc.line(f"Member ID: {doc.code('member_id', pv.member.value, printed=pv.member.printed, family=pv.member.family)}")
    else:
        doc.line("Member ID: ______________")
    assert ctx.orderer
    npi = doc.code("npi", ctx.orderer.npi, valid=ctx.orderer.npi_valid, role="ordering") if ctx.show_npi() else "__________"
    doc.line(f"Requesting provider: {ctx.orderer.name}   NPI: {npi}")
    doc.line(
        f"Contact phone: {doc.decoy('phone', ctx.orderer.practice.phone)}   Fax: {doc.decoy('fax', ctx.orderer.practice.fax)}"
    )
    if ctx.fail("order") != "absent":
        rows = [
            [doc.code(kind_of(ln["code"]), ln["code"], role="form"), DESCRIPTIONS[ln["code"]], str(ln.get("units") or 1)]
            for ln in ctx.lines
        ]
        doc.table(["Service code", "Description", "Units"], rows)
    present = order_dx(dx)
    if present:
        doc.line("Diagnosis codes: " + ", ".join(doc.code("icd10", d["code"], assertion="present") for d in present))
    ctx.docs.insert(0, doc)


def other_patient_doc(ctx: Ctx, when: date, person: Person, member: MemberId) -> None:
    draw = ctx.draw
    doc = ctx.new_doc("lab_report", when, "lab")
    doc.patient = "other"
    doc.title(draw.pick(("Laboratory Report", "Basic Metabolic Panel", "Outside records: lab results")))
    pv = PatientView(person, member, ctx.payer)
    patient_block(doc, draw, pv, visit=when, visit_label="Collected")
    doc.table(
        ["Test", "Result", "Reference"],
        [
            ["Sodium", f"{draw.between(134, 144)} mmol/L", "135-145"],
            ["Creatinine", f"{draw.uniform(0.6, 1.4):.2f} mg/dL", "0.6-1.3"],
            ["Glucose", f"{draw.between(78, 160)} mg/dL", "70-99"],
        ],
    )


def _other_person(ctx: Ctx) -> tuple[Person, MemberId]:
    from .people import make_person, member_id_for

    return make_person(ctx.draw, ctx.request_date), member_id_for(ctx.draw, ctx.plan_type, ctx.state)


def finish(ctx: Ctx, dx: list[dict[str, str]]) -> None:
    state_form(ctx, ctx.request_date - timedelta(days=ctx.draw.between(0, 2)), dx)
    maybe_card(ctx)
    if ctx.fail("same_patient"):
        person, member = _other_person(ctx)
        other_patient_doc(ctx, ctx.request_date - timedelta(days=ctx.draw.between(3, 40)), person, member)
    if ctx.draw.chance(0.3):  # documents arrive in any order, but a state form stays first
        first = [d for d in ctx.docs if d.doc_type == "prior_auth_form"]
        rest = ctx.draw.shuffled([d for d in ctx.docs if d.doc_type != "prior_auth_form"])
        ctx.docs[:] = first + rest
    for i, doc in enumerate(ctx.docs, start=1):  # file names follow the order of the packet
        doc.file = f"{i:02d}_{doc.file.split('_', 1)[1]}"


def clinical_note(
    ctx: Ctx,
    *,
    stem: str,
    title: str,
    when_way: str | None,
    fresh: tuple[int, int] = (3, 40),
    stale: tuple[int, int] = (100, 220),
    when: date | None = None,
) -> Doc:
    """A dated (or stale, or undated) office note with letterhead and patient block."""
    draw = ctx.draw
    if when is None:
        lo, hi = stale if when_way in ("stale", "stale_4mo") else fresh
        when = ctx.request_date - timedelta(days=draw.between(lo, hi))
    doc = ctx.new_doc("progress_note", when, stem, undated=when_way == "undated")
    assert ctx.practice
    letterhead(doc, draw, ctx.practice)
    doc.heading(title)
    patient_block(doc, draw, ctx.pv(), visit=when)
    return doc


def sign_note(ctx: Ctx, doc: Doc, who: Provider | None = None, role: str = "ordering") -> None:
    who = who or ctx.orderer
    assert who
    show = ctx.show_npi() if who is ctx.orderer else True
    signature(doc, ctx.draw, who, doc.date, npi=show, role=role)
