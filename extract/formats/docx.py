"""Word .docx (and .docm): python-docx opens the package; ``docx_walk`` reads the XML in order.

Every XML part is checked (no DTDs, bounded depth) and the zip is checked on its central
directory before python-docx touches it, because python-docx parses parts eagerly.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from datetime import datetime

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.package import OpcPackage

from extract.formats.common import CharBudget, Outcome, refuse
from extract.formats.docx_walk import _W, Walker, local
from extract.formats.safexml import check_xml, parse_xml
from extract.formats.safezip import open_checked_zip
from extract.limits import ReadLimits
from extract.model import Attachment, BlockKind, Flag, TextBuilder

READABLE_EMBEDDED = {"pdf", "docx", "txt", "eml", "msg", "png", "jpeg", "tiff", "rtf", "doc"}
SKIPPED_NOTES = {"separator", "continuationSeparator", "continuationNotice"}
TRACKED_CHANGES_MESSAGE = "document has tracked changes: accept or reject them before sending"


def read_docx(data: bytes, limits: ReadLimits) -> Outcome:
    archive = open_checked_zip(data, limits, "Word document")
    for info in archive.infolist():
        if info.filename.lower().endswith((".xml", ".rels")):
            check_xml(archive.read(info), limits, f"Word document part {info.filename}")
    try:
        package = OpcPackage.open(io.BytesIO(data))
        main = package.main_document_part
    except (KeyError, ValueError) as exc:
        raise refuse("corrupt", "the Word document is damaged (its main part is missing): ask the sender to send "
                     "it again", detail=str(exc)) from exc
    parts = {rel.reltype: [] for rel in main.rels.values()}  # type: dict[str, list[bytes]]
    for rel in sorted(main.rels.values(), key=lambda r: str(r.target_ref)):
        if not rel.is_external:
            parts[rel.reltype].append(rel.target_part.blob)

    budget = CharBudget(limits)
    builder = TextBuilder()
    walker = Walker(builder, budget, _heading_styles(parts.get(RT.STYLES, []), limits))
    for blob in parts.get(RT.HEADER, []):
        walker.container(parse_xml(blob, limits, "Word header"), BlockKind.HEADER)
    body = parse_xml(main.blob, limits, "Word document body").find(_W + "body")
    if body is None:
        raise refuse("corrupt", "the Word document has no body: ask the sender to send it again")
    walker.container(body, BlockKind.PARAGRAPH)
    notes = _notes(walker, parts, limits)
    for blob in parts.get(RT.FOOTER, []):
        walker.container(parse_xml(blob, limits, "Word footer"), BlockKind.FOOTER)
    comments = _comments(walker, parts.get(RT.COMMENTS, []), limits)
    metadata = _core_properties(package)
    for key in ("title", "subject", "keywords", "comments"):
        if metadata.get(key):
            builder.add(BlockKind.METADATA, f"{key.capitalize()}: {metadata[key]}")

    flags: list[Flag] = []
    counts = walker.counts
    if counts.insertions or counts.deletions:
        flags.append(Flag("tracked_changes", f"{TRACKED_CHANGES_MESSAGE} ({counts.insertions} paragraph(s) with "
                          f"insertions, {counts.deletions} with deletions; both were read)", review=True))
    if comments:
        flags.append(Flag("comments", f"document has {comments} comment(s): check them; they were read as "
                          "comments, apart from the text", review=True))
    if counts.hidden:
        flags.append(Flag("hidden_text", f"document has hidden (invisible) text in {counts.hidden} place(s): a "
                          "person must check it; it was kept apart from the visible text", review=True))
    if notes:
        flags.append(Flag("notes", f"document has {notes} footnote(s) or endnote(s), read at the end"))
    if counts.text_boxes:
        flags.append(Flag("text_boxes", f"document has {counts.text_boxes} text box(es), read after the paragraph "
                          "they are anchored to"))
    attachments, embed_flags = _embedded(archive, limits)
    flags += embed_flags
    return builder.build("docx", flags=flags, attachments=attachments, metadata=metadata)


def _heading_styles(blobs: list[bytes], limits: ReadLimits) -> set[str]:
    ids: set[str] = set()
    for blob in blobs:
        for style in parse_xml(blob, limits, "Word styles").iter(_W + "style"):
            name_el = style.find(_W + "name")
            name = (name_el.get(_W + "val", "") if name_el is not None else "").lower()
            ppr = style.find(_W + "pPr")
            outline = ppr is not None and ppr.find(_W + "outlineLvl") is not None
            if name.startswith("heading") or name in ("title", "subtitle") or outline:
                ids.add(style.get(_W + "styleId", ""))
    return ids


def _notes(walker: Walker, parts: dict[str, list[bytes]], limits: ReadLimits) -> int:
    count = 0
    for reltype, kind, what in ((RT.FOOTNOTES, BlockKind.FOOTNOTE, "footnotes"),
                                (RT.ENDNOTES, BlockKind.ENDNOTE, "endnotes")):
        for blob in parts.get(reltype, []):
            for note in parse_xml(blob, limits, f"Word {what}"):
                if local(note) not in ("footnote", "endnote") or note.get(_W + "type") in SKIPPED_NOTES:
                    continue
                text = walker.text_of(note)
                if text.strip():
                    count += 1
                    walker.budget.spend(len(text))
                    walker.builder.add(kind, f"[{note.get(_W + 'id', '')}] {text}")
    return count


def _comments(walker: Walker, blobs: list[bytes], limits: ReadLimits) -> int:
    count = 0
    for blob in blobs:
        for comment in parse_xml(blob, limits, "Word comments").iter(_W + "comment"):
            text = walker.text_of(comment)
            if not text.strip():
                continue
            count += 1
            author = comment.get(_W + "author", "")
            walker.budget.spend(len(text))
            walker.builder.add(BlockKind.COMMENT, f"Comment by {author}: {text}" if author else f"Comment: {text}")
    return count


def _core_properties(package: OpcPackage) -> dict[str, str]:
    # python-docx invents default properties ("python-docx" as author) when the part is missing.
    if not any(rel.reltype == RT.CORE_PROPERTIES for rel in package.rels.values()):
        return {}
    props = package.core_properties
    out: dict[str, str] = {}
    for key in ("author", "title", "subject", "keywords", "comments", "last_modified_by", "category",
                "created", "modified", "revision"):
        value = getattr(props, key, None)
        if isinstance(value, datetime):
            value = value.isoformat()
        if value not in (None, "", 0):
            out[key] = str(value)
    return out


def _embedded(archive: zipfile.ZipFile, limits: ReadLimits) -> tuple[list[Attachment], list[Flag]]:
    from extract.formats.sniff import sniff  # sniff imports the text reader; keep this module light

    attachments: list[Attachment] = []
    flags: list[Flag] = []
    if any(n.lower().endswith("vbaproject.bin") for n in archive.namelist()):
        flags.append(Flag("macros", "document contains macros (they were not run)"))
    for info in archive.infolist():
        if not info.filename.startswith("word/embeddings/") or info.is_dir():
            continue
        name = posixpath.basename(info.filename)
        data = archive.read(info)
        if sniff(data).kind in READABLE_EMBEDDED and len(attachments) < limits.max_attachments:
            attachments.append(Attachment(name, data, "docx_embedded_file"))
        else:
            flags.append(Flag("embedded_object", f"document embeds an object ({name}) that was not read: check it",
                              review=True))
    return attachments, flags

