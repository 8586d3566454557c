"""The corpus figures, on a small generated corpus: no leak, and the risk statements kept."""

from tests.docgen import corpus
from tests.redact.score_corpus import score


def test_small_corpus_leaks_nothing_and_keeps_the_risks(tmp_path):
    corpus.main([str(tmp_path), "--n", "14", "--seed", "5"])
    result = score(tmp_path, examples=0)
    assert result["leak_checked"] > 20 and result["released"] > 0, result
    assert result["leaks"] == 0, result["leak_list"]
    assert result["keep_checked"] > 5 and result["keep_rate"] >= 0.9, result["dropped_risks"]
