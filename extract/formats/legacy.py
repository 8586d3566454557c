"""Legacy Word (.doc) and RTF: converted to .docx by LibreOffice when it is installed.

Parsing the binary Word format ourselves would be a large, risky reader for a shrinking share
of files; LibreOffice converts faithfully, in a separate process with a time limit.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import struct
import subprocess
import tempfile
import time
from pathlib import Path

from extract.formats.common import Outcome, refuse
from extract.formats.docx import read_docx
from extract.limits import ReadLimits
from extract.model import Flag, TextDocument

CONVERT_SECONDS = 120
CONVERT_PREFIX = "mappa-convert-"
NO_LIBREOFFICE = ("Legacy Word/RTF file and LibreOffice is not installed: save it as .docx and drop it again")


def _doc_encrypted(data: bytes) -> bool:
    """The FIB's fEncrypted bit, read from the WordDocument stream."""
    import olefile

    try:
        with olefile.OleFileIO(data) as ole:
            fib = ole.openstream("WordDocument").read(12)
    except Exception:  # olefile raises many types on damaged containers
        return False
    return len(fib) >= 12 and bool(struct.unpack("<H", fib[10:12])[0] & 0x0100)


def read_legacy(data: bytes, limits: ReadLimits, fmt: str) -> Outcome:
    if fmt == "doc" and _doc_encrypted(data):
        raise refuse("password_protected", "The Word document is password protected: ask the sender for an "
                     "unprotected copy")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise refuse("unsupported", NO_LIBREOFFICE)
    with tempfile.TemporaryDirectory(prefix=CONVERT_PREFIX) as tmp:
        source = Path(tmp) / f"input.{fmt}"
        source.write_bytes(data)
        profile = Path(tmp) / "profile"
        try:
            subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                            "--convert-to", "docx", "--outdir", tmp, str(source)],
                           capture_output=True, timeout=CONVERT_SECONDS, check=False)
        except subprocess.TimeoutExpired as exc:
            raise refuse("timeout", f"converting the {fmt.upper()} file took longer than {CONVERT_SECONDS} s: "
                         "save it as .docx and drop it again") from exc
        converted = Path(tmp) / "input.docx"
        if not converted.exists():
            raise refuse("corrupt", f"LibreOffice could not convert the {fmt.upper()} file: it may be damaged; "
                         "save it as .docx and drop it again")
        result = read_docx(converted.read_bytes(), limits)
    if isinstance(result, TextDocument):
        note = Flag("converted", f"{fmt.upper()} file converted to .docx by LibreOffice before reading")
        result = dataclasses.replace(result, format=fmt, flags=(note, *result.flags))
    return result


def remove_stale_conversions(older_than: float = 10 * CONVERT_SECONDS) -> int:
    """Remove the conversion folders a crash left behind; returns how many.

    Each holds a plaintext copy of a document (and LibreOffice's output) until the conversion
    ends; a machine that dies mid-way leaves it in the system's temporary folder. Only this
    user's folders, and only those older than any conversion can take, so a conversion running
    in another service process on the same machine is left alone.
    """
    removed = 0
    now = time.time()
    for folder in Path(tempfile.gettempdir()).glob(CONVERT_PREFIX + "*"):
        try:
            info = folder.lstat()
            if folder.is_symlink() or not folder.is_dir() or info.st_uid != os.getuid():
                continue
            if now - info.st_mtime > older_than:
                shutil.rmtree(folder)
                removed += 1
        except OSError:
            continue
    return removed
