"""Synthetic patients, providers, identifiers and decoy numbers. Nothing here is a real person.

Phone and fax numbers use the 555-01xx range reserved for fiction; NPIs are built with the
CMS check digit (Luhn over the 80840 prefix, reference section 3) so that a valid one and a
deliberately broken one can both be printed on purpose.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from datetime import date

from .draw import Draw

GIVEN = (
    "Avery",
    "Beatriz",
    "Calvin",
    "Dolores",
    "Emeka",
    "Farah",
    "Gideon",
    "Hollis",
    "Imani",
    "Joaquin",
    "Keiko",
    "Lorenzo",
    "Marisol",
    "Nadia",
    "Oren",
    "Priya",
    "Quentin",
    "Rosalind",
    "Silas",
    "Talia",
    "Ulises",
    "Verena",
    "Wendell",
    "Ximena",
    "Yusuf",
    "Zora",
    "Bertrand",
    "Consuelo",
    "Delphine",
    "Ezra",
)
FAMILY = (
    "Abernathy",
    "Bustamante",
    "Calloway",
    "Delacroix",
    "Esparza",
    "Fairbanks",
    "Galindo",
    "Haverford",
    "Ibarra",
    "Jorgensen",
    "Kowalczyk",
    "Lindqvist",
    "Montoya",
    "Nakashima",
    "Okafor",
    "Pemberton",
    "Quintanilla",
    "Rasmussen",
    "Szymanski",
    "Tolliver",
    "Underhill",
    "Villarreal",
    "Whitcombe",
    "Yellowhorse",
)
CREDENTIALS = ("MD", "DO", "NP", "PA-C")
SPECIALTY = {
    "spine": ("Desert Spine & Pain", "Mesa Orthopedic Associates", "Basin Physiatry Group"),
    "neuro": ("Highline Neurology", "Copper Valley Neurology Clinic"),
    "primary": ("Juniper Family Medicine", "Riverbend Internal Medicine", "Cholla Primary Care"),
    "sleep": ("Sagebrush Sleep Center", "Northfork Pulmonary & Sleep"),
    "ortho": ("Granite Peak Orthopaedics", "Saguaro Joint Institute"),
    "therapy": ("Kinetic Path Physical Therapy", "Bridgeway Rehab Services", "Alder Street PT"),
    "oncology": ("Mesa Verde Cancer Care", "Lakeshore Hematology Oncology"),
}
STREETS = ("E Camelback Rd", "N Alvernon Way", "Pacific Ave", "S Colfax Blvd", "W Mesa Dr", "Juan Tabo Blvd NE")
CITIES = {
    "AZ": ("Phoenix", "Tucson", "Flagstaff"),
    "WA": ("Tacoma", "Spokane", "Yakima"),
    "CO": ("Pueblo", "Aurora", "Greeley"),
    "TX": ("El Paso", "Lubbock", "Amarillo"),
    "NM": ("Albuquerque", "Las Cruces", "Santa Fe"),
    "NV": ("Reno", "Henderson"),
    "UT": ("Provo", "Ogden"),
}
ZIP_PREFIX = {"AZ": "85", "WA": "98", "CO": "80", "TX": "79", "NM": "87", "NV": "89", "UT": "84"}
AREA = {"AZ": "602", "WA": "253", "CO": "719", "TX": "915", "NM": "505", "NV": "775", "UT": "801"}

MBI_LETTERS = "ACDEFGHJKMNPQRTUVWXY"  # no S, L, O, I, B, Z


def npi_check_digit(first9: str) -> int:
    total = 24  # the 80840 prefix
    for i, ch in enumerate(reversed(first9)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def npi_is_valid(npi: str) -> bool:
    return len(npi) == 10 and npi.isdigit() and npi[0] in "12" and npi_check_digit(npi[:9]) == int(npi[9])


def make_npi(draw: Draw, *, valid: bool = True) -> str:
    first9 = draw.pick("12") + "".join(str(draw.between(0, 9)) for _ in range(8))
    check = npi_check_digit(first9)
    if not valid:
        check = (check + draw.between(1, 9)) % 10
    return first9 + str(check)


def luhn10_valid_any(number: str) -> bool:
    """True when a 10-digit string would pass the NPI check (for the audit)."""
    return npi_is_valid(number)


def make_mbi(draw: Draw) -> str:
    def a() -> str:
        return draw.pick(MBI_LETTERS)

    def an() -> str:
        return draw.pick(MBI_LETTERS + string.digits)

    def n() -> str:
        return str(draw.between(0, 9))

    return str(draw.between(1, 9)) + a() + an() + n() + a() + an() + n() + a() + a() + n() + n()


@dataclass
class MemberId:
    value: str  # as stored (no dashes)
    printed: str  # as printed on the page
    family: str  # mbi | ahcccs | providerone | health_first_colorado | commercial


def member_id_for(draw: Draw, plan_type: str, state: str) -> MemberId:
    if plan_type == "medicare":
        mbi = make_mbi(draw)
        printed = f"{mbi[:4]}-{mbi[4:7]}-{mbi[7:]}" if draw.chance(0.5) else mbi
        return MemberId(mbi, printed, "mbi")
    if plan_type in ("medicaid", "medicaid_managed_care") and state in ("AZ", "WA", "CO"):
        if state == "AZ":
            v = "A" + "".join(str(draw.between(0, 9)) for _ in range(8))
            return MemberId(v, v, "ahcccs")
        if state == "WA":
            v = "".join(str(draw.between(0, 9)) for _ in range(9)) + "WA"
            return MemberId(v, v, "providerone")
        v = draw.pick("ABCDEFGHJKLMNPRSTUVWXYZ") + "".join(str(draw.between(0, 9)) for _ in range(6))
        return MemberId(v, v, "health_first_colorado")
    prefix = "".join(draw.pick("ABCDEFGHJKMNPRTUWXYZ") for _ in range(draw.between(2, 3)))
    digits = "".join(str(draw.between(0, 9)) for _ in range(draw.between(8, 9)))
    v = prefix + digits
    if draw.chance(0.25):
        v += draw.pick("0123456789") + draw.pick("ABCDEFGH")  # suffix some plans add
    return MemberId(v, v, "commercial")


@dataclass
class Person:
    first: str
    last: str
    dob: date
    sex: str
    mrn: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    def printed_name(self, draw: Draw) -> str:
        return draw.pick(
            (f"{self.first} {self.last}", f"{self.last}, {self.first}", f"{self.last.upper()}, {self.first.upper()}")
        )


def make_person(draw: Draw, request_date: date, *, min_age: int = 25, max_age: int = 86) -> Person:
    age = draw.between(min_age, max_age)
    dob = date(request_date.year - age, draw.between(1, 12), draw.between(1, 28))
    mrn = "".join(str(draw.between(0, 9)) for _ in range(draw.pick((6, 7, 8))))
    return Person(draw.pick(GIVEN), draw.pick(FAMILY), dob, draw.pick("FM"), mrn)


@dataclass
class Practice:
    name: str
    street: str
    city: str
    state: str
    zip: str
    phone: str
    fax: str
    tax_id: str


@dataclass
class Provider:
    first: str
    last: str
    credential: str
    npi: str
    npi_valid: bool
    practice: Practice
    extras: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}, {self.credential}"


def make_phone(draw: Draw, state: str) -> str:
    area = AREA.get(state, "505")
    line = f"01{draw.between(0, 99):02d}"
    return draw.pick((f"({area}) 555-{line}", f"{area}-555-{line}", f"{area}.555.{line}"))


def make_zip(draw: Draw, state: str) -> str:
    return ZIP_PREFIX.get(state, "87") + f"{draw.between(0, 999):03d}"


def make_tax_id(draw: Draw) -> str:
    return f"{draw.between(10, 99)}-{draw.between(1000000, 9999999)}"


def make_practice(draw: Draw, kind: str, state: str) -> Practice:
    city = draw.pick(CITIES.get(state, ("Albuquerque",)))
    return Practice(
        name=draw.pick(SPECIALTY[kind]),
        street=f"{draw.between(100, 9899)} {draw.pick(STREETS)}",
        city=city,
        state=state,
        zip=make_zip(draw, state),
        phone=make_phone(draw, state),
        fax=make_phone(draw, state),
        tax_id=make_tax_id(draw),
    )


def make_provider(draw: Draw, practice: Practice, *, valid_npi: bool = True, credential: str | None = None) -> Provider:
    return Provider(
        first=draw.pick(GIVEN),
        last=draw.pick(FAMILY),
        credential=credential or draw.pick(CREDENTIALS),
        npi=make_npi(draw, valid=valid_npi),
        npi_valid=valid_npi,
        practice=practice,
    )
