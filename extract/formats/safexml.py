"""XML parsing that cannot be turned against the service.

Office XML never needs a DTD, so any DOCTYPE or ENTITY declaration is refused outright (that
stops billion-laughs and external-entity tricks before a parser sees them); the parser itself
resolves no entities and fetches nothing; and depth is counted while streaming, so a
100,000-deep nesting is refused without building it.
"""

from __future__ import annotations

import io
import re

from lxml import etree

from extract.formats.common import refuse
from extract.limits import ReadLimits

_DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)", re.I)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           remove_comments=True, remove_pis=True)


def check_xml(data: bytes, limits: ReadLimits, what: str) -> None:
    """Refuse DTDs and excessive depth, by streaming; builds no tree."""
    if _DECLARATION.search(data):
        raise refuse("hostile", f"the {what} contains XML entity declarations, which Word never writes: it looks "
                     "built to attack readers; ask the sender for a fresh copy")
    depth = 0
    try:
        for event, _ in etree.iterparse(io.BytesIO(data), events=("start", "end"), resolve_entities=False,
                                        no_network=True, load_dtd=False, huge_tree=False):
            depth += 1 if event == "start" else -1
            if depth > limits.max_xml_depth:
                raise refuse("hostile", f"the {what} nests its XML more than {limits.max_xml_depth} levels deep: "
                             "it looks built to crash readers; ask the sender for a fresh copy")
    except etree.XMLSyntaxError as exc:
        message = str(exc)
        if "depth" in message.lower() or "nesting" in message.lower():
            raise refuse("hostile", f"the {what} nests its XML too deeply to read: it looks built to crash readers",
                         detail=message) from exc
        raise refuse("corrupt", f"the {what} is damaged (its XML cannot be read): ask the sender to send it again",
                     detail=message) from exc


def parse_xml(data: bytes, limits: ReadLimits, what: str) -> etree._Element:
    check_xml(data, limits, what)
    return etree.fromstring(data, parser=_parser())
