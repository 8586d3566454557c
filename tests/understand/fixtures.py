"""Small, varied documents built as readers build them (TextBuilder, table rows with cells)."""

from __future__ import annotations

import random

from spacy.language import Language

from extract.identifiers import pnc_check_char
from extract.model import BlockKind, TextBuilder, TextDocument
from tests.ingest.helpers import minutes_text

H, P = BlockKind.HEADING, BlockKind.PARAGRAPH
PNC = f"12/345678{pnc_check_char('12', '345678')}"


def build(parts: list[tuple[str, object]]) -> TextDocument:
    """parts: (kind, text) for blocks, ("row", [cells]) for table rows, ("table", None) to start a new table."""
    b = TextBuilder()
    table, row = -1, 0
    for kind, content in parts:
        if kind == "table":
            table, row = table + 1, 0
        elif kind == "row":
            assert isinstance(content, list)
            b.add_row(content, table, row)
            row += 1
        else:
            b.add(BlockKind(kind), str(content))
    return b.build("docx")


def minutes_kv() -> TextDocument:
    """Police-style minutes: a key-value table, attendance table, children table, actions table."""
    return build([
        ("heading", "MAPPA Level 2 Meeting Minutes"),
        ("table", None),
        ("row", ["Name", "John 'Jonno' SMITH"]), ("row", ["DOB", "07/05/1980"]), ("row", ["PNC", PNC]),
        ("row", ["MAPPA Category", "Cat 1"]), ("row", ["Date of meeting", "Wednesday 7th May 2025"]),
        ("row", ["Address", "12 Elm Road, Bedford MK41 7LD"]),
        ("heading", "Present"),
        ("table", None),
        ("row", ["Name", "Role", "Agency"]), ("row", ["DS Mary Jones", "Chair", "Kent Police"]),
        ("row", ["Sarah O'Neill", "Social Worker", "Children's Services"]),
        ("heading", "Children"),
        ("table", None),
        ("row", ["Child", "DOB", "Relationship"]), ("row", ["Ellie SMITH", "03/02/2015", "daughter"]),
        ("row", ["Tom SMITH", "12/12/2018", "son"]),
        ("paragraph", "He was convicted of sexual assault of a child under 13 at Snaresbrook Crown Court and received "
                      "6 years' imprisonment. The victim, Jane DOE, was 12."),
        ("heading", "Actions"),
        ("table", None),
        ("row", ["Action", "Owner", "Due"]),
        ("row", ["Complete a child and family assessment", "CSC", "within 28 days"]),
        ("row", ["Home visit", "Police", "30/05/2025"]),
        ("paragraph", "Next review: 27/08/2025"),
    ])


def minutes_prose() -> TextDocument:
    """A council's narrative minutes: no tables, labels in sentences, children in prose."""
    return build([
        ("paragraph", "Record of the MAPPA Level Three panel"),
        ("paragraph", "Re: Rhys AP GWILYM (d.o.b. 15.03.85), also known as 'Smudge'"),
        ("paragraph", "The meeting was held on Monday 2nd June 2025 at 10am at Bridgend Police Station."),
        ("paragraph", "Present: Ann Lee (Probation), Carys Evans (Children's Social Care), PC Tom Hill (South Wales Police)"),
        ("heading", "Discussion"),
        ("paragraph", "He lives with his partner, Kelly JONES. He has two children: Ellie AP GWILYM (d.o.b. 03/02/2015) "
                      "and Tom AP GWILYM, aged 6. The panel agreed he poses a high risk of serious harm to children."),
        ("heading", "Actions agreed"),
        ("paragraph", "1. Children's Social Care to complete a strategy discussion within 10 working days.\n"
                      "2. Police to complete a home visit by 20/06/2025."),
        ("paragraph", "The case will be reviewed in 16 weeks."),
    ])


def agenda() -> TextDocument:
    return build([
        ("heading", "MAPPA Level 2/3 Case List"),
        ("paragraph", "Date: 10/09/2025   Time: 10:00   Venue: Microsoft Teams"),
        ("table", None),
        ("row", ["No.", "Name", "DOB", "Level", "New/Review"]),
        ("row", ["1", "Darren LEWIS-HARTLEY", "12/09/66", "L3", "Review"]),
        ("row", ["2", "Mark WALSH (aka Marky Walsh)", "04/07/89", "2", "New"]),
        ("row", ["3", "WILKINSON, Callum", "05/03/74", "Level 2", "R"]),
    ])


def prison_letter() -> TextDocument:
    return build([
        ("paragraph", "HMP Pentonville\nOffender Management Unit"),
        ("paragraph", "Notification of impending release"),
        ("paragraph", "Prisoner: Gary TURNER   Prison number: A1234BC   DOB: 07/11/1977"),
        ("paragraph", "The above named prisoner is due to be released on 14/08/2025 to Elm House Approved Premises."),
        ("paragraph", "Yours sincerely,\nSandra Bell\nPrison Offender Manager"),
    ])


def invitation() -> TextDocument:
    return build([
        ("paragraph", "Dear colleague,"),
        ("paragraph", "You are invited to attend a MAPPA Level 2 meeting to discuss NOWAK, Mohammed (aka Mo Smith), "
                      "date of birth 3/7/1965, on 4/9/2025 at 10:00."),
        ("paragraph", "Please confirm your attendance by return."),
    ])


def assert_same_parse(ours: Language, reference: Language, seed: int) -> None:
    """Two pipelines find the same entities and sentence starts in three generated minutes."""
    rng = random.Random(seed)
    text = "\n\n".join(minutes_text(seed * 10 + i, rng) for i in range(3))
    mine, theirs = ours(text), reference(text)
    assert [(e.start_char, e.end_char, e.label_) for e in mine.ents] == [
        (e.start_char, e.end_char, e.label_) for e in theirs.ents]
    assert [s.start_char for s in mine.sents] == [s.start_char for s in theirs.sents]
    assert len(mine.ents) > 5
