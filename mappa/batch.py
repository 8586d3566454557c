"""Using both cores when many documents wait: long-lived workers, each document's read in a
fresh sandboxed child.

Reading (pdfium, pdfplumber tables, Tesseract) always happens in a forked child, for safety
(``ingest.sandbox``). When several documents are pending (``mappa watch --once`` over a folder,
a burst into the inbox, a restart with a backlog), ``ReadAhead`` keeps one worker process per
core, forked from the warmed-up driver. For each document a worker is given, it has the file
read in a fresh child under the sandbox's memory cap and time limit (``run_isolated``), sends the text back at once, then parses it, extracts the fields and makes
the summaries itself (``Job.then``, ``Pipeline._prepare``) and sends that too. The driver
collects each document's work when it reaches that document, in the order the documents
arrived, checks it was made from the records the database holds now, and does the rest
itself: it stays the only writer of database state and of the vault, so the journal's steps
and guarantees are unchanged.

Why workers that outlive a document, and a fresh child only for the read: the read is the one
step that runs a parser over a stranger's bytes, so it keeps a process of its own that dies
with the document. The steps after it are the driver's own code on plain text. Forking a
300 MB driver for every document cost each child its page faults (copy-on-write and fresh
heap) and cold caches; a worker that has already handled a document has its heap and caches
warm. The reads are forked from a reader process (which does nothing else) that each worker
starts at once, not from the worker: after a fork, every page the parent writes faults
again, and a worker writes its whole working memory for each document. Measured on the benchmark's mixed corpus (19
documents, six alternating runs each): page faults 225,000-250,000 to 140,000, CPU of the
whole batch 12.1 s to 11.1 s, wall 6.5 s to 6.1 s.

Which documents get the cores (``Pipeline._read_ahead``): one core works on the documents the
driver needs next, in turn; the others on the dearest of the next few dozen, by a byte-level
estimate (``extract.formats.cost``), so a 40-page set of minutes starts at once instead of
running alone at the end. The core in turn never leaves its turn for a dear document: what it
works on is what keeps the driver, which files in turn, busy. While the driver waits,
``pump`` takes in whatever workers have finished, so their cores go to the next documents;
finished work waits in memory (at most ``max_held`` documents' worth) until the driver
reaches it.

Each read keeps the sandbox's guarantees (memory cap, wall-clock limit, every failure a
``ReadFailure``). A worker that dies, or is given up on, costs only the work it held: the
driver does that work itself, and the next document gets a new worker. Workers and read
children are killed with the process that forked them, so a driver that is killed leaves
none behind. Nothing here is recorded in the journal: a crash loses only work that had not
been collected, and the driver simply does that work again.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing import connection as mp_connection
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

import psutil

from extract.model import ReadFailure
from extract.numeric import release_free_heap
from ingest.sandbox import (
    _death_reason,
    die_with_parent,
    enter_child,
    reap,
    run_isolated,
    send_result,
    timed_out,
)

log = logging.getLogger("mappa.batch")

# How long the work after reading (parse, fields, summaries) may take before the driver gives
# up on it and does that work itself. Generous: it is not a safety limit (the driver would run
# the same code without one), only a way not to wait on a stuck worker forever.
THEN_TIMEOUT_FACTOR = 10.0
THEN_TIMEOUT_MIN = 600.0
# The worker enforces the read's time limit itself (``run_isolated``); the driver waits this
# much longer before it gives up on the worker, so the worker's own answer normally wins.
READ_GRACE_SECONDS = 5.0
# How long an idle worker is given to finish when the batch ends, before it is killed.
STOP_SECONDS = 2.0
# A worker whose resident memory has grown this much past what it started with gives its free
# heap back after the document (a 200-page document's working memory is not kept for letters).
TRIM_ABOVE_BYTES = 128 * 1024 * 1024


def default_workers(configured: int = 0) -> int:
    """Workers ahead of the driver: one per core beyond the one the driver uses (at least one)."""
    if configured > 0:
        return configured
    return max(1, (os.cpu_count() or 1) - 1)


@dataclass(frozen=True)
class Job:
    """What a worker does for one document: ``read(*args)`` in a sandboxed child, then, if the
    read succeeded and ``then`` is set, ``then(result, *then_args)`` in the worker itself."""

    args: tuple[Any, ...]
    then: Callable[..., Any] | None = None
    then_args: tuple[Any, ...] = ()


class _Same:
    """Stands, in a job sent to a worker, for the argument at the same place in its last job:
    the records snapshot seldom changes between documents and need not be sent again."""


def _enter_server() -> None:
    enter_child()
    die_with_parent()
    mp.current_process().daemon = False  # it forks children of its own, which multiprocessing forbids daemons


def _requests(conn: Connection) -> Iterator[Any]:
    """What the other end sends, until it sends None (stop) or goes away."""
    while True:
        try:
            item = conn.recv()
        except (EOFError, OSError):
            return
        if item is None:
            return
        yield item


def _serve_reads(conn: Connection, read: Callable[..., Any], timeout: float, memory_mb: int) -> None:
    """A worker's reader: each file read in a fresh sandboxed child of this process, which
    does nothing else. Forking from here rather than from the worker keeps the worker's own
    pages its own: after a fork every page the parent writes faults again, and the worker
    writes its whole working memory for each document."""
    _enter_server()
    try:
        for args in _requests(conn):
            send_result(conn, run_isolated(read, args, timeout, memory_mb))
    finally:
        conn.close()
        os._exit(0)


def _ask_to_finish(conn: Connection) -> bool:
    """Ask a server process (a worker or a reader) to finish: None on its pipe. False if the
    pipe is gone (it has died)."""
    try:
        conn.send(None)
    except (OSError, ValueError):
        return False
    return True


def _stop(proc: BaseProcess, conn: Connection, grace: float, asked: bool) -> None:
    """End a server process: ``grace`` seconds to finish if it was asked to, then ``reap``ed,
    which kills it if it is still running."""
    if asked:
        proc.join(grace)
    reap(proc, conn)


class _Reader:
    """The worker's side of its reader process (started when the worker starts, restarted if it dies)."""

    def __init__(self, read: Callable[..., Any], timeout: float, memory_mb: int):
        self.read, self.timeout, self.memory_mb = read, timeout, memory_mb
        self._start()

    def _start(self) -> None:
        ctx = mp.get_context("fork")
        self.conn, theirs = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_serve_reads, args=(theirs, self.read, self.timeout, self.memory_mb),
                                daemon=True)
        self.proc.start()
        theirs.close()

    def __call__(self, args: tuple[Any, ...]) -> Any:
        """The read of ``args``; a ReadFailure if the reader died or stopped answering (then a
        new reader is started for the next document)."""
        if not self.proc.is_alive():  # it died between documents: this one is not to blame
            reap(self.proc, self.conn)
            self._start()
        try:
            self.conn.send(args)
            if self.conn.poll(self.timeout + READ_GRACE_SECONDS / 2):
                return self.conn.recv()
            failure = timed_out(self.timeout)
        except (EOFError, OSError):
            self.proc.join(5)
            failure = _death_reason(self.proc.exitcode, self.memory_mb)
        reap(self.proc, self.conn)
        self._start()
        return failure

    def close(self) -> None:
        """Ask the reader to stop and wait for it (so its time is accounted to this worker)."""
        _stop(self.proc, self.conn, 5.0, _ask_to_finish(self.conn))


