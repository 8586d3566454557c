"""MAPPA meeting minutes in several councils' house styles.

Styles differ in structure (prose, key-value header table, numbered sections, bilingual form,
tick-box form, short Level 1 / not-MAPPA record), in heading wording and in where the same facts
sit, because the service will meet minutes written by authors it has never seen.
"""

from __future__ import annotations

import random
from datetime import date

from tests.docgen import sections as S
from tests.docgen.doc import Doc
from tests.docgen.sections import Ctx
from tests.docgen.world import Subject

HEADERS = ["OFFICIAL-SENSITIVE", "OFFICIAL - SENSITIVE: MAPPA", "RESTRICTED - MAPPA",
           "OFFICIAL SENSITIVE - not to be disclosed without the consent of the MAPPA Chair", ""]
FOOTERS = ["MAPPA minutes - confidential", "Do not copy or forward", "MAPPA Document Set (2024)",
           "This document must be stored securely", ""]
CONFIDENTIALITY = [
    "The information in these minutes is confidential and is shared for the purpose of managing risk. It must "
    "not be disclosed to any other person without the agreement of the MAPPA Chair.",
    "All present were reminded of the confidentiality statement and the requirement to declare any conflict "
    "of interest.",
    "Information sharing is lawful under s.325 Criminal Justice Act 2003.",
]


def _common(d: Doc, s: Subject, c: Ctx, rng: random.Random) -> None:
    d.header_text = rng.choice(HEADERS)
    d.footer_text = rng.choice(FOOTERS)
    d.meeting_date = c.meeting


def _next_review(d: Doc, c: Ctx, label: str) -> str:
    if c.rng.random() < 0.85:
        assert c.next_review is not None
        d.next_review_date = c.next_review
        return f"{label}: {c.date(c.next_review)}"
    return f"{label}: to be reviewed in {c.rng.choice(['8', '12', '16'])} weeks (date to be confirmed)"


def prose(d: Doc, s: Subject, c: Ctx, rng: random.Random) -> None:
    """Camden-style running minutes."""
    _common(d, s, c, rng)
    lvl = S.level_word(rng, s)
    d.title(f"MAPPA {lvl} Meeting - Minutes" if rng.random() < 0.5 else f"Minutes of MAPPA {lvl} meeting")
    name = f"{s.title} {s.police_name}" if rng.random() < 0.4 else s.police_name
    d.p(f"Subject: {name}" + (f" (also known as {s.aliases[0]})" if s.aliases else "")
        + f", born {c.date(s.dob)}")
    d.add_subject(s, name=name, aliases=s.aliases[:1], pnc=False)
    venue = rng.choice(["via Microsoft Teams", "held virtually", "at the police station"])
    if venue == "at the police station":
        venue = f"at {d.forbid(s.council.police_station)}"
    d.p(f"Date of meeting: {c.date(c.meeting)} at {rng.choice(['10:00', '13:30', '14:00'])}, {venue}")
    d.p(f"Chair: {c.attendees[0][0]}. MAPPA category: {S.cat_word(d, rng, s)}.")
    d.h(rng.choice(S.HEADINGS["attendance"]))
    d.p("; ".join(f"{n} ({a})" for n, a in c.attendees))
    d.p(rng.choice(CONFIDENTIALITY))
    order = ["offence", "risk", "children", "plan", "police"]
    if rng.random() < 0.5:
        order = ["offence", "police", "children", "risk", "plan"]
    for key in order:
        d.h(rng.choice(S.HEADINGS[key]))
        if key == "offence":
            for t in S.offence_paras(d, s, c):
                d.p(t)
        elif key == "risk":
            for t in S.risk_paras(d, s, c):
                d.p(t)
        elif key == "children":
            for t in S.children_paras(d, s, c):
                d.p(t)
        elif key == "plan":
            d.p("The following conditions and arrangements are in place:")
            d.bullets(S.plan_items(d, s, c) + S.community_items(d, s, c))
        else:
            for t in S.police_paras(d, s, c):
                d.p(t)
    d.h(rng.choice(S.HEADINGS["actions"]))
    for row in S.actions_rows(d, s, c):
        d.p(" - ".join(x for x in row if x))
    d.p(_next_review(d, c, rng.choice(S.HEADINGS["next"])))


