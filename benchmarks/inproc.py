"""The parts of the benchmark that must look inside the service process.

Run as a child of the harness (so the harness stays light and every run starts cold):

    python -m benchmarks.inproc passes DOCS_DIR WORKSPACE [--profile OUT]
        process every document in DOCS_DIR with the real pipeline in this process, and report
        how many spaCy passes were made (``extract.nlp.pass_count``) per document read;
        with ``--profile`` also write a cProfile of the run and its top functions.
    python -m benchmarks.inproc summaries CONFIG
        print every child summary the service wrote, per document (for the leak rate).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import shutil
import sys
import time
from pathlib import Path
from typing import Any


def summaries(config: Path) -> dict[str, list[dict[str, Any]]]:
    from sqlalchemy import select

    from mappa.pipeline import load_summaries
    from mappa.service import Runtime
    from mappa.settings import load_settings
    from outputs.schema import Document

    runtime = Runtime.open(load_settings(config), migrate_schema=False)
    out: dict[str, list[dict[str, Any]]] = {}
    with runtime.sessions() as session:
        for doc in session.scalars(select(Document).where(Document.parent_id.is_(None))):
            out[doc.filename] = [{"child": s.child_name, "text": s.text, "released": s.released}
                                 for s in load_summaries(runtime.vault, doc)]
    return out


def passes(docs_dir: Path, workspace: Path, profile: Path | None, records: Path | None = None) -> dict[str, Any]:
    from extract import nlp
    from mappa.initialise import initialise
    from mappa.service import Runtime, run_watch
    from mappa.settings import load_settings
    from outputs.schema import Document

    if workspace.exists():
        shutil.rmtree(workspace)
    workspace.mkdir(parents=True)
    config = initialise(workspace)
    env = {**os.environ, "MAPPA_SERVICE__SETTLE_SECONDS": "0", "MAPPA_SERVICE__POLL_INTERVAL_SECONDS": "0.05"}
    settings = load_settings(config, environ=env)
    runtime = Runtime.open(settings)
    if records is not None:
        from outputs.importer import import_records

        with runtime.sessions() as session:
            import_records(session, records)
            session.commit()
    inbox = settings.watch_paths()[0][1]
    files = sorted(p for p in docs_dir.iterdir() if p.is_file())
    for f in files:
        shutil.copyfile(f, inbox / f.name)
    nlp.reset_counters()
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    run_watch(runtime, once=True)
    if profiler:
        profiler.disable()
    elapsed = time.perf_counter() - started
    from sqlalchemy import select

    with runtime.sessions() as session:
        docs = list(session.scalars(select(Document)))
        parsed = sum(1 for d in docs if d.facts_json)  # every document that was read was parsed
        states = {d.filename: d.state for d in docs}
    result: dict[str, Any] = {"documents": len(docs), "parsed": parsed, "passes": nlp.pass_count(),
                              "chunks": nlp.chunk_count(), "seconds": round(elapsed, 3), "states": states}
    if profiler and profile:
        profile.parent.mkdir(parents=True, exist_ok=True)
        profiler.dump_stats(str(profile))
        buf = io.StringIO()
        pstats.Stats(profiler, stream=buf).sort_stats("cumulative").print_stats(45)
        profile.with_suffix(".txt").write_text(buf.getvalue())
        buf = io.StringIO()
        pstats.Stats(profiler, stream=buf).sort_stats("tottime").print_stats(30)
        profile.with_suffix(".tottime.txt").write_text(buf.getvalue())
    return result


def chunks(path: Path, chunk_chars: int = 4000) -> dict[str, Any]:
    """Entities of a chunked parse against one unchunked parse of the same text.

    The service parses long texts in pieces (``extract.nlp.CHUNK_CHARS``) and repairs entities
    at each cut. Here the cut size is made small so that a 40-page text has dozens of cuts, and
    the paragraph breaks are removed so that no cut is "clean" and every one needs the repair.
    """
    from extract import nlp as nlp_mod
    from extract.limits import ReadLimits
    from extract.read import read_document

    doc = read_document(path.read_bytes(), path.name, ReadLimits())
    text = getattr(doc, "text", "")
    nlp = nlp_mod.load_nlp()
    out: dict[str, Any] = {"chunk_chars": chunk_chars, "entities": 0, "lost": 0, "changed": 0, "cuts": 0,
                           "lost_examples": [], "changed_examples": []}
    for variant in (text, text.replace("\n\n", "\n")):
        nlp.max_length = max(nlp.max_length, len(variant) + 1)
        whole = nlp(variant)
        pieces = nlp_mod.parse(nlp, variant, chunk_chars=chunk_chars)
        assert pieces.text == variant
        got = {(e.start_char, e.end_char, e.label_) for e in pieces.ents}
        out["cuts"] += len(nlp_mod._cut_points(variant, chunk_chars))
        for e in whole.ents:
            out["entities"] += 1
            if (e.start_char, e.end_char, e.label_) in got:
                continue
            overlapping = [g for g in got if g[0] < e.end_char and e.start_char < g[1]]
            if overlapping:
                out["changed"] += 1
                if len(out["changed_examples"]) < 10:
                    out["changed_examples"].append(
                        f"{e.label_} {e.text!r} -> " + ", ".join(f"{g[2]} {variant[g[0]:g[1]]!r}" for g in overlapping))
            else:
                out["lost"] += 1
                if len(out["lost_examples"]) < 10:
                    out["lost_examples"].append(f"{e.label_} {e.text!r} at {e.start_char}")
    return out


def extract_only(paths: list[Path]) -> list[dict[str, Any]]:
    """Read, parse and understand each document in this process (no summaries, no outputs):
    seconds per step and the process's peak memory after each, to show how the stages before
    redaction grow with pages when redaction is too slow to let a long document through."""
    import resource

    from extract import nlp as nlp_mod
    from extract.limits import ReadLimits
    from extract.read import read_document
    from extract.understand import understand

    nlp = nlp_mod.load_nlp()
    nlp("warm up")
    out = []
    for path in paths:
        t0 = time.perf_counter()
        doc = read_document(path.read_bytes(), path.name, ReadLimits())
        t1 = time.perf_counter()
        text = getattr(doc, "text", "")
        parsed = nlp_mod.parse(nlp, text)
        t2 = time.perf_counter()
        facts = understand(doc, parsed)  # type: ignore[arg-type]
        t3 = time.perf_counter()
        out.append({"name": path.name, "chars": len(text), "read": round(t1 - t0, 3), "parse": round(t2 - t1, 3),
                    "understand": round(t3 - t2, 3), "children": len(facts.children),
                    "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)})
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("passes")
    p.add_argument("docs", type=Path)
    p.add_argument("workspace", type=Path)
    p.add_argument("--profile", type=Path)
    p.add_argument("--records", type=Path)
    s = sub.add_parser("summaries")
    s.add_argument("config", type=Path)
    e = sub.add_parser("extract")
    e.add_argument("paths", type=Path, nargs="+")
    c = sub.add_parser("chunks")
    c.add_argument("path", type=Path)
    c.add_argument("--chunk-chars", type=int, default=4000)
    a = ap.parse_args(argv)
    if a.cmd == "passes":
        out = passes(a.docs, a.workspace, a.profile, a.records)
    elif a.cmd == "extract":
        out = extract_only(a.paths)  # type: ignore[assignment]
    elif a.cmd == "chunks":
        out = chunks(a.path, a.chunk_chars)
    else:
        out = summaries(a.config)
    sys.stdout.write(json.dumps(out, default=str) + "\n")


if __name__ == "__main__":
    main()
