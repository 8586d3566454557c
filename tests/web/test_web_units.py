"""The web's pure pieces: marking spans, learning labels, the chart, reason kinds."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from mappa.corrections import changes, label_before, parse
from mappa.web.figures import Week, bar_chart
from mappa.web.highlight import Marked, mark_text
from mappa.web.reasons import kind_of


def test_marks_escape_text_and_nest_overlaps() -> None:
    text = "Name: <b>John</b> & co"
    html = str(mark_text(text, [Marked("a", "name", 6, 17), Marked("b", "tag", 9, 13)]))
    assert "<b>" not in html and "&lt;b&gt;" in html and "&amp; co" in html
    assert html.count("<mark") == 3  # before, overlap, after
    assert 'id="a"' in html and 'id="b"' in html


@given(st.text(max_size=60), st.lists(st.tuples(st.integers(0, 70), st.integers(0, 70)), max_size=5))
def test_marking_never_changes_the_text(text: str, spans: list[tuple[int, int]]) -> None:
    import html as h
    import re

    marked = str(mark_text(text, [Marked(f"m{i}", "f", a, b) for i, (a, b) in enumerate(spans)]))
    assert h.unescape(re.sub(r"<[^>]+>", "", marked)) == text


def test_label_before_a_value() -> None:
    text = "MAPPA minutes\nNominal: John SMYTHE\nDOB: 12/03/1980\nName | Peter GRANT"
    assert label_before(text, "John SMYTHE") == "Nominal:"
    assert label_before(text, "john smythe") == "Nominal:"
    assert label_before(text, "12/03/1980") == "DOB:"
    assert label_before(text, "MAPPA minutes") == ""
    assert label_before(text, "Peter GRANT") == ""  # a table cell without a colon is not learned
    assert label_before("He said that John SMYTHE: was late", "was late") == ""  # too long to be a label


def test_parsing_and_changes() -> None:
    assert parse("date", "12/03/1980") == ("1980-03-12", "")
    assert parse("level", "4")[1]
    assert parse("category", "4") == (4, "")
    facts = {"doc_type": {"value": "minutes", "span": None, "confidence": 0.9},
             "subjects": [{"name": {"value": "SMYTHE", "span": {"start": 1, "end": 7, "page": 1}, "confidence": 0.5}}]}
    new, found, errors = changes(facts, {"subjects.0.name": "John SMYTHE", "doc_type": "minutes"})
    assert not errors and [(c.key, c.old, c.new) for c in found] == [("subjects.0.name", "SMYTHE", "John SMYTHE")]
    assert new["subjects"][0]["name"]["span"] == {"start": 1, "end": 7, "page": 1}
    assert facts["subjects"][0]["name"]["value"] == "SMYTHE"  # the original is not modified
    _, _, errors = changes(facts, {"subjects.0.name": " "})
    assert errors == ["subject 1: name: cannot be empty"]


def test_chart_scales_to_the_data() -> None:
    weeks = (Week(date(2025, 6, 2), 4, 10, 2), Week(date(2025, 6, 9), 0, 5, 0))
    svg = str(bar_chart(weeks, "t"))
    assert svg.count("<rect") == 2 and 'role="img"' in svg and "style=" not in svg  # CSP: no inline styles
    assert ">10</text>" in svg  # the axis top is the largest figure


def test_reason_kinds() -> None:
    assert kind_of("summary for Alice not released: OFFENCE 'assault'") == "leak"
    assert kind_of("document type 'other': no filing rule applies") == "type"
    assert kind_of("subject John: matched by name only to MS-1") == "subject"
    assert kind_of("something odd") == "other"
