"""What to look for and where it can be: a known value's pattern, and one text's matches.

A summary is checked against every shape of every known name and identifier (``redact.known``
makes them); most of those patterns cannot match a given text at all. A ``Needle`` carries, with
its pattern, the letters every match contains and what every match starts with, and
``MatchCache`` uses them to skip a pattern, or to try it only where it can start, before paying
for compiling or running it; it also keeps each pattern's matches for the next caller that
looks for the same pattern in the same text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from extract.literals import fold_case
from redact.model import Reason


@dataclass(frozen=True)
class Needle:
    """One thing to look for: a pattern, its reason code and where it came from.

    The pattern is compiled the first time a text might hold a match: most needles are skipped
    by their keys or anchor in every text they meet (a summary rarely has a forbidden name), and
    compiling a pattern (0.05-0.35 ms each) costs more than a search that finds nothing: the
    benchmark's mixed batch compiled some 0.1 s of patterns it never ran.
    """

    code: Reason
    rule: str
    source: str  # the regular expression
    label: str  # the known value (confidential: goes to the log, not to the summary)
    # Letters and digits every match contains (``squash``): a text without one of them cannot
    # match, and is not searched. Empty: always searched.
    keys: tuple[str, ...] = ()
    # What every match starts with (``fold_case``d for a case-free pattern, as written for one
    # that is not). Only the places where the text has it are tried, instead of a scan that
    # tries every character.
    anchor: str = ""
    # For an initial-and-family pattern: the start of the family name (``fold_case``d). Every
    # match is the initial, perhaps a full stop, white space, then this; only the one place
    # before each occurrence where the initial can stand is tried. A one-letter anchor (the
    # initial) was tried at every such letter of a long document.
    tail: str = ""
    flags: int = re.IGNORECASE

    @property
    def pattern(self) -> re.Pattern[str]:
        return _compiled(self.source, self.flags)


@functools.lru_cache(maxsize=8192)  # re's own cache holds 512: a long document has more needles
def _compiled(source: str, flags: int) -> re.Pattern[str]:
    return re.compile(source, flags)


def anchor_of(literal: str) -> str:
    """What a ``_flex`` pattern of ``literal`` starts with: its first characters up to a space,
    apostrophe or hyphen (which ``_flex`` lets vary); "" if lower case changes its length."""
    head = re.match(r"[^\s'’-]*", literal)
    prefix = head.group(0) if head else ""
    folded = fold_case(prefix)
    return folded if len(folded) == len(prefix) else ""


def squash(text: str) -> str:
    """Only the letters and digits, case-folded: what a name or identifier keeps however its
    spaces, hyphens, apostrophes and case are written. A pattern built by ``_flex`` (or from an
    identifier's characters) matches only where the squashed text contains the squashed value,
    which makes it a safe test for skipping the pattern. The dotless i is the one letter the
    regular expression engine folds to "i" and ``casefold`` does not."""
    return "".join(filter(str.isalnum, text.casefold().replace("ı", "i")))


class MatchCache:
    """Matches of patterns over one text, kept for the next caller that looks for the same
    pattern there: a document's summaries look for the same forbidden facts once per child."""

    def __init__(self, text: str):
        self.text = text
        self._found: dict[tuple[str, int], list[re.Match[str]]] = {}
        self._squashed: str | None = None
        self._folded: str | None = None

    @property
    def squashed(self) -> str:
        if self._squashed is None:
            self._squashed = squash(self.text)
        return self._squashed

    @property
    def folded(self) -> str:
        """The text in ``fold_case``, or "" when that would move offsets (a letter whose lower
        case is two characters): then anchors are not used."""
        if self._folded is None:
            folded = fold_case(self.text)
            self._folded = folded if len(folded) == len(self.text) else ""
        return self._folded

    def find_needle(self, needle: Needle) -> list[re.Match[str]]:
        """``needle``'s matches in this text, as ``pattern.finditer`` finds them: skipped when
        the text lacks a key, and tried only where its anchor is, when it has one. Every match
        starts with the anchor (case aside), so trying those places in order, and going on from
        the end of each match, finds the same matches as a scan of every place."""
        if self._lacks(needle.keys):
            return []
        hay = self.folded if needle.flags & re.IGNORECASE else self.text
        if not (needle.anchor or needle.tail) or not hay:
            return self.finditer(needle.pattern, self.text)
        key = (needle.source, needle.flags)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = (self._before_tail(needle, hay) if needle.tail
                                        else self._at_anchor(needle, hay))
        return found

    def _at_anchor(self, needle: Needle, hay: str) -> list[re.Match[str]]:
        found: list[re.Match[str]] = []
        i = hay.find(needle.anchor)
        if i == -1:
            return found
        anchor, text, match = needle.anchor, self.text, needle.pattern.match
        while i != -1:
            m = match(text, i)
            if m is not None:
                found.append(m)
                i = hay.find(anchor, max(m.end(), i + 1))
            else:
                i = hay.find(anchor, i + 1)
        return found

    def _before_tail(self, needle: Needle, hay: str) -> list[re.Match[str]]:
        """A match is one character (the initial), perhaps a full stop, a run of white space,
        then the tail, so it starts where going back from an occurrence of the tail over the
        white space (all of it: nothing else can stand between) and the full stop leaves one
        character. Those places come in order, one per occurrence, and the search goes on from
        the end of each match: the matches ``finditer`` finds."""
        found: list[re.Match[str]] = []
        i = hay.find(needle.tail)
        if i == -1:
            return found
        tail, text, match = needle.tail, self.text, needle.pattern.match
        end = 0
        while i != -1:
            k = i
            while k > 0 and text[k - 1].isspace():  # what ``\s`` matches in a str pattern
                k -= 1
            start = k - 2 if k >= 2 and text[k - 1] == "." else k - 1
            if start >= end and start >= 0:
                m = match(text, start)
                if m is not None:
                    found.append(m)
                    end = m.end()
            i = hay.find(tail, i + 1)
        return found

    def finditer(self, pattern: re.Pattern[str], text: str, keys: tuple[str, ...] = ()) -> list[re.Match[str]]:
        """``pattern``'s matches in ``text``; none, without searching, when ``text`` is this
        cache's and lacks one of the ``keys`` (see ``Needle.keys``)."""
        if text is not self.text and text != self.text:
            return list(pattern.finditer(text))
        if self._lacks(keys):
            return []
        key = (pattern.pattern, pattern.flags)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = list(pattern.finditer(text))
        return found

    def _lacks(self, keys: tuple[str, ...]) -> bool:
        return bool(keys) and not all(k in self.squashed for k in keys)
