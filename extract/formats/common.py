"""Small pieces every reader shares: the refusal that unwinds a reader, and limits on work.

Readers return ``TextDocument | ReadFailure``. Deep inside a parser it is simpler to raise
``Refused`` carrying the failure; ``extract.read`` turns it back into a value, so nothing
escapes the stage.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from extract.limits import ReadLimits
from extract.model import ReadFailure, TextDocument

Outcome = TextDocument | ReadFailure
Reader = Callable[[bytes, ReadLimits], Outcome]


class Refused(Exception):  # noqa: N818 - it is a value in flight, not a programming error
    """Carries a ReadFailure out of deep parsing code to the reader's boundary."""

    def __init__(self, failure: ReadFailure) -> None:
        super().__init__(failure.reason)
        self.failure = failure


def refuse(code: str, reason: str, detail: str = "") -> Refused:
    return Refused(ReadFailure(reason=reason, code=code, detail=detail))


def short(exc: BaseException, limit: int = 160) -> str:
    text = f"{type(exc).__name__}: {exc}".replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


class TimedOut(Exception):  # noqa: N818
    """A slow library call was interrupted; the caller decides whether that fails the document."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt pure-Python parsing (pdfminer can loop on circular objects) after ``seconds``.

    Only possible on the main thread (signals); elsewhere the driver's wall-clock limit on
    the child process is the backstop.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def _alarm(_signum: int, _frame: object) -> None:
        raise TimedOut(f"interrupted after {seconds:.0f} s")

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class CharBudget:
    """Stops a reader as soon as the text grows past ``limits.max_chars``, not after."""

    limits: ReadLimits
    used: int = 0

    def spend(self, n: int) -> None:
        self.used += n
        if self.used > self.limits.max_chars:
            raise refuse("too_large", f"the document holds more than {self.limits.max_chars:,} characters of text, "
                         "far more than any MAPPA document: check it is the right file")


@dataclass
class Clock:
    """A soft deadline checked between pages, so one reader cannot run unbounded."""

    seconds: float
    start: float = 0.0

    def __post_init__(self) -> None:
        self.start = time.monotonic()

    def check(self, what: str) -> None:
        if time.monotonic() - self.start > self.seconds:
            raise refuse("timeout", f"reading stopped after {self.seconds:.0f} s at {what}: the file is too slow "
                         "to read; split it or ask for a text copy")
