"""Binding each stage's function to the council's settings; the only place that knows them all."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from extract.facts import Facts
from extract.fields.layout import norm_label
from extract.matching import KnownPerson, KnownRecords
from extract.nlp import load_nlp, parse
from extract.read import read_document
from extract.understand import understand
from ingest.vault import Vault
from mappa.corrections import learned_labels
from mappa.pipeline import Stages
from mappa.settings import Settings, output_config
from outputs.filing import apply_outputs
from outputs.records import Child, Subject
from outputs.schema import Document
from redact.policy import SummaryPolicy
from redact.summary import summarise


def summary_policy(settings: Settings) -> SummaryPolicy:
    return SummaryPolicy(council_name=settings.service.council_name, marking=settings.policy.marking,
                         nlp_model=settings.nlp.model)


def known_records(session: Session, source: str = "") -> KnownRecords:
    """A snapshot of the people the council already holds, and the labels QA taught for ``source``."""
    people: list[KnownPerson] = []
    for s in session.scalars(select(Subject)):
        people.append(KnownPerson(s.id, "subject", s.name, tuple(s.aliases or ()), s.dob, s.pnc or None,
                                  s.prison_number or None))
    for c in session.scalars(select(Child)):
        people.append(KnownPerson(c.id, "child", c.name, (), c.dob))
    taught = learned_labels(session).get(source, {}).get("subjects.name", ())
    return KnownRecords(tuple(people), frozenset(norm_label(label) for label in taught))


def known_identifiers(session: Session, facts: Facts) -> tuple[tuple[str, str], ...]:
    """What the records hold about the matched subjects that must never reach a child's file."""
    out: list[tuple[str, str]] = []
    for match in getattr(facts, "subject_matches", ()) or ():
        if match is None or match.status != "matched" or match.record_id is None:
            continue
        subject = session.get(Subject, match.record_id)
        if subject is None:
            continue
        for value in (subject.pnc, subject.cro, subject.prison_number, subject.crn, subject.visor, subject.address,
                      *(subject.aliases or ())):
            if value:
                out.append(("IDENTIFIER", value))
        if subject.dob:
            out.append(("IDENTIFIER", subject.dob.strftime("%d/%m/%Y")))
    return tuple(out)


def record_refs(session: Session, facts: Facts) -> tuple[str, tuple[str, ...]]:
    """The matched subject's record reference and each matched child's file reference ('' if none).

    The summary signposts the subject's record by its reference and names the child's file,
    so a social worker can find both; only matches made with certainty are used.
    """
    subject_ref = ""
    matches = getattr(facts, "subject_matches", ()) or ()
    if matches and matches[0] is not None and matches[0].status == "matched" and matches[0].record_id is not None:
        subject = session.get(Subject, matches[0].record_id)
        subject_ref = subject.ref if subject is not None else ""
    child_refs: list[str] = []
    for match in getattr(facts, "child_matches", ()) or ():
        child = (session.get(Child, match.record_id)
                 if match is not None and match.status == "matched" and match.record_id is not None else None)
        child_refs.append(child.file_ref if child is not None else "")
    return subject_ref, tuple(child_refs)


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
        understand=do_understand,
        summarise=lambda text, facts, parsed, ids, refs=("", ()): summarise(
            text, facts, parsed, policy, ids, subject_ref=refs[0], child_refs=refs[1]),
        outputs=do_outputs,
        known=known_records,
        known_identifiers=known_identifiers,
        record_refs=record_refs,
    )
