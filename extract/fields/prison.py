"""Prison release notifications: establishment, release date and address, the prison's contact."""

from __future__ import annotations

import re
from datetime import date

from extract.dates import find_dates
from extract.facts import Found
from extract.fields.layout import Layout
from extract.fields.names import names_in
from extract.model import Span

ESTABLISHMENT_RX = re.compile(
    r"\b(?:HMP\s*(?:&|and|/)\s*YOI|HMP/YOI|HMYOI|HMP|HM\s+Prison(?:\s+and\s+YOI)?|HM\s+Young\s+Offender\s+Institution|"
    r"Carchar\s+EM)\s+(?P<name>[A-Z][a-z'’]+(?:[ -](?:[A-Z][a-z'’]+|upon|on|in|le))*(?:\s+[A-Z][a-z'’]+)?)"
)
_NOT_IN_NAME = re.compile(r"\s+(?:Offender|Prison|Reception|Governor|Custody|OMU|Healthcare|Security|Release|Unit|Public|Probation|"
                          r"Police|Road|Lane|Street|Dear|Re|Tel|Telephone|Email|Date|Our|Your|On|The|This|He|She|Mr|Ms)\b.*$")
RELEASE_LABEL = re.compile(
    r"^(?:release date|date of release|expected release date|earliest release date|conditional release date|"
    r"automatic release date|crd|ard|confirmed release date|release|discharge date|dyddiad rhyddhau|"
    r"(?:expected |anticipated |provisional )?date of release)$"
)
_RELEASE_PROSE = re.compile(
    r"\b(?:(?:due|scheduled|expected|set|planned|going) (?:for|to be) release[d]?|will be released|is to be released|"
    r"release (?:is )?(?:scheduled|due|expected|planned) (?:for|on)|released on|release date(?: is| of)?|"
    r"(?:conditional|automatic) release date(?: is| of)?|discharged on|date of release(?: is)?)\b",
    re.I,
)
RELEASE_ADDRESS_LABEL = re.compile(r"^(?:release address|address on release|address upon release|(?:proposed |approved )?"
                                   r"(?:release )?accommodation|residing at|will reside at|address post release)$")
_RELEASE_ADDRESS_PROSE = re.compile(r"\b(?:will (?:be )?resid(?:e|ing) at|released to|release address is|address on release is|"
                                    r"will live at)\s+(?P<a>[^.\n]{6,120})", re.I)
CONTACT_LABEL = re.compile(r"^(?:contact|contact name|contact officer|prison contact|pom|prison offender manager|"
                           r"offender manager|omu contact|case administrator|from|author|signed)$")


def _span(lay: Layout, s: int, e: int) -> Span:
    return Span(s, e, lay.doc.page_of(s))


def establishment(lay: Layout) -> Found[str] | None:
    m = ESTABLISHMENT_RX.search(lay.doc.text[:60000])
    if not m:
        return None
    full = m.group(0)
    trimmed = _NOT_IN_NAME.sub("", full)
    return Found(trimmed, _span(lay, m.start(), m.start() + len(trimmed)), 0.9)


def release_date(lay: Layout, today: date) -> Found[date] | None:
    for kv in lay.kv(RELEASE_LABEL):
        hits = find_dates(kv.value, today)
        if hits:
            h = hits[0]
            return Found(h.value, _span(lay, kv.start + h.start, kv.start + h.end), 0.95)
    text = lay.doc.text
    for m in _RELEASE_PROSE.finditer(text[:80000]):
        window = text[m.end():m.end() + 60]
        hits = find_dates(window, today)
        if hits:
            h = hits[0]
            return Found(h.value, _span(lay, m.end() + h.start, m.end() + h.end), 0.85)
    return None


def release_address(lay: Layout) -> Found[str] | None:
    for kv in lay.kv(RELEASE_ADDRESS_LABEL):
        v = kv.value.strip()
        if v:
            return Found(v, _span(lay, kv.start, kv.start + len(v)), 0.85)
    m = _RELEASE_ADDRESS_PROSE.search(lay.doc.text[:80000])
    if m:
        a = m.group("a").strip()
        return Found(a, _span(lay, m.start("a"), m.start("a") + len(a)), 0.7)
    return None


def prison_contact(lay: Layout) -> Found[str] | None:
    for kv in lay.kv(CONTACT_LABEL):
        v = kv.value.strip()
        if v:
            return Found(v, _span(lay, kv.start, kv.start + len(v)), 0.8)
    text = lay.doc.text
    m = re.search(r"\b(?:yours sincerely|yours faithfully|kind regards|regards)\b[,.]?", text, re.I)
    if m:
        names = names_in(text[m.end():m.end() + 200], m.end())
        if names:
            name, s, _ = names[0]
            end = text.find("\n\n", s)
            end = min(end if end > 0 else s + 150, s + 150)
            block = " ".join(text[s:end].split())
            return Found(block, _span(lay, s, s + len(name)), 0.7)
    return None
