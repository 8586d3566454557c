"""Case lists, e-mailed agendas, HMP/YOI discharge letters and invitations, as other authors
write them."""

from __future__ import annotations

import random
from datetime import date, timedelta

from tests.docgen import foreign_parts as F
from tests.docgen.doc import Doc
from tests.docgen.foreign_world import OFFENDING, Person, age_on, upper_family, when

LEADS = ["Probation", "Police", "YJS", "Probation (OM)", "Police (MOSOVO)"]


def _listed_name(p: Person, rng: random.Random) -> str:
    return rng.choice([p.caps, f"{upper_family(p.family)} {p.given}", f"{upper_family(p.family)}, {p.given}"])


def email_agenda(stem: str, people: list[Person], meeting: date, rng: random.Random, style: str) -> Doc:
    """Cases for a panel written in the body of an e-mail, one numbered line each."""
    d = Doc("agenda", stem)
    d.meeting_date = meeting
    d.children = None
    d.actions = None
    d.p(rng.choice(["Good afternoon all,", "Hi all,", "Dear colleagues,"]))
    d.p(f"Please see below the cases listed for the Level 2/3 MAPPA meeting on {when(meeting, style)} at 10:00 "
        f"via Teams. Papers will follow under separate cover.")
    lines = []
    for i, p in enumerate(people, 1):
        name = _listed_name(p, rng)
        F.gold_subject(d, p, name)
        kind = rng.choice(["review", "new referral", "review", "urgent review"])
        lines.append(f"{i}) {name} – {when(p.dob, style)} – Level {p.level} – {kind} ({rng.choice(LEADS)} lead)")
    for line in lines:
        d.p(line)
    d.p("If you have any AOB please let me know by close of play Friday.")
    d.p("Many thanks, Claire Ashdown, MAPPA Administrator")
    d.extra["email_subject"] = f"MAPPA L2/3 cases {when(meeting, 'slash')}"
    return d


def case_list(stem: str, people: list[Person], meeting: date, rng: random.Random, style: str) -> Doc:
    """A panel case list with one labelled block per numbered case ("Person of interest")."""
    d = Doc("agenda", stem)
    d.meeting_date = meeting
    d.children = None
    d.actions = None
    force = people[0].area.force
    d.title(f"{force} MAPPA Panel – Case List")
    d.kv([["Panel date", when(meeting, style)], ["Venue", "Force HQ, Conference Room 2"]])
    label = rng.choice(["Person of interest", "POI", "Nominal", "Subject"])
    for i, p in enumerate(people, 1):
        d.h(f"Case {i}")
        F.gold_subject(d, p, p.caps)
        d.kv([[label, p.caps], ["D.O.B", when(p.dob, style)], ["MAPPA level", f"Level {p.level}"],
              ["Lead agency", rng.choice(LEADS)], ["Reason for listing", rng.choice(["Review", "New referral"])]])
    d.h("AOB")
    d.p("None notified.")
    return d


def prison_discharge(stem: str, p: Person, meeting: date, rng: random.Random, style: str) -> Doc:
    """An HMP/YOI letter giving a "Discharge date", with the offence, sentence and address inside prose."""
    d = Doc("prison_notification", stem)
    d.meeting_date = None
    release = meeting + timedelta(days=rng.randint(14, 60))
    d.release_date = release
    d.actions = None
    prison = rng.choice(p.area.prisons)
    d.forbid(prison)
    offences, sentences, risks = OFFENDING[p.kind]
    F.subject_forbidden(d, p, style)
    d.forbid(p.prison_no)
    F.gold_subject(d, p, p.caps, prison=True, level=False)
    d.letterhead([prison, "Offender Management Unit", "Tel: 01904 552 817"])
    d.p(when(meeting, style))
    d.p(f"To: MAPPA Coordinator and Children's Services SPOC, {p.area.council}")
    d.p(f"Re: {p.caps}   Prison No: {p.prison_no}   DOB: {when(p.dob, style)}")
    d.kv([["Discharge date", d.forbid(when(release, style))], ["Discharge address", p.address]])
    expiry = release + timedelta(days=rng.randint(300, 900))
    d.p(f"I am writing to inform you that the above named is due for discharge on {when(release, style)}. He is "
        f"currently serving {d.forbid(rng.choice(sentences))} for {d.forbid(rng.choice(offences))} and will be "
        f"subject to licence supervision until {d.forbid(when(expiry, style))}.")
    kids = p.kids
    parts = [f"{k.name} (DOB {when(k.dob, style)})" for k in kids]
    d.p(f"Our records show he has {len(kids)} {'child' if len(kids) == 1 else 'children'}: "
        + (", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0])
        + f". Their mother, {d.forbid(p.partner)}, has been informed through the VLO.")
    F.gold_kids(d, p, dob=True)
    d.p(f"He is assessed by the POM as presenting a {d.keep(rng.choice(risks))}.")
    d.p("Please acknowledge receipt of this notification.")
    d.p("Yours sincerely,")
    d.p("Neil Cavendish, Prison Offender Manager")
    return d


def invitation(stem: str, p: Person, meeting: date, rng: random.Random, style: str) -> Doc:
    """"You are invited to attend": subject, meeting details and the children CSC should bring news of."""
    d = Doc("invitation", stem)
    d.meeting_date = meeting
    d.actions = None
    d.letterhead([f"{p.area.force} – MAPPA Unit", "Public Protection Hub"])
    d.p(when(meeting - timedelta(days=rng.randint(7, 14)), style))
    d.p("Dear colleague,")
    d.p(f"You are invited to attend a Level {p.level} MAPPA meeting to discuss:")
    F.gold_subject(d, p, p.caps)
    F.subject_forbidden(d, p, style)
    d.kv([["Name", p.caps], ["Date of birth", when(p.dob, style)], ["Date", when(meeting, style)],
          ["Time", rng.choice(["10:30", "13:00", "2pm"])], ["Venue", "Microsoft Teams (link to follow)"]])
    kids = p.kids
    d.p("Children's Social Care are asked to bring current information about "
        + ", ".join(f"{k.name} ({age_on(k.dob, meeting)})" for k in kids) + ".")
    F.gold_kids(d, p, dob=False)
    d.p("If you are unable to attend, please send a deputy or a written report by the day before.")
    d.p("Kind regards,")
    d.p("Claire Ashdown, MAPPA Administrator")
    d.extra["email_subject"] = f"MAPPA invitation – {upper_family(p.family)} – {when(meeting, 'slash')}"
    return d
