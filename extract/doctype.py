"""What kind of MAPPA document is this?

Each type is recognised by weighted cues declared as data: words in the title area (the first
few blocks, where every author names the document), headings, and phrases that only one kind
of document uses. Councils, police forces and prisons word these differently, so no single cue
decides; the scores are turned into a confidence, and a close call is reported so the document
goes to review rather than down the wrong path (an agenda filed as minutes would produce child
summaries from a list of names).

A watched folder's type hint adds a modest weight: it helps a weak document but cannot
override strong evidence (admin staff drop files in the wrong folder).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

from extract import literals
from extract.dates import find_dates
from extract.facts import DocType
from extract.fields.names import names_in
from extract.model import BlockKind, TextDocument


@dataclass(frozen=True)
class Cue:
    doc_type: DocType
    pattern: re.Pattern[str]
    weight: float
    scope: str = "any"  # "title": only counts in the title area; "any": anywhere (x1.5 in the title area)


def _c(t: DocType, rx: str, w: float, scope: str = "any") -> Cue:
    return Cue(t, re.compile(rx, re.IGNORECASE), w, scope)


M, A, INV, P, R = DocType.MINUTES, DocType.AGENDA, DocType.INVITATION, DocType.PRISON_NOTIFICATION, DocType.REFERRAL

CUES: tuple[Cue, ...] = (
    # minutes
    _c(M, r"\bminutes?\b", 6, "title"),
    _c(M, r"\bcofnodion\b", 6),
    _c(M, r"\b(?:record|notes|summary) of (?:the |a )?(?:MAPPA |MAPP |multi[- ]agency )?(?:public protection )?(?:panel |level \w+ )?meeting\b", 5),
    _c(M, r"\bminutes\b", 2),
    _c(M, r"^\s*(?:\d+(?:\.\d+)*[.)]?\s*)?(?:present|attendees|in attendance|those present|attendance)\b", 2),
    _c(M, r"\b(?:meeting|panel|conference) record\b|\brecord of (?:discussion|decisions?)\b", 5),
    _c(M, r"\bpurpose of (?:the )?meeting\b|\b(?:police|probation|agency|children's services) updates?\b", 2),
    _c(M, r"\brisk assessment\b|\bOASys\b|\bindex offence\b", 1),
    _c(M, r"\b(?:MAPPA|PDP|panel)\s+screening\b|\bscreening (?:meeting|panel|decision)\b", 4),
    _c(M, r"\bdate of (?:the )?(?:discussion|meeting)\b|\bdiscussed (?:at|by) (?:the )?(?:panel|meeting)\b", 3),
    _c(M, r"^\s*(?:\d+(?:\.\d+)*[.)]?\s*)?(?:decision|decisions|outcome)s?\s*:?\s*$", 1.5),
    _c(M, r"\bapologies\b", 1),
    _c(M, r"\bchair(?:'|’)?s notes\b|\bnotes of (?:the )?(?:MAPPA |multi[- ]agency )?(?:level \w+ )?(?:meeting|discussion|panel)\b", 5),
    # headings of a record of discussion: what was said about the person, agency by agency
    _c(M, r"^\s*(?:\d+(?:\.\d+)*[.)]?\s*)?(?:offending history|current risk|risk to children|victim issues|"
          r"multi[- ]agency actions|updates? from agencies|agency updates|introductions)\b", 2),
    _c(M, r"\bmeeting held\b|\bheld on\b", 1),
    _c(M, r"\b(?:meeting|panel|discussion) notes\b|\bnotes of (?:the )?(?:meeting|discussion|panel)\b", 5, "title"),
    _c(M, r"\bactions? (?:agreed|arising|log|plan)\b|\bagreed actions?\b", 2.5),
    _c(M, r"\brisk management plan\b|\bRMP\b", 2),
    _c(M, r"\bthe (?:panel|meeting|chair) (?:agreed|noted|discussed|decided|was informed)\b", 2.5),
    _c(M, r"\b(?:summary of )?discussion\b", 1),
    _c(M, r"\b(?:was|were) (?:discussed|agreed|reviewed)\b", 1.5),
    _c(M, r"\bchair(?:ed)?\s+(?:by|:)", 1),
    _c(M, r"\b(?:date of )?next (?:review|meeting)\b", 1.5),
    _c(M, r"\b(?:risk of serious harm|RoSH)\b", 1),
    _c(M, r"\bdefensible decision\b|\bdecision(?:s)? (?:made|reached)\b", 1.5),
    # agendas and case lists
    _c(A, r"\bagenda\b", 6, "title"),
    _c(A, r"\bcase ?list\b|\bpanel list\b|\blist of cases\b|\bcases? for (?:discussion|review)\b", 6),
    _c(A, r"\bcases? (?:to be )?(?:discussed|heard|listed|reviewed) (?:at|on|for)\b", 3),
    _c(A, r"\bnew (?:cases?|referrals?)\b", 2),
    _c(A, r"\breview cases?\b|\b(?:new|review)\s*/\s*(?:review|new)\b", 2.5),
    _c(A, r"\bany other business\b|\bAOB\b", 2),
    _c(A, r"\bitem\s+\d+\b", 1),
    _c(A, r"\b(?:time\s*slot|start time)\b", 1.5),
    _c(A, r"\bagenda\b", 1.5),
    # a header row listing people: name, date of birth and how each is managed
    _c(A, r"\b(?:(?:sur|fore|first |family )?names?|forenames?\(s\))\b[^\n]{0,40}\b(?:dob|d\.o\.b\.?|date of birth)\b[^\n]{0,120}"
          r"\b(?:new\s*/\s*review|level|cat(?:egory)?|pnc)\b", 4),
    # invitations
    _c(INV, r"\byou (?:are|have been) (?:invited|requested|asked) to (?:attend|a)\b", 7),
    _c(INV, r"\binvit(?:ation|e)\b", 4, "title"),
    _c(INV, r"\bgwahoddiad\b", 6),
    _c(INV, r"\bplease (?:confirm|let (?:me|us) know|advise) (?:your |if you (?:are able to|can) )?attend", 3),
    _c(INV, r"\bRSVP\b", 3),
    _c(INV, r"\b(?:grateful|appreciated?) if you (?:could|would|can) attend\b", 4),
    _c(INV, r"\byour attendance (?:is|would be|at)\b|\brequest(?:ing)? your attendance\b", 3.5),
    _c(INV, r"\b(?:teams|dial[- ]in|joining) (?:link|details|instructions)\b", 1.5),
    _c(INV, r"\bunable to attend\b.*\b(?:deputy|representative|report)\b", 1.5),
    # prison release notifications
    _c(P, r"\bnotification of (?:impending |forthcoming |the )?release\b|\brelease notification\b", 7),
    _c(P, r"\bHM ?P\b|\bHMYOI\b|\bHM Prison\b|\bHM Young Offender Institution\b|\bcarchar\b", 2),
    _c(P, r"\b(?:due|scheduled|expected|set) (?:for|to be) releas", 4),
    _c(P, r"\b(?:release date|date of release|(?:conditional|automatic|parole eligibility|earliest) release date)\b", 3),
    _c(P, r"\b(?:CRD|ARD|PED|SLED|LED|HDCED)\b", 1.5),
    _c(P, r"\boffender management unit\b|\bOMU\b|\bprison offender manager\b|\bPOM\b", 3),
    _c(P, r"\bprisoner\b|\bprison number\b|\bNOMIS\b", 2),
    _c(P, r"\bnotification\b|\b(?:to|we) notify you\b|\bnotifying you\b|\bhave been notified\b", 1.5),
    _c(P, r"\bthe above[- ]named\b", 1),
    _c(P, r"\brhyddhau\b|\bhysbysiad\b", 3),
    # post that is not MAPPA casework, named so in its title: training, newsletters, other panels
    _c(DocType.OTHER, r"\b(?:training|workshop|seminar|e-?learning|briefing session|awareness session|learning event)\b", 9,
       "title"),
    _c(DocType.OTHER, r"\b(?:invited|welcome) to (?:attend|join|book)\s+(?:(?:a|an|the|our)\s+)?(?:[\w-]+\s+){0,4}?"
       r"(?:training|session|course|workshop|seminar|briefing|learning event|recruitment evening)\b", 9),
    _c(DocType.OTHER, r"\bnewsletter\b|\bannual report\b|\bstrategic management board\b|\bbulletin\b", 9, "title"),
    _c(DocType.OTHER, r"\bMARAC\b|\bcouncil tax\b|\bfreedom of information\b|\brecruitment\b|\bschool transport\b",
       7, "title"),
    # MAPPA A referral forms
    _c(R, r"\bMAPPA\s*A\b", 6),
    _c(R, r"\breferral form\b|\bMAPPA referral\b|\breferral to MAPPA\b", 6),
    _c(R, r"\breason(?:s)? for (?:the )?referral\b", 4),
    _c(R, r"\breferr(?:ing|er)(?:'s)? (?:agency|details|officer|name)\b", 3),
    _c(R, r"\blevel (?:requested|recommended|of management requested)\b", 3),
    _c(R, r"\breferral\b", 2, "title"),
)

HINT_WEIGHT = 3.5
OTHER_BASE = 3.0  # what any document scores as "other": a type must beat it with real cues
TEMPERATURE = 2.0
UNSURE_BELOW = 0.6

# Folder hints as admins might name them.
HINTS: dict[str, DocType] = {
    "minute": M, "agenda": A, "case": A, "caselist": A, "list": A, "invit": INV, "prison": P,
    "release": P, "notif": P, "referral": R, "mappa_a": R, "other": DocType.OTHER,
}  # fmt: skip


@dataclass(frozen=True)
class TypeResult:
    doc_type: DocType
    confidence: float
    evidence: tuple[str, ...]
    scores: tuple[tuple[DocType, float], ...]  # every type's probability, best first

    def unsure_reason(self) -> str | None:
        if self.confidence >= UNSURE_BELOW or len(self.scores) < 2:
            return None
        (t1, p1), (t2, p2) = self.scores[0], self.scores[1]
        return f"document type unsure: {t1.value} {p1:.2f} vs {t2.value} {p2:.2f}"


_FURNITURE = (BlockKind.FOOTER, BlockKind.COMMENT, BlockKind.METADATA, BlockKind.EMAIL_HEADER)
# Phrases that name the document type only in passing ("Minutes of the last meeting" as an
# agenda item, "Protective marking: OFFICIAL-SENSITIVE") are kept out of the title area.
_NOT_TITLE = re.compile(r"^\s*(?:\d+[.)]\s*)?(?:minutes of (?:the )?(?:last|previous)|official|protective marking|confidential)", re.I)


def _title_area(doc: TextDocument) -> tuple[str, str]:
    """(the first two lines that name the document, the wider opening area)."""
    parts: list[str] = []
    for block in doc.blocks:
        if block.kind in _FURNITURE or _NOT_TITLE.match(block.text):
            continue
        parts.append(block.text[:200])
        if len(parts) >= 5 or sum(len(p) for p in parts) > 500:
            break
    if not parts:
        return doc.text[:150], doc.text[:500]
    return "\n".join(parts[:2]), "\n".join(parts)


def _listed_person(row: str) -> bool:
    """A row that starts with a person's name and holds a date of birth (a date 10+ years ago)."""
    names = names_in(row[:70].replace(" | ", " "))  # "SMITH | John": surname and forename cells
    if not names:
        return False
    return any(h.value.year <= date.today().year - 10 for h in find_dates(row))


