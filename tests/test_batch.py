"""Reading ahead in long-lived workers: results by document, and the sandbox's guarantees kept."""

from __future__ import annotations

import os
import signal
import time

import psutil
import pytest

from extract.model import ReadFailure
from mappa.batch import Job, ReadAhead, default_workers, fill


@pytest.fixture(autouse=True)
def _no_workers_left(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Workers outlive a document by design; each test's are stopped after it, as the driver
    stops them at the end of a batch, and none may be left running once they are."""
    made: list[ReadAhead] = []
    real_init = ReadAhead.__init__

    def init(self: ReadAhead, *args: object, **kwargs: object) -> None:
        real_init(self, *args, **kwargs)  # type: ignore[arg-type]
        made.append(self)

    monkeypatch.setattr(ReadAhead, "__init__", init)
    yield
    for ahead in made:
        ahead.cancel_all()
    assert not [p for p in __import__("multiprocessing").active_children() if p.is_alive()]


def _echo(value: str, delay: float) -> str:
    time.sleep(delay)
    return f"{value} from {os.getpid()}"


def _hang() -> str:
    time.sleep(60)
    return "never"


def _die() -> str:
    os.kill(os.getpid(), 9)
    return "never"


def test_reads_run_together_and_come_back_by_key() -> None:
    ahead = ReadAhead(_echo, timeout=30, memory_mb=512, workers=1)
    started = time.monotonic()
    assert ahead.start(1, ("one", 0.6)) and ahead.start(2, ("two", 0.6))
    assert not ahead.start(3, ("three", 0.0))  # one reads now, one ahead: no third slot
    second, first = ahead.take(2), ahead.take(1)
    assert second.startswith("two from ") and first.startswith("one from ")
    assert second != first and str(os.getpid()) not in first  # each in its own child
    assert time.monotonic() - started < 1.1  # side by side, not one after the other
    assert ahead.take(3) is None  # never started: the driver reads it itself


def test_fill_starts_only_what_fits_and_skips_started() -> None:
    ahead = ReadAhead(_echo, timeout=30, memory_mb=512, workers=1)
    calls: list[int] = []

    def args(i: int):  # type: ignore[no-untyped-def]
        def make() -> tuple[str, float]:
            calls.append(i)
            return (str(i), 0.0)
        return make

    assert fill(ahead, [(10, args(10)), (11, args(11)), (12, args(12))]) == 2
    assert fill(ahead, [(11, args(11)), (12, args(12))]) == 0
    assert calls == [10, 11]  # the file is only fetched for a reader that is started
    assert ahead.take(10).startswith("10") and ahead.take(11).startswith("11")


@pytest.mark.timeout(30)
def test_a_hanging_or_dying_reader_costs_one_document() -> None:
    ahead = ReadAhead(_hang, timeout=1.0, memory_mb=512, workers=1)
    ahead.start(1, ())
    failure = ahead.take(1)
    assert isinstance(failure, ReadFailure) and failure.code == "timeout"
    dying = ReadAhead(_die, timeout=10, memory_mb=512, workers=1)
    dying.start(2, ())
    failure = dying.take(2)
    assert isinstance(failure, ReadFailure) and failure.code == "crashed"


def test_cancel_leaves_no_children() -> None:
    ahead = ReadAhead(_hang, timeout=30, memory_mb=512, workers=1)
    ahead.start(1, ())
    ahead.start(2, ())
    ahead.cancel_all()
    assert ahead.take(1) is None and ahead.take(2) is None
    assert not [p for p in __import__("multiprocessing").active_children() if p.is_alive()]


def test_workers_default_to_the_spare_cores() -> None:
    assert default_workers(3) == 3
    assert default_workers(0) == max(1, (os.cpu_count() or 1) - 1)


def _read_twice(value: str) -> str:
    return value * 2


def _then(result: str, suffix: str) -> str:
    return f"{result}+{suffix} in {os.getpid()}"


def _then_fails(result: str) -> str:
    raise ValueError(result)


def _then_dies(result: str) -> str:
    os.kill(os.getpid(), 9)
    return result


def test_a_job_answers_its_read_then_its_further_work() -> None:
    ahead = ReadAhead(_read_twice, timeout=30, memory_mb=512, workers=1)
    assert ahead.start(1, Job(("ab",), _then, ("more",)))
    assert ahead.take(1) == "abab"
    assert ahead.started(1)  # its slot is held until the work is collected:
    assert ahead.start(2, Job(("c",))) and not ahead.start(3, Job(("d",)))  # one more, not two
    done = ahead.then_result(1)
    assert done.startswith("abab+more in ") and str(os.getpid()) not in done
    assert ahead.then_result(1) is None and ahead.take(1) is None and not ahead.started(1)
    assert ahead.take(2) == "cc" and ahead.then_result(2) is None  # a plain read has no further work


def test_further_work_that_fails_or_dies_is_none_and_a_failed_read_has_none() -> None:
    ahead = ReadAhead(_read_twice, timeout=30, memory_mb=512, workers=2)
    ahead.start(1, Job(("a",), _then_fails))
    ahead.start(2, Job(("b",), _then_dies))
    assert ahead.take(1) == "aa" and ahead.take(2) == "bb"
    assert ahead.then_result(1) is None and ahead.then_result(2) is None
    hanging = ReadAhead(_hang, timeout=0.5, memory_mb=512, workers=1)
    hanging.start(3, Job((), _then, ("never",)))
    failure = hanging.take(3)
    assert isinstance(failure, ReadFailure) and failure.code == "timeout"
    assert hanging.then_result(3) is None and not hanging.started(3)
    assert len(hanging._pool) == 1 and not hanging._pool[0].busy  # its worker answered the time-out: free again


def test_a_finished_child_frees_its_core_before_the_driver_reaches_it() -> None:
    """A long document at the head of the batch must not keep the other core idle: once the
    short one's child has sent everything, a third document can start, and every answer is
    still handed out by key, whatever the order they arrived in."""
    ahead = ReadAhead(_echo, timeout=30, memory_mb=512, workers=1)
    assert ahead.start(1, ("long", 2.0)) and ahead.start(2, ("short", 0.0))
    assert ahead.full() and not ahead.start(3, ("third", 0.0))
    deadline = time.monotonic() + 10
    finished: list[int] = []
    while 2 not in finished and time.monotonic() < deadline:
        finished += ahead.pump(timeout=0.5)
    assert finished == [2] and ahead.done(2) and not ahead.done(1)
    assert not ahead.full() and ahead.start(3, ("third", 0.0))  # the short one's core is free again
    assert ahead.take(2).startswith("short from ")
    assert ahead.take(3).startswith("third from ") and ahead.take(1).startswith("long from ")


def test_finished_work_held_for_the_driver_is_bounded() -> None:
    ahead = ReadAhead(_echo, timeout=30, memory_mb=512, workers=3, max_held=2)
    for key in (1, 2):
        assert ahead.start(key, (str(key), 0.0))
    deadline = time.monotonic() + 10
    while not (ahead.done(1) and ahead.done(2)) and time.monotonic() < deadline:
        ahead.pump(timeout=0.5)
    assert ahead.full()  # two finished answers held: nothing more starts until one is taken
    assert ahead.take(1).startswith("1 from ") and not ahead.full()
    ahead.cancel_all()


@pytest.mark.timeout(30)
def test_a_hanging_reader_is_ready_to_collect_once_its_time_is_up() -> None:
    """The worker kills the reader at the time limit and answers with the time-out; the worker
    itself is free for the next document."""
    ahead = ReadAhead(_hang, timeout=1.0, memory_mb=512, workers=1)
    ahead.start(1, ())
    assert not ahead.done(1)
    deadline = time.monotonic() + 5
    while not ahead.done(1) and time.monotonic() < deadline:
        ahead.pump(timeout=0.5)
    assert ahead.done(1) and ahead.working() == 0
    failure = ahead.take(1)
    assert isinstance(failure, ReadFailure) and failure.code == "timeout"
    assert len(ahead._pool) == 1 and ahead._pool[0].proc.is_alive()
    ahead.start(2, ())  # the same worker takes the next document


@pytest.mark.timeout(30)
def test_a_worker_that_does_not_answer_is_given_up_on_and_stopped() -> None:
    """A worker stuck past the read's limit (and the grace the driver gives it) costs that
    document a time-out and is stopped, with its reader."""
    ahead = ReadAhead(_hang, timeout=1.0, memory_mb=512, workers=1)
    ahead.start(1, Job((), _then, ("x",)))
    worker = ahead._pool[0]
    os.kill(worker.proc.pid, signal.SIGSTOP)  # stuck: it will answer nothing
    ahead._running[1].started -= 100  # long overdue
    assert ahead.done(1)
    failure = ahead.take(1)
    assert isinstance(failure, ReadFailure) and failure.code == "timeout"
    assert ahead._pool == [] and worker.conn.closed


@pytest.mark.timeout(60)
def test_answers_received_early_are_handed_out_as_if_waited_for() -> None:
    """``pump`` collects answers before the driver asks: a job's read and its further work, a
    failed further work, a child that died after its read, and a plain read all come out of
    ``take``/``then_result`` exactly as they would have without it."""
    ahead = ReadAhead(_read_twice, timeout=30, memory_mb=512, workers=4)
    ahead.start(1, Job(("a",), _then, ("x",)))
    ahead.start(2, Job(("b",), _then_fails))
    ahead.start(3, Job(("c",), _then_dies))
    ahead.start(4, Job(("d",)))
    deadline = time.monotonic() + 30
    while not all(ahead.done(k) for k in (1, 2, 3, 4)) and time.monotonic() < deadline:
        ahead.pump(timeout=0.5)
    assert all(ahead.done(k) for k in (1, 2, 3, 4)) and ahead.working() == 0
    assert ahead.take(1) == "aa" and ahead.then_result(1).startswith("aa+x in ")
    assert ahead.take(2) == "bb" and ahead.then_result(2) is None
    assert ahead.take(3) == "cc" and ahead.then_result(3) is None
    assert ahead.take(4) == "dd" and not ahead.started(4)
    assert len(ahead._pool) == 3  # the one that died is gone; the others wait for the next documents


def test_a_worker_whose_reader_died_between_documents_reads_the_next_one() -> None:
    ahead = ReadAhead(_read_twice, timeout=10, memory_mb=512, workers=1)
    ahead.start(1, ("a",))
    assert ahead.take(1) == "aa"
    worker = ahead._pool[0]
    reader = [p for p in psutil.Process(worker.proc.pid).children() if p.is_running()]
    assert len(reader) == 1
    reader[0].kill()  # it stays a zombie until the worker notices
    deadline = time.monotonic() + 5
    while reader[0].status() != psutil.STATUS_ZOMBIE and time.monotonic() < deadline:
        time.sleep(0.05)
    ahead.start(2, ("b",))
    assert ahead._pool == [worker] and ahead.take(2) == "bb"


_ORPHAN_SCRIPT = """
import sys, time
sys.path.insert(0, {root!r})
from mappa.batch import ReadAhead, Job
from tests.test_batch import _hang, _then
ahead = ReadAhead(_hang, timeout=60, memory_mb=512, workers=1)
ahead.start(1, Job((), _then, ("x",)))
ahead.start(2, ())
time.sleep(1.5)
print("ready", flush=True)
time.sleep(60)
"""


@pytest.mark.timeout(60)
def test_a_killed_driver_leaves_no_worker_reader_or_read_behind(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The driver is killed (as the crash test does to `mappa watch`): its workers, their
    readers and the reads they run all go with it."""
    import subprocess
    import sys
    from pathlib import Path

    root = str(Path(__file__).resolve().parents[1])
    proc = subprocess.Popen([sys.executable, "-c", _ORPHAN_SCRIPT.format(root=root)], stdout=subprocess.PIPE, cwd=root)
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
    tree = psutil.Process(proc.pid).children(recursive=True)
    assert len(tree) >= 6  # two workers, their readers, and a read in each
    proc.kill()
    proc.wait(10)
    gone, alive = psutil.wait_procs(tree, timeout=10)
    assert alive == [], [p.pid for p in alive]


def test_at_the_end_every_idle_worker_is_asked_to_finish_before_any_is_waited_for(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The workers then finish together: the batch's end is not one worker's exit after another."""
    import mappa.batch as batch

    ahead = ReadAhead(_echo, timeout=30, memory_mb=512, workers=1)
    assert ahead.start(1, ("one", 0.0)) and ahead.start(2, ("two", 0.0))
    assert ahead.take(1) and ahead.take(2)
    workers = list(ahead._pool)
    assert len(workers) == 2
    pids = [w.proc.pid for w in workers]
    events: list[tuple[str, int]] = []
    real_ask, real_stop = batch._ask_to_finish, batch._stop

    def ask(conn):  # type: ignore[no-untyped-def]
        events.append(("ask", next(i for i, w in enumerate(workers) if w.conn is conn)))
        return real_ask(conn)

    def stop(proc, conn, grace, asked):  # type: ignore[no-untyped-def]
        events.append(("wait", next(i for i, w in enumerate(workers) if w.proc is proc)))
        assert asked
        return real_stop(proc, conn, grace, asked)

    monkeypatch.setattr(batch, "_ask_to_finish", ask)
    monkeypatch.setattr(batch, "_stop", stop)
    ahead.cancel_all()
    assert events == [("ask", 0), ("ask", 1), ("wait", 0), ("wait", 1)]
    assert not any(psutil.pid_exists(pid) for pid in pids)
