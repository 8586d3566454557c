"""Binding each stage's function to the council's settings; the only place that knows them all."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from extract.facts import Facts
from extract.fields.layout import norm_label
from extract.matching import KnownPerson, KnownRecords
from extract.nlp import from_bytes, load_nlp, parse, to_bytes
from extract.read import read_document
from extract.understand import understand
from ingest.vault import Vault
from mappa.corrections import learned_labels
from mappa.pipeline import Stages
from mappa.settings import Settings, output_config
from outputs.filing import apply_outputs
from outputs.records import Child, Correction, Subject
from outputs.schema import Document
from redact.policy import SummaryPolicy
from redact.summary import summarise


def summary_policy(settings: Settings) -> SummaryPolicy:
    return SummaryPolicy(council_name=settings.service.council_name, marking=settings.policy.marking,
                         nlp_model=settings.nlp.model)


def _version(session: Session, *columns: Any) -> tuple[Any, ...]:
    """How many rows, the newest id and the latest change (``columns``: each table's time stamp,
    which the ORM sets on every insert and update): any change to the records changes this."""
    parts: list[Any] = []
    for changed in columns:  # one statement for all the tables: this runs twice per document
        table = changed.class_
        parts += [select(func.count(table.id)).scalar_subquery(), select(func.max(table.id)).scalar_subquery(),
                  select(func.max(changed)).scalar_subquery()]
    return tuple(session.execute(select(*parts)).one())


# The last snapshot built, and the version of the tables it was built from: a batch asks for the
# records once per document (twice with workers working ahead), and they seldom change between.
_known_cache: dict[str, tuple[tuple[Any, ...], KnownRecords]] = {}
_identifier_cache: list[tuple[tuple[Any, ...], IdentifierSnapshot]] = []


def known_records(session: Session, source: str = "") -> KnownRecords:
    """A snapshot of the people the council already holds, and the labels QA taught for ``source``."""
    version = _version(session, Subject.updated_at, Child.updated_at, Correction.at)
    cached = _known_cache.get(source)
    if cached is not None and cached[0] == version:
        return cached[1]
    known = _known_records(session, source)
    _known_cache.clear()  # one source at a time is enough; never grows
    _known_cache[source] = (version, known)
    return known


def _known_records(session: Session, source: str) -> KnownRecords:
    # Columns, not ORM objects: this runs for every document over every record, and loading a
    # few thousand records as objects cost a tenth of a second each time.
    people: list[KnownPerson] = []
    for sid, name, aliases, dob, pnc, prison_number in session.execute(
            select(Subject.id, Subject.name, Subject.aliases, Subject.dob, Subject.pnc, Subject.prison_number)):
        people.append(KnownPerson(sid, "subject", name, tuple(aliases or ()), dob, pnc or None, prison_number or None))
    for cid, name, dob in session.execute(select(Child.id, Child.name, Child.dob)):
        people.append(KnownPerson(cid, "child", name, (), dob))
    taught = learned_labels(session).get(source, {}).get("subjects.name", ())
    return KnownRecords(tuple(people), frozenset(norm_label(label) for label in taught))


_IDENTIFIER_COLUMNS = (Subject.pnc, Subject.cro, Subject.prison_number, Subject.crn, Subject.visor, Subject.address,
                       Subject.aliases, Subject.dob)


def _subject_identifiers(subject: Any) -> list[tuple[str, str]]:
    """A subject's identifiers, from a ``Subject`` or a row of ``_IDENTIFIER_COLUMNS``."""
    out: list[tuple[str, str]] = []
    for value in (subject.pnc, subject.cro, subject.prison_number, subject.crn, subject.visor, subject.address,
                  *(subject.aliases or ())):
        if value:
            out.append(("IDENTIFIER", value))
    if subject.dob:
        out.append(("IDENTIFIER", subject.dob.strftime("%d/%m/%Y")))
    return out


def _matched_ids(facts: Facts) -> list[int]:
    return [m.record_id for m in getattr(facts, "subject_matches", ()) or ()
            if m is not None and m.status == "matched" and m.record_id is not None]


