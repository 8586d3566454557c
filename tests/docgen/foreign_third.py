"""A third set of authors: prose-only minutes, a children-known table with carers, a POM's
e-mail, a MAPPA A referral form and a case list written as numbered paragraphs."""

from __future__ import annotations

import random
from datetime import date, timedelta

from tests.docgen import foreign_parts as F
from tests.docgen.doc import Doc
from tests.docgen.foreign_world import CSC_PROS, OFFENDING, OTHER_PROS, Person, upper_family, when


def prose_minutes(stem: str, p: Person, meeting: date, rng: random.Random, style: str) -> Doc:
    """Minutes with no labels at all: who, when and the children all in sentences."""
    d = Doc("minutes", stem)
    d.meeting_date = meeting
    nrd = meeting + timedelta(weeks=12)
    d.next_review_date = nrd
    d.title("Minutes of MAPPA Meeting")
    name = f"{p.given} {upper_family(p.family)}"
    F.gold_subject(d, p, name)
    F.subject_forbidden(d, p, style)
    chair = rng.choice(OTHER_PROS)
    csc = rng.choice(CSC_PROS)
    d.p(f"A Level {p.level} MAPPA meeting was held on {when(meeting, style)} to discuss Mr {name}, born "
        f"{when(p.dob, style)}. The meeting was chaired by {chair[0]} ({chair[1]}); {csc[0]} attended for Children's "
        f"Social Care.")
    kids = p.kids
    d.p(f"Mr {upper_family(p.family)} has {len(kids)} {'child' if len(kids) == 1 else 'children'} known to "
        "Children's Social Care: " + ", ".join(f"{k.name} ({k.relationship}, date of birth {when(k.dob, style)})"
                                                for k in kids) + ".")
    F.gold_kids(d, p, dob=True)
    d.p(" ".join(F.offending_history(d, p, rng, meeting)) + " " + F.intelligence(d, p, rng))
    d.p(" ".join(F.risk_sentences(d, p, rng, meeting)) + " " + " ".join(F.contact_sentence(d, p, rng)))
    acts = F.cs_actions(d, p, rng, meeting, style) + F.other_actions(d, p, rng, meeting, style)
    d.p("It was agreed that: " + "; ".join(f"{o} will {t[0].lower() + t[1:]}" for o, t, _ in acts) + ".")
    d.p(f"The case will be reviewed on {when(nrd, style)}.")
    return d


def carers_table(stem: str, p: Person, meeting: date, rng: random.Random, style: str) -> Doc:
    """Minutes whose children are in a table with their carer (a third party) and local authority."""
    d = Doc("minutes", stem)
    d.meeting_date = meeting
    nrd = meeting + timedelta(weeks=16)
    d.next_review_date = nrd
    d.title(f"MAPPA Level {p.level} – Meeting Minutes")
    F.gold_subject(d, p, p.caps, pnc=True)
    F.subject_forbidden(d, p, style)
    d.kv([["Subject", p.caps], ["D.O.B.", when(p.dob, style)], ["PNC", p.pnc], ["Date", when(meeting, style)]])
    d.h("Children known to the subject")
    rows = [["Child's name", "DOB", "Parent / carer", "Local authority"]]
    for k in p.kids:
        rows.append([k.name, when(k.dob, style), d.forbid(p.partner), p.area.council])
    d.table(rows)
    F.gold_kids(d, p, dob=True)
    d.h("Risk")
    d.p(" ".join(F.risk_sentences(d, p, rng, meeting)))
    d.bullets([f"Children: {rng.choice(['High', 'Very high', 'Medium'])}", "Known adult: Medium", "Public: Low"])
    d.h("Release and licence")
    _, rel = F.release_detail(d, p, rng, meeting, style)
    d.p(" ".join(rel))
    d.h("Actions")
    acts = F.cs_actions(d, p, rng, meeting, style) + F.other_actions(d, p, rng, meeting, style)
    d.bullets([f"{o}: {t} (by {due})" for o, t, due in acts])
    d.p(f"Review: {when(nrd, style)}")
    return d


