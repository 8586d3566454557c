"""Plain text in any encoding and line ending; image files through OCR."""

from __future__ import annotations

import codecs
import io

import pytest

from extract.limits import ReadLimits
from extract.read import read_document
from tests.readers import make_pdf
from tests.readers.checks import consistent, flag_codes, kinds

LIMITS = ReadLimits()
TEXT = "MAPPA Level 2 minutes\n\nSubject: Siân O'Neill – £250 fine noted.\nRisk: high.\n\nNext review: 3 June 2025."


@pytest.mark.parametrize(("encoded", "newline"), [
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "\n"),
    (TEXT.replace("\n", "\r\n").encode("utf-8"), "\r\n"),
    (TEXT.replace("\n", "\r").encode("cp1252"), "\r"),
    (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "\n"),
    (TEXT.encode("utf-8"), "\n"),
])
def test_text_any_encoding_and_line_ending(encoded: bytes, newline: str) -> None:
    doc = consistent(read_document(encoded, "notes.txt", LIMITS))
    assert doc.text.startswith("MAPPA Level 2 minutes")
    assert kinds(doc, "paragraph") == ["MAPPA Level 2 minutes", "Subject: Siân O'Neill – £250 fine noted.\nRisk: high.",
                                       "Next review: 3 June 2025."]
    assert "\r" not in doc.text and "\ufeff" not in doc.text


def test_form_feeds_are_pages() -> None:
    doc = consistent(read_document(b"Page one text.\fPage two text.\f", "out.txt", LIMITS))
    assert doc.page_count == 2
    assert [b.span.page for b in doc.blocks] == [1, 2]


def test_png_image_is_ocred() -> None:
    image = make_pdf.text_image(["Prison release notification", "Name: Carl WEBB", "Release date: 20 June 2025"])
    out = io.BytesIO()
    image.save(out, format="PNG")
    doc = consistent(read_document(out.getvalue(), "photo.png", LIMITS))
    assert doc.format == "png"
    assert doc.pages[0].ocr_confidence is not None and doc.pages[0].ocr_confidence > 60
    for word in ("Prison", "WEBB", "June", "2025"):
        assert word in doc.text
    assert "ocr" in flag_codes(doc)


def test_ocr_puts_no_copy_of_the_page_or_its_words_on_disk(tmp_path, monkeypatch) -> None:
    """While Tesseract reads, the temporary folder holds nothing: a copy there would outlive a
    crash as a plaintext piece of a restricted document."""
    import subprocess
    import tempfile

    from extract.formats import ocr

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    seen: list[list[str]] = []
    run = subprocess.run

    def watching(*args, **kwargs):
        seen.append(sorted(p.name for p in tmp_path.rglob("*")))
        return run(*args, **kwargs)

    monkeypatch.setattr(ocr.subprocess, "run", watching)
    page = ocr.ocr_image(make_pdf.text_image(["Prison release notification", "Name: Carl WEBB"]))
    assert "WEBB" in " ".join(page.paragraphs) and page.confidence > 60
    assert seen == [[]] and not list(tmp_path.rglob("*"))


@pytest.mark.parametrize(("command", "says"), [("/nonexistent/tesseract", "not installed"), ("false", "failed")])
def test_a_missing_or_failing_tesseract_is_a_clear_read_failure(monkeypatch, command: str, says: str) -> None:
    from extract.formats import ocr

    monkeypatch.setattr(ocr, "TESSERACT", command)
    with pytest.raises(ocr.OcrError, match=says):
        ocr.ocr_image(make_pdf.text_image(["Name: Carl WEBB"]))


@pytest.mark.parametrize("command", ["tesseract", "false", "/nonexistent/tesseract"])
def test_the_in_memory_page_is_closed_whether_tesseract_reads_it_or_not(monkeypatch, command: str) -> None:
    """A worker reads thousands of pages: a page file left open per read would exhaust its descriptors."""
    import os

    from extract.formats import ocr

    monkeypatch.setattr(ocr, "TESSERACT", command)
    before = sorted(os.listdir("/proc/self/fd"))
    for _ in range(3):
        try:
            ocr.ocr_image(make_pdf.text_image(["Name: Carl WEBB"]))
        except ocr.OcrError:
            assert command != "tesseract"
    assert sorted(os.listdir("/proc/self/fd")) == before