# A case-list row that lost its ruling: a reference, then the person ("M25-101 ELLWOOD Trevor 08/07/1981 1 2").
_REF_ROW = re.compile(r"^\s*(?:[A-Z]{0,3}\d{1,4}(?:[-/]\d{1,4})?\s+)[A-Z]")
_CHILD_ROW = re.compile(r"\b(?:son|daughter|step-?son|step-?daughter|grandson|granddaughter|nephew|niece|child)\b", re.I)


def _subject_table_rows(doc: TextDocument) -> int:
    """Rows that look like a listed person: a table row (or list line) with a name and a date."""
    n = 0
    for block in doc.blocks:
        rows = [block.text] if block.kind == BlockKind.TABLE_ROW else [
            ln for ln in block.text.split("\n") if "|" in ln or "\t" in ln or re.match(r"^\s*\d{1,2}[.)]\s", ln)
            or (_REF_ROW.match(ln) and len(ln) < 120 and not _CHILD_ROW.search(ln))]
        n += sum(1 for r in rows if _listed_person(r))
    # a ruled table read as text may put a row's cells on lines of their own: join them to the reference
    lines = [ln for ln in doc.text[:60000].split("\n") if ln.strip()]
    refs = [i for i, ln in enumerate(lines) if _REF_ROW.match(ln) and not _CHILD_ROW.search(ln)]
    grouped = 0
    for k, i in enumerate(refs):
        end = min(refs[k + 1] if k + 1 < len(refs) else len(lines), i + 5)
        grouped += _listed_person(" ".join(lines[i:end]))
    return max(n, grouped)


