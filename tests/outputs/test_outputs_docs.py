"""Generated letters: marking in header and footer, Arial 11, a heading, and a package Word opens."""

import io

import docx

from outputs import docs
from redact.docx_template import package_problems
from tests.outputs.outputs_helpers import config


def test_letter_carries_marking_font_heading_and_is_a_consistent_package(tmp_path):
    cfg = config(tmp_path)
    data = docs.docx_bytes("A title", ["First paragraph.", "Second."], cfg, banner="FOR INFORMATION")
    assert package_problems(data) == []
    d = docx.Document(io.BytesIO(data))
    texts = [p.text for p in d.paragraphs]
    assert texts[0] == "FOR INFORMATION" and d.paragraphs[0].runs[0].bold
    assert texts[-3:] == ["A title", "First paragraph.", "Second."]
    assert d.paragraphs[-3].style.name == "Heading 1"
    assert cfg.council_name in texts[1]
    assert d.styles["Normal"].font.name == "Arial" and d.styles["Normal"].font.size.pt == 11
    assert d.sections[0].header.paragraphs[0].text == cfg.marking
    assert d.sections[0].footer.paragraphs[0].text == cfg.marking
    path = docs.save(tmp_path / "letter.docx", data)
    assert "A title" in docs.docx_text(path) and cfg.marking in docs.docx_text(path)
