"""The driver: the pipeline's order, in one place.

    claimed ──read (child process)──► extracted ──summarise──► summarised ──outputs──► filed
                                                                                      shred_queued
                                                                                      in_review

Each arrow is one step: it reads the previous step's committed results, computes, and
commits its own results together with the new state. A crash between steps resumes at the
last committed state. Stages return values (a ReadFailure, reasons in Facts, an unreleased
summary); only this driver catches exceptions, and turns them into a reason for review.
"""

from __future__ import annotations

import functools
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from extract import nlp as nlp_counters
from extract.facts import DocType, Facts
from extract.formats.cost import work_estimate
from extract.model import ReadFailure, TextDocument
from ingest.sandbox import run_isolated
from ingest.vault import Vault, folders_synced_at_end
from mappa import corrections, journal
from mappa.batch import Job, ReadAhead, fill
from mappa.serialize import load, to_jsonable
from mappa.settings import Settings
from outputs.schema import Document
from redact.model import ChildSummary

log = logging.getLogger("mappa.pipeline")

# state -> the step that moves a document on from it
STEPS: dict[str, str] = {"claimed": "read", "extracted": "summarise", "summarised": "place"}
# How far ahead of the driver documents are considered for starting dearest first.
COST_HORIZON = 64


def load_text(vault: Vault, doc: Document) -> TextDocument:
    return load(TextDocument, json.loads(vault.get(journal.text_blob(doc.sha256))))


def load_facts(doc: Document) -> Facts:
    return _facts_from(doc.facts_json or "{}")


def load_summaries(vault: Vault, doc: Document) -> tuple[ChildSummary, ...]:
    if not vault.exists(journal.summary_blob(doc.sha256)):
        return ()
    return load(tuple[ChildSummary, ...], json.loads(vault.get(journal.summary_blob(doc.sha256))))


# The read, summarise and place steps each load a document's facts, so the same JSON was
# decoded three times in a row; decoding a long document's facts cost a tenth of a second.
# Facts are frozen dataclasses and the same JSON always decodes to equal facts, so the last
# few are kept, keyed by the JSON itself. (The summaries the place step needs are handed over
# by the summarise step: ``Pipeline._written``.)
@functools.lru_cache(maxsize=8)
def _facts_from(raw: str) -> Facts:
    return load(Facts, json.loads(raw))


