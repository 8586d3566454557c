"""The review page's corrections: which fields a person may edit, and what a change does.

Every change is a ``corrections`` row (old, new, who, when) and an audit entry; the corrected
value replaces the extracted one in the document's facts (confidence 1.0: a person said so),
so approving the document acts on what the reviewer saw. Corrections also teach: when the
right value sat after a label in the source ("Nominal: John SMITH") the label is kept as a
``label`` row for the document's source, and ``learned_labels`` hands them to extraction.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from extract.facts import DocType
from mappa.web.highlight import anchor_for
from outputs.records import Correction

LABEL_FIELD = "label"  # Correction.field of a learned label; old_value is the field it introduces
DOC_TYPES = tuple(t.value for t in DocType)

# (key suffix, label, kind); kind decides parsing and the input widget
SUBJECT_FIELDS = (("name", "name", "text"), ("dob", "date of birth", "date"),
                  ("mappa_level", "MAPPA level", "level"), ("mappa_category", "MAPPA category", "category"),
                  ("pnc", "PNC ID", "text"), ("prison_number", "prison number", "text"))
CHILD_FIELDS = (("name", "name", "text"), ("dob", "date of birth", "date"), ("relationship", "relationship", "text"))
DOCUMENT_FIELDS = (("meeting_date", "meeting date", "date"), ("next_review_date", "next review date", "date"),
                   ("release_date", "release date", "date"))
REQUIRED = {"name"}
LEARNABLE_KINDS = {"text"}


@dataclass(frozen=True)
class FieldView:
    key: str  # "subjects.0.name": the form's input name and the correction's field
    label: str
    kind: str  # text / date / level / category / doctype
    value: str
    span: tuple[int, int] | None
    confidence: float | None

    @property
    def anchor(self) -> str:
        return anchor_for(self.key)


def generic(key: str) -> str:
    """'subjects.0.name' -> 'subjects.name', for counting errors by field."""
    return re.sub(r"\.\d+", "", key)


def _display(value: Any) -> str:
    return "" if value is None else str(value)


def _view(key: str, label: str, kind: str, found: dict[str, Any] | None) -> FieldView:
    if not found:
        return FieldView(key, label, kind, "", None, None)
    span = found.get("span")
    return FieldView(key, label, kind, _display(found.get("value")),
                     (int(span["start"]), int(span["end"])) if span else None, found.get("confidence"))


def editable_fields(facts: dict[str, Any]) -> list[FieldView]:
    out = [_view("doc_type", "document type", "doctype", facts.get("doc_type"))]
    for i, s in enumerate(facts.get("subjects") or []):
        out += [_view(f"subjects.{i}.{k}", f"subject {i + 1}: {label}", kind, s.get(k)) for k, label, kind in SUBJECT_FIELDS]
    out += [_view(k, label, kind, facts.get(k)) for k, label, kind in DOCUMENT_FIELDS]
    for i, c in enumerate(facts.get("children") or []):
        out += [_view(f"children.{i}.{k}", f"child {i + 1}: {label}", kind, c.get(k)) for k, label, kind in CHILD_FIELDS]
    return out


def parse(kind: str, raw: str) -> tuple[Any, str]:
    """(JSON value or None for empty, error message or '')."""
    raw = raw.strip()
    if not raw:
        return None, ""
    if kind == "date":
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return datetime.strptime(raw, fmt).date().isoformat(), ""
            except ValueError:
                continue
        return None, f"'{raw}' is not a date (use YYYY-MM-DD or DD/MM/YYYY)"
    if kind in ("level", "category"):
        top = 3 if kind == "level" else 4
        if raw.isdigit() and 1 <= int(raw) <= top:
            return int(raw), ""
        return None, f"'{raw}' is not a MAPPA {kind} (1 to {top})"
    if kind == "doctype":
        return (raw, "") if raw in DOC_TYPES else (None, f"'{raw}' is not a document type")
    return raw[:500], ""


def _container(facts: dict[str, Any], key: str) -> tuple[dict[str, Any], str]:
    parts = key.split(".")
    node: Any = facts
    for part in parts[:-1]:
        node = node[int(part)] if part.isdigit() else node[part]
    return node, parts[-1]


def apply(facts: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    """A copy of the facts with one field set by a person (keeping the original span to show where it was)."""
    out = copy.deepcopy(facts)
    node, name = _container(out, key)
    old = node.get(name)
    if value is None:
        node[name] = None
    else:
        node[name] = {"value": value, "span": old.get("span") if isinstance(old, dict) else None, "confidence": 1.0}
    return out


@dataclass(frozen=True)
class Change:
    key: str
    old: str
    new: str


def changes(facts: dict[str, Any], form: dict[str, str]) -> tuple[dict[str, Any], list[Change], list[str]]:
    """Compare the submitted form with the facts: (new facts, changes, errors). Nothing applied on any error."""
    errors: list[str] = []
    found: list[Change] = []
    new = facts
    for f in editable_fields(facts):
        if f.key not in form:
            continue
        value, error = parse(f.kind, form[f.key])
        if error:
            errors.append(f"{f.label}: {error}")
            continue
        if value is None and f.key.rsplit(".", 1)[-1] in REQUIRED | {"doc_type"}:
            errors.append(f"{f.label}: cannot be empty")
            continue
        if _display(value) != f.value:
            new = apply(new, f.key, value)
            found.append(Change(f.key, f.value, _display(value)))
    return (facts, [], errors) if errors else (new, found, [])


# A label is the whole of its cell or clause: 'Nominal:', 'Name of subject:' (at most four words).
_LABEL = re.compile(r"^\s*([A-Za-z][A-Za-z '()/&-]{0,40}?)\s*:\s*$")


def label_before(text: str, value: str) -> str:
    """The label ending right before ``value`` on its line ('Nominal:'), or '' when there is none."""
    if not value.strip():
        return ""
    for m in re.finditer(re.escape(value.strip()), text, re.IGNORECASE):
        line_start = text.rfind("\n", 0, m.start()) + 1
        prefix = re.split(r"[\t|;]|[.!?]\s", text[line_start:m.start()])[-1]
        lab = _LABEL.search(prefix)
        if lab and len(lab.group(1).split()) <= 4:
            return lab.group(1).strip() + ":"
    return ""


def record_changes(session: Session, document_id: int, doc_source: str, text: str, found: list[Change], by: str,
                   now: datetime) -> list[Correction]:
    """Store each change, and any label that introduced a corrected text value."""
    kinds = {f"{p}.{k}": kind for p, fields in (("subjects", SUBJECT_FIELDS), ("children", CHILD_FIELDS))
             for k, _, kind in fields}
    rows: list[Correction] = []
    for c in found:
        rows.append(Correction(document_id=document_id, field=c.key, old_value=c.old, new_value=c.new, by=by, at=now,
                               source="review"))
        if kinds.get(generic(c.key)) not in LEARNABLE_KINDS or not c.new:
            continue
        label = label_before(text, c.new)
        target = generic(c.key)
        if label and label.lower() not in {x.lower() for x in learned_labels(session).get(doc_source, {}).get(target, ())}:
            rows.append(Correction(document_id=document_id, field=LABEL_FIELD, old_value=target, new_value=label, by=by,
                                   at=now, source=doc_source[:30]))
    session.add_all(rows)
    session.flush()
    return rows


def learned_labels(session: Session) -> dict[str, dict[str, tuple[str, ...]]]:
    """source -> field -> labels people showed introduce that field ('inbox' -> 'subjects.name' -> ('Nominal:',))."""
    out: dict[str, dict[str, list[str]]] = {}
    for row in session.scalars(select(Correction).where(Correction.field == LABEL_FIELD).order_by(Correction.id)):
        labels = out.setdefault(row.source, {}).setdefault(row.old_value, [])
        if row.new_value not in labels:
            labels.append(row.new_value)
    return {src: {f: tuple(v) for f, v in fields.items()} for src, fields in out.items()}


def current_matches(facts: dict[str, Any], kind: str, count: int) -> list[int | None]:
    """The record each subject (kind 'subject') or child ('child') is matched to in the facts, or None."""
    rows = facts.get(f"{kind}_matches") or []
    out: list[int | None] = []
    for i in range(count):
        m = rows[i] if i < len(rows) else None
        out.append(m.get("record_id") if isinstance(m, dict) and m.get("status") == "matched" else None)
    return out


def set_match(facts: dict[str, Any], kind: str, index: int, record_id: int | None, count: int) -> dict[str, Any]:
    """A copy of the facts with a person's match (``extract.matching.Match`` as JSON; None: a new record)."""
    out = copy.deepcopy(facts)
    rows = list(out.get(f"{kind}_matches") or [])
    while len(rows) < count:
        rows.append({"status": "new", "record_id": None, "score": 0.0, "candidates": []})
    rows[index] = ({"status": "matched", "record_id": record_id, "score": 100.0, "candidates": []}
                   if record_id is not None else {"status": "new", "record_id": None, "score": 0.0, "candidates": []})
    out[f"{kind}_matches"] = rows
    return out


def reapply(session: Session, document_id: int, facts: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """Facts from a fresh extraction with every correction a person made to this document put back.

    A re-run must not silently undo the QA manager's work: the new extraction may find more,
    but a value a person set wins. Returns the facts and how many corrections were applied; a
    correction whose field no longer exists (the re-run found fewer subjects) is skipped.
    """
    rows = session.scalars(select(Correction).where(Correction.document_id == document_id,
                                                    Correction.field != LABEL_FIELD).order_by(Correction.id))
    applied = 0
    for row in rows:
        kind, _, index = row.field.partition("_match.")
        if kind == "subject" and index.isdigit():
            count = len(facts.get("subjects") or [])
            if int(index) < count:
                record = int(row.new_value) if row.new_value.isdigit() else None
                facts = set_match(facts, "subject", int(index), record, count)
                applied += 1
            continue
        field = next((f for f in editable_fields(facts) if f.key == row.field), None)
        if field is None:
            continue
        value, error = parse(field.kind, row.new_value)
        if error or (value is None and row.field.rsplit(".", 1)[-1] in REQUIRED | {"doc_type"}):
            continue
        facts = apply(facts, row.field, value)
        applied += 1
    return facts, applied
