"""Agendas / case lists, invitations, prison release notifications, MAPPA A referrals, other letters."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

from tests.docgen import content as C
from tests.docgen import sections as S
from tests.docgen.doc import Doc
from tests.docgen.world import Subject, fmt_date


def _name_cell(rng: random.Random, s: Subject) -> tuple[str, list[str]]:
    form = rng.randrange(4)
    if form == 0:
        name = f"{s.family.upper()}, {s.given}"
    elif form == 1:
        name = f"{s.title} {s.given} {s.family}"
    else:
        name = s.police_name
    if s.aliases and rng.random() < 0.5:
        return f"{name} (aka {s.aliases[0]})", [s.aliases[0]]
    return name, []


def agenda(stem: str, subjects: list[Subject], meeting: date, rng: random.Random, style: str) -> Doc:
    """A panel agenda / case list: several subjects, new and review, in a landscape table."""
    d = Doc("agenda", stem, landscape=True)
    d.meeting_date = meeting
    d.children = []
    d.actions = None
    d.header_text = rng.choice(["OFFICIAL-SENSITIVE", "RESTRICTED", ""])
    council = subjects[0].council
    d.title(rng.choice(["MAPPA Level 2 & 3 Panel - Agenda", f"{council.short} MAPPA Case List",
                        "MAPPA Meeting Agenda", f"Level 2/3 MAPPA Meeting - {council.short}"]))
    d.p(f"Date: {fmt_date(meeting, style)}   Time: {rng.choice(['09:30', '10:00'])}-{rng.choice(['12:30', '16:00'])}   "
        f"Venue: {rng.choice(['Microsoft Teams', 'Committee Room 3, Town Hall', 'Probation Office, Room 4'])}")
    if rng.random() < 0.5:
        d.h("Agenda")
        d.bullets(["1. Introductions and confidentiality statement", "2. Minutes and actions of the last meeting",
                   "3. New referrals", "4. Reviews", "5. Any other business"])
    cols = ["No.", "Name", "DOB"]
    opt = [c for c in ["Time", "PNC", "Level", "Cat", "New/Review", "Lead agency", "Index offence", "Area"]
           if rng.random() < 0.65]
    for must in ("Level", "New/Review"):
        if must not in opt:
            opt.append(must)
    cols += opt
    rows = [cols]
    for i, s in enumerate(subjects, 1):
        name, aliases = _name_cell(rng, s)
        new = rng.random() < 0.4
        row = [str(i), name, fmt_date(s.dob, style)]
        for c in opt:
            if c == "Time":
                row.append(f"{9 + i}:{rng.choice(['00', '30'])}")
            elif c == "PNC":
                row.append(d.forbid(s.pnc))
            elif c == "Level":
                row.append(rng.choice([f"L{s.level}", f"Level {s.level}", str(s.level)]))
            elif c == "Cat":
                row.append(d.forbid(f"Cat {s.category}") if rng.random() < 0.5 else str(s.category))
            elif c == "New/Review":
                row.append("NEW" if new else rng.choice(["Review", "R", f"Review {rng.randint(2, 6)}"]))
            elif c == "Lead agency":
                row.append(rng.choice(["Probation", "Police", "YJS"]) if not s.child_offender else "YJS")
            elif c == "Index offence":
                row.append(d.forbid(rng.choice(C.OFFENCES[s.archetype]).split(" of ")[-1].split(" (")[0]
                                    .format(y=s.conviction_year, court=s.court)))
            elif c == "Area":
                row.append(rng.choice(council.districts))
        rows.append(row)
        assert d.subjects is not None
        d.add_subject(s, name=name, aliases=aliases, pnc="PNC" in opt, category="Cat" in opt)
        d.subjects[-1]["new_case"] = new
    d.table(rows, widths=[0.4, 2.2, 1] + [1.8 if c == "Index offence" else 0.9 for c in opt])
    d.p(rng.choice(["Agencies are asked to bring updated information on all cases, including any children in contact.",
                    "Please notify the MAPPA Coordinator of any apologies.", "Papers will follow by secure e-mail."]))
    d.extra["style"] = "agenda"
    return d


def invitation(stem: str, s: Subject, meeting: date, rng: random.Random, style: str) -> Doc:
    d = Doc("invitation", stem)
    d.meeting_date = meeting
    d.children = []
    d.actions = None
    lvl = S.level_word(rng, s)
    venue = rng.choice(["via Microsoft Teams (link to follow)", "police", "at the Civic Centre, Room 2.14"])
    if venue == "police":
        venue = f"at {d.forbid(s.council.police_station)}"
    time = rng.choice(["10:00", "11:30", "14:00", "2.30pm"])
    d.letterhead([s.council.probation, "MAPPA Coordination Unit", fmt_date(meeting - timedelta(days=rng.randint(10, 21)), style)])
    d.p(rng.choice(["Dear colleague,", "Dear Children's Services representative,", "To: MAPPA SPOC, Children's Services"]))
    d.title(rng.choice([f"Invitation to a MAPPA {lvl} meeting", f"MAPPA {lvl} meeting - invitation",
                        "Notice of MAPPA meeting"]))
    name, aliases = _name_cell(rng, s)
    d.p(f"You are invited to attend a MAPPA {lvl} meeting to discuss {name}, date of birth {fmt_date(s.dob, style)}, "
        f"on {fmt_date(meeting, 'weekday_long' if rng.random() < 0.5 else style)} at {time} {venue}.")
    d.add_subject(s, name=name, aliases=aliases, pnc=False, category=False)
    if rng.random() < 0.5:
        d.p(f"The meeting is {rng.choice(['an initial', 'a review'])} meeting. The lead agency is "
            f"{rng.choice(['Probation', 'the Police'])}.")
    d.p(rng.choice(["Please bring information your agency holds on any children in contact with the subject, "
                    "including their names, dates of birth and whether they are open to Children's Services.",
                    "Please complete the agency information form and return it two days before the meeting.",
                    "Attendance is mandatory under the Duty to Co-operate (s.325 CJA 2003)."]))
    d.p("The information shared is confidential. Please confirm attendance by reply.")
    d.p(f"Yours sincerely,\n{rng.choice(['Angela Ward', 'Paul Richards'])}, MAPPA Coordinator")
    d.extra["style"] = "invitation"
    return d


def prison(stem: str, s: Subject, rng: random.Random, style: str) -> Doc:
    """A release notification from the prison's Offender Management Unit."""
    d = Doc("prison_notification", stem)
    d.children = []
    d.actions = None
    d.release_date = s.release
    council = s.council
    town = s.prison.replace("HMP ", "").replace("HMYOI ", "")
    d.letterhead([d.forbid(s.prison), "Offender Management Unit", f"{town}"])
    d.p(f"To: {council.name}, Children's Services (MAPPA SPOC)")
    d.p(f"Date: {fmt_date(s.release - timedelta(days=rng.randint(14, 56)), style)}")
    title = rng.choice(["Notification of release - person identified as presenting a risk to children",
                        "Public Protection: notification of release", "Release notification (PPRC)",
                        "Pre-release notification to Children's Services"])
    d.title(title)
    kv = [["Name", s.police_name], ["Date of birth", fmt_date(s.dob, style)],
          [rng.choice(["Prison number", "NOMIS number", "Prison No"]), d.forbid(s.nomis)]]
    pnc = rng.random() < 0.6
    if pnc:
        kv.append(["PNC", d.forbid(s.pnc)])
    kv.append([rng.choice(["Release date", "Conditional release date", "Date of release"]), fmt_date(s.release, style)])
    kv.append([rng.choice(["Release address", "Address on release"]), d.forbid(rng.choice([s.address, s.ap]))])
    if s.address in d.forbidden:
        d.forbid(s.postcode)
    d.kv(kv)
    lvl = s.level is not None and rng.random() < 0.5
    d.add_subject(s, pnc=pnc, prison=True, level=lvl, category=False)
    off = C.offences(rng, s, 1)[0]
    custodial = [x for x in C.SENTENCES[s.archetype] if re.search(r"imprisonment|extended|detention|life", x)]
    sent = rng.choice(custodial or ["18 months' imprisonment"])
    having = "having been" if off.startswith(("convicted", "cautioned", "arrested", "charged")) else "having"
    d.p(S.gender(s, f"The above named is serving {d.forbid(sent)} {having} {d.forbid(off)}."))
    risk = S.gender(s, C.risks(rng, s, 1)[0])
    d.p(S.gender(s, f"He has been identified as a person who presents a {d.keep(risk)}." if not risk.startswith("poses")
                 else f"He has been identified as a person who {d.keep(risk)}."))
    if lvl:
        d.p(f"He will be managed at MAPPA {S.level_word(rng, s)} on release.".replace("He ", S.he(s) + " "))
    kids = s.children
    if kids and rng.random() < 0.6:
        ch = kids[0]
        with_dob = rng.random() < 0.7
        d.add_child(ch, dob=with_dob)
        when = f" (DOB {fmt_date(ch.dob, style)})" if with_dob else ""
        d.p(S.gender(s, f"He has requested contact with his {ch.relationship} {ch.name}{when}. Child contact "
                        "restrictions apply while in custody."))
    d.p(f"Licence conditions include: {d.forbid(S.gender(s, C.release_plan(rng, s, style)[rng.choice([2, 3, 4])]))}.")
    d.p(rng.choice(["Please acknowledge receipt of this notification.", "Please reply to the OMU functional mailbox.",
                    "If the person is known to you, please inform the allocated social worker."]))
    d.p(f"{rng.choice(['Neil Carter', 'Sandra Bell', 'Owen Hughes'])}, Offender Management Unit")
    d.extra["style"] = "prison"
    return d


