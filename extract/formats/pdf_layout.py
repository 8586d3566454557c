"""Lines of a PDF page from pdfium, and how they become blocks.

pdfium's plain text (``get_text_range``) is about 30x faster than pdfminer and already in
content-stream order, which for Word and reportlab output is reading order, columns included.
What it lacks is position, so we take one character box per line (its first and last
visible characters): enough to tell headers and footers (the top and bottom bands, repeated
across pages), headings (larger type) and paragraph breaks (vertical gaps), at almost no cost.
"""

from __future__ import annotations

import ctypes
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pr

from extract.model import BlockKind

BAND = 0.09  # top and bottom share of the page where running headers and footers live
HEADING_RATIO = 1.2  # a line this much larger than the body text is a heading
MAX_HEADING_CHARS = 150
PARAGRAPH_GAP = 0.35  # a vertical gap of more than this many line heights starts a new paragraph
_LINE_BREAK = re.compile(r"\r\n|\n|\r")
_DIGITS = re.compile(r"\d+")
# Page numbers in English and Welsh ("Tudalen 2 o 5").
PAGE_NUMBER = re.compile(r"^\s*(page|tudalen|p\.)?\s*#\s*((of|o|/)\s*#)?\s*$", re.I)


@dataclass
class Line:
    text: str
    left: float
    bottom: float
    right: float
    top: float
    size: float
    kind: BlockKind = BlockKind.PARAGRAPH
    first_char: int = 0
    last_char: int = 0

    @property
    def key(self) -> str:
        return _DIGITS.sub("#", " ".join(self.text.lower().split()))


@dataclass
class HiddenRun:
    text: str
    reason: str


@dataclass
class PageLines:
    lines: list[Line] = field(default_factory=list)
    hidden: list[HiddenRun] = field(default_factory=list)
    visible_chars: int = 0


def _address(raw: Any) -> int:
    return int(ctypes.cast(raw, ctypes.c_void_p).value or 0)


def page_lines(textpage: pdfium.PdfTextPage, hidden_objects: dict[int, str]) -> PageLines:
    n_chars = textpage.count_chars()
    text = textpage.get_text_range(0, n_chars) if n_chars > 0 else ""
    if len(text) != n_chars:  # characters outside the BMP: rebuild one code unit per index
        text = "".join(chr(pr.FPDFText_GetUnicode(textpage, i) or 0xFFFD) for i in range(n_chars))
    hidden_reason: list[str | None] = []
    if hidden_objects:
        hidden_reason = [hidden_objects.get(_address(pr.FPDFText_GetTextObject(textpage, i))) for i in range(n_chars)]
    result = PageLines()
    position = 0
    for match in [*_LINE_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        _add_line(textpage, text, position, end, hidden_reason, result)
        if match:
            position = match.end()
    return result


def _add_line(textpage: pdfium.PdfTextPage, text: str, start: int, end: int, hidden_reason: list[str | None],
              out: PageLines) -> None:
    visible_idx = [i for i in range(start, end) if not (hidden_reason and hidden_reason[i])]
    if hidden_reason:
        run: list[str] = []
        reason: str | None = None
        for i in range(start, end):
            if hidden_reason[i] and hidden_reason[i] == reason:
                run.append(text[i])
                continue
            if run and reason:
                out.hidden.append(HiddenRun("".join(run), reason))
            run, reason = ([text[i]], hidden_reason[i]) if hidden_reason[i] else ([], None)
        if run and reason:
            out.hidden.append(HiddenRun("".join(run), reason))
    line_text = "".join(text[i] for i in visible_idx).strip()
    if not line_text:
        return
    solid = [i for i in visible_idx if not text[i].isspace()]
    first, last = solid[0], solid[-1]
    try:
        l0, b0, r0, t0 = textpage.get_charbox(first, loose=True)
        l1, b1, r1, t1 = textpage.get_charbox(last, loose=True)
    except pdfium.PdfiumError:
        l0 = b0 = r0 = t0 = l1 = b1 = r1 = t1 = 0.0
    size = float(pr.FPDFText_GetFontSize(textpage, first))
    out.visible_chars += len(line_text)
    out.lines.append(Line(line_text, min(l0, l1), min(b0, b1), max(r0, r1), max(t0, t1), size,
                          first_char=first, last_char=last))


def mark_running_lines(pages: list[tuple[PageLines, float]]) -> None:
    """Headers/footers: lines in the top/bottom band that repeat on other pages, or page numbers."""
    band_keys: Counter[tuple[str, str]] = Counter()
    for lines, height in pages:
        seen: set[tuple[str, str]] = set()
        for line in lines.lines:
            band = _band(line, height)
            if band:
                seen.add((band, line.key))
        band_keys.update(seen)
    repeated = len(pages) >= 2
    for lines, height in pages:
        for line in lines.lines:
            band = _band(line, height)
            if not band:
                continue
            if PAGE_NUMBER.match(line.key) or (repeated and band_keys[(band, line.key)] >= 2):
                line.kind = BlockKind.HEADER if band == "top" else BlockKind.FOOTER


def _band(line: Line, height: float) -> str | None:
    if height <= 0:
        return None
    centre = (line.top + line.bottom) / 2
    if centre >= height * (1 - BAND):
        return "top"
    if centre <= height * BAND:
        return "bottom"
    return None


def body_size(pages: list[PageLines]) -> float:
    sizes = [line.size for page in pages for line in page.lines if line.kind == BlockKind.PARAGRAPH and line.size > 0]
    return statistics.median(sizes) if sizes else 0.0


def group_paragraphs(lines: list[Line], normal_size: float) -> list[tuple[BlockKind, str]]:
    """Join consecutive lines of the same size with small vertical gaps into one block."""
    blocks: list[tuple[BlockKind, list[Line]]] = []
    for line in lines:
        kind = line.kind
        if (kind == BlockKind.PARAGRAPH and normal_size and line.size >= normal_size * HEADING_RATIO
                and len(line.text) <= MAX_HEADING_CHARS):
            kind = BlockKind.HEADING
        if blocks and blocks[-1][0] == kind and _continues(blocks[-1][1][-1], line):
            blocks[-1][1].append(line)
        else:
            blocks.append((kind, [line]))
    return [(kind, "\n".join(line.text for line in group)) for kind, group in blocks]


def _continues(previous: Line, line: Line) -> bool:
    if previous.kind in (BlockKind.HEADER, BlockKind.FOOTER):
        return False
    height = max(previous.top - previous.bottom, 1.0)
    gap = previous.bottom - line.top
    same_size = abs(previous.size - line.size) <= max(0.5, previous.size * 0.1)
    return same_size and -0.3 * height <= gap <= PARAGRAPH_GAP * height
