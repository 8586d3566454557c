"""The one place the web pages call the outputs stage (audit, review decisions, shredding, DOCX).

Kept small and separate so that a change of name or signature in ``outputs`` is a change
here only. Nothing in this module commits: the route commits the change and its audit
entry together.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import Literal

from sqlalchemy.orm import Session

from extract.facts import Facts
from ingest.vault import Vault
from mappa.settings import Settings, output_config
from outputs import audit, filing, shred
from outputs.config import OutputResult
from outputs.records import Summary
from redact.docx_out import write_summary_docx
from redact.model import ChildSummary
from redact.policy import SummaryPolicy


def record(session: Session, actor: str, action: str, obj: str = "", detail: str | dict[str, object] = "") -> None:
    audit.record(session, actor, action, obj, detail)


def verify(session: Session) -> list[str]:
    return audit.verify(session)


def decide(session: Session, vault: Vault, settings: Settings, document_id: int,
           decision: Literal["approve", "reject", "shred"], by: str, now: datetime, facts: Facts | None,
           note: str = "") -> OutputResult:
    return filing.decide_review(session, vault, document_id, decision, by, config=output_config(settings),
                                now=now, facts=facts, note=note)


def match_child(session: Session, settings: Settings, summary_id: int, child_id: int, by: str,
                now: datetime) -> list[str]:
    return filing.match_summary_child(session, summary_id, child_id, by, config=output_config(settings), now=now)


def stored_summaries(session: Session, vault: Vault, document_id: int) -> list[tuple[object, ChildSummary]]:
    return list(filing.stored_summaries(session, vault, document_id))


def confirm_shred(session: Session, vault: Vault, document_id: int, by: str, now: datetime,
                  reason: str = "") -> tuple[bool, tuple[str, ...]]:
    result = shred.confirm_shred(session, vault, document_id, by, now, reason)
    return result.ok, result.problems


def after_shred(session: Session) -> None:
    """Once the destruction is committed: make the database drop the freed pages."""
    bind = session.get_bind()
    engine = getattr(bind, "engine", bind)
    shred.scrub(engine)  # type: ignore[arg-type]


def summary_docx(settings: Settings, row: Summary) -> bytes | None:
    """The delivered DOCX if it is still there, else the same document written again from the released text.

    Written again by the redaction stage's writer, so it is read back and leak-checked like
    the delivered copy; None if that check fails (the caller refuses the download).
    """
    config = output_config(settings)
    path = Path(row.docx_path).resolve() if row.docx_path else None
    # Only a file inside the service's own output folder is ever served.
    if path is not None and path.is_relative_to(config.output_dir.resolve()) and path.is_file():
        return path.read_bytes()
    summary = ChildSummary(row.child_name, row.text, True, child_index=row.child_index, allowed=tuple(row.allowed or ()))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "summary.docx"
        hits = write_summary_docx(summary, out, SummaryPolicy(config.council_name, config.marking,
                                                              nlp_model=config.nlp_model))
        return None if hits else out.read_bytes()
