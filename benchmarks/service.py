"""Driving a real ``mappa watch`` process, as an admin's inbox does, and watching what it costs.

The harness never imports the service: it starts ``python -m mappa.cli`` in a fresh workspace,
drops files into the inbox by an atomic rename (so the file "lands" at one instant), reads the
documents table straight from SQLite (a ``mappa status`` subprocess per poll would itself load
the machine being measured), and samples the memory of the process and all its children.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import psutil

RESTING = ("filed", "shred_queued", "in_review", "destroyed", "duplicate")
MB = 1024 * 1024


class MemorySampler:
    """Peak resident memory of a process tree (the service and its reader children), sampled.

    RSS of forked children counts pages shared with the parent twice, so ``peak_rss`` is an
    upper bound; ``peak_pss`` (proportional set size, shared pages split between sharers) is the
    machine's true cost and is what the 1 GB target is checked against.
    """

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.proc = psutil.Process(pid)
        self.interval = interval
        self.peak_rss = 0
        self.peak_pss = 0
        self.window_rss = 0
        self.window_pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> MemorySampler:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2)

    def reset_window(self) -> None:
        self.window_rss = self.window_pss = 0

    def sample(self) -> None:
        rss = pss = 0
        try:
            procs = [self.proc, *self.proc.children(recursive=True)]
        except psutil.Error:
            return
        for p in procs:
            try:
                full = p.memory_full_info()
            except psutil.Error:
                continue
            rss += full.rss
            pss += getattr(full, "pss", full.rss)
        self.peak_rss = max(self.peak_rss, rss)
        self.peak_pss = max(self.peak_pss, pss)
        self.window_rss = max(self.window_rss, rss)
        self.window_pss = max(self.window_pss, pss)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)


@dataclass
class Landing:
    """One file dropped into the inbox and what became of it."""

    name: str
    dropped: float  # time.time() of the rename into the inbox
    rested: float | None = None  # first time.time() the harness saw a resting state
    state: str = ""
    doc_id: int | None = None
    pages: int | None = None
    received_at: datetime | None = None
    updated_at: datetime | None = None
    peak_pss_mb: float = 0.0
    peak_rss_mb: float = 0.0
    steps: dict[str, float] = field(default_factory=dict)  # seconds per step, from the journal's events

    @property
    def latency(self) -> float | None:
        """Drop to outputs written, as seen from outside (includes the settle period)."""
        return None if self.rested is None else self.rested - self.dropped

    @property
    def processing(self) -> float | None:
        """Claimed to outputs written, from the service's own journal timestamps."""
        if self.received_at is None or self.updated_at is None:
            return None
        return (self.updated_at - self.received_at).total_seconds()


