"""Reading a hostile file in a child process with a wall-clock limit and a memory cap.

Parsers for PDF, Word and e-mail are large C and Python code bases fed with files from
strangers. A file that makes one loop forever or allocate without end must cost one
document, not the watcher: the child is forked (so the readers are already imported),
capped with RLIMIT_AS, and killed when its time is up. Whatever happens, the caller gets a
value: the TextDocument, or a ReadFailure a person can act on.
"""

from __future__ import annotations

import ctypes
import faulthandler
import multiprocessing as mp
import os
import resource
import signal
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

import psutil

from extract.model import ReadFailure

_MB = 1024 * 1024


def enter_child() -> None:
    """What every forked reader does first: crashes become values, and it stops when told to."""
    faulthandler.disable()  # a crash is reported as a value by the parent, not as a traceback dump
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Be killed when the process that forked this one dies (Linux), so a batch worker, or a
    reader, is never left running by a driver or worker that was killed. If the parent is
    already gone, stop now."""
    parent = mp.parent_process()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the parent's own clean-up still applies
        return
    if parent is not None and os.getppid() != parent.pid:
        os._exit(1)


def cap_memory(memory_bytes: int, *, liftable: bool = False) -> tuple[int, int]:
    """Cap the address space at what is mapped now plus ``memory_bytes``; returns the limits before.

    The fork shares the parent's address space, so the cap is on top of what is already mapped.
    ``liftable`` sets only the soft limit, for a child that lifts it again after the read.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    try:
        limit = psutil.Process().memory_info().vms + memory_bytes
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard if liftable else limit))
    except (ValueError, OSError):
        pass
    return soft, hard


def read_as_value(fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    """``fn(*args)``, or a ReadFailure saying why not: the child must always answer."""
    try:
        return fn(*args)
    except MemoryError:
        return ReadFailure("The file needs more memory to read than the limit allows: check it by hand", "too_large")
    except BaseException as exc:  # noqa: BLE001 - the child must always answer
        return ReadFailure(f"could not be read: {type(exc).__name__}: {str(exc)[:200]}", "corrupt")


def send_result(conn: Connection, result: Any) -> bool:
    """Hand the result back; False (and a ReadFailure sent instead) if it cannot be pickled or sent."""
    try:
        conn.send(result)
        return True
    except BaseException:  # noqa: BLE001
        conn.send(ReadFailure("The text read from the file was too large to hand back: check it by hand", "too_large"))
        return False


def _child(conn: Connection, fn: Callable[..., Any], args: tuple[Any, ...], memory_bytes: int) -> None:
    enter_child()
    die_with_parent()
    cap_memory(memory_bytes)
    result = read_as_value(fn, args)
    try:
        send_result(conn, result)
    finally:
        conn.close()
        os._exit(0)


def run_isolated(fn: Callable[..., Any], args: tuple[Any, ...], timeout: float, memory_mb: int) -> Any:
    """Run ``fn(*args)`` in a forked child; a ReadFailure if it times out, dies or runs out of memory."""
    ctx = mp.get_context("fork")
    parent_conn, child_conn = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child_conn, fn, args, memory_mb * _MB), daemon=True)
    started = time.monotonic()
    proc.start()
    child_conn.close()
    try:
        if parent_conn.poll(timeout):
            try:
                return parent_conn.recv()
            except (EOFError, OSError):
                proc.join(5)
                return _death_reason(proc.exitcode, memory_mb)
        return timed_out(time.monotonic() - started)
    finally:
        reap(proc, parent_conn)


def reap(proc: BaseProcess, conn: Connection) -> None:
    """Close the pipe and make sure the child is gone (killed if it is still running)."""
    conn.close()
    if proc.is_alive():
        proc.kill()
    proc.join(5)
    proc.close()


def timed_out(seconds: float) -> ReadFailure:
    """The failure of a read that did not finish in time, as the person reviewing it reads it."""
    return ReadFailure(f"timed out after {seconds:.0f} s: the file may be malformed or hostile; check it by hand",
                       "timeout")


def _death_reason(exitcode: int | None, memory_mb: int) -> ReadFailure:
    if exitcode is not None and exitcode < 0 and -exitcode in (signal.SIGKILL, signal.SIGSEGV, signal.SIGABRT):
        return ReadFailure(
            f"the reader stopped ({signal.Signals(-exitcode).name}), probably over the {memory_mb} MB memory limit: "
            "check the file by hand", "crashed")
    return ReadFailure(f"the reader stopped unexpectedly (exit code {exitcode}): check the file by hand", "crashed")
