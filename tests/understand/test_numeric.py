"""spaCy's arithmetic as the service sets it up (extract.numeric) finds what thinc's default finds."""

from __future__ import annotations

import pytest
import spacy
from thinc.api import NumpyOps, get_current_ops, set_current_ops
from threadpoolctl import threadpool_info

from extract.nlp import DEFAULT_MODEL, build_pipeline, load_nlp
from tests.understand.fixtures import assert_same_parse


@pytest.fixture(scope="module")
def with_blis() -> spacy.language.Language:
    """The same components with thinc's default BLIS products (bound when the layers are built)."""
    load_nlp()  # the service's settings first, as in the service
    before = get_current_ops()
    set_current_ops(NumpyOps(use_blis=True))
    try:
        return build_pipeline(DEFAULT_MODEL)
    finally:
        set_current_ops(before)


def test_the_service_pipeline_uses_numpy_products_on_one_blas_thread() -> None:
    ner = load_nlp().get_pipe("ner")
    assert isinstance(ner.model.ops, NumpyOps) and ner.model.ops.use_blis is False
    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas and all(pool["num_threads"] == 1 for pool in blas)


def test_the_reference_really_uses_blis(with_blis: spacy.language.Language) -> None:
    assert with_blis.get_pipe("ner").model.ops.use_blis is True


@pytest.mark.parametrize("seed", [4, 5, 6])
def test_same_entities_and_sentences_as_with_blis(with_blis: spacy.language.Language, seed: int) -> None:
    assert_same_parse(load_nlp(), with_blis, seed)


def test_release_free_heap_gives_back_what_the_heap_kept() -> None:
    """The heap settings keep freed memory for the next document; a batch worker that has just
    finished a long one gives it back (mappa.batch) rather than holding it for letters."""
    import gc

    import psutil

    from extract import numeric

    numeric.configure()
    me = psutil.Process()
    blocks = [bytearray(64 * 1024) for _ in range(2000)]  # 128 MB in heap blocks, below the mmap threshold
    del blocks
    gc.collect()
    kept = me.memory_info().rss
    numeric.release_free_heap()
    assert me.memory_info().rss < kept - 64 * 1024 * 1024
