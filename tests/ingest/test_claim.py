"""The rules for taking a file out of the inbox: what is junk, what is refused, when it is complete."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from ingest.claim import (
    ChangedWhileReading,
    Refusal,
    SettleTracker,
    display_name,
    hash_file,
    is_junk,
    move_out,
    refusal_for,
)


@pytest.mark.parametrize("name", [
    "~$minutes.docx", ".~lock.minutes.docx#", "upload.tmp", "minutes.pdf.part", ".DS_Store", "Thumbs.db",
    "desktop.ini", "THUMBS.DB", "report.docx.crdownload", "._minutes.pdf",
])
def test_junk_is_ignored(name: str) -> None:
    assert is_junk(name)


@pytest.mark.parametrize("name", [
    "minutes.pdf", "MAPPA minutes 7 May 2025.docx", "tmp-report.pdf", "partner letter.pdf", "lock.docx",
    "Cofnodion – Siân.docx", "x" * 200 + ".pdf", "thumbs.db.pdf",
])
def test_real_documents_are_not_junk(name: str) -> None:
    assert not is_junk(name)


def test_symlink_refused(tmp_path: Path) -> None:
    target = tmp_path / "secret.txt"
    target.write_text("not for the inbox")
    link = tmp_path / "link.pdf"
    link.symlink_to(target)
    assert refusal_for(os.lstat(link)) is Refusal.SYMLINK


def test_hardlink_refused(tmp_path: Path) -> None:
    original = tmp_path / "a.pdf"
    original.write_bytes(b"%PDF-1.4")
    os.link(original, tmp_path / "b.pdf")
    assert refusal_for(os.lstat(tmp_path / "b.pdf")) is Refusal.HARDLINK


def test_fifo_and_directory_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    assert refusal_for(os.lstat(fifo)) is Refusal.NOT_REGULAR
    (tmp_path / "folder").mkdir()
    assert refusal_for(os.lstat(tmp_path / "folder")) is Refusal.DIRECTORY


def test_regular_file_accepted(tmp_path: Path) -> None:
    f = tmp_path / "minutes.pdf"
    f.write_bytes(b"%PDF-1.4 content")
    assert refusal_for(os.lstat(f)) is None


def test_settle_needs_quiet_period(tmp_path: Path) -> None:
    f = tmp_path / "a.pdf"
    f.write_bytes(b"one")
    tracker = SettleTracker.create(settle=2.0)
    assert not tracker.observe(f, os.lstat(f), now=100.0)
    assert not tracker.observe(f, os.lstat(f), now=101.0)
    with open(f, "ab") as fh:  # still being written
        fh.write(b" two")
    os.utime(f, ns=(time.time_ns(), time.time_ns() + 1_000_000))
    assert not tracker.observe(f, os.lstat(f), now=101.5)
    assert not tracker.observe(f, os.lstat(f), now=103.0)
    assert tracker.observe(f, os.lstat(f), now=103.6)


def test_empty_file_waits_longer_but_is_eventually_taken(tmp_path: Path) -> None:
    f = tmp_path / "empty.pdf"
    f.touch()
    tracker = SettleTracker.create(settle=1.0)
    assert not tracker.observe(f, os.lstat(f), now=0.0)
    assert not tracker.observe(f, os.lstat(f), now=1.5)
    assert tracker.observe(f, os.lstat(f), now=tracker.empty_grace + 0.1)


def test_hash_file_notices_growth_during_read(tmp_path: Path) -> None:
    f = tmp_path / "big.pdf"
    f.write_bytes(b"x" * (64 << 20))
    stop = threading.Event()

    def append() -> None:
        with open(f, "ab") as fh:
            while not stop.is_set():
                fh.write(b"y" * 4096)
                fh.flush()

    writer = threading.Thread(target=append)
    writer.start()
    try:
        with pytest.raises(ChangedWhileReading):
            for _ in range(20):
                hash_file(f)
    finally:
        stop.set()
        writer.join()


def test_hash_file_refuses_to_follow_symlink(tmp_path: Path) -> None:
    target = tmp_path / "t"
    target.write_text("x")
    (tmp_path / "l").symlink_to(target)
    with pytest.raises(OSError):
        hash_file(tmp_path / "l")


def test_move_out_same_filesystem(tmp_path: Path) -> None:
    src = tmp_path / "in" / "a b ü.pdf"
    src.parent.mkdir()
    src.write_bytes(b"content")
    sha = hash_file(src).sha256
    dst = tmp_path / "store" / "1"
    move_out(src, dst, sha)
    assert not src.exists() and dst.read_bytes() == b"content"


@pytest.mark.skipif(os.stat("/dev/shm").st_dev == os.stat("/tmp").st_dev, reason="needs two filesystems")
def test_move_out_across_filesystems_copies_verifies_then_removes(tmp_path: Path) -> None:
    shm = Path("/dev/shm") / f"mappa-test-{os.getpid()}"
    shm.mkdir(exist_ok=True)
    src = shm / "minutes.pdf"
    src.write_bytes(b"cross-device content" * 1000)
    sha = hash_file(src).sha256
    dst = tmp_path / "store" / "7"
    try:
        move_out(src, dst, sha)
        assert not src.exists()
        assert hash_file(dst).sha256 == sha
        assert not list(dst.parent.glob("*.copying"))
    finally:
        src.unlink(missing_ok=True)
        shm.rmdir()


def test_display_name_survives_undecodable_bytes(tmp_path: Path) -> None:
    raw = os.fsencode(str(tmp_path)) + b"/minutes-\xff\xfe.pdf"
    path = Path(os.fsdecode(raw))
    assert "minutes-" in display_name(path)
    display_name(path).encode("utf-8")  # storable
