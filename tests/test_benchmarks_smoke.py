"""The benchmark harness runs end to end on two tiny documents and produces numbers.

Timing is not asserted (this machine is shared); the figures only have to exist and be sane.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import run


@pytest.mark.timeout(120)
def test_harness_produces_numbers(tmp_path: Path) -> None:
    result = run.main(["--tiny", "2", "--only", "naive,watch,passes", "--out", str(tmp_path)])

    naive, watch = result["naive"], result["watch"]
    assert len(naive["per_doc"]) == 2 and all(d["chars"] > 200 for d in naive["per_doc"])
    assert naive["docs_per_min"] > 0 and naive["leak"]["checked"] == 16
    assert len(watch["per_doc"]) == 2
    assert all(d["state"] in ("filed", "in_review", "shred_queued") for d in watch["per_doc"])
    assert all(0 < d["processing"] <= d["latency"] for d in watch["per_doc"])
    assert 0 < watch["startup_seconds"] < 120 and watch["peak_pss_mb"] > 50
    assert result["passes"]["passes"] == result["passes"]["parsed"] == 2
    assert "one_nlp_pass" in result["targets"]
    saved = json.loads((tmp_path / "latest.json").read_text())
    assert saved["corpus"]["documents"] == 2
    assert "naive (pdfplumber + presidio)" in (tmp_path / "latest.txt").read_text()


def test_the_throughput_ratio_is_the_median_of_interleaved_rounds() -> None:
    rounds = [{"naive_docs_per_min": 60.0, "batch_docs_per_min": 120.0, "ratio": 2.0},
              {"naive_docs_per_min": 50.0, "batch_docs_per_min": 175.0, "ratio": 3.5},
              {"naive_docs_per_min": 80.0, "batch_docs_per_min": 200.0, "ratio": 2.5}]
    r = {"naive": {"docs_per_min": 60.0}, "batch": {"docs_per_min": 200.0}, "throughput_rounds": rounds}
    assert run.throughput_ratio(r) == 2.5
    assert run.check_targets(r)["throughput_ratio"] == {"value": 2.5, "target": ">= 3.0", "ok": False}
    assert run.throughput_ratio({**r, "throughput_rounds": rounds[:2]}) == 2.75
    assert run.throughput_ratio({"naive": {"docs_per_min": 50.0}, "batch": {"docs_per_min": 150.0}}) == 3.0
    runs = [{"docs_per_min": 3.0}, {"docs_per_min": 1.0}, {"docs_per_min": 2.0}]
    assert run.median_run(runs)["docs_per_min"] == 2.0
    assert run.median_run(runs[:2])["docs_per_min"] == 1.0
    assert "median ratio 2.50" in "\n".join(line for line in run.render({
        "started": "x", "cpus": 2, "python": "3.11", "quick": False, "settle_seconds": 0.5,
        "corpus": {"documents": 1, "pages": 1, "kinds": {}}, "throughput_rounds": rounds}).splitlines())


@pytest.mark.timeout(180)
def test_the_timed_batch_runs_are_not_sampled_for_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sampling the batch's processes took CPU from the batch under test (the naive pipeline is
    never sampled): the timed run goes unsampled, and one more run gives the peak memory."""
    made: list[int] = []

    class Counting(run.MemorySampler):
        def __init__(self, pid: int, interval: float = 0.05) -> None:
            made.append(pid)
            super().__init__(pid, interval)

    monkeypatch.setattr(run, "MemorySampler", Counting)
    result = run.main(["--tiny", "2", "--only", "batch", "--rounds", "2", "--out", str(tmp_path)])
    batch = result["batch"]
    assert len(made) == 1, "only the memory run is sampled, not the two timed ones"
    assert batch["documents"] == 2 and batch["docs_per_min"] > 0 and batch["sampled_run_docs_per_min"] > 0
    assert batch["peak_pss_mb"] > 50
    assert "service, batch (watch --once)" in (tmp_path / "latest.txt").read_text()
