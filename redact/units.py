"""From a document to its sentences, each under the action of the section it sits in.

The document is walked block by block in reading order, under its headings (``redact.policy``):
a heading, a label line ("Risk:") or a table row's first cell sets the section; each piece of
visible text between is a ``Unit``, cut into sentences by spaCy where the parse is at hand and
again at line breaks and bullets, which is where tables and lists end their sentences.
``redact.sentences`` then chooses what a summary may keep from them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from spacy.tokens import Doc

from extract.model import BlockKind, TextDocument
from redact.model import Reason
from redact.policy import SectionAction, SectionTable

# Only what a reader of the page would have seen may feed a summary.
VISIBLE = frozenset({BlockKind.PARAGRAPH, BlockKind.HEADING, BlockKind.TABLE_ROW, BlockKind.TEXT_BOX})


@dataclass(frozen=True)
class Unit:
    """A piece of visible text under one section action: [start, end) into the document text."""

    start: int
    end: int
    action: SectionAction
    heading: str


class SentenceSpan(NamedTuple):
    """A sentence of the document: [start, end) into its text, under its section's action."""

    start: int
    end: int
    action: SectionAction
    dropped_as: Reason = Reason.COMMUNITY_PLAN  # its code in the log when its section is dropped


def units(doc: TextDocument, table: SectionTable, max_heading_words: int = 8) -> list[Unit]:
    """Visible text in reading order, each piece with the action of the heading above it; a
    piece the layout cut mid-sentence (a paragraph ending without a full stop, the next
    starting in lower case) is joined to the one before."""
    out: list[Unit] = []
    for u in _units(doc, table, max_heading_words):
        if out and out[-1].action == u.action and _continues(doc.text, (out[-1].start, out[-1].end), (u.start, u.end)):
            out[-1] = Unit(out[-1].start, u.end, u.action, out[-1].heading)
        else:
            out.append(u)
    return out


def _units(doc: TextDocument, table: SectionTable, max_heading_words: int = 8) -> Iterator[Unit]:
    action, heading = SectionAction.FILTER, ""
    for block in doc.blocks:
        if block.kind not in VISIBLE:
            continue
        text = block.text
        if block.kind == BlockKind.TABLE_ROW and block.cells:
            first, first_span = block.cells[0]
            row_action = table.lookup(first) if len(first.split()) <= max_heading_words else None
            rest = [(c, s) for c, s in block.cells[1:] if c.strip()]
            if row_action is not None and not rest:
                action, heading = row_action, first
                continue
            if row_action is not None:
                for _cell, span in rest:
                    yield Unit(span.start, span.end, row_action, first)
            else:
                for cell, span in block.cells:
                    if cell.strip():
                        yield Unit(span.start, span.end, action, heading)
            continue
        if block.kind == BlockKind.HEADING:
            action, heading = (table.lookup(text.strip()) or SectionAction.FILTER), text.strip()
            continue
        # A block may hold its own headings and labels on separate lines (plain text, PDF
        # paragraphs): walk it line by line. Wrapped lines of one paragraph stay one unit.
        run_start: int | None = None
        run_end = 0
        local: tuple[SectionAction, str] | None = None  # an inline label's action, for this block
        pos = block.span.start
        lines = text.split("\n")
        for n, line in enumerate(lines):
            ls, le = pos, pos + len(line)
            pos = le + 1
            lt = line.strip()
            if not lt:
                continue
            prev = lines[n - 1].strip() if n else ""
            wrapped = len(prev) > 40 and prev[-1] not in ".:;!?"  # "...BREACH OF A RESTRAINING\nORDER"
            found = None if wrapped else _heading_line(lt, table, max_heading_words)
            if found is None and n == 0 and len(lines) > 1 and _unknown_heading(lt):
                found = SectionAction.FILTER  # "Decision" over its paragraph: a section we do not know
            if found is None and len(lines) == 1 and _NUMBERED_SECTION.match(lt):
                found = SectionAction.FILTER  # "Section 3: Reason for referral": a new section, one we do not know
            label = None if found is not None else _label_line(line, table, max_heading_words)
            if found is not None or label is not None:
                if run_start is not None:
                    act, head = local or (action, heading)
                    yield Unit(run_start, run_end, act, head)
                    run_start = None
                if found is not None:
                    action, heading, local = found, lt, None
                    continue
                assert label is not None
                local = (label[0], label[1])
                run_start, run_end = ls + label[2], le
                continue
            if local is not None and run_start is not None and not lt[0].islower():
                # "Release date: 04/12/25" labels its own line; the prose after it is not under it
                yield Unit(run_start, run_end, *local)
                local, run_start = None, None
            if run_start is None:
                run_start = ls
            run_end = le
        if run_start is not None:
            act, head = local or (action, heading)
            yield Unit(run_start, run_end, act, head)


