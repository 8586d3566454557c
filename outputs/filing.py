"""Where each document ends (POLICY.md section 1) and the summaries' way to the social worker.

``apply_outputs`` is the one call the driver makes after extraction and redaction. Anything
uncertain stops at the gate: the document goes to review with its reasons, its summaries
and redaction logs are recorded (so the QA manager can see them) but nothing is flagged,
written or sent until a person decides (``decide_review``). Past the gate the duties of
section 4 run, and the document is filed against the subject's restricted record, placed
on a child subject's own file, or queued for shredding.

Nothing here commits: the driver commits the outputs together with the document's state,
and may re-run this after a crash; every write is keyed so a re-run changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import fields
from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from extract import facts as fx
from ingest.vault import Vault
from outputs import audit, docs, duties, notices
from outputs.config import OutputConfig, OutputResult, State
from outputs.delivery import Outgoing, deliver
from outputs.matching import Match, given_subject_match, match_child, match_subject
from outputs.records import Child, RedactionLog, Subject, Summary
from outputs.schema import Document, DocumentEvent
from redact.docx_out import write_summary_docx
from redact.model import ChildSummary
from redact.policy import SummaryPolicy

HANDLED = (fx.DocType.MINUTES, fx.DocType.AGENDA, fx.DocType.INVITATION, fx.DocType.PRISON_NOTIFICATION)
_PLACEMENT_STATE: dict[str, State] = {"subject_record": "filed", "own_file": "filed", "shred": "shred_queued"}


def qa_sampled(document_sha: str, child_index: int, rate: float) -> bool:
    """Deterministic by hash, so a re-run samples the same summaries."""
    h = int(hashlib.sha256(f"{document_sha}:{child_index}".encode()).hexdigest()[:8], 16)
    return h / 0x100000000 < rate


def _record_summaries(session: Session, vault: Vault, document: Document, summaries: tuple[ChildSummary, ...],
                      child_matches: list[Match], subject_id: int | None) -> list[tuple[Summary, ChildSummary]]:
    out = []
    for s in summaries:
        row = session.scalars(select(Summary).where(Summary.document_id == document.id,
                                                    Summary.child_index == s.child_index)).first()
        if row is None:
            row = Summary(document_id=document.id, child_index=s.child_index, status="held")
            session.add(row)
        row.child_name, row.released, row.subject_id = s.child_name, s.released, subject_id
        if not row.decided_by and s.child_index < len(child_matches):
            row.child_id = child_matches[s.child_index].record_id
        row.reasons = [f"{h.code}: {h.text}" for h in s.hits] + list(s.doubts)
        row.allowed = list(s.allowed)
        if s.released:
            row.text, row.text_blob = s.text, ""
        else:  # may hold what the leak check caught: encrypted, never in the table
            row.text_blob = f"summary-{document.sha256}-{s.child_index}"
            vault.put(row.text_blob, s.text.encode())
            row.text = ""
        if s.removals:
            blob = f"redlog-{document.sha256}-{s.child_index}"
            # a Removal is flat (strings and a code): its fields as they are, without asdict's deep copy
            vault.put(blob, json.dumps([{f.name: getattr(r, f.name) for f in fields(r)} for r in s.removals],
                                       ensure_ascii=False).encode())
            log = session.scalars(select(RedactionLog).where(RedactionLog.document_id == document.id,
                                                             RedactionLog.child_index == s.child_index)).first()
            if log is None:
                log = RedactionLog(document_id=document.id, child_index=s.child_index, blob=blob)
                session.add(log)
            log.subject_id, log.removals = subject_id, len(s.removals)
        out.append((row, s))
    session.flush()
    return out


def deliver_summary(session: Session, config: OutputConfig, document: Document, row: Summary,
                    now: datetime, checked: str = "") -> list[str]:
    """Write the DOCX and send it to the allocated social worker's team folder (and e-mail). Returns problems.

    ``checked``: the summary stage's ``read_back_checked`` mark, when the caller has the summary
    as made; the writer skips a repeat of a check that mark proves already ran on the same text."""
    child = session.get(Child, row.child_id) if row.child_id is not None else None
    assert child is not None and row.released and row.text, "only a released, matched summary is delivered"
    name = f"MAPPA-summary-{docs.safe_part(child.file_ref)}-{docs.safe_part(child.name)}-d{document.id}-{row.child_index}.docx"
    own = config.output_dir / "summaries" / str(document.id) / name
    # The redaction stage's writer: no metadata, read back and leak-checked after writing.
    summary = ChildSummary(row.child_name, row.text, True, child_index=row.child_index, allowed=tuple(row.allowed or ()), read_back_checked=checked)
    hits = write_summary_docx(summary, own, SummaryPolicy(config.council_name, config.marking,
                                                          nlp_model=config.nlp_model))
    if hits:
        row.status, row.docx_path = "held", ""
        row.reasons = [*row.reasons, *(f"written file: {h.code}: {h.text}" for h in hits)]
        return [f"summary for {child.name}: the written file failed its leak check, so it was not delivered"]
    data = own.read_bytes()
    row.docx_path = str(own)
    outs = [Outgoing("summary", "folder", str(config.folder_for_team(child.team)), ((name, data),), summary_id=row.id)]
    if config.smtp_host and child.social_worker_email:
        outs.append(Outgoing("summary", "email", child.social_worker_email, ((name, data),),
                             f"{config.marking}: MAPPA risk summary for {child.name} ({child.file_ref})",
                             "The attached child-safe MAPPA risk summary is for the child's file.", summary_id=row.id))
    problems = []
    for out in outs:
        d = deliver(session, config, document.id, document.sha256, f"summary:{row.child_index}", out, now)
        if d.status != "sent":
            problems.append(f"summary for {child.name}: delivery to {out.target} failed: {d.error}")
    row.status = "delivered" if not problems else "approval_pending"
    row.qa_sampled = qa_sampled(document.sha256, row.child_index, config.qa_sample_rate)
    return problems


def _gate(session: Session, document: Document, facts: fx.Facts, summaries: tuple[ChildSummary, ...],
          config: OutputConfig) -> tuple[list[str], list[Match], list[Match]]:
    reasons = list(facts.reasons)
    kind = facts.doc_type.value
    if kind not in HANDLED:
        reasons.append(f"document type '{kind}': no filing rule applies; a person must decide")
    elif facts.doc_type.confidence < config.doc_type_min_confidence:
        reasons.append(f"document type '{kind}' is uncertain (confidence {facts.doc_type.confidence:.2f})")
    if not facts.subjects:
        reasons.append("no MAPPA subject found")
    if kind in (fx.DocType.MINUTES, fx.DocType.PRISON_NOTIFICATION) and len(facts.subjects) > 1:
        reasons.append(f"{kind} name {len(facts.subjects)} subjects; expected one")
    if kind in (fx.DocType.MINUTES, fx.DocType.AGENDA, fx.DocType.INVITATION) and facts.meeting_date is None:
        reasons.append("no meeting date found")
    subject_matches = [given_subject_match(facts, i) or match_subject(session, s, config.match_min_score)
                       for i, s in enumerate(facts.subjects)]
    reasons.extend(m.uncertain for m in subject_matches if m.uncertain)
    main = subject_matches[0].record_id if subject_matches else None
    child_matches = [match_child(session, c, main, config.match_min_score) for c in facts.children]
    indices = {s.child_index for s in summaries}
    for i, (c, m) in enumerate(zip(facts.children, child_matches, strict=True)):
        if m.uncertain:
            reasons.append(m.uncertain)
        if i not in indices:
            reasons.append(f"child {c.name.value}: no summary was made")
    for s in summaries:
        if not s.released:
            why = "; ".join([f"{h.code} '{h.text}'" for h in s.hits] + list(s.doubts)) or "not released"
            reasons.append(f"summary for {s.child_name} not released: {why}")
        if s.child_index >= len(facts.children):
            reasons.append(f"summary for {s.child_name} has no child in the extracted facts")
    return reasons, subject_matches, child_matches


def _place(session: Session, document: Document, placement: str, reason: str, subject_id: int | None,
           now: datetime, by: str) -> None:
    document.placement, document.placement_reason = placement, reason
    document.placed_at, document.placed_by = now, by
    if subject_id is not None:
        document.subject_id = subject_id


def apply_outputs(session: Session, vault: Vault, document: Document, facts: fx.Facts,
                  summaries: tuple[ChildSummary, ...], config: OutputConfig, now: datetime) -> OutputResult:
    """File the document, carry out its duties, deliver its summaries; or stop it at review. Does not commit."""
    reasons, subject_matches, child_matches = _gate(session, document, facts, summaries, config)
    main = subject_matches[0].record_id if subject_matches else None
    rows = _record_summaries(session, vault, document, summaries, child_matches, main)
    if reasons:
        for row, s in rows:
            row.status = "held" if not s.released else ("awaiting_match" if row.child_id is None else "approval_pending")
        _place(session, document, "review", "; ".join(reasons), main, now, "service")
        audit.record(session, "service", "document.review", f"document:{document.id}", {"reasons": reasons}, at=now,
                     once=True)
        return OutputResult("in_review", tuple(reasons))
    return _carry_out(session, vault, document, facts, rows, subject_matches, config, now, "service", approved=False)


def _carry_out(session: Session, vault: Vault, document: Document, facts: fx.Facts,
               rows: list[tuple[Summary, ChildSummary]], subject_matches: list[Match], config: OutputConfig,
               now: datetime, by: str, approved: bool) -> OutputResult:
    ctx = duties.Ctx(session, vault, document, facts, config, now, by,
                     summary_texts=tuple(s.text for _, s in rows if s.released))
    resolved = [duties.resolve_subject(ctx, s, m, i) for i, (s, m) in enumerate(zip(facts.subjects, subject_matches,
                                                                                   strict=True))]
    main = resolved[0][0]
    kind = facts.doc_type.value
    if kind == fx.DocType.MINUTES:
        child_ids = {row.child_index: row.child_id for row, _ in rows if row.child_id is not None}
        duties.minutes(ctx, main, child_ids)
    elif kind == fx.DocType.PRISON_NOTIFICATION:
        notices.prison_notification(ctx, main, known=not resolved[0][1])
    else:
        notices.panel(ctx, resolved)
    for row, s in rows:
        row.subject_id = main.id
        if approved and row.released and row.child_id is not None and not row.decided_by:
            row.decided_by = by
        if not row.released:
            row.status = "held"
        elif row.child_id is None:
            row.status = "awaiting_match"
        elif config.release == "approve" and not row.decided_by:
            row.status = "approval_pending"
        else:
            ctx.notes.extend(deliver_summary(session, config, document, row, now, s.read_back_checked))
    ctx.deliveries += sum(1 for row, _ in rows if row.status == "delivered")
    state = _PLACEMENT_STATE[ctx.placement]
    _place(session, document, ctx.placement, ctx.placement_reason, main.id, now, by)
    audit.record(session, by, f"document.{state}", f"document:{document.id}",
                 {"placement": ctx.placement, "subject": main.ref, "letters": [str(p) for p in ctx.letters],
                  "notes": ctx.notes}, at=now, once=True)
    session.flush()
    return OutputResult(state, tuple(ctx.notes), tuple(ctx.letters), ctx.deliveries)


def stored_summaries(session: Session, vault: Vault, document_id: int) -> list[tuple[Summary, ChildSummary]]:
    out = []
    for row in session.scalars(select(Summary).where(Summary.document_id == document_id).order_by(Summary.child_index)):
        text = row.text if row.released else (vault.get(row.text_blob).decode() if row.text_blob else "")
        out.append((row, ChildSummary(row.child_name, text, row.released, child_index=row.child_index)))
    return out


def _set_state(session: Session, document: Document, state: str, detail: str) -> None:
    document.state = state
    session.add(DocumentEvent(document_id=document.id, state=state, detail=detail))


def decide_review(session: Session, vault: Vault, document_id: int,
                  decision: Literal["approve", "reject", "shred"], by: str, *, config: OutputConfig,
                  now: datetime, facts: fx.Facts | None = None, note: str = "") -> OutputResult:
    """A person's decision on a document in review. Sets the document's state; the caller commits.

    - approve: carry out the duties with ``facts`` (as corrected on the review page). Released,
      matched summaries are delivered (the reviewer's approval counts as release approval);
      unreleased ones stay held, unmatched ones wait for ``match_summary_child``.
    - reject: nothing is acted on; summaries are withdrawn; the document is filed against the
      subject's restricted record (or unlinked, restricted, if there is none).
    - shred: summaries withdrawn, document queued for shredding.
    """
    document = session.get(Document, document_id)
    if document is None:
        return OutputResult("in_review", (f"document {document_id} does not exist",))
    if document.state != "in_review":
        return OutputResult("in_review", (f"document {document_id} is {document.state}, not in review",))
    rows = stored_summaries(session, vault, document_id)
    if decision == "approve":
        if facts is None:
            return OutputResult("in_review", ("approving needs the document's facts",))
        subject_matches = [given_subject_match(facts, i) or match_subject(session, s, config.match_min_score)
                           for i, s in enumerate(facts.subjects)]
        still = [m.uncertain for m in subject_matches if m.uncertain] or (
            ["no MAPPA subject found"] if not facts.subjects else [])
        if still or facts.doc_type.value not in HANDLED:
            return OutputResult("in_review", tuple(["cannot approve yet:", *still,
                                                    *([f"no rule for type {facts.doc_type.value}"]
                                                      if facts.doc_type.value not in HANDLED else [])]))
        result = _carry_out(session, vault, document, facts, rows, subject_matches, config, now, by, approved=True)
    else:
        for row, _ in rows:
            row.status, row.decided_by = "withdrawn", by
        state: State = "shred_queued" if decision == "shred" else "filed"
        reason = f"{decision}ed at review by {by}" + (f": {note}" if note else "")
        _place(session, document, "shred" if decision == "shred" else "subject_record", reason, None, now, by)
        result = OutputResult(state, (reason,))
    audit.record(session, by, f"review.{decision}", f"document:{document_id}", {"note": note, "state": result.state},
                 at=now)
    _set_state(session, document, result.state, f"review decision by {by}: {decision}")
    session.flush()
    return result


def match_summary_child(session: Session, summary_id: int, child_id: int, by: str, *, config: OutputConfig,
                        now: datetime) -> list[str]:
    """A person matches a summary's child to a record; delivered at once if the document is past review."""
    row, child = session.get(Summary, summary_id), session.get(Child, child_id)
    if row is None or child is None:
        return [f"summary {summary_id} or child {child_id} does not exist"]
    row.child_id, row.decided_by = child_id, by
    audit.record(session, by, "summary.match", f"summary:{summary_id}", {"child": child.file_ref}, at=now)
    document = session.get(Document, row.document_id)
    assert document is not None
    if document.state in ("filed", "shred_queued", "destroyed") and row.released and row.status == "awaiting_match":
        return deliver_summary(session, config, document, row, now)
    return []


def approve_summary(session: Session, summary_id: int, by: str, *, config: OutputConfig, now: datetime) -> list[str]:
    """Release mode "approve": a person approves a released summary and it is delivered."""
    row = session.get(Summary, summary_id)
    if row is None or row.status != "approval_pending" or not row.released or row.child_id is None:
        return [f"summary {summary_id} is not waiting for approval"]
    document = session.get(Document, row.document_id)
    assert document is not None
    if document.state == "in_review":
        return ["the document is still in review: decide the review first"]
    row.decided_by = by
    audit.record(session, by, "summary.approve", f"summary:{summary_id}", at=now)
    return deliver_summary(session, config, document, row, now)


def record_attendance(session: Session, subject_id: int, names: list[str], by: str, now: datetime) -> None:
    """Who attended for children's services at the subject's latest panel (the minutes usually say)."""
    from outputs.records import PanelMeeting

    panel = session.scalars(select(PanelMeeting).where(PanelMeeting.subject_id == subject_id)
                            .order_by(PanelMeeting.meeting_date.desc().nulls_last())).first()
    if panel is not None:
        panel.attendance = list(names)
        audit.record(session, by, "panel.attendance", f"subject:{subject_id}", {"names": names}, at=now)


__all__ = ["OutputConfig", "OutputResult", "Subject", "apply_outputs", "approve_summary", "decide_review",
           "deliver_summary", "match_summary_child", "qa_sampled", "record_attendance"]
