"""Checks every reader test applies: the text model is internally consistent."""

from __future__ import annotations

import re

from extract.model import ReadFailure, TextDocument


def norm(text: str) -> str:
    return " ".join(text.split())


def consistent(doc: TextDocument | ReadFailure) -> TextDocument:
    assert isinstance(doc, TextDocument), doc
    for block in doc.blocks:
        assert doc.text[block.span.start:block.span.end] == block.text
        for cell, span in block.cells:
            assert doc.text[span.start:span.end] == cell
        assert doc.page_of(block.span.start) == block.span.page
    if doc.pages:
        assert doc.pages[0].start == 0
        for before, after in zip(doc.pages, doc.pages[1:], strict=False):
            assert before.end == after.start
    return doc


def kinds(doc: TextDocument, kind: str) -> list[str]:
    return [b.text for b in doc.blocks if b.kind.value == kind]


def flag_codes(doc: TextDocument, review: bool | None = None) -> set[str]:
    return {f.code for f in doc.flags if review is None or f.review == review}


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())
