"""Reasons for review, grouped into kinds for the dashboard and the queue's filter.

A document's reasons are sentences written by the stages (they name people and values), so
the queue groups them by kind, declared here as data: the first rule whose words appear wins.
"""

from __future__ import annotations

import re

REASON_KINDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("leak", "summary failed its leak check", ("not released", "leak")),
    ("read", "could not be read well", ("ocr", "scanned", "password", "corrupt", "unreadable", "empty", "tracked",
                                         "hidden", "comment", "too large", "timeout", "unsupported", "could not be read")),
    ("type", "document type uncertain", ("document type", "no filing rule")),
    ("subject", "subject uncertain", ("subject", "no mappa subject")),
    ("child", "child match uncertain", ("child",)),
    ("date", "dates missing or unclear", ("date",)),
    ("error", "processing error", ("internal error", "failed", "error", "vanished", "disappeared")),
)
OTHER = ("other", "other")
LABELS = {key: label for key, label, _ in REASON_KINDS} | {OTHER[0]: OTHER[1]}


def kind_of(reason: str) -> str:
    low = reason.lower()
    for key, _label, words in REASON_KINDS:
        if any(re.search(r"\b" + re.escape(w), low) for w in words):
            return key
    return OTHER[0]


def kinds_of(reasons: list[str]) -> list[str]:
    return list(dict.fromkeys(kind_of(r) for r in reasons)) or [OTHER[0]]
