"""Finding the records a document is about.

A wrong match sends a child's summary to the wrong social worker, or files minutes against
the wrong man, so the rules are strict: an identifier (PNC, prison number, CRO, CRN, ViSOR)
or a name *and* date of birth. A name alone is never enough; it is reported as uncertain and
the document goes to review.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from extract import facts as fx
from outputs.records import Child, Relationship, Subject

_ID_FIELDS = ("pnc", "prison_number", "cro", "crn", "visor")


@functools.lru_cache(maxsize=65536)
def norm_name(name: str) -> str:
    """'SMITH, John' and 'John Smith' compare equal. Cached: every document compares its names
    with every record's, and the records' names are the same from one document to the next."""
    name = name.strip()
    if "," in name:
        last, _, first = name.partition(",")
        name = f"{first} {last}"
    return " ".join(re.sub(r"[^a-z' -]", " ", name.lower()).replace("'", "").split())


def norm_id(value: str) -> str:
    return re.sub(r"[\s/-]", "", value).upper()


def names_match(a: str, b: str, min_score: float) -> bool:
    return fuzz.token_sort_ratio(norm_name(a), norm_name(b)) >= min_score


@dataclass(frozen=True)
class Match:
    record_id: int | None  # None: not in the records
    uncertain: str = ""  # non-empty: a person must decide
    how: str = ""


def _value(found: fx.Found[Any] | None) -> Any:
    return found.value if found is not None else None


def match_subject(session: Session, s: fx.Subject, min_score: float) -> Match:
    """Match by identifier first, then by name (and date of birth).

    The records are read once per question and only the columns the rules look at (not one
    scan per identifier field, not whole rows): a council's table grows, its rules do not.
    """
    name = s.name.value
    dob = _value(s.dob)
    wanted = [(col, norm_id(str(val))) for col in _ID_FIELDS if (val := _value(getattr(s, col)))]
    by_id: dict[int, str] = {}
    if wanted:
        cols = [getattr(Subject, col) for col, _ in wanted]
        rows = session.execute(select(Subject.id, *cols).where(or_(*(c != "" for c in cols))))
        for rid, *values in rows:
            for (col, target), value in zip(wanted, values, strict=True):
                if value and norm_id(value) == target:
                    by_id.setdefault(rid, col)
                    break
    if len(by_id) > 1:
        return Match(None, f"subject {name}: identifiers match more than one record ({sorted(by_id)})")
    if by_id:
        (rid, col), = by_id.items()
        found = session.get(Subject, rid)
        assert found is not None
        if dob and found.dob and found.dob != dob:
            return Match(None, f"subject {name}: {col} matches record {found.ref} but the date of birth differs")
        return Match(rid, how=col)
    aliases = [a.value for a in s.aliases]
    candidates = [rec for rec in session.execute(select(Subject.id, Subject.ref, Subject.name, Subject.aliases,
                                                         Subject.dob).order_by(Subject.id))
                  if any(names_match(name, n, min_score) for n in [rec.name, *(rec.aliases or [])])
                  or any(names_match(a, rec.name, min_score) for a in aliases)]
    if not candidates:
        return Match(None, how="new")
    if dob:
        same = [c for c in candidates if c.dob == dob]
        if len(same) == 1:
            return Match(same[0].id, how="name+dob")
        if len(same) > 1:
            return Match(None, f"subject {name}: name and date of birth match more than one record")
        unknown_dob = [c for c in candidates if c.dob is None]
        if unknown_dob:
            refs = ", ".join(c.ref for c in unknown_dob)
            return Match(None, f"subject {name}: name matches record(s) {refs} with no date of birth to confirm")
        return Match(None, how="new")  # same name, different person
    refs = ", ".join(c.ref for c in candidates)
    return Match(None, f"subject {name}: matched by name only to {refs}; no date of birth or identifier to confirm")


def match_child(session: Session, c: fx.Child, subject_id: int | None, min_score: float) -> Match:
    """A child is matched by name and date of birth, or by name among children already linked to the subject."""
    name, dob = c.name.value, _value(c.dob)
    named = [rec for rec in session.execute(select(Child.id, Child.name, Child.dob).order_by(Child.id))
             if names_match(name, rec.name, min_score)]
    if dob:
        same = [r for r in named if r.dob == dob]
        if len(same) == 1:
            return Match(same[0].id, how="name+dob")
        if len(same) > 1:
            return Match(None, f"child {name}: name and date of birth match more than one record")
    if subject_id is not None:
        linked_ids = set(session.scalars(select(Relationship.child_id).where(Relationship.subject_id == subject_id)))
        linked = [r for r in named if r.id in linked_ids and (not dob or r.dob in (None, dob))]
        if len(linked) == 1:
            return Match(linked[0].id, how="linked+name")
    if named:
        return Match(None, f"child {name}: not matched with certainty (name matches {len(named)} record(s))")
    return Match(None, f"child {name}: not found in the records")


def given_subject_match(facts: fx.Facts, index: int) -> Match | None:
    """Use a match made upstream (``facts.subject_matches``) when the extraction provides one.

    Upstream matching (``extract.matching``) reports ``matched``, ``new`` or ``ambiguous``.
    Only ``matched`` and ``ambiguous`` are decisions; ``new`` from upstream only means the
    extraction-time snapshot of the records had no candidate, so the store is asked again.
    Ambiguous must never fall through to "new": that would create a second record for a
    person who is already known.
    """
    matches = getattr(facts, "subject_matches", None)
    if not matches or index >= len(matches):
        return None
    m = matches[index]
    if m is None:
        return None
    if isinstance(m, int):
        return Match(m, how="given")
    status = getattr(m, "status", "")
    rid = getattr(m, "subject_id", getattr(m, "record_id", None))
    if status == "ambiguous" or getattr(m, "ambiguous", False):
        cands = ", ".join(f"record {c} ({score:.0f})" for c, score in getattr(m, "candidates", ()) or ())
        name = facts.subjects[index].name.value if index < len(facts.subjects) else "subject"
        return Match(None, f"subject {name}: more than one record could be this person"
                           + (f": {cands}" if cands else ""), how="given")
    if status == "new":
        return None
    uncertain = getattr(m, "uncertain", "")
    return Match(rid if isinstance(rid, int) else None, str(uncertain), how="given")
