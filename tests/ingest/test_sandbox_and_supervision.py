"""A hostile reader costs one document, never the watcher; a dead observer is replaced."""

from __future__ import annotations

import ctypes
import os
import time
from pathlib import Path

from extract.model import ReadFailure
from ingest.sandbox import run_isolated
from ingest.watcher import Folder, Watcher


def _forever() -> None:
    while True:
        time.sleep(1)


def _hog() -> bytes:
    return b"x" * (4 << 30)


def _segfault() -> None:
    ctypes.string_at(0)


def _raises() -> None:
    raise ValueError("bad table structure")


def _fine(x: int) -> int:
    return x * 2


def test_hang_is_stopped_at_the_time_limit() -> None:
    started = time.monotonic()
    result = run_isolated(_forever, (), timeout=1.0, memory_mb=256)
    assert isinstance(result, ReadFailure) and result.code == "timeout"
    assert "timed out after" in result.reason
    assert time.monotonic() - started < 10


def test_memory_hog_is_capped() -> None:
    result = run_isolated(_hog, (), timeout=30, memory_mb=256)
    assert isinstance(result, ReadFailure) and result.code in ("too_large", "crashed")


def test_crash_in_native_code_is_a_value() -> None:
    result = run_isolated(_segfault, (), timeout=30, memory_mb=256)
    assert isinstance(result, ReadFailure) and result.code == "crashed"


def test_exception_is_a_value_and_normal_results_come_back() -> None:
    failure = run_isolated(_raises, (), timeout=30, memory_mb=256)
    assert isinstance(failure, ReadFailure) and "bad table structure" in failure.reason
    assert run_isolated(_fine, (21,), timeout=30, memory_mb=256) == 42


def test_dead_observer_is_restarted_and_rescan_still_finds_files(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    watcher = Watcher((Folder(inbox, polling=True),), settle_seconds=0.0, rescan_seconds=0.2, poll_interval=0.1)
    try:
        watcher.poll(force_scan=True)
        observer = next(iter(watcher._observers.values()))
        observer.stop()  # what a share going offline does to the polling observer
        observer.join(5)
        (inbox / "a.pdf").write_bytes(b"%PDF-1.4 x")
        found: list[str] = []
        deadline = time.monotonic() + 10
        while not found and time.monotonic() < deadline:
            ready, _ = watcher.poll()
            found = [c.path.name for c in ready]
            time.sleep(0.1)
        assert watcher.observer_restarts >= 1
        assert found == ["a.pdf"]
    finally:
        watcher.stop()


def test_folder_that_vanishes_and_returns_does_not_stop_the_watcher(tmp_path: Path) -> None:
    inbox = tmp_path / "share"
    inbox.mkdir()
    watcher = Watcher((Folder(inbox, polling=True),), settle_seconds=0.0, rescan_seconds=0.1, poll_interval=0.1)
    try:
        watcher.poll(force_scan=True)
        os.rename(inbox, tmp_path / "offline")
        for _ in range(5):
            watcher.poll(force_scan=True)  # must not raise
            time.sleep(0.05)
        os.rename(tmp_path / "offline", inbox)
        (inbox / "b.docx").write_bytes(b"PK")
        names: list[str] = []
        deadline = time.monotonic() + 10
        while not names and time.monotonic() < deadline:
            names = [c.path.name for c in watcher.poll(force_scan=True)[0]]
            time.sleep(0.1)
        assert names == ["b.docx"]
    finally:
        watcher.stop()
