"""Random choices of wording, layout and dates, all from one seeded `random.Random`."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TypeVar

T = TypeVar("T")

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
DATE_STYLES = ("mdy_slash", "mdy_short", "iso", "dd_mon_yyyy", "mon_d_yyyy", "d_month_yyyy")

# Label synonyms a clinic's systems print. `None` means: the value is printed with no label.
LABELS: dict[str, tuple[str | None, ...]] = {
    "member_id": ("Member ID", "Member #", "Subscriber ID", "ID No.", "Policy #", "Member No", "Insured ID", None),
    "patient": ("Patient", "Patient Name", "Name", "Pt", "Member Name", "Beneficiary"),
    "dob": ("DOB", "Date of Birth", "Birth Date", "D.O.B."),
    "payer": ("Payer", "Insurance", "Health Plan", "Plan", "Carrier", "Primary Insurance"),
    "group": ("Group #", "Group No.", "Grp", "Group Number"),
    "npi": ("NPI", "NPI #", "NPI No.", "Provider NPI", "National Provider ID"),
    "visit_date": ("Date of Service", "Visit Date", "DOS", "Encounter Date", "Date Seen", "Seen on"),
    "doc_date": ("Date", "Dated", "Report Date", "Date Signed"),
    "mrn": ("MRN", "Chart #", "Med Rec No.", "Account"),
    "phone": ("Phone", "Tel", "Ph", "Office"),
    "fax": ("Fax", "F", "Fax #"),
    "tax_id": ("Tax ID", "TIN", "EIN", "Fed Tax ID"),
}


class Draw:
    """A thin wrapper over `random.Random` with the choices the writers need."""

    def __init__(self, seed: int | str) -> None:
        self.rng = random.Random(seed)

    def pick(self, items: Sequence[T]) -> T:
        return items[self.rng.randrange(len(items))]

    def sample(self, items: Sequence[T], k: int) -> list[T]:
        return self.rng.sample(list(items), min(k, len(items)))

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def between(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def uniform(self, lo: float, hi: float) -> float:
        return self.rng.uniform(lo, hi)

    def weighted(self, options: dict[T, float]) -> T:
        keys = list(options)
        return self.rng.choices(keys, weights=[options[k] for k in keys], k=1)[0]

    def shuffled(self, items: Sequence[T]) -> list[T]:
        out = list(items)
        self.rng.shuffle(out)
        return out

    def days_before(self, d: date, lo: int, hi: int) -> date:
        return d - timedelta(days=self.between(lo, hi))

    def label(self, kind: str, *, allow_none: bool = True) -> str | None:
        options = LABELS[kind]
        if not allow_none:
            options = tuple(o for o in options if o is not None)
        return self.pick(options)

    def date_style(self) -> str:
        return self.pick(DATE_STYLES)


def format_date(d: date, style: str) -> str:
    if style == "mdy_slash":
        return f"{d.month:02d}/{d.day:02d}/{d.year}"
    if style == "mdy_short":
        return f"{d.month}/{d.day}/{d.year % 100:02d}"
    if style == "iso":
        return d.isoformat()
    if style == "dd_mon_yyyy":
        return f"{d.day:02d}-{MONTHS[d.month - 1][:3]}-{d.year}"
    if style == "mon_d_yyyy":
        return f"{MONTHS[d.month - 1][:3]} {d.day}, {d.year}"
    if style == "d_month_yyyy":
        return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    raise ValueError(style)
