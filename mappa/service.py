"""The running service: start-up checks, recovery, and the watch loop.

One loop owns the database and the pipeline; the observers only nudge it. The loop never
dies of a document: the pipeline turns every failure into a review reason, and anything
unexpected in the loop itself is logged and the loop goes on.
"""

from __future__ import annotations

import gc
import logging
import os
import secrets
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from extract.formats.legacy import remove_stale_conversions
from ingest.vault import Vault
from ingest.watcher import Folder, Watcher
from mappa import journal
from mappa.pipeline import Pipeline
from mappa.settings import Settings
from outputs.db import make_engine, migrate, sessions

log = logging.getLogger("mappa.service")


class StartupError(Exception):
    """Something the operator must fix before the service can run; the message says what."""


@dataclass
class Runtime:
    settings: Settings
    sessions: sessionmaker[Session]
    vault: Vault
    folders: journal.Folders

    @classmethod
    def open(cls, settings: Settings, migrate_schema: bool = True) -> Runtime:
        if not settings.key_path.exists():
            raise StartupError(f"the encryption key {settings.key_path} is missing: run `mappa init` first "
                               "(or restore the key from its backup)")
        engine = make_engine(settings.database_url)
        if migrate_schema:
            migrate(engine)
        return cls(settings, sessions(engine), Vault(settings.vault_dir, settings.key_path),
                   journal.Folders(settings.store_dir / "incoming", settings.data_dir / "rejected"))

    def pipeline(self) -> Pipeline:
        from mappa.batch import ReadAhead, default_workers
        from mappa.stages import build_stages

        stages = build_stages(self.settings)
        limits = self.settings.limits
        ahead = ReadAhead(stages.read, limits.timeout_seconds, limits.memory_mb,
                          default_workers(self.settings.nlp.workers))
        return Pipeline(self.settings, self.sessions, self.vault, stages, ahead)


def check_folder(path: Path) -> str | None:
    """Can we create, rename and delete here? Returns what is wrong, in words, or None."""
    if not path.exists():
        return f"{path} does not exist (create it, or fix the path in mappa.toml)"
    if not path.is_dir():
        return f"{path} is not a folder"
    probe = path / f".mappa-probe-{secrets.token_hex(4)}.tmp"
    moved = probe.with_name(probe.name + ".renamed.tmp")
    try:
        probe.write_bytes(b"probe")
        os.rename(probe, moved)
        moved.unlink()
    except OSError as exc:
        probe.unlink(missing_ok=True)
        return f"cannot create, rename and delete files in {path}: {exc.strerror or exc} (check permissions or the share)"
    return None


def startup_checks(settings: Settings) -> None:
    folders = [path for _, path in settings.watch_paths()]
    folders += [settings.data_dir, settings.store_dir]
    problems = [p for p in (check_folder(f) for f in folders) if p]
    if problems:
        raise StartupError("the service cannot start:\n  " + "\n  ".join(problems))


def folders_of(settings: Settings) -> tuple[Folder, ...]:
    return tuple(Folder(path, w.source, w.doc_type_hint, w.polling) for w, path in settings.watch_paths())


class _Stop:
    requested = False


def run_watch(runtime: Runtime, once: bool = False, on_event: Callable[[str, int, str], None] | None = None,
              max_seconds: float | None = None) -> int:
    """Watch until stopped (or, with ``once``, until everything present is processed)."""
    settings = runtime.settings
    for d in (settings.store_dir, settings.data_dir / "rejected"):
        d.mkdir(parents=True, exist_ok=True)
    startup_checks(settings)
    runtime.folders.ensure()
    stale = remove_stale_conversions()
    if stale:
        log.warning("removed %d conversion folders an earlier crash left in the temporary folder", stale)
    recovered = journal.recover(runtime.sessions, runtime.vault, runtime.folders)
    if recovered:
        log.info("recovered %d interrupted claims", recovered)
    pipeline = runtime.pipeline()
    from mappa.warm import warm
    from outputs.docs import warm_templates

    log.info("models warmed in %.1f s", warm(pipeline.stages, settings.limits.read_limits()))
    warm_templates()
    # Everything loaded so far (spaCy, presidio, the readers) lives as long as the process: kept
    # out of the garbage collector's sight, a forked child (reader, worker) does not copy every
    # page of it when its collector runs, and no collection walks it again.
    gc.collect(1)  # the young warm-up garbage; a full collection of this heap costs a third of a second
    gc.freeze()
    watcher = Watcher(folders_of(settings), settle_seconds=settings.service.settle_seconds,
                      rescan_seconds=settings.service.rescan_seconds,
                      poll_interval=settings.service.poll_interval_seconds, use_events=not once)
    stop = _Stop()

    def _request_stop(signum: int, _frame: object) -> None:
        log.info("signal %s: finishing the current document, then stopping", signum)
        stop.requested = True

    previous = {s: signal.signal(s, _request_stop) for s in (signal.SIGTERM, signal.SIGINT)}
    processed = 0
    started = time.monotonic()
    log.info("ready: watching %s", ", ".join(str(f.path) for f in watcher.folders))
    if on_event:
        on_event("ready", 0, "")

    def done(doc_id: int, state: str) -> None:
        if on_event:
            on_event("done", doc_id, state)

    try:
        pipeline.run_pending(done)  # resume documents a crash left mid-way
        first = True
        while not stop.requested:
            try:
                ready, refused = watcher.poll(force_scan=first)
                first = False
                for item in refused:
                    journal.refuse(runtime.folders, item)
                for candidate in ready:
                    doc_id = journal.claim(runtime.sessions, runtime.vault, runtime.folders, candidate)
                    if doc_id is None:
                        watcher.requeue(candidate.path)
                        continue
                    watcher.forget(candidate.path)
                    if on_event:
                        on_event("claimed", doc_id, candidate.path.name)
                    processed += 1
                pipeline.run_pending(done)
            except (OperationalError, OSError) as exc:
                log.warning("transient problem (%s); retrying shortly", exc)
                time.sleep(settings.service.retry_base_seconds)
            except Exception:  # noqa: BLE001 - the watcher must never die of one bad moment
                log.exception("unexpected error in the watch loop; continuing")
                time.sleep(settings.service.retry_base_seconds)
            if once and not watcher.has_waiting() and not pipeline.pending():
                break
            if max_seconds is not None and time.monotonic() - started > max_seconds:
                break
            time.sleep(min(0.2, settings.service.poll_interval_seconds) if watcher.has_waiting() else
                       settings.service.poll_interval_seconds)
    finally:
        watcher.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return processed
