"""The structure of a document as fields see it: lines, labelled values, tables and sections.

Every author lays out the same facts differently: "Name: John SMITH" on a line, a two-column
table, a table with a header row, a heading followed by a list. Reading all of them into one
structure here means each field module asks "what is labelled DOB near this name?" once,
whatever the layout, and every value keeps its exact span in ``TextDocument.text``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from extract.fields.names import name_at_start
from extract.model import BlockKind, Span, TextDocument

# Running headers and footers ("OFFICIAL - SENSITIVE", "Page 2") repeat on every page and would
# split sections and pose as titles; forbidden-fact search still sees them in the full text.
_SKIP_KINDS = (BlockKind.COMMENT, BlockKind.METADATA, BlockKind.TRACKED_DELETION, BlockKind.HEADER, BlockKind.FOOTER)

# Labels that PDF text (where a key-value table lost its ruling) writes at the start of a line
# with no colon: "Date of birth 24 August 1968", "PNC 90/801059K". Longest first.
LINE_START_LABELS = tuple(sorted((
    "full name", "name", "subject name", "name of subject", "name of offender", "offender name", "young person",
    "subject", "offender", "prisoner", "prisoner name", "nominal", "mappa subject", "person", "service user",
    "poi", "person of interest", "person on probation", "person on probation (pop)", "pop", "mappa nominal",
    "discharge date", "date of discharge", "discharge address", "next panel", "reason for listing",
    "mappa level", "meeting held", "held on",
    "date of birth", "dob", "d.o.b.", "d.o.b", "pnc", "pnc id", "pnc no", "pnc number", "cro", "cro no", "cro number",
    "crn", "prison number", "prison no", "prisoner number", "nomis", "nomis number", "visor", "visor ref",
    "current address", "home address", "address", "release address", "address on release", "management level",
    "mappa level", "level", "mappa category", "category", "meeting date", "date of meeting", "date of discussion",
    "date of panel", "panel date", "venue", "location", "time", "next review", "next review date", "next meeting",
    "date of next meeting", "review date", "release date", "conditional release date", "date of release",
    "establishment", "aka", "alias", "aliases", "also known as", "known as", "surname", "forename", "forenames",
    "forename(s)", "first name", "chair", "minute taker", "lead agency", "re", "ref", "enw", "dyddiad geni",
    "date", "date and time", "telephone", "tel", "dyddiad", "lleoliad",
), key=len, reverse=True))
_LINE_START_RX = re.compile(
    r"^(?:[A-Za-z\u00c0-\u024f'’]+(?:\s+[A-Za-z\u00c0-\u024f'’]+){0,3}\s+/\s+)?(?P<label>" + "|".join(re.escape(x) for x in LINE_START_LABELS) + r")(?:\s*[-–]\s*|\s+)(?=\S)", re.IGNORECASE
)


@dataclass(frozen=True)
class Line:
    text: str
    start: int
    end: int
    index: int
    block_index: int
    kind: BlockKind
    cells: tuple[tuple[str, Span], ...] = ()
    table_index: int | None = None
    row_index: int | None = None


@dataclass(frozen=True)
class KV:
    label: str  # normalised: lower case, no punctuation
    value: str
    start: int  # span of the value
    end: int
    line: int  # index into Layout.lines
    source: str  # "line", "cell", "table"


@dataclass(frozen=True)
class Table:
    index: int
    header: tuple[str, ...]  # normalised header labels, () when the table has none
    rows: tuple[Line, ...]  # body rows (header excluded)

    def column(self, *words: str) -> int | None:
        """Index of the first header column whose label contains one of ``words``."""
        for i, h in enumerate(self.header):
            if any(re.search(rf"\b{w}", h) for w in words):
                return i
        return None


@dataclass(frozen=True)
class Section:
    title: str  # normalised heading text
    heading_line: int
    first: int  # line indices [first, last)
    last: int


# Labels an author may run together on one line ("Name: John SMITH DOB: 07/05/1980 PNC: ..."):
# these split a line even without a wide gap before them.
KNOWN_LABELS = (
    r"d\.?\s?o\.?\s?b\.?", r"date of birth", r"born", r"pnc(?: id| no\.?| number)?", r"cro(?: no\.?| number)?",
    r"prison(?:er)? (?:no\.?|number)", r"nomis(?: no\.?| number)?", r"crn", r"visor(?: ref(?:erence)?| no\.?)?",
    r"aka", r"a\.k\.a\.?", r"alias(?:es)?", r"also known as", r"address", r"postcode", r"level", r"category",
    r"mappa level", r"mappa category", r"age", r"gender", r"ethnicity", r"relationship", r"time", r"venue",
    r"location", r"date", r"ni(?: no\.?| number)", r"nhs(?: no\.?| number)", r"owner", r"due(?: date)?",
    r"by when", r"lead", r"responsible", r"deadline", r"target date",
    r"date of (?:the )?(?:meeting|discussion|panel|conference|screening|review|next meeting|release)",
    r"meeting date", r"next (?:review|meeting)(?: date)?", r"review date", r"release date", r"venue",
)
_KNOWN_LABEL_RX = re.compile(
    r"(?:(?<=\s)|(?<=^)|(?<=[;,(|]))(?P<label>" + "|".join(KNOWN_LABELS) + r")\s*[:：]\s*", re.IGNORECASE
)
_GENERIC_LABEL_RX = re.compile(
    r"(?:^|(?<=\s\s)|(?<=\t)|(?<=;\s)|(?<=\|\s))(?P<label>[A-Za-z\u00c0-\u024f][\w'’./()&\- ]{0,44}?[\w.)?])\s*[:：]\s+",
)
_LABELISH = re.compile(r"^[A-Za-z\u00c0-\u024f][\w'’./()&\-\s]{0,44}[:?]?$")
_NUMBERED = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*[.)]?|[a-z][.)]|[ivx]+[.)])\s+")


_COLUMN_WORDS = frozenset(
    ["name", "names", "address", "setting", "to", "poi", "pop", "gender", "ethnicity", "occupation", "role", "agency", "organisation", "organization", "title", "job", "dob", "date", "of", "birth", "action", "owner", "due", "by", "when", "time", "no", "level", "cat", "category", "new", "review", "relationship", "age", "school", "email", "phone", "tel", "contact", "lead", "area", "pnc", "status"]
)
# Values a table cell holds alone ("Ongoing" in a due-date column): a line of PDF text, never a heading.
_CELL_VALUES = frozenset(
    ["ongoing", "monthly", "weekly", "fortnightly", "daily", "quarterly", "tbc", "tba", "n/a", "na", "asap",
     "immediately", "immediate", "completed", "complete", "yes", "no", "none", "nil", "high", "medium", "low",
     "very high", "open", "closed", "new", "review", "as required", "as needed", "next meeting", "by next meeting"]
)
_RULE_LINE = re.compile(r"^[\s\-=_+|:*]{3,}$")
_CELL_SEP = re.compile(r"\s*\|\s*|\t+")


def _text_cells(line: str, start: int, page: int) -> tuple[tuple[str, Span], ...]:
    """Cells of a table written as text ("a | b | c", or tab-separated), with exact spans."""
    if line.count("|") < 2 and line.count("\t") < 2:
        sep = "|" if "|" in line else "\t" if "\t" in line else ""
        if not sep or not is_labelish(line.split(sep, 1)[0]):
            return ()  # one separator: only a "Label | value" pair
    cells: list[tuple[str, Span]] = []
    pos = 0
    for m in _CELL_SEP.finditer(line + "|"):
        raw = line[pos:m.start()]
        lead = len(raw) - len(raw.lstrip())
        cell = raw.strip()
        if cell or cells or m.start() < len(line):
            cells.append((cell, Span(start + pos + lead, start + pos + lead + len(cell), page)))
        pos = m.end()
        if pos >= len(line):
            break
    while cells and not cells[0][0]:
        cells.pop(0)
    while cells and not cells[-1][0]:
        cells.pop()
    return tuple(cells) if len(cells) >= 2 else ()


def norm_label(text: str) -> str:
    text = text.lower().replace("’", "'")
    text = re.sub(r"[^a-z0-9'&/ ]+", " ", text)
    return " ".join(text.split())


def is_labelish(text: str) -> bool:
    t = text.strip()
    return bool(t) and len(t.split()) <= 6 and bool(_LABELISH.match(t)) and not re.search(r"\d{2}", t)


@dataclass
class Layout:
    doc: TextDocument
    lines: list[Line] = field(default_factory=list)
    kvs: list[KV] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    headings: set[int] = field(default_factory=set)

    @classmethod
    def of(cls, doc: TextDocument) -> Layout:
        lay = cls(doc)
        lay._build_lines()
        lay._build_tables()
        lay._build_kvs()
        lay._split_pairs()
        lay._build_sections()
        return lay

    # --- building ---------------------------------------------------------------------------

    def _build_lines(self) -> None:
        text = self.doc.text
        for bi, block in enumerate(self.doc.blocks):
            if block.kind in _SKIP_KINDS:
                continue
            if block.kind == BlockKind.TABLE_ROW or block.cells:
                self.lines.append(Line(block.text, block.span.start, block.span.end, len(self.lines), bi,
                                       block.kind, block.cells, block.table_index, block.row_index))
                continue
            pos = block.span.start
            for raw in text[block.span.start:block.span.end].split("\n"):
                s, e = pos, pos + len(raw)
                pos = e + 1
                stripped = raw.strip()
                if not stripped:
                    continue
                lead = len(raw) - len(raw.lstrip())
                if _RULE_LINE.match(stripped):
                    continue
                cells = _text_cells(stripped, s + lead, block.span.page)
                if cells:
                    self.lines.append(Line(stripped, s + lead, s + lead + len(stripped), len(self.lines), bi, block.kind,
                                           cells, 1000 + bi, len([x for x in self.lines if x.block_index == bi])))
                    continue
                self.lines.append(Line(stripped, s + lead, s + lead + len(stripped), len(self.lines), bi, block.kind))
        if not self.doc.blocks and text.strip():  # a reader that gave no blocks: lines of the text
            pos = 0
            for raw in text.split("\n"):
                s, e = pos, pos + len(raw)
                pos = e + 1
                if raw.strip():
                    lead = len(raw) - len(raw.lstrip())
                    self.lines.append(Line(raw.strip(), s + lead, s + lead + len(raw.strip()), len(self.lines), -1,
                                           BlockKind.PARAGRAPH))

    def _build_tables(self) -> None:
        groups: dict[int, list[Line]] = {}
        for line in self.lines:
            if line.cells and line.table_index is not None:
                groups.setdefault(line.table_index, []).append(line)
        for ti, rows in groups.items():
            first = rows[0]
            header: tuple[str, ...] = ()
            body = rows
            cells = [c for c, _ in first.cells]
            if len(rows) > 1 and len(cells) >= 2 and sum(1 for c in cells if c) >= 2 and all(
                is_labelish(c) for c in cells if c
            ) and not self._is_two_col_kv(rows):
                header = tuple(norm_label(c) for c in cells)
                body = rows[1:]
            self.tables.append(Table(ti, header, tuple(body)))

    @staticmethod
    def _is_two_col_kv(rows: list[Line]) -> bool:
        """A table whose rows are "label | value" pairs, not a list with a header row."""
        two = [r for r in rows if len(r.cells) == 2]
        return len(two) >= max(2, len(rows) * 2 // 3) and sum(is_labelish(r.cells[0][0]) for r in two) >= len(two) * 0.8 and \
            any(not is_labelish(r.cells[1][0]) or not r.cells[1][0] for r in two)

    def _add_kv(self, label: str, value: str, start: int, end: int, line: int, source: str) -> None:
        """Bilingual labels ("Enw / Name") give one pair per language."""
        parts = [p for p in re.split(r"\s+/\s+", label) if p.strip()] if " / " in label else [label]
        for part in parts:
            self.kvs.append(KV(norm_label(part), value, start, end, line, source))

    def _add_inline(self, text: str, offset: int, line: int, source: str) -> None:
        marks: list[tuple[int, int, str]] = []
        for rx in (_GENERIC_LABEL_RX, _KNOWN_LABEL_RX):
            for m in rx.finditer(text):
                if any(not (m.end() <= a or m.start() >= b) for a, b, _ in marks):
                    continue
                marks.append((m.start(), m.end(), m.group("label")))
        marks.sort()
        for i, (_, vstart, label) in enumerate(marks):
            vend = marks[i + 1][0] if i + 1 < len(marks) else len(text)
            raw = text[vstart:vend]
            value = raw.rstrip(" \t;,|")
            if not value.strip():
                continue
            self._add_kv(label, value, offset + vstart, offset + vstart + len(value), line, source)
        if not marks and len(text) < 100 and source == "line" and self.lines[line].kind != BlockKind.HEADING:
            lm = _LINE_START_RX.match(text)
            if lm:
                value = text[lm.end():].rstrip(" \t;,|")
                if value:
                    self._add_kv(lm.group("label"), value, offset + lm.end(), offset + lm.end() + len(value), line,
                                 source + "_nocolon")

    def _build_kvs(self) -> None:
        headed = {t.index for t in self.tables if t.header}
        for line in self.lines:
            if line.cells:
                cells = line.cells
                if line.table_index not in headed:
                    for i in range(0, len(cells) - 1, 2):
                        label, value = cells[i], cells[i + 1]
                        if is_labelish(label[0]) and value[0]:
                            self._add_kv(label[0], value[0], value[1].start, value[1].end, line.index, "cell")
                for cell, span in cells:
                    self._add_inline(cell, span.start, line.index, "cell")
            else:
                self._add_inline(line.text, line.start, line.index, "line")
        for table in self.tables:
            if not table.header:
                continue
            for row in table.rows:
                for i, (cell, span) in enumerate(row.cells):
                    if i < len(table.header) and cell and table.header[i]:
                        self._add_kv(table.header[i], cell, span.start, span.end, row.index, "table")

    def _split_pairs(self) -> None:
        """A label alone in one block and its value alone in the next: a table PDF text split apart."""
        for a, b in zip(self.lines, self.lines[1:], strict=False):
            if a.cells or b.cells or a.block_index == b.block_index:
                continue
            block = self.doc.blocks[a.block_index] if a.block_index >= 0 else None
            label = " ".join(block.text.split()) if block is not None else a.text
            whole = _LINE_START_RX.match(label + " x")
            if len(label) > 40 or whole is None or whole.end() != len(label) + 1:
                continue
            if any(k.line == b.index for k in self.kvs) or len(b.text) > 100 or _LINE_START_RX.match(b.text + " x"):
                continue
            if b.block_index >= 0 and self.doc.blocks[b.block_index].text.count("\n") > 2:
                continue
            self._add_kv(label, b.text, b.start, b.end, b.index, "split")

    def _build_sections(self) -> None:
        for line in self.lines:
            if self.is_heading(line):
                self.headings.add(line.index)
        starts = sorted(self.headings)
        for i, h in enumerate(starts):
            last = starts[i + 1] if i + 1 < len(starts) else len(self.lines)
            self.sections.append(Section(norm_label(_NUMBERED.sub("", self.lines[h].text)), h, h + 1, last))

    def is_heading(self, line: Line) -> bool:
        if line.cells:
            return len([c for c, _ in line.cells if c]) == 1 and is_labelish(line.cells[0][0]) and len(line.text) < 60
        t = line.text
        if line.kind == BlockKind.HEADING:
            return True
        if len(t) > 70 or t.endswith((".", ",", ";")) or re.search(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b", t):
            return False
        body = _NUMBERED.sub("", t).rstrip(":").strip()
        if not body or len(body.split()) > 9:
            return False
        words = [w for w in re.findall(r"[A-Za-z][\w'’]*", body)]
        if not words or body.lower() in _CELL_VALUES:
            return False
        if ":" in t and not t.rstrip().endswith(":"):
            return False
        if all(w.lower() in _COLUMN_WORDS for w in words) and len(words) >= 2:
            return False  # "Name Agency": the header row of a table PDF text flattened
        if _LINE_START_RX.match(t) and not t.rstrip().endswith(":"):
            return False  # "Full name Gary SMITH": a label and its value
        if re.search(r"\d", body) and not t.rstrip().endswith(":") and not (body.upper() == body and len(body) > 3):
            return False
        if re.search(r"\b(?:to|and|of|the|with|by|for|a|an|in|on|at|from|or|is|was|will)$", body):
            return False  # a sentence wrapped onto the next line, not a heading
        if name_at_start(body) is not None:
            return False  # "Bethan Roberts Children's Services": a person, not a heading
        caps = body.upper() == body and len(body) > 3
        titled = sum(w[0].isupper() for w in words if len(w) > 3) >= max(1, len([w for w in words if len(w) > 3]) * 0.6)
        sentence_case = body[0].isupper() and len(words) <= 4 and line.kind != BlockKind.TABLE_ROW and (
            self._alone(line) or self._leads_block(line))
        return caps or sentence_case or t.rstrip().endswith(":") or (bool(_NUMBERED.match(t)) and titled) or (titled and len(words) <= 5 and
                                                                                           line.kind != BlockKind.TABLE_ROW
                                                                                           and self._alone(line))

    def _leads_block(self, line: Line) -> bool:
        """The first line of a block with more lines under it ("Actions\\n• ...", as text files write it)."""
        if line.block_index < 0:
            return False
        block = self.doc.blocks[line.block_index]
        first, _, rest = block.text.strip().partition("\n")
        return first.strip() == line.text and bool(rest.strip()) and bool(
            re.fullmatch(r"[A-Z][a-z]+(?: (?:[A-Za-z][a-z]+|&|/))*(?:\s*:)?", line.text)) and len(line.text.split()) <= 4

    def _alone(self, line: Line) -> bool:
        """A short line that is its own block (not a wrapped line in a paragraph)."""
        if line.block_index < 0:
            return False
        block = self.doc.blocks[line.block_index]
        return block.text.strip() == line.text

    # --- queries ----------------------------------------------------------------------------

    def paragraphs(self) -> list[tuple[str, int, int]]:
        """(text, start, first line index) of each prose block, line breaks read as spaces.

        PDF text wraps names and sentences across lines ("Megan\\nClarke"); prose is read per
        block so a wrapped name is still one name. Offsets are unchanged (one character each).
        """
        out: list[tuple[str, int, int]] = []
        seen: set[int] = set()
        for line in self.lines:
            for cell, span in line.cells:
                if len(cell) > 60 and cell.count(" ") > 6:  # prose written inside a table cell
                    out.append((cell, span.start, line.index))
            if line.cells or line.block_index in seen or line.block_index < 0:
                if line.block_index < 0:
                    out.append((line.text, line.start, line.index))
                continue
            seen.add(line.block_index)
            block = self.doc.blocks[line.block_index]
            out.append((block.text.replace("\n", " "), block.span.start, line.index))
        return out

    def section_of(self, line_index: int) -> Section | None:
        found = None
        for s in self.sections:
            if s.heading_line <= line_index < s.last:
                found = s
        return found

    def find_sections(self, rx: re.Pattern[str]) -> list[Section]:
        return [s for s in self.sections if rx.search(s.title)]

    def lines_in(self, section: Section) -> list[Line]:
        return self.lines[section.first:section.last]

    def kv(self, rx: re.Pattern[str], lines: range | None = None) -> list[KV]:
        return [k for k in self.kvs if rx.search(k.label) and (lines is None or k.line in lines)]

    def kv_where(self, pred: Callable[[str], bool]) -> list[KV]:
        return [k for k in self.kvs if pred(k.label)]

    def line_at(self, offset: int) -> Line | None:
        for line in self.lines:
            if line.start <= offset < line.end + 1:
                return line
        return None