def kv_header(d: Doc, s: Subject, c: Ctx, rng: random.Random) -> None:
    """Kent-style: a key-value table of identifiers, then short sections and an action table."""
    _common(d, s, c, rng)
    d.title(rng.choice(["MAPPA Meeting Minutes", "MAPPA Level 2/3 Meeting Record", "Multi-Agency Public Protection "
                        "Arrangements - Meeting Minutes"]))
    rows = S.ident_rows(d, s, c, prison=rng.random() < 0.4)
    rows.append([rng.choice(["MAPPA level", "Level", "Management level"]), S.level_word(rng, s)])
    rows.append([rng.choice(["MAPPA category", "Category"]), S.cat_word(d, rng, s)])
    rows.append([rng.choice(["Meeting date", "Date of meeting", "Date"]), c.date(c.meeting)])
    rows.append(["Lead agency", rng.choice(["Probation", "Police", "Youth Justice Service"])])
    d.kv(rows)
    d.h(rng.choice(S.HEADINGS["attendance"]))
    d.table([["Name", "Agency"]] + [[n, a] for n, a in c.attendees], widths=[1, 1.4])
    for key in ["offence", "risk", "plan", "community", "victim", "children", "police"]:
        d.h(rng.choice(S.HEADINGS[key]))
        if key == "offence":
            for t in S.offence_paras(d, s, c):
                d.p(t)
        elif key == "risk":
            for t in S.risk_paras(d, s, c):
                d.p(t)
        elif key == "plan":
            d.bullets(S.plan_items(d, s, c))
        elif key == "community":
            d.bullets(S.community_items(d, s, c))
        elif key == "victim":
            d.p(rng.choice(["Victim Liaison Officer has been informed of the release.",
                            "The victim has opted into the Victim Contact Scheme.",
                            "No victim issues raised."]))
        elif key == "children":
            for t in S.children_paras(d, s, c):
                d.p(t)
        else:
            for t in S.police_paras(d, s, c):
                d.p(t)
    d.h(rng.choice(S.HEADINGS["actions"]))
    d.table([["Action", "Owner", rng.choice(["Due", "By when", "Target date"])]] + S.actions_rows(d, s, c),
            widths=[3.2, 1.2, 1])
    d.p(_next_review(d, c, rng.choice(S.HEADINGS["next"])))


def numbered(d: Doc, s: Subject, c: Ctx, rng: random.Random) -> None:
    """Bristol-style numbered sections with an attendance table."""
    _common(d, s, c, rng)
    d.heading_style = rng.choice(["bold", "caps", "underline"])
    lvl = S.level_word(rng, s)
    d.title(f"{s.council.short} MAPPA Panel - {lvl}")
    d.kv([["Subject", s.police_name], ["Date of birth", c.date(s.dob)], ["Meeting", c.date(c.meeting)],
          ["Category", S.cat_word(d, rng, s)]])
    d.add_subject(s, pnc=False)
    sub = "." if rng.random() < 0.5 else ".0"
    n = 0

    def sec(key: str) -> None:
        nonlocal n
        n += 1
        d.h(f"{n}{sub} {rng.choice(S.HEADINGS[key]) if key in S.HEADINGS else key}")

    sec("attendance")
    d.table([["Name", "Agency", "Role"]] + [[nm, ag, rng.choice(["Chair", "Member", "Minutes"]) if i < 2 else "Member"]
                                            for i, (nm, ag) in enumerate(c.attendees)])
    sec("Purpose of meeting")
    d.p(rng.choice(["Initial Level 2 meeting following referral by Probation.", "Review of the risk management plan.",
                    "Pre-release planning meeting."]))
    sec("offence")
    for t in S.offence_paras(d, s, c):
        d.p(t)
    sec("risk")
    for t in S.risk_paras(d, s, c):
        d.p(t)
    sec("children")
    for t in S.children_paras(d, s, c):
        d.p(t)
    sec("plan")
    for i, t in enumerate(S.plan_items(d, s, c) + S.community_items(d, s, c), 1):
        d.p(f"{n}.{i} {t}")
    sec("police")
    for t in S.police_paras(d, s, c):
        d.p(t)
    sec("actions")
    d.table([["No.", "Action", "Lead", "Date"]] + [[str(i)] + r for i, r in enumerate(S.actions_rows(d, s, c), 1)],
            widths=[0.4, 3.2, 1.2, 1])
    sec("next")
    d.p(_next_review(d, c, "Next meeting"))