def _heading_line(line: str, table: SectionTable, max_words: int) -> SectionAction | None:
    if len(line.split()) > max_words or line.endswith((".", "?", "!", ",")) or not (line[0].isupper() or line[0].isdigit()
                                                                                   or line[0] in "(#"):
        return None
    return table.lookup(line)


_NUMBERED_SECTION = re.compile(r"^(?:section|part|adran)\s+\d{1,2}[a-z]?\s*[.:)\-–]\s*[A-Z][^.!?|]{2,60}$", re.I)


def _unknown_heading(line: str) -> bool:
    words = line.split()
    return (1 <= len(words) <= 4 and line[0].isupper() and not re.search(r"[\d.:;,!?|()]", line)
            and not line.isupper() or (line.isupper() and 1 <= len(words) <= 6 and not re.search(r"[\d:;|]", line)))


def _label_line(line: str, table: SectionTable, max_words: int) -> tuple[SectionAction, str, int] | None:
    """ "Index offence: convicted of..." -> (DROP, "Index offence", offset of the content)."""
    m = re.match(r"^\s*([^:|\n]{2,70}?)\s*[:\-–]\s+(\S.*)$", line)
    if not m or len(m.group(1).split()) > max_words:
        return None
    act = table.lookup(m.group(1))
    return (act, m.group(1), m.start(2)) if act is not None else None


def sentences(text: str, unit: Unit, nlp_doc: Doc | None) -> list[tuple[int, int]]:
    """Sentence spans inside one unit: spaCy's sentences when the parse is at hand, cut again
    at line breaks and bullets (table cells and lists have no full stops)."""
    pieces: list[tuple[int, int]] = []
    if nlp_doc is not None:
        span = nlp_doc.char_span(unit.start, unit.end, alignment_mode="expand")
        if span is not None:
            for sent in span.sents:  # type: ignore[attr-defined]
                pieces.append((max(unit.start, sent.start_char), min(unit.end, sent.end_char)))
    if not pieces:
        chunk = text[unit.start : unit.end]
        pos = 0
        for m in re.finditer(r"(?<=[.!?])\s+(?=[A-Z\"'(‘“])", chunk):
            pieces.append((unit.start + pos, unit.start + m.start()))
            pos = m.end()
        pieces.append((unit.start + pos, unit.end))
    out: list[tuple[int, int]] = []
    for s, e in pieces:
        pos = s
        for m in _LINE_BREAK.finditer(text[s:e]):
            out.append((pos, s + m.start()))
            pos = s + m.end()
        out.append((pos, e))
    cleaned = []
    for s, e in out:
        while s < e and text[s] in " \t\n-•*▪●◦":
            s += 1
        while e > s and text[e - 1] in " \t\n":
            e -= 1
        if e - s >= 3:
            cleaned.append((s, e))
    return _rejoin(text, cleaned)


def _rejoin(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join pieces that one sentence was cut into by a line or paragraph break the layout made
    (a PDF column, a page): the first does not end a sentence and the next goes on in lower case."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and _continues(text, out[-1], (s, e)):
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _continues(text: str, prev: tuple[int, int], nxt: tuple[int, int]) -> bool:
    tail = text[prev[0] : prev[1]].rstrip()
    head = text[nxt[0] : nxt[1]].lstrip()
    return bool(tail) and bool(head) and tail[-1] not in ".!?:;|" and (head[0].islower() or head[0] in "(")


# A line break ends a sentence only after closing punctuation, before a bullet, or at a blank
# line: PDF and e-mail text wraps mid-sentence ("a risk of sexual harm to\nchildren").
_LINE_BREAK = re.compile(r"(?<=[.:;!?])[ \t]*\n\s*(?:[-•*▪●◦]\s*)?|\n[ \t]*\n\s*(?:[-•*▪●◦]\s*)?|"
                         r"\n\s*[-•*▪●◦]\s*|\s+[•▪●◦]\s+")
