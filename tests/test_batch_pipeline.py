"""Documents worked on in forked children (mappa.batch) come out as the driver alone would make them.

These run the real pipeline (reader, spaCy, understanding, summaries, outputs) on real
workspaces made by ``initialise``: once with children working ahead, once without.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from extract import nlp as nlp_counters
from mappa import journal
from mappa.batch import ReadAhead, _Running
from mappa.initialise import initialise
from mappa.pipeline import Pipeline, Prepared, load_summaries
from mappa.service import Runtime
from mappa.settings import load_settings
from outputs.records import Subject
from outputs.schema import Document
from tests.ingest.helpers import minutes_text


def _runtime(root: Path) -> Runtime:
    root.mkdir()
    return Runtime.open(load_settings(initialise(root), environ={}))


def _claim(runtime: Runtime, name: str, text: str) -> int:
    data = text.encode()
    with runtime.sessions() as session:
        doc = Document(filename=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data), state="claimed",
                       source="police-share", doc_type_hint="")
        session.add(doc)
        session.flush()
        doc.store_path = str(runtime.vault.put(journal.doc_blob(doc.sha256), data))
        session.commit()
        return doc.id


def _pipeline(runtime: Runtime, ahead: bool, collected: list[Any]) -> Pipeline:
    pipeline = runtime.pipeline()
    if not ahead:
        pipeline.ahead = None
        return pipeline
    assert pipeline.ahead is not None
    pipeline.ahead.workers = 1
    collect = pipeline._collect

    def recording(doc_id: int) -> Prepared | None:
        got = collect(doc_id)
        collected.append(got)
        return got

    pipeline._collect = recording  # type: ignore[method-assign]
    return pipeline


def _outcome(runtime: Runtime) -> list[tuple[str, Any, list[tuple[str, str, bool]]]]:
    with runtime.sessions() as session:
        docs = list(session.query(Document).order_by(Document.id))
        return [(d.state, json.loads(d.facts_json or "{}"),
                 [(s.child_name, s.text, s.released) for s in load_summaries(runtime.vault, d)]) for d in docs]


def _stored_blobs(runtime: Runtime) -> list[tuple[Any, bytes]]:
    """The text (less the time its read took) and the summaries, byte for byte, each document
    left in the vault."""
    with runtime.sessions() as session:
        shas = list(session.scalars(select(Document.sha256).order_by(Document.id)))
    out: list[tuple[Any, bytes]] = []
    for sha in shas:
        text = json.loads(runtime.vault.get(journal.text_blob(sha)))
        assert text.pop("seconds") >= 0
        out.append((text, runtime.vault.get(journal.summary_blob(sha))))
    return out


def test_children_working_ahead_make_what_the_driver_alone_makes(tmp_path: Path) -> None:
    rng = random.Random(8)
    texts = [minutes_text(i, rng) for i in range(4)]
    outcomes = []
    blobs: list[list[tuple[Any, bytes]]] = []
    for ahead in (True, False):
        runtime = _runtime(tmp_path / ("ahead" if ahead else "alone"))
        for i, text in enumerate(texts):
            _claim(runtime, f"minutes-{i}.txt", text)
        collected: list[Any] = []
        nlp_counters.reset_counters()
        assert _pipeline(runtime, ahead, collected).run_pending() == len(texts)
        assert nlp_counters.pass_count() == len(texts)  # the children's parses, counted once each
        if ahead:
            assert len(collected) == len(texts) and all(isinstance(p, Prepared) for p in collected)
        outcomes.append(_outcome(runtime))
        blobs.append(_stored_blobs(runtime))
    assert outcomes[0] == outcomes[1]
    assert blobs[0] == blobs[1]  # the workers' JSON is the driver's, byte for byte
    assert all(summaries for _, _, summaries in outcomes[0])


def _two_minutes(runtime: Runtime, seed: int) -> tuple[int, str, date]:
    """Two sets of minutes claimed in turn: the first's id, the second's subject and birth date."""
    rng = random.Random(seed)
    first = _claim(runtime, "first.txt", minutes_text(1, rng))
    second_text = minutes_text(2, rng)
    _claim(runtime, "second.txt", second_text)
    name = second_text.split("Subject: ", 1)[1].split("\n", 1)[0]
    day, month, year = (int(x) for x in second_text.split("Date of birth: ", 1)[1].split("\n", 1)[0].split("/"))
    return first, name, date(year, month, day)


def test_a_record_added_while_a_child_works_is_used(tmp_path: Path) -> None:
    runtime = _runtime(tmp_path / "ws")
    first, name, born = _two_minutes(runtime, 9)
    added: list[int] = []

    def done(doc_id: int, _state: str) -> None:
        if doc_id == first:  # the second document's child was forked before this record existed
            with runtime.sessions() as session:
                subject = Subject(ref="S-LATE", name=name, aliases=[], dob=born)
                session.add(subject)
                session.commit()
                added.append(subject.id)

    collected: list[Any] = []
    nlp_counters.reset_counters()
    _pipeline(runtime, True, collected).run_pending(done)
    assert [isinstance(p, Prepared) for p in collected] == [True, True]
    assert nlp_counters.pass_count() == 2  # the fields were made again from the child's parse
    facts = _outcome(runtime)[1][1]
    (match,) = facts["subject_matches"]
    assert match["status"] == "matched" and match["record_id"] == added[0]


def test_identifiers_changed_while_a_child_works_remake_the_summaries_from_its_parse(tmp_path: Path) -> None:
    """The child's fields still hold (the people are the same) but the identifiers its summaries
    were checked against do not: the driver makes the summaries again, from the child's parse
    (unpacked only now), with no second spaCy pass."""
    runtime = _runtime(tmp_path / "ws")
    first, name, born = _two_minutes(runtime, 10)
    with runtime.sessions() as session:
        subject = Subject(ref="S-2", name=name, aliases=[], dob=born)
        session.add(subject)
        session.commit()
        subject_id = subject.id

    def done(doc_id: int, _state: str) -> None:
        if doc_id == first:
            with runtime.sessions() as session:
                session.get_one(Subject, subject_id).address = "14 Larch Close"
                session.commit()

    collected: list[Any] = []
    pipeline = _pipeline(runtime, True, collected)
    made_here: list[int] = []
    summarise = pipeline.stages.summarise

    def counting(*args: Any, **kwargs: Any) -> Any:
        made_here.append(1)  # in the driver only: a forked child counts in its own memory
        return summarise(*args, **kwargs)

    pipeline.stages.summarise = counting
    nlp_counters.reset_counters()
    pipeline.run_pending(done)
    assert [isinstance(p, Prepared) for p in collected] == [True, True]
    assert len(made_here) == 1
    assert nlp_counters.pass_count() == 2
    facts = _outcome(runtime)[1][1]
    assert facts["subject_matches"][0]["record_id"] == subject_id
    assert _outcome(runtime)[1][2]


def test_the_records_a_child_is_given_are_the_records_the_driver_reads(tmp_path: Path) -> None:
    from extract.facts import DocType, Facts, Found
    from extract.matching import Match
    from mappa.stages import identifier_snapshot, known_identifiers, known_records
    from outputs.records import Child

    runtime = _runtime(tmp_path / "ws")
    with runtime.sessions() as session:
        full = Subject(ref="S-1", name="Gary Turner", aliases=["Gaz"], dob=date(1977, 11, 7), pnc="77/123456A",
                       cro="12345/77A", prison_number="A1234BC", crn="X123456", visor="VIS1", address="1 Elm Road")
        bare = Subject(ref="S-2", name="Mark Walsh", aliases=[])
        session.add_all([full, bare, Child(file_ref="C-1", name="Ellie Turner", dob=date(2015, 2, 3))])
        session.commit()
        facts = Facts(doc_type=Found(DocType.MINUTES), subject_matches=(Match("matched", full.id), Match("new"),
                                                                         Match("matched", bare.id)))
        from mappa.stages import record_refs

        assert identifier_snapshot(session)(facts) == (known_identifiers(session, facts), record_refs(session, facts))
        assert record_refs(session, facts) == ("S-1", ())
        assert len(known_identifiers(session, facts)) == 8
        people = {p.name: p for p in known_records(session).people}
        assert people["Gary Turner"].aliases == ("Gaz",) and people["Gary Turner"].pnc == "77/123456A"
        assert people["Ellie Turner"].kind == "child" and people["Ellie Turner"].dob == date(2015, 2, 3)


def test_the_records_snapshot_is_rebuilt_after_any_change(tmp_path: Path) -> None:
    from mappa.stages import known_records

    runtime = _runtime(tmp_path / "ws")
    with runtime.sessions() as session:
        session.add(Subject(ref="S-1", name="Gary Turner", aliases=[]))
        session.commit()
        first = known_records(session)
        assert known_records(session) is first  # nothing changed: the same snapshot
        subject = session.query(Subject).one()
        subject.aliases = ["Gaz"]
        session.commit()
        second = known_records(session)
        assert second.people[0].aliases == ("Gaz",)
        session.delete(subject)
        session.commit()
        assert known_records(session).people == ()


def test_the_largest_document_starts_first_and_documents_are_still_finished_in_turn(tmp_path: Path) -> None:
    """A long document that arrived last is started at once (so it does not run alone at the
    end of a batch), the short ones are worked on beside it, and the driver still advances
    them in the order they arrived, so the records do not depend on reading times."""
    rng = random.Random(10)
    runtime = _runtime(tmp_path / "ws")
    short = [_claim(runtime, f"short-{i}.txt", minutes_text(i, rng)) for i in range(4)]
    long = _claim(runtime, "long.txt", "\n\n".join(minutes_text(10 + i, rng) for i in range(12)))
    collected: list[Any] = []
    pipeline = _pipeline(runtime, True, collected)
    assert pipeline.ahead is not None
    started: list[int] = []
    start = pipeline.ahead.start

    def recording(key: int, job: Any) -> bool:
        if not pipeline.ahead.started(key):  # type: ignore[union-attr]
            started.append(key)
        return start(key, job)

    pipeline.ahead.start = recording  # type: ignore[method-assign]
    order: list[int] = []
    assert pipeline.run_pending(lambda doc_id, _state: order.append(doc_id)) == 5
    assert order == [*short, long]
    assert started[:2] == [short[0], long] and sorted(started) == sorted(order)
    assert all(isinstance(p, Prepared) for p in collected) and len(collected) == 5


class _StartsOnly(ReadAhead):
    """A ReadAhead that records which documents it is asked to start, without forking, so the
    choice of what goes on a free core can be checked step by step."""

    def start(self, key: int, args: Any) -> bool:
        if key in self._running:
            return True
        if self.full():
            return False
        self._running[key] = _Running(worker=None, started=time.monotonic(), then=True)  # type: ignore[arg-type]
        return True


def _starts_only(tmp_path: Path, seed: int, shorts: int, longest_parts: int, longer_parts: int,
                 ) -> tuple[Pipeline, _StartsOnly, list[int], int, int]:
    """A pipeline whose workers only record what they are given, over ``shorts`` short
    documents and two long ones (the longest claimed first)."""
    rng = random.Random(seed)
    runtime = _runtime(tmp_path / "ws")
    short = [_claim(runtime, f"short-{i}.txt", minutes_text(i, rng)) for i in range(shorts)]
    longest = _claim(runtime, "longest.txt", "\n\n".join(minutes_text(20 + i, rng) for i in range(longest_parts)))
    longer = _claim(runtime, "longer.txt", "\n\n".join(minutes_text(200 + i, rng) for i in range(longer_parts)))
    pipeline = runtime.pipeline()
    assert pipeline.ahead is not None
    ahead = _StartsOnly(pipeline.ahead.read, pipeline.ahead.timeout, pipeline.ahead.memory_mb, workers=1)
    pipeline.ahead = ahead
    return pipeline, ahead, short, longest, longer


def test_a_core_freed_while_the_next_document_is_worked_on_goes_to_the_dearest(tmp_path: Path) -> None:
    """When the long document's worker finishes while the worker of the document the driver
    needs next is still busy, the freed core takes the next dearest (here a second long
    document), not a second short one in turn: otherwise the dear ones start last and run
    alone at the end of the batch."""
    pipeline, ahead, short, longest, longer = _starts_only(tmp_path, 11, 5, 12, 6)
    remaining = [*short, longest, longer]

    pipeline._read_ahead(remaining)
    assert list(ahead._running) == [short[0], longest]  # the next in turn, and the dearest

    del ahead._running[short[0]]  # the driver took the first document's work
    remaining.pop(0)
    pipeline._read_ahead(remaining)
    assert list(ahead._running) == [longest, short[1]]  # the in-turn core goes on in turn

    ahead._running[longest].done = True  # the long one finished; short[1] is still being worked on
    pipeline._read_ahead(remaining)
    assert list(ahead._running) == [longest, short[1], longer]


def test_the_core_in_turn_stays_in_turn_while_a_dear_document_waits(tmp_path: Path) -> None:
    """The dear core busy with the longest document, a second long one waits: the core in turn
    goes on with the documents in turn, up to the long one's own turn. The driver files in
    turn, so what that core works on is what keeps it busy: a scan sent there near the end of
    the benchmark's batch left the driver waiting, then filing a backlog on one core after the
    workers were done."""
    pipeline, ahead, short, longest, longer = _starts_only(tmp_path, 12, 12, 80, 40)
    remaining = [*short, longer, longest]

    pipeline._read_ahead(remaining)
    assert list(ahead._running) == [short[0], longest]  # the next in turn, and the dearest
    while remaining[0] != longer:
        taken = remaining.pop(0)  # the driver takes the document in turn; its core is free again
        del ahead._running[taken]
        pipeline._read_ahead(remaining)
        assert [k for k in ahead._running if k != longest] == [remaining[0]]
