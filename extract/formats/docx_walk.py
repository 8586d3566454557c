"""Walks WordprocessingML in document order, where python-docx's object model stops.

python-docx gives paragraphs and tables as two separate lists and drops text boxes, tracked
changes, hidden runs and content controls; reading order and every one of those matter here,
so the XML is walked directly. Text a person would see (insertions included) forms the
paragraph; deletions, hidden runs and text boxes follow it as their own blocks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from extract.formats.common import CharBudget
from extract.model import BlockKind, TextBuilder

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_W = "{" + W + "}"

# Elements whose children are walked as if they were not there (wrappers around runs or blocks).
TRANSPARENT = {"hyperlink", "smartTag", "fldSimple", "customXml", "bdo", "dir", "sdtContent", "ins", "moveTo",
               "del", "moveFrom", "oMath", "oMathPara"}
INSERTED = {"ins", "moveTo"}
DELETED = {"del", "moveFrom"}
OFF_VALUES = {"0", "false", "off"}


def local(el: etree._Element) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _on(el: etree._Element | None) -> bool:
    return el is not None and el.get(_W + "val", "true").lower() not in OFF_VALUES


@dataclass
class ParagraphText:
    text: list[str] = field(default_factory=list)
    inserted: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    boxes: list[etree._Element] = field(default_factory=list)


@dataclass
class Counts:
    insertions: int = 0
    deletions: int = 0
    hidden: int = 0
    text_boxes: int = 0
    tables: int = 0


@dataclass
class Walker:
    builder: TextBuilder
    budget: CharBudget
    heading_styles: set[str]
    counts: Counts = field(default_factory=Counts)

    def container(self, el: etree._Element, kind: BlockKind) -> None:
        for child in el:
            name = local(child)
            if name == "p":
                self.paragraph(child, kind)
            elif name == "tbl":
                self.table(child, kind)
            elif name in ("sdt",):
                content = child.find(_W + "sdtContent")
                if content is not None:
                    self.container(content, kind)
            elif name in TRANSPARENT or name == "AlternateContent":
                self.container(_choice(child) if name == "AlternateContent" else child, kind)

    def paragraph(self, p: etree._Element, kind: BlockKind) -> None:
        found = ParagraphText()
        self._runs(p, found, inserted=False, deleted=False)
        if kind == BlockKind.PARAGRAPH and self._is_heading(p):
            kind = BlockKind.HEADING
        self._emit(kind, "".join(found.text))
        self._after(found)

    def _after(self, found: ParagraphText) -> None:
        for box in found.boxes:
            self.counts.text_boxes += 1
            self.container(box, BlockKind.TEXT_BOX)
        if found.inserted:
            self.counts.insertions += 1
            self._emit(BlockKind.TRACKED_INSERTION, " ".join(found.inserted))
        if found.deleted:
            self.counts.deletions += 1
            self._emit(BlockKind.TRACKED_DELETION, " ".join(found.deleted))
        if found.hidden:
            self.counts.hidden += 1
            self._emit(BlockKind.HIDDEN, "".join(found.hidden))

    def _emit(self, kind: BlockKind, text: str) -> None:
        self.budget.spend(len(text))
        self.builder.add(kind, text)

    def _is_heading(self, p: etree._Element) -> bool:
        ppr = p.find(_W + "pPr")
        if ppr is None:
            return False
        if ppr.find(_W + "outlineLvl") is not None:
            return True
        style = ppr.find(_W + "pStyle")
        return style is not None and style.get(_W + "val", "") in self.heading_styles

    def _runs(self, el: etree._Element, out: ParagraphText, inserted: bool, deleted: bool) -> None:
        for child in el:
            name = local(child)
            if name == "r":
                self._run(child, out, inserted, deleted)
            elif name == "AlternateContent":
                self._runs(_choice(child), out, inserted, deleted)
            elif name == "sdt":
                content = child.find(_W + "sdtContent")
                if content is not None:
                    self._runs(content, out, inserted, deleted)
            elif name in TRANSPARENT:
                self._runs(child, out, inserted or name in INSERTED, deleted or name in DELETED)

    def _run(self, run: etree._Element, out: ParagraphText, inserted: bool, deleted: bool) -> None:
        rpr = run.find(_W + "rPr")
        hidden = rpr is not None and (_on(rpr.find(_W + "vanish")) or _on(rpr.find(_W + "specVanish")))
        pieces: list[str] = []
        for child in run:
            name = local(child)
            if name in ("t", "delText"):
                pieces.append(child.text or "")
            elif name == "tab":
                pieces.append("\t")
            elif name in ("br", "cr"):
                pieces.append("\n")
            elif name == "noBreakHyphen":
                pieces.append("-")
            elif name in ("drawing", "pict", "AlternateContent", "object"):
                out.boxes.extend(_text_boxes(child))
        text = "".join(pieces)
        if not text:
            return
        if deleted:
            out.deleted.append(text)
        elif hidden:
            out.hidden.append(text)
        else:
            out.text.append(text)
            if inserted:
                out.inserted.append(text)

    def table(self, tbl: etree._Element, kind: BlockKind) -> None:
        index = self.counts.tables
        self.counts.tables += 1
        row_kind = BlockKind.TABLE_ROW if kind in (BlockKind.PARAGRAPH, BlockKind.TABLE_ROW) else kind
        for row_index, tr in enumerate(_rows(tbl)):
            cells: list[str] = []
            later: list[ParagraphText] = []
            nested: list[etree._Element] = []
            for tc in _cells(tr):
                tcpr = tc.find(_W + "tcPr")
                merge = tcpr.find(_W + "vMerge") if tcpr is not None else None
                if merge is not None and merge.get(_W + "val", "continue") == "continue":
                    cells.append("")  # the cell above spans into this one
                    continue
                texts: list[str] = []
                for part in _cell_blocks(tc):
                    if local(part) == "tbl":
                        nested.append(part)
                        continue
                    found = ParagraphText()
                    self._runs(part, found, inserted=False, deleted=False)
                    texts.append("".join(found.text))
                    later.append(found)
                cell = " ".join(t for t in texts if t.strip())
                self.budget.spend(len(cell))
                cells.append(cell)
            self.builder.add_row(cells, index, row_index, kind=row_kind)
            for found in later:
                self._after(found)
            for inner in nested:
                self.table(inner, kind)

    def text_of(self, el: etree._Element) -> str:
        """All paragraph text under ``el`` (accepted view), for comments and notes."""
        parts: list[str] = []
        for p in el.iter(_W + "p"):
            found = ParagraphText()
            self._runs(p, found, inserted=False, deleted=False)
            parts.append("".join(found.text))
        return "\n".join(t for t in parts if t.strip())


def _choice(alternate: etree._Element) -> etree._Element:
    """Of mc:AlternateContent take the first Choice (else the Fallback), never both: they repeat each other."""
    for child in alternate:
        if local(child) in ("Choice", "Fallback"):
            return child
    return alternate


def _text_boxes(el: etree._Element) -> list[etree._Element]:
    boxes: list[etree._Element] = []
    for box in el.iter(_W + "txbxContent"):
        if any(local(a) == "Fallback" for a in box.iterancestors()):
            continue
        if any(local(a) == "txbxContent" for a in box.iterancestors()):
            continue  # nested box: walked with its parent
        boxes.append(box)
    return boxes


def _unwrapped(el: etree._Element, wanted: str) -> list[etree._Element]:
    """The ``wanted`` children of a table or row, looking through content controls and custom XML."""
    found: list[etree._Element] = []
    for child in el:
        name = local(child)
        if name == wanted:
            found.append(child)
        elif name == "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                found.extend(_unwrapped(content, wanted))
        elif name == "customXml":
            found.extend(_unwrapped(child, wanted))
    return found


def _rows(tbl: etree._Element) -> list[etree._Element]:
    return _unwrapped(tbl, "tr")


def _cells(tr: etree._Element) -> list[etree._Element]:
    return _unwrapped(tr, "tc")


def _cell_blocks(tc: etree._Element) -> list[etree._Element]:
    blocks: list[etree._Element] = []
    for child in tc:
        name = local(child)
        if name in ("p", "tbl"):
            blocks.append(child)
        elif name == "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                blocks.extend(_cell_blocks(content))
        elif name == "customXml":
            blocks.extend(_cell_blocks(child))
    return blocks
