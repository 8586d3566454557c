"""Leak rate and keep rate of the child summaries on the generated corpus.

    python -m tests.redact.score_corpus [DIR] [--n 72] [--seed S] [--examples 3] [--json OUT]

Without DIR a corpus is generated into a temporary folder (``tests.docgen.corpus``). Each
document is read (``extract.read``), parsed once (``extract.nlp``), understood
(``extract.understand``) and summarised (``redact.summarise``), exactly as the driver does.
Figures use the evaluator's own conventions (``mappa.evaluate``): a leak is a
``must_not_appear_in_child_summary`` string (or a per-child one) found in a RELEASED summary,
case- and space-insensitively; a risk statement is kept when all its words are in a summary.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from extract.limits import ReadLimits
from extract.model import ReadFailure
from extract.nlp import load_nlp, parse
from extract.read import read_document
from extract.understand import understand
from mappa.evaluate import leak_norm, names_match, words
from redact.policy import SummaryPolicy
from redact.summary import summarise


def _gold_files(folder: Path) -> list[tuple[Path, Path]]:
    out = []
    for g in sorted(folder.glob("*.gold.json")):
        stem = g.name[: -len(".gold.json")]
        docs = [p for p in folder.glob(stem + ".*") if not p.name.endswith(".gold.json")]
        if docs:
            out.append((docs[0], g))
    return out


def score(folder: Path, examples: int = 3) -> dict[str, Any]:
    nlp = load_nlp()
    policy = SummaryPolicy("Test Council")
    leak_found = leak_checked = 0
    keep_kept = keep_total = 0
    released = made = 0
    unreleased_reasons: dict[str, int] = {}
    leaks: list[dict[str, str]] = []
    dropped: list[dict[str, str]] = []
    shown: list[str] = []
    seconds = 0.0
    for path, gold_path in _gold_files(folder):
        gold = json.loads(gold_path.read_text())
        if not gold.get("risk_statements_to_keep") and not gold.get("must_not_appear_in_child_summary"):
            continue
        text = read_document(path.read_bytes(), path.name, ReadLimits())
        if isinstance(text, ReadFailure):
            continue
        t0 = time.perf_counter()
        nlp_doc = parse(nlp, text.text)
        facts = understand(text, nlp_doc, today=date(2026, 1, 1))
        summaries = summarise(text, facts, nlp_doc, policy)
        seconds += time.perf_counter() - t0
        made += len(summaries)
        pool = [s for s in summaries if s.released]
        released += len(pool)
        for s in summaries:
            if not s.released:
                for why in [*(d.split(":")[0] for d in s.doubts), *(f"hit {h.code}" for h in s.hits)]:
                    unreleased_reasons[why] = unreleased_reasons.get(why, 0) + 1
        texts = [leak_norm(s.text) for s in pool]
        if pool:
            for bad in gold.get("must_not_appear_in_child_summary") or []:
                leak_checked += 1
                if leak_norm(bad) and any(leak_norm(bad) in t for t in texts):
                    leak_found += 1
                    leaks.append({"doc": path.name, "string": bad})
            for child, bads in (gold.get("per_child_must_not_appear") or {}).items():
                mine = [leak_norm(s.text) for s in pool if names_match(child, s.child_name)]
                for bad in bads if mine else []:
                    leak_checked += 1
                    if leak_norm(bad) and any(leak_norm(bad) in t for t in mine):
                        leak_found += 1
                        leaks.append({"doc": path.name, "string": bad, "child": child})
        if summaries:
            bags = [words(s.text) for s in summaries]
            for r in gold.get("risk_statements_to_keep") or []:
                keep_total += 1
                if any(words(r) <= b for b in bags):
                    keep_kept += 1
                else:
                    dropped.append({"doc": path.name, "risk": r})
        if len(shown) < examples and pool:
            shown.append(f"--- {path.name} ---\n{pool[0].text}")
    return {
        "summaries": made,
        "released": released,
        "leaks": leak_found,
        "leak_checked": leak_checked,
        "leak_rate": leak_found / leak_checked if leak_checked else None,
        "keep_rate": keep_kept / keep_total if keep_total else None,
        "keep_checked": keep_total,
        "not_released_because": dict(sorted(unreleased_reasons.items(), key=lambda kv: -kv[1])),
        "leak_list": leaks,
        "dropped_risks": dropped,
        "examples": shown,
        "seconds_understand_and_summarise": round(seconds, 1),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", nargs="?")
    ap.add_argument("--n", type=int, default=72)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--examples", type=int, default=3)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    if args.folder:
        folder = Path(args.folder)
    else:
        from tests.docgen import corpus

        folder = Path(tempfile.mkdtemp(prefix="mappa-corpus-"))
        corpus.main([str(folder), "--n", str(args.n), *(["--seed", str(args.seed)] if args.seed is not None else [])])
    result = score(folder, args.examples)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    for ex in result["examples"]:
        print(ex)
    for key in ("summaries", "released", "leaks", "leak_checked", "leak_rate", "keep_rate", "keep_checked",
                "not_released_because", "seconds_understand_and_summarise"):
        print(f"{key}: {result[key]}")
    for leak in result["leak_list"]:
        print("LEAK", leak)
    for d in result["dropped_risks"]:
        print("DROPPED", d)
    return 0 if not result["leaks"] else 1


if __name__ == "__main__":
    sys.exit(main())
