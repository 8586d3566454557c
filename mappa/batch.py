"""Using both cores when many documents wait: each document is worked on in a forked child.

Reading (pdfium, pdfplumber tables, Tesseract) happens in a forked child anyway, for safety
(``ingest.sandbox``). When several documents are pending (``mappa watch --once`` over a folder,
a burst into the inbox, a restart with a backlog), ``ReadAhead`` forks one child per core,
and each child, once its read is sent back (under the sandbox's memory cap and time limit),
goes on to parse the text, extract the fields and make the summaries (``Job.then``,
``Pipeline._prepare``). The driver collects each child's work when it reaches that document,
in the order the documents arrived, checks it was made from the records the database holds
now, and does the rest itself: it stays the only writer of database state and of the vault, so
the journal's steps and guarantees are unchanged.

Which documents get the cores (``Pipeline._read_ahead``): one core works on the documents the
driver needs next, in turn; the others on the dearest of the next few dozen, by a byte-level
estimate (``extract.formats.cost``), so a 40-page set of minutes starts at once instead of
running alone at the end. While the driver waits, ``pump`` takes in whatever children have
finished, so their cores go to the next documents; finished work waits in memory (at most
``max_held`` documents' worth) until the driver reaches it. Measured on the benchmark's mixed
corpus (19 documents), this took a batch from 12.5 s to 9-10 s of wall time against 14 s of
CPU on two cores.

Why children forked per document rather than a pool of long-lived workers: a fork of the
warmed-up driver shares the loaded spaCy model and presidio registry (no second load, no
second copy in memory), inherits the sandbox's isolation of the read, and needs no queue or
worker life-cycle; it costs a fork (tens of milliseconds) per document.

What was measured before this design (2 cores, en_core_web_sm):
- ``nlp.pipe`` across documents: no gain on 5-page texts (-5 % to -20 %, noisy), 10-20 % on
  one-page letters; not worth batching the per-document steps of the journal for it.
- reading ahead alone (children that only read): the driver then parsed, extracted and
  summarised every document itself, and the second core was idle once the reads were done.

Each child keeps the sandbox's guarantees for the read (memory cap, wall-clock limit from its
own start, every failure a ``ReadFailure``). Nothing here is recorded in the journal: a crash
loses only work that had not been collected, and the driver simply does that work again.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import os
import resource
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from multiprocessing import connection as mp_connection
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from extract.model import ReadFailure
from ingest.sandbox import (
    _MB,
    _child,
    _death_reason,
    cap_memory,
    enter_child,
    read_as_value,
    reap,
    send_result,
)

log = logging.getLogger("mappa.batch")

# How long the work after reading (parse, fields, summaries) may take in a child before the
# driver gives up on it and does that work itself. Generous: it is not a safety limit (the
# driver would run the same code without one), only a way not to wait on a stuck child forever.
THEN_TIMEOUT_FACTOR = 10.0
THEN_TIMEOUT_MIN = 600.0


def default_workers(configured: int = 0) -> int:
    """Children reading ahead: one per core beyond the one this process parses on (at least one)."""
    if configured > 0:
        return configured
    return max(1, (os.cpu_count() or 1) - 1)


@dataclass(frozen=True)
class Job:
    """What a child does for one document: ``read(*args)`` under the sandbox's limits, then, if
    the read succeeded and ``then`` is set, ``then(result, *then_args)`` without the memory cap
    (it is the driver's own code on plain text, which the driver would run uncapped)."""

    args: tuple[Any, ...]
    then: Callable[..., Any] | None = None
    then_args: tuple[Any, ...] = ()


@dataclass
class _Running:
    proc: BaseProcess
    conn: Connection
    started: float
    then: bool = False
    read_taken: bool = False
    # Answers received before the driver asked for them (``pump``); ``done``: the child has sent
    # everything it will send, so it no longer holds a core.
    inbox: list[Any] = field(default_factory=list)
    done: bool = False

    def expects(self) -> int:
        """How many answers a child sends: the read, then (if it has further work and the read
        succeeded) that work's result."""
        if not self.then or (self.inbox and isinstance(self.inbox[0], ReadFailure)):
            return 1
        return 2

    def receive(self, timeout: float) -> tuple[bool, Any]:
        """The next answer, from the inbox or the pipe: (True, answer), or (False, None) when
        nothing came within ``timeout``. EOFError/OSError: the child died."""
        if self.inbox:
            return True, self.inbox.pop(0)
        if self.done:
            raise EOFError("the child has sent everything")
        if self.conn.poll(timeout):
            return True, self.conn.recv()
        return False, None


def _read_then(conn: Connection, read: Callable[..., Any], args: tuple[Any, ...], memory_bytes: int,
               then: Callable[..., Any], then_args: tuple[Any, ...]) -> None:
    """``ingest.sandbox._child`` with a second answer: the read result is sent as soon as it is
    known, under the same memory cap (set as the soft limit, so it can be lifted afterwards),
    then ``then``'s result, or None if it failed (the driver then does that work itself)."""
    enter_child()
    soft, hard = cap_memory(memory_bytes, liftable=True)
    result = read_as_value(read, args)
    try:
        if not send_result(conn, result):
            return
        if isinstance(result, ReadFailure):
            return
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        try:
            extra = then(result, *then_args)
        except BaseException:  # noqa: BLE001 - the driver redoes the work and reports the error itself
            extra = None
        try:
            conn.send(extra)
        except BaseException:  # noqa: BLE001
            conn.send(None)
    finally:
        conn.close()
        os._exit(0)


@dataclass
class ReadAhead:
    """Forked readers for documents the driver will reach soon, keyed by document id."""

    read: Callable[..., Any]
    timeout: float
    memory_mb: int
    workers: int = 1  # children reading ahead of the document being processed (one more reads it)
    _running: dict[int, _Running] = field(default_factory=dict)

    # Work finished ahead of the driver is held in memory until the driver reaches it; at most
    # this many documents' worth, so a slow document at the head of a long batch cannot make
    # the driver hold the whole batch.
    max_held: int = 16

    def full(self) -> bool:
        """No free core: as many children still working as there are slots (the reader of the
        document being processed and ``workers`` ahead of it), or too much finished work held."""
        working = self.working()
        return working > self.workers or len(self._running) - working >= self.max_held

    def working_keys(self) -> list[int]:
        """The documents whose children are still working (not yet finished sending)."""
        return [k for k, r in self._running.items() if not r.done]

    def working(self) -> int:
        return len(self.working_keys())

    def done(self, key: int) -> bool:
        """Whether the driver can collect ``key`` now without waiting: its child has sent
        everything, or has overrun its time (collecting it then reports the time-out)."""
        running = self._running.get(key)
        if running is None:
            return False
        elapsed = time.monotonic() - running.started
        read_overdue = not running.inbox and not running.read_taken and elapsed > self.timeout
        return running.done or read_overdue or elapsed > self._then_limit()

    def _then_limit(self) -> float:
        return max(THEN_TIMEOUT_MIN, THEN_TIMEOUT_FACTOR * self.timeout)

    def pump(self, timeout: float) -> list[int]:
        """Receive whatever the working children have sent, waiting up to ``timeout`` for the
        first; returns the keys whose children have now sent everything. A finished child's
        core is free for the next document even though the driver has not reached its one yet
        (it is still busy with an earlier, longer document)."""
        working = {r.conn: k for k, r in self._running.items() if not r.done}
        if not working:
            return []
        finished: list[int] = []
        for conn in mp_connection.wait(list(working), timeout):
            key = working[conn]  # type: ignore[index]
            running = self._running[key]
            try:
                running.inbox.append(running.conn.recv())
            except (EOFError, OSError):
                running.done = True  # died: take/then_result report it from the exit code
                finished.append(key)
                continue
            if len(running.inbox) + (1 if running.read_taken else 0) >= running.expects():
                running.done = True
                finished.append(key)
        return finished

    def start(self, key: int, args: tuple[Any, ...] | Job) -> bool:
        """Fork a reader for ``key`` now, if a slot is free; True if it was started (or already is)."""
        if key in self._running:
            return True
        if self.full():
            return False
        job = args if isinstance(args, Job) else Job(args)
        ctx = mp.get_context("fork")
        parent_conn, child_conn = ctx.Pipe(duplex=False)
        if job.then is None:
            proc = ctx.Process(target=_child, args=(child_conn, self.read, job.args, self.memory_mb * _MB),
                               daemon=True)
        else:
            proc = ctx.Process(target=_read_then, args=(child_conn, self.read, job.args, self.memory_mb * _MB,
                                                        job.then, job.then_args), daemon=True)
        proc.start()
        child_conn.close()
        self._running[key] = _Running(proc, parent_conn, time.monotonic(), then=job.then is not None)
        return True

    def started(self, key: int) -> bool:
        return key in self._running

    def take(self, key: int) -> Any:
        """The read result for ``key`` (waiting for it within its time limit); None if never started.
        A child with more to do keeps its slot until ``then_result`` collects it."""
        running = self._running.get(key)
        if running is None or running.read_taken:
            return None
        keep = False
        remaining = max(0.0, self.timeout - (time.monotonic() - running.started))
        try:
            try:
                got, result = running.receive(remaining)
            except (EOFError, OSError):
                running.proc.join(5)
                return _death_reason(running.proc.exitcode, self.memory_mb)
            if got:
                keep = running.then and not isinstance(result, ReadFailure)
                return result
            return ReadFailure(f"timed out after {self.timeout:.0f} s: the file may be malformed or hostile; "
                               "check it by hand", "timeout")
        finally:
            if keep:
                running.read_taken = True
            else:
                self._running.pop(key, None)
                self._finish(running)

    def then_result(self, key: int) -> Any:
        """What ``Job.then`` returned for ``key`` once its read was taken; None if there is none
        (no such job, it failed, the child died or took far too long)."""
        running = self._running.get(key)
        if running is None or not running.read_taken:
            return None
        self._running.pop(key)
        try:
            try:
                got, result = running.receive(max(0.0, self._then_limit() - (time.monotonic() - running.started)))
            except (EOFError, OSError):
                log.warning("document %s: the child working ahead stopped (exit code %s); the driver does "
                            "the work itself", key, running.proc.exitcode)
                return None
            if got:
                return result
            log.warning("document %s: the child working ahead took too long; the driver does the work itself", key)
            return None
        finally:
            self._finish(running)

    def cancel_all(self) -> None:
        for running in self._running.values():
            self._finish(running)
        self._running.clear()

    @staticmethod
    def _finish(running: _Running) -> None:
        reap(running.proc, running.conn)


def fill(ahead: ReadAhead, candidates: Iterable[tuple[int, Callable[[], tuple[Any, ...] | Job]]]) -> int:
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
