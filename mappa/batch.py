"""Using both cores when many documents wait: read the next files while this one is parsed.

Reading (pdfium, pdfplumber tables, Tesseract) happens in a forked child anyway, for safety
(``ingest.sandbox``); the parent meanwhile sits idle in ``poll``. When several documents are
pending (``mappa watch --once`` over a folder, a burst into the inbox, a restart with a
backlog), ``ReadAhead`` forks the children for the next documents at once, from the main
thread, and the driver collects each result when it reaches that document: the children read
on the second core while this process runs spaCy, redaction and filing on the first.

What was measured before choosing this over the alternatives (2 cores, en_core_web_sm):
- ``nlp.pipe`` across documents: no gain on 5-page texts (-5 % to -20 %, noisy), 10-20 % on
  one-page letters, whose parse is about a fifth of their cost; not worth batching the
  per-document steps of the journal for it.
- a process pool for the whole pipeline: every worker would hold its own spaCy model and
  presidio registry (~250 MB each) and its own database writes; reading is the part that is
  already isolated, so it is the part that is run ahead.

Each child keeps the sandbox's guarantees (memory cap, wall-clock limit from its own start,
every failure a ``ReadFailure``). Nothing here is recorded in the journal: a crash loses only
reads that had not been collected, and the driver simply reads those documents again.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from extract.model import ReadFailure
from ingest.sandbox import _MB, _child, _death_reason

log = logging.getLogger("mappa.batch")


def default_workers(configured: int = 0) -> int:
    """Children reading ahead: one per core beyond the one this process parses on (at least one)."""
    if configured > 0:
        return configured
    return max(1, (os.cpu_count() or 1) - 1)


@dataclass
class _Running:
    proc: BaseProcess
    conn: Connection
    started: float


@dataclass
class ReadAhead:
    """Forked readers for documents the driver will reach soon, keyed by document id."""

    read: Callable[..., Any]
    timeout: float
    memory_mb: int
    workers: int = 1  # children reading ahead of the document being processed (one more reads it)
    _running: dict[int, _Running] = field(default_factory=dict)

    def full(self) -> bool:
        return len(self._running) > self.workers

    def start(self, key: int, args: tuple[Any, ...]) -> bool:
        """Fork a reader for ``key`` now, if a slot is free; True if it was started (or already is)."""
        if key in self._running:
            return True
        if self.full():
            return False
        ctx = mp.get_context("fork")
        parent_conn, child_conn = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_child, args=(child_conn, self.read, args, self.memory_mb * _MB), daemon=True)
        proc.start()
        child_conn.close()
        self._running[key] = _Running(proc, parent_conn, time.monotonic())
        return True

    def started(self, key: int) -> bool:
        return key in self._running

    def take(self, key: int) -> Any:
        """The result for ``key`` (waiting for it within its time limit); None if never started."""
        running = self._running.pop(key, None)
        if running is None:
            return None
        remaining = max(0.0, self.timeout - (time.monotonic() - running.started))
        try:
            if running.conn.poll(remaining):
                try:
                    return running.conn.recv()
                except (EOFError, OSError):
                    running.proc.join(5)
                    return _death_reason(running.proc.exitcode, self.memory_mb)
            return ReadFailure(f"timed out after {self.timeout:.0f} s: the file may be malformed or hostile; "
                               "check it by hand", "timeout")
        finally:
            self._finish(running)

    def cancel_all(self) -> None:
        for running in self._running.values():
            self._finish(running)
        self._running.clear()

    @staticmethod
    def _finish(running: _Running) -> None:
        running.conn.close()
        if running.proc.is_alive():
            running.proc.kill()
        running.proc.join(5)
        running.proc.close()


def fill(ahead: ReadAhead, candidates: Iterable[tuple[int, Callable[[], tuple[Any, ...]]]]) -> int:
    """Start readers for the first candidates (id, args thunk) not yet started, while slots are free."""
    started = 0
    for key, args in candidates:
        if ahead.started(key):
            continue
        if ahead.full():
            break
        ahead.start(key, args())
        started += 1
    return started


WARM_TEXT = (
    "MAPPA Level 2 Meeting Minutes\n\nDate of meeting: 03/03/2025\n\nSubject: John SMITH, date of birth "
    "01/02/1980, PNC 99/123456A.\n\nChildren: Ellie Smith (daughter), date of birth 02/03/2016.\n\nRisk\n"
    "John poses a high risk of serious harm to children.\n\nIndex offence\nConvicted at Snaresbrook Crown "
    "Court of sexual assault and sentenced to 6 years' imprisonment at HMP Pentonville.\n\nActions\n"
    "Children's Services to complete a home visit within 28 days.\nNext review: 03/07/2025\n"
)


def warm(stages: Any, limits: Any) -> float:
    """Run the pure stages once on a small invented document, so the first real one does not pay
    for presidio's regular expressions, the lexicon matchers and spaCy's first call. Returns seconds.
    The spaCy pass counter is reset afterwards, so it counts real documents only."""
    from extract import nlp
    from extract.matching import KnownRecords

    started = time.perf_counter()
    try:
        text = stages.read(WARM_TEXT.encode(), "warm-up.txt", limits)
        if not isinstance(text, ReadFailure):
            parsed = stages.parse(text.text)
            facts = stages.understand(text, parsed, "", KnownRecords())
            stages.summarise(text, facts, parsed, ())
    except Exception:  # noqa: BLE001 - a failed warm-up only costs the first document time
        log.warning("warm-up failed; the first document will be slower", exc_info=True)
    nlp.reset_counters()
    return time.perf_counter() - started
