"""The records the redaction stage hands to outputs."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Reason(StrEnum):
    """POLICY.md section 2's removal reason codes."""

    OFFENCE = "OFFENCE"
    SENTENCE = "SENTENCE"
    JUSTICE_PLACE = "JUSTICE_PLACE"
    RELEASE_PLAN = "RELEASE_PLAN"
    COMMUNITY_PLAN = "COMMUNITY_PLAN"
    CATEGORY = "CATEGORY"
    IDENTIFIER = "IDENTIFIER"
    THIRD_PARTY = "THIRD_PARTY"
    INTELLIGENCE = "INTELLIGENCE"


@dataclass(frozen=True)
class Removal:
    """One thing kept out of a summary. Confidential: it holds the removed text."""

    code: Reason
    rule: str  # the recogniser or policy entry that removed it
    text: str
    sentence: str


@dataclass(frozen=True)
class LeakHit:
    """Something the final check found in a summary's final text."""

    code: Reason
    rule: str
    text: str


@dataclass(frozen=True)
class ChildSummary:
    """One child-safe summary. ``released`` is False whenever ``hits`` or ``doubts`` is non-empty."""

    child_name: str
    text: str
    released: bool
    hits: tuple[LeakHit, ...] = ()
    doubts: tuple[str, ...] = ()
    removals: tuple[Removal, ...] = ()
    child_index: int = 0  # position in Facts.children
    # Names and references the summary carries on purpose (subject, this child, children's
    # services staff, record references): the read-back check of a written file allows them.
    allowed: tuple[str, ...] = ()
    # ``redact.docx_out.check_mark`` of the text when the check its written file gets (no facts,
    # ``allowed`` allowed) already ran on it and found nothing; empty when it did not run or found something.
    read_back_checked: str = ""