def classify(doc: TextDocument, hint: str = "") -> TypeResult:
    letters = sum(c.isalpha() for c in doc.text[:20000])
    if letters < 40:
        return TypeResult(DocType.UNREADABLE, 0.9, (f"only {letters} letters of text",), ((DocType.UNREADABLE, 0.9),))
    title, opening = _title_area(doc)
    body = doc.text[:60000]
    folded_body = literals.folded(body)  # most cues are not in a document: proven so without a scan
    scores: dict[DocType, float] = {t: 0.0 for t in (M, A, INV, P, R)}
    scores[DocType.OTHER] = OTHER_BASE
    evidence: list[str] = []
    for cue in CUES:
        m = cue.pattern.search(title)
        in_title = m is not None
        title_w = 1.0
        if m is None and cue.scope == "title":
            m = cue.pattern.search(opening)
            title_w = 0.5
        if m is None and cue.scope == "any":
            rx = cue.pattern if "^" not in cue.pattern.pattern else re.compile(
                cue.pattern.pattern, re.IGNORECASE | re.MULTILINE)
            m = literals.search(rx, body, folded_body)
        if m is None:
            continue
        w = cue.weight * title_w * (1.5 if in_title and cue.scope == "any" else 1.0)
        scores[cue.doc_type] += w
        evidence.append(f"{cue.doc_type.value}: {m.group(0).strip()!r}{' in title' if in_title else ''} (+{w:g})")
    rows = _subject_table_rows(doc)
    if rows >= 3:
        w = min(7.0, 1.0 + rows)
        scores[A] += w
        evidence.append(f"agenda: table of {rows} people with dates (+{w:g})")
    hinted = next((t for key, t in HINTS.items() if key in hint.lower()), None) if hint else None
    if hinted is not None:
        scores[hinted] = scores.get(hinted, 0.0) + HINT_WEIGHT
        evidence.append(f"{hinted.value}: folder hint {hint!r} (+{HINT_WEIGHT:g})")
    top = max(scores.values())
    exps = {t: math.exp((s - top) / TEMPERATURE) for t, s in scores.items()}
    total = sum(exps.values())
    probs = sorted(((t, e / total) for t, e in exps.items()), key=lambda x: -x[1])
    best, conf = probs[0]
    return TypeResult(best, round(min(conf, 0.99), 3), tuple(evidence), tuple((t, round(p, 3)) for t, p in probs))
