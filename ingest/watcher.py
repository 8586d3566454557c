"""Noticing files in the watched folders, without trusting any one mechanism.

File-system events are fast but lossy: network shares send none, an observer dies when a
share goes offline, and events are dropped under load. So events only make the service look
sooner; a scan at start and a periodic rescan are what guarantee nothing is missed. The
observer is supervised and replaced when it dies.
"""

from __future__ import annotations

import logging
import os
import queue
import time
from dataclasses import dataclass, field
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from ingest.claim import Refusal, SettleTracker, is_junk, refusal_for

log = logging.getLogger("mappa.watch")


@dataclass(frozen=True)
class Folder:
    path: Path
    source: str = "inbox"
    doc_type_hint: str = ""
    polling: bool = False


@dataclass(frozen=True)
class Candidate:
    """A file that has been quiet long enough to be claimed."""

    path: Path
    folder: Folder


@dataclass(frozen=True)
class Refused:
    path: Path
    folder: Folder
    refusal: Refusal


class _Nudge(FileSystemEventHandler):
    def __init__(self, events: queue.SimpleQueue[Path]) -> None:
        self.events = events

    def on_any_event(self, event: FileSystemEvent) -> None:
        for attr in ("src_path", "dest_path"):
            raw = getattr(event, attr, None)
            if raw:
                self.events.put(Path(os.fsdecode(raw)))


@dataclass
class Watcher:
    folders: tuple[Folder, ...]
    settle_seconds: float
    rescan_seconds: float
    poll_interval: float = 1.0
    use_events: bool = True
    tracker: SettleTracker = field(init=False)
    _events: queue.SimpleQueue[Path] = field(init=False, default_factory=queue.SimpleQueue)
    _observers: dict[Path, BaseObserver] = field(init=False, default_factory=dict)
    _next_scan: float = field(init=False, default=0.0)
    _pending: set[Path] = field(init=False, default_factory=set)
    observer_restarts: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self.tracker = SettleTracker.create(self.settle_seconds)

    # -- observers ---------------------------------------------------------------------------
    def _start_observer(self, folder: Folder) -> None:
        observer: BaseObserver = PollingObserver(timeout=self.poll_interval) if folder.polling else Observer()
        observer.schedule(_Nudge(self._events), str(folder.path), recursive=False)
        observer.daemon = True
        observer.start()
        self._observers[folder.path] = observer

    def supervise(self) -> None:
        """Start missing observers and replace dead ones. Never raises: a dead share is retried."""
        if not self.use_events:
            return
        for folder in self.folders:
            observer = self._observers.get(folder.path)
            if observer is not None and observer.is_alive():
                continue
            if observer is not None:
                log.warning("observer for %s died; restarting it", folder.path)
                self.observer_restarts += 1
                self._stop(observer)
            try:
                self._start_observer(folder)
            except OSError as exc:
                log.warning("cannot watch %s yet (%s); will retry and keep rescanning", folder.path, exc)
                self._observers.pop(folder.path, None)

    def stop(self) -> None:
        for observer in self._observers.values():
            self._stop(observer)
        self._observers.clear()

    @staticmethod
    def _stop(observer: BaseObserver) -> None:
        try:
            observer.stop()
            observer.join(timeout=2)
        except Exception:  # noqa: BLE001 - a broken observer must not stop the service
            log.debug("observer did not stop cleanly", exc_info=True)

    # -- finding files -----------------------------------------------------------------------
    def _folder_of(self, path: Path) -> Folder | None:
        for folder in self.folders:
            if path.parent == folder.path:
                return folder
        return None

    def _scan(self) -> None:
        for folder in self.folders:
            try:
                with os.scandir(folder.path) as entries:
                    for entry in entries:
                        self._pending.add(Path(entry.path))
            except OSError as exc:
                log.warning("cannot list %s (%s); will retry", folder.path, exc)

    def poll(self, now: float | None = None, force_scan: bool = False) -> tuple[list[Candidate], list[Refused]]:
        """Collect what is ready to claim, and what must be refused, right now."""
        now = time.monotonic() if now is None else now
        self.supervise()
        if force_scan or now >= self._next_scan:
            self._scan()
            self._next_scan = now + self.rescan_seconds
        while True:
            try:
                self._pending.add(self._events.get_nowait())
            except queue.Empty:
                break
        ready: list[Candidate] = []
        refused: list[Refused] = []
        still: set[Path] = set()
        for path in self._pending:
            folder = self._folder_of(path)
            if folder is None or is_junk(path.name):
                continue
            try:
                st = os.lstat(path)
            except OSError:
                self.tracker.forget(path)
                continue
            refusal = refusal_for(st)
            if refusal is not None:
                refused.append(Refused(path, folder, refusal))
                continue
            if self.tracker.observe(path, st, now):
                ready.append(Candidate(path, folder))
            else:
                still.add(path)
        self._pending = still
        return sorted(ready, key=lambda c: c.path.name), refused

    def has_waiting(self) -> bool:
        return bool(self._pending)

    def requeue(self, path: Path) -> None:
        self._pending.add(path)

    def forget(self, path: Path) -> None:
        self.tracker.forget(path)
        self._pending.discard(path)

