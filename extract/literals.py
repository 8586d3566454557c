"""Literals every match of a regular expression contains: a fast proof that a text has none.

Classifying a document runs some seventy cue patterns over its first 60,000 characters. Most
find nothing there, and finding nothing costs a full scan (1-2 ms a pattern over the
benchmark's 40-page minutes: 53 of the 60 ms its classification took). Every match
of ``\\bminutes\\b`` contains "minutes"; every match of ``(?:record|notes) of (?:the )?meeting``
contains "meeting". When the text, case-folded as the engine compares letters, contains none
of a pattern's literals, the pattern cannot match and is not run; otherwise it runs as
before, so what is found is exactly what a plain search finds.

The literals are read from the parsed pattern (``re._parser``, the standard library's own
parser): runs of plain characters, through groups, alternatives (one literal from each) and
repeats that must occur at least once. Anything else (a class, a wildcard, an optional part,
a look-around) only ends a run, so a pattern whose matches need no literal (``\\d{6}``) is
always run. (The forbidden-fact patterns are not filtered so: most of them have a word in most
minutes, and testing their many literals cost what the skipped scans saved.)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from re import _parser as sre_parse  # type: ignore[attr-defined]

# Letters the regular expression engine treats as the same letter, ignoring case, that
# ``str.lower`` leaves apart (CPython's ``re._casefix``); mapped to one of each pair.
_RE_CASE_FIX = str.maketrans({"ı": "i", "ſ": "s", "ϐ": "β", "ϵ": "ε", "ϑ": "θ", "ϰ": "κ", "ϖ": "π", "ϱ": "ρ",
                              "ς": "σ", "ϕ": "φ", "ẛ": "ṡ", "ﬅ": "ﬆ", "µ": "μ", "ΐ": "ΐ", "ΰ": "ΰ"})
# Shorter runs prove little ("of" is in every document); two letters still beat no test.
_MIN_RUN = 2


def fold_case(text: str) -> str:
    """Lower case, as the regular expression engine compares letters when ignoring case."""
    return text.lower().translate(_RE_CASE_FIX)


def folded(text: str) -> str | None:
    """``text`` in ``fold_case`` to test literals against; None when folding changes its
    length (a dotted capital I lower-cases to two characters, which the engine, comparing one
    character at a time, does not do): then no pattern is skipped."""
    out = fold_case(text)
    return out if len(out) == len(text) else None


@functools.lru_cache(maxsize=1024)
def required(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Literals (folded) of which every match of ``pattern`` contains at least one; None when
    no such set could be read from it."""
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    except Exception:  # noqa: BLE001 - an unreadable pattern is simply always run
        return None
    found = _sequence(list(parsed))
    return frozenset(found) if found else None


def search(pattern: re.Pattern[str], text: str, folded_text: str | None) -> re.Match[str] | None:
    """``pattern.search(text)``, skipped when ``folded_text`` (``folded(text)``) proves there is no match."""
    return None if _ruled_out(pattern, folded_text) else pattern.search(text)


def finditer(pattern: re.Pattern[str], text: str, folded_text: str | None) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, skipped when ``folded_text`` proves there is no match."""
    return iter(()) if _ruled_out(pattern, folded_text) else pattern.finditer(text)


def _ruled_out(pattern: re.Pattern[str], folded_text: str | None) -> bool:
    if folded_text is None:
        return False
    literals = required(pattern)
    return literals is not None and not any(lit in folded_text for lit in literals)


def _sequence(items: list[tuple[object, object]]) -> set[str] | None:
    """The most telling literal set of a sequence of parsed items: any one of its candidates
    (a run of plain characters, or what a group, alternation or repeat inside it requires)
    must be in every match; the one whose shortest literal is longest is kept."""
    candidates: list[set[str]] = []
    run: list[str] = []

    def end_run() -> None:
        if len(run) >= _MIN_RUN:
            candidates.append({fold_case("".join(run))})
        run.clear()

    for op, av in items:
        if op is sre_parse.LITERAL:
            run.append(chr(av))  # type: ignore[arg-type]
            continue
        end_run()
        inner = _item(op, av)
        if inner:
            candidates.append(inner)
    end_run()
    if not candidates:
        return None
    return max(candidates, key=lambda s: min(len(x) for x in s))


def _item(op: object, av: object) -> set[str] | None:
    """What one non-literal item requires of every match: a group's content, one literal from
    each alternative of an alternation, a repeated part that occurs at least once."""
    if op is sre_parse.SUBPATTERN:
        return _sequence(list(av[-1]))  # type: ignore[index]
    if op is sre_parse.BRANCH:
        out: set[str] = set()
        for alternative in av[1]:  # type: ignore[index]
            got = _sequence(list(alternative))
            if not got:
                return None  # one alternative needs no literal: the alternation needs none
            out |= got
        return out
    if op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, getattr(sre_parse, "POSSESSIVE_REPEAT", None)):
        low, _high, body = av  # type: ignore[misc]
        return _sequence(list(body)) if int(low) >= 1 else None  # type: ignore[has-type]
    if op is getattr(sre_parse, "ATOMIC_GROUP", None):
        return _sequence(list(av))  # type: ignore[call-overload]
    return None  # classes, wildcards, anchors, look-arounds, back references: no literal proven
