"""Builders for the outputs tests: records, documents in the vault, hand-made Facts and summaries."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from extract.facts import Action, Child, DocType, Facts, Found, Subject
from ingest.vault import Vault
from outputs.config import OutputConfig
from outputs.importer import import_records
from outputs.records import tables_linking_to_children
from outputs.schema import Document
from redact.model import ChildSummary, LeakHit, Reason, Removal

NOW = datetime(2025, 6, 20, 10, 0, 0)

RECORDS_CSV = """\
kind,ref,name,aliases,dob,case_status,social_worker,social_worker_email,team,district,spoc_email,pnc,prison_number,subject_ref,child_ref,relationship
child,CF-1001,Amy Brown,,2015-03-02,open,jsmith,j.smith@council.test,North,Northern,north.spoc@council.test,,,,,
child,CF-1002,Ben Brown,,12/07/2017,open,jsmith,j.smith@council.test,North,Northern,north.spoc@council.test,,,,,
child,CF-2001,Cara Green,,2012-01-20,closed,,,South,Southern,south.spoc@council.test,,,,,
child,CF-3001,Dean Young,,2009-05-05,open,pking,p.king@council.test,East,Eastern,east.spoc@council.test,,,,,
subject,S-100,John Edward Smith,Johnny Smith;J. Smith,1980-04-01,,,,,,,2001/0012345X,A1234BC,,,
subject,S-200,Mark Green,,1975-09-09,,,,,,,1999/0054321Y,,,,
subject,S-300,Peter Hall,,1968-12-12,,,,,,,,,,,
relationship,,,,,,,,,,,,,S-100,CF-1001,father
relationship,,,,,,,,,,,,,S-100,CF-1002,father
relationship,,,,,,,,,,,,,S-200,CF-2001,uncle
"""

# Plain text of a hand-made "original document": what must never reach a child's file.
FORBIDDEN = ("convicted of sexual assault of a child under 13", "HMP Pentonville", "2001/0012345X",
             "Elm House Approved Premises", "released on licence on 2 May")
DOC_TEXT = ("MAPPA LEVEL 2 MEETING MINUTES. Subject: John Edward SMITH, PNC 2001/0012345X. "
            "He was convicted of sexual assault of a child under 13 and was held at HMP Pentonville. "
            "He was released on licence on 2 May and resides at Elm House Approved Premises. "
            "He poses a high risk of sexual harm to female children under 12. ")


def F(value: Any, confidence: float = 1.0) -> Found[Any]:
    return Found(value, None, confidence)


def seed(session: Session) -> None:
    result = import_records(session, RECORDS_CSV)
    assert result.ok, result.errors
    session.flush()


def config(tmp_path: Path, **kw: Any) -> OutputConfig:
    shares = tmp_path / "shares"
    base: dict[str, Any] = dict(
        output_dir=tmp_path / "data" / "outputs",
        team_folders={"North": shares / "north", "South": shares / "south", "East": shares / "east"},
        default_folder=shares / "unallocated", qa_sample_rate=0.0, council_name="Testshire Council",
        council_address="1 Civic Way, Testtown", council_phone="01234 567890", council_email="mappa@council.test",
        signatory="A. Coordinator, MAPPA Coordinator")
    base.update(kw)
    return OutputConfig(**base)


def add_document(session: Session, vault: Vault, text: str = DOC_TEXT, filename: str = "minutes.txt",
                 doc_type: str = "minutes") -> Document:
    data = text.encode()
    sha = hashlib.sha256(data).hexdigest()
    vault.put(sha, data)
    vault.put(f"text-{sha}", data)
    doc = Document(filename=filename, sha256=sha, size=len(data), state="summarised", doc_type=doc_type,
                   facts_json=json.dumps({"text": text}), received_at=datetime(2025, 6, 18, 9, 0))
    session.add(doc)
    session.flush()
    return doc


def john(**kw: Any) -> Subject:
    base: dict[str, Any] = dict(name=F("John Edward SMITH"), dob=F(date(1980, 4, 1)), pnc=F("2001/0012345X"),
                                mappa_level=F(2), mappa_category=F(1))
    base.update(kw)
    return Subject(**base)


def minutes_facts(**kw: Any) -> Facts:
    base: dict[str, Any] = dict(
        doc_type=F(DocType.MINUTES), subjects=(john(),), meeting_date=F(date(2025, 6, 12)),
        children=(Child(F("Amy Brown"), F(date(2015, 3, 2)), relationship=F("daughter")),
                  Child(F("Ben Brown"), F(date(2017, 7, 12)), relationship=F("son"))),
        cs_attendees=(F("Jo Smith (social worker)"),),
        actions=(Action(F("Social worker to visit Amy and complete safety plan"), "Children's Services",
                        F(date(2025, 6, 26)), True),
                 Action(F("Police to conduct home visit"), "Police", F(date(2025, 7, 1)), False),
                 Action(F("Children's services to update the child protection plan"), "Children's Services",
                        F(date(2025, 8, 30)), True)),
        forbidden=tuple(("OFFENCE", t) for t in FORBIDDEN))
    base.update(kw)
    return Facts(**base)


def summary(name: str, index: int, released: bool = True, extra: str = "") -> ChildSummary:
    text = (f"Summary for {name}.\nJohn Edward SMITH ({'father'}) is managed under MAPPA at Level 2.\n"
            f"He poses a high risk of sexual harm to female children under 12.{extra}\n"
            "Further information is held on the MAPPA subject's record; contact the MAPPA representative.")
    hits = () if released else (LeakHit(Reason.JUSTICE_PLACE, "prison", "HMP Pentonville"),)
    # ``allowed`` as ``redact.summarise`` sets it: the child and the subject are named on purpose.
    return ChildSummary(name, text, released, hits=hits, child_index=index, allowed=(name, "John Edward SMITH"),
                        removals=(Removal(Reason.OFFENCE, "offence", FORBIDDEN[0], DOC_TEXT.split(". ")[2]),))


def minutes_summaries() -> tuple[ChildSummary, ...]:
    return (summary("Amy Brown", 0), summary("Ben Brown", 1))


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def assert_never_on_child_file(session: Session, document: Document, plaintext: str) -> None:
    """POLICY 1: no row of any table linking to a child carries the full document, its text or a path to it;
    no file such a row points at contains the document's confidential text."""
    from outputs.docs import docx_text

    markers = [document.sha256, document.filename, *FORBIDDEN]
    if document.store_path:
        markers.append(document.store_path)
    checked = 0
    for table in tables_linking_to_children():
        if table.name == "subjects":
            continue  # the restricted subject record itself (own_child_id: POLICY 1's one exception)
        for row in session.execute(table.select()).mappings():
            for col, value in row.items():
                if not isinstance(value, str) or not value:
                    continue
                for m in markers:
                    assert m not in value, f"{table.name}.{col} carries {m!r}"
                p = Path(value)
                if value.startswith("/") and p.is_file():
                    body = docx_text(p) if p.suffix == ".docx" else p.read_text(errors="ignore")
                    for m in FORBIDDEN:
                        assert m not in body, f"{table.name}.{col} -> {p} contains {m!r}"
                    assert plaintext[:60] not in body
                    checked += 1
            checked += 1
    assert checked > 0
