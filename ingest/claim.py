"""Deciding whether a file in the inbox may be taken, and taking it safely.

A file is taken only when it is complete (size and mtime unchanged for the settle period),
a regular file reached without following a link, and not editor or OS junk. Taking it is an
atomic rename out of the inbox, so a half-copied file is never read and a taken file is
never taken twice. Across filesystems (inbox on a share, store local) we copy, fsync, verify
the hash and only then remove the original: the file exists somewhere at every instant.
"""

from __future__ import annotations

import errno
import fnmatch
import hashlib
import os
import shutil
import stat
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ingest.vault import fsync_dir

# Office lock files, partial downloads and OS droppings: never documents.
JUNK_PATTERNS: tuple[str, ...] = (
    "~$*", ".~lock.*", "*.tmp", "*.temp", "*.part", "*.partial", "*.crdownload", "*.download",
    ".DS_Store", "Thumbs.db", "desktop.ini", "._*", ".*.swp", "*~", ".gitkeep",
)


class Refusal(StrEnum):
    SYMLINK = "symbolic link: refused so that its target is never read or moved"
    HARDLINK = "hard link to a file elsewhere: refused; drop a copy of the file instead"
    NOT_REGULAR = "not a regular file (device, FIFO or socket): refused"
    DIRECTORY = "a folder: drop the files themselves"


def is_junk(name: str) -> bool:
    return any(fnmatch.fnmatchcase(name, pat) or fnmatch.fnmatchcase(name.lower(), pat.lower()) for pat in JUNK_PATTERNS)


def refusal_for(st: os.stat_result) -> Refusal | None:
    mode = st.st_mode
    if stat.S_ISLNK(mode):
        return Refusal.SYMLINK
    if stat.S_ISDIR(mode):
        return Refusal.DIRECTORY
    if not stat.S_ISREG(mode):
        return Refusal.NOT_REGULAR
    if st.st_nlink > 1:
        return Refusal.HARDLINK
    return None


@dataclass(frozen=True)
class Observation:
    size: int
    mtime_ns: int
    inode: int


@dataclass
class SettleTracker:
    """Remembers when each path last changed; a path is ready once quiet for ``settle`` seconds.

    Empty files wait longer (``empty_grace``): a zero-byte file is usually a copy that has not
    started yet, but one that stays empty is a failed send and must still reach a person.
    """

    settle: float
    empty_grace: float
    seen: dict[Path, tuple[Observation, float]]

    @classmethod
    def create(cls, settle: float) -> SettleTracker:
        return cls(settle=settle, empty_grace=max(5 * settle, 2.0), seen={})

    def observe(self, path: Path, st: os.stat_result, now: float) -> bool:
        obs = Observation(st.st_size, st.st_mtime_ns, st.st_ino)
        previous = self.seen.get(path)
        if previous is None or previous[0] != obs:
            self.seen[path] = (obs, now)
            return self.settle <= 0 and obs.size > 0
        quiet_for = now - previous[1]
        needed = self.empty_grace if obs.size == 0 else self.settle
        return quiet_for >= needed

    def forget(self, path: Path) -> None:
        self.seen.pop(path, None)

    def prune(self, present: set[Path]) -> None:
        for path in list(self.seen):
            if path not in present:
                del self.seen[path]


@dataclass(frozen=True)
class Hashed:
    sha256: str
    size: int
    observation: Observation


class ChangedWhileReading(Exception):
    """The file changed under us: it is still being written. Not an error; try again later."""


def hash_file(path: Path) -> Hashed:
    """SHA-256 of the file's content, read without following links, checked for change."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    try:
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode):
            raise ChangedWhileReading(f"{path.name} is not a regular file")
        digest = hashlib.sha256()
        size = 0
        while chunk := os.read(fd, 1 << 20):
            digest.update(chunk)
            size += len(chunk)
        after = os.fstat(fd)
    finally:
        os.close(fd)
    if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns) or size != after.st_size:
        raise ChangedWhileReading(f"{path.name} changed while it was being read")
    return Hashed(digest.hexdigest(), size, Observation(after.st_size, after.st_mtime_ns, after.st_ino))


def move_out(source: Path, target: Path, expected_sha256: str) -> None:
    """Move ``source`` to ``target`` atomically; across filesystems copy, fsync, verify, then remove."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.rename(source, target)
        fsync_dir(target.parent)
        return
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
    tmp = target.with_name(target.name + ".copying")
    with open(source, "rb") as src, open(tmp, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
        dst.flush()
        os.fsync(dst.fileno())
    copied = hash_file(tmp)
    if copied.sha256 != expected_sha256:
        tmp.unlink(missing_ok=True)
        raise ChangedWhileReading(f"{source.name} changed during the cross-device copy")
    os.replace(tmp, target)
    fsync_dir(target.parent)
    source.unlink()


def display_name(path: Path) -> str:
    """A file name safe to store and show, even if the share gave us undecodable bytes."""
    return os.fsencode(path.name).decode("utf-8", "replace")