def _serve(conn: Connection, read: Callable[..., Any], timeout: float, memory_mb: int,
           then: Callable[..., Any] | None) -> None:
    """A worker's life: for each job received, the read (its answer sent at once), then
    ``then`` here (its answer sent, or None if it failed); until the pipe closes."""
    _enter_server()
    reader = _Reader(read, timeout, memory_mb)  # forked now, while this process is still the driver's copy
    me = psutil.Process()
    trim_above = me.memory_info().rss + TRIM_ABOVE_BYTES
    last: tuple[Any, ...] = ()
    try:
        for args, sent in _requests(conn):
            then_args = tuple(last[i] if isinstance(a, _Same) else a for i, a in enumerate(sent))
            last = then_args
            result = reader(args)
            if not send_result(conn, result) or then is None or isinstance(result, ReadFailure):
                continue
            try:
                extra = then(result, *then_args)
            except BaseException:  # noqa: BLE001 - the driver redoes the work and reports the error itself
                extra = None
            try:
                conn.send(extra)
            except BaseException:  # noqa: BLE001
                conn.send(None)
            del extra, result
            if me.memory_info().rss > trim_above:  # after a long document: do not keep its memory
                release_free_heap()
    finally:
        reader.close()
        conn.close()
        os._exit(0)


@dataclass(eq=False)
class _Worker:
    proc: BaseProcess
    conn: Connection
    then: Callable[..., Any] | None
    last: tuple[Any, ...] = ()  # the then_args of its last job, for ``_Same``
    busy: bool = False
    asked: bool = False  # to finish

    def send(self, job: Job) -> None:
        sent = tuple(_Same() if i < len(self.last) and a is self.last[i] else a for i, a in enumerate(job.then_args))
        self.conn.send((job.args, sent))
        self.last, self.busy = job.then_args, True

    def ask(self) -> None:
        """Ask the worker to finish, if it is idle (a busy one is killed by ``stop``)."""
        if not self.asked and not self.busy and self.proc.is_alive():
            self.asked = _ask_to_finish(self.conn)

    def stop(self) -> None:
        """End the worker: asked to finish when idle, killed (and with it any reader it has
        running) when busy or slow to go."""
        self.ask()
        _stop(self.proc, self.conn, STOP_SECONDS, self.asked)


