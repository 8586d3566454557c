"""The one entry point the driver calls for every received file: bytes in, text model out.

The format is decided by content (``formats.sniff``), never by the extension alone; the
extension is checked against it and a mismatch is told to a person. Every failure is a value
(``ReadFailure``) with a reason an admin can act on: this function never raises.
"""

from __future__ import annotations

import dataclasses
import os
import time

from extract.formats.common import Outcome, Reader, Refused, short
from extract.formats.sniff import EXTENSIONS, LABELS, Sniffed, mismatch, sniff
from extract.limits import ReadLimits
from extract.model import Flag, ReadFailure, TextDocument

# Formats detected but not read, with what the admin should do (data, not code paths).
UNREADABLE: dict[str, tuple[str, str]] = {
    "encrypted_office": ("password_protected",
                         "The Office document is password protected: ask the sender for an unprotected copy"),
    "xlsx": ("unsupported", "it is an Excel workbook, which this service does not read: save the MAPPA document "
             "as PDF or Word"),
    "pptx": ("unsupported", "it is a PowerPoint file, which this service does not read: save it as PDF"),
    "odt": ("unsupported", "it is an OpenDocument file: save it as .docx or PDF and drop it again"),
    "zip": ("unsupported", "it is a zip archive that is not a Word document: unzip it and drop the documents"),
    "ole": ("unsupported", "it is an Office file of a kind this service does not read: save it as PDF or .docx"),
    "binary": ("unsupported", "it is not a document format this service reads"),
    "docx_damaged": ("corrupt", "it looks like a zip or Word file but is damaged (perhaps truncated): ask the "
                     "sender to send it again"),
    "ole_damaged": ("corrupt", "it looks like an Office or Outlook file but is damaged (perhaps truncated): ask "
                    "the sender to send it again"),
}


def _readers() -> dict[str, Reader]:
    # Imported here so that one reader's heavy imports do not slow the others' start.
    from extract.formats.docx import read_docx
    from extract.formats.image import read_image
    from extract.formats.legacy import read_legacy
    from extract.formats.mail import read_eml, read_msg
    from extract.formats.pdf import read_pdf
    from extract.formats.text import read_text

    return {
        "pdf": read_pdf,
        "docx": read_docx,
        "doc": lambda data, limits: read_legacy(data, limits, "doc"),
        "rtf": lambda data, limits: read_legacy(data, limits, "rtf"),
        "eml": read_eml,
        "msg": read_msg,
        "txt": read_text,
        "png": lambda data, limits: read_image(data, limits, "png"),
        "jpeg": lambda data, limits: read_image(data, limits, "jpeg"),
        "tiff": lambda data, limits: read_image(data, limits, "tiff"),
    }


def read_document(data: bytes, filename: str, limits: ReadLimits) -> TextDocument | ReadFailure:
    started = time.perf_counter()
    try:
        result = _read(data, filename, limits)
    except Refused as refused:
        result = refused.failure
    except MemoryError:
        result = ReadFailure("the file needs more memory to read than is allowed: it may be built to exhaust "
                             "readers; ask the sender for a fresh copy", "too_large")
    except RecursionError:
        result = ReadFailure("the file is nested too deeply to read: it may be built to crash readers; ask the "
                             "sender for a fresh copy", "hostile")
    except Exception as exc:  # the stage boundary: nothing escapes  # noqa: BLE001
        result = ReadFailure(f"could not be read: {short(exc)}", "corrupt", detail=repr(exc)[:2000])
    if isinstance(result, TextDocument):
        result = dataclasses.replace(result, seconds=round(time.perf_counter() - started, 4))
    return result


def _read(data: bytes, filename: str, limits: ReadLimits) -> Outcome:
    if not data:
        return ReadFailure("the file is empty (0 bytes): it may not have finished copying; drop it again", "empty")
    if len(data) > limits.max_file_bytes:
        return ReadFailure(f"the file is {len(data) / 1e6:,.1f} MB, more than the "
                           f"{limits.max_file_bytes / 1e6:,.0f} MB allowed", "too_large")
    found = sniff(data)
    extension = os.path.splitext(filename)[1].lower()
    claimed = EXTENSIONS.get(extension)
    readers = _readers()
    if found.kind not in readers:
        code, reason = UNREADABLE.get(found.kind, UNREADABLE["binary"])
        if claimed and claimed != found.kind and code == "unsupported":
            reason = f"not {LABELS[claimed]} although named {extension}: {reason}"
        return ReadFailure(reason, code, detail=f"detected: {found.kind}")
    result = readers[found.kind](data, limits)
    if isinstance(result, TextDocument):
        result = _check(result, found, claimed, extension, limits)
    return result


def _check(doc: TextDocument, found: Sniffed, claimed: str | None, extension: str, limits: ReadLimits) -> Outcome:
    if len(doc.text) > limits.max_chars:
        return ReadFailure(f"the document holds more than {limits.max_chars:,} characters of text, far more than "
                           "any MAPPA document: check it is the right file", "too_large")
    flags = list(doc.flags)
    if mismatch(claimed, found.kind):
        assert claimed is not None
        # A renamed Word file is common and harmless; "text" under a binary format's name is not.
        flags.insert(0, Flag("extension_mismatch", f"named {extension} but is {found.label}: read as "
                             f"{found.label}; check it is the intended file", review=found.kind == "txt"))
    if not doc.text.strip() and not any(f.code == "no_text" for f in flags):
        flags.append(Flag("no_text", "no text was found in the document", review=True))
    return dataclasses.replace(doc, flags=tuple(flags))