def referral(stem: str, s: Subject, meeting: date, rng: random.Random, style: str) -> Doc:
    """MAPPA A: referral to Level 2/3 management."""
    d = Doc("referral", stem)
    c = S.make_ctx(rng, s, meeting, style)
    d.header_text = "OFFICIAL-SENSITIVE (when complete)"
    d.title(rng.choice(["MAPPA A - Referral to Level 2/3 Management", "MAPPA Referral Form (MAPPA A)"]))
    d.h("Section 1: Referral details")
    d.kv([["Referring agency", rng.choice(["Probation", "Police", "Youth Justice Service"])],
          ["Date of referral", c.date(meeting)], ["Level requested", S.level_word(rng, s)]])
    d.h("Section 2: Offender details")
    d.kv(S.ident_rows(d, s, c, prison=rng.random() < 0.5) + [["MAPPA category", S.cat_word(d, rng, s)]])
    d.h("Section 3: Index offence and previous convictions")
    for t in S.offence_paras(d, s, c):
        d.p(t)
    d.h("Section 4: Risk of serious harm")
    for t in S.risk_paras(d, s, c):
        d.p(t)
    d.h("Section 5: Children")
    for t in S.children_paras(d, s, c):
        d.p(t)
    d.h("Section 6: Reason for referral and proposed plan")
    d.bullets(S.plan_items(d, s, c) + S.community_items(d, s, c))
    d.actions = None
    d.extra["style"] = "referral"
    return d


