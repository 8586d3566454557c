import pytest

from extract.nlp import load_nlp, parse


@pytest.fixture(scope="session")
def nlp():
    return load_nlp()


@pytest.fixture(scope="session")
def parsed(nlp):
    """The driver's one parse of a document's text."""
    return lambda doc: parse(nlp, doc.text)
