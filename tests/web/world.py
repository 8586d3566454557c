"""A small council for the web tests: accounts for every role, records, and documents placed by the real outputs stage.

The documents' text, facts and draft summaries are built here by code (the spans are found in
the text, never typed in), then handed to the real ``outputs.filing.apply_outputs``, exactly
as the driver does after extraction and redaction. One document waits in review (its subject
name was misread and the date of birth was missed); one went straight through and its
summary was delivered to another social worker; one waits in the shred queue.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from extract import facts as fx
from extract.model import Block, BlockKind, Page, Span, TextDocument
from ingest.vault import create_key
from mappa import journal
from mappa.serialize import to_jsonable
from mappa.service import Runtime
from mappa.settings import DatabaseSettings, ServiceSettings, Settings, WebSettings
from mappa.web import adapter
from mappa.web.auth import hash_password
from outputs.filing import apply_outputs
from outputs.records import Child, Relationship, Subject, Summary, User
from outputs.schema import Document
from redact.model import ChildSummary, Reason, Removal

PASSWORD = "correct horse battery staple"
ROLE_USERS = {"admin": "ada", "qa": "quinn", "representative": "remi", "social_worker": "sam"}
OTHER_WORKER = "sasha"

REVIEW_TEXT = """MAPPA Level 2 Meeting – Minutes

Nominal: John SMYTHE
Date of birth: 12/03/1980
Meeting date: 10/06/2025

Children: Alice BROWN (daughter), born 01/02/2015

John SMYTHE poses a high risk of sexual harm to female children under 12.
He was convicted of sexual assault at Snaresbrook Crown Court.
Next review: 30/09/2025
"""

FILED_TEXT = """MAPPA Level 1 Meeting – Minutes

Subject: Peter GRANT, born 05/05/1975
Meeting date: 02/06/2025

Child: Bobby KING (stepson), born 03/03/2013

Peter GRANT poses a medium risk of violence to known adults.
He lives at 4 Elm Road, London N1 1AA.
Next review: 01/10/2025
"""

PRISON_TEXT = """HMP Pentonville – notification of release

Prisoner: Peter GRANT, born 05/05/1975
Release date: 20/07/2025
"""


def found(text: str, needle: str, value: object | None = None, confidence: float = 0.9, nth: int = 0) -> fx.Found:
    """A value with the span of ``needle`` in ``text`` (found, not typed in)."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return fx.Found(needle if value is None else value, Span(start, start + len(needle), 1), confidence)


def text_document(text: str) -> TextDocument:
    blocks = []
    pos = 0
    for para in text.split("\n\n"):
        if para.strip():
            blocks.append(Block(BlockKind.PARAGRAPH, para, Span(pos, pos + len(para), 1)))
        pos += len(para) + 2
    return TextDocument("docx", text, tuple(blocks), (Page(1, 0, len(text)),))


def review_facts() -> fx.Facts:
    t = REVIEW_TEXT
    # The extraction misread the name (only the surname) and missed the date of birth.
    subject = fx.Subject(name=found(t, "SMYTHE", confidence=0.55), mappa_level=found(t, "Level 2", 2))
    child = fx.Child(name=found(t, "Alice BROWN"), dob=found(t, "01/02/2015", date(2015, 2, 1)),
                     relationship=found(t, "daughter"))
    return fx.Facts(doc_type=found(t, "Minutes", fx.DocType.MINUTES, 0.95), subjects=(subject,),
                    meeting_date=found(t, "10/06/2025", date(2025, 6, 10)),
                    next_review_date=found(t, "30/09/2025", date(2025, 9, 30)), children=(child,),
                    forbidden=(("JUSTICE_PLACE", "Snaresbrook Crown Court"),),
                    reasons=("subject name read with low confidence (0.55)",))


def review_summaries() -> tuple[ChildSummary, ...]:
    t = REVIEW_TEXT
    offence = "He was convicted of sexual assault at Snaresbrook Crown Court."
    text = ("MAPPA risk summary for Alice BROWN\n"
            "John SMYTHE (father) is managed under MAPPA at Level 2.\n"
            "John SMYTHE poses a high risk of sexual harm to female children under 12.\n"
            "Meeting date: 10/06/2025. Next review: 30/09/2025.")
    assert offence in t
    return (ChildSummary("Alice BROWN", text, True, removals=(
        Removal(Reason.OFFENCE, "offence_lexicon", "convicted of sexual assault", offence),
        Removal(Reason.JUSTICE_PLACE, "court_recognizer", "Snaresbrook Crown Court", offence)), child_index=0,
        allowed=("Alice BROWN", "John SMYTHE")),)  # as redact.summarise sets it


def filed_facts() -> fx.Facts:
    t = FILED_TEXT
    subject = fx.Subject(name=found(t, "Peter GRANT"), dob=found(t, "05/05/1975", date(1975, 5, 5)),
                         mappa_level=found(t, "Level 1", 1))
    child = fx.Child(name=found(t, "Bobby KING"), dob=found(t, "03/03/2013", date(2013, 3, 3)),
                     relationship=found(t, "stepson"))
    return fx.Facts(doc_type=found(t, "Minutes", fx.DocType.MINUTES, 0.95), subjects=(subject,),
                    meeting_date=found(t, "02/06/2025", date(2025, 6, 2)),
                    next_review_date=found(t, "01/10/2025", date(2025, 10, 1)), children=(child,))


