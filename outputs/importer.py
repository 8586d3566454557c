"""Loading children's-services records (children, subjects, their links) from a CSV export.

CSV layout (``mappa records import FILE.csv``); the header row is required, in any column order::

    kind,ref,name,aliases,dob,case_status,social_worker,social_worker_email,team,district,spoc_email,pnc,prison_number,subject_ref,child_ref,relationship

- ``kind``: ``child``, ``subject`` or ``relationship``.
- ``child`` rows: ``ref`` (the child's file reference, required), ``name`` (required), ``dob``,
  ``case_status`` (``open`` / ``closed`` / ``unknown``; empty means ``unknown``),
  ``social_worker`` (username), ``social_worker_email``, ``team``, ``district``, ``spoc_email``.
- ``subject`` rows: ``ref`` (required), ``name`` (required), ``aliases`` (``;``-separated),
  ``dob``, ``pnc``, ``prison_number``.
- ``relationship`` rows: ``subject_ref`` and ``child_ref`` (both required; each must be in the
  file or already in the records), ``relationship`` (e.g. ``father``, ``mother's partner``).
- ``dob``: ``YYYY-MM-DD`` or ``DD/MM/YYYY``.
- Rows are upserted by ``ref`` (relationships by the subject and child pair). An empty cell
  leaves a stored value unchanged, so a partial export never wipes what is known.
- Every row is checked before anything is written; one bad row and nothing is imported.
  Errors name the spreadsheet row (the header is row 1): ``row 7: dob '31/02/2010' is not a date``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from outputs import audit
from outputs.records import CASE_STATUSES, Child, Relationship, Subject

COLUMNS = ("kind", "ref", "name", "aliases", "dob", "case_status", "social_worker", "social_worker_email",
           "team", "district", "spoc_email", "pnc", "prison_number", "subject_ref", "child_ref", "relationship")
KINDS = ("child", "subject", "relationship")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class ImportResult:
    ok: bool
    errors: tuple[str, ...] = ()
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)


def parse_date(value: str) -> date | None:
    """``YYYY-MM-DD`` or ``DD/MM/YYYY``; None when it is neither or not a real date."""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _check_row(n: int, row: dict[str, str], seen: dict[tuple[str, str], int]) -> list[str]:
    errs: list[str] = []
    kind = row["kind"]
    if kind not in KINDS:
        return [f"row {n}: kind '{kind}' is not one of {', '.join(KINDS)}"]
    if row["dob"] and parse_date(row["dob"]) is None:
        errs.append(f"row {n}: dob '{row['dob']}' is not a date (use YYYY-MM-DD or DD/MM/YYYY)")
    if kind in ("child", "subject"):
        if not row["ref"]:
            errs.append(f"row {n}: {kind} has no ref")
        if not row["name"]:
            errs.append(f"row {n}: {kind} has no name")
        key = (kind, row["ref"])
        if row["ref"] and key in seen:
            errs.append(f"row {n}: {kind} ref '{row['ref']}' already given in row {seen[key]}")
        seen.setdefault(key, n)
    if kind == "child":
        if row["case_status"] and row["case_status"].lower() not in CASE_STATUSES:
            errs.append(f"row {n}: case_status '{row['case_status']}' is not one of {', '.join(CASE_STATUSES)}")
        for col in ("social_worker_email", "spoc_email"):
            if row[col] and not _EMAIL.fullmatch(row[col]):
                errs.append(f"row {n}: {col} '{row[col]}' is not an e-mail address")
    if kind == "relationship":
        for col in ("subject_ref", "child_ref"):
            if not row[col]:
                errs.append(f"row {n}: relationship has no {col}")
    return errs


def import_records(session: Session, source: Path | str, actor: str = "records-import") -> ImportResult:
    """Validate the whole file, then upsert it in the caller's transaction (the caller commits).

    Returns ``ok=False`` with one message per problem and writes nothing when any row is bad.
    """
    raw = Path(source).read_text(encoding="utf-8-sig") if isinstance(source, Path) else source
    reader = csv.DictReader(io.StringIO(raw))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return ImportResult(ok=False, errors=(f"row 1: header lacks column(s) {', '.join(missing)}",))
    rows: list[tuple[int, dict[str, str]]] = []
    errors: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for n, raw_row in enumerate(reader, start=2):
        if None in raw_row:
            errors.append(f"row {n}: more cells than header columns")
        row = {c: (raw_row.get(c) or "").strip() for c in COLUMNS}
        row["kind"] = row["kind"].lower()
        if not any(row.values()):
            continue
        errors.extend(_check_row(n, row, seen))
        rows.append((n, row))
    # References: a relationship's subject and child must exist in the file or the store.
    file_refs = {key for key in seen}
    for n, row in rows:
        if row["kind"] != "relationship":
            continue
        if row["subject_ref"] and ("subject", row["subject_ref"]) not in file_refs and session.scalar(
                select(Subject.id).where(Subject.ref == row["subject_ref"])) is None:
            errors.append(f"row {n}: subject_ref '{row['subject_ref']}' is not in the file or the records")
        if row["child_ref"] and ("child", row["child_ref"]) not in file_refs and session.scalar(
                select(Child.id).where(Child.file_ref == row["child_ref"])) is None:
            errors.append(f"row {n}: child_ref '{row['child_ref']}' is not in the file or the records")
    if errors:
        return ImportResult(ok=False, errors=tuple(errors))

    created = {k: 0 for k in KINDS}
    updated = {k: 0 for k in KINDS}
    # Children and subjects first, so relationships find rows from the same file.
    for n, row in sorted(rows, key=lambda r: KINDS.index(r[1]["kind"])):
        del n
        kind = row["kind"]
        dob = parse_date(row["dob"]) if row["dob"] else None
        if kind == "child":
            child = session.scalars(select(Child).where(Child.file_ref == row["ref"])).first()
            is_new = child is None
            if child is None:
                child = Child(file_ref=row["ref"], name=row["name"], case_status="unknown")
                session.add(child)
            child.name = row["name"]
            if dob:
                child.dob = dob
            if row["case_status"]:
                child.case_status = row["case_status"].lower()
            for col in ("social_worker", "social_worker_email", "team", "district", "spoc_email"):
                if row[col]:
                    setattr(child, col, row[col])
        elif kind == "subject":
            subject = session.scalars(select(Subject).where(Subject.ref == row["ref"])).first()
            is_new = subject is None
            if subject is None:
                subject = Subject(ref=row["ref"], name=row["name"], aliases=[])
                session.add(subject)
            subject.name = row["name"]
            if row["aliases"]:
                subject.aliases = [a.strip() for a in row["aliases"].split(";") if a.strip()]
            if dob:
                subject.dob = dob
            if row["pnc"]:
                subject.pnc = row["pnc"]
            if row["prison_number"]:
                subject.prison_number = row["prison_number"]
        else:
            session.flush()
            subject_id = session.scalar(select(Subject.id).where(Subject.ref == row["subject_ref"]))
            child_id = session.scalar(select(Child.id).where(Child.file_ref == row["child_ref"]))
            assert subject_id is not None and child_id is not None  # checked above
            link = session.scalars(select(Relationship).where(
                Relationship.child_id == child_id, Relationship.subject_id == subject_id)).first()
            is_new = link is None
            if link is None:
                link = Relationship(child_id=child_id, subject_id=subject_id, relationship="")
                session.add(link)
            if row["relationship"]:
                link.relationship = row["relationship"]
        (created if is_new else updated)[kind] += 1
    session.flush()
    audit.record(session, actor, "records.import", "", {"created": created, "updated": updated})
    return ImportResult(ok=True, created=created, updated=updated)
