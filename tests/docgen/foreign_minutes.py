"""Minutes as other authors write them: a force's chair's notes, a probation meeting record,
bilingual Welsh/English minutes, narrative notes and a RoSH-grid record."""

from __future__ import annotations

import random
from datetime import date, timedelta

from tests.docgen import foreign_parts as F
from tests.docgen.doc import Doc
from tests.docgen.foreign_world import CSC_PROS, OTHER_PROS, Person, age_on, upper_family, when


def _review(meeting: date, p: Person, rng: random.Random) -> date:
    return meeting + timedelta(weeks={1: 16, 2: 12, 3: 8}[p.level] + rng.choice([0, 0, 1, 2]))


def _attendees(rng: random.Random) -> tuple[list[tuple[str, str, str]], tuple[str, str, str]]:
    others = rng.sample(OTHER_PROS, 4)
    csc = rng.choice(CSC_PROS)
    people = others[:2] + [csc] + others[2:]
    return people, csc


def _kid_lines(d: Doc, p: Person, meeting: date, style: str, rng: random.Random) -> tuple[list[str], bool]:
    """One line per child, and whether the lines give dates of birth (else ages)."""
    form = rng.randrange(3)
    lines = []
    for k in p.kids:
        if form == 0:
            lines.append(f"{k.name} – {k.relationship} – DOB {when(k.dob, style)}")
        elif form == 1:
            lines.append(f"{k.name} ({age_on(k.dob, meeting)} yrs), {k.relationship}")
        else:
            lines.append(f"{k.name}, his {k.relationship}, born {when(k.dob, style)}")
    return lines, form != 1


def _actions_table(d: Doc, p: Person, rng: random.Random, meeting: date, style: str) -> list[list[str]]:
    acts = F.cs_actions(d, p, rng, meeting, style) + F.other_actions(d, p, rng, meeting, style)
    rng.shuffle(acts)
    header = rng.choice([["Owner", "Action", "Target date"], ["Who", "What", "By when"],
                         ["Agency", "Action required", "Timescale"], ["Action", "Lead", "Due"]])
    rows = [header]
    for owner, text, due in acts:
        by = {"Owner": owner, "Who": owner, "Agency": owner, "Lead": owner, "Action": text, "What": text,
              "Action required": text, "Target date": due, "By when": due, "Timescale": due, "Due": due}
        rows.append([by[h] for h in header])
    return rows


def chair_notes(stem: str, p: Person, meeting: date, rng: random.Random, style: str) -> Doc:
    """A police force's "Chair's notes": Nominal label, narrative headings, actions table."""
    d = Doc("minutes", stem)
    d.header_text = "OFFICIAL SENSITIVE – NOT TO BE SHARED WITHOUT CHAIR'S CONSENT"
    d.meeting_date = meeting
    nrd = _review(meeting, p, rng)
    d.next_review_date = nrd
    d.title(f"{p.area.force} – MAPPA Level {p.level} Meeting")
    d.p("Chair's notes")
    nominal = rng.choice([f"{upper_family(p.family)}, {p.given}", p.caps])
    alias = f" (aka '{p.alias}')" if p.alias else ""
    F.gold_subject(d, p, nominal, pnc=True)
    F.subject_forbidden(d, p, style)
    people, csc = _attendees(rng)
    d.kv([["Nominal", nominal + alias], ["DoB", when(p.dob, style)], ["PNC", p.pnc],
          ["Meeting held", f"{when(meeting, style)}, 14:00 – Microsoft Teams"], ["Chair", people[0][0]]])
    d.h("Attendees")
    d.bullets([f"{n} – {a} ({r})" for n, a, r in people])
    d.h("Offending history")
    d.p(" ".join(F.offending_history(d, p, rng, meeting)))
    d.h("Current risk")
    d.p(" ".join(F.risk_sentences(d, p, rng, meeting)))
    d.h("Risk to children")
    d.p(rng.choice(["Children linked to the nominal:", "The following children are known to be linked:"]))
    lines, dobs = _kid_lines(d, p, meeting, style, rng)
    d.bullets(lines)
    d.p(" ".join(F.contact_sentence(d, p, rng)))
    F.gold_kids(d, p, dob=dobs)
    d.h("Licence / Release")
    _, rel = F.release_detail(d, p, rng, meeting, style)
    d.p(" ".join(rel))
    d.h(rng.choice(["Information sharing", "Police update", "Partner information"]))
    d.p(F.intelligence(d, p, rng))
    d.h("Multi-agency actions")
    d.table(_actions_table(d, p, rng, meeting, style))
    d.p(f"Next MAPPA review: {when(nrd, style)}")
    return d


