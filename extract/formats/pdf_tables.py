"""Tables through pdfplumber, only on the pages that draw lines.

pdfplumber (pdfminer) is ~30x slower than pdfium per page, so it is asked only about pages
where pdfium saw path objects (ruled tables draw lines); its table finder then gives rows of
cells, which a key-value table ("Name | John SMITH") needs.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

import pdfplumber
from pdfplumber.page import Page

from extract.formats.common import time_limit

PLUMBER_OPEN_SECONDS = 15.0
PLUMBER_PAGE_SECONDS = 6.0
Box = tuple[float, float, float, float]  # left, bottom, right, top in PDF space (origin bottom-left)

logging.getLogger("pdfminer").setLevel(logging.ERROR)


@dataclass(frozen=True)
class FoundTable:
    box: Box
    rows: tuple[tuple[str, ...], ...]


def find_tables(data: bytes, page_indexes: list[int]) -> tuple[dict[int, list[FoundTable]], list[int]]:
    """0-based page indexes in; tables per page, and the pages pdfplumber could not finish, out.

    pdfminer can loop for ever on circular object references, so each page has a time limit;
    a page that runs out keeps pdfium's lines and is reported, not the whole document lost.
    """
    found: dict[int, list[FoundTable]] = {}
    failed: list[int] = []
    if not page_indexes:
        return found, failed
    try:
        with time_limit(PLUMBER_OPEN_SECONDS):
            pdf = pdfplumber.open(io.BytesIO(data), pages=[i + 1 for i in page_indexes])
            pages = list(pdf.pages)
    except Exception:  # pdfminer raises many types on odd files; tables are a bonus over pdfium's text
        return found, list(page_indexes)
    try:
        for index, page in zip(page_indexes, pages, strict=False):
            try:
                with time_limit(PLUMBER_PAGE_SECONDS):
                    tables = _page_tables(page)
            except Exception:  # as above: lose the table structure of this page, keep its text
                failed.append(index)
                continue
            if tables:
                found[index] = tables
    finally:
        pdf.close()
    return found, failed


def _page_tables(page: Page) -> list[FoundTable]:
    height = float(page.height)
    y0 = float(page.mediabox[1]) if page.mediabox else 0.0
    tables: list[FoundTable] = []
    for table in page.find_tables():
        rows = tuple(tuple(cell or "" for cell in row) for row in table.extract())
        if not any(c.strip() for row in rows for c in row):
            continue
        x0, top, x1, bottom = table.bbox
        tables.append(FoundTable((x0, y0 + height - bottom, x1, y0 + height - top), rows))
    return tables
