"""Shared pieces of MAPPA case write-ups (offence, risk, children, plan, actions).

Each piece picks its own phrasing and records gold as it writes. Templates choose which pieces
to use, in what order, under which heading wording, and in prose or tables.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from tests.docgen import content as C
from tests.docgen.doc import Doc
from tests.docgen.world import PROFESSIONALS, Child, Subject, age_on, fmt_date, other_person

HEADINGS = {
    "offence": ["Index offence", "Current offence", "Offending history", "Index offence and previous convictions",
                "Offence details", "Background and offending"],
    "risk": ["Risk of serious harm", "RoSH", "Risk assessment", "Risk assessment (OASys / RM2000)",
             "Assessment of risk", "Current risk"],
    "plan": ["Licence conditions", "Risk management plan", "RMP: Supervision, Monitoring & Control",
             "Risk management plan (4 pillars)", "Supervision and monitoring", "Release and licence"],
    "children": ["Children's services update", "Children and safeguarding", "Safeguarding children",
                 "Children in contact", "Information about children", "Children's Social Care"],
    "actions": ["Actions", "Action plan", "Agreed actions", "Actions agreed", "Action log"],
    "police": ["Police update", "Police information", "Intelligence update", "Police / ViSOR update"],
    "victim": ["Victim issues", "Victim safety planning", "Victim information", "Victim Liaison"],
    "attendance": ["Present", "Attendees", "In attendance", "Attendance"],
    "next": ["Next review", "Date of next meeting", "Next MAPPA review", "Review date"],
    "community": ["Community plan", "Accommodation and employment", "Resettlement", "Supervision in the community"],
}

LEVEL_WORDS = {1: ["Level 1", "L1", "level one"], 2: ["Level 2", "L2", "level two", "Level Two"],
               3: ["Level 3", "L3", "level three", "Level Three"]}
CAT_WORDS = {1: ["Category 1", "Cat 1", "MAPPA Category 1", "Category 1 (registered sex offender)"],
             2: ["Category 2", "Cat 2", "MAPPA Category 2", "Category 2 (violent offender)"],
             3: ["Category 3", "Cat 3", "MAPPA Category 3", "Category 3 (other dangerous offender)"]}


@dataclass
class Ctx:
    """What one document knows about its meeting and how it writes."""

    rng: random.Random
    meeting: date
    style: str  # date style
    partner: str
    cs_rep: str
    attendees: list[tuple[str, str]] = field(default_factory=list)
    next_review: date | None = None

    def date(self, d: date) -> str:
        return fmt_date(d, self.style)


def he(s: Subject, cap: bool = True) -> str:
    w = "he" if s.sex == "M" else "she"
    return w.capitalize() if cap else w


def gender(s: Subject, text: str) -> str:
    if s.sex == "M":
        return text
    for a, b in ((" his ", " her "), (" him ", " her "), ("He ", "She "), (" he ", " she "), ("His ", "Her ")):
        text = text.replace(a, b)
    return text


def make_ctx(rng: random.Random, s: Subject, meeting: date, style: str) -> Ctx:
    pros = rng.sample(PROFESSIONALS, k=rng.randint(4, 7))
    cs = [p for p in pros if p[1] == "Children's Services"]
    if not cs:
        cs = [("Julie Price", "Children's Services")]
        pros.append(cs[0])
    if s.child_offender and not any("Youth" in p[1] for p in pros):
        pros.append(("Gareth Hughes", "Youth Justice Service"))
    level = s.level or 2
    gap = {1: 120, 2: 112, 3: 56}[level]
    return Ctx(rng, meeting, style, other_person(rng), cs[0][0], pros, meeting + timedelta(days=gap))


def level_word(rng: random.Random, s: Subject) -> str:
    return rng.choice(LEVEL_WORDS[s.level or 2])


def cat_word(d: Doc, rng: random.Random, s: Subject) -> str:
    assert s.category is not None
    return d.forbid(rng.choice(CAT_WORDS[s.category]))


def verb(off: str) -> str:
    return "was " + off if off.startswith(("convicted", "cautioned", "arrested", "charged")) else off


def risk_sentence(d: Doc, s: Subject, r: str) -> str:
    r = d.keep(r)
    if r.startswith("poses"):
        return f"{he(s)} {r}."
    return f"{he(s)} is assessed as presenting a {r}."


def offence_paras(d: Doc, s: Subject, c: Ctx) -> list[str]:
    rng = c.rng
    off = C.offences(rng, s, 2)
    sent = C.sentences(rng, s, 2)
    paras = []
    v = rng.randrange(3)
    if v == 0 and not s.not_mappa:
        paras.append(gender(s, f"{he(s)} {verb(d.forbid(off[0]))} and was sentenced to {d.forbid(sent[0])} "
                               f"at {d.forbid(s.court)}."))
    elif v == 1 or (v == 0 and s.not_mappa):
        if s.not_mappa:
            paras.append(f"Police record: {d.forbid(off[0])}.")
        else:
            paras.append(f"Index offence: {d.forbid(off[0])}. Sentence: {d.forbid(sent[0])} ({d.forbid(s.court)}).")
    else:
        risk = gender(s, C.risks(rng, s, 1)[0])
        lead = d.keep(risk) if risk.startswith("poses") else "presents a " + d.keep(risk)
        having = "having been" if off[0].startswith(("convicted", "cautioned", "arrested", "charged")) else "having"
        tail = "" if s.not_mappa else f" {he(s)} received {d.forbid(sent[0])}."
        paras.append(gender(s, f"{he(s)} {lead}, {having} {d.forbid(off[0])}.{tail}"))
    if len(off) > 1 and rng.random() < 0.6:
        paras.append(f"Previous offending: {d.forbid(off[1])}.")
    if len(sent) > 1 and not s.not_mappa:
        paras.append(gender(s, f"{he(s)} is also subject to {d.forbid(sent[1])}."))
    vname, vage = s.victims[0]
    rel = rng.choice(["the daughter of a former partner", "a neighbour's child", "known to him through an online game",
                      "a family friend's child"]) if vage < 18 else rng.choice(["a former partner", "an acquaintance",
                                                                                 "a stranger"])
    if not s.not_mappa:
        paras.append(gender(s, f"The victim, {d.forbid(vname)} ({d.forbid(f'then aged {vage}')}), was {rel}."))
    return paras


def risk_paras(d: Doc, s: Subject, c: Ctx) -> list[str]:
    rng = c.rng
    rs = [gender(s, r) for r in C.risks(rng, s, 2)]
    out = [f"OASys assessment ({c.date(c.meeting - timedelta(days=rng.randint(20, 90)))}): " + risk_sentence(d, s, rs[0])]
    if len(rs) > 1:
        np = rs[1].removeprefix("poses a ")
        if rng.random() < 0.5:
            out.append(f"The panel also identified a {d.keep(np)}.")
        else:
            off = C.offences(rng, s, 1)[0]
            out.append(gender(s, f"There is a {d.keep(np)}; this is based on the fact that he {verb(d.forbid(off))}."))
    if s.category == 1 and rng.random() < 0.5:
        out.append(f"{d.forbid('RM2000: ' + rng.choice(['high', 'very high', 'medium']))}. OSP/C score noted.")
    return out


def child_line(d: Doc, ch: Child, c: Ctx, *, with_dob: bool) -> str:
    if with_dob:
        d.add_child(ch)
        return f"{ch.name} (DOB {c.date(ch.dob)}), {ch.relationship}"
    d.add_child(ch, dob=False)
    return f"{ch.name}, aged {age_on(ch.dob, c.meeting)}, {ch.relationship}"


def children_paras(d: Doc, s: Subject, c: Ctx) -> list[str]:
    """Children in contact; with two families, each child's summary must not name the other family."""
    rng = c.rng
    out: list[str] = []
    if not s.families:
        out.append(gender(s, f"{he(s)} has no known children and is not currently known to be in contact with children."))
        return out
    for fam in s.families:
        kids = [child_line(d, ch, c, with_dob=rng.random() < 0.7) for ch in fam.children]
        mother = d.forbid(fam.mother)
        if fam.current:
            out.append(gender(s, f"{he(s)} is in a relationship with {mother}. Children in the household: "
                                 + "; ".join(kids) + "."))
        else:
            out.append(gender(s, f"With his former partner {mother} he has: " + "; ".join(kids)
                              + ". " + rng.choice(["Contact is supervised at a contact centre.",
                                                   "There is currently no contact.",
                                                   "Contact is by video call only."])))
        for ch in fam.children:
            if ch.ref:
                out.append(f"{ch.given} is known to Children's Services ({'open case' if ch.status == 'open' else 'case closed'}).")
    all_kids = s.children
    if len(all_kids) > 1:
        for ch in all_kids:
            others = [o.name for o in all_kids if o is not ch]
            others += [f.mother for f in s.families if ch not in f.children]
            d.per_child[ch.name] = others
    return out


