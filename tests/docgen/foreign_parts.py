"""Pieces the foreign templates share: gold for people, risk sentences with forbidden detail
inside them, release and licence detail, and actions (children's services' and others')."""

from __future__ import annotations

import random
from datetime import date, timedelta

from tests.docgen.doc import Doc
from tests.docgen.foreign_world import HANGOUTS, OFFENDING, SCHOOLS, Person, age_on, upper_family, when


def gold_subject(d: Doc, p: Person, name: str, *, dob: bool = True, level: bool = True, category: bool = False,
                 pnc: bool = False, prison: bool = False) -> None:
    assert d.subjects is not None
    d.subjects.append({"name": name, "aliases": [p.alias] if p.alias else [], "dob": p.dob.isoformat() if dob else None,
                       "mappa_level": p.level if level else None, "mappa_category": p.category if category else None,
                       "pnc": p.pnc if pnc else None, "prison_number": p.prison_no if prison else None})


def gold_kids(d: Doc, p: Person, *, dob: bool = True) -> None:
    """Linked children, and for each the other children's names it must not carry."""
    assert d.children is not None
    for k in p.kids:
        d.children.append({"name": k.name, "dob": k.dob.isoformat() if dob else None, "relationship": k.relationship})
    for k in p.kids:
        others = [o.name for o in p.kids if o is not k and o.given != k.given]
        if others:
            d.per_child[k.name] = others


def subject_forbidden(d: Doc, p: Person, style: str) -> None:
    """The subject's identifiers: never in a child's file whatever section they sit in."""
    d.forbid(when(p.dob, style))
    d.forbid(p.pnc)
    d.forbid(p.address)
    if p.alias:
        d.forbid(p.alias)


def ref_for(p: Person, rng: random.Random) -> str:
    return rng.choice(["He", f"Mr {p.family.title() if p.family.isupper() else p.family}", upper_family(p.family), p.given])


def risk_sentences(d: Doc, p: Person, rng: random.Random, meeting: date) -> list[str]:
    """Risk statements as other authors write them, each carrying forbidden detail."""
    offences, sentences, risks = OFFENDING[p.kind]
    r1, r2 = rng.sample(risks, 2)
    off = rng.choice(offences)
    sent = rng.choice(sentences)
    ref = ref_for(p, rng)
    year = meeting.year - rng.randint(2, 9)
    out = []
    a = rng.randrange(4)
    if a == 0:
        out.append(f"{ref} poses a {d.keep(r1)} due to his conviction for {d.forbid(off)}.")
    elif a == 1:
        out.append(f"{ref} presents a {d.keep(r1)} because of the {d.forbid(off)} for which he received "
                   f"{d.forbid(sent)} in {year}.")
    elif a == 2:
        out.append(f"Given his offending ({d.forbid(off)}), {ref.lower() if ref == 'He' else ref} is assessed as "
                   f"posing a {d.keep(r1)}.")
    else:
        out.append(f"In view of the {d.forbid(off)} in {year} and the {d.forbid(sent)} imposed, the panel agreed "
                   f"that {ref.lower() if ref == 'He' else ref} poses a {d.keep(r1)}.")
    b = rng.randrange(4)
    if b == 0:
        out.append(f"There is also a {d.keep(r2)}; {d.forbid(p.victim)}, the victim, remains fearful of him.")
    elif b == 1:
        out.append(f"The panel assessed the {d.keep('RoSH as ' + rng.choice(['high', 'very high', 'medium']))} in "
                   f"respect of children, given that he was sentenced to {d.forbid(sent)} in {year}.")
    elif b == 2:
        out.append(f"{d.forbid('Local officers report')} that he has been {d.forbid('seen at ' + rng.choice(HANGOUTS))}"
                   f" talking to young girls; the {d.keep('risk to children is considered imminent')}.")
    else:
        out.append(f"He continues to present a {d.keep(r2)} (he is a {d.forbid(f'Category {p.category} MAPPA offender')}"
                   f", PNC {d.forbid(p.pnc)}).")
    if p.kind == "contact" and rng.random() < 0.5:
        out.append(f"The {d.keep('risk is to girls aged between 8 and 12')}, the age of {d.forbid(p.victim)}'s "
                   f"daughter when the offences took place.")
    return out


def release_detail(d: Doc, p: Person, rng: random.Random, meeting: date, style: str) -> tuple[date, list[str]]:
    """Release and licence detail (all RELEASE_PLAN / JUSTICE_PLACE / COMMUNITY_PLAN)."""
    released = meeting - timedelta(days=rng.randint(20, 120))
    expiry = released + timedelta(days=rng.randint(400, 1400))
    prison = rng.choice(p.area.prisons)
    hostel = rng.choice(p.area.hostels)
    zone = f"an exclusion zone covering {rng.choice(p.area.towns)} town centre"
    out = [
        f"He was released from {d.forbid(prison)} on {d.forbid(when(released, style))} and is on licence until "
        f"{d.forbid(when(expiry, style))}.",
        f"Licence conditions include {d.forbid(zone)}, {d.forbid('residence at ' + hostel)} and "
        f"{d.forbid(rng.choice(['a curfew between 21:00 and 07:00', 'GPS tagging', 'polygraph testing']))}.",
        rng.choice([f"He is {d.forbid('not to have contact with any child under 16')} unless approved by his OM.",
                    f"He must {d.forbid('not enter ' + rng.choice(SCHOOLS))} or its grounds.",
                    f"Move-on accommodation at {d.forbid(p.address)} has been approved."]),
    ]
    return released, out


