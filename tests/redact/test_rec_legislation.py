"""Offence legislation recognizer (OFFENCE)."""

import pytest

from tests.redact.helpers import found


@pytest.mark.parametrize("text,value", [
    ("contrary to the Sexual Offences Act 2003", "Sexual Offences Act 2003"),
    ("wounding with intent (s.18 OAPA 1861)", "OAPA 1861"),
    ("wounding with intent (s.18 OAPA 1861)", "s.18"),
    ("contrary to section 7 of the Act", "contrary to section 7"),
    ("(s.15A SOA 2003)", "s.15A"),
    ("s.1 Protection of Children Act 1978", "Protection of Children Act 1978"),
    ("s.76 Serious Crime Act 2015", "Serious Crime Act 2015"),
    ("an offence contrary to common law", "contrary to common law"),
    ("under section 4A of the Protection from Harassment Act 1997", "Protection from Harassment Act 1997"),
    ("hospital order under s.37 Mental Health Act 1983", "Mental Health Act 1983"),
])
def test_legislation(text, value):
    # overlapping rules report the widest span ("contrary to the ... Act 2003")
    assert any(value in hit for hit in found("LEGISLATION", text))


@pytest.mark.parametrize("text", [
    "A section 47 enquiry will be completed.",  # child protection enquiry, Children Act
    "assessment under the Children Act 1989",
    "Act now to protect the children",
    "The Section 47 strategy meeting was held.",
])
def test_near_misses(text):
    hits = found("LEGISLATION", text)
    assert hits == [], hits


def test_bare_section_number_is_treated_as_legislation():
    # "convicted under section 4" cannot be told from "see section 4" without the Act: fail closed
    assert found("LEGISLATION", "He was convicted under section 4.") == ["section 4"]
