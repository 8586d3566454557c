"""Stage records to JSON and back (mappa.serialize): what each journal step stores."""

from __future__ import annotations

import base64
import dataclasses
import json
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum, IntEnum, StrEnum
from pathlib import Path
from typing import Any

import pytest

from extract.facts import Facts
from extract.limits import ReadLimits
from extract.matching import KnownRecords
from extract.model import ReadFailure, TextDocument
from extract.nlp import load_nlp, parse
from extract.read import read_document
from extract.understand import understand
from mappa.serialize import load, to_jsonable
from redact.model import ChildSummary
from redact.policy import SummaryPolicy
from redact.summary import summarise
from tests.docgen import corpus, foreign


def _plain(obj: Any) -> Any:
    """The JSON form written the plain way, as ``to_jsonable`` did before it kept each class's
    fields: the stored form must not change with the speed-up (older stores are read back)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.init}
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, datetime | date):
        return obj.isoformat()
    if isinstance(obj, bytes):
        return {"__b64__": base64.b64encode(obj).decode()}
    if isinstance(obj, tuple | list):
        return [_plain(x) for x in obj]
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    return obj


class Colour(StrEnum):
    RED = "red"


class Size(IntEnum):
    BIG = 2


@dataclass(frozen=True)
class Inner:
    when: date
    at: datetime
    raw: bytes


@dataclass(frozen=True)
class Outer:
    flag: bool
    count: int
    ratio: float
    colour: Colour
    size: Size
    inner: Inner
    items: tuple[Inner, ...]
    names: list[str]
    table: dict[str, int]
    maybe: Inner | None = None
    derived: int = dataclasses.field(default=0, init=False)


def test_every_kind_of_value_keeps_its_json_form_and_comes_back():
    inner = Inner(date(2025, 3, 4), datetime(2025, 3, 4, 9, 30), b"\x00\xffMAPPA")
    value = Outer(True, 1, 0.5, Colour.RED, Size.BIG, inner, (inner, inner), ["a", "b"], {"x": 1})
    form = to_jsonable(value)
    assert form == _plain(value)
    assert form["flag"] is True and form["count"] == 1 and form["colour"] == "red" and form["size"] == 2
    assert "derived" not in form  # not an init field: made again on loading
    assert load(Outer, json.loads(json.dumps(form))) == value
    assert to_jsonable(Outer) is Outer  # a class is not a record


@pytest.mark.parametrize("tp,data", [(bool, 1), (int, True), (int, "1"), (str, 1), (date, 20250304)])
def test_a_value_of_the_wrong_kind_is_refused(tp, data):
    with pytest.raises(TypeError):
        load(tp, data)


def test_read_documents_facts_and_summaries_round_trip_unchanged(tmp_path: Path):
    """Documents in our wording and other authors', read, understood and summarised as the
    pipeline does: each record's JSON form is the plain one, and loads back equal."""
    nlp = load_nlp()
    paths = [*corpus.generate(tmp_path / "ours", n=8, seed=41), *foreign.generate(tmp_path / "theirs", n=6, seed=41)]
    for path in paths:
        doc = read_document(path.read_bytes(), path.name, ReadLimits())
        assert not isinstance(doc, ReadFailure), path
        parsed = parse(nlp, doc.text)
        facts = understand(doc, parsed, "", KnownRecords())
        summaries = summarise(doc, facts, parsed, SummaryPolicy("X"))
        for cls, record in ((TextDocument, doc), (Facts, facts), (tuple[ChildSummary, ...], summaries)):
            form = to_jsonable(record)
            assert form == _plain(record), path.name
            assert load(cls, json.loads(json.dumps(form))) == record, path.name
