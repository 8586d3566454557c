"""More authors: the national MAPPA F minutes form, agency-update tables, a NOMS release letter
in capitals, split surname/forename case lists and a youth (YOT) meeting record."""

from __future__ import annotations

import random
from datetime import date, timedelta

from tests.docgen import foreign_parts as F
from tests.docgen.doc import Doc
from tests.docgen.foreign_world import CSC_PROS, OFFENDING, OTHER_PROS, Person, age_on, upper_family, when


def mappa_f(stem: str, p: Person, meeting: date, rng: random.Random, style: str) -> Doc:
    """The national "MAPPA F" minutes form: numbered sections and the four pillars of the RMP."""
    d = Doc("minutes", stem)
    d.meeting_date = meeting
    nrd = meeting + timedelta(weeks={1: 16, 2: 12, 3: 8}[p.level])
    d.next_review_date = nrd
    d.title(f"MAPPA F – Minutes of Level {p.level} MAPPA Meeting")
    name = f"{upper_family(p.family)}, {p.given}"
    F.gold_subject(d, p, name, category=True, pnc=True)
    F.subject_forbidden(d, p, style)
    d.table([["Offender name", "Date of birth", "PNC number", "MAPPA category", "Meeting type"],
             [name, when(p.dob, style), p.pnc, d.forbid(f"Category {p.category}"), f"Level {p.level} review"]])
    d.kv([["Date of meeting", when(meeting, style)], ["Venue", "Public Protection Unit, Room 4"],
          ["Chair", "DCI Ruth Ambler"]])
    d.h("1. Purpose of meeting")
    d.p("To share information in order to assess and manage the risk of serious harm posed by the offender.")
    d.h("2. Declaration of confidentiality")
    d.p("All attendees signed the declaration of confidentiality.")
    d.h("3. Attendance and apologies")
    csc = rng.choice(CSC_PROS)
    others = rng.sample(OTHER_PROS, 3)
    d.table([["Name", "Agency", "Role"]] + [[n, a, r] for n, a, r in [*others, csc]])
    d.h("4. Information sharing")
    d.p(F.intelligence(d, p, rng))
    d.p(" ".join(F.offending_history(d, p, rng, meeting)))
    kids = p.kids
    d.p("Children's Social Care: the following children are known to be in contact with the offender: "
        + "; ".join(f"{k.name} (DOB {when(k.dob, style)}, {k.relationship})" for k in kids) + ".")
    F.gold_kids(d, p, dob=True)
    d.h("5. Assessment of risk of serious harm")
    d.p(" ".join(F.risk_sentences(d, p, rng, meeting)))
    d.h("6. Risk management plan")
    _, rel = F.release_detail(d, p, rng, meeting, style)
    d.p("Supervision: " + rel[0])
    d.p("Monitoring and control: " + rel[1])
    d.p(f"Interventions and treatment: {d.forbid('referred to the Healthy Sex Programme')}.")
    d.p(f"Victim safety planning: {d.forbid(p.victim)} has been offered a personal attack alarm.")
    d.h("7. Actions")
    acts = F.cs_actions(d, p, rng, meeting, style) + F.other_actions(d, p, rng, meeting, style)
    d.table([["No.", "Action", "Owner", "Deadline"]] + [[str(i), t, o, due] for i, (o, t, due) in enumerate(acts, 1)])
    d.h("8. Date of next meeting")
    d.p(when(nrd, style))
    return d