def plan_items(d: Doc, s: Subject, c: Ctx) -> list[str]:
    items = [d.forbid(gender(s, x)) for x in C.release_plan(c.rng, s, c.style)[: c.rng.randint(3, 5)]]
    return items


def community_items(d: Doc, s: Subject, c: Ctx) -> list[str]:
    items = C.community_plan(c.rng, s, c.partner)[: c.rng.randint(2, 5)]
    out = []
    for x in items:
        x = gender(s, x)
        if c.partner in x:
            d.forbid(c.partner)
        out.append(d.forbid(x))
    return out


def police_paras(d: Doc, s: Subject, c: Ctx) -> list[str]:
    rng = c.rng
    third = rng.choice([c.partner, s.victims[0][0]])
    tpl = rng.choice(C.INTELLIGENCE)
    sentence = gender(s, C.fill(rng, tpl, s, third))
    sentence = sentence[0].upper() + sentence[1:]
    if third in sentence:
        d.forbid(third)
    out = [d.forbid(sentence) + "."]
    if rng.random() < 0.5:
        out.append(f"Home visit completed by {d.forbid(s.council.police_station)} officers; no concerns noted.")
    return out


def actions_rows(d: Doc, s: Subject, c: Ctx) -> list[list[str]]:
    rng = c.rng
    rows = []
    names = [ch.name for ch in s.children][:1]
    for a in C.cs_actions(rng, names, c.meeting, c.style):
        owner = rng.choice(["Children's Services", "CSC", f"SW ({c.cs_rep})", "CS rep"])
        due = "" if " by " in a or "within" in a else c.date(c.meeting + timedelta(days=rng.choice([7, 14, 21, 28])))
        rows.append([d.action(a), owner, due])
    for a, owner, due in C.other_actions(rng, s, c.meeting, c.style):
        if s.phone in a:
            d.forbid(s.phone)
        rows.append([d.forbid(a), owner, due])
    rng.shuffle(rows)
    return rows


