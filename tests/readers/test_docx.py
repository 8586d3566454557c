"""DOCX reader: order, headings, tables (nested), headers/footers, and everything Word hides."""

from __future__ import annotations

import pytest

from extract.limits import ReadLimits
from extract.read import read_document
from tests.readers import make_docx
from tests.readers.checks import consistent, flag_codes, kinds, norm

LIMITS = ReadLimits()
PAIRS = [("Name", "Dale HOLLOWAY"), ("Date of birth", "14/07/1979"), ("MAPPA level", "2")]
CHILDREN = [("Child 1", "Amy HOLLOWAY (6)"), ("Child 2", "Ben HOLLOWAY (9)")]
PARAGRAPHS = ["The meeting took place on 4 March 2025 at the Civic Centre.",
              "The panel discussed the risk to the children of the new partner.",
              "Action: the social worker will complete a home visit by 11 March 2025."]


@pytest.fixture(scope="module")
def minutes() -> bytes:
    return make_docx.minutes_docx("MAPPA Level 2 Minutes", PARAGRAPHS, PAIRS, "OFFICIAL - SENSITIVE",
                                  "Do not copy without the chair's consent", nested=CHILDREN)


def test_body_in_reading_order_with_headings_tables_and_running_text(minutes: bytes) -> None:
    doc = consistent(read_document(minutes, "minutes.docx", LIMITS))
    assert doc.format == "docx"
    order = [(b.kind.value, b.text) for b in doc.blocks]
    assert order[0] == ("header", "OFFICIAL - SENSITIVE")
    assert ("heading", "MAPPA Level 2 Minutes") in order and ("heading", "Discussion") in order
    rows = [b for b in doc.blocks if b.kind.value == "table_row"]
    outer = [tuple(c for c, _ in r.cells) for r in rows if r.table_index == 0]
    inner = [tuple(c for c, _ in r.cells) for r in rows if r.table_index == 1]
    assert outer == [*PAIRS, ("Children", "")]
    assert inner == CHILDREN
    # Paragraph 1, then the table, then the discussion heading and the rest.
    texts = [t for _, t in order]
    assert texts.index(PARAGRAPHS[0]) < texts.index("Name | Dale HOLLOWAY") < texts.index("Discussion") \
        < texts.index(PARAGRAPHS[2])
    assert kinds(doc, "footer") == ["Do not copy without the chair's consent"]
    assert dict(doc.metadata)["title"] == "MAPPA Level 2 Minutes"
    assert not flag_codes(doc, review=True)


def test_tracked_changes_comments_notes_boxes_hidden_are_all_read_and_flagged(minutes: bytes) -> None:
    data = make_docx.reviewed_docx(minutes, kept="On release the subject will live at",
                                   inserted="his mother's flat in Northgate", deleted="Elm House Approved Premises",
                                   comment_on="Contact with the children is supervised.",
                                   comment="Police to confirm before circulation",
                                   footnote="Source: police intelligence report 44/2025.",
                                   box="Safeguarding lead: J. Patel", hidden="Victim's new address is 3 Mill Lane.")
    doc = consistent(read_document(data, "reviewed.docx", LIMITS))
    assert "On release the subject will live at his mother's flat in Northgate" in norm(doc.text)
    assert kinds(doc, "tracked_insertion") == ["his mother's flat in Northgate "]
    assert kinds(doc, "tracked_deletion") == ["Elm House Approved Premises"]
    assert not any("Elm House" in p for p in kinds(doc, "paragraph"))
    assert kinds(doc, "comment") == ["Comment by QA Manager: Police to confirm before circulation"]
    assert kinds(doc, "footnote") == ["[2] Source: police intelligence report 44/2025."]
    assert kinds(doc, "text_box") == ["Safeguarding lead: J. Patel"]
    assert kinds(doc, "hidden") == ["Victim's new address is 3 Mill Lane."]
    review = {f.code: f.message for f in doc.flags if f.review}
    assert review["tracked_changes"].startswith("document has tracked changes: accept or reject them before sending")
    assert {"comments", "hidden_text"} <= set(review)


def test_welsh_english_bilingual_docx() -> None:
    lines = ["Bydd y gweithiwr cymdeithasol yn ymweld â'r teulu o fewn pum diwrnod gwaith.",
             "Trafodwyd ŵyr ac wyres y gwrthrych; mae'r risg i blant yn uchel.",
             "The risk to children is high."]
    data = make_docx.minutes_docx("Cofnodion MAPPA / MAPPA Minutes", lines, [("Enw / Name", "Dafydd ap Siôn")],
                                  "SWYDDOGOL / OFFICIAL", "Tudalen 1")
    doc = consistent(read_document(data, "cofnodion.docx", LIMITS))
    for line in lines:
        assert line in doc.text
    assert "Enw / Name | Dafydd ap Siôn" in doc.text


def test_docm_extension_and_renamed_docx(minutes: bytes) -> None:
    doc = consistent(read_document(minutes, "minutes.pdf", LIMITS))
    flag = next(f for f in doc.flags if f.code == "extension_mismatch")
    assert flag.message.startswith("named .pdf but is a Word document")
    assert PARAGRAPHS[0] in doc.text