def agency_table(stem: str, p: Person, meeting: date, rng: random.Random, style: str) -> Doc:
    """Minutes written as one table: agency in the first column, its update in the second."""
    d = Doc("minutes", stem)
    d.meeting_date = meeting
    nrd = meeting + timedelta(weeks=rng.choice([6, 8, 10, 12]))
    d.next_review_date = nrd
    d.title("Record of MAPPA Meeting")
    F.gold_subject(d, p, p.caps)
    F.subject_forbidden(d, p, style)
    d.p(f"Subject: {p.caps}    DOB: {when(p.dob, style)}    Level: {p.level}    Date: {when(meeting, style)}")
    kids = p.kids
    _, rel = F.release_detail(d, p, rng, meeting, style)
    risk = F.risk_sentences(d, p, rng, meeting)
    contact = F.contact_sentence(d, p, rng)
    d.table([
        ["Agency", "Update"],
        ["Police", F.intelligence(d, p, rng) + " " + F.offending_history(d, p, rng, meeting)[0]],
        ["Probation", " ".join(rel[:2]) + " " + risk[0]],
        ["Children's Social Care", "Known children: " + ", ".join(f"{k.name} ({k.relationship}, {when(k.dob, style)})"
                                                                  for k in kids) + ". " + " ".join(contact)],
        ["Health", "No concerns to share."],
        ["Panel view", " ".join(risk[1:]) or "No change."],
    ])
    F.gold_kids(d, p, dob=True)
    acts = F.cs_actions(d, p, rng, meeting, style) + F.other_actions(d, p, rng, meeting, style)
    d.h("Actions")
    d.bullets([f"{t} – {o} – {due}" for o, t, due in acts])
    d.p(f"Date of next meeting: {when(nrd, style)}")
    return d


def noms_letter(stem: str, p: Person, meeting: date, rng: random.Random, style: str) -> Doc:
    """A release letter with its facts in capitals: "PRISONER: SURNAME, Forename  NOMS NO: ..."."""
    d = Doc("prison_notification", stem)
    release = meeting + timedelta(days=rng.randint(10, 50))
    d.release_date = release
    d.actions = None
    prison = rng.choice(p.area.prisons)
    d.forbid(prison)
    d.forbid(p.prison_no)
    F.subject_forbidden(d, p, style)
    name = f"{upper_family(p.family)}, {p.given.upper()}"
    F.gold_subject(d, p, name, prison=True, level=False)
    offences, sentences, risks = OFFENDING[p.kind]
    d.letterhead([prison.upper(), "OFFENDER MANAGEMENT UNIT"])
    d.title("NOTIFICATION OF RELEASE OF A MAPPA ELIGIBLE OFFENDER")
    d.p(f"PRISONER: {name}   NOMS NO: {p.prison_no}   D.O.B: {when(p.dob, style)}")
    d.p(f"RELEASE TYPE: {d.forbid('CRD')}   RELEASE DATE: {d.forbid(when(release, style))}")
    d.p(f"SENTENCE: {d.forbid(rng.choice(sentences)).upper()}   OFFENCE: {d.forbid(rng.choice(offences)).upper()}")
    d.p(f"RELEASE ADDRESS: {p.address.upper()}")
    d.forbid(p.address.upper())
    kid = p.kids[0]
    d.p(f"The prisoner has disclosed that he has a {kid.relationship}, {kid.name}, born {when(kid.dob, style)}, who "
        f"lives with {d.forbid(p.partner)}.")
    d.children = [{"name": kid.name, "dob": kid.dob.isoformat(), "relationship": kid.relationship}]
    d.p(f"OASys assesses him as posing a {d.keep(rng.choice(risks))}.")
    d.p("Please forward this notification to the relevant children's services team.")
    d.p("Yours faithfully")
    d.p("OMU Administrator")
    return d


def split_names(stem: str, people: list[Person], meeting: date, rng: random.Random, style: str) -> Doc:
    """A case list with surname and forenames in columns of their own."""
    d = Doc("agenda", stem)
    d.meeting_date = meeting
    d.children = None
    d.actions = None
    d.title("MAPPA Level 2/3 Panel")
    d.p(f"Meeting date: {when(meeting, style)}  Time: 13:30  Location: Microsoft Teams")
    rows = [["Ref", "Surname", "Forename(s)", "DOB", "Cat", "Level", "Lead", "Type"]]
    for i, p in enumerate(people, 1):
        F.gold_subject(d, p, p.caps, category=True)
        rows.append([f"M{meeting.year % 100}-{100 + i}", upper_family(p.family), p.given, when(p.dob, style),
                     str(p.category), str(p.level), rng.choice(["NPS", "Police"]), rng.choice(["New", "Review"])])
    d.table(rows)
    d.p("Minutes of the previous meeting will be circulated separately.")
    return d


