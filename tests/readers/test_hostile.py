"""Hostile and broken files: each ends in a clear ReadFailure (or a review flag), quickly.

read_document must never raise and never hang; each case is timed.
"""

from __future__ import annotations

import io
import os
import time
import zipfile
from collections.abc import Callable

import pytest

from extract.limits import ReadLimits
from extract.model import ReadFailure, TextDocument
from extract.read import read_document
from tests.readers import make_docx, make_mail, make_pdf
from tests.readers.checks import consistent, flag_codes

LIMITS = ReadLimits()
SECONDS = 20.0


def timed_read(data: bytes, name: str, limits: ReadLimits = LIMITS) -> TextDocument | ReadFailure:
    started = time.monotonic()
    result = read_document(data, name, limits)
    assert time.monotonic() - started < SECONDS
    return result


def failure(data: bytes, name: str, code: str, limits: ReadLimits = LIMITS) -> ReadFailure:
    result = timed_read(data, name, limits)
    assert isinstance(result, ReadFailure), result
    assert result.code == code, result
    assert result.reason and len(result.reason) < 300
    return result


@pytest.fixture(scope="module")
def docx_bytes() -> bytes:
    return make_docx.minutes_docx("MAPPA Minutes", ["The panel met.", "Risk is high."], [("Name", "Carl WEBB")],
                                  "OFFICIAL", "Page 1")


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    return make_pdf.prose_pdf("MAPPA Minutes", ["The panel met on 6 May 2025.", "Risk is high."])


def test_zero_bytes() -> None:
    assert "empty" in failure(b"", "minutes.pdf", "empty").reason


def test_file_over_the_size_limit() -> None:
    failure(b"%PDF-1.7\n" + b" " * 2000, "big.pdf", "too_large", ReadLimits(max_file_bytes=1000))


def test_zip_bomb_docx(docx_bytes: bytes) -> None:
    result = failure(make_docx.zip_bomb_docx(docx_bytes, megabytes=40), "bomb.docx", "too_large")
    assert "zip bomb" in result.reason


def test_zip_with_too_many_members(docx_bytes: bytes) -> None:
    failure(make_docx.many_members_docx(docx_bytes, 3000), "many.docx", "too_large")


def test_zip_total_size_limit(docx_bytes: bytes) -> None:
    failure(docx_bytes, "small.docx", "too_large", ReadLimits(max_uncompressed_bytes=10_000))


def test_deeply_nested_xml_is_refused(docx_bytes: bytes) -> None:
    deep = make_docx.deep_xml_docx(docx_bytes, 100_000)
    # With the ratio check out of the way, the depth check itself must refuse it.
    result = failure(deep, "deep.docx", "hostile", ReadLimits(max_compression_ratio=1e9))
    assert "deep" in result.reason
    assert isinstance(timed_read(deep, "deep.docx"), ReadFailure)


def test_billion_laughs_is_refused(docx_bytes: bytes) -> None:
    assert "entity" in failure(make_docx.billion_laughs_docx(docx_bytes), "lol.docx", "hostile").reason


def test_password_protected_docx(docx_bytes: bytes) -> None:
    result = failure(make_docx.encrypted_docx(docx_bytes), "locked.docx", "password_protected")
    assert "password" in result.reason


def test_password_protected_pdf() -> None:
    result = failure(make_pdf.encrypted_pdf("Confidential minutes"), "locked.pdf", "password_protected")
    assert result.reason == "The PDF is password protected: ask the sender for an unprotected copy"


def test_five_thousand_page_pdf_fails_fast() -> None:
    data = make_pdf.many_pages_pdf(5000)
    started = time.monotonic()
    result = failure(data, "bundle.pdf", "too_large")
    assert time.monotonic() - started < 2.0
    assert "5,000 pages" in result.reason


def test_decompression_bomb_pdf() -> None:
    result = failure(make_pdf.decompression_bomb_pdf(60), "bomb.pdf", "too_large")
    assert "decompression bomb" in result.reason
    tight = failure(make_pdf.decompression_bomb_pdf(8), "bomb.pdf", "too_large",
                    ReadLimits(max_uncompressed_bytes=5 * 1024 * 1024))
    assert "5 MB" in tight.reason
    wrapped = failure(make_pdf.decompression_bomb_pdf(60, ascii85=True), "bomb.pdf", "too_large")
    assert "decompression bomb" in wrapped.reason


