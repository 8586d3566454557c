"""The invented people and places behind the test corpus.

Documents are written about a small, consistent world (subjects with families, histories and
identifiers; councils with their own staff) so that the same person can appear on an agenda,
in minutes and in a prison letter, and so that records.csv can know some of them. Everything
comes from one ``random.Random`` so a seed always gives the same world.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

PNC_CHECK = "ZABCDEFGHJKLMNPQRTUVWXY"


def pnc_check_char(yy: int, serial: int) -> str:
    """Check character of a PNC ID: (YY followed by the 7-digit serial) mod 23."""
    return PNC_CHECK[int(f"{yy:02d}{serial:07d}") % 23]


def make_pnc(rng: random.Random, birth_year: int) -> str:
    first_arrest = min(birth_year + rng.randint(15, 30), 2024)
    yy = first_arrest % 100
    serial = rng.randint(1000, 999999)
    check = pnc_check_char(yy, serial)
    if rng.random() < 0.25:
        return f"{yy:02d}/{serial}{check}"
    return f"{yy:02d}/{serial:07d}{check}"


def pnc_valid(pnc: str) -> bool:
    """True when a PNC ID (YY/N...NA or YYYY/N...NA) carries the right check character."""
    try:
        year, rest = pnc.strip().upper().split("/")
        serial, check = int(rest[:-1]), rest[-1]
        return pnc_check_char(int(year) % 100, serial) == check
    except (ValueError, IndexError):
        return False


# ---------------------------------------------------------------- dates

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }".replace(" ", "")


DATE_STYLES = ("dmy_slash", "ordinal", "dmy_dot_short", "d_mon_yy", "weekday_long", "d_month_y",
               "dmy_dash", "dmy_slash_nopad", "weekday_ordinal", "dmy_slash_short", "d_mon_y")


def fmt_date(d: date, style: str) -> str:
    """Every day-first way UK agencies write a date."""
    mon = MONTHS[d.month - 1]
    match style:
        case "dmy_slash":
            return d.strftime("%d/%m/%Y")
        case "ordinal":
            return f"{ordinal(d.day)} {mon} {d.year}"
        case "dmy_dot_short":
            return d.strftime("%d.%m.%y")
        case "d_mon_yy":
            return f"{d.day} {mon[:3]} {d.strftime('%y')}"
        case "weekday_long":
            return f"{DAYS[d.weekday()]} {d.day} {mon} {d.year}"
        case "d_month_y":
            return f"{d.day} {mon} {d.year}"
        case "dmy_dash":
            return d.strftime("%d-%m-%Y")
        case "dmy_slash_nopad":
            return f"{d.day}/{d.month}/{d.year}"
        case "weekday_ordinal":
            return f"{DAYS[d.weekday()][:3]} {ordinal(d.day)} {mon} {d.year}"
        case "dmy_slash_short":
            return d.strftime("%d/%m/%y")
        case "d_mon_y":
            return f"{d.day} {mon[:3]} {d.year}"
    raise ValueError(style)


def age_on(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


# ---------------------------------------------------------------- people

MALE = ["John", "Darren", "Lee", "Craig", "Dean", "Mark", "Paul", "Jamie", "Ryan", "Kevin", "Stuart",
        "Mohammed", "Imran", "Tomasz", "Kwame", "Darius", "Wayne", "Gary", "Jason", "Callum", "Adrian"]
FEMALE = ["Karen", "Leanne", "Natasha", "Amy", "Kelly", "Sadia", "Joanne", "Gemma", "Michelle", "Zoe",
          "Agnieszka", "Abena", "Rachel", "Stacey", "Hayley"]
SURNAMES = ["SMITH", "Barker", "Wilkinson", "Fletcher", "Hussain", "Nowak", "Mensah", "Popescu", "Clarke",
            "Turner", "Walsh", "Patel", "Griffiths", "Holloway", "Doherty", "Okafor", "Bennett", "Marsh",
            "Lewis-Hartley", "Smith-Owusu", "Pennington", "Ashworth", "Kowalczyk", "Reid"]
# (given, family, sex): names with Welsh and Irish spelling and particles, kept whole.
SPECIAL = [("Gruffydd", "ap Rhys", "M"), ("Siân", "Llywelyn", "F"), ("Dafydd", "ap Iorwerth", "M"),
           ("Rhodri", "Llwyd", "M"), ("Eluned", "Prys", "F"), ("Siobhán", "O'Neill", "F"),
           ("Pádraig", "MacDonnchadha", "M"), ("Seán", "Ó Briain", "M"), ("Ciarán", "McGuinness", "M"),
           ("Aoife", "Ní Bhriain", "F"), ("Tadhg", "O'Sullivan", "M"), ("Owain", "Pritchard-Jones", "M")]
CHILD_M = ["Jack", "Noah", "Alfie", "Leo", "Oscar", "Harley", "Mason", "Kai", "Tyler", "Ibrahim", "Rhys",
           "Cian", "Jakub", "Kobe", "Freddie", "Logan", "Elis"]
CHILD_F = ["Lily", "Ella", "Amelia", "Ruby", "Maisie", "Isla", "Poppy", "Freya", "Aaliyah", "Niamh",
           "Cerys", "Zofia", "Ama", "Skye", "Evie", "Megan", "Gwen"]
NICKNAMES = {"John": "Johnny", "Darren": "Daz", "Lee": "Leon", "Mohammed": "Mo", "Tomasz": "Tom",
             "Kwame": "Kay", "Jason": "Jay", "Callum": "Cal", "Gruffydd": "Guto", "Pádraig": "Paddy",
             "Seán": "Shaun", "Dafydd": "Dai", "Kevin": "Kev", "Stuart": "Stu", "Natasha": "Tash"}
SCHOOLS = ["St Mary's Primary School", "Oakfield Primary School", "Brookside Academy", "Ysgol Gymraeg Treganna",
           "Hillview Junior School", "St Joseph's RC Primary", "Castle Mead Academy", "Parkside Nursery",
           "Greenway Infant School", "Ysgol y Garnedd"]


@dataclass
class Council:
    name: str
    short: str
    police: str
    probation: str
    welsh: bool
    towns: tuple[str, ...]
    streets: tuple[str, ...]
    postcodes: tuple[str, ...]
    courts: tuple[str, ...]
    prisons: tuple[str, ...]
    aps: tuple[str, ...]
    police_station: str
    districts: tuple[str, ...]
    domain: str


COUNCILS = [
    Council("London Borough of Camden", "Camden", "Metropolitan Police Service", "London Probation Service",
            False, ("London", "Kentish Town", "Camden Town"), ("Agar Grove", "Queen's Crescent", "Malden Road",
            "Prince of Wales Road"), ("NW1 9SR", "NW5 4NB", "NW5 3HT", "NW1 0LT"),
            ("Snaresbrook Crown Court", "Wood Green Crown Court", "Highbury Corner Magistrates' Court"),
            ("HMP Pentonville", "HMP Wandsworth", "HMP Thameside"), ("Elm House Approved Premises",
            "Kelley House Approved Premises"), "Kentish Town police station", ("North", "South"),
            "camden.example.gov.uk"),
    Council("Kent County Council", "Kent", "Kent Police", "Probation Service (Kent, Surrey and Sussex)", False,
            ("Maidstone", "Canterbury", "Dartford"), ("Tonbridge Road", "Sturry Road", "Lowfield Street",
            "Wincheap"), ("ME16 8TA", "CT1 1NX", "DA1 2HB", "ME14 2QQ"), ("Maidstone Crown Court",
            "Canterbury Crown Court"), ("HMP Elmley", "HMP Swaleside", "HMP Rochester"),
            ("Westgate Approved Premises", "Fleming House AP"), "Maidstone police station",
            ("West Kent", "East Kent"), "kent.example.gov.uk"),
    Council("Bedford Borough Council", "Bedford", "Bedfordshire Police", "Probation Service (East of England)",
            False, ("Bedford", "Kempston"), ("Midland Road", "Bedford Road", "Queen's Park Road"),
            ("MK40 1HG", "MK42 8PP", "MK41 7LD"), ("Luton Crown Court", "Bedford Magistrates' Court"),
            ("HMP Bedford", "HMP Littlehey", "HMP The Mount"), ("Bedford Approved Premises",),
            "Bedford police station", ("Bedford",), "bedford.example.gov.uk"),
    Council("Bristol City Council", "Bristol", "Avon and Somerset Police", "Probation Service (South West)",
            False, ("Bristol",), ("Stapleton Road", "Church Road", "Whitehall Road", "Wells Road"),
            ("BS5 0PU", "BS5 9JL", "BS4 2DT", "BS3 4LZ"), ("Bristol Crown Court",),
            ("HMP Bristol", "HMP Eastwood Park", "HMP Erlestoke"), ("Ashley House Approved Premises",
            "Brigstocke Road AP"), "Trinity Road police station", ("North", "East Central", "South"),
            "bristol.example.gov.uk"),
    Council("Cardiff Council / Cyngor Caerdydd", "Cardiff", "South Wales Police", "Probation Service Wales",
            True, ("Cardiff", "Ely"), ("Cowbridge Road East", "Clifton Street", "Newport Road"),
            ("CF5 1GW", "CF24 1LN", "CF11 9AA"), ("Cardiff Crown Court", "Swansea Crown Court"),
            ("HMP Cardiff", "HMP Parc", "HMP Swansea"), ("Mandeville House Approved Premises",
            "Ty Newydd Approved Premises"), "Cardiff Bay police station", ("City", "West"),
            "cardiff.example.gov.uk"),
    Council("Cyngor Gwynedd / Gwynedd Council", "Gwynedd", "North Wales Police", "Probation Service Wales",
            True, ("Caernarfon", "Bangor"), ("Stryd Fawr", "Ffordd Llanberis", "Holyhead Road"),
            ("LL55 1SH", "LL57 2EL", "LL55 2BA"), ("Mold Crown Court", "Caernarfon Crown Court"),
            ("HMP Berwyn", "HMP Altcourse"), ("Plas y Wern Approved Premises",), "Caernarfon police station",
            ("Arfon", "Dwyfor"), "gwynedd.example.gov.uk"),
]

PROFESSIONALS = [("DS Helen Marsh", "Police (MOSOVO)"), ("PC Andrew Cole", "Police (MAPPA Unit)"),
                 ("Rachel Okoro", "Probation Service"), ("Dr Priya Nair", "NHS Mental Health"),
                 ("Tom Evans", "Housing"), ("Samina Akhtar", "Children's Services"),
                 ("Gareth Hughes", "Youth Justice Service"), ("Julie Price", "Children's Services"),
                 ("Michael Osei", "Probation Service"), ("DI Lisa Baines", "Police (Chair)"),
                 ("Bethan Roberts", "Children's Services"), ("Chris Doyle", "DWP"),
                 ("Angela Ward", "MAPPA Coordinator"), ("Neil Carter", "Prison Offender Manager")]


@dataclass
class Child:
    given: str
    family: str
    sex: str
    dob: date
    relationship: str
    school: str
    ref: str | None = None
    status: str = ""
    worker: int = 0

    @property
    def name(self) -> str:
        return f"{self.given} {self.family}"


@dataclass
class Family:
    mother: str  # a third party: her name must never reach a child's file
    children: list[Child]
    current: bool  # the subject's current household / partner


@dataclass
class Subject:
    title: str
    given: str
    family: str
    sex: str
    dob: date
    aliases: list[str]
    pnc: str
    cro: str
    nomis: str
    crn: str
    nino: str
    phone: str
    email: str
    address: str
    postcode: str
    council: Council
    archetype: str
    level: int | None
    category: int | None
    court: str
    prison: str
    ap: str
    conviction_year: int
    release: date
    victims: list[tuple[str, int]]
    families: list[Family] = field(default_factory=list)
    ref: str | None = None
    child_offender: bool = False
    not_mappa: bool = False

    @property
    def name(self) -> str:
        return f"{self.given} {self.family}"

    @property
    def police_name(self) -> str:
        return f"{self.given} {self.family.upper()}"

    @property
    def children(self) -> list[Child]:
        return [c for f in self.families for c in f.children]


ARCHETYPES = ("contact_sexual", "online_sexual", "domestic", "violence", "cat3", "youth_sexual", "not_mappa")


def _crn(rng: random.Random) -> str:
    return f"{rng.choice('XEDC')}{rng.randint(100000, 999999)}"


def _nomis(rng: random.Random) -> str:
    letters = "ABCDEFGHJKLMNPRSTVWXY"
    return f"{rng.choice('AG')}{rng.randint(1000, 9999)}{rng.choice(letters)}{rng.choice(letters)}"


def _nino(rng: random.Random) -> str:
    first, second = "ABCEGHJKLMNOPRSTWXYZ", "ABCEGHJKLMNPRSTWXYZ"
    d = f"{rng.randint(0, 999999):06d}"
    return f"{rng.choice(first)}{rng.choice(second)} {d[:2]} {d[2:4]} {d[4:]} {rng.choice('ABCD')}"


def _cro(rng: random.Random, yy: int) -> str:
    return f"{rng.randint(1000, 999999):06d}/{yy:02d}{rng.choice('ABCDEFGHJKLMNPQRTUVWXY')}"


def _child(rng: random.Random, family: str, relationship: str, on: date, max_age: int = 15) -> Child:
    sex = "F" if relationship in ("daughter", "stepdaughter", "granddaughter", "niece") else (
        "M" if relationship in ("son", "stepson", "grandson", "nephew") else rng.choice("MF"))
    given = rng.choice(CHILD_F if sex == "F" else CHILD_M)
    age = rng.randint(1, max_age)
    dob = on - timedelta(days=age * 365 + rng.randint(10, 350))
    return Child(given, family, sex, dob, relationship, rng.choice(SCHOOLS))


def make_subject(rng: random.Random, archetype: str, council: Council, meeting: date,
                 used: set[str]) -> Subject:
    """A subject of one archetype, with families drawn to fit it."""
    while True:
        if rng.random() < 0.3:
            given, fam, sex = rng.choice(SPECIAL)
        else:
            sex = "M" if rng.random() < 0.88 else "F"
            given, fam = rng.choice(MALE if sex == "M" else FEMALE), rng.choice(SURNAMES).title()
            fam = "-".join(p[:1].upper() + p[1:] for p in fam.split("-"))
        if f"{given} {fam}" not in used:
            used.add(f"{given} {fam}")
            break
    child_offender = archetype == "youth_sexual"
    if child_offender:
        dob = meeting - timedelta(days=rng.randint(16, 17) * 365 + rng.randint(20, 300))
    else:
        dob = meeting - timedelta(days=rng.randint(22, 61) * 365 + rng.randint(0, 364))
    yy = (dob.year + 18) % 100
    title = ("Mr" if sex == "M" else rng.choice(["Ms", "Mrs", "Miss"]))
    aliases: list[str] = []
    if rng.random() < 0.4:
        nick = NICKNAMES.get(given) or rng.choice(MALE if sex == "M" else FEMALE)
        other = rng.choice(SURNAMES).title()
        aliases.append(rng.choice([f"{nick} {fam}", f"{given} {other}", f"{nick} {other}"]))
    level: int | None = rng.choice([1, 2, 2, 2, 3]) if archetype != "cat3" else rng.choice([2, 3])
    category = {"contact_sexual": 1, "online_sexual": 1, "youth_sexual": 1, "domestic": 2, "violence": 2,
                "cat3": 3, "not_mappa": None}[archetype]
    if archetype == "not_mappa":
        level = None
    street = rng.choice(council.streets)
    postcode = rng.choice(council.postcodes)
    address = f"{rng.randint(2, 180)} {street}, {rng.choice(council.towns)} {postcode}"
    conv = meeting.year - rng.randint(1, 9) if not child_offender else meeting.year - 1
    release = meeting + timedelta(days=rng.randint(-120, 90))
    victims = []
    for _ in range(rng.randint(1, 2)):
        vsex = rng.choice("MF")
        vname = f"{rng.choice(CHILD_F if vsex == 'F' else CHILD_M)} {rng.choice(SURNAMES).title()}"
        vage = rng.randint(6, 15) if archetype in ("contact_sexual", "online_sexual", "youth_sexual") else rng.randint(19, 45)
        if archetype in ("domestic",):
            vname = f"{rng.choice(FEMALE)} {rng.choice(SURNAMES).title()}"
        victims.append((vname, vage))
    s = Subject(title, given, fam, sex, dob, aliases, make_pnc(rng, dob.year), _cro(rng, yy), _nomis(rng),
                _crn(rng), _nino(rng), f"07700 900{rng.randint(100, 999)}",
                f"{given[0].lower()}.{fam.lower().replace(' ', '').replace(chr(39), '')}{rng.randint(10, 99)}@example.net",
                address, postcode, council, archetype, level, category, rng.choice(council.courts),
                rng.choice(council.prisons), rng.choice(council.aps), conv, release, victims,
                child_offender=child_offender, not_mappa=archetype == "not_mappa")
    if child_offender:
        s.aliases = []
        s.prison = rng.choice(["HMYOI Feltham", "HMYOI Wetherby", "HMYOI Werrington"])
        # his own siblings are the children at risk
        fam_children = [_child(rng, fam, rng.choice(["sister", "brother", "half-sister"]), meeting, 12)]
        s.families = [Family(f"{rng.choice(FEMALE)} {fam}", fam_children, True)]
        return s
    n_fam = 2 if rng.random() < 0.2 else (1 if rng.random() < 0.85 else 0)
    for i in range(n_fam):
        mother_fam = rng.choice(SURNAMES).title()
        mother = f"{rng.choice(FEMALE)} {mother_fam}"
        kids: list[Child] = []
        for _ in range(rng.randint(1, 3)):
            rel = rng.choice(["son", "daughter", "son", "daughter", "stepdaughter", "stepson",
                              "partner's child", "grandson", "niece"])
            surname = fam if rel in ("son", "daughter") and rng.random() < 0.6 else mother_fam
            kid = _child(rng, surname, rel, meeting)
            if all(k.given != kid.given for k in kids):
                kids.append(kid)
        s.families.append(Family(mother, kids, current=(i == n_fam - 1)))
    return s


def other_person(rng: random.Random) -> str:
    return f"{rng.choice(FEMALE + MALE)} {rng.choice(SURNAMES).title()}"
