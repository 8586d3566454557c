"""Generator of the test corpus (documents + gold + records.csv)."""

from __future__ import annotations

from pathlib import Path


def generate(out_dir: Path, n: int = 72, seed: int = 1) -> list[Path]:
    """See ``tests.docgen.corpus.generate`` (imported lazily so ``python -m tests.docgen.corpus`` runs cleanly)."""
    from tests.docgen.corpus import generate as _generate

    return _generate(out_dir, n, seed)


__all__ = ["generate"]
