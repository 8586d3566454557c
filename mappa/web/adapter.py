"""The one place the web pages call the outputs stage (audit, review decisions, shredding, DOCX).

Kept small and separate so that a change of name or signature in ``outputs`` is a change
here only. Nothing in this module commits: the route commits the change and its audit
entry together.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Literal

from sqlalchemy.orm import Session

from extract.facts import Facts
from ingest.vault import Vault
from mappa.settings import Settings, output_config
from outputs import audit, docs, filing, shred
from outputs.config import OutputResult
from redact.model import ChildSummary


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


def summary_docx(settings: Settings, child_name: str, text: str, child_ref: str, docx_path: str) -> bytes:
    """The delivered DOCX if it is still there, else the same document made again from the released text."""
    config = output_config(settings)
    path = Path(docx_path).resolve() if docx_path else None
    # Only a file inside the service's own output folder is ever served.
    if path is not None and path.is_relative_to(config.output_dir.resolve()) and path.is_file():
        return path.read_bytes()
    return docs.summary_docx(ChildSummary(child_name, text, True), child_ref, config)
