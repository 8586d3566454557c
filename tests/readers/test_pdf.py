"""PDF reader: text fidelity (against pdftotext too), tables, layout, scans, hidden text."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

import pytest

from extract.limits import ReadLimits
from extract.read import read_document
from tests.readers import make_pdf
from tests.readers.checks import consistent, flag_codes, kinds, norm, words

LIMITS = ReadLimits()
MINUTES = [
    "The meeting was chaired by the MAPPA Coordinator and was quorate.",
    "Mr Dale HOLLOWAY was reviewed at Level 2 following his move to the Northgate area.",
    "The police representative reported that the subject had complied with all visits since January.",
    "Children's services confirmed that two children live at the address of the subject's new partner.",
    "The panel agreed that the risk of serious harm to children remains high and must be reviewed in eight weeks.",
    "Action: the allocated social worker will visit the family within five working days.",
    "The probation officer will share the updated risk management plan with the panel before the next review.",
    "Next review date: 29 April 2025 at 10:00 in the Civic Centre, Room 4.",
]


def pdftotext(data: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils not installed")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(data)
        return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True,
                              timeout=60).stdout.decode("utf-8")


@pytest.mark.parametrize("breaks", [0, 2])
def test_every_sentence_is_read_and_agrees_with_pdftotext(breaks: int) -> None:
    data = make_pdf.prose_pdf("MAPPA Level 2 Meeting Minutes", MINUTES, page_breaks=breaks)
    doc = consistent(read_document(data, "minutes.pdf", LIMITS))
    ours = norm(doc.text)
    theirs = norm(pdftotext(data))
    for sentence in MINUTES:
        assert sentence in ours
        assert sentence in theirs
    # Same words, same counts, as a second independent reader (running headers included;
    # the PDF's title from its metadata is ours alone).
    page_text = " ".join(b.text for b in doc.blocks if b.kind.value != "metadata")
    assert Counter(words(page_text)) == Counter(words(pdftotext(data)))
    assert kinds(doc, "metadata") == ["Title: MAPPA Level 2 Meeting Minutes"]
    assert doc.page_count == breaks + 1
    assert kinds(doc, "heading") == ["MAPPA Level 2 Meeting Minutes"]


def test_running_headers_and_footers_are_marked_on_every_page() -> None:
    data = make_pdf.prose_pdf("Minutes", MINUTES * 3, header="OFFICIAL - SENSITIVE (MAPPA)",
                              footer="Page {page} of 3", page_breaks=2)
    doc = consistent(read_document(data, "m.pdf", LIMITS))
    assert doc.page_count == 3
    assert kinds(doc, "header") == ["OFFICIAL - SENSITIVE (MAPPA)"] * 3
    assert kinds(doc, "footer") == [f"Page {n} of 3" for n in (1, 2, 3)]
    for block in doc.blocks:
        if block.kind.value == "footer":
            assert block.text == f"Page {block.span.page} of 3"
    assert not any("OFFICIAL" in p for p in kinds(doc, "paragraph"))


def test_key_value_table_becomes_rows_of_cells() -> None:
    pairs = [("Name", "Dale HOLLOWAY"), ("Date of birth", "14/07/1979"), ("MAPPA level", "2"),
             ("Lead agency", "National Probation Service")]
    data = make_pdf.key_value_pdf("Subject details", pairs, ["The panel noted the details above."])
    doc = consistent(read_document(data, "kv.pdf", LIMITS))
    rows = [b for b in doc.blocks if b.kind.value == "table_row"]
    assert [tuple(c for c, _ in row.cells) for row in rows] == pairs
    assert {row.table_index for row in rows} == {0}
    assert [row.row_index for row in rows] == [0, 1, 2, 3]
    # The table sits where it is on the page: after the heading, before the closing paragraph.
    order = [b.kind.value for b in doc.blocks]
    assert order.index("heading") < order.index("table_row") < order.index("paragraph")


def test_landscape_agenda_table() -> None:
    header = ["Time", "Name", "Date of birth", "Level", "Lead agency", "Children's services"]
    rows = [["10:00", "Peter JONES", "02/03/1975", "2", "Probation", "Open case, Team North"],
            ["10:45", "Mark EVANS", "11/12/1990", "3", "Police", "Not known"],
            ["11:30", "Gareth PRICE", "23/09/1968", "2", "Probation", "Closed 2023"]]
    data = make_pdf.landscape_agenda_pdf("MAPPA Level 2 and 3 Panel - 4 March 2025", header, rows,
                                         "Papers will follow by secure e-mail.")
    doc = consistent(read_document(data, "agenda.pdf", LIMITS))
    assert doc.pages[0].width and doc.pages[0].height and doc.pages[0].width > doc.pages[0].height
    table = [[c for c, _ in b.cells] for b in doc.blocks if b.kind.value == "table_row"]
    assert table == [header, *rows]
    # White header text on a dark fill is visible text, not hidden text.
    assert "hidden_text" not in flag_codes(doc)
    assert "Papers will follow by secure e-mail." in norm(doc.text)


def test_two_columns_read_column_by_column() -> None:
    left = [f"West bank note {i}: the ferry timetable changed in spring and the riverside path reopened." for i in range(6)]
    right = [f"East bank note {i}: the market hall hosts the surgery every Tuesday morning until noon." for i in range(6)]
    data = make_pdf.two_column_pdf(left, right)
    doc = consistent(read_document(data, "cols.pdf", LIMITS))
    text = norm(doc.text)
    positions = [text.index(sentence) for sentence in left + right]
    assert positions == sorted(positions)
    assert all(s in norm(pdftotext(data)) for s in left + right)


def test_welsh_and_english_bilingual_pdf() -> None:
    font = make_pdf.unicode_font()
    if font is None:
        pytest.skip("DejaVu font not installed")
    lines = ["Cofnodion Cyfarfod MAPPA Lefel 2 / MAPPA Level 2 Meeting Minutes",
             "Dyddiad y cyfarfod: 4 Mawrth 2025 / Meeting date: 4 March 2025",
             "Bydd y gweithiwr cymdeithasol yn ymweld â'r teulu o fewn pum diwrnod gwaith.",
             "Mae'r risg i blant yn uchel; trafodwyd ŵyr ac wyres y gwrthrych.",
             "The social worker will visit the family within five working days."]
    data = make_pdf.prose_pdf(lines[0], lines[1:], font=font, header="SWYDDOGOL - SENSITIF / OFFICIAL - SENSITIVE",
                              footer="Tudalen {page} o 2", page_breaks=1)
    doc = consistent(read_document(data, "cofnodion.pdf", LIMITS))
    text = norm(doc.text)
    for line in lines:
        assert line in text
    assert kinds(doc, "footer") == ["Tudalen 1 o 2", "Tudalen 2 o 2"]


def test_hidden_text_is_found_kept_apart_and_flagged() -> None:
    data = make_pdf.hidden_text_pdf(
        visible="The panel met on 4 March 2025.",
        white="Victim lives at 12 Hidden Road.",
        invisible="Intelligence from a confidential source.",
        outside="Text placed off the page edge.",
        covered="Redacted with a black box only.",
        banner="Subject details (white on navy)")
    doc = consistent(read_document(data, "hidden.pdf", LIMITS))
    hidden = "\n".join(kinds(doc, "hidden"))
    for secret in ("Victim lives at 12 Hidden Road.", "Intelligence from a confidential source.",
                   "Text placed off the page edge.", "Redacted with a black box only."):
        assert secret in hidden
        assert not any(secret in p for p in kinds(doc, "paragraph"))
    assert "Subject details (white on navy)" in kinds(doc, "paragraph")
    reasons = " ".join(f.message for f in doc.flags if f.code == "hidden_text" and f.review)
    for reason in ("white on white", "invisible", "outside the page", "covered by a shape"):
        assert reason in reasons


def test_annotations_and_form_fields_are_read() -> None:
    data = make_pdf.annotated_pdf("Referral form received from the prison.", "Check the release date with OMU",
                                  "subject_name", "Dale HOLLOWAY")
    doc = consistent(read_document(data, "form.pdf", LIMITS))
    assert any("Check the release date with OMU" in a for a in kinds(doc, "annotation"))
    assert kinds(doc, "form_field") == ["subject_name: Dale HOLLOWAY"]
    assert "pdf_annotations" in flag_codes(doc, review=True)
    assert "pdf_form_fields" in flag_codes(doc, review=False)


def test_embedded_file_is_returned_as_an_attachment() -> None:
    inner = make_pdf.prose_pdf("Risk management plan", ["The plan is attached to the minutes."])
    data = make_pdf.with_embedded_file(make_pdf.prose_pdf("Cover", ["See the embedded plan."]), "plan.pdf", inner)
    doc = consistent(read_document(data, "cover.pdf", LIMITS))
    assert [(a.filename, a.origin, a.data) for a in doc.attachments] == [("plan.pdf", "pdf_embedded_file", inner)]
    again = consistent(read_document(doc.attachments[0].data, doc.attachments[0].filename, LIMITS))
    assert "The plan is attached to the minutes." in norm(again.text)


def test_scanned_page_is_ocred_with_confidence() -> None:
    scan = ["MAPPA Level 2 meeting minutes", "Subject: Dale HOLLOWAY", "Meeting date: 4 March 2025",
            "Risk to children: high"]
    data = make_pdf.scanned_pdf([scan], text_page="Cover sheet for the scanned minutes.")
    assert "HOLLOWAY" not in pdftotext(data)  # truly no text layer
    doc = consistent(read_document(data, "scan.pdf", LIMITS))
    assert doc.pages[0].ocr_confidence is None
    confidence = doc.pages[1].ocr_confidence
    assert confidence is not None and confidence >= LIMITS.ocr_min_confidence
    page_two = doc.text[doc.pages[1].start:doc.pages[1].end]
    for word in ("MAPPA", "HOLLOWAY", "March", "2025", "children"):
        assert word in page_two
    assert "ocr" in flag_codes(doc, review=False)


def test_scanned_pages_beyond_the_ocr_cap_go_to_review() -> None:
    data = make_pdf.scanned_pdf([["Page one of a scan"], ["Page two of a scan"]])
    doc = consistent(read_document(data, "scan.pdf", ReadLimits(ocr_max_pages=0)))
    skipped = [f for f in doc.flags if f.code == "ocr_page_skipped"]
    assert len(skipped) == 2 and all(f.review for f in skipped)


def test_low_ocr_confidence_is_flagged_for_review() -> None:
    data = make_pdf.scanned_pdf([["Faint words barely printed on the page"]])
    doc = consistent(read_document(data, "scan.pdf", ReadLimits(ocr_min_confidence=101.0)))
    flag = next(f for f in doc.flags if f.code == "ocr_low_confidence")
    assert flag.review and flag.message.startswith("page 1 read by OCR with confidence ")
    assert flag.message.endswith("%: check the text")
