"""Decide a file's format from its bytes; the extension is only a claim to check.

Admin staff rename files, and mail systems strip or mangle extensions, so the content decides.
A mismatch is told to a person (as a flag) rather than trusted.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

import olefile

from extract.formats.text import decode_text

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"{\\rtf", "rtf"),
    (OLE_MAGIC, "ole"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
)

LABELS: dict[str, str] = {
    "pdf": "a PDF",
    "docx": "a Word document",
    "doc": "a legacy Word document",
    "rtf": "an RTF document",
    "msg": "an Outlook message",
    "eml": "an e-mail",
    "txt": "a text file",
    "png": "a PNG image",
    "jpeg": "a JPEG image",
    "tiff": "a TIFF image",
    "encrypted_office": "a password-protected Office document",
    "xlsx": "an Excel workbook",
    "pptx": "a PowerPoint presentation",
    "odt": "an OpenDocument file",
    "zip": "a zip archive that is not a Word document",
    "ole": "an Office file of a kind this service does not read (not Word or Outlook)",
    "binary": "binary data of no format this service reads",
}

EXTENSIONS: dict[str, str] = {
    ".pdf": "pdf", ".docx": "docx", ".docm": "docx", ".dotx": "docx", ".doc": "doc", ".dot": "doc",
    ".rtf": "rtf", ".msg": "msg", ".eml": "eml", ".txt": "txt", ".text": "txt", ".csv": "txt",
    ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".tif": "tiff", ".tiff": "tiff",
}
# Formats that are the same thing for the user: a .jpg that is really a PNG is not worth a flag.
SAME_FAMILY: tuple[frozenset[str], ...] = (frozenset({"png", "jpeg", "tiff"}),)

_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]{0,60}:[ \t]?", re.M)
_MAIL_HEADERS = (b"from", b"to", b"subject", b"date", b"received", b"message-id", b"mime-version",
                 b"return-path", b"content-type", b"cc", b"reply-to", b"delivered-to", b"x-mailer")


@dataclass(frozen=True)
class Sniffed:
    kind: str
    encoding: str = ""

    @property
    def label(self) -> str:
        return LABELS.get(self.kind, self.kind)


def sniff(data: bytes) -> Sniffed:
    head = data[:1024]
    if b"%PDF-" in head:
        return Sniffed("pdf")
    for magic, kind in MAGIC:
        if data.startswith(magic):
            if kind == "zip":
                return Sniffed(_zip_kind(data))
            if kind == "ole":
                return Sniffed(_ole_kind(data))
            return Sniffed(kind)
    if _looks_like_mail(data[:8192]):
        return Sniffed("eml")
    decoded = decode_text(data)
    if decoded is not None:
        return Sniffed("txt", decoded[1])
    return Sniffed("binary")


def _zip_kind(data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "docx_damaged"
    if "word/document.xml" in names:
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    if any(n.startswith("ppt/") for n in names):
        return "pptx"
    if "content.xml" in names and "mimetype" in names:
        return "odt"
    return "zip"


def _ole_kind(data: bytes) -> str:
    try:
        with olefile.OleFileIO(data) as ole:
            entries = ["/".join(path) for path in ole.listdir(streams=True, storages=True)]
    except Exception:  # olefile raises many types on damaged containers
        return "ole_damaged"
    top = {e.split("/")[0] for e in entries}
    if "EncryptedPackage" in top:
        return "encrypted_office"
    if "WordDocument" in top:
        return "doc"
    if any(e.startswith(("__substg1.0_", "__properties_version1.0", "__recip_version1.0", "__attach_version1.0"))
           for e in top):
        return "msg"
    return "ole"


def _looks_like_mail(head: bytes) -> bool:
    if head.startswith(b"From "):  # mbox separator line
        head = head.split(b"\n", 1)[-1]
    header_block = re.split(rb"\r?\n\r?\n", head, maxsplit=1)[0]
    lines = header_block.splitlines()
    if not lines or not _HEADER_LINE.match(lines[0]):
        return False
    names = {m.group(0).split(b":")[0].lower() for m in _HEADER_LINE.finditer(header_block)}
    return len(names.intersection(_MAIL_HEADERS)) >= 2 and (b"from" in names or b"received" in names)


def mismatch(extension_kind: str | None, actual: str) -> bool:
    if extension_kind is None or extension_kind == actual:
        return False
    return not any(extension_kind in fam and actual in fam for fam in SAME_FAMILY)
