"""The QA manager's work through the real app: correct, approve (summary delivered), re-run, shred, figures."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy import select

from mappa.corrections import learned_labels
from outputs.docs import docx_text
from outputs.records import AuditEntry, Correction, Destruction, Summary
from outputs.schema import Document
from tests.web.conftest import csrf_of, login
from tests.web.world import World


def _fields(client: TestClient, doc_id: int, **values: str) -> object:
    page = client.get(f"/review/{doc_id}")
    return client.post(f"/review/{doc_id}/fields", data={**values, "csrf_token": csrf_of(page.text)},
                       follow_redirects=False)


def _decide(client: TestClient, doc_id: int, decision: str) -> object:
    page = client.get(f"/review/{doc_id}")
    return client.post(f"/review/{doc_id}/decision", data={"decision": decision, "csrf_token": csrf_of(page.text)},
                       follow_redirects=False)


def test_review_page_marks_the_source_and_the_removals(client: TestClient, world: World) -> None:
    login(client, "quinn")
    html = client.get(f"/review/{world.review_doc}").text
    # The extracted name's span is marked in the source text, with the id the field list links to.
    assert '<mark id="src-subjects-0-name" title="subject 1: name">SMYTHE</mark>' in html
    assert 'href="#src-subjects-0-name"' in html
    # Each removed item with its reason code, struck through in its sentence.
    assert "<del>Snaresbrook Crown Court</del> <span class=\"code\">[JUSTICE_PLACE]</span>" in html
    assert "[OFFENCE]" in html
    assert 'for="f-subjects.0.dob"' in html and 'id="f-subjects.0.dob"' in html  # every field has its label


def test_correct_then_approve_delivers_the_summary(client: TestClient, world: World) -> None:
    login(client, "quinn")
    r = _fields(client, world.review_doc, **{"subjects.0.name": "John SMYTHE", "subjects.0.dob": "1980-03-12",
                                             "children.0.relationship": "daughter"})
    assert r.status_code == 303 and r.headers["location"].endswith("saved=2")
    with world.runtime.sessions() as session:
        rows = list(session.scalars(select(Correction).order_by(Correction.id)))
        facts = json.loads(session.get(Document, world.review_doc).facts_json)
    by_field = {c.field: c for c in rows}
    assert by_field["subjects.0.name"].old_value == "SMYTHE" and by_field["subjects.0.name"].new_value == "John SMYTHE"
    assert by_field["subjects.0.name"].by == "quinn" and by_field["subjects.0.dob"].new_value == "1980-03-12"
    assert facts["subjects"][0]["name"]["value"] == "John SMYTHE" and facts["subjects"][0]["name"]["confidence"] == 1.0
    # The label before the right value is learned for this document's source.
    with world.runtime.sessions() as session:
        assert learned_labels(session) == {"police-share": {"subjects.name": ("Nominal:",)}}

    r = _decide(client, world.review_doc, "approve")
    assert r.status_code == 303, r.text
    with world.runtime.sessions() as session:
        doc = session.get(Document, world.review_doc)
        summary = session.scalars(select(Summary).where(Summary.document_id == world.review_doc)).one()
        actions = [e.action for e in session.scalars(select(AuditEntry))]
        assert doc.state == "filed" and doc.subject_id == world.subject_john  # matched on the corrected name + dob
        assert summary.status == "delivered" and summary.decided_by == "quinn"
    delivered = list(world.deliveries.glob("*.docx"))
    assert any("risk of sexual harm" in docx_text(p) and "Snaresbrook" not in docx_text(p) for p in delivered)
    assert "review.correct" in actions and "review.approve" in actions
    # And Alice's worker now sees it.
    sam = login(TestClient(client.app, base_url="http://127.0.0.1"), "sam")
    assert "risk of sexual harm to female children" in sam.get(f"/my/summaries/{summary.id}").text


def test_bad_values_are_refused_and_nothing_is_stored(client: TestClient, world: World) -> None:
    login(client, "quinn")
    r = _fields(client, world.review_doc, **{"subjects.0.dob": "31/02/1980", "subjects.0.mappa_level": "7",
                                             "subjects.0.name": "Changed"})
    assert r.status_code == 400 and "is not a date" in r.text and "1 to 3" in r.text
    with world.runtime.sessions() as session:
        assert session.scalars(select(Correction)).first() is None


def test_choosing_the_subject_record_and_reject(client: TestClient, world: World) -> None:
    login(client, "quinn")
    r = _fields(client, world.review_doc, **{"subject_match.0": str(world.subject_peter)})
    assert r.headers["location"].endswith("saved=1")
    with world.runtime.sessions() as session:
        facts = json.loads(session.get(Document, world.review_doc).facts_json)
    assert facts["subject_matches"][0] == {"status": "matched", "record_id": world.subject_peter, "score": 100.0,
                                           "candidates": []}
    assert _decide(client, world.review_doc, "reject").status_code == 303
    with world.runtime.sessions() as session:
        summary = session.scalars(select(Summary).where(Summary.document_id == world.review_doc)).one()
        assert summary.status == "withdrawn"
        assert session.get(Document, world.review_doc).state == "filed"
    assert not list(world.deliveries.glob("*C-100*"))  # nothing reached Alice's worker


def test_rerun_sends_it_back_to_the_start(client: TestClient, world: World) -> None:
    login(client, "quinn")
    assert _decide(client, world.review_doc, "rerun").status_code == 303
    with world.runtime.sessions() as session:
        assert session.get(Document, world.review_doc).state == "claimed"
    # No longer in review: the form is gone and a decision is refused.
    assert 'id="approve"' not in client.get(f"/review/{world.review_doc}").text
    page = client.get(f"/documents/{world.review_doc}")
    r = client.post(f"/review/{world.review_doc}/decision", data={"decision": "approve",
                                                                  "csrf_token": csrf_of(page.text)})
    assert r.status_code == 409


def test_shred_needs_the_typed_name(client: TestClient, world: World) -> None:
    login(client, "ada")
    page = client.get("/shred")
    assert "old agenda.pdf" in page.text
    token = csrf_of(page.text)
    r = client.post(f"/shred/{world.shred_doc}", data={"confirm_name": "old agenda", "csrf_token": token})
    assert r.status_code == 400 and "nothing was destroyed" in r.text
    assert world.runtime.vault.exists(f"doc-{'ab' * 32}")
    r = client.post(f"/shred/{world.shred_doc}", data={"confirm_name": "old agenda.pdf", "csrf_token": token})
    assert r.status_code == 200 and "destruction recorded" in r.text
    assert not world.runtime.vault.exists(f"doc-{'ab' * 32}")
    with world.runtime.sessions() as session:
        record = session.scalars(select(Destruction)).one()
        assert record.destroyed_by == "ada" and record.sha256 == "ab" * 32
        assert session.get(Document, world.shred_doc).state == "destroyed"


def test_figures_count_every_correction(client: TestClient, world: World) -> None:
    login(client, "quinn")
    before = client.get("/qa/figures").text
    assert '<span id="total-corrections">0</span>' in before
    _fields(client, world.review_doc, **{"subjects.0.name": "John SMYTHE", "meeting_date": "2025-06-11"})
    html = client.get("/qa/figures").text
    assert '<span id="total-corrections">2</span>' in html
    assert "<svg" in html and "<rect" in html
    assert ">subjects.name</td>" in html and ">meeting_date</td>" in html
    assert ">minutes</td>" in html and ">police-share</td>" in html
    assert ">label</td>" not in html.split("Latest corrections")[0]  # learned labels are not errors
