"""Filling the small template's body, header and footer without python-docx's object tree.

Every generated document (a letter, a notice, a panel pack, a child's summary) is the small
template (``redact.docx_template``) with a few paragraphs in its body and one line in its
header and footer. Built through python-docx, each cost 3 ms (a letter) to 9 ms (a summary)
of the service's single writer process: the package parsed into objects, every character
of the text appended one at a time, the whole package serialised again. For an agenda that
is 16 letters, and the writer files every document of a batch; on the benchmark's mixed
batch the letters and summaries were a third of its time.

Here the template is split once, where the body's paragraphs and the header's and footer's
run go, and each document is those pieces joined around its text: the same elements
python-docx writes for ``add_paragraph(text, style)``, ``add_run(text).bold = True`` and
``paragraph.text = text`` (a ``w:tab`` for each tab, a ``w:br`` for each line break,
``xml:space="preserve"`` on text with white space at an end, the same refusal of characters
XML cannot hold). tests/redact/test_docx_write.py compares the XML of both ways. What was
written is still read back with python-docx before a summary leaves (``redact.docx_out``).
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from lxml import etree

from redact.docx_template import RELS_NS, W, template_bytes

_W = f"{{{W}}}"
_HEADER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
_FOOTER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
# What lxml (so python-docx) refuses to put in a document: control characters other than
# tab, line feed and carriage return, lone surrogates and the two non-characters.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BREAKS = re.compile(r"([\t\r\n])")


@dataclass(frozen=True)
class Para:
    """A body paragraph: its text, its style's name ("" for Normal) and whether it is bold."""

    text: str
    style: str = ""
    bold: bool = False


@dataclass(frozen=True)
class _Split:
    """The template package cut where a document's own text goes."""

    parts: tuple[tuple[str, bytes], ...]  # every part, in the template's order
    body: tuple[bytes, bytes]  # word/document.xml before and after the body's paragraphs
    header: tuple[str, bytes, bytes]  # part name, and its XML before and after the run
    footer: tuple[str, bytes, bytes]
    style_ids: tuple[tuple[str, str], ...]  # paragraph style name, lower case -> id ("heading 1" -> "Heading1")


def write_document(paragraphs: Sequence[Para], header: str, footer: str, font: str = "", size_pt: float = 0) -> bytes:
    """The small template (Normal in ``font``/``size_pt`` when given) with ``paragraphs`` as its
    body and ``header`` and ``footer`` as the text of its header and footer paragraphs."""
    split = _split(font, size_pt)
    styles = dict(split.style_ids)
    body = "".join(_paragraph(p, styles) for p in paragraphs).encode("utf-8")
    filled = {"word/document.xml": split.body[0] + body + split.body[1]}
    for (name, before, after), text in ((split.header, header), (split.footer, footer)):
        filled[name] = before + _run(text).encode("utf-8") + after
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in split.parts:
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))  # the bytes carry no date
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, filled.get(name, content))
    return out.getvalue()


def _paragraph(p: Para, styles: dict[str, str]) -> str:
    style = ""
    if p.style:
        sid = styles.get(p.style.lower())  # Word's built-in names are stored in lower case
        if sid is None:
            raise KeyError(f"no paragraph style with name '{p.style}'")
        style = f'<w:pPr><w:pStyle w:val="{escape(sid, {chr(34): "&quot;"})}"/></w:pPr>'
    return f"<w:p>{style}{_run(p.text, p.bold) if p.text else ''}</w:p>"


def _run(text: str, bold: bool = False) -> str:
    if _NOT_XML.search(text):
        raise ValueError("All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control characters")
    out = ["<w:r>", "<w:rPr><w:b/></w:rPr>" if bold else ""]
    for piece in _BREAKS.split(text):
        if piece == "\t":
            out.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            out.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            out.append(f"<w:t{space}>{escape(piece)}</w:t>")
    out.append("</w:r>")
    return "".join(out)


@functools.lru_cache(maxsize=4)
def _split(font: str, size_pt: float) -> _Split:
    z = zipfile.ZipFile(io.BytesIO(template_bytes(font, size_pt)))
    parts = tuple((info.filename, z.read(info.filename)) for info in z.infolist())
    named = dict(parts)
    document = named["word/document.xml"]
    at = document.rindex(b"<w:sectPr")  # python-docx adds paragraphs before the section properties
    rels = etree.fromstring(named["word/_rels/document.xml.rels"])
    targets = {rel.get("Type"): "word/" + (rel.get("Target") or "") for rel in rels.iter(f"{{{RELS_NS}}}Relationship")}
    styles = etree.fromstring(named["word/styles.xml"])
    style_ids = tuple(((name.get(f"{_W}val") or "").lower(), style.get(f"{_W}styleId") or "")
                      for style in styles.iter(f"{_W}style") if style.get(f"{_W}type") == "paragraph"
                      for name in style.findall(f"{_W}name"))
    return _Split(parts, (document[:at], document[at:]), _cut_after_style(targets[_HEADER], named),
                  _cut_after_style(targets[_FOOTER], named), style_ids)


def _cut_after_style(name: str, parts: dict[str, bytes]) -> tuple[str, bytes, bytes]:
    """A header or footer part cut where its one paragraph's run goes (after its properties)."""
    xml = parts[name]
    at = xml.index(b"</w:pPr>", xml.index(b"<w:p>")) + len(b"</w:pPr>")
    return name, xml[:at], xml[at:]