@dataclass
class _Running:
    worker: _Worker
    started: float
    then: bool = False
    read_taken: bool = False
    # Answers received before the driver asked for them (``pump``); ``done``: the worker has
    # sent everything it will send for this document, so it is free for the next one.
    inbox: list[Any] = field(default_factory=list)
    done: bool = False
    received: int = 0
    read_failed: bool = False

    def expects(self) -> int:
        """How many answers a job gets: the read, then (if it has further work and the read
        succeeded) that work's result."""
        return 1 if not self.then or self.read_failed else 2

    def got(self, answer: Any) -> None:
        if self.received == 0 and isinstance(answer, ReadFailure):
            self.read_failed = True
        self.received += 1
        if self.received >= self.expects():
            self.done = True
            self.worker.busy = False


@dataclass
class ReadAhead:
    """Workers reading (and working) ahead of the driver, keyed by document id."""

    read: Callable[..., Any]
    timeout: float
    memory_mb: int
    workers: int = 1  # documents worked on ahead of the one being processed (one more works on it)
    _running: dict[int, _Running] = field(default_factory=dict)
    _pool: list[_Worker] = field(default_factory=list)

    # Work finished ahead of the driver is held in memory until the driver reaches it; at most
    # this many documents' worth, so a slow document at the head of a long batch cannot make
    # the driver hold the whole batch.
    max_held: int = 16

    def full(self) -> bool:
        """No free core: as many documents being worked on as there are slots (the document
        being processed and ``workers`` ahead of it), or too much finished work held."""
        working = self.working()
        return working > self.workers or len(self._running) - working >= self.max_held

    def working_keys(self) -> list[int]:
        """The documents still being worked on (their worker has not sent everything)."""
        return [k for k, r in self._running.items() if not r.done]

    def working(self) -> int:
        return len(self.working_keys())

    def done(self, key: int) -> bool:
        """Whether the driver can collect ``key`` now without waiting: its worker has sent
        everything, or has overrun its time (collecting it then reports the time-out)."""
        running = self._running.get(key)
        if running is None:
            return False
        elapsed = time.monotonic() - running.started
        read_overdue = not running.received and elapsed > self._read_limit()
        return running.done or read_overdue or elapsed > self._then_limit()

    def _read_limit(self) -> float:
        return self.timeout + READ_GRACE_SECONDS

    def _then_limit(self) -> float:
        return max(THEN_TIMEOUT_MIN, THEN_TIMEOUT_FACTOR * self.timeout)

    def pump(self, timeout: float) -> list[int]:
        """Receive whatever the workers have sent, waiting up to ``timeout`` for the first;
        returns the keys whose workers have now sent everything. A worker that has finished is
        free for the next document even though the driver has not reached its one yet (it is
        still busy with an earlier, longer document)."""
        working = {r.worker.conn: k for k, r in self._running.items() if not r.done}
        if not working:
            return []
        finished: list[int] = []
        for conn in mp_connection.wait(list(working), timeout):
            key = working[conn]  # type: ignore[index]
            running = self._running[key]
            try:
                answer = running.worker.conn.recv()
            except (EOFError, OSError):
                running.done = True  # died: take/then_result report it
                finished.append(key)
                continue
            running.inbox.append(answer)
            running.got(answer)
            if running.done:
                finished.append(key)
        return finished

    def start(self, key: int, args: tuple[Any, ...] | Job) -> bool:
        """Give ``key`` to a free worker now, if a slot is free; True if it was started (or already is)."""
        if key in self._running:
            return True
        if self.full():
            return False
        job = args if isinstance(args, Job) else Job(args)
        for attempt in range(2):
            worker = self._worker_for(job.then)
            try:
                worker.send(job)
            except (OSError, ValueError):  # it died since its last job: drop it, try a new one
                self._drop(worker)
                if attempt:
                    raise
                continue
            self._running[key] = _Running(worker, time.monotonic(), then=job.then is not None)
            return True
        return False

    def _worker_for(self, then: Callable[..., Any] | None) -> _Worker:
        """An idle worker for jobs with ``then``; a new one if none (an idle one made for other
        work is stopped to make room: there are never more workers than slots)."""
        idle = [w for w in self._pool if not w.busy and w.proc.is_alive()]
        for w in idle:
            if w.then == then:
                return w
        if len(self._pool) >= self.workers + 1 and idle:
            self._drop(idle[0])
        ctx = mp.get_context("fork")
        ours, theirs = ctx.Pipe(duplex=True)
        proc = ctx.Process(target=_serve, args=(theirs, self.read, self.timeout, self.memory_mb, then), daemon=True)
        proc.start()
        theirs.close()
        worker = _Worker(proc, ours, then)
        self._pool.append(worker)
        return worker

    def _drop(self, worker: _Worker) -> None:
        if worker in self._pool:
            self._pool.remove(worker)
        worker.stop()

    def started(self, key: int) -> bool:
        return key in self._running

    def _receive(self, running: _Running, timeout: float) -> tuple[bool, Any]:
        """The job's next answer, from its inbox or its worker: (True, answer), or (False, None)
        when nothing came within ``timeout``. EOFError/OSError: the worker died."""
        if running.inbox:
            return True, running.inbox.pop(0)
        if running.done:
            raise EOFError("the worker has sent everything")
        if running.worker.conn.poll(timeout):
            answer = running.worker.conn.recv()
            running.got(answer)
            return True, answer
        return False, None

    def take(self, key: int) -> Any:
        """The read result for ``key`` (waiting for it within its time limit); None if never started.
        A job with more to do keeps its slot until ``then_result`` collects it."""
        running = self._running.get(key)
        if running is None or running.read_taken:
            return None
        keep = False
        remaining = max(0.0, self._read_limit() - (time.monotonic() - running.started))
        try:
            try:
                got, result = self._receive(running, remaining)
            except (EOFError, OSError):
                running.worker.proc.join(5)
                return _death_reason(running.worker.proc.exitcode, self.memory_mb)
            if got:
                keep = running.then and not isinstance(result, ReadFailure)
                return result
            return timed_out(self.timeout)
        finally:
            if keep:
                running.read_taken = True
            else:
                self._running.pop(key, None)
                self._finish(running)

    def then_result(self, key: int) -> Any:
        """What ``Job.then`` returned for ``key`` once its read was taken; None if there is none
        (no such job, it failed, the worker died or took far too long)."""
        running = self._running.get(key)
        if running is None or not running.read_taken:
            return None
        self._running.pop(key)
        try:
            try:
                got, result = self._receive(running, max(0.0, self._then_limit() - (time.monotonic() - running.started)))
            except (EOFError, OSError):
                log.warning("document %s: the worker stopped (exit code %s); the driver does the work itself",
                            key, running.worker.proc.exitcode)
                return None
            if got:
                return result
            log.warning("document %s: the worker took too long; the driver does the work itself", key)
            return None
        finally:
            self._finish(running)

    def cancel_all(self) -> None:
        """Stop every worker (and the readers they have running); nothing is collected after."""
        self._running.clear()
        for worker in self._pool:  # all asked first: they finish together, not one after another
            worker.ask()
        for worker in list(self._pool):
            self._drop(worker)

    def _finish(self, running: _Running) -> None:
        """A job the driver is done with: its worker stays for the next document if it sent
        everything; one given up on, or dead, is stopped (what it would still send belongs
        to nobody)."""
        if not running.done or not running.worker.proc.is_alive():
            self._drop(running.worker)


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