def known_identifiers(session: Session, facts: Facts) -> tuple[tuple[str, str], ...]:
    """What the records hold about the matched subjects that must never reach a child's file."""
    out: list[tuple[str, str]] = []
    for record_id in _matched_ids(facts):
        subject = session.get(Subject, record_id)
        if subject is not None:
            out.extend(_subject_identifiers(subject))
    return tuple(out)


RecordRefs = tuple[str, tuple[str, ...]]  # the subject's record reference, each child's file reference


def _refs(facts: Facts, subject_ref: Callable[[int], str | None], child_ref: Callable[[int], str | None]) -> RecordRefs:
    """The matched subject's record reference and each matched child's file reference ('' if none).

    The summary signposts the subject's record by its reference and names the child's file,
    so a social worker can find both; only matches made with certainty are used.
    """
    ids = _matched_ids(facts)
    children = tuple((child_ref(m.record_id) or "")
                     if m is not None and m.status == "matched" and m.record_id is not None else ""
                     for m in getattr(facts, "child_matches", ()) or ())
    return (subject_ref(ids[0]) or "") if ids else "", children


def record_refs(session: Session, facts: Facts) -> RecordRefs:
    def subject_ref(record_id: int) -> str | None:
        found = session.get(Subject, record_id)
        return found.ref if found is not None else None

    def child_ref(record_id: int) -> str | None:
        found = session.get(Child, record_id)
        return found.file_ref if found is not None else None

    return _refs(facts, subject_ref, child_ref)


@dataclass(frozen=True)
class IdentifierSnapshot:
    """``known_identifiers`` and ``record_refs`` over a copy of the records: plain data, so it
    can be sent to a worker process, which has no database session."""

    held: dict[int, tuple[tuple[str, str], ...]]
    subject_refs: dict[int, str]
    child_refs: dict[int, str]

    def __call__(self, facts: Facts) -> tuple[tuple[tuple[str, str], ...], RecordRefs]:
        identifiers = tuple(x for record_id in _matched_ids(facts) for x in self.held.get(record_id, ()))
        return identifiers, _refs(facts, self.subject_refs.get, self.child_refs.get)


def identifier_snapshot(session: Session) -> IdentifierSnapshot:
    """The records' identifiers and references as of now; the driver checks a worker's answer
    against the live records before using it. The same object while the records are unchanged."""
    version = _version(session, Subject.updated_at, Child.updated_at)
    if _identifier_cache and _identifier_cache[0][0] == version:
        return _identifier_cache[0][1]
    # columns, not ORM objects: a large batch spent half its time building them
    snapshot = IdentifierSnapshot(
        {row.id: tuple(_subject_identifiers(row)) for row in session.execute(select(Subject.id, *_IDENTIFIER_COLUMNS))},
        {sid: ref for sid, ref in session.execute(select(Subject.id, Subject.ref))},
        {cid: ref for cid, ref in session.execute(select(Child.id, Child.file_ref))})
    _identifier_cache[:] = [(version, snapshot)]
    return snapshot


def build_stages(settings: Settings) -> Stages:
    nlp = load_nlp(settings.nlp.model)
    policy = summary_policy(settings)
    config = output_config(settings)

    def do_understand(text: Any, parsed: Any, hint: str, known: KnownRecords) -> Facts:
        return understand(text, parsed, hint, known)

    def do_outputs(session: Session, vault: Vault, doc: Document, facts: Facts, summaries: Any, now: datetime) -> Any:
        return apply_outputs(session, vault, doc, facts, summaries, config, now)

    return Stages(
        read=read_document,
        parse=partial(parse, nlp),
        parse_alone=partial(parse, nlp, processes=2 if (os.cpu_count() or 1) > 1 else 1),
        understand=do_understand,
        summarise=lambda text, facts, parsed, ids, refs=("", ()): summarise(
            text, facts, parsed, policy, ids, subject_ref=refs[0], child_refs=refs[1]),
        outputs=do_outputs,
        known=known_records,
        known_identifiers=known_identifiers,
        record_refs=record_refs,
        identifier_snapshot=identifier_snapshot,
        pack=to_bytes,
        unpack=partial(from_bytes, nlp),
    )