@dataclass
class Workspace:
    """A fresh ``mappa init`` folder with the service tuned for a local inbox."""

    root: Path
    settle: float = 0.5
    poll: float = 0.1
    env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.root.exists():
            shutil.rmtree(self.root)
        self.root.mkdir(parents=True)
        self.env = {**os.environ, **self.env,
                    "MAPPA_SERVICE__SETTLE_SECONDS": str(self.settle),
                    "MAPPA_SERVICE__POLL_INTERVAL_SECONDS": str(self.poll),
                    "MAPPA_SERVICE__RESCAN_SECONDS": "5"}
        self.env.pop("MAPPA_CONFIG", None)
        self.cli("init", "--root", str(self.root))
        self.config = self.root / "mappa.toml"
        self.inbox = self.root / "watch_folders" / "inbox"
        self.staging = self.root / "staging"
        self.staging.mkdir()
        self.db = self.root / "data" / "mappa.db"
        self.log = self.root / "watch.log"

    def import_records(self, csv_path: Path) -> None:
        self.cli("records", "import", str(csv_path))

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "mappa.cli", *args]

    def cli(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        out = subprocess.run(self.command(*args), capture_output=True, text=True, env=self.env, cwd=self.root,
                             timeout=timeout)
        if out.returncode != 0:
            raise RuntimeError(f"mappa {' '.join(args)} failed ({out.returncode}):\n{out.stderr[-3000:]}")
        return out

    # -- the inbox -----------------------------------------------------------------------------
    def stage(self, src: Path) -> Path:
        target = self.staging / src.name
        shutil.copyfile(src, target)
        return target

    def drop(self, src: Path) -> Landing:
        """Land a file in the inbox in one instant: copy beside it, then rename in."""
        staged = self.stage(src)
        dropped = time.time()
        os.rename(staged, self.inbox / src.name)
        return Landing(src.name, dropped)

    def fill_inbox(self, sources: list[Path]) -> None:
        for src in sources:
            os.rename(self.stage(src), self.inbox / src.name)

    # -- the database --------------------------------------------------------------------------
    def rows(self) -> list[dict[str, Any]]:
        if not self.db.exists():
            return []
        con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=5)
        try:
            con.row_factory = sqlite3.Row
            cur = con.execute("SELECT id, filename, state, pages, seconds, received_at, updated_at, parent_id "
                              "FROM documents ORDER BY id")
            return [dict(r) for r in cur.fetchall()]
        except sqlite3.OperationalError:
            return []
        finally:
            con.close()

    def wait_rested(self, landing: Landing, timeout: float = 600, interval: float = 0.02) -> Landing:
        deadline = time.time() + timeout
        while time.time() < deadline:
            for r in self.rows():
                if (r["filename"] == landing.name and r["parent_id"] is None and r["state"] in RESTING
                        and self._children_rested(r["id"])):
                    landing.rested = time.time()
                    landing.state, landing.doc_id, landing.pages = r["state"], r["id"], r["pages"]
                    landing.received_at = _ts(r["received_at"])
                    landing.updated_at = _ts(r["updated_at"])
                    landing.steps = self.steps(r["id"])
                    return landing
            time.sleep(interval)
        raise TimeoutError(f"{landing.name} did not reach a resting state in {timeout} s:\n{self.log_tail()}")

    def steps(self, doc_id: int) -> dict[str, float]:
        """Seconds spent reaching each state: claimed (claim), extracted (read, parse, fields),
        summarised (summaries and leak check), then the resting state (outputs)."""
        con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=5)
        try:
            events = con.execute("SELECT state, at FROM document_events WHERE document_id = ? ORDER BY id",
                                 (doc_id,)).fetchall()
        finally:
            con.close()
        out: dict[str, float] = {}
        for (_, before), (state, after) in zip(events, events[1:], strict=False):
            a, b = _ts(before), _ts(after)
            if a is not None and b is not None:
                key = "outputs" if state in RESTING else state
                out[key] = round(out.get(key, 0.0) + (b - a).total_seconds(), 3)
        return out

    def _children_rested(self, doc_id: int) -> bool:
        return all(r["state"] in RESTING for r in self.rows() if r["parent_id"] == doc_id)

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""

    # -- the service ---------------------------------------------------------------------------
    def start(self, *extra: str, ready_timeout: float = 120) -> tuple[subprocess.Popen[bytes], float]:
        """Start ``mappa watch``; returns the process and the seconds from spawn to its "ready" line."""
        log = self.log.open("ab")
        started = time.perf_counter()
        proc = subprocess.Popen(self.command("watch", "--config", str(self.config), *extra), env=self.env,
                                cwd=self.root, stdout=log, stderr=log, start_new_session=True)
        log.close()
        while time.perf_counter() - started < ready_timeout:
            if "ready: watching" in self.log.read_text(errors="replace"):
                return proc, time.perf_counter() - started
            if proc.poll() is not None:
                raise RuntimeError(f"mappa watch exited ({proc.returncode}) before ready:\n{self.log_tail()}")
            time.sleep(0.01)
        stop(proc)
        raise TimeoutError(f"mappa watch not ready in {ready_timeout} s:\n{self.log_tail()}")


def _ts(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def stop(proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