@dataclass
class Pipeline:
    settings: Settings
    sessions: sessionmaker[Session]
    vault: Vault
    stages: Stages
    # When several documents wait, the next ones are worked on by batch workers while this one is
    # parsed (mappa.batch); None reads each document only when it is reached.
    ahead: ReadAhead | None = None
    # The parse made while extracting is reused for the summary: one NLP pass per document.
    # (As bytes when a worker made it: the driver unpacks it only if it makes the summaries.)
    _parsed: dict[int, Any] = field(default_factory=dict)
    # Work a worker did ahead (mappa.batch) and the records it was given, until the driver uses it.
    _given: dict[int, Any] = field(default_factory=dict)
    _prepared: dict[int, Prepared] = field(default_factory=dict)
    _upcoming: list[int] = field(default_factory=list)
    _driver_only: set[int] = field(default_factory=set)
    _cost: dict[int, float] = field(default_factory=dict)  # document id -> work estimate (pages of text)
    # The summaries the summarise step stored (as stored, and decoded), for the place step.
    _written: dict[int, tuple[bytes, tuple[ChildSummary, ...]]] = field(default_factory=dict)

    # -- the steps ---------------------------------------------------------------------------
    def _read_args(self, doc: Document) -> tuple[Any, ...]:
        return (self.vault.get(journal.doc_blob(doc.sha256)), doc.filename, self.settings.limits.read_limits())

    def read(self, session: Session, doc: Document) -> None:
        limits = self.settings.limits
        result = self.ahead.take(doc.id) if self.ahead is not None else None
        if result is None:
            result = run_isolated(self.stages.read, self._read_args(doc),
                                  timeout=limits.timeout_seconds, memory_mb=limits.memory_mb)
        if isinstance(result, ReadFailure):
            doc.doc_type = DocType.UNREADABLE.value
            journal.set_state(session, doc, "in_review", result.code, [result.reason])
            return
        text: TextDocument = result
        for attachment in text.attachments:
            journal.add_child_document(session, self.vault, doc, attachment.filename, attachment.data, attachment.origin)
        stored = _stored(text)
        self.vault.put(journal.text_blob(doc.sha256), json.dumps(to_jsonable(stored)).encode())
        prepared = self._collect(doc.id)
        given = self._given.pop(doc.id, None)
        known = self.stages.known(session, doc.source)
        parsed: Any
        if prepared is not None and self.stages.unpack is not None:
            nlp_counters.count_elsewhere(prepared.passes, prepared.chunks)
            if given is not None and given == known:
                facts = prepared.facts
                self._prepared[doc.id] = prepared
                parsed = prepared.parsed  # unpacked only if the summaries must be made again
            else:  # the records changed since the worker was given them: its fields may be stale
                parsed = self.stages.unpack(prepared.parsed)
                facts = self.stages.understand(stored, parsed, doc.doc_type_hint, known)
        else:
            parse = self.stages.parse_alone if self.stages.parse_alone and not self._upcoming else self.stages.parse
            parsed = parse(stored.text)
            facts = self.stages.understand(stored, parsed, doc.doc_type_hint, known)
        self._parsed[doc.id] = parsed
        doc.format = text.format
        doc.pages = text.page_count
        doc.doc_type = facts.doc_type.value.value
        doc.doc_type_confidence = facts.doc_type.confidence
        facts_json, corrected = corrections.reapply(session, doc.id, to_jsonable(facts))
        if corrected:  # a re-run after review: what a person set wins over the new extraction
            facts = load(Facts, facts_json)
            doc.doc_type, doc.doc_type_confidence = facts.doc_type.value.value, facts.doc_type.confidence
        doc.facts_json = json.dumps(facts_json)
        reasons = [f.message for f in text.flags if f.review] + list(facts.reasons)
        journal.set_state(session, doc, "extracted", f"{doc.doc_type} {doc.pages} pages", reasons)

    def summarise(self, session: Session, doc: Document) -> None:
        facts = load_facts(doc)
        parsed = self._parsed.pop(doc.id, None)
        prepared = self._prepared.pop(doc.id, None)
        records = (self.stages.known_identifiers(session, facts), self.stages.record_refs(session, facts))
        if (prepared is not None and prepared.summaries is not None and prepared.records == records
                and prepared.facts_json == json.loads(doc.facts_json or "{}")):
            # made by the worker from exactly these facts, text, identifiers and references
            summaries = prepared.summaries
        else:
            text = load_text(self.vault, doc)
            if isinstance(parsed, bytes) and self.stages.unpack is not None:
                parsed = self.stages.unpack(parsed)  # the worker's parse, not unpacked until now
            if parsed is None:  # resumed after a restart: the parse did not survive
                parsed = self.stages.parse(text.text)
            summaries = self.stages.summarise(text, facts, parsed, *records)
        data = json.dumps(to_jsonable(summaries)).encode()
        self.vault.put(journal.summary_blob(doc.sha256), data)
        self._written[doc.id] = (data, summaries)
        journal.set_state(session, doc, "summarised", f"{len(summaries)} child summaries")

    def place(self, session: Session, doc: Document) -> None:
        facts = load_facts(doc)
        written = self._written.pop(doc.id, None)
        blob = journal.summary_blob(doc.sha256)
        if written is not None and self.vault.exists(blob) and self.vault.get(blob) == written[0]:
            summaries = written[1]  # what this process stored one step ago, read back to be sure
        else:
            summaries = load_summaries(self.vault, doc)
        outcome = self.stages.outputs(session, self.vault, doc, facts, summaries, datetime.now())
        reasons = journal.reasons_of(doc) + [r for r in outcome.reasons if r not in journal.reasons_of(doc)]
        journal.set_state(session, doc, outcome.state, "outputs written", reasons)

    # -- driving -----------------------------------------------------------------------------
    def advance(self, doc_id: int) -> str:
        """Run a document's remaining steps; returns the state it rests in."""
        started = time.monotonic()
        while True:
            with self.sessions() as session:
                doc = session.get_one(Document, doc_id)
                step = STEPS.get(doc.state)
                if step is None:
                    return doc.state
                with folders_synced_at_end():  # before the commit: what it records is on disk
                    self._run_step(session, doc, step)
                if doc.state in journal.RESTING:
                    doc.seconds = round(time.monotonic() - started, 3)
                session.commit()

    def _run_step(self, session: Session, doc: Document, step: str) -> None:
        fn: Callable[[Session, Document], None] = getattr(self, step)
        service = self.settings.service
        for attempt in range(1, service.retry_attempts + 1):
            try:
                fn(session, doc)
                return
            except (OperationalError, OSError) as exc:
                # Transient: a locked database, a share that went away. Back off and retry.
                session.rollback()
                doc = session.get_one(Document, doc.id)
                if attempt == service.retry_attempts:
                    self._to_review(session, doc, f"{step} failed {attempt} times ({type(exc).__name__}: {exc}); "
                                                  "retry it from the review page once the cause is fixed")
                    return
                delay = service.retry_base_seconds * 2 ** (attempt - 1)
                log.warning("document %s: %s failed (%s); retrying in %.1f s", doc.id, step, exc, delay)
                time.sleep(delay)
            except Exception as exc:  # noqa: BLE001 - the driver is where errors become values
                log.exception("document %s: %s failed", doc.id, step)
                session.rollback()
                doc = session.get_one(Document, doc.id)
                self._to_review(session, doc, f"internal error while {step.rstrip('e')}ing: {type(exc).__name__}: "
                                              f"{str(exc)[:300]}")
                return

    @staticmethod
    def _to_review(session: Session, doc: Document, reason: str) -> None:
        doc.attempts = (doc.attempts or 0) + 1
        journal.set_state(session, doc, "in_review", "error", journal.reasons_of(doc) + [reason])

    def pending(self) -> list[int]:
        """Documents with steps to run, in the order they arrived: that order decides what the
        records hold afterwards (which document created a subject's record, which review date
        is the newest), so it does not depend on how long each took to read."""
        with self.sessions() as session:
            return list(session.scalars(
                select(Document.id).where(Document.state.in_(tuple(STEPS))).order_by(Document.id)))

    def run_pending(self, on_done: Callable[[int, str], None] | None = None) -> int:
        done = 0
        try:
            while ids := self.pending():
                if len(ids) > 1:
                    log.debug("%d documents pending", len(ids))
                remaining = list(ids)
                while remaining:
                    if len(ids) > 1:
                        self._read_ahead(remaining)
                    self._wait_for_next(remaining)
                    doc_id = remaining.pop(0)
                    self._upcoming = remaining
                    state = self.advance(doc_id)
                    done += 1
                    if on_done:
                        on_done(doc_id, state)
        finally:
            self._upcoming = []
            self._driver_only.clear()
            self._cost.clear()
            self._written.clear()
            self._given.clear()
            self._prepared.clear()
            if self.ahead is not None:
                self.ahead.cancel_all()
        return done

    def _estimate(self, ids: list[int]) -> None:
        """Work estimates (``extract.formats.cost``) for the documents about to be started."""
        new = [i for i in ids[:COST_HORIZON] if i not in self._cost]
        if not new:
            return
        with self.sessions() as session:
            shas = {i: sha for i, sha in session.execute(select(Document.id, Document.sha256).where(Document.id.in_(new)))}
        for i in new:
            try:
                self._cost[i] = work_estimate(self.vault.get(journal.doc_blob(shas[i])))
            except (KeyError, OSError, ValueError):  # the read step will say what is wrong with it
                self._cost[i] = 0.0

    def _wait_for_next(self, remaining: list[int]) -> None:
        """Wait until the next document in turn (``remaining[0]``) can be advanced.

        While waiting, workers that finish hand their work over and their cores go to the
        next documents to start (``_read_ahead``), so a long document being read does not
        leave the other core idle; the driver still advances the documents in turn."""
        head, ahead = remaining[0], self.ahead
        while ahead is not None and head not in self._driver_only and not ahead.done(head):
            if not ahead.started(head) and not ahead.working():
                break  # nothing is being worked on for it: the driver does it itself
            if ahead.pump(timeout=0.5):
                self._read_ahead(remaining)  # a core came free: start the next document on it

    def _read_ahead(self, upcoming: list[int]) -> None:
        """Give workers the next documents still to be read, while cores are free. Each
        reads its document, then parses it, extracts its fields and makes its summaries
        (``_prepare``), so that several documents are worked on at once; the driver stays the
        only writer and checks that the records the worker was given still hold."""
        if self.ahead is None or not upcoming or self.ahead.full():
            return
        # The documents the driver needs next, in turn, on one core; the dearest of those
        # coming soon on the others: a long document started late would be left running alone
        # on one core at the end of a batch, and one started early must not hold up the
        # short ones the driver is waiting for.
        self._estimate(upcoming)
        ahead = self.ahead
        near = upcoming[: ahead.workers + 1]
        waiting = [i for i in upcoming[:COST_HORIZON] if not ahead.started(i) and i not in self._driver_only]
        in_turn = [i for i in waiting if i in near]
        dear_working = sum(1 for k in ahead.working_keys() if k not in near)
        dear: list[int] = []
        if dear_working < ahead.workers:
            dear = [i for i in waiting if i not in near]
            dear.sort(key=lambda i: -self._cost.get(i, 0.0))  # stable: equal estimates stay in turn
            dear = dear[: ahead.workers - dear_working]
        # A core freed while the next document's worker is still busy goes to the dearest:
        # a second document in turn would finish work the driver cannot take yet, and leave a
        # scan or a long document to start last and run alone.
        in_turn_working = any(k in near for k in ahead.working_keys())
        # The core in turn never leaves its turn for a dear document: the driver files in turn,
        # so what that core works on is what keeps the driver busy. Measured on the benchmark's
        # mixed batch, sending a scan there near the end (so it would not start last) left the
        # driver waiting for the next short document, then filing six in a row after the
        # workers were done: the cores were busy 55.4 % of twice the wall time instead of
        # 53.8 % (the ideal is 50 %; eleven alternating runs, every one lower without it).
        window = dear + in_turn if in_turn_working else in_turn[:1] + dear + in_turn[1:]
        with self.sessions() as session:
            docs = {d.id: d for d in session.scalars(
                select(Document).where(Document.id.in_(window), Document.state == "claimed"))}
            snapshot: list[Callable[[Facts], Any]] = []

            def job(d: Document) -> Job:
                if self.stages.pack is None or self.stages.identifier_snapshot is None:
                    return Job(self._read_args(d))
                if not snapshot:
                    snapshot.append(self.stages.identifier_snapshot(session))
                known = self.stages.known(session, d.source)
                self._given[d.id] = known
                return Job(self._read_args(d), self._prepare, (d.doc_type_hint, known, snapshot[0]))

            fill(self.ahead, [(i, partial(job, docs[i])) for i in window if i in docs])
            self._driver_only.update(i for i in window if i not in docs)

    def _collect(self, doc_id: int) -> Prepared | None:
        """The worker's work for ``doc_id``, if it did any; frees its slot for the next document."""
        if self.ahead is None:
            return None
        prepared = self.ahead.then_result(doc_id)
        if self._upcoming:
            self._read_ahead(self._upcoming)
        return prepared if isinstance(prepared, Prepared) else None

    def _prepare(self, text: TextDocument, hint: str, known: Any,
                 records_of: Callable[[Facts], Any]) -> Prepared | None:
        """In a batch worker: what the read and summarise steps compute after reading, from the inputs
        they will have (the stored text and facts as loaded back from JSON)."""
        assert self.stages.pack is not None
        passes, chunks = nlp_counters.pass_count(), nlp_counters.chunk_count()
        stored = _stored(text)
        parsed = self.stages.parse(stored.text)
        facts = self.stages.understand(stored, parsed, hint, known)
        packed = self.stages.pack(parsed)  # before the summaries: presidio renames the entities in place
        facts_json = json.loads(json.dumps(to_jsonable(facts)))
        as_loaded = load(Facts, facts_json)
        records = records_of(as_loaded)
        summaries: tuple[ChildSummary, ...] | None
        try:
            summaries = self.stages.summarise(load(TextDocument, json.loads(json.dumps(to_jsonable(stored)))),
                                              as_loaded, parsed, *records)
        except Exception:  # noqa: BLE001 - the driver makes them again and turns the error into a reason
            summaries = None
        return Prepared(packed, nlp_counters.pass_count() - passes,
                        nlp_counters.chunk_count() - chunks, facts, facts_json, records, summaries)