def bilingual(d: Doc, s: Subject, c: Ctx, rng: random.Random) -> None:
    """Welsh councils: paired Welsh / English headings."""
    _common(d, s, c, rng)
    d.font = "DejaVu" if rng.random() < 0.5 else d.font
    lvl = S.level_word(rng, s)
    d.title(f"Cofnodion / Minutes - Cyfarfod MAPPA / MAPPA Meeting ({lvl})")
    d.kv([["Enw / Name", s.police_name], ["Dyddiad geni / Date of birth", c.date(s.dob)],
          ["Rhif PNC / PNC number", d.forbid(s.pnc)], ["Categori / Category", S.cat_word(d, rng, s)],
          ["Dyddiad / Date", c.date(c.meeting)], ["Lleoliad / Venue", rng.choice(["Microsoft Teams", "Ystafell 2 / Room 2"])]])
    d.add_subject(s)
    d.h("Presennol / Present")
    d.p(", ".join(f"{n} ({a})" for n, a in c.attendees))
    d.h("Trosedd / Offence")
    for t in S.offence_paras(d, s, c):
        d.p(t)
    d.h("Asesu risg / Risk assessment")
    for t in S.risk_paras(d, s, c):
        d.p(t)
    d.h("Plant / Children")
    for t in S.children_paras(d, s, c):
        d.p(t)
    d.h("Cynllun rheoli risg / Risk management plan")
    d.bullets(S.plan_items(d, s, c) + S.community_items(d, s, c))
    d.h("Heddlu / Police")
    for t in S.police_paras(d, s, c):
        d.p(t)
    d.h("Camau gweithredu / Actions")
    d.table([["Cam / Action", "Pwy / Who", "Erbyn / By"]] + S.actions_rows(d, s, c), widths=[3.2, 1.2, 1])
    d.p(_next_review(d, c, "Cyfarfod nesaf / Next meeting"))


def tickbox(d: Doc, s: Subject, c: Ctx, rng: random.Random) -> None:
    """A form with tick boxes and question / response rows."""
    _common(d, s, c, rng)
    d.title("MAPPA MEETING RECORD (Form M2)")
    boxes = "   ".join(f"[{'X' if lv == s.level else ' '}] Level {lv}" for lv in (1, 2, 3))
    d.kv([["Subject name", s.police_name], ["DOB", c.date(s.dob)], ["PNC", d.forbid(s.pnc)],
          ["Management level", boxes], ["Category", S.cat_word(d, rng, s)], ["Date of meeting", c.date(c.meeting)]])
    d.add_subject(s)
    qa = [["Question", "Response"],
          ["Q1. What is the index offence?", " ".join(S.offence_paras(d, s, c))],
          ["Q2. What is the risk of serious harm and to whom?", " ".join(S.risk_paras(d, s, c))],
          ["Q3. Are there children in contact with the subject?", " ".join(S.children_paras(d, s, c))],
          ["Q4. What are the licence conditions?", "; ".join(S.plan_items(d, s, c))],
          ["Q5. Community arrangements", "; ".join(S.community_items(d, s, c))]]
    d.table(qa, widths=[1.3, 3])
    d.h("Agreed actions")
    d.table([["Action", "Agency", "Due"]] + S.actions_rows(d, s, c), widths=[3.2, 1.2, 1])
    d.p(_next_review(d, c, "Review"))