def offending_history(d: Doc, p: Person, rng: random.Random, meeting: date) -> list[str]:
    offences, sentences, _ = OFFENDING[p.kind]
    off = rng.sample(offences, 2)
    sent = rng.choice(sentences)
    year = meeting.year - rng.randint(2, 9)
    court = rng.choice(p.area.courts)
    return [
        f"In {year} he was convicted at {d.forbid(court)} of {d.forbid(off[0])} and received {d.forbid(sent)}.",
        f"Previous matters include {d.forbid(off[1])} ({d.forbid(f'CRO {p.cro}')}).",
    ]


def intelligence(d: Doc, p: Person, rng: random.Random) -> str:
    return rng.choice([
        f"{d.forbid('Police hold intelligence')} that he has been {d.forbid('messaging a 15 year old girl on Instagram')}.",
        f"{d.forbid('Soft intel')} suggests he is {d.forbid('back in contact with ' + p.victim)}.",
        f"{d.forbid('A confidential source')} reports he has {d.forbid('been visiting ' + rng.choice(HANGOUTS))}.",
    ])


def contact_sentence(d: Doc, p: Person, rng: random.Random) -> list[str]:
    """What is known of his contact with the children (allowed, but with third parties inside)."""
    k = p.kids[0]
    form = rng.randrange(3)
    if form == 0:
        return [f"He has supervised contact with {k.given} at a family centre once a fortnight, arranged by "
                f"{d.forbid(p.partner)}."]
    if form == 1:
        return [f"Contact with the children is not currently taking place; {d.forbid(p.partner)} has said she will "
                f"not allow it."]
    return [f"He reports no contact with {k.given} since the summer."]


def cs_actions(d: Doc, p: Person, rng: random.Random, meeting: date, style: str) -> list[tuple[str, str, str]]:
    """(owner, action, due) for children's social care; the action text is gold."""
    k = p.kids[0]
    d10 = when(meeting + timedelta(days=rng.randint(7, 21)), style)
    d28 = when(meeting + timedelta(days=28), style)
    pool = [
        (rng.choice(["CSC", "Children's Social Care", "CSC (Jo Farrant)"]),
         f"Complete a single assessment for {k.given} by {d28}", d28),
        (rng.choice(["Social Worker", "Allocated SW", "CSC"]),
         f"Share the safety plan with {k.given}'s mother and record her agreement", d10),
        (rng.choice(["Children's Social Care", "CSC"]), "Notify the DSL at the school of the risk posed", d10),
        (rng.choice(["Social Worker", "CSC Team Manager"]),
         "Arrange a strategy discussion if contact resumes without approval", "Ongoing"),
    ]
    picked = rng.sample(pool, rng.randint(1, 3))
    assert d.actions is not None
    for _, text, _ in picked:
        d.action(text)
    return picked


def other_actions(d: Doc, p: Person, rng: random.Random, meeting: date, style: str) -> list[tuple[str, str, str]]:
    due = when(meeting + timedelta(days=rng.randint(7, 35)), style)
    pool = [
        ("Police", d.forbid("Complete an unannounced ViSOR visit"), "Monthly"),
        ("Probation", d.forbid("Apply for licence variation to add polygraph testing"), due),
        ("Housing", d.forbid(f"Source move-on accommodation away from {rng.choice(p.area.towns)}"), due),
        ("Police", d.forbid(f"Update PNC markers and check {p.alias or 'associates'}"), due),
    ]
    return rng.sample(pool, rng.randint(1, 3))


def household_rows(d: Doc, p: Person, meeting: date, rng: random.Random) -> tuple[list[str], list[list[str]]]:
    """A household-composition table (children listed with ages; one adult third party)."""
    order = rng.choice([["Name", "Age", "Relationship to POI", "School / setting"],
                        ["Relationship", "Name", "Age", "Address"],
                        ["Name", "Relationship to PoP", "Age"]])
    rows = []
    for k in p.kids:
        cells = {"Name": k.name, "Age": str(age_on(k.dob, meeting)), "Relationship to POI": k.relationship,
                 "Relationship to PoP": k.relationship, "Relationship": k.relationship,
                 "School / setting": d.forbid(rng.choice(SCHOOLS)) if len(p.kids) > 1 else "tbc",
                 "Address": "Mother's address"}
        rows.append([cells[c] for c in order])
    partner = {"Name": d.forbid(p.partner), "Age": str(rng.randint(24, 44)), "Relationship to POI": "Ex-partner",
               "Relationship to PoP": "Ex-partner", "Relationship": "Ex-partner", "School / setting": "n/a",
               "Address": "Same"}
    rows.insert(rng.randrange(len(rows) + 1), [partner[c] for c in order])
    return order, rows
