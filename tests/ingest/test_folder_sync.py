"""Files are fsynced as they are written; inside a pipeline step their folders once, at the end,
and always before the step's database state is committed."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from ingest import vault
from ingest.vault import atomic_write, folders_synced_at_end


@pytest.fixture
def synced(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    calls: list[Path] = []
    real = vault.fsync_dir

    def recording(path: Path) -> None:
        calls.append(Path(path))
        real(path)

    monkeypatch.setattr(vault, "fsync_dir", recording)
    return calls


def test_outside_a_step_each_write_syncs_its_folder(tmp_path: Path, synced: list[Path]) -> None:
    atomic_write(tmp_path / "a.txt", b"a")
    atomic_write(tmp_path / "b.txt", b"b")
    assert synced == [tmp_path, tmp_path]


def test_inside_a_step_each_folder_is_synced_once_at_the_end(tmp_path: Path, synced: list[Path]) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    with folders_synced_at_end():
        atomic_write(one / "a.txt", b"a")
        atomic_write(one / "b.txt", b"b")
        atomic_write(two / "c.txt", b"c")
        assert synced == []  # the names are not yet durable: nothing may be committed here
        atomic_write(two / "marker", b"sent", sync_folder_now=True)
        assert synced == [two]
    assert sorted(synced) == [one, two, two]
    assert (one / "a.txt").read_bytes() == b"a" and (two / "c.txt").read_bytes() == b"c"


def test_folders_are_synced_even_when_the_step_fails(tmp_path: Path, synced: list[Path]) -> None:
    with pytest.raises(RuntimeError), folders_synced_at_end():
        atomic_write(tmp_path / "a.txt", b"a")
        raise RuntimeError("the step failed after writing")
    assert synced == [tmp_path]


def test_the_pipeline_commits_a_step_only_after_its_folders_are_synced(tmp_path: Path) -> None:
    """Every commit of the driver happens outside a deferral block, i.e. after the folders of
    the files the step wrote were synced; and the steps did write through the block."""
    from mappa.initialise import initialise
    from mappa.service import Runtime
    from mappa.settings import load_settings
    from tests.ingest.helpers import minutes_text
    from tests.test_batch_pipeline import _claim

    root = tmp_path / "ws"
    root.mkdir()
    runtime = Runtime.open(load_settings(initialise(root), environ={}))
    _claim(runtime, "minutes.txt", minutes_text(1, __import__("random").Random(3)))
    open_blocks: list[object] = []
    deferred_writes: list[Path] = []
    real_write = vault.atomic_write

    def watching_write(path: Path, data: bytes, mode: int = 0o600, *, sync_folder_now: bool = False) -> None:
        if vault._deferred_folders.get() is not None and not sync_folder_now:
            deferred_writes.append(path)
        real_write(path, data, mode, sync_folder_now=sync_folder_now)

    def before_commit(_session: Session) -> None:
        open_blocks.append(vault._deferred_folders.get())

    event.listen(Session, "before_commit", before_commit)
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(vault, "atomic_write", watching_write)
            pipeline = runtime.pipeline()
            pipeline.ahead = None
            assert pipeline.run_pending() == 1
    finally:
        event.remove(Session, "before_commit", before_commit)
    assert open_blocks and all(b is None for b in open_blocks)
    assert deferred_writes, "the steps' files went through the block"