def probation_record(stem: str, p: Person, meeting: date, rng: random.Random, style: str) -> Doc:
    """A probation region's meeting record: PoP label, household composition, RoSH heading."""
    d = Doc("minutes", stem)
    d.meeting_date = meeting
    nrd = _review(meeting, p, rng)
    d.next_review_date = nrd
    d.title("Probation Service – MAPPA Meeting Record")
    label = rng.choice(["Person on Probation (PoP)", "POI", "Person of interest", "MAPPA nominal"])
    F.gold_subject(d, p, p.caps, category=True)
    F.subject_forbidden(d, p, style)
    age = age_on(p.dob, meeting)
    d.kv([[label, p.caps], ["Date of Birth / Age", f"{when(p.dob, style)} ({age})"],
          ["MAPPA Category / Level", f"{d.forbid(f'Cat {p.category}')} / Level {p.level}"],
          ["Date of meeting", when(meeting, style)], ["Meeting type", rng.choice([f"Level {p.level} review", "Initial", "Review"])],
          ["Address", p.address]])
    d.h("Household composition")
    header, rows = F.household_rows(d, p, meeting, rng)
    d.table([header] + rows)
    F.gold_kids(d, p, dob=False)
    d.h("Offending history")
    d.p(" ".join(F.offending_history(d, p, rng, meeting)))
    d.h("RoSH")
    d.p(" ".join(F.risk_sentences(d, p, rng, meeting)))
    d.h("Risk to children")
    d.p(" ".join(F.contact_sentence(d, p, rng)))
    d.h("Licence / Release")
    _, rel = F.release_detail(d, p, rng, meeting, style)
    d.p(" ".join(rel))
    d.h("Multi-agency actions")
    d.table(_actions_table(d, p, rng, meeting, style))
    d.kv([["Review date", when(nrd, style)]])
    return d


def bilingual(stem: str, p: Person, meeting: date, rng: random.Random, style: str) -> Doc:
    """Welsh/English minutes: every heading and label in both languages."""
    d = Doc("minutes", stem)
    d.meeting_date = meeting
    nrd = _review(meeting, p, rng)
    d.next_review_date = nrd
    d.title("Cofnodion Cyfarfod MAPPA / MAPPA Meeting Minutes")
    F.gold_subject(d, p, p.caps)
    F.subject_forbidden(d, p, style)
    d.kv([["Enw / Name", p.caps], ["Dyddiad geni / Date of birth", when(p.dob, style)],
          ["Dyddiad y cyfarfod / Date of meeting", when(meeting, style)], ["Lefel / Level", str(p.level)],
          ["Cyfeiriad / Address", p.address]])
    people, _ = _attendees(rng)
    d.h("Yn bresennol / Present")
    d.bullets([f"{n} ({a})" for n, a, _ in people])
    d.h("Hanes troseddu / Offending history")
    d.p(" ".join(F.offending_history(d, p, rng, meeting)))
    d.h("Risg / Risk")
    d.p(" ".join(F.risk_sentences(d, p, rng, meeting)))
    d.h("Plant / Children")
    lines, dobs = _kid_lines(d, p, meeting, style, rng)
    d.bullets(lines)
    F.gold_kids(d, p, dob=dobs)
    d.h("Trwydded a rhyddhau / Licence and release")
    _, rel = F.release_detail(d, p, rng, meeting, style)
    d.p(" ".join(rel))
    d.h("Camau gweithredu / Actions")
    acts = F.cs_actions(d, p, rng, meeting, style) + F.other_actions(d, p, rng, meeting, style)
    d.table([["Gweithred / Action", "Pwy / Who", "Erbyn / By"]] + [[t, o, due] for o, t, due in acts])
    d.p(f"Adolygiad nesaf / Next review: {when(nrd, style)}")
    return d


