"""People, places and wording for the foreign corpus (``tests.docgen.foreign``).

Deliberately shares nothing with ``tests.docgen.world`` / ``content``: other names, other
forces and councils, other ways of writing dates, risks, offences and plans. The service was
tuned on the home generator; this one stands in for the authors it has never seen.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

_CHECK = "ZABCDEFGHJKLMNPQRTUVWXY"
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SHORT_DAYS = ["Mon", "Tues", "Weds", "Thurs", "Fri", "Sat", "Sun"]


def _ord(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}" + {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


STYLES = ("short_day_ord", "apostrophe_year", "dots_short", "comma_weekday", "ord_mon_dot", "mon_dash",
          "slash", "iso", "day_month_year")


def when(d: date, style: str) -> str:
    """Dates as these authors write them: "Tues 4th Feb 2025", "4 February '25", "04-Feb-2025"..."""
    m = MONTHS[d.month - 1]
    match style:
        case "short_day_ord":
            return f"{SHORT_DAYS[d.weekday()]} {_ord(d.day)} {m[:3]} {d.year}"
        case "apostrophe_year":
            return f"{d.day} {m} '{d.year % 100:02d}"
        case "dots_short":
            return f"{d.day}.{d.month}.{d.year % 100:02d}"
        case "comma_weekday":
            return f"{DAYS[d.weekday()]}, {d.day} {m} {d.year}"
        case "ord_mon_dot":
            return f"{_ord(d.day)} {m[:3]}. {d.year}" if m[:3] != m else f"{_ord(d.day)} {m} {d.year}"
        case "mon_dash":
            return f"{d.day:02d}-{m[:3]}-{d.year}"
        case "slash":
            return d.strftime("%d/%m/%Y")
        case "iso":
            return d.isoformat()
        case "day_month_year":
            return f"{d.day} {m} {d.year}"
    raise ValueError(style)


def pnc(rng: random.Random, year: int) -> str:
    yy, serial = year % 100, rng.randint(10000, 999999)
    return f"{yy:02d}/{serial:07d}{_CHECK[int(f'{yy:02d}{serial:07d}') % 23]}"


def cro(rng: random.Random) -> str:
    yy, serial = rng.randint(80, 99), rng.randint(1000, 99999)
    return f"{serial:06d}/{yy:02d}{_CHECK[int(f'{yy:02d}{serial:06d}') % 23]}"


def prison_no(rng: random.Random) -> str:
    letters = "BCDFGHJKLMNPRTVWXY"
    return f"A{rng.randint(1000, 9999)}{rng.choice(letters)}{rng.choice(letters)}"


@dataclass(frozen=True)
class Area:
    force: str
    council: str
    probation: str
    towns: tuple[str, ...]
    streets: tuple[str, ...]
    postcodes: tuple[str, ...]
    courts: tuple[str, ...]
    prisons: tuple[str, ...]
    hostels: tuple[str, ...]
    welsh: bool = False


AREAS = (
    Area("Cleveland Police", "Hartlepool Borough Council", "Probation Service North East", ("Hartlepool", "Seaton Carew"),
         ("Alder Grove", "Raby Road", "Brougham Terrace"), ("TS24 8QP", "TS25 1LB", "TS26 9HU"),
         ("Teesside Crown Court", "Teesside Magistrates' Court"), ("HMP Durham", "HMP Holme House", "HMP & YOI Deerbolt"),
         ("Bridgewater House AP", "Nelson House Approved Premises")),
    Area("Lancashire Constabulary", "Blackburn with Darwen Borough Council", "Probation Service North West",
         ("Blackburn", "Darwen"), ("Whalley New Road", "Audley Range", "Bolton Road"), ("BB1 9SU", "BB2 1NE", "BB3 1BQ"),
         ("Preston Crown Court", "Burnley Crown Court"), ("HMP Preston", "HMP Garth", "HMP Lancaster Farms"),
         ("Highfield House AP", "Haworth House Approved Premises")),
    Area("Dyfed-Powys Police", "Cyngor Sir Ceredigion / Ceredigion County Council", "Probation Service Wales",
         ("Aberystwyth", "Cardigan"), ("Heol y Bont", "Stryd y Popty", "North Parade"), ("SY23 1PZ", "SA43 1HL", "SY23 2DG"),
         ("Swansea Crown Court", "Aberystwyth Justice Centre"), ("HMP Parc", "HMP Swansea", "HMP Berwyn"),
         ("Ty Llywelyn Approved Premises", "Quay House AP"), welsh=True),
    Area("West Mercia Police", "Telford & Wrekin Council", "Probation Service West Midlands", ("Telford", "Wellington"),
         ("Hadley Park Road", "Regent Street", "Dawley Bank"), ("TF1 5AB", "TF2 6NP", "TF4 3AU"),
         ("Shrewsbury Crown Court", "Worcester Crown Court"), ("HMP Stoke Heath", "HMP Hewell", "HMYOI Brinsford"),
         ("Linwood House AP", "Shrewsbury Approved Premises")),
    Area("Norfolk Constabulary", "Norfolk County Council", "Probation Service East of England", ("Norwich", "Great Yarmouth"),
         ("Dereham Road", "Magdalen Street", "Southtown Road"), ("NR2 4PG", "NR3 1BY", "NR31 0JB"),
         ("Norwich Crown Court", "Great Yarmouth Magistrates' Court"), ("HMP Norwich", "HMP Wayland", "HMP Bure"),
         ("John Boag House AP", "Norvic Approved Premises")),
)

MEN = [("Trevor", "ELLWOOD"), ("Nigel", "HAWORTH"), ("Shane", "QUIGLEY"), ("Aaron", "Oyelaran"), ("Reece", "Fairclough"),
       ("Kieran", "MULLIGAN"), ("Connor", "Thistlethwaite"), ("Bartosz", "Dąbrowski"), ("Florin", "Varga"),
       ("Tyrone", "ACHEAMPONG"), ("Graham", "Pickering"), ("Declan", "BRENNAN"), ("Anthony", "Cartwright"),
       ("Ashley", "Moorcroft"), ("Carl", "Ramsbottom"), ("Jordan", "Hargreaves"), ("Niall", "KAVANAGH"),
       ("Iestyn", "Bowen"), ("Gethin", "PRYCE"), ("Emyr", "ap Dafydd"), ("Mustafa", "Yilmaz"), ("Lewis", "Ferreira-Hart")]
WOMEN = ["Roxanne Dearden", "Chantelle Bray", "Kirsty Loughlin", "Shauna Whitfield", "Danielle Okonjo", "Becky Strand",
         "Paula Maddox", "Leigh-Anne Cross", "Nia Hopcyn", "Tamsin Rudd"]
KIDS_M = ["Archie", "Finlay", "Ollie", "Yusuf", "Reggie", "Teddy", "Brody", "Kacper", "Osian", "Harvey", "Jenson"]
KIDS_F = ["Tilly", "Esme", "Harriet", "Rosie", "Sienna", "Zainab", "Bobbie", "Macy", "Lacey", "Darcey", "Carys", "Nevaeh"]
PROS = [("DI Sarah Whitlock", "Police", "Chair"), ("DS Martin Crowe", "Police", "MOSOVO"),
        ("Mark Denholm", "Probation", "Probation Practitioner"), ("Jo Farrant", "Children's Social Care", "Team Manager"),
        ("Priya Raman", "Children's Social Care", "Social Worker"), ("Olu Adebayo", "Probation", "Senior Probation Officer"),
        ("Fiona Threlfall", "Health", "Safeguarding Nurse"), ("Gwyn Morgan", "Children's Social Care", "Practice Lead"),
        ("Hannah Leckie", "Housing", "Housing Officer"), ("Rob Tennant", "Police", "PPU Sergeant"),
        ("Claire Ashdown", "MAPPA Coordinator", "MAPPA Administrator"), ("Steph Kaur", "Education", "Designated Safeguarding Lead")]
CSC_PROS = [p for p in PROS if p[1] == "Children's Social Care"]
OTHER_PROS = [p for p in PROS if p[1] != "Children's Social Care"]

# Per kind of offending: (offences, sentences, risks to keep, victims' descriptions)
OFFENDING: dict[str, tuple[list[str], list[str], list[str]]] = {
    "contact": (
        ["sexual assault of a 9 year old girl", "rape of a child under 13", "sexual activity with a child",
         "indecent assault on his stepdaughter", "assault by penetration of a child"],
        ["4 years and 8 months custody", "an extended determinate sentence of 11 years", "a SHPO lasting 15 years",
         "7 years imprisonment", "an indefinite Sexual Harm Prevention Order"],
        ["high risk of serious harm to children", "risk of sexual harm to pre-pubescent girls",
         "risk of sexual harm to children under 13", "very high risk of serious harm to female children"],
    ),
    "online": (
        ["making indecent images of children", "attempting to incite a child to engage in sexual activity",
         "engaging in sexual communication with a child", "possession of 4,000 indecent images"],
        ["a 2 year suspended sentence", "a community order with 200 hours unpaid work", "28 months imprisonment",
         "a SHPO restricting his internet use for 10 years"],
        ["risk of sexual harm to children online", "risk of sexual harm to teenage girls",
         "medium risk of serious harm to children"],
    ),
    "domestic": (
        ["ABH against his former partner", "coercive and controlling behaviour", "breach of a restraining order",
         "strangulation of his ex-partner"],
        ["30 months custody", "a restraining order until further order", "22 months in prison"],
        ["risk of emotional harm to children living in the household", "risk of violence towards female partners",
         "high risk of serious harm to known adults", "risk of physical harm to children who witness domestic abuse"],
    ),
    "violence": (
        ["wounding with intent", "robbery of a shop worker", "a knife attack outside a pub", "s.20 GBH"],
        ["9 years imprisonment", "an extended sentence of 14 years", "6 years' custody"],
        ["high risk of serious harm to the public", "risk of physical harm to children",
         "risk of violence to known adults"],
    ),
}
KINDS = tuple(OFFENDING)
CATEGORY_FOR = {"contact": 1, "online": 1, "domestic": 2, "violence": 2}


@dataclass
class Kid:
    given: str
    family: str
    dob: date
    relationship: str  # to the subject

    @property
    def name(self) -> str:
        return f"{self.given} {self.family}"


@dataclass
class Person:
    given: str
    family: str
    dob: date
    kind: str
    area: Area
    level: int
    pnc: str
    cro: str
    prison_no: str
    address: str
    partner: str  # a third party
    victim: str  # a third party
    kids: list[Kid] = field(default_factory=list)
    alias: str = ""

    @property
    def name(self) -> str:
        return f"{self.given} {self.family}"

    @property
    def caps(self) -> str:
        """Police style: the family name in capitals, a Welsh particle kept small ("Emyr ap DAFYDD")."""
        return f"{self.given} {upper_family(self.family)}"

    @property
    def category(self) -> int:
        return CATEGORY_FOR[self.kind]


RELS_M = ["son", "son", "stepson", "partner's son", "grandson", "nephew"]
RELS_F = ["daughter", "daughter", "stepdaughter", "partner's daughter", "granddaughter", "niece"]


def make_person(rng: random.Random, used: set[str], meeting: date) -> Person:
    while True:
        given, family = rng.choice(MEN)
        if given not in used:
            used.add(given)
            break
        if len(used) >= len(MEN):
            used.clear()
    area = rng.choice(AREAS)
    dob = date(rng.randint(1966, 1999), rng.randint(1, 12), rng.randint(1, 28))
    kind = rng.choice(KINDS)
    partner = rng.choice(WOMEN)
    victim = rng.choice([w for w in WOMEN if w != partner])
    num = rng.randint(2, 148)
    street = rng.choice(area.streets)
    address = f"{num} {street}, {area.towns[0]} {rng.choice(area.postcodes)}"
    p = Person(given, family, dob, kind, area, rng.choice([1, 2, 2, 2, 3]), pnc(rng, dob.year + rng.randint(16, 25)),
               cro(rng), prison_no(rng), address, partner, victim)
    if rng.random() < 0.3:
        p.alias = rng.choice([a for a in ("Tez", "Nige", "Shaz", "Big Al", "Deco", "Tony B") if a.lower() not in given.lower()])
    partner_family = partner.split()[-1]
    n = rng.choice([1, 2, 2, 3])
    kids_used: set[str] = set()
    for _ in range(n):
        pool = KIDS_M + KIDS_F
        g = rng.choice([x for x in pool if x not in kids_used])
        kids_used.add(g)
        age = rng.randint(1, 15)
        kdob = date(meeting.year - age, rng.randint(1, 12), rng.randint(1, 28))
        if kdob >= meeting:
            kdob = kdob - timedelta(days=365)
        rel = rng.choice(RELS_M if g in KIDS_M else RELS_F)
        fam = family if rel in ("son", "daughter") else partner_family
        p.kids.append(Kid(g, fam.title() if fam.isupper() and rng.random() < 0.5 else fam, kdob, rel))
        if rel in ("son", "daughter") and rng.random() < 0.5:
            p.kids[-1].family = upper_family(family)
    return p


def upper_family(family: str) -> str:
    return " ".join(w if w in ("ap", "ab") else w.upper() for w in family.split())


def age_on(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


SCHOOLS = ["Rift House Primary", "St Bega's RC Primary School", "Ysgol Gymraeg Aberystwyth", "Hadley Learning Community",
           "Lakenham Primary School", "Darwen Vale High School", "Little Acorns Nursery"]
HANGOUTS = ["the skate park at Ward Jackson Park", "the amusement arcade on Marine Parade", "Queen's Park play area",
            "the McDonald's on Magdalen Street", "the leisure centre in Wellington"]
