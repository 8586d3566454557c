"""The audit log: append-only and hash-chained, so an edited or deleted entry shows.

Each entry's hash is sha256 over the canonical JSON of its fields plus the previous entry's
hash, and entries carry a gap-free ``seq``. Editing an entry breaks its own hash; deleting
one breaks the next entry's ``prev_hash`` and leaves a gap in ``seq``. (Deleting the newest
entries is only visible against an outside copy of the head hash: ``head()`` gives it, for
the lead to print in daily logs or backups.)

Writers are serialised so two never chain onto the same predecessor: on PostgreSQL a
transaction-scoped advisory lock (it also covers the empty table, which ``SELECT ... FOR
UPDATE`` cannot lock); SQLite allows one writer at a time anyway, and the UNIQUE ``seq`` is the
backstop on both.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from outputs.records import AuditEntry
from outputs.schema import utcnow

GENESIS = "0" * 64
_PG_LOCK_KEY = 0x4D41505041  # "MAPPA"


def _canonical(seq: int, at: datetime, actor: str, action: str, obj: str, detail: str, prev_hash: str) -> bytes:
    fields = {"seq": seq, "at": at.isoformat(timespec="microseconds"), "actor": actor, "action": action,
              "object": obj, "detail": detail, "prev_hash": prev_hash}
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(_canonical(entry.seq, entry.at, entry.actor, entry.action, entry.object,
                                     entry.detail, entry.prev_hash)).hexdigest()


def _lock(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})


def record(session: Session, actor: str, action: str, obj: str = "", detail: str | dict[str, object] = "",
           at: datetime | None = None, once: bool = False) -> AuditEntry:
    """Append one entry (in the caller's transaction: it commits with the change it describes).

    ``once``: a re-run of the same step (same actor, action, object and time) finds its entry
    instead of adding a second one.
    """
    _lock(session)
    session.flush()
    if once and at is not None:
        same = session.scalars(select(AuditEntry).where(AuditEntry.actor == actor, AuditEntry.action == action,
                                                        AuditEntry.object == obj, AuditEntry.at == at)).first()
        if same is not None:
            return same
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).first()
    seq = (last.seq + 1) if last else 1
    prev = last.hash if last else GENESIS
    when = at or utcnow()
    body = detail if isinstance(detail, str) else json.dumps(detail, sort_keys=True, default=str)
    entry = AuditEntry(seq=seq, at=when, actor=actor, action=action, object=obj, detail=body, prev_hash=prev, hash="")
    entry.hash = entry_hash(entry)
    session.add(entry)
    session.flush()
    return entry


def verify(session: Session) -> list[str]:
    """Every problem found in the chain, oldest first; an empty list means intact."""
    problems: list[str] = []
    prev_hash, expected_seq = GENESIS, 1
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.seq)):
        if entry.seq != expected_seq:
            problems.append(f"entries {expected_seq}..{entry.seq - 1} are missing (deleted)")
        if entry.prev_hash != prev_hash:
            problems.append(f"entry {entry.seq}: does not follow the entry before it (an entry was deleted or edited)")
        if entry_hash(entry) != entry.hash:
            problems.append(f"entry {entry.seq} ({entry.action} {entry.object}): content does not match its hash (edited)")
        prev_hash, expected_seq = entry.hash, entry.seq + 1
    return problems


def head(session: Session) -> tuple[int, str]:
    """The newest entry's seq and hash, to keep outside the database."""
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).first()
    return (last.seq, last.hash) if last else (0, GENESIS)