def youth_record(stem: str, p: Person, meeting: date, rng: random.Random, style: str) -> Doc:
    """A Youth Justice Service record about a young person, siblings listed by first name and age."""
    d = Doc("minutes", stem)
    d.meeting_date = meeting
    dob = date(meeting.year - 17, rng.randint(1, 12), rng.randint(1, 28))
    if dob >= meeting - timedelta(days=365 * 16):
        dob = dob - timedelta(days=400)
    p.dob = dob
    nrd = meeting + timedelta(weeks=8)
    d.next_review_date = nrd
    d.title("Youth Justice Service – MAPPA Level 2 Meeting Notes")
    F.gold_subject(d, p, p.caps)
    F.subject_forbidden(d, p, style)
    d.kv([["Young person", p.caps], ["DOB", when(dob, style)], ["Age", str(age_on(dob, meeting))],
          ["MAPPA level", str(p.level)], ["Date", when(meeting, style)]])
    kid = p.kids[0]
    d.h("Family and home")
    d.p(f"{p.given} lives with his mother and his younger {'brother' if kid.given in ('Archie', 'Finlay', 'Ollie', 'Yusuf', 'Reggie', 'Teddy', 'Brody', 'Kacper', 'Osian', 'Harvey', 'Jenson') else 'sister'} "
        f"{kid.given} {upper_family(p.family)}, aged {age_on(kid.dob, meeting)}.")
    d.children = [{"name": f"{kid.given} {upper_family(p.family)}", "dob": None, "relationship": "sibling"}]
    d.h("Risk")
    offences, _, risks = OFFENDING["contact"]
    r = rng.choice(risks)
    d.p(f"The YJS assessment is that {p.given} poses a {d.keep(r)} following the {d.forbid(rng.choice(offences))} "
        f"of a {d.forbid('girl aged 9')} at a {d.forbid('holiday park in Skegness')}.")
    d.p(f"He is subject to a {d.forbid('Youth Rehabilitation Order')} with {d.forbid('intensive supervision and surveillance')}.")
    d.h("Actions")
    d10 = when(meeting + timedelta(days=14), style)
    d.bullets([f"{d.action(f'CSC to complete a safety plan for the household by {d10}')}",
               f"YJS to {d.forbid('review the electronic monitoring')} ({d10})"])
    d.p(f"Next meeting: {when(nrd, style)}")
    return d


OTHERS = [
    ("MAPPA awareness training – invitation", [
        "You are invited to attend a half-day MAPPA awareness training session for children's social care staff on {d}.",
        "The session covers the MAPPA categories and levels, information sharing and the role of the duty to co-operate "
        "agencies. Please book through the Learning Hub.",
    ]),
    ("MAPPA Strategic Management Board – newsletter", [
        "This quarter the Board reviewed attendance at Level 2 and 3 meetings and the MAPPA annual report for {y}.",
        "Next training date: {d}. Please remind colleagues that MAPPA minutes must not be placed on a child's file.",
    ]),
    ("MARAC – agenda and referral deadline", [
        "The next MARAC will be held on {d}. Referrals must reach the MARAC coordinator seven days before.",
        "Cases are heard in respect of high-risk victims of domestic abuse; this is not a MAPPA meeting.",
    ]),
]


def other_letter(stem: str, p: Person, meeting: date, rng: random.Random, style: str) -> Doc:
    """Post that reaches a MAPPA inbox without being MAPPA casework: training, a board newsletter, MARAC."""
    d = Doc("other", stem)
    d.subjects, d.children, d.actions = [], [], None
    title, paras = rng.choice(OTHERS)
    d.letterhead([p.area.council, when(meeting - timedelta(days=20), style)])
    d.title(title)
    d.p("Dear colleague,")
    for t in paras:
        d.p(t.format(d=when(meeting, style), y=meeting.year - 1))
    d.p("Kind regards,")
    d.p("Learning and Development Team")
    return d