def ident_rows(d: Doc, s: Subject, c: Ctx, *, prison: bool = False) -> list[list[str]]:
    """Key-value identity rows, as police templates print them."""
    rng = c.rng
    rows = [[rng.choice(["Name", "Subject", "Full name", "Offender"]), s.police_name]]
    aliases = []
    if s.aliases:
        rows.append([rng.choice(["AKA", "Aliases", "Also known as"]), "; ".join(s.aliases)])
        aliases = s.aliases
    rows.append([rng.choice(["DOB", "Date of birth", "D.O.B."]), c.date(s.dob)])
    rows.append(["PNC" if rng.random() < 0.5 else "PNC ID", d.forbid(s.pnc)])
    if rng.random() < 0.5:
        rows.append(["CRO", d.forbid(s.cro)])
    if prison:
        rows.append([rng.choice(["Prison number", "NOMIS", "Prison no."]), d.forbid(s.nomis)])
    if rng.random() < 0.6:
        rows.append(["CRN", d.forbid(s.crn)])
    if rng.random() < 0.4:
        rows.append(["NI number", d.forbid(s.nino)])
    rows.append([rng.choice(["Address", "Current address", "Home address"]), d.forbid(s.address)])
    d.forbid(s.postcode)
    if rng.random() < 0.4:
        rows.append(["Telephone", d.forbid(s.phone)])
    d.add_subject(s, aliases=aliases, level=s.level is not None, category=s.category is not None, prison=prison)
    return rows
