"""Score ``extract.understand`` on a generated corpus (documents with STEM.gold.json beside them).

    .venv/bin/python -m tests.understand.score_corpus DIR [--generate N] [--misses 30]

Reads each document with the real readers, parses it once with spaCy, runs ``understand`` with
the corpus's records.csv as the known records, and scores it with ``mappa.evaluate`` (the same
scorer ``mappa eval`` uses). Prints document-type accuracy, precision/recall per field and the
commonest misses. Only the extraction stage is measured here: no summaries, no outputs.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from extract.facts import Facts
from extract.limits import ReadLimits
from extract.matching import KnownPerson, KnownRecords
from extract.model import ReadFailure
from extract.nlp import load_nlp, parse
from extract.read import read_document
from extract.understand import understand
from mappa import evaluate, present


def load_records(path: Path) -> KnownRecords:
    if not path.exists():
        return KnownRecords()
    people: list[KnownPerson] = []
    with path.open(newline="", encoding="utf-8") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            kind = row.get("kind") or "subject"
            if kind not in ("subject", "child"):
                continue
            dob = date.fromisoformat(row["dob"]) if row.get("dob") else None
            aliases = tuple(a.strip() for a in re.split(r"[;|]", row.get("aliases") or "") if a.strip())
            people.append(KnownPerson(i + 1, kind, row.get("name") or "", aliases, dob, row.get("pnc") or None,
                                      row.get("prison_number") or None))
    return KnownRecords(tuple(people))


def result_of(facts: Facts, name: str) -> dict[str, Any]:
    return {"filename": name, "doc_type": facts.doc_type.value.value, "fields": present.fields(facts),
            "reasons": list(facts.reasons)}


def run(corpus: Path) -> tuple[dict[str, Any], list[tuple[str, Facts | None, dict[str, Any]]]]:
    import json

    nlp = load_nlp()
    known = load_records(corpus / "records.csv")
    cases: list[evaluate.EvalCase] = []
    detail: list[tuple[str, Facts | None, dict[str, Any]]] = []
    for gold_path in sorted(corpus.glob("*.gold.json")):
        stem = gold_path.name[: -len(".gold.json")]
        docs = [p for p in corpus.glob(stem + ".*") if not p.name.endswith(".gold.json")]
        if not docs:
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        started = time.perf_counter()
        text = read_document(docs[0].read_bytes(), docs[0].name, ReadLimits())
        if isinstance(text, ReadFailure):
            result: dict[str, Any] = {"filename": docs[0].name, "doc_type": "unreadable", "fields": {},
                                      "reasons": [text.reason]}
            facts = None
            pages = 1
        else:
            nlp_doc = parse(nlp, text.text)
            facts = understand(text, nlp_doc, known=known, today=date(2026, 1, 15))
            result = result_of(facts, docs[0].name)
            pages = text.page_count
        seconds = time.perf_counter() - started
        cases.append(evaluate.EvalCase(gold, result, pages, seconds, docs[0].name))
        detail.append((docs[0].name, facts, gold))
    return evaluate.score(cases), detail


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--generate", type=int, default=0, help="generate N documents into CORPUS first")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--misses", type=int, default=30)
    args = ap.parse_args(argv)
    if args.generate:
        from tests.docgen.corpus import generate

        generate(args.corpus, args.generate, args.seed)
    scores, detail = run(args.corpus)
    print(f"documents: {scores['documents']}   doc-type accuracy: {scores['doc_type_accuracy']:.3f}   "
          f"seconds/page: {scores['seconds_per_page']:.2f}")
    print(f"{'field':24} {'precision':>9} {'recall':>7} {'tp':>4} {'fp':>4} {'fn':>4}")
    for fname, c in scores["field_scores"].items():
        p = "-" if c.get("precision") is None else f"{c['precision']:.3f}"
        r = "-" if c.get("recall") is None else f"{c['recall']:.3f}"
        print(f"{fname:24} {p:>9} {r:>7} {c.get('tp', 0):>4} {c.get('fp', 0):>4} {c.get('fn', 0):>4}")
    not_mappa = [(bool(g.get("not_mappa")), f.discussed_not_mappa) for _, f, g in detail if f is not None and "not_mappa" in g]
    if not_mappa:
        right = sum(a == b for a, b in not_mappa)
        print(f"discussed_not_mappa agreement: {right}/{len(not_mappa)}")
    kinds: Counter[str] = Counter()
    for doc in scores["per_document"]:
        for miss in doc["misses"]:
            kinds[re.sub(r"[:\s].*", "", miss) + " " + miss.split()[1] if " " in miss else miss] += 1
    print("commonest misses:", dict(kinds.most_common(12)))
    shown = 0
    for doc in scores["per_document"]:
        for miss in doc["misses"]:
            if shown < args.misses:
                print(f"  {doc['name']}: {miss}")
                shown += 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
