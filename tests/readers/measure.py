"""Seconds per page for each reader, and pypdfium2 against pdfplumber on the same PDF.

Not a test: run ``.venv/bin/python -m tests.readers.measure`` and read the table.
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable

import pdfplumber
import pypdfium2 as pdfium

from extract.limits import ReadLimits
from extract.model import TextDocument
from extract.read import read_document
from tests.readers import make_docx, make_mail, make_pdf

LIMITS = ReadLimits()
SENTENCES = [
    "The panel discussed the risk posed to the children in the household and agreed the plan.",
    "Police confirmed that the subject has reported as required and that home visits continue.",
    "Children's services will complete an assessment and report back to the next panel meeting.",
]


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times) if runs < 3 else statistics.median(times)


def prose_pages(pages: int) -> bytes:
    return make_pdf.prose_pdf("MAPPA Level 2 Minutes", SENTENCES * 6 * pages, page_breaks=pages - 1)


def table_pages(pages: int) -> bytes:
    rows = [[f"{9 + i // 4}:{15 * (i % 4):02d}", f"Person {i}", "01/01/1980", "2", "Probation", "Open case"]
            for i in range(22 * pages)]
    return make_pdf.landscape_agenda_pdf("Agenda", ["Time", "Name", "DOB", "Level", "Agency", "CS"], rows, "End.")


def pdfium_text(data: bytes) -> int:
    pdf = pdfium.PdfDocument(data)
    n = 0
    for page in pdf:
        n += len(page.get_textpage().get_text_range())
    pdf.close()
    return n


def plumber_text(data: bytes) -> int:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return sum(len(page.extract_text() or "") for page in pdf.pages)


def plumber_tables(data: bytes) -> int:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return sum(len(page.find_tables()) for page in pdf.pages)


def read(data: bytes, name: str) -> TextDocument:
    result = read_document(data, name, LIMITS)
    assert isinstance(result, TextDocument), result
    return result


def main() -> None:
    prose = prose_pages(30)
    tables = table_pages(10)
    prose_n = read(prose, "p.pdf").page_count
    table_n = read(tables, "t.pdf").page_count
    scan = make_pdf.scanned_pdf([[f"MAPPA minutes page {i}", "Subject: Carl WEBB", "Risk to children: high"]
                                 for i in range(3)])
    png = io.BytesIO()
    make_pdf.text_image(["Prison release notification", "Name: Carl WEBB"]).save(png, format="PNG")
    docx = make_docx.minutes_docx("Minutes", SENTENCES * 40, [("Name", "Carl WEBB")] * 20, "OFFICIAL", "Page")
    eml = make_mail.covering_email("Minutes", "\n\n".join(SENTENCES * 10),
                                   [("m.docx", docx, "application/octet-stream")])
    text = ("\n\n".join(SENTENCES * 40)).encode()
    rows = [
        ("pdf prose: pypdfium2 plain text only", prose_n, best_of(5, lambda: pdfium_text(prose))),
        ("pdf prose: pdfplumber extract_text", prose_n, best_of(3, lambda: plumber_text(prose))),
        ("pdf prose: read_document", prose_n, best_of(5, lambda: read(prose, "p.pdf"))),
        ("pdf tables: pypdfium2 plain text only", table_n, best_of(5, lambda: pdfium_text(tables))),
        ("pdf tables: pdfplumber find_tables", table_n, best_of(3, lambda: plumber_tables(tables))),
        ("pdf tables: read_document", table_n, best_of(3, lambda: read(tables, "t.pdf"))),
        ("pdf scanned (OCR, 200 dpi): read_document", 3, best_of(1, lambda: read(scan, "s.pdf"))),
        ("png image (OCR): read_document", 1, best_of(1, lambda: read(png.getvalue(), "i.png"))),
        ("docx (120 paragraphs, 20-row table)", 1, best_of(5, lambda: read(docx, "m.docx"))),
        ("eml with a docx attachment (body only)", 1, best_of(5, lambda: read(eml, "m.eml"))),
        ("txt (120 paragraphs)", 1, best_of(5, lambda: read(text, "m.txt"))),
    ]
    print(f"{'reader':48} {'pages':>5} {'s/page':>9} {'total s':>8}")
    for label, pages, seconds in rows:
        print(f"{label:48} {pages:5d} {seconds / pages:9.4f} {seconds:8.3f}")


if __name__ == "__main__":
    main()
