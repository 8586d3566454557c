"""The real ``mappa watch`` process: files written slowly, polling mode, links, duplicates."""

from __future__ import annotations

import hashlib
import random
import time
from pathlib import Path

import pytest

from tests.ingest.helpers import RESTING, Workspace, minutes_text, stop

pytestmark = pytest.mark.timeout(300)


def _write_in_chunks(path: Path, data: bytes, seconds: float, chunks: int = 8) -> None:
    size = len(data) // chunks + 1
    with open(path, "wb") as fh:
        for i in range(chunks):
            fh.write(data[i * size:(i + 1) * size])
            fh.flush()
            time.sleep(seconds / chunks)


@pytest.mark.parametrize("polling", [False, True], ids=["native-events", "polling"])
def test_file_written_in_chunks_is_claimed_once_complete(tmp_path: Path, polling: bool) -> None:
    ws = Workspace(tmp_path, settle=1.0)
    if polling:
        ws.config.write_text(ws.config.read_text().replace("polling = false", "polling = true"))
    proc = ws.start_watch()
    try:
        data = minutes_text(1, random.Random(1)).encode() * 40
        _write_in_chunks(ws.inbox / "slow minutes.txt", data, seconds=4.0)
        rows = ws.wait_for(lambda rs: len(rs) == 1 and rs[0]["state"] in RESTING)
        assert rows[0]["sha256"] == hashlib.sha256(data).hexdigest()  # the complete file, not a prefix
        time.sleep(1.5)
        assert len(ws.status()) == 1  # claimed once
        assert not any(ws.inbox.iterdir())
    finally:
        stop(proc)


def test_symlink_refused_target_untouched_and_next_file_processed(tmp_path: Path) -> None:
    ws = Workspace(tmp_path, settle=0.2)
    secret = tmp_path / "elsewhere.txt"
    secret.write_text(minutes_text(2, random.Random(2)))
    before = secret.stat()
    (ws.inbox / "minutes.txt").symlink_to(secret)
    (ws.inbox / "real.txt").write_text(minutes_text(3, random.Random(3)))
    ws.run("watch", "--once", "--config", str(ws.config))
    rows = ws.status()
    assert [r["filename"] for r in rows] == ["real.txt"]
    assert secret.read_text() == minutes_text(2, random.Random(2))
    assert secret.stat().st_mtime_ns == before.st_mtime_ns
    rejected = list((tmp_path / "data" / "rejected").iterdir())
    assert any(p.is_symlink() for p in rejected)


def test_duplicate_recognised_and_not_processed_twice(tmp_path: Path) -> None:
    ws = Workspace(tmp_path, settle=0.2)
    text = minutes_text(4, random.Random(4))
    (ws.inbox / "minutes.txt").write_text(text)
    ws.run("watch", "--once", "--config", str(ws.config))
    (ws.inbox / "minutes (copy).txt").write_text(text)
    ws.run("watch", "--once", "--config", str(ws.config))
    rows = {r["filename"]: r for r in ws.status()}
    assert rows["minutes (copy).txt"]["state"] == "duplicate"
    assert rows["minutes (copy).txt"]["duplicate_of"] == rows["minutes.txt"]["id"]
    shown = ws.run("show", str(rows["minutes (copy).txt"]["id"]), "--json", "--config", str(ws.config)).stdout
    assert '"summaries": []' in shown.replace("\n", "").replace("  ", " ") or '"summaries":[]' in shown


def test_junk_ignored_and_bad_file_goes_to_review_while_the_next_is_processed(tmp_path: Path) -> None:
    ws = Workspace(tmp_path, settle=0.2)
    (ws.inbox / "~$minutes.docx").write_bytes(b"lock")
    (ws.inbox / "Thumbs.db").write_bytes(b"junk")
    (ws.inbox / "minutes.pdf").write_bytes(b"PK\x03\x04 this is not a pdf at all")
    (ws.inbox / "good.txt").write_text(minutes_text(5, random.Random(5)))
    ws.run("watch", "--once", "--config", str(ws.config))
    rows = {r["filename"]: r for r in ws.status()}
    assert set(rows) == {"minutes.pdf", "good.txt"}
    assert rows["minutes.pdf"]["state"] == "in_review" and rows["minutes.pdf"]["reasons"]
    assert rows["good.txt"]["state"] in RESTING - {"duplicate"}
    assert (ws.inbox / "~$minutes.docx").exists() and (ws.inbox / "Thumbs.db").exists()


def test_status_json_has_the_documented_keys(tmp_path: Path) -> None:
    ws = Workspace(tmp_path, settle=0.1)
    (ws.inbox / "a.txt").write_text(minutes_text(6, random.Random(6)))
    ws.run("watch", "--once", "--config", str(ws.config))
    row = ws.status()[0]
    assert {"id", "filename", "sha256", "state", "doc_type", "reasons", "received_at", "duplicate_of"} <= set(row)


def test_start_up_removes_conversion_folders_a_crash_left(tmp_path: Path) -> None:
    """A legacy conversion in progress when the machine died left a plaintext copy behind."""
    import os

    temp = tmp_path / "tmp"
    (temp / "mappa-convert-abc123").mkdir(parents=True)
    (temp / "mappa-convert-abc123" / "input.doc").write_bytes(b"plaintext minutes")
    long_ago = time.time() - 7200
    os.utime(temp / "mappa-convert-abc123", (long_ago, long_ago))
    (tmp_path / "ws").mkdir()
    ws = Workspace(tmp_path / "ws", settle=0.2, extra_env={"TMPDIR": str(temp)})
    out = ws.run("watch", "--once", "--config", str(ws.config))
    assert not any(temp.iterdir())
    assert "removed 1 conversion folders" in out.stderr