def test_circular_pdf_objects_are_survived_and_flagged() -> None:
    result = timed_read(make_pdf.circular_pdf(), "loop.pdf")
    doc = consistent(result)
    assert "Circular references here" in doc.text
    assert {"pages_unreadable"} <= flag_codes(doc, review=True)


@pytest.mark.parametrize("kind", ["pdf", "docx", "eml"])
def test_truncated_files(kind: str, docx_bytes: bytes, pdf_bytes: bytes) -> None:
    data = {"pdf": pdf_bytes, "docx": docx_bytes,
            "eml": make_mail.covering_email("Minutes", "See attached.", [("m.pdf", pdf_bytes, "application/pdf")])}[kind]
    for cut in (len(data) // 2, 40):
        result = timed_read(data[:cut], f"cut.{kind}")
        if isinstance(result, ReadFailure):
            assert result.code in ("corrupt", "unsupported"), result
        else:  # readable part kept, and a person told (PDF) or the damage is in an attachment (e-mail)
            consistent(result)
            if kind == "pdf":
                assert flag_codes(result, review=True)


def test_wrong_extensions(docx_bytes: bytes, pdf_bytes: bytes) -> None:
    doc = consistent(timed_read(pdf_bytes, "minutes.docx"))
    assert next(f for f in doc.flags if f.code == "extension_mismatch").message.startswith(
        "named .docx but is a PDF")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("readme.txt", "not a word document")
    result = failure(archive.getvalue(), "minutes.pdf", "unsupported")
    assert result.reason.startswith("not a PDF although named .pdf: ")
    junk = failure(os.urandom(4096), "minutes.pdf", "unsupported")
    assert junk.reason.startswith("not a PDF although named .pdf: ")


def test_legacy_word_without_libreoffice() -> None:
    import shutil

    if shutil.which("soffice") or shutil.which("libreoffice"):
        pytest.skip("LibreOffice installed: conversion path applies")
    result = failure(b"{\\rtf1\\ansi Minutes of the panel.}", "minutes.rtf", "unsupported")
    assert result.reason == ("Legacy Word/RTF file and LibreOffice is not installed: save it as .docx and drop it "
                             "again")


def test_too_many_characters() -> None:
    failure(("word " * 5000).encode(), "long.txt", "too_large", ReadLimits(max_chars=1000))


MUTATIONS: list[Callable[[bytes], bytes]] = [
    lambda b: b[: len(b) // 3] + b[len(b) // 3 + 100:],
    lambda b: b.replace(b"obj", b"ojb"),
    lambda b: b.replace(b"stream", b"strea"),
    lambda b: bytes(x ^ 0x55 if i % 97 == 0 else x for i, x in enumerate(b)),
    lambda b: b[:-200],
]


@pytest.mark.parametrize("mutate", MUTATIONS)
def test_damaged_files_never_raise(mutate: Callable[[bytes], bytes], docx_bytes: bytes, pdf_bytes: bytes) -> None:
    for name, data in (("m.pdf", pdf_bytes), ("m.docx", docx_bytes)):
        result = timed_read(mutate(data), name)
        if isinstance(result, TextDocument):
            consistent(result)
        else:
            assert result.code in ("corrupt", "unsupported", "hostile", "too_large"), result


def test_conversion_folders_a_crash_left_are_removed_and_running_ones_kept(tmp_path, monkeypatch) -> None:
    """A legacy conversion holds a plaintext copy in the temporary folder until it ends."""
    import os
    import tempfile
    import time

    from extract.formats.legacy import CONVERT_PREFIX, remove_stale_conversions

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    stale, running, other = (tmp_path / f"{CONVERT_PREFIX}{n}" for n in ("old", "new", "x"))
    for folder in (stale, running):
        folder.mkdir()
        (folder / "input.doc").write_bytes(b"plaintext minutes")
    long_ago = time.time() - 7200
    os.utime(stale, (long_ago, long_ago))
    other.write_text("a file, not a conversion folder")
    os.utime(other, (long_ago, long_ago))
    assert remove_stale_conversions() == 1
    assert not stale.exists() and (running / "input.doc").exists() and other.exists()