def pom_email(stem: str, p: Person, meeting: date, rng: random.Random, style: str) -> Doc:
    """A prison offender manager's e-mail that is a release notification in all but name."""
    d = Doc("prison_notification", stem)
    release = meeting + timedelta(days=rng.randint(10, 40))
    d.release_date = release
    d.actions = None
    prison = rng.choice(p.area.prisons)
    d.forbid(prison)
    d.forbid(p.prison_no)
    F.subject_forbidden(d, p, style)
    F.gold_subject(d, p, f"{p.given} {upper_family(p.family)}", prison=True, level=False)
    offences, sentences, risks = OFFENDING[p.kind]
    d.p("Hi,")
    d.p(f"Just to let you know that Mr {p.given} {upper_family(p.family)} ({p.prison_no}, DOB {when(p.dob, style)}) "
        f"is due to be released from {prison} on {d.forbid(when(release, style))}. He is serving "
        f"{d.forbid(rng.choice(sentences))} for {d.forbid(rng.choice(offences))}.")
    kid = p.kids[0]
    d.p(f"He has told me he wants contact with his {kid.relationship} {kid.name} (DOB {when(kid.dob, style)}), who "
        f"lives with {d.forbid(p.partner)}. Our assessment is that he presents a {d.keep(rng.choice(risks))}.")
    d.children = [{"name": kid.name, "dob": kid.dob.isoformat(), "relationship": kid.relationship}]
    d.p(f"He will live at {d.forbid(p.address)} on release. Can you let me know if the children are open to you?")
    d.p("Thanks,")
    d.p("Neil Cavendish | Prison Offender Manager | OMU")
    d.extra["email_subject"] = f"Release - {upper_family(p.family)}"
    return d


def mappa_a(stem: str, p: Person, meeting: date, rng: random.Random, style: str) -> Doc:
    """A MAPPA A referral form: offender details, reason for referral, children."""
    d = Doc("referral", stem)
    d.meeting_date = None
    d.actions = None
    d.title("MAPPA A – Referral for Level 2 or Level 3 Management")
    F.gold_subject(d, p, p.caps, pnc=True, level=False, category=True)
    F.subject_forbidden(d, p, style)
    d.h("Section 1: Offender details")
    d.kv([["Full name", p.caps], ["Date of birth", when(p.dob, style)], ["PNC", p.pnc],
          ["MAPPA category", d.forbid(f"Category {p.category}")], ["Address", p.address]])
    d.h("Section 2: Referring agency")
    d.kv([["Referrer", "Mark Denholm, Probation Practitioner"], ["Date of referral", when(meeting, style)]])
    d.h("Section 3: Reason for referral")
    d.p(" ".join(F.risk_sentences(d, p, rng, meeting)))
    d.h("Section 4: Children")
    d.bullets([f"{k.name} – {k.relationship} – DOB {when(k.dob, style)}" for k in p.kids])
    F.gold_kids(d, p, dob=True)
    d.h("Section 5: Level of management requested")
    d.p(f"Level {p.level}")
    return d


def numbered_cases(stem: str, people: list[Person], meeting: date, rng: random.Random, style: str) -> Doc:
    """A case list written as numbered paragraphs: "Case 3: SMITH, John (01.02.1980) L2 – Review"."""
    d = Doc("agenda", stem)
    d.meeting_date = meeting
    d.children = None
    d.actions = None
    d.title("MAPPA Panel Agenda")
    d.p(f"{when(meeting, style)}, 09:30, Conference Room B")
    d.p("1. Welcome and apologies")
    for i, p in enumerate(people, 2):
        name = f"{upper_family(p.family)}, {p.given}"
        F.gold_subject(d, p, name)
        d.p(f"{i}. Case: {name} ({when(p.dob, style)}) L{p.level} – {rng.choice(['Review', 'New'])}")
    d.p(f"{len(people) + 2}. AOB")
    return d

