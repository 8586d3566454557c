"""The small DOCX template every generated document starts from: what it keeps, what it drops,
and that the package stays one Word can open (content types and relationships consistent)."""

import io
import re
import zipfile

import docx

from redact.docx_template import new_document, package_problems, prune_styles, rewrite_package, template_bytes


def _saved(d) -> bytes:
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_template_keeps_the_styles_used_and_drops_the_gallery():
    z = zipfile.ZipFile(io.BytesIO(template_bytes()))
    names = set(z.namelist())
    assert {"word/document.xml", "word/styles.xml", "word/header1.xml", "word/footer1.xml"} <= names
    assert not any(n.startswith("customXml") or "thumbnail" in n or "stylesWithEffects" in n or "webSettings" in n
                   for n in names)
    ids = set(re.findall(rb'w:styleId="([^"]+)"', z.read("word/styles.xml")))
    # the used styles and what they are based on or linked to; not the rest of the gallery
    assert {b"Normal", b"Heading1", b"Heading1Char", b"Header", b"Footer", b"DefaultParagraphFont"} <= ids
    assert b"Title" not in ids and b"ListBullet" not in ids
    assert b"latentStyles" not in z.read("word/styles.xml")
    assert package_problems(template_bytes()) == []


def test_documents_from_the_template_open_and_carry_header_footer_and_font(tmp_path):
    d = new_document("Arial", 11)
    d.sections[0].header.paragraphs[0].text = "OFFICIAL"
    d.sections[0].footer.paragraphs[0].text = "OFFICIAL"
    d.add_heading("Title", level=1)
    d.add_paragraph("Body")
    data = _saved(d)
    assert package_problems(data) == []
    (tmp_path / "x.docx").write_bytes(data)
    back = docx.Document(str(tmp_path / "x.docx"))
    assert [p.text for p in back.paragraphs] == ["Title", "Body"]
    assert back.paragraphs[0].style.name == "Heading 1"
    normal = back.styles["Normal"]
    assert normal.font.name == "Arial" and normal.font.size.pt == 11
    assert back.sections[0].header.paragraphs[0].text == "OFFICIAL"
    assert back.sections[0].footer.paragraphs[0].text == "OFFICIAL"
    # a second document is independent of the first
    assert [p.text for p in new_document("Arial", 11).paragraphs] == []


def test_package_problems_finds_a_dangling_relationship_and_a_part_without_a_type():
    cut = rewrite_package(template_bytes(), re.compile(r"^word/styles\.xml$"))
    assert package_problems(cut) == []  # the relationship and override went with the part
    z = zipfile.ZipFile(io.BytesIO(template_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in z.namelist():
            if name != "word/styles.xml":
                dst.writestr(name, z.read(name))
        dst.writestr("word/extra.bin", b"x")
    problems = package_problems(out.getvalue())
    assert any("missing part word/styles.xml" in p for p in problems)
    assert any("override for a missing part: word/styles.xml" in p for p in problems)
    assert any("without a content type: word/extra.bin" in p for p in problems)


def test_pruning_follows_based_on_and_link_chains():
    xml = (b'<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           b'<w:style w:styleId="A"><w:name w:val="a"/><w:basedOn w:val="B"/></w:style>'
           b'<w:style w:styleId="B"><w:name w:val="b"/><w:link w:val="C"/></w:style>'
           b'<w:style w:styleId="C"><w:name w:val="c"/></w:style>'
           b'<w:style w:styleId="D"><w:name w:val="d"/></w:style>'
           b'<w:style w:styleId="E" w:default="1"><w:name w:val="e"/></w:style></w:styles>')
    assert set(re.findall(rb'w:styleId="(\w)"', prune_styles(xml, ("a",)))) == {b"A", b"B", b"C", b"E"}


def test_start_up_builds_the_templates_the_writers_use() -> None:
    """`mappa watch` cuts both templates down and splits them for the writer before it is
    ready; the first letter and the first summary then build nothing."""
    from outputs.docs import LETTER_FONT, warm_templates
    from redact.docx_template import template_bytes
    from redact.docx_write import _split, write_document

    template_bytes.cache_clear()
    _split.cache_clear()
    warm_templates()
    misses = template_bytes.cache_info().misses, _split.cache_info().misses
    write_document([], "h", "f", *LETTER_FONT)
    write_document([], "h", "f")
    assert (template_bytes.cache_info().misses, _split.cache_info().misses) == misses == (2, 2)
