"""A small DOCX template, made once per process, for every document the service writes.

python-docx's default template carries Word's whole style gallery (styles.xml and
stylesWithEffects.xml, ~440 KB each), a thumbnail, custom XML and web settings. Opening it
and saving it again parses, serialises and compresses all of that for a one-page letter,
about 20 ms a file. The documents written here use four styles (Normal, Heading 1, Header,
Footer), one header and one footer, so the template is cut down once to those (and the
styles they are based on or linked to) and every document starts from its bytes: a few ms.

``new_document`` opens it as a python-docx document (DESIGN.md); the service's own documents
fill it through ``redact.docx_write``, which writes the same XML without python-docx's object
tree, and are read back with python-docx. The cut package keeps the relationship graph and [Content_Types].xml consistent (Word refuses
a package whose parts lack a content type or whose relationships point at nothing);
``package_problems`` checks exactly that, for tests and for the written summaries.

Shared by redact.docx_out (summaries) and outputs.docs (letters, notices, packs); it lives
here because data flows one way: outputs may import redact, never the reverse.
"""

from __future__ import annotations

import functools
import io
import posixpath
import re
import zipfile
from collections.abc import Callable

import docx
from docx.document import Document
from docx.shared import Pt
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_W = f"{{{W}}}"

# Styles the service's documents use; those they are based on, linked to or followed by
# are kept too, and so are the defaults (w:default="1") Word falls back on.
STYLES = ("Normal", "Heading 1", "Header", "Footer")

# Parts no generated document needs: Word 2010's duplicate style gallery, the template's
# thumbnail and custom XML, web settings, and list numbering (no kept style numbers).
_DROP = re.compile(r"^(?:customXml/.*|docProps/thumbnail\.\w+|docProps/custom\.xml|word/stylesWithEffects\.xml|"
                   r"word/webSettings\.xml|word/numbering\.xml|word/comments\w*\.xml|word/people\.xml)$")
# Word's application properties, blank: no template name, application or company.
APP_XML = (b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
           b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"/>')
# Core properties with nothing in them but revision 1: no author, description or dates.
_CORE_XML = (b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
             b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
             b' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
             b' xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
             b"<dc:title/><dc:subject/><dc:creator/><cp:keywords/><dc:description/><cp:lastModifiedBy/>"
             b"<cp:revision>1</cp:revision><cp:category/></cp:coreProperties>")


def new_document(font: str = "", size_pt: float = 0) -> Document:
    """A fresh document from the small template: one section with an empty header and footer
    paragraph (styles Header and Footer), Normal in ``font``/``size_pt`` when given."""
    return docx.Document(io.BytesIO(template_bytes(font, size_pt)))


@functools.lru_cache(maxsize=4)
def template_bytes(font: str = "", size_pt: float = 0) -> bytes:
    """The cut-down template package (cached: made once per process and font)."""
    d = docx.Document()
    if font or size_pt:
        normal = d.styles["Normal"]
        if font:
            normal.font.name = font  # type: ignore[attr-defined]
        if size_pt:
            normal.font.size = Pt(size_pt)  # type: ignore[attr-defined]
    section = d.sections[0]
    _ = section.header.paragraphs, section.footer.paragraphs  # adds the header and footer parts
    buf = io.BytesIO()
    d.save(buf)
    return rewrite_package(buf.getvalue(), _DROP, {
        "word/styles.xml": lambda b: prune_styles(b, STYLES),
        "word/settings.xml": _trim_settings,
        "docProps/app.xml": lambda _b: APP_XML,
        "docProps/core.xml": lambda _b: _CORE_XML,
    })


def prune_styles(xml: bytes, keep_names: tuple[str, ...]) -> bytes:
    """styles.xml with only the named styles, the defaults and what they refer to (basedOn,
    link, next), and no latent style table (optional; it lists the gallery's styles)."""
    root = etree.fromstring(xml)
    styles = {el.get(f"{_W}styleId"): el for el in root.iter(f"{_W}style")}
    names = {n.lower() for n in keep_names}
    todo = [sid for sid, el in styles.items()
            if el.get(f"{_W}default") == "1" or _style_name(el).lower() in names]
    keep: set[str] = set()
    while todo:
        sid = todo.pop()
        if sid in keep or sid not in styles:
            continue
        keep.add(sid)
        for ref in ("basedOn", "link", "next"):
            el = styles[sid].find(f"{_W}{ref}")
            if el is not None and el.get(f"{_W}val"):
                todo.append(el.get(f"{_W}val"))
    for sid, el in styles.items():
        if sid not in keep:
            root.remove(el)
    for latent in root.findall(f"{_W}latentStyles"):
        root.remove(latent)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _style_name(el: etree._Element) -> str:
    name = el.find(f"{_W}name")
    return (name.get(f"{_W}val") or "") if name is not None else ""


def _trim_settings(xml: bytes) -> bytes:
    """Settings without the template's editing-session ids, attached template or preview picture."""
    root = etree.fromstring(xml)
    for tag in ("rsids", "attachedTemplate", "savePreviewPicture"):
        for el in root.findall(f"{_W}{tag}"):
            root.remove(el)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def rewrite_package(data: bytes, drop: re.Pattern[str],
                    transforms: dict[str, Callable[[bytes], bytes]] | None = None) -> bytes:
    """The package without the parts ``drop`` matches, the relationships to them and their
    content-type overrides; ``transforms`` rewrite named parts. Entries get a fixed date, so
    the bytes say nothing about when they were written."""
    transforms = transforms or {}
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            name = info.filename
            if drop.match(name):
                continue
            content = src.read(name)
            if name in transforms:
                content = transforms[name](content)
            elif name.endswith(".rels"):
                content = _drop_rels(content, name, drop)
            elif name == "[Content_Types].xml":
                content = _drop_overrides(content, drop)
            zi = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, content)
    return out.getvalue()


