"""Generator of the test corpus (documents + gold + records.csv)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def generate(out_dir: Path, n: int = 72, seed: int = 1) -> list[Path]:
    """See ``tests.docgen.corpus.generate`` (imported lazily so ``python -m tests.docgen.corpus`` runs cleanly)."""
    from tests.docgen.corpus import generate as _generate

    return _generate(out_dir, n, seed)


def read_generated(out_dir: Path, ours: int, theirs: int, seed: int) -> list[Any]:
    """``ours`` documents from this generator and ``theirs`` from other authors' (``foreign``),
    read as the service reads them (``TextDocument``s; a read failure fails the test)."""
    from extract.limits import ReadLimits
    from extract.model import ReadFailure
    from extract.read import read_document
    from tests.docgen import corpus, foreign

    paths = [*corpus.generate(out_dir / "ours", n=ours, seed=seed),
             *foreign.generate(out_dir / "theirs", n=theirs, seed=seed)]
    docs = []
    for path in paths:
        doc = read_document(path.read_bytes(), path.name, ReadLimits())
        assert not isinstance(doc, ReadFailure), path
        docs.append(doc)
    return docs


__all__ = ["generate", "read_generated"]
