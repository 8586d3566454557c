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
