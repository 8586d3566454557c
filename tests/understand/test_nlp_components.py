"""The service loads only the spaCy components whose output it reads, and loses nothing by it."""

from __future__ import annotations

import random

import pytest
import spacy

from extract.nlp import DEFAULT_MODEL, load_nlp
from tests.ingest.helpers import minutes_text
from tests.understand.fixtures import assert_same_parse


@pytest.fixture(scope="module")
def full() -> spacy.language.Language:
    nlp = spacy.load(DEFAULT_MODEL)
    nlp.enable_pipe("senter")
    nlp.remove_pipe("parser")  # sentences from the senter in both, as the service uses them
    return nlp


def test_only_the_entity_and_sentence_components_run() -> None:
    names = load_nlp().pipe_names
    assert "ner" in names and "senter" in names
    assert not {"parser", "tagger", "attribute_ruler", "lemmatizer", "tok2vec"} & set(names)


def test_the_entity_recogniser_is_a_build_without_a_gil_round_trip_per_state_query() -> None:
    """spaCy wheels built with Cython 3.2 or later (3.8.8 onwards) acquire the GIL in every
    parse-state accessor the transition steps call, doubling the recogniser's time
    (extract/nlp.py). Before moving the pin, measure the benchmark's parse."""
    import re
    from pathlib import Path

    from spacy.pipeline._parser_internals import ner, transition_system

    for module in (ner, transition_system):
        marker = re.search(rb"_cython_(\d+)_(\d+)_\d+", Path(module.__file__ or "").read_bytes())
        assert marker is not None, f"{module.__name__}: no Cython version marker"
        assert (int(marker[1]), int(marker[2])) < (3, 2), f"{module.__name__} built with Cython {marker[0]!r}"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_lean_pipeline_finds_what_the_full_one_finds(full: spacy.language.Language, seed: int) -> None:
    assert_same_parse(load_nlp(), full, seed)


def test_the_text_of_a_parse_is_its_text_and_is_not_shipped_with_it() -> None:
    from extract.nlp import CHUNK_CHARS, from_bytes, parse, text_of, to_bytes

    nlp = load_nlp()
    rng = random.Random(7)
    short = minutes_text(70, rng)[: CHUNK_CHARS // 2]
    long = "\n\n".join(minutes_text(71 + i, rng) for i in range(30))
    assert len(long) > CHUNK_CHARS
    for text in (short, long):
        doc = parse(nlp, text)
        assert text_of(doc) == doc.text == text
        shipped = to_bytes(doc)
        assert shipped.count(text.encode()[:200]) == 1  # spaCy ships the text once; no second copy
        back = from_bytes(nlp, shipped)
        assert not back.user_data and text_of(back) == text


def test_pieces_parsed_together_are_parsed_as_each_alone() -> None:
    """``parse`` hands spaCy several pieces of a long text at once (``PIPE_BATCH``); the
    recogniser steps through them side by side, and must find in each what it finds alone."""
    from extract.nlp import CHUNK_CHARS, PIPE_BATCH, _cut_points, parse

    nlp = load_nlp()
    rng = random.Random(11)
    text = "\n\n".join(minutes_text(80 + i, rng) for i in range(160))
    cuts = [0] + [c for c, _ in _cut_points(text, CHUNK_CHARS)] + [len(text)]
    pieces = [text[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]
    assert len(pieces) > PIPE_BATCH  # more than one batch, and pieces of unequal length in each

    def shape(doc: spacy.tokens.Doc, at: int = 0) -> list[tuple[object, ...]]:
        return ([(at + e.start_char, at + e.end_char, e.label_) for e in doc.ents]
                + [(at + s.start_char,) for s in doc.sents])

    alone = [x for a, piece in zip(cuts, pieces, strict=False) for x in shape(nlp(piece), a)]
    together = [x for a, doc in zip(cuts, nlp.pipe(pieces, batch_size=PIPE_BATCH), strict=False) for x in shape(doc, a)]
    assert together == alone
    assert [(e.start_char, e.end_char, e.label_) for e in parse(nlp, text).ents] == [x for x in alone if len(x) == 3]
