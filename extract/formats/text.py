"""Plain text: any encoding, any line ending, a BOM or none.

Text files reach the service as pasted minutes, exports from case systems, or pdftotext output
(form feeds mark its pages, so they become page breaks here).
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from extract.formats.common import CharBudget, Outcome, refuse
from extract.limits import ReadLimits
from extract.model import BlockKind, Flag, TextBuilder

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control characters that never occur in real text; many of them mean "this is binary".
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
MAX_CONTROL_SHARE = 0.02
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")


def decode_text(data: bytes) -> tuple[str, str] | None:
    """Return (text, encoding), or None when the bytes are not text in any encoding we trust."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding), encoding
            except UnicodeDecodeError:
                return None
    text: str | None = None
    encoding = "utf-8"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(data[: 2 * 1024 * 1024]).best()
        if best is None or best.encoding is None:
            return None
        encoding = best.encoding
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            return None
    sample = text[:200_000]
    if sample and len(_CONTROL.findall(sample)) / len(sample) > MAX_CONTROL_SHARE:
        return None
    return text, encoding


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def add_paragraphs(builder: TextBuilder, text: str, budget: CharBudget | None = None,
                   kind: BlockKind = BlockKind.PARAGRAPH) -> None:
    """Blank lines separate paragraphs; single newlines stay inside a paragraph's text."""
    for chunk in _PARAGRAPH_BREAK.split(text):
        chunk = "\n".join(line.rstrip() for line in chunk.split("\n"))
        if budget is not None:
            budget.spend(len(chunk))
        builder.add(kind, chunk)


def read_text(data: bytes, limits: ReadLimits) -> Outcome:
    decoded = decode_text(data)
    if decoded is None:
        raise refuse("unsupported", "the file is not text in any known encoding and not a format this service reads")
    text, encoding = decoded
    text = normalise_newlines(text).replace("\ufeff", "")
    budget = CharBudget(limits)
    builder = TextBuilder()
    pages = text.split("\f")
    if len(pages) > limits.max_pages:
        raise refuse("too_large", f"the text has {len(pages)} pages (form feeds), more than the {limits.max_pages} "
                     "this service reads")
    for number, page in enumerate(pages, 1):
        if number > 1:
            builder.end_page()
        add_paragraphs(builder, page, budget)
    flags = [] if encoding in ("utf-8", "ascii") else [Flag("text_encoding", f"text decoded as {encoding}")]
    return builder.build("txt", flags=flags, metadata={"encoding": encoding})
