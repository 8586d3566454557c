"""Probation case reference number (nDelius CRN) recognizer: one letter and six digits."""

import pytest

from tests.redact.helpers import found


@pytest.mark.parametrize("text,value", [("CRN X123456", "X123456"), ("nDelius ref: E654321.", "E654321"),
                                        ("case reference D000123 held", "D000123")])
def test_crns(text, value):
    assert found("CRN", text) == [value]


@pytest.mark.parametrize("text", ["X12345", "X1234567", "XY123456", "x123456", "Level 2 since 2019"])
def test_near_misses(text):
    assert found("CRN", text) == []
