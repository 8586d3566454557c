"""Shared fixtures: one spaCy pipeline for the whole session (loading takes seconds)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from extract.nlp import load_nlp


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_nlp()
