"""The one text model every reader produces.

Every later stage (fields, redaction, the review page) points back into the document by
character offsets into ``TextDocument.text``. Readers therefore build the full text and the
block list together, so an offset always means the same character everywhere.

Nothing a reader saw is dropped silently: headers, footers, footnotes, comments, tracked
deletions and hidden PDF text all become blocks with their own ``kind``, because a redaction
that never saw a footnote cannot have removed it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class BlockKind(StrEnum):
    PARAGRAPH = "paragraph"
    HEADING = "heading"
    TABLE_ROW = "table_row"
    HEADER = "header"
    FOOTER = "footer"
    FOOTNOTE = "footnote"
    ENDNOTE = "endnote"
    COMMENT = "comment"
    TEXT_BOX = "text_box"
    TRACKED_INSERTION = "tracked_insertion"
    TRACKED_DELETION = "tracked_deletion"
    HIDDEN = "hidden"
    ANNOTATION = "annotation"
    FORM_FIELD = "form_field"
    METADATA = "metadata"
    EMAIL_HEADER = "email_header"


@dataclass(frozen=True)
class Span:
    """A place in ``TextDocument.text``: [start, end) on a 1-based page."""

    start: int
    end: int
    page: int = 1


@dataclass(frozen=True)
class Block:
    """A unit of text in reading order.

    ``cells`` is set for table rows: the row's cells in column order, each with its own span,
    so a key-value table ("Name | John SMITH") can be read as pairs.
    """

    kind: BlockKind
    text: str
    span: Span
    cells: tuple[tuple[str, Span], ...] = ()
    table_index: int | None = None
    row_index: int | None = None


@dataclass(frozen=True)
class Page:
    number: int
    start: int
    end: int
    ocr_confidence: float | None = None  # 0-100, set only when the page was OCRed
    width: float | None = None
    height: float | None = None


@dataclass(frozen=True)
class Flag:
    """Something a person should know about how the document was read.

    ``review`` flags send the document to review (e.g. tracked changes, hidden text, a page
    read badly by OCR); others are informational (e.g. a metadata author).
    """

    code: str
    message: str
    review: bool = False


@dataclass(frozen=True)
class Attachment:
    """A document found inside another (e-mail attachment, PDF embedded file, nested message)."""

    filename: str
    data: bytes
    origin: str  # "email_attachment", "pdf_embedded_file", "nested_message"


@dataclass(frozen=True)
class TextDocument:
    format: str  # "pdf", "docx", "eml", "msg", "txt", "rtf", "doc"
    text: str
    blocks: tuple[Block, ...]
    pages: tuple[Page, ...]
    flags: tuple[Flag, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    metadata: tuple[tuple[str, str], ...] = ()
    seconds: float = 0.0

    @property
    def page_count(self) -> int:
        return max(1, len(self.pages))

    def page_of(self, offset: int) -> int:
        for page in self.pages:
            if page.start <= offset < page.end:
                return page.number
        return self.pages[-1].number if self.pages else 1

    def snippet(self, span: Span, context: int = 0) -> str:
        return self.text[max(0, span.start - context) : span.end + context]


@dataclass(frozen=True)
class ReadFailure:
    """Why a file could not be read, in words an admin can act on."""

    reason: str
    code: str  # "password_protected", "corrupt", "empty", "too_large", "unsupported", "timeout", ...
    detail: str = ""


@dataclass
class TextBuilder:
    """Accumulates blocks while keeping offsets exact. Readers use it; it never escapes them."""

    parts: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    length: int = 0
    _page_start: int = 0
    _page_number: int = 1

    def add(self, kind: BlockKind, text: str, **extra: object) -> Block | None:
        text = text.strip("\n")
        if not text.strip():
            return None
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        block = Block(kind=kind, text=text, span=Span(start, self.length, self._page_number), **extra)  # type: ignore[arg-type]
        self.parts.append("\n\n")
        self.length += 2
        self.blocks.append(block)
        return block

    def add_row(self, cells: list[str], table_index: int, row_index: int, kind: BlockKind = BlockKind.TABLE_ROW) -> Block | None:
        """A table row becomes one line, cells separated by " | ", each cell with its span."""
        cleaned = [" ".join(c.split()) for c in cells]
        if not any(cleaned):
            return None
        start = self.length
        spans: list[tuple[str, Span]] = []
        pieces: list[str] = []
        pos = start
        for i, cell in enumerate(cleaned):
            if i:
                pieces.append(" | ")
                pos += 3
            spans.append((cell, Span(pos, pos + len(cell), self._page_number)))
            pieces.append(cell)
            pos += len(cell)
        text = "".join(pieces)
        self.parts.append(text)
        self.length += len(text)
        block = Block(kind, text, Span(start, self.length, self._page_number), tuple(spans), table_index, row_index)
        self.parts.append("\n")
        self.length += 1
        self.blocks.append(block)
        return block

    def end_page(self, ocr_confidence: float | None = None, width: float | None = None, height: float | None = None) -> None:
        self.pages.append(Page(self._page_number, self._page_start, self.length, ocr_confidence, width, height))
        self._page_number += 1
        self._page_start = self.length

    def build(self, fmt: str, flags: list[Flag] | None = None, attachments: list[Attachment] | None = None,
              metadata: dict[str, str] | None = None) -> TextDocument:
        if self.length > self._page_start or not self.pages:
            self.end_page()
        return TextDocument(
            format=fmt,
            text="".join(self.parts),
            blocks=tuple(self.blocks),
            pages=tuple(self.pages),
            flags=tuple(flags or ()),
            attachments=tuple(attachments or ()),
            metadata=tuple(sorted((metadata or {}).items())),
        )
