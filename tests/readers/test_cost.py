"""Work estimates from bytes alone: used to start the dearest documents of a batch first."""

from __future__ import annotations

import zlib

import pytest

from extract.formats.cost import OCR_PAGE, work_estimate
from tests.readers.make_docx import minutes_docx
from tests.readers.make_pdf import prose_pdf, scanned_pdf

PARA = "The panel discussed the risk he poses to children in the household and agreed the actions below. " * 6


@pytest.mark.parametrize("breaks", [0, 4, 19])
def test_a_text_pdf_costs_its_pages(breaks: int) -> None:
    assert work_estimate(prose_pdf("Minutes", [PARA] * (breaks + 1), page_breaks=breaks)) == breaks + 1


def test_a_scanned_page_costs_more_than_many_text_pages() -> None:
    scan = work_estimate(scanned_pdf([["MAPPA minutes", "Subject: John SMITH"]]))
    assert scan == 1 + OCR_PAGE and scan > work_estimate(prose_pdf("Minutes", [PARA] * 5, page_breaks=4))


def test_packed_page_objects_fall_back_to_size() -> None:
    """Object streams (compressed) hide the page objects from a byte search: the size decides."""
    body = zlib.compress(prose_pdf("Minutes", [PARA] * 30, page_breaks=29))
    packed = b"%PDF-1.7\n1 0 obj << /Type /ObjStm /N 60 /Filter /FlateDecode >> stream\n" + body
    assert b"/Type /Page" not in packed
    assert work_estimate(packed) == max(1.0, len(packed) / 20_000)
    assert work_estimate(b"%PDF-1.7\n" + b"x" * 1_000) == 1.0


@pytest.mark.parametrize(("data", "low", "high"), [
    (b"Subject: John SMITH\n" * 20, 0.5, 1.0),
    (b"Subject: John SMITH\n" * 2_000, 10.0, 20.0),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, OCR_PAGE, OCR_PAGE),
])
def test_text_and_images(data: bytes, low: float, high: float) -> None:
    assert low <= work_estimate(data) <= high


def test_a_word_document_grows_with_its_text() -> None:
    short = minutes_docx("Minutes", [PARA], [("Subject", "John SMITH")], "OFFICIAL", "Page")
    long = minutes_docx("Minutes", [PARA] * 200, [("Subject", "John SMITH")], "OFFICIAL", "Page")
    assert 1.0 <= work_estimate(short) < work_estimate(long)