def rel_target(rels_name: str, target: str) -> str:
    """The part name a relationship in ``rels_name`` points at (``word/_rels/document.xml.rels``
    with ``../customXml/item1.xml`` -> ``customXml/item1.xml``)."""
    if target.startswith("/"):
        return target.lstrip("/")
    source_dir = posixpath.dirname(posixpath.dirname(rels_name))  # word/_rels/x.rels -> word
    return posixpath.normpath(posixpath.join(source_dir, target))


def _drop_rels(content: bytes, rels_name: str, drop: re.Pattern[str]) -> bytes:
    root = etree.fromstring(content)
    for rel in list(root):
        if rel.get("TargetMode") == "External":
            continue
        if drop.match(rel_target(rels_name, rel.get("Target") or "")):
            root.remove(rel)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _drop_overrides(content: bytes, drop: re.Pattern[str]) -> bytes:
    root = etree.fromstring(content)
    for el in list(root):
        part = (el.get("PartName") or "").lstrip("/")
        if part and drop.match(part):
            root.remove(el)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def package_problems(data: bytes) -> list[str]:
    """What would make Word refuse the package: a part with no content type, an override or
    an internal relationship naming a part that is not there, a missing main document."""
    problems: list[str] = []
    z = zipfile.ZipFile(io.BytesIO(data))
    names = set(z.namelist())
    if "[Content_Types].xml" not in names:
        return ["no [Content_Types].xml"]
    ct = etree.fromstring(z.read("[Content_Types].xml"))
    defaults = {el.get("Extension", "").lower() for el in ct.findall(f"{{{CT_NS}}}Default")}
    overrides = {(el.get("PartName") or "").lstrip("/") for el in ct.findall(f"{{{CT_NS}}}Override")}
    for part in sorted(overrides - names):
        problems.append(f"content type override for a missing part: {part}")
    for name in sorted(names - {"[Content_Types].xml"}):
        if name.endswith("/"):
            continue
        if name not in overrides and name.rsplit(".", 1)[-1].lower() not in defaults:
            problems.append(f"part without a content type: {name}")
    for rels in sorted(n for n in names if n.endswith(".rels")):
        for rel in etree.fromstring(z.read(rels)).findall(f"{{{RELS_NS}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel_target(rels, rel.get("Target") or "")
            if target not in names:
                problems.append(f"{rels}: relationship {rel.get('Id')} points at a missing part {target}")
    if "word/document.xml" not in names:
        problems.append("no word/document.xml")
    return problems
