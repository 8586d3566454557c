"""What the QA manager teaches survives: a re-run keeps corrections, and a learned label is used.

These run the real pipeline (reader in a child process, spaCy, understanding, summary,
outputs) on a real workspace made by ``initialise``; only the web page is left out, since
the web tests already show that a correction is stored as a ``corrections`` row.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

import pytest

from mappa import journal
from mappa.corrections import LABEL_FIELD
from mappa.initialise import initialise
from mappa.service import Runtime
from mappa.settings import load_settings
from outputs.records import Correction
from outputs.schema import Document

# A force that writes its subject as "Main party:", a label the service does not know.
LETTER = """MAPPA Level 2 meeting minutes
Date of meeting: 14/05/2025
Main party: Darren {surname}
Date of birth: 03/02/1984

Risk
He poses a high risk of serious harm to children through emotional abuse.

Next review: 10/09/2025
"""


@pytest.fixture()
def runtime(tmp_path: Path) -> Runtime:
    config = initialise(tmp_path)
    return Runtime.open(load_settings(config, environ={}))


def _run(runtime: Runtime, name: str, text: str, source: str = "police-share") -> int:
    data = text.encode()
    with runtime.sessions() as session:
        doc = Document(filename=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data), state="claimed",
                       source=source, doc_type_hint="")
        session.add(doc)
        session.flush()
        doc.store_path = str(runtime.vault.put(journal.doc_blob(doc.sha256), data))
        session.commit()
        doc_id = doc.id
    runtime.pipeline().advance(doc_id)
    return doc_id


def _facts(runtime: Runtime, doc_id: int) -> dict:  # type: ignore[type-arg]
    with runtime.sessions() as session:
        return json.loads(session.get_one(Document, doc_id).facts_json or "{}")


def _names(facts: dict) -> list[str]:  # type: ignore[type-arg]
    return [s["name"]["value"] for s in facts.get("subjects") or []]


def test_a_rerun_keeps_what_the_reviewer_corrected(runtime: Runtime) -> None:
    doc_id = _run(runtime, "minutes.txt", LETTER.format(surname="PARKES"))
    first = _facts(runtime, doc_id)
    with runtime.sessions() as session:
        session.add_all([
            Correction(document_id=doc_id, field="subjects.0.name", old_value=_names(first)[0] if _names(first) else "",
                       new_value="Darren PARKES-HILL", by="quinn", at=datetime(2025, 6, 1), source="review"),
            Correction(document_id=doc_id, field="meeting_date", old_value="2025-05-14", new_value="2025-05-15",
                       by="quinn", at=datetime(2025, 6, 1), source="review"),
        ])
        doc = session.get_one(Document, doc_id)
        journal.set_state(session, doc, "claimed", "re-run requested at review by quinn", [])
        session.commit()
    runtime.pipeline().advance(doc_id)
    again = _facts(runtime, doc_id)
    assert _names(again)[0] == "Darren PARKES-HILL"
    assert again["subjects"][0]["name"]["confidence"] == 1.0
    assert again["meeting_date"]["value"] == "2025-05-15"


def test_a_label_taught_for_a_source_finds_the_subject_next_time(runtime: Runtime) -> None:
    untaught = _facts(runtime, _run(runtime, "first.txt", LETTER.format(surname="PARKES")))
    with runtime.sessions() as session:
        session.add(Correction(document_id=1, field=LABEL_FIELD, old_value="subjects.name", new_value="Main party:",
                               by="quinn", at=datetime(2025, 6, 1), source="police-share"))
        session.commit()
    taught = _facts(runtime, _run(runtime, "second.txt", LETTER.format(surname="OKAFOR")))
    elsewhere = _facts(runtime, _run(runtime, "third.txt", LETTER.format(surname="NWOSU"), source="inbox"))
    assert _names(taught)[0] == "Darren OKAFOR"
    assert taught["subjects"][0]["name"]["confidence"] > untaught["subjects"][0]["name"]["confidence"]
    # Taught for the police share only: the same wording from another folder is not helped.
    assert elsewhere["subjects"][0]["name"]["confidence"] == untaught["subjects"][0]["name"]["confidence"]
