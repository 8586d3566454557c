"""DOCX files for the reader tests: python-docx for the ordinary parts, hand-written XML for the
parts python-docx cannot write (tracked changes, comments, footnotes, text boxes, hidden runs).
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

import docx
from docx.shared import Pt

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def minutes_docx(title: str, paragraphs: list[str], pairs: list[tuple[str, str]], header: str, footer: str,
                 nested: list[tuple[str, str]] | None = None, author: str = "MAPPA Coordinator") -> bytes:
    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.author = author
    section = document.sections[0]
    section.header.paragraphs[0].text = header
    section.footer.paragraphs[0].text = footer
    document.add_heading(title, level=1)
    document.add_paragraph(paragraphs[0])
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for key, value in pairs:
        cells = table.add_row().cells
        cells[0].text = key
        cells[1].text = value
    if nested:
        outer = table.add_row().cells
        outer[0].text = "Children"
        inner = outer[1].add_table(rows=0, cols=2)
        for key, value in nested:
            row = inner.add_row().cells
            row[0].text = key
            row[1].text = value
    document.add_heading("Discussion", level=2)
    for text in paragraphs[1:]:
        run = document.add_paragraph().add_run(text)
        run.font.size = Pt(11)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def rewrite_zip(data: bytes, changes: dict[str, bytes | None]) -> bytes:
    """Replace, add (or with None drop) members of a zip."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in changes:
                continue
            target.writestr(info, source.read(info))
        for name, content in changes.items():
            if content is not None:
                target.writestr(name, content)
    return out.getvalue()


def _add_part(data: bytes, part: str, content_type: str, rel_type: str, rel_id: str, xml: str) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    types = archive.read("[Content_Types].xml").decode()
    types = types.replace("</Types>", f'<Override PartName="/word/{part}" ContentType="{content_type}"/></Types>')
    rels = archive.read("word/_rels/document.xml.rels").decode()
    rels = rels.replace("</Relationships>",
                        f'<Relationship Id="{rel_id}" Type="{REL}/{rel_type}" Target="{part}"/></Relationships>')
    return {"[Content_Types].xml": types.encode(), "word/_rels/document.xml.rels": rels.encode(),
            f"word/{part}": xml.encode()}


def _run(text: str, extra: str = "") -> str:
    return f'<w:r>{extra}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def reviewed_docx(base: bytes, kept: str, inserted: str, deleted: str, comment_on: str, comment: str,
                  footnote: str, box: str, hidden: str) -> bytes:
    """Adds to ``base``: a paragraph with a tracked insertion and deletion, a commented phrase,
    a footnote, a text box and a hidden run, with the comments and footnotes parts they need."""
    body = (
        f'<w:p>{_run(kept + " ")}'
        f'<w:ins w:id="101" w:author="Probation" w:date="2025-03-04T10:00:00Z">{_run(inserted + " ")}</w:ins>'
        f'<w:del w:id="102" w:author="Police" w:date="2025-03-04T10:05:00Z">'
        f'<w:r><w:delText xml:space="preserve">{escape(deleted)}</w:delText></w:r></w:del></w:p>'
        f'<w:p><w:commentRangeStart w:id="0"/>{_run(comment_on)}<w:commentRangeEnd w:id="0"/>'
        f'<w:r><w:commentReference w:id="0"/></w:r>'
        f'<w:r><w:footnoteReference w:id="2"/></w:r></w:p>'
        f'<w:p>{_run("Anchor paragraph for a box.")}<w:r><w:pict>'
        f'<v:shape xmlns:v="urn:schemas-microsoft-com:vml" style="width:200pt;height:50pt"><v:textbox>'
        f'<w:txbxContent><w:p>{_run(box)}</w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>'
        f'<w:p>{_run("Shown text. ")}{_run(hidden, "<w:rPr><w:vanish/></w:rPr>")}</w:p>'
    )
    archive = zipfile.ZipFile(io.BytesIO(base))
    document = archive.read("word/document.xml").decode()
    cut = document.rindex("<w:sectPr")
    document = document[:cut] + body + document[cut:]
    comments = (f'<w:comments {W_NS}><w:comment w:id="0" w:author="QA Manager" w:initials="QA">'
                f'<w:p>{_run(comment)}</w:p></w:comment></w:comments>')
    notes = (f'<w:footnotes {W_NS}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
             f'</w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
             f'</w:r></w:p></w:footnote><w:footnote w:id="2"><w:p>{_run(footnote)}</w:p></w:footnote></w:footnotes>')
    step = rewrite_zip(base, {"word/document.xml": document.encode()})
    step = rewrite_zip(step, _add_part(step, "comments.xml",
                                       "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml",
                                       "comments", "rIdC1", comments))
    return rewrite_zip(step, _add_part(step, "footnotes.xml",
                                       "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                                       "footnotes", "rIdF1", notes))


def zip_bomb_docx(base: bytes, megabytes: int = 40) -> bytes:
    """A real DOCX plus one member of zeros that deflates about 1000:1."""
    out = io.BytesIO(base)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive, archive.open("word/media/pad.bin", "w") as member:
        chunk = b"\0" * (1024 * 1024)
        for _ in range(megabytes):
            member.write(chunk)
    return out.getvalue()


def many_members_docx(base: bytes, members: int = 3000) -> bytes:
    out = io.BytesIO(base)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_STORED) as archive:
        for i in range(members):
            archive.writestr(f"customXml/item{i}.txt", b"x")
    return out.getvalue()


def deep_xml_docx(base: bytes, depth: int = 100_000) -> bytes:
    archive = zipfile.ZipFile(io.BytesIO(base))
    document = archive.read("word/document.xml").decode()
    cut = document.rindex("<w:sectPr")
    deep = "<w:sdt><w:sdtContent>" * depth + "</w:sdtContent></w:sdt>" * depth
    return rewrite_zip(base, {"word/document.xml": (document[:cut] + deep + document[cut:]).encode()})


def billion_laughs_docx(base: bytes) -> bytes:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i else "&lol;" * 10}">' for i in range(9))
    xml = (f'<?xml version="1.0"?><!DOCTYPE w:document [{entities}]>'
           f'<w:document {W_NS}><w:body><w:p><w:r><w:t>&lol8;</w:t></w:r></w:p></w:body></w:document>')
    return rewrite_zip(base, {"word/document.xml": xml.encode()})


def encrypted_docx(base: bytes, password: str = "s3cret") -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(base)).encrypt(password, out)
    return out.getvalue()
