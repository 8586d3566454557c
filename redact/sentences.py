"""From a document's sentences (``redact.units``) to the risk and contact statements a child's
summary may keep.

Each sentence carries the action of its section (``redact.policy``): nothing is taken
from a DROP section, clear risk statements from FILTER sections, any risk statement from KEEP
sections. Each candidate sentence is then checked against every detector (``redact.detect``):

* no finding: the sentence is kept, cut at the first clause that gives a reason or evidence
  ("..., as shown by ..."), because such clauses are where offending detail hides;
* findings outside the risk clause: only the risk clause is kept (POLICY.md: keep the risk,
  drop the rest) and the rest goes to the redaction log;
* a finding inside the risk clause, or no clear risk clause: the sentence is dropped.

Contact statements are never cut: they are kept whole or dropped.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from redact.clause_words import (
    NEGATIONS,
    RESTART,
    SUBSTANCE,
    TAIL_STOP,
    TARGET,
    TRAILING,
    is_clause_word,
    only_clause_words,
    words_of,
)
from redact.detect import Finding
from redact.model import Reason, Removal
from redact.policy import SectionAction
from redact.units import SentenceSpan

RISK_STRONG: tuple[re.Pattern[str], ...] = tuple(re.compile(p, re.I) for p in (
    r"\brisks?\s+of\s+(?:[\w-]+\s+){0,4}?(?:harm|violence|abuse|exploitation|grooming|fire-setting|arson|"
    r"re-?offending|offending|danger|neglect|radicalisation|injury|aggression|intimidation)\b",
    r"\b(?:poses?|posing|presents?|presenting|posed)\b(?:\s+[\w-]+){0,6}?\s+risks?\b",
    r"\b(?:low|medium|high|very\s+high|significant|serious|imminent|increased|elevated|considerable)\s+risk\b",
    r"\bRoSH\b",
    r"\brisks?\s+(?:is\s+)?(?:posed\s+)?to\s+(?:\w+\s+){0,3}(?:children|child|girls|boys|partners|adults|public|"
    r"females|males|siblings|peers|women|men|staff|family)\b",
    r"\bat\s+risk\s+of\s+(?:\w+\s+){0,3}harm\b",
))
RISK_WEAK = re.compile(r"\b(?:risks?|harm|harmful|danger|dangerous|unsafe)\b", re.I)
CONTACT = re.compile(r"\bcontact\b", re.I)
CONTACT_WHO = r"\b(?:child|children|son|daughter|stepson|stepdaughter|grandson|granddaughter|niece|nephew|sister|brother|siblings?)\b"

# Clause boundaries, and the boundaries that always end a kept clause because what follows
# them is a reason or evidence ("as shown by his conviction...").
# "assessed as high", "graded as a very high risk": "as" giving the level, not a reason
_AS_LEVEL = r"as(?!\s+(?:(?:a|an)\s+)?(?:very\s+)?(?:low|medium|high|significant|serious|moderate|imminent|elevated)\b)"
_DELIM = re.compile(
    r"\s*[,;:]\s+|\s+[-–—]\s+|\s*\(\s*|\s*\)\s*|\s+(?=(?:" + _AS_LEVEL + r"|because|due\s+to|given|following|after|since|which|who|"
    r"whom|whose|when|whilst|while|where|and|but|or|including|evidenced|having|contrary|although|though|despite|with|"
    r"until|unless|if|from|at|during|in\s+light|in\s+view|on\s+the\s+basis|via|through|by)\b)",
    re.I,
)
_STOP = re.compile(
    r"^(?:as|because|due\s+to|given|following|after|since|which|whose|whom|when|whilst|while|where|including|"
    r"evidenced|having|contrary|although|though|despite|until|unless|if|during|in\s+light|in\s+view|"
    r"on\s+the\s+basis|via|by|from|at)\b",
    re.I,
)
_LEAD = re.compile(r"^(?:(?:and|but|or|so|that|however|therefore|overall|currently|also)\b[\s,]*)+", re.I)


def needs_findings(text: str, span: SentenceSpan) -> bool:
    """Whether what the detectors find in this sentence can change a summary: any sentence
    outside a DROP section, and a DROP section's sentence that opens with a risk clause (the
    one thing ``select`` may take from it). Nothing else is searched (``redact.scope``)."""
    return span.action != SectionAction.DROP or _OPENS_WITH_RISK.match(text[span.start : span.end]) is not None


@dataclass(frozen=True)
class Kept:
    text: str
    kind: str  # "risk" or "contact"
    start: int
    end: int


def risk_cue(text: str, strong_only: bool) -> tuple[int, int] | None:
    """The first risk cue in ``text`` (the one that starts earliest: "poses a high risk of harm",
    not the "risk of harm" inside it)."""
    found = [m.span() for pat in RISK_STRONG for m in [pat.search(text)] if m]
    if found:
        return min(found, key=lambda sp: (sp[0], -sp[1]))
    if not strong_only:
        m = RISK_WEAK.search(text)
        if m:
            return m.span()
    return None


def is_contact(text: str, child_words: Sequence[str]) -> bool:
    if not CONTACT.search(text):
        return False
    low = text.lower()
    return bool(re.search(CONTACT_WHO, low)) or any(
        re.search(r"\b" + re.escape(w.lower()) + r"\b", low) for w in child_words if len(w) > 1)


def _segments(sentence: str) -> list[tuple[int, int, str]]:
    """Clause segments of a sentence: (start, end, the boundary text before it)."""
    segs: list[tuple[int, int, str]] = []
    pos, before = 0, ""
    for m in _DELIM.finditer(sentence):
        if m.start() > pos:
            segs.append((pos, m.start(), before))
        pos, before = m.end(), m.group(0)
        if m.end() == m.start():
            continue
    if pos < len(sentence):
        segs.append((pos, len(sentence), before))
    return segs


def _tidy(clause: str) -> str:
    clause = clause.strip(" ,;:-–—(")
    clause = _LEAD.sub("", clause).strip(" ,;:-–—(")
    clause = re.sub(r"\s+", " ", clause)
    if clause and clause[0].islower():
        clause = clause[0].upper() + clause[1:]
    if clause and clause[-1] not in ".!?":
        clause += "."
    return clause


def risk_clause(sentence: str, findings: Sequence[Finding], base: int, strong_only: bool,
                names: frozenset[str] = frozenset()) -> tuple[int, int] | None:
    """The part of ``sentence`` that states the risk and holds no finding, as offsets into the
    sentence; None when the risk itself carries forbidden detail.

    The clause is the risk cue's own clause, joined by neighbouring clauses only when they are
    made of risk vocabulary (``redact.clause_words``), cut at the first other word after the
    risk, and begun at its subject when words before it are not risk vocabulary. ``names`` are
    the lower-case name words the summary may carry (the subject's, the child's)."""
    cue = risk_cue(sentence, strong_only)
    if cue is None:
        return None
    segs = _segments(sentence)
    rel = [(f.start - base, f.end - base) for f in findings]

    def dirty(a: int, b: int) -> bool:
        return any(s < b and a < e for s, e in rel)

    core = [i for i, (a, b, _) in enumerate(segs) if a < cue[1] and cue[0] < b]
    if not core:
        return None
    lo, hi = core[0], core[-1]
    if any(_STOP.match(sentence[segs[i][0]:segs[i][1]]) and i != lo for i in range(lo, hi + 1)):
        return None
    while hi + 1 < len(segs):
        a, b, before = segs[hi + 1]
        seg_text = sentence[a:b]
        if dirty(a, b) or _STOP.match(seg_text) or before.strip() in ("(", ")", "-", "–", "—", ";", ":") or \
                not only_clause_words(seg_text, names):
            break
        hi += 1
    while lo - 1 >= 0:
        a, b, _ = segs[lo - 1]
        seg_text = sentence[a:b]
        before_core = segs[lo][2]
        if dirty(a, b) or _STOP.match(seg_text) or before_core.strip() in ("(", ")", ";", ":") or \
                not only_clause_words(seg_text, names):
            break
        lo -= 1
    trimmed = _trim(sentence, segs[lo][0], segs[hi][1], cue, names)
    if trimmed is None or NEGATIONS.search(sentence[:trimmed[0]]):
        return None  # a dropped opening that says "no" / "not" may turn the statement round
    # forbidden detail inside the kept words: nothing kept. Forbidden detail in the risk's own
    # clause after the cut: kept only if the clause still says who is at risk ("a risk of sexual
    # harm [to Karen WALSH]" cannot be told without it); a dropped opening may hold some
    if dirty(*trimmed) or (dirty(trimmed[1], segs[core[-1]][1]) and not TARGET.search(sentence[trimmed[0]:trimmed[1]])):
        return None
    return trimmed


def _trim(sentence: str, start: int, end: int, cue: tuple[int, int], names: frozenset[str]) -> tuple[int, int] | None:
    """Cut a risk clause down to risk vocabulary: after the cue, up to the first other word (and
    the connecting words before it); before the cue, from the clause's start when every word is
    risk vocabulary, else from the last "he"/"she"/"there" before the cue (or the cue itself),
    unless what would be dropped holds a negation (then nothing is kept: the meaning may turn)."""
    head = [(w, start + a, start + b) for w, a, b in words_of(sentence[start:cue[0]])]
    if not all(is_clause_word(w, names) for w, _, _ in head):
        bad = max(i for i, (w, _, _) in enumerate(head) if not is_clause_word(w, names))
        restart = next((i for i in range(len(head) - 1, bad, -1) if head[i][0] in RESTART), None)
        new_start = head[restart][1] if restart is not None else cue[0]
        if NEGATIONS.search(sentence[start:new_start]):
            return None
        start = new_start
    tail = [(w, cue[1] + a, cue[1] + b) for w, a, b in words_of(sentence[cue[1]:end])]
    for i, (w, a, _) in enumerate(tail):
        after = tail[i + 1][0] if i + 1 < len(tail) else ""
        # "for 10 years" is a term; "under 5 years old", "12 years of age" an age
        term = w in ("year", "years", "month", "months") and after not in ("old", "of")
        if not is_clause_word(w, names) or w in TAIL_STOP or term:
            end = a
            break
    kept = [(w, a, b) for w, a, b in words_of(sentence[start:end])]
    while kept and kept[-1][0] in TRAILING and kept[-1][1] >= cue[1] - start:
        kept.pop()
    if not kept:
        return None
    end = start + kept[-1][2]
    if end <= start or not SUBSTANCE.search(sentence[start:end]):
        return None
    return start, end


def select(
    text: str,
    sent_spans: Sequence[SentenceSpan],
    findings: Sequence[Finding],
    child_words: Sequence[str],
    name_words: Sequence[str] = (),
) -> tuple[list[Kept], list[Removal]]:
    """Keep risk clauses and clean contact statements; log what was removed and why.
    ``name_words``: the words of the names the summary may carry (subject, child)."""
    names = frozenset(w.lower().replace("’", "'") for w in name_words)
    kept: list[Kept] = []
    removals: list[Removal] = []
    seen: set[str] = set()
    overlapping = _Overlaps(findings)
    for s, e, action, dropped_as in sent_spans:
        sentence = text[s:e]
        if action == SectionAction.DROP:
            # Nothing from a DROP section, except a plain risk clause that opens a sentence
            # ("He presents a risk of grooming children online, having been convicted of...").
            # Only such sentences are searched (``needs_findings``); any other is logged under
            # its section's code.
            opens = _OPENS_WITH_RISK.match(sentence) is not None
            inside = overlapping(s, e) if opens else []
            span = risk_clause(sentence, inside, s, True, names) if opens else None
            if span is None or span[0] != 0:
                code = inside[0].code if inside else dropped_as
                removals.append(Removal(code, "policy: section dropped", sentence, sentence))
                continue
            removals.append(Removal(_code_for_rest(sentence[span[1]:]), "policy: section dropped, risk clause kept",
                                    sentence[span[1]:].strip(" ,.;"), sentence))
            _add(kept, seen, Kept(_tidy(sentence[: span[1]]), "risk", s, s + span[1]))
            continue
        inside = overlapping(s, e)
        strong_only = action != SectionAction.KEEP
        contact = is_contact(sentence, child_words)
        cue = risk_cue(sentence, strong_only)
        if cue is None and not contact:
            # not a risk or contact statement: not used; logged when it held forbidden detail
            removals.extend(Removal(f.code, f.rule, f.text, sentence) for f in inside)
            continue
        if cue is None and contact:
            # kept up to the first reason or evidence clause ("..., as his licence forbids it")
            cut = _contact_end(sentence)
            head = [f for f in inside if f.start - s < cut]
            if head or not is_contact(sentence[:cut], child_words):
                removals.extend(Removal(f.code, f.rule, f.text, sentence) for f in inside)
                continue
            rest = sentence[cut:].strip(" ,.;")
            if rest:
                removals.extend(Removal(f.code, f.rule, f.text, sentence) for f in inside)
                if not inside:
                    removals.append(Removal(_code_for_rest(rest), "policy: reason or evidence clause", rest, sentence))
            _add(kept, seen, Kept(_tidy(sentence[:cut]), "contact", s, s + cut))
            continue
        span = risk_clause(sentence, inside, s, strong_only, names)
        if span is None:
            removals.extend(Removal(f.code, f.rule, f.text, sentence) for f in inside)
            if not inside:
                removals.append(Removal(Reason.OFFENCE, "policy: no safe risk clause", sentence, sentence))
            continue
        a, b = span
        clause = _tidy(_with_subject(sentence, sentence[a:b]))
        if len(clause.split()) < 3:
            removals.extend(Removal(f.code, f.rule, f.text, sentence) for f in inside)
            continue
        for f in inside:
            removals.append(Removal(f.code, f.rule, f.text, sentence))
        rest = (sentence[:a] + " " + sentence[b:]).strip(" ,.;")
        if rest and not inside:
            removals.append(Removal(_code_for_rest(rest), "policy: reason or evidence clause", rest, sentence))
        _add(kept, seen, Kept(clause, "risk", s + a, s + b))
    return kept, removals


class _Overlaps:
    """The findings overlapping [s, e), in their given order, found by bisection: a long
    document has thousands of sentences and thousands of findings."""

    def __init__(self, findings: Sequence[Finding]):
        self.findings = findings
        self.order = sorted(range(len(findings)), key=lambda k: findings[k].start)
        self.starts = [findings[k].start for k in self.order]
        self.longest = max((f.end - f.start for f in findings), default=0)

    def __call__(self, s: int, e: int) -> list[Finding]:
        lo = bisect.bisect_left(self.starts, s - self.longest + 1)  # a finding ending after s starts after this
        hi = bisect.bisect_left(self.starts, e)
        ks = sorted(k for k in self.order[lo:hi] if self.findings[k].end > s)
        return [self.findings[k] for k in ks]


_OPENS_WITH_RISK = re.compile(
    r"^(?:he|she|they|mr\.?\s+\w+|ms\.?\s+\w+|mrs\.?\s+\w+|miss\s+\w+|\w+\s+[A-Z]{2,}[\w-]*|[A-Z][\w'’-]+)\s+"
    r"(?:is\s+assessed\s+as\s+)?"
    r"(?:poses|presents|posing|presenting)\s+(?:a|an)\s+(?:[\w-]+\s+){0,3}?risks?\b", re.I)


_SUBJECT = re.compile(r"^\s*(he|she|they|(?:mr|mrs|ms|miss)\.?\s+[A-Z][\w'’-]+)\b", re.I)


def _contact_end(sentence: str) -> int:
    """Where a contact statement's own words end: before its first reason or evidence clause."""
    segs = _segments(sentence)
    for i in range(1, len(segs)):
        a, b, _ = segs[i]
        if _STOP.match(sentence[a:b]):
            return segs[i - 1][1]
    return len(sentence)


def _with_subject(sentence: str, clause: str) -> str:
    """ "He has been identified as a person who presents a risk..." keeps "who presents a risk...":
    put the sentence's own subject back ("He presents a risk...")."""
    m = re.match(r"^\s*(?:who|that)\s+", clause, re.I)
    subj = _SUBJECT.match(sentence)
    if m and subj:
        return subj.group(1) + " " + clause[m.end():]
    return clause


def _code_for_rest(rest: str) -> Reason:
    """A clause cut for being a reason or evidence, with no detector hit, is logged as OFFENCE
    (what such clauses usually carry); the log is for people, the code for sorting."""
    return Reason.INTELLIGENCE if re.search(r"\b(?:believed|suggest|indicat|report)", rest, re.I) else Reason.OFFENCE


def _add(kept: list[Kept], seen: set[str], item: Kept) -> None:
    key = re.sub(r"\W+", " ", item.text.lower()).strip()
    if key in seen:
        return
    for other in kept:
        okey = re.sub(r"\W+", " ", other.text.lower()).strip()
        if key in okey:
            return
    seen.add(key)
    kept.append(item)