OTHER = [
    ("Council Tax - reminder notice", ["Account reference: 40012345", "Our records show that the instalment due on {d} "
     "has not been paid. Please pay the outstanding balance of 142.00 within 7 days.", "Revenues and Benefits Service"]),
    ("School transport - confirmation", ["We are pleased to confirm that transport has been arranged from {d}.",
     "The taxi will collect at 08:05. Please contact the Transport Team with any changes."]),
    ("Freedom of Information request - response", ["You asked how many MAPPA meetings the council attended in 2024.",
     "The council attended 212 MAPPA Level 2 and 3 meetings. The MAPPA annual report is published on gov.uk.",
     "Information Governance Team, {d}"]),
    ("Team newsletter", ["Welcome to the spring edition. Training on MAPPA and child protection will run on {d}.",
     "Reminder: all staff must complete the annual data protection module."]),
    ("MARAC - meeting schedule", ["The MARAC will meet on {d}. Referrals should be made on the SafeLives form.",
     "This is not a MAPPA meeting."]),
    ("Foster carer recruitment evening", ["Join us on {d} at the Civic Centre to learn about fostering.",
     "Light refreshments will be provided."]),
]


def other(stem: str, k: int, council_name: str, when: date, rng: random.Random, style: str) -> Doc:
    d = Doc("other", stem)
    d.subjects, d.children, d.actions = [], [], None
    title, paras = OTHER[k % len(OTHER)]
    d.letterhead([council_name, fmt_date(when, style)])
    d.title(title)
    d.p(rng.choice(["Dear Resident,", "Dear colleague,", "Dear Mr Fletcher,", "To whom it may concern,"]))
    for t in paras:
        d.p(t.format(d=fmt_date(when + timedelta(days=21), style)))
    d.p("Yours faithfully")
    d.extra["style"] = "other"
    return d
