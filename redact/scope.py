"""The stretches of a document the detectors search when its summaries are made.

A summary is made from the sentences ``redact.sentences.select`` may keep, and its log from
what the detectors find in sentences outside DROP sections. A DROP section's sentence can give
a summary nothing but a risk clause it opens with, so the detectors are not run over the rest
of such a section: on minutes that is most of the text (on the benchmark's 5- and 40-page
minutes, 2 % of the text and less is outside DROP sections or opens with a risk clause), and
searching it was a sixth of the whole batch's work. The finished summary is still checked
whole, by every detector (POLICY.md section 3).

Each stretch is searched as a document of its own, from a copy of the document's own parse
(no second spaCy pass), with ``MARGIN_CHARS`` of the text around it so that what a detector
reads beside a match (presidio's context words, five words back; the sentence around a lexicon
hit) is what it reads in the whole document. Findings come back at their offsets in the whole
text. Where most of a document needs searching (letters, scans), it is searched whole.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from presidio_analyzer import RecognizerResult
from spacy.tokens import Doc

from extract.nlp import text_of
from redact.detect import Finding, find_all
from redact.known import KnownPeople
from redact.lexicon import LexHit, lexicon_hits
from redact.needles import MatchCache
from redact.recognizers import analyze_doc
from redact.sentences import needs_findings
from redact.units import SentenceSpan

# Text kept either side of a sentence that needs searching: about twenty words, well past the
# five words presidio's context enhancer looks back.
MARGIN_CHARS = 150
# Stretches closer than this are searched as one (each stretch costs a presidio call).
JOIN_GAP_CHARS = 400
# Above this share of the text, the whole document is searched (one stretch, no copies).
WHOLE_ABOVE = 0.6


def sentence_window(text: str) -> Callable[[int, int], str]:
    """``sentence_of(start, end)`` for the lexicon: the sentence (or line) around a hit."""
    def around(start: int, end: int) -> str:
        a = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start), 0)
        bs = [i for i in (text.find(". ", end), text.find("\n", end)) if i != -1]
        return text[a : min(bs) if bs else len(text)]
    return around


@dataclass(frozen=True)
class _Stretch:
    offset: int  # where the stretch starts in the document's text
    doc: Doc
    text: str
    presidio: list[RecognizerResult]
    lexicon: list[LexHit]
    cache: MatchCache


class Scope:
    """What the detectors find in the parts of one document that can change its summaries.
    What does not depend on the child (presidio, the lexicon, pattern matches) is found once;
    ``findings`` runs the child's known people over it."""

    def __init__(self, text: str, nlp_doc: Doc, spans: Sequence[SentenceSpan], model: str):
        found = stretches(text, spans)
        self._stretches = ([_searched(nlp_doc, 0, model)] if found is None
                           else [_searched(*_copy(nlp_doc, a, b), model) for a, b in found])

    def findings(self, known: KnownPeople) -> list[Finding]:
        out: list[Finding] = []
        for s in self._stretches:
            found = find_all(s.text, s.doc, s.presidio, known, lexicon=s.lexicon, cache=s.cache)
            if s.offset:
                found = [Finding(f.code, f.rule, f.start + s.offset, f.end + s.offset, f.text) for f in found]
            out.extend(found)
        return out


def _copy(nlp_doc: Doc, start: int, end: int) -> tuple[Doc, int]:
    """The parse of the tokens over [start, end) as a document of its own, and where it starts."""
    span = nlp_doc.char_span(start, end, alignment_mode="expand")
    assert span is not None  # "expand" gives the whole tokens the range touches
    return span.as_doc(), span.start_char


def _searched(doc: Doc, offset: int, model: str) -> _Stretch:
    text = text_of(doc)
    return _Stretch(offset, doc, text, analyze_doc(doc, model), lexicon_hits(doc, sentence_window(text)),
                    MatchCache(text))


def stretches(text: str, spans: Sequence[SentenceSpan]) -> list[tuple[int, int]] | None:
    """[start, end) stretches of ``text`` covering every sentence that ``needs_findings``, with
    their margins; None when that is most of the text (search it whole)."""
    wanted = sorted((max(0, sp.start - MARGIN_CHARS), min(len(text), sp.end + MARGIN_CHARS))
                    for sp in spans if needs_findings(text, sp))
    merged: list[list[int]] = []
    for a, b in wanted:
        if merged and a - merged[-1][1] <= JOIN_GAP_CHARS:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    if sum(b - a for a, b in merged) > WHOLE_ABOVE * len(text):
        return None
    return [(a, b) for a, b in merged]