def narrative(stem: str, p: Person, meeting: date, rng: random.Random, style: str) -> Doc:
    """A council's narrative notes: agency updates as paragraphs, relative next meeting."""
    d = Doc("minutes", stem)
    d.meeting_date = meeting
    weeks = {1: 16, 2: 12, 3: 8}[p.level]
    d.next_review_date = meeting + timedelta(weeks=weeks)
    d.title(f"Notes of the MAPPA Level {p.level} meeting held on {when(meeting, style)}")
    mr = f"Mr {p.given} {upper_family(p.family)}"
    F.gold_subject(d, p, f"{p.given} {upper_family(p.family)}")
    F.subject_forbidden(d, p, style)
    d.p(f"Re: {mr} (DOB {when(p.dob, style)}) – {p.area.council}")
    people, csc = _attendees(rng)
    d.h("1. Introductions")
    d.p(f"The Chair, {people[0][0]} ({people[0][1]}), welcomed everyone and reminded them of the confidentiality "
        f"statement. Present: " + "; ".join(f"{n} ({a})" for n, a, _ in people) + ".")
    d.h("2. Updates from agencies")
    d.p("Police: " + F.intelligence(d, p, rng) + " " + F.offending_history(d, p, rng, meeting)[0])
    _, rel = F.release_detail(d, p, rng, meeting, style)
    d.p("Probation: " + " ".join(rel[:2]))
    kids = p.kids
    parts = [f"{k.name} ({k.relationship}, aged {age_on(k.dob, meeting)})" for k in kids]
    d.p(f"Children's Social Care: {csc[0]} confirmed that " + (", ".join(parts[:-1]) + " and " + parts[-1]
        if len(parts) > 1 else parts[0]) + f" {'are' if len(parts) > 1 else 'is'} open to CSC. "
        + " ".join(F.contact_sentence(d, p, rng)))
    F.gold_kids(d, p, dob=False)
    d.h("3. Risk")
    d.p(" ".join(F.risk_sentences(d, p, rng, meeting)))
    d.h("4. Actions")
    acts = F.cs_actions(d, p, rng, meeting, style) + F.other_actions(d, p, rng, meeting, style)
    d.bullets([f"{o} to {t[0].lower() + t[1:]} ({due})" for o, t, due in acts])
    d.p(rng.choice([f"The meeting will reconvene in {weeks} weeks.", f"Next meeting: {weeks} weeks"]))
    d.extra["email_subject"] = f"MAPPA notes – {upper_family(p.family)}"
    return d


def rosh_grid(stem: str, p: Person, meeting: date, rng: random.Random, style: str) -> Doc:
    """A Level 3 record with a RoSH grid, a NOMIS number and "Next panel" in the header table."""
    d = Doc("minutes", stem)
    d.meeting_date = meeting
    nrd = _review(meeting, p, rng)
    d.next_review_date = nrd
    d.title(f"MAPPA Minutes – Level {p.level}")
    F.gold_subject(d, p, p.caps, prison=True)
    F.subject_forbidden(d, p, style)
    d.forbid(p.prison_no)
    d.kv([["POI", p.caps], ["D.O.B.", when(p.dob, style)], ["NOMIS", p.prison_no], ["Panel date", when(meeting, style)],
          ["Next panel", when(nrd, style)]])
    d.h("Linked children")
    lines, dobs = _kid_lines(d, p, meeting, style, rng)
    d.bullets(lines)
    F.gold_kids(d, p, dob=dobs)
    d.h("RoSH")
    d.table([["Risk to", "Community", "Custody"], ["Children", "High", "Low"], ["Known adult", "Medium", "Low"],
             ["Public", "Low", "Low"]])
    d.h("Current risk")
    d.p(" ".join(F.risk_sentences(d, p, rng, meeting)))
    d.h("Victim issues")
    d.p(f"{d.forbid(p.victim)} is supported by the VLO and has asked to be told of any change to the "
        f"{d.forbid('exclusion zone')}.")
    d.h("Release")
    _, rel = F.release_detail(d, p, rng, meeting, style)
    d.p(" ".join(rel))
    d.h("Actions")
    acts = F.cs_actions(d, p, rng, meeting, style) + F.other_actions(d, p, rng, meeting, style)
    d.bullets([f"Action: {t}. Owner: {o}. Due: {due}." for o, t, due in acts])
    return d
