"""The words of MAPPA paperwork, as data: offences, sentences, plans, risks, actions.

Phrases are modelled on published MAPPA minutes, MAPPA A/F forms and sentencing remarks. Each
function returns plain strings; the templates decide which of them are forbidden (a child's
file must never hold them) and which are risk statements to keep.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from tests.docgen.world import Subject, fmt_date

OFFENCES: dict[str, list[str]] = {
    "contact_sexual": [
        "convicted in {y} of sexual assault of a child under 13 contrary to s.7 Sexual Offences Act 2003",
        "convicted in {y} of two counts of sexual activity with a child (s.9 SOA 2003)",
        "convicted of rape of a child under 13 at {court} in {y}",
        "convicted in {y} of causing a child to watch a sexual act",
        "pleaded guilty in {y} to sexual assault by penetration",
        "convicted of indecent assault on a female under 14 (historic offences)",
    ],
    "online_sexual": [
        "convicted in {y} of possession of indecent images of children",
        "convicted of making indecent photographs of children contrary to s.1 Protection of Children Act 1978",
        "convicted in {y} of attempting to meet a child following sexual grooming (s.15 SOA 2003)",
        "convicted of distributing indecent images of children (Category A)",
        "convicted in {y} of sexual communication with a child (s.15A SOA 2003)",
    ],
    "domestic": [
        "convicted in {y} of controlling or coercive behaviour (s.76 Serious Crime Act 2015)",
        "convicted of assault occasioning actual bodily harm (s.47 OAPA 1861) on a former partner",
        "convicted in {y} of non-fatal strangulation (s.75A Serious Crime Act 2015)",
        "convicted of breach of a non-molestation order",
        "convicted in {y} of stalking involving fear of violence (s.4A Protection from Harassment Act 1997)",
    ],
    "violence": [
        "convicted in {y} of wounding with intent (s.18 OAPA 1861)",
        "convicted of robbery and possession of a bladed article in {y}",
        "convicted of manslaughter at {court} in {y}",
        "convicted in {y} of inflicting grievous bodily harm (s.20 OAPA 1861)",
    ],
    "cat3": [
        "convicted in {y} of arson with intent to endanger life",
        "convicted of threats to kill (s.16 OAPA 1861) in {y}",
        "convicted in {y} of stalking involving serious alarm or distress",
    ],
    "youth_sexual": [
        "convicted at the Youth Court in {y} of sexual assault of a child under 13",
        "convicted in {y} of rape of a female aged 13 (s.5 SOA 2003)",
        "convicted in {y} of sexual activity with a child family member",
    ],
    "not_mappa": [
        "arrested in {y} on suspicion of sexual assault of a child; no further action",
        "cautioned in {y} for possession of indecent images of children",
        "charged with assault by beating of a partner; the charge was later withdrawn",
    ],
}

SENTENCES: dict[str, list[str]] = {
    "contact_sexual": ["6 years' imprisonment", "extended sentence of 9 years (custodial term 6 years)",
                       "SHPO for 10 years", "notification requirements for life", "an indefinite SHPO",
                       "8 years' imprisonment", "sentence of imprisonment for public protection"],
    "online_sexual": ["suspended sentence order of 2 years", "SHPO for 7 years",
                      "notification requirements for 10 years", "community order with a Horizon requirement",
                      "18 months' imprisonment"],
    "domestic": ["restraining order (indefinite)", "3 years 4 months' imprisonment",
                 "restraining order for 5 years", "2 years' imprisonment"],
    "violence": ["10 years' imprisonment", "extended sentence of 12 years", "life sentence, tariff 8 years",
                 "4 years 6 months' imprisonment"],
    "cat3": ["hospital order under s.37 Mental Health Act 1983", "5 years' imprisonment",
             "restraining order for 10 years"],
    "youth_sexual": ["detention and training order of 18 months", "youth rehabilitation order of 2 years",
                     "notification requirements for 2 years 6 months", "referral order"],
    "not_mappa": ["police caution", "no further action"],
}

# (risk statement, kind) -- the words a child's file keeps
RISKS: dict[str, list[str]] = {
    "contact_sexual": ["poses a high risk of serious harm to children", "risk of sexual harm to female children under 12",
                       "very high risk of serious harm to children", "risk of sexual harm to children in the household",
                       "risk of sexual harm to pre-pubescent girls"],
    "online_sexual": ["medium risk of serious harm to children", "risk of sexual harm to children through online contact",
                      "risk of grooming children online", "risk of sexual harm to teenage girls"],
    "domestic": ["risk of violence to partners", "high risk of serious harm to known adults",
                 "risk of emotional harm to children in the household", "risk of domestic abuse to female partners and their children",
                 "risk of physical harm to children who witness violence"],
    "violence": ["high risk of serious harm to the public", "risk of violence to known adults",
                 "risk of physical harm to children in his care", "medium risk of serious harm to children"],
    "cat3": ["high risk of serious harm to known adults", "risk of emotional harm to children",
             "risk of fire-setting endangering children in the home"],
    "youth_sexual": ["risk of sexual harm to younger children", "risk of sexual harm to female peers",
                     "high risk of serious harm to younger siblings"],
    "not_mappa": ["risk of sexual harm to children", "risk of emotional harm to children in the household",
                  "medium risk of harm to children"],
}

INTELLIGENCE = [
    "Intelligence suggests he has been frequenting {place}",
    "information from a confidential source indicates contact with {third}",
    "Police intelligence reports that he has been seen outside {school}",
    "unverified intelligence that he is using a second mobile phone",
    "Crimestoppers information received about contact with {third}",
    "intelligence indicates he has been messaging {third} on Snapchat",
]
PLACES = ["Victoria Park", "the skate park on Mill Lane", "the leisure centre", "McDonald's on the High Street",
          "the play area at Riverside Park"]


def fill(rng: random.Random, template: str, s: Subject, third: str = "") -> str:
    return template.format(y=s.conviction_year, court=s.court, place=rng.choice(PLACES),
                           third=third or "a former partner", school=s.victims[0][0].split()[0] + "'s school")


def offences(rng: random.Random, s: Subject, n: int = 1) -> list[str]:
    return [fill(rng, t, s) for t in rng.sample(OFFENCES[s.archetype], k=min(n, len(OFFENCES[s.archetype])))]


def sentences(rng: random.Random, s: Subject, n: int = 2) -> list[str]:
    return rng.sample(SENTENCES[s.archetype], k=min(n, len(SENTENCES[s.archetype])))


def risks(rng: random.Random, s: Subject, n: int = 2) -> list[str]:
    return rng.sample(RISKS[s.archetype], k=min(n, len(RISKS[s.archetype])))


def release_plan(rng: random.Random, s: Subject, style: str) -> list[str]:
    """Release and licence arrangements (RELEASE_PLAN), each short enough for one line."""
    rel = fmt_date(s.release, style)
    expiry = fmt_date(s.release + timedelta(days=rng.randint(300, 1500)), style)
    items = [
        rng.choice([f"released on licence on {rel}", f"was released from {s.prison} on {rel}",
                    f"conditional release date {rel}", f"released on licence on {rel} to {s.ap}"]),
        rng.choice([f"licence expiry {expiry}", f"SED {expiry}", f"licence expires on {expiry}"]),
        rng.choice(["curfew 19:00-07:00", "curfew 21:00 to 07:00 monitored by electronic tag",
                    "GPS electronic tag", "electronic tag fitted"]),
        rng.choice(["polygraph testing every 6 months", "polygraph examination as a licence condition",
                    "not to enter the exclusion zone around " + s.council.towns[0] + " town centre",
                    "exclusion zone covering " + rng.choice(PLACES)]),
        rng.choice(["not to have unsupervised contact with any child under 18",
                    "not to contact the victim directly or indirectly",
                    "to reside at " + s.ap + " and abide by its rules",
                    "to declare any new relationship to his probation officer"]),
    ]
    return items


def community_plan(rng: random.Random, s: Subject, partner: str) -> list[str]:
    """Plans in the community (COMMUNITY_PLAN)."""
    return [
        rng.choice([f"will reside at {s.ap}", f"will reside at {s.address}",
                    "will reside with his mother on release", "move-on accommodation with a housing association"]),
        rng.choice(["referred to the Horizon programme", "referred to the Building Better Relationships programme",
                    "referred to Circles of Support and Accountability", "to start the Kaizen programme",
                    "referred to the Maps for Change programme"]),
        rng.choice(["police home visits every 4 weeks", "MOSOVO home visits every 3 months",
                    "unannounced police home visits monthly", "ViSOR record updated; home visit every 8 weeks"]),
        rng.choice([f"disclosure to his new partner {partner} was agreed", "disclosure to his new partner was agreed",
                    f"a Clare's Law disclosure to {partner} was made",
                    "a Child Sex Offender Disclosure to the school was agreed"]),
        rng.choice(["works as a delivery driver for a parcel firm", "employment at a car wash in " + s.council.towns[0],
                    "has applied for work as a taxi driver", "is attending college two days a week"]),
    ]


def cs_actions(rng: random.Random, child_names: list[str], meeting: date, style: str) -> list[str]:
    """Actions for children's services (the ones the gold counts)."""
    d14 = fmt_date(meeting + timedelta(days=14 + rng.randint(0, 10)), style)
    d28 = fmt_date(meeting + timedelta(days=28), style)
    who = child_names[0] if child_names else "the children"
    pool = [
        "Children's Services to complete a strategy discussion within 28 days",
        f"SW to visit by {d14}",
        f"Children's Services to undertake a child and family assessment for {who} by {d28}",
        f"Allocated social worker to share the safety plan with {who}'s mother by {d14}",
        "Children's Services to convene a child protection conference if the assessment indicates significant harm",
        f"Social worker to update the chronology and confirm {who}'s school is aware of the risk by {d28}",
        "CS representative to check whether any children are living at the new address",
    ]
    k = 1 + (rng.random() < 0.7) + (rng.random() < 0.3)
    return rng.sample(pool, k=min(k, len(pool)))


def other_actions(rng: random.Random, s: Subject, meeting: date, style: str) -> list[tuple[str, str, str]]:
    """Other agencies' actions: (action, owner, due) -- their content is COMMUNITY_PLAN, forbidden."""
    due = fmt_date(meeting + timedelta(days=rng.randint(7, 42)), style)
    pool = [
        ("Police to conduct home visits every 4 weeks", "Police", "Ongoing"),
        ("Probation to make a referral to the Horizon programme", "Probation", due),
        (f"Police to update ViSOR and check {s.phone}", "Police", due),
        ("Probation to request a polygraph examination", "Probation", due),
        ("Housing to confirm the tenancy at the new address", "Housing", due),
        ("POM to confirm release address with the prison", "Probation", due),
    ]
    return rng.sample(pool, k=rng.randint(1, 3))
