"""The template filled as text writes what python-docx writes for the same paragraphs."""

from __future__ import annotations

import io
import random
import zipfile

import docx
import pytest
from lxml import etree

from redact.docx_template import new_document, package_problems
from redact.docx_write import Para, write_document

WORDS = ("MAPPA", "level 2", "R&D", "<risk>", "a > b", "Siân", "O'Neill", "“quoted”", "tab\there", "two\nlines",
         "cr\rline", "  padded  ", " lead", "trail ", "   ", "\t", "\n", "ü", "€5", "😀", "&amp;", "]]>", "x" * 60)
FONTS = (("", 0.0), ("Arial", 11.0))


def _random_paras(rng: random.Random) -> list[Para]:
    paras = []
    for _ in range(rng.randint(0, 12)):
        text = "".join(rng.choice(WORDS) + rng.choice(("", " ", ", ", "\n")) for _ in range(rng.randint(0, 6)))
        paras.append(Para(text, rng.choice(("", "", "Heading 1")), rng.random() < 0.2))
    return paras


def _with_python_docx(paras: list[Para], header: str, footer: str, font: str, size: float) -> bytes:
    d = new_document(font, size)
    section = d.sections[0]
    section.header.paragraphs[0].text = header
    section.footer.paragraphs[0].text = footer
    for p in paras:
        if p.bold:
            para = d.add_paragraph(style=p.style or None)
            if p.text:
                para.add_run(p.text).bold = True
        else:
            d.add_paragraph(p.text, style=p.style or None)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _canonical_parts(data: bytes) -> dict[str, bytes]:
    z = zipfile.ZipFile(io.BytesIO(data))
    out = {}
    for name in z.namelist():
        content = z.read(name)
        if name == "[Content_Types].xml":
            # python-docx writes the entries in another order, and no default for an extension
            # no part has (the template keeps the "jpeg" one): neither changes what Word reads
            used = {n.rsplit(".", 1)[-1].lower() for n in z.namelist()}
            out[name] = b"".join(sorted(etree.tostring(el, method="c14n") for el in etree.fromstring(content)
                                        if (el.get("Extension") or "").lower() in used or el.get("PartName")))
        elif name.endswith((".xml", ".rels")):
            out[name] = etree.tostring(etree.fromstring(content), method="c14n")
        else:
            out[name] = content
    return out


@pytest.mark.parametrize("seed", range(12))
def test_the_same_parts_as_python_docx_writes(seed: int) -> None:
    rng = random.Random(seed)
    paras = _random_paras(rng)
    header = rng.choice(("OFFICIAL-SENSITIVE", "Example Borough Council - OFFICIAL-SENSITIVE", "", " a\tb "))
    footer = rng.choice(("OFFICIAL-SENSITIVE", "", "R&D <x>"))
    font, size = rng.choice(FONTS)
    ours = write_document(paras, header, footer, font, size)
    assert _canonical_parts(ours) == _canonical_parts(_with_python_docx(paras, header, footer, font, size))
    assert package_problems(ours) == []
    read = docx.Document(io.BytesIO(ours))
    assert [p.text for p in read.paragraphs] == [p.text.replace("\r", "\n") for p in paras]
    assert read.sections[0].header.paragraphs[0].text == header.replace("\r", "\n")


def test_a_character_xml_cannot_hold_is_refused_as_python_docx_refuses_it() -> None:
    for bad in ("\x00", "bell\x07", "\x1b[0m", "\ufffe"):
        with pytest.raises(ValueError):
            _with_python_docx([Para(bad)], "h", "f", "", 0.0)
        with pytest.raises(ValueError):
            write_document([Para(bad)], "h", "f")
        with pytest.raises(ValueError):
            write_document([], bad, "f")


def test_an_unknown_style_is_an_error_not_a_silent_normal() -> None:
    with pytest.raises(KeyError):
        write_document([Para("x", "Heading 9")], "h", "f")


def test_no_date_in_the_package() -> None:
    z = zipfile.ZipFile(io.BytesIO(write_document([Para("x")], "h", "f")))
    assert {info.date_time for info in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}