def short_record(d: Doc, s: Subject, c: Ctx, rng: random.Random) -> None:
    """Discussed but not made subject to MAPPA (or a brief youth case record)."""
    _common(d, s, c, rng)
    d.title(rng.choice(["MAPPA Panel - Record of Discussion", "Potentially Dangerous Person - MAPPA Screening"]))
    d.p(f"Name: {s.police_name}    DOB: {c.date(s.dob)}    Date of discussion: {c.date(c.meeting)}")
    d.add_subject(s, level=False, category=False, pnc=False)
    d.extra["not_mappa"] = True
    d.h("Background")
    for t in S.offence_paras(d, s, c):
        d.p(t)
    d.h("Decision")
    d.p(rng.choice([
        f"The panel agreed that {s.police_name} does not meet the criteria for MAPPA management. He is not made "
        "subject to MAPPA.",
        "Discussed but not made subject to MAPPA: the case does not meet the threshold for a MAPPA category.",
    ]).replace(" He ", f" {S.he(s)} "))
    for t in S.risk_paras(d, s, c):
        d.p(t)
    d.h("Children")
    for t in S.children_paras(d, s, c):
        d.p(t)
    d.h("Actions")
    d.bullets([" - ".join(x for x in r if x) for r in S.actions_rows(d, s, c)])
    d.next_review_date = None


def youth(d: Doc, s: Subject, c: Ctx, rng: random.Random) -> None:
    """The subject is a child himself: Youth Justice Service leads; his siblings are the children at risk."""
    _common(d, s, c, rng)
    d.extra["offender_is_child"] = True
    lvl = S.level_word(rng, s)
    d.title(f"MAPPA {lvl} - Young Person Meeting Minutes")
    d.kv([["Young person", s.police_name], ["DOB", c.date(s.dob)], ["PNC", d.forbid(s.pnc)],
          ["Category", S.cat_word(d, rng, s)], ["YJS case manager", "Gareth Hughes"],
          ["Meeting date", c.date(c.meeting)]])
    d.add_subject(s)
    d.p(f"{s.given} is {int((c.meeting - s.dob).days // 365.25)} years old and is a looked after child.")
    d.h(rng.choice(S.HEADINGS["offence"]))
    for t in S.offence_paras(d, s, c):
        d.p(t)
    d.h(rng.choice(S.HEADINGS["risk"]))
    for t in S.risk_paras(d, s, c):
        d.p(t)
    d.h("Family and siblings")
    for t in S.children_paras(d, s, c):
        d.p(t)
    d.h(rng.choice(S.HEADINGS["plan"]))
    d.bullets(S.plan_items(d, s, c))
    d.h(rng.choice(S.HEADINGS["actions"]))
    d.table([["Action", "Owner", "Due"]] + S.actions_rows(d, s, c), widths=[3.2, 1.2, 1])
    d.p(_next_review(d, c, rng.choice(S.HEADINGS["next"])))


STYLES = {"prose": prose, "kv_header": kv_header, "numbered": numbered, "bilingual": bilingual,
          "tickbox": tickbox}


def make(stem: str, s: Subject, meeting: date, rng: random.Random, style: str, date_style: str) -> Doc:
    d = Doc("minutes", stem)
    c = S.make_ctx(rng, s, meeting, date_style)
    if s.not_mappa:
        short_record(d, s, c, rng)
    elif s.child_offender:
        youth(d, s, c, rng)
    else:
        STYLES[style](d, s, c, rng)
    d.extra["style"] = "short_record" if s.not_mappa else ("youth" if s.child_offender else style)
    return d
