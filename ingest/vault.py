"""The encrypted document store: AES-GCM blobs named by content hash.

Full MAPPA documents, extracted text and redaction logs are confidential; a copy of the data
folder (a backup tape, a stolen laptop) must not reveal them. The key lives outside the data
folder (``keys/mappa.key``, mode 0600) so the two are backed up and leaked separately.

Blob format: ``MAPPA1`` magic, 1-byte key id length + key id, 12-byte nonce, ciphertext+tag.
The associated data binds each blob to its name, so a blob cannot be swapped for another.
Key rotation re-encrypts every blob under a new key and keeps the old one until done.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"MAPPA1"
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,200}")


class VaultError(Exception):
    """A blob is missing, tampered with, or was written under a key we no longer hold."""


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# Folders whose fsync waits for the end of the current ``folders_synced_at_end`` block.
_deferred_folders: ContextVar[set[Path] | None] = ContextVar("mappa_deferred_folder_syncs", default=None)


@contextlib.contextmanager
def folders_synced_at_end() -> Iterator[None]:
    """Within the block, each file ``atomic_write`` writes is fsynced at once, but the folder
    that holds it (which makes the new name durable) only once, when the block ends.

    A pipeline step writes a dozen files into three or four folders (summaries, letters, the
    vault, team folders); syncing each folder once per step rather than once per file halves
    the fsyncs. The pipeline commits the step's database state after the block, so whatever
    the database says was written is on disk, as before."""
    folders: set[Path] = set()
    token = _deferred_folders.set(folders)
    try:
        yield
    finally:
        _deferred_folders.reset(token)
        for folder in sorted(folders):
            with contextlib.suppress(FileNotFoundError):
                fsync_dir(folder)


def atomic_write(path: Path, data: bytes, mode: int = 0o600, *, sync_folder_now: bool = False) -> None:
    """Write to a temporary sibling, fsync, then rename: readers never see half a file.
    ``sync_folder_now``: make the name durable before returning even inside
    ``folders_synced_at_end`` (a sent marker must be, before anything else happens)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    deferred = _deferred_folders.get()
    if deferred is None or sync_folder_now:
        fsync_dir(path.parent)
    else:
        deferred.add(path.parent)


def create_key(path: Path) -> None:
    """Create a key file with mode 0600 if there is none. Never overwrites a key."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.exists():
        return
    key_id = secrets.token_hex(4)
    atomic_write(path, f"{key_id}:{AESGCM.generate_key(bit_length=256).hex()}\n".encode(), mode=0o600)


def _load_keys(path: Path) -> dict[str, bytes]:
    """The key file holds one key per line, newest first; older lines serve rotation."""
    if not path.exists():
        raise VaultError(f"encryption key {path} is missing: run `mappa init` (or restore the key from backup)")
    keys: dict[str, bytes] = {}
    for line in path.read_text().splitlines():
        if line.strip():
            key_id, _, hexkey = line.strip().partition(":")
            keys[key_id] = bytes.fromhex(hexkey)
    if not keys:
        raise VaultError(f"encryption key file {path} is empty")
    return keys


@dataclass
class Vault:
    root: Path
    key_path: Path

    def __post_init__(self) -> None:
        self._keys = _load_keys(self.key_path)
        self._current = next(iter(self._keys))

    def path_for(self, name: str) -> Path:
        # Names are chosen by the service (hash + suffix), never by a dropped file's name.
        if not _SAFE_NAME.fullmatch(name):
            raise VaultError(f"unsafe blob name {name!r}")
        return self.root / name[:2] / f"{name}.enc"

    def put(self, name: str, data: bytes) -> Path:
        path = self.path_for(name)
        nonce = secrets.token_bytes(12)
        kid = self._current.encode()
        blob = MAGIC + bytes([len(kid)]) + kid + nonce + AESGCM(self._keys[self._current]).encrypt(nonce, data, name.encode())
        atomic_write(path, blob)
        return path

    def get(self, name: str) -> bytes:
        path = self.path_for(name)
        try:
            blob = path.read_bytes()
        except FileNotFoundError:
            raise VaultError(f"stored copy {name} is missing") from None
        if not blob.startswith(MAGIC):
            raise VaultError(f"stored copy {name} is not an encrypted blob")
        klen = blob[len(MAGIC)]
        kid = blob[len(MAGIC) + 1 : len(MAGIC) + 1 + klen].decode()
        rest = blob[len(MAGIC) + 1 + klen :]
        if kid not in self._keys:
            raise VaultError(f"stored copy {name} was encrypted with key {kid}, which is not in {self.key_path}")
        try:
            return AESGCM(self._keys[kid]).decrypt(rest[:12], rest[12:], name.encode())
        except Exception as exc:
            raise VaultError(f"stored copy {name} failed its integrity check (tampered or corrupt)") from exc

    def exists(self, name: str) -> bool:
        return self.path_for(name).exists()

    def destroy(self, name: str) -> bool:
        """Overwrite the ciphertext with random bytes, fsync, then unlink.

        On a copy-on-write or journalling filesystem overwriting is best effort; what makes the
        content unrecoverable is that the ciphertext alone is useless without the key, and the
        overwrite removes even that.
        """
        path = self.path_for(name)
        if not path.exists():
            return False
        size = path.stat().st_size
        with open(path, "r+b") as fh:
            fh.write(secrets.token_bytes(size))
            fh.flush()
            os.fsync(fh.fileno())
        path.unlink()
        fsync_dir(path.parent)
        return True

    def names(self) -> list[Path]:
        return sorted(self.root.glob("*/*.enc"))

    def rotate(self) -> int:
        """Add a new key, re-encrypt every blob under it, then drop the old keys. Returns blobs rewritten."""
        new_id = secrets.token_hex(4)
        new_key = AESGCM.generate_key(bit_length=256)
        lines = [f"{new_id}:{new_key.hex()}"] + [f"{k}:{v.hex()}" for k, v in self._keys.items()]
        atomic_write(self.key_path, ("\n".join(lines) + "\n").encode(), mode=0o600)
        self._keys = _load_keys(self.key_path)
        self._current = new_id
        count = 0
        for path in self.names():
            # The blob's name is authenticated data; it is the file stem.
            name = path.stem
            self.put(name, self.get(name))
            count += 1
        atomic_write(self.key_path, f"{new_id}:{new_key.hex()}\n".encode(), mode=0o600)
        self._keys = _load_keys(self.key_path)
        return count
