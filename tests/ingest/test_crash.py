"""SIGKILL a running ``mappa watch`` at random moments while 200+ documents flow through it.

After the last restart every document must rest in exactly one terminal state, no file may
be left behind or lost, no content may be processed twice, and each output must exist once.
The figures are printed for the closing note (run with ``-s`` to see them).
"""

from __future__ import annotations

import hashlib
import json
import random
import signal
import sqlite3
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.ingest.helpers import RESTING, Workspace, minutes_case, records_csv, stop

DOCUMENTS = 200
DUPLICATES = 10


@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_sigkill_at_random_moments_loses_nothing_and_repeats_nothing(tmp_path: Path) -> None:
    rng = random.Random(20251123)
    ws = Workspace(tmp_path, settle=0.2)
    cases = [minutes_case(i, rng) for i in range(DOCUMENTS)]
    texts = [c["text"] for c in cases]
    # The council knows these people, so documents take the whole path: filed, summaries delivered.
    (tmp_path / "records.csv").write_text(records_csv(cases))
    ws.run("records", "import", str(tmp_path / "records.csv"), "--config", str(ws.config))
    expected = {hashlib.sha256(t.encode()).hexdigest() for t in texts}
    pending = [(f"minutes {i:03d}.txt", t) for i, t in enumerate(texts)]
    pending += [(f"copy of minutes {i:03d}.txt", texts[i]) for i in rng.sample(range(DOCUMENTS), DUPLICATES)]
    rng.shuffle(pending)

    kills = 0
    proc = ws.start_watch()
    deadline = time.monotonic() + 1200
    while time.monotonic() < deadline:
        for _ in range(rng.randint(5, 25)):  # the admin team drops a batch
            if pending:
                name, text = pending.pop()
                tmp = ws.inbox / f"{name}.part"
                tmp.write_text(text)
                tmp.rename(ws.inbox / name)
        time.sleep(rng.uniform(0.5, 4.0))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait(30)
            kills += 1
        proc = ws.start_watch()
        if not pending and kills >= 10:
            break
    try:
        rows = ws.wait_for(lambda rs: len(rs) >= DOCUMENTS + DUPLICATES and all(r["state"] in RESTING for r in rs),
                           timeout=600, interval=2)
    finally:
        stop(proc)

    originals = [r for r in rows if r["duplicate_of"] is None and r.get("parent_id") is None]
    duplicates = [r for r in rows if r["duplicate_of"] is not None]
    by_sha = Counter(r["sha256"] for r in originals)
    lost = expected - set(by_sha)
    processed_twice = [sha for sha, n in by_sha.items() if n > 1]
    db = sqlite3.connect(tmp_path / "data" / "mappa.db")
    facts_on_duplicates = db.execute(
        "select count(*) from documents where duplicate_of is not null and facts_json is not null").fetchone()[0]
    summary_dupes = db.execute(
        "select count(*) from (select document_id, child_index, count(*) c from summaries "
        "group by document_id, child_index having c > 1)").fetchone()[0]
    # Outputs exactly once: each delivered summary is one file in the team's folder and one
    # ledger row; each filed document's own copies, diary entries and actions are not repeated.
    outputs = tmp_path / "data" / "outputs"
    delivered_files = Counter(p.name for p in (tmp_path / "data" / "deliveries").rglob("*.docx"))  # default folder
    own_copies = Counter(p.name for p in (outputs / "summaries").rglob("*.docx"))
    delivered_rows = db.execute("select count(*) from summaries where status = 'delivered'").fetchone()[0]
    ledger = db.execute("select count(*), count(distinct key) from deliveries where status = 'sent'").fetchone()
    repeated_rows = {table: db.execute(f"select count(*) from (select {cols}, count(*) c from {table} "  # noqa: S608
                                       f"group by {cols} having c > 1)").fetchone()[0]
                     for table, cols in [("diary", "subject_id, document_id, kind"), ("actions", "document_id, position"),
                                         ("relationships", "child_id, subject_id")]}
    figures = {
        "documents": DOCUMENTS, "duplicate_drops": DUPLICATES, "kills": kills, "rows": len(rows),
        "lost": len(lost), "processed_twice": len(processed_twice) + facts_on_duplicates,
        "states": dict(Counter(r["state"] for r in rows)), "summary_rows_duplicated": summary_dupes,
        "summaries_delivered": delivered_rows, "delivered_files": sum(delivered_files.values()),
        "delivered_files_repeated": sum(n - 1 for n in delivered_files.values()),
        "deliveries_sent": ledger[0], "repeated_rows": repeated_rows,
        "summary_states": dict(db.execute("select status, count(*) from summaries group by status").fetchall()),
    }
    print("\nCRASH TEST FIGURES", json.dumps(figures))
    assert kills >= 10
    assert not lost, f"lost documents: {lost}"
    assert not processed_twice and facts_on_duplicates == 0
    assert len(duplicates) == DUPLICATES
    assert all(r["state"] in RESTING for r in rows)
    assert summary_dupes == 0
    filed = [r for r in rows if r["state"] == "filed"]
    assert len(filed) >= DOCUMENTS // 2, "most documents should take the whole path (records were imported)"
    assert delivered_rows >= len(filed) // 2
    assert sum(delivered_files.values()) == delivered_rows == ledger[0] == ledger[1]
    assert all(n == 1 for n in delivered_files.values()) and all(n == 1 for n in own_copies.values())
    assert set(own_copies) == set(delivered_files)
    assert repeated_rows == {"diary": 0, "actions": 0, "relationships": 0}
    assert not [p for p in ws.inbox.iterdir()], "files left in the inbox"
    assert not list((tmp_path / "data" / "store" / "incoming").iterdir()), "plaintext left in the store"
    every_state_once = db.execute(
        "select count(*) from documents where state not in "
        "('filed','shred_queued','in_review','destroyed','duplicate')").fetchone()[0]
    assert every_state_once == 0
