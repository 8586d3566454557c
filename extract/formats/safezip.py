"""Zip checks made on the central directory before any member is inflated.

A zip bomb is only dangerous once inflated, and the central directory states every member's
sizes up front; ``zipfile`` then refuses to inflate past the stated size (and fails the CRC),
so a lying directory cannot bypass these checks either.
"""

from __future__ import annotations

import io
import zipfile

from extract.formats.common import refuse
from extract.limits import ReadLimits

# Ratios of small members say nothing (a 40-byte XML file can compress 1:50); judge members
# that would matter to memory.
RATIO_FLOOR_BYTES = 1024 * 1024


def open_checked_zip(data: bytes, limits: ReadLimits, what: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise refuse("corrupt", f"the {what} is damaged (its zip structure cannot be read): it may be truncated; "
                     "ask the sender to send it again", detail=str(exc)) from exc
    infos = archive.infolist()
    if len(infos) > limits.max_zip_members:
        raise refuse("too_large", f"the {what} holds {len(infos):,} parts, more than the {limits.max_zip_members:,} "
                     "allowed: it looks built to exhaust readers (zip bomb)")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise refuse("password_protected", f"the {what} is encrypted: ask the sender for an unprotected copy")
        total += info.file_size
        if info.file_size >= RATIO_FLOOR_BYTES:
            ratio = info.file_size / max(1, info.compress_size)
            if ratio > limits.max_compression_ratio:
                raise refuse("too_large", f"the {what} has a part ({info.filename}) that expands {ratio:,.0f} times, "
                             f"more than the {limits.max_compression_ratio:,.0f} allowed: it looks like a zip bomb")
    if total > limits.max_uncompressed_bytes:
        raise refuse("too_large", f"the {what} expands to {total / 1e6:,.0f} MB, more than the "
                     f"{limits.max_uncompressed_bytes / 1e6:,.0f} MB allowed: it looks like a zip bomb")
    return archive