def _stored(text: TextDocument) -> TextDocument:
    """The text as kept in the vault: attachments become documents of their own."""
    return TextDocument(text.format, text.text, text.blocks, text.pages, text.flags, (), text.metadata, text.seconds)


@dataclass(frozen=True)
class Prepared:
    """A worker's parse, fields and summaries for one document, with the facts (as JSON) and
    identifiers the summaries were made from."""

    parsed: bytes
    passes: int
    chunks: int
    facts: Facts
    facts_json: Any
    records: Any  # (known identifiers, record references) the summaries were made with
    summaries: tuple[ChildSummary, ...] | None


@dataclass
class Stages:
    """The stage functions, bound to the settings. Built by ``build_stages``."""

    read: Callable[..., Any]
    parse: Callable[[str], Any]
    understand: Callable[..., Facts]
    summarise: Callable[..., tuple[ChildSummary, ...]]
    outputs: Callable[..., Any]
    known: Callable[[Session, str], Any]
    known_identifiers: Callable[[Session, Facts], tuple[tuple[str, str], ...]]
    record_refs: Callable[[Session, Facts], tuple[str, tuple[str, ...]]] = lambda _session, _facts: ("", ())
    # For work done in batch workers (mappa.batch): the records as of now without a session,
    # and a parse to bytes and back. None: workers only read.
    identifier_snapshot: Callable[[Session], Callable[[Facts], Any]] | None = None
    pack: Callable[[Any], bytes] | None = None
    # ``parse`` on every core, for a document the driver works on alone (same result as ``parse``)
    parse_alone: Callable[[str], Any] | None = None
    unpack: Callable[[bytes], Any] | None = None