def filed_summaries() -> tuple[ChildSummary, ...]:
    text = ("MAPPA risk summary for Bobby KING\n"
            "Peter GRANT (stepfather) is managed under MAPPA at Level 1.\n"
            "Peter GRANT poses a medium risk of violence to known adults.")
    return (ChildSummary("Bobby KING", text, True, removals=(
        Removal(Reason.IDENTIFIER, "address", "4 Elm Road, London N1 1AA", "He lives at 4 Elm Road, London N1 1AA."),),
        child_index=0, allowed=("Bobby KING", "Peter GRANT")),)


def prison_facts() -> fx.Facts:
    t = PRISON_TEXT
    subject = fx.Subject(name=found(t, "Peter GRANT"), dob=found(t, "05/05/1975", date(1975, 5, 5)))
    return fx.Facts(doc_type=found(t, "notification of release", fx.DocType.PRISON_NOTIFICATION, 0.95),
                    subjects=(subject,), release_date=found(t, "20/07/2025", date(2025, 7, 20)),
                    establishment=found(t, "HMP Pentonville"))


@dataclass
class World:
    root: Path
    runtime: Runtime
    review_doc: int
    filed_doc: int
    shred_doc: int
    subject_john: int
    subject_peter: int
    alice: int  # sam's child
    bobby: int  # sasha's child
    bobby_summary: int
    users: dict[str, int]

    @property
    def settings(self) -> Settings:
        return self.runtime.settings

    @property
    def deliveries(self) -> Path:
        return self.settings.resolve(self.settings.delivery.default_folder)


def make_settings(root: Path, **web: object) -> Settings:
    create_key(root / "keys" / "mappa.key")
    return Settings(service=ServiceSettings(data_dir=Path("data"), council_name="Testshire Council"),
                    database=DatabaseSettings(url=f"sqlite:///{root / 'mappa.db'}"),
                    web=WebSettings(secure_cookies=False, lockout_attempts=3, lockout_minutes=15, **web),
                    root=root)


def _place(runtime: Runtime, name: str, text: str, facts: fx.Facts, summaries: tuple[ChildSummary, ...]) -> int:
    vault = runtime.vault
    sha = hashlib.sha256(text.encode()).hexdigest()
    with runtime.sessions() as session:
        doc = Document(filename=name, sha256=sha, size=len(text), state="summarised", source="police-share",
                       doc_type=facts.doc_type.value.value, doc_type_confidence=facts.doc_type.confidence,
                       facts_json=json.dumps(to_jsonable(facts)), format="docx", pages=1,
                       reasons=json.dumps(list(facts.reasons)))
        session.add(doc)
        session.flush()
        vault.put(journal.doc_blob(sha), text.encode())
        doc.store_path = str(vault.path_for(journal.doc_blob(sha)))
        vault.put(journal.text_blob(sha), json.dumps(to_jsonable(text_document(text))).encode())
        vault.put(journal.summary_blob(sha), json.dumps(to_jsonable(summaries)).encode())
        outcome = apply_outputs(session, vault, doc, facts, summaries, adapter.output_config(runtime.settings),
                                datetime(2025, 6, 11, 9, 0))
        journal.set_state(session, doc, outcome.state, "outputs written",
                          journal.reasons_of(doc) + [r for r in outcome.reasons if r not in journal.reasons_of(doc)])
        session.commit()
        return doc.id


@functools.cache
def _password_hash() -> str:
    """Hashed once per test run (argon2 with the production parameters is slow on purpose)."""
    return hash_password(PASSWORD)


def build_world(root: Path, **web: object) -> World:
    settings = make_settings(root, **web)
    runtime = Runtime.open(settings)
    users: dict[str, int] = {}
    with runtime.sessions() as session:
        pw = _password_hash()
        for role, name in [*ROLE_USERS.items(), ("social_worker", OTHER_WORKER)]:
            u = User(username=name, role=role, password_hash=pw, email=f"{name}@council.example")
            session.add(u)
            session.flush()
            users[name] = u.id
        john = Subject(ref="MS-1", name="John SMYTHE", dob=date(1980, 3, 12))
        peter = Subject(ref="MS-2", name="Peter GRANT", dob=date(1975, 5, 5))
        alice = Child(file_ref="C-100", name="Alice Brown", dob=date(2015, 2, 1), case_status="open",
                      social_worker="sam", team="North")
        bobby = Child(file_ref="C-200", name="Bobby King", dob=date(2013, 3, 3), case_status="open",
                      social_worker=OTHER_WORKER, team="South")
        session.add_all([john, peter, alice, bobby])
        session.flush()
        session.add_all([Relationship(child_id=alice.id, subject_id=john.id, relationship="daughter"),
                         Relationship(child_id=bobby.id, subject_id=peter.id, relationship="stepson")])
        session.commit()
        ids = (john.id, peter.id, alice.id, bobby.id)
    review = _place(runtime, "minutes-smythe.docx", REVIEW_TEXT, review_facts(), review_summaries())
    filed = _place(runtime, "minutes-grant.docx", FILED_TEXT, filed_facts(), filed_summaries())
    _place(runtime, "release-grant.pdf", PRISON_TEXT, prison_facts(), ())
    with runtime.sessions() as session:
        doc = Document(filename="old agenda.pdf", sha256="ab" * 32, size=10, state="shred_queued", source="inbox",
                       placement="shred", placement_reason="minutes shredded after the summaries (council policy)")
        session.add(doc)
        session.flush()
        doc.store_path = str(runtime.vault.put(journal.doc_blob(doc.sha256), b"%PDF-1.4 old agenda"))
        session.commit()
        shred_id = doc.id
        bobby_summary = session.query(Summary).filter_by(document_id=filed).one().id
    return World(root, runtime, review, filed, shred_id, *ids, bobby_summary=bobby_summary, users=users)
