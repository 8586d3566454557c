"""The benchmark of issue 8: the service against the naive pipeline, on the same documents.

    .venv/bin/python -m benchmarks.run            # everything (about 8 minutes on 2 cores)
    .venv/bin/python -m benchmarks.run --quick    # smaller corpus, no 1,000-document or 200-page run

Phases (each in fresh child processes, so every figure includes what a real start costs):

1. naive: pdfplumber text of every page (python-docx for Word) + presidio's default analyzer;
2. service, watch mode: ``mappa watch`` started (start-up to "ready" timed), one warm-up file,
   then every file dropped into the inbox one at a time; latency from the rename into the inbox
   to the resting state in the journal; memory of the process tree sampled throughout;
3. service, batch mode: all files in the inbox, ``mappa watch --once``; throughput from "ready"
   to exit (the comparison with the naive pipeline uses this). Phases 1 and 3 run five times,
   interleaved, and the ratio is the median of the rounds' ratios (``--rounds``). Like the
   naive runs, the timed batch runs are not sampled for memory; one more batch run is, for
   the batch's peak memory;
4. one NLP pass per document (``extract.nlp.pass_count`` in-process) and entities at chunk cuts;
5. growth: 1, 10, 100, 1,000 one-page documents (batch); 1 to 200 pages (watch, one at a time).

Results go to ``benchmarks/results/`` (git-ignored) as JSON and as the printed table.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import corpus
from benchmarks.corpus import BenchDoc
from benchmarks.service import MB, RESTING, Landing, MemorySampler, Workspace, stop

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results"
TARGETS = {"throughput_ratio": 3.0, "p50_5page_seconds": 2.0, "startup_seconds": 5.0, "peak_200p_mb": 1024.0}


def log(msg: str) -> None:
    sys.stderr.write(f"[bench {time.strftime('%H:%M:%S')}] {msg}\n")
    sys.stderr.flush()


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (no interpolation: a p95 of 20 values is a real observation)."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(q / 100 * len(s) + 0.5)) - 1))
    return s[k]


def leak_norm(text: str) -> str:
    try:
        from mappa.evaluate import leak_norm as service_norm  # the definition `mappa eval` uses

        return service_norm(text)
    except ImportError:  # pragma: no cover - the evaluation module is optional
        return "".join(text.casefold().split())


def leaks(texts_by_doc: dict[str, list[str]], docs: list[BenchDoc]) -> dict[str, Any]:
    """Share of must-not-appear strings found in a document's output texts (docs with output only)."""
    found = checked = 0
    examples: list[str] = []
    for d in docs:
        texts = [leak_norm(t) for t in texts_by_doc.get(d.name, [])]
        if not texts:
            continue
        for bad in d.must_not_appear:
            checked += 1
            if leak_norm(bad) and any(leak_norm(bad) in t for t in texts):
                found += 1
                if len(examples) < 8:
                    examples.append(f"{d.name}: {bad}")
    return {"found": found, "checked": checked, "rate": round(found / checked, 4) if checked else None,
            "examples": examples}


def child_json(module: str, *args: str, timeout: float = 3600) -> Any:
    out = subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True, timeout=timeout,
                         cwd=ROOT.parent)
    if out.returncode != 0:
        raise RuntimeError(f"{module} {' '.join(args)} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f}/{five:.2f}"


# Memory samples cost the service CPU: reading a 300 MB process's PSS (/proc/PID/smaps) takes
# about 3 ms, charged to the reader but walking the service's page tables, for each of the
# service's processes. Every 50 ms that was a tenth of a core taken from the service under test
# (the naive pipeline is not sampled: it reports its own peak at the end). Watch mode, whose
# figures include the 200-page peak, samples every 0.2 s; batch mode, which only reports its
# peak, every 0.5 s, and only in a run of its own: the timed batch runs are not sampled.
WATCH_SAMPLE_SECONDS = 0.2
BATCH_SAMPLE_SECONDS = 0.5


# ---------------------------------------------------------------- phases

def run_naive(docs: list[BenchDoc]) -> dict[str, Any]:
    log(f"naive pipeline on {len(docs)} documents (load {load()})")
    res = child_json("benchmarks.naive", *[str(d.path) for d in docs])
    seconds = sum(x["seconds"] for x in res["docs"])
    pages = sum(d.pages for d in docs)
    by_name = {x["name"]: [x.pop("redacted")] for x in res["docs"]}
    return {"startup_seconds": res["startup_seconds"], "peak_mb": res["peak_mb"], "seconds": round(seconds, 3),
            "docs_per_min": round(len(docs) * 60 / seconds, 2), "pages_per_s": round(pages / seconds, 3),
            "per_doc": res["docs"], "leak": leaks(by_name, docs), "load": load()}


def run_watch(work: Path, docs: list[BenchDoc], warmup: BenchDoc, settle: float, label: str,
              doc_timeout: float = 600) -> dict[str, Any]:
    """Drop files one at a time into a running, warm service."""
    log(f"watch mode ({label}): {len(docs)} documents, one at a time (load {load()})")
    ws = Workspace(work, settle=settle)
    ws.import_records(corpus.write_records(work.parent / f"{work.name}-records.csv", [*docs, warmup]))
    proc, startup = ws.start()
    sampler = MemorySampler(proc.pid, interval=WATCH_SAMPLE_SECONDS).start()
    landings: list[Landing] = []
    timed_out: list[dict[str, Any]] = []
    try:
        ws.wait_rested(ws.drop(warmup.path), timeout=300)
        for d in docs:
            sampler.reset_window()
            dropped = ws.drop(d.path)
            try:
                landing = ws.wait_rested(dropped, timeout=doc_timeout)
            except TimeoutError:
                # Recorded, not fatal: a document that takes longer than this is a finding. The
                # service is still busy with it, so nothing after it could be measured fairly.
                log(f"  {d.name}: not written within {doc_timeout:.0f} s; stopping this phase")
                timed_out.append({"name": d.name, "pages": d.pages, "timeout_seconds": doc_timeout,
                                  "peak_pss_mb": round(sampler.window_pss / MB, 1)})
                break
            sampler.sample()
            landing.peak_pss_mb = round(sampler.window_pss / MB, 1)
            landing.peak_rss_mb = round(sampler.window_rss / MB, 1)
            landings.append(landing)
            log(f"  {d.name}: {landing.state} in {landing.latency:.2f} s (processing {landing.processing:.2f} s, "
                f"peak {landing.peak_pss_mb:.0f} MB; steps {landing.steps})")
    finally:
        sampler.stop()
        stop(proc)
    texts = {}
    if any(x.state not in ("duplicate",) for x in landings):
        summ = child_json("benchmarks.inproc", "summaries", str(ws.config))
        texts = {name: [s["text"] for s in ss if s["released"]] for name, ss in summ.items()}
        texts_all = {name: [s["text"] for s in ss] for name, ss in summ.items()}
    else:
        texts_all = {}
    by_name = {d.name: d for d in docs}
    processing = [x.processing or 0.0 for x in landings] or [0.0]
    return {
        "startup_seconds": round(startup, 3),
        "peak_pss_mb": round(sampler.peak_pss / MB, 1),
        "peak_rss_mb": round(sampler.peak_rss / MB, 1),
        "seconds_processing": round(sum(processing), 3),
        "docs_per_min": round(len(landings) * 60 / sum(processing), 2) if sum(processing) else None,
        "pages_per_s": (round(sum(by_name[x.name].pages for x in landings) / sum(processing), 3)
                        if sum(processing) else None),
        "latency_p50": round(pct([x.latency or 0 for x in landings], 50), 3),
        "latency_p95": round(pct([x.latency or 0 for x in landings], 95), 3),
        "processing_p50": round(pct(processing, 50), 3),
        "processing_p95": round(pct(processing, 95), 3),
        "per_doc": [{"name": x.name, "kind": by_name[x.name].kind, "pages": by_name[x.name].pages, "state": x.state,
                     "latency": round(x.latency or 0, 3), "processing": round(x.processing or 0, 3),
                     "peak_pss_mb": x.peak_pss_mb, "peak_rss_mb": x.peak_rss_mb, "steps": x.steps}
                    for x in landings],
        "states": _count(x.state for x in landings),
        "timed_out": timed_out,
        "leak": leaks(texts, docs),
        "leak_all_summaries": leaks(texts_all, docs),
        "docs_with_released_summary": sum(1 for d in docs if texts.get(d.name)),
        "load": load(),
    }


def run_batch(work: Path, docs: list[BenchDoc], label: str, timeout: float = 1800,
              sample_memory: bool = True) -> dict[str, Any]:
    """Everything in the inbox at once, ``mappa watch --once``: ready to exit is the batch's cost.

    ``sample_memory``: sample the process tree's memory while it runs. Each sample of the
    batch's five processes costs the harness 15-35 ms of CPU (the kernel walks their page
    tables for the proportional sizes), every 0.5 s, on a machine whose two cores the batch
    needs: the timed runs of the throughput ratio are not sampled, as the naive pipeline's
    never were (it reports its own ``ru_maxrss``)."""
    log(f"batch mode ({label}): {len(docs)} documents with `mappa watch --once` (load {load()})")
    ws = Workspace(work, settle=0.0)
    ws.import_records(corpus.write_records(work.parent / f"{work.name}-records.csv", docs))
    ws.fill_inbox([d.path for d in docs])
    spawned = time.perf_counter()
    proc, startup = ws.start("--once")
    sampler = MemorySampler(proc.pid, interval=BATCH_SAMPLE_SECONDS).start() if sample_memory else None
    ready_at = spawned + startup
    finished = True
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        finished = False
        log(f"  not finished within {timeout:.0f} s; counting what was written")
    finally:
        if sampler is not None:
            sampler.stop()
        stop(proc)
    elapsed = time.perf_counter() - ready_at
    rows = [r for r in ws.rows() if r["parent_id"] is None]
    resting = {r["filename"] for r in rows if r["state"] in RESTING}
    if finished and (proc.returncode != 0 or len(resting) != len(docs)):
        raise RuntimeError(f"batch run ended {proc.returncode} with {len(resting)}/{len(docs)} documents:\n"
                           f"{ws.log_tail()}")
    done = [d for d in docs if d.name in resting]
    docs = done or docs[:1]
    pages = sum(d.pages for d in docs)
    return {"finished": finished, "documents": len(docs), "pages": pages, "startup_seconds": round(startup, 3),
            "seconds": round(elapsed, 3), "docs_per_min": round(len(docs) * 60 / elapsed, 2),
            "pages_per_s": round(pages / elapsed, 3), "seconds_per_doc": round(elapsed / len(docs), 4),
            "peak_pss_mb": round(sampler.peak_pss / MB, 1) if sampler else None,
            "peak_rss_mb": round(sampler.peak_rss / MB, 1) if sampler else None,
            "states": _count(r["state"] for r in rows), "load": load()}


def _count(states: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for s in states:
        out[s] = out.get(s, 0) + 1
    return out


def linear_fit(xs: list[float], ys: list[float]) -> dict[str, float]:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx if sxx else 0.0
    intercept = my - slope * mx
    ss_tot = sum((y - my) ** 2 for y in ys)
    ss_res = sum((y - (intercept + slope * x)) ** 2 for x, y in zip(xs, ys, strict=True))
    return {"seconds_per_page": round(slope, 4), "intercept": round(intercept, 3),
            "r2": round(1 - ss_res / ss_tot, 4) if ss_tot else 1.0}


# ---------------------------------------------------------------- the run

def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description="Benchmark the service against the naive pipeline (issue 8).")
    ap.add_argument("--quick", action="store_true", help="smaller corpus; skip 1,000 documents and 200 pages")
    ap.add_argument("--settle", type=float, default=0.5, help="settle seconds in watch mode (default 0.5)")
    ap.add_argument("--out", type=Path, default=RESULTS, help="where results and the working files go")
    ap.add_argument("--profile", action="store_true", help="also write a cProfile of the in-process run")
    ap.add_argument("--only", default="", help="comma-separated phases: naive,watch,batch,passes,docs,pages")
    ap.add_argument("--doc-timeout", type=float, default=600,
                    help="give up on a document not written within this many seconds (default 600)")
    ap.add_argument("--rounds", type=int, default=0,
                    help="naive and batch runs, interleaved; the ratio is their median (default 5, 1 with --quick)")
    ap.add_argument("--tiny", type=int, default=0, help=argparse.SUPPRESS)  # smoke test: n tiny documents only
    ap.add_argument("--render", type=Path, help="print the table of a saved result JSON and exit")
    a = ap.parse_args(argv)
    if a.render:
        saved = json.loads(a.render.read_text())
        g = saved.get("growth_pages")
        if g and "step_fits" not in g and len(g["per_doc"]) > 1:
            g["step_fits"] = {step: linear_fit([float(d["pages"]) for d in g["per_doc"]],
                                               [float(d["steps"].get(step, 0.0)) for d in g["per_doc"]])
                              for step in ("extracted", "summarised", "outputs")}
        saved["targets"] = check_targets(saved)
        sys.stdout.write(render(saved) + "\n")
        return saved
    out: Path = a.out
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    work = out / "work"
    phases = set(a.only.split(",")) if a.only else {"naive", "watch", "batch", "passes", "docs", "pages"}
    result: dict[str, Any] = {"started": stamp, "quick": a.quick, "settle_seconds": a.settle, "cpus": os.cpu_count(),
                              "python": sys.version.split()[0]}
    log(f"generating the corpus in {work / 'corpus'}")
    if a.tiny:
        docs = corpus.tiny_corpus(work / "corpus" / "mixed", a.tiny)
        phases &= {"naive", "watch", "batch", "passes"}
    else:
        docs = corpus.mixed_corpus(work / "corpus" / "mixed", quick=a.quick)
    warmup = corpus.write_doc(work / "corpus" / "warmup", "warmup_letter", "prison_letter",
                              __import__("random").Random(99))
    result["corpus"] = {"documents": len(docs), "pages": sum(d.pages for d in docs),
                        "kinds": _count(d.kind for d in docs)}

    rounds = max(1, a.rounds if a.rounds else (1 if a.quick or a.tiny else 5))
    naive_runs: list[dict[str, Any]] = []
    batch_runs: list[dict[str, Any]] = []
    for _ in range(rounds):  # interleaved, so a slow spell of the machine falls on both sides
        if "naive" in phases:
            naive_runs.append(run_naive(docs))
        if "batch" in phases:
            batch_runs.append(run_batch(work / "ws-batch", docs, "mixed", sample_memory=False))
    if naive_runs:
        result["naive"] = median_run(naive_runs)
    if batch_runs:
        result["batch"] = median_run(batch_runs)
        memory = run_batch(work / "ws-batch", docs, "mixed, memory sampled")
        result["batch"].update(peak_pss_mb=memory["peak_pss_mb"], peak_rss_mb=memory["peak_rss_mb"],
                               sampled_run_docs_per_min=memory["docs_per_min"])
    if naive_runs and batch_runs:
        result["throughput_rounds"] = [
            {"naive_docs_per_min": n["docs_per_min"], "batch_docs_per_min": b["docs_per_min"],
             "ratio": round(b["docs_per_min"] / n["docs_per_min"], 3)} for n, b in zip(naive_runs, batch_runs, strict=False)]
    if "watch" in phases:
        result["watch"] = run_watch(work / "ws-watch", docs, warmup, a.settle, "mixed", doc_timeout=a.doc_timeout)
    if "passes" in phases:
        log("in-process run: NLP passes per document" + (" (with cProfile)" if a.profile else ""))
        args = ["passes", str(work / "corpus" / "mixed"), str(work / "ws-passes"), "--records",
                str(corpus.write_records(work / "ws-passes-records.csv", docs))]
        if a.profile:
            args += ["--profile", str(out / f"profile-{stamp}.prof")]
        result["passes"] = child_json("benchmarks.inproc", *args)
        if not a.tiny:
            log("entities at chunk cuts")
            longest = max(docs, key=lambda d: d.pages)
            result["chunking"] = child_json("benchmarks.inproc", "chunks", str(longest.path))
    if "docs" in phases:
        sizes = [1, 10, 100] + ([] if a.quick else [1000])
        tiny = corpus.tiny_corpus(work / "corpus" / "tiny", max(sizes))
        result["growth_docs"] = [run_batch(work / f"ws-docs-{n}", tiny[:n], f"{n} one-page documents")
                                 for n in sizes]
    if "pages" in phases:
        sizes = [1, 5, 10, 20, 50] + ([100] if a.quick else [100, 200])
        sized = [corpus.sized_minutes(work / "corpus" / "sized", n) for n in sizes]
        pages_run = run_watch(work / "ws-pages", sized, warmup, a.settle, "1 to 200 pages", doc_timeout=a.doc_timeout)
        fit = (linear_fit([float(d["pages"]) for d in pages_run["per_doc"]],
                          [float(d["processing"]) for d in pages_run["per_doc"]])
               if len(pages_run["per_doc"]) > 1 else {"seconds_per_page": 0.0, "intercept": 0.0, "r2": 0.0})
        step_fits = {step: linear_fit([float(d["pages"]) for d in pages_run["per_doc"]],
                                      [float(d["steps"].get(step, 0.0)) for d in pages_run["per_doc"]])
                     for step in ("extracted", "summarised", "outputs")} if len(pages_run["per_doc"]) > 1 else {}
        result["growth_pages"] = {"per_doc": pages_run["per_doc"], "fit": fit, "timed_out": pages_run["timed_out"],
                                  "step_fits": step_fits,
                                  "startup_seconds": pages_run["startup_seconds"],
                                  "peak_pss_mb": pages_run["peak_pss_mb"], "peak_rss_mb": pages_run["peak_rss_mb"]}

        log("read + parse + fields alone, 1 to 200 pages, in one process")
        ext = child_json("benchmarks.inproc", "extract", *[str(d.path) for d in sized])
        for row, d in zip(ext, sized, strict=True):
            row["pages"] = d.pages
        result["growth_extract"] = {"per_doc": ext, "fit": linear_fit(
            [float(x["pages"]) for x in ext], [x["read"] + x["parse"] + x["understand"] for x in ext])}

    result["targets"] = check_targets(result)
    table = render(result)
    sys.stdout.write(table + "\n")
    out.mkdir(parents=True, exist_ok=True)
    (out / f"bench-{stamp}.json").write_text(json.dumps(result, indent=2, default=str))
    (out / f"bench-{stamp}.txt").write_text(table + "\n")
    (out / "latest.json").write_text(json.dumps(result, indent=2, default=str))
    (out / "latest.txt").write_text(table + "\n")
    log(f"results written to {out / f'bench-{stamp}.json'}")
    return result


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median documents per minute (the lower middle one of an even count)."""
    ordered = sorted(runs, key=lambda x: x["docs_per_min"])
    return ordered[(len(ordered) - 1) // 2]


def throughput_ratio(r: dict[str, Any]) -> float:
    """Batch over naive documents per minute: the median over interleaved rounds when there were
    several (this machine's speed varies by a third between runs a minute apart)."""
    rounds = r.get("throughput_rounds")
    if rounds:
        ratios = sorted(x["ratio"] for x in rounds)
        mid = len(ratios) // 2
        return ratios[mid] if len(ratios) % 2 else (ratios[mid - 1] + ratios[mid]) / 2
    return float(r["batch"]["docs_per_min"] / r["naive"]["docs_per_min"])


def check_targets(r: dict[str, Any]) -> dict[str, Any]:
    t: dict[str, Any] = {}
    if "naive" in r and "batch" in r:
        ratio = throughput_ratio(r)
        t["throughput_ratio"] = {"value": round(ratio, 2), "target": f">= {TARGETS['throughput_ratio']}",
                                 "ok": ratio >= TARGETS["throughput_ratio"]}
    if "naive" in r and "watch" in r:
        ours, theirs = r["watch"]["leak"]["rate"], r["naive"]["leak"]["rate"]
        t["leak_rate"] = {"value": ours, "target": f"<= naive ({theirs})",
                          "ok": ours is not None and theirs is not None and ours <= theirs}
    if "watch" in r:
        five = [d["latency"] for d in r["watch"]["per_doc"] if d["pages"] == 5 and d["kind"] == "minutes"]
        if five:
            p50 = pct(five, 50)
            t["p50_5page_seconds"] = {"value": round(p50, 3), "target": f"<= {TARGETS['p50_5page_seconds']}",
                                      "ok": p50 <= TARGETS["p50_5page_seconds"]}
        t["startup_seconds"] = {"value": r["watch"]["startup_seconds"], "target": f"<= {TARGETS['startup_seconds']}",
                                "ok": r["watch"]["startup_seconds"] <= TARGETS["startup_seconds"]}
    if "growth_pages" in r:
        big = [d for d in r["growth_pages"]["per_doc"] if d["pages"] >= 200]
        late = [d for d in r["growth_pages"].get("timed_out", []) if d["pages"] >= 200]
        if late:
            t["peak_200p_mb"] = {"value": f"not done in {late[0]['timeout_seconds']:.0f} s "
                                          f"(peak {late[0]['peak_pss_mb']} MB so far)",
                                 "target": f"<= {TARGETS['peak_200p_mb']:.0f}", "ok": False}
        if big:
            peak = big[0]["peak_pss_mb"]
            t["peak_200p_mb"] = {"value": peak, "target": f"<= {TARGETS['peak_200p_mb']:.0f}",
                                 "ok": peak <= TARGETS["peak_200p_mb"]}
        fit = r["growth_pages"]["fit"]
        t["linear_in_pages"] = {"value": f"R2 {fit['r2']}", "target": "R2 >= 0.95", "ok": fit["r2"] >= 0.95}
    if "passes" in r:
        p = r["passes"]
        t["one_nlp_pass"] = {"value": f"{p['passes']} passes / {p['parsed']} documents parsed",
                             "target": "passes == documents", "ok": p["passes"] == p["parsed"]}
    if "chunking" in r:
        c = r["chunking"]
        t["no_entity_lost_at_cuts"] = {"value": f"{c['lost']} lost of {c['entities']}", "target": "0",
                                       "ok": c["lost"] == 0}
    return t


def render(r: dict[str, Any]) -> str:
    lines: list[str] = []
    c = r["corpus"]
    lines.append(f"mappa-docs benchmark {r['started']}  ({r['cpus']} cpus, python {r['python']}, "
                 f"{'quick' if r['quick'] else 'full'}, settle {r['settle_seconds']} s)")
    lines.append(f"mixed corpus: {c['documents']} documents, {c['pages']} pages: "
                 + ", ".join(f"{k} x{v}" for k, v in c["kinds"].items()))
    lines.append("")
    head = f"{'':34}{'docs/min':>10}{'pages/s':>10}{'p50 s':>9}{'p95 s':>9}{'start s':>9}{'peak MB':>9}{'leak':>18}"
    lines.append(head)
    lines.append("-" * len(head))

    def leakcell(x: dict[str, Any] | None) -> str:
        if not x or x.get("rate") is None:
            return "-"
        return f"{x['rate']:.1%} ({x['found']}/{x['checked']})"

    if "naive" in r:
        n = r["naive"]
        per = [d["seconds"] for d in n["per_doc"]]
        lines.append(f"{'naive (pdfplumber + presidio)':34}{n['docs_per_min']:>10}{n['pages_per_s']:>10}"
                     f"{pct(per, 50):>9.2f}{pct(per, 95):>9.2f}{n['startup_seconds']:>9.2f}{n['peak_mb']:>9.0f}"
                     f"{leakcell(n['leak']):>18}")
    if "watch" in r:
        w = r["watch"]
        lines.append(f"{'service, watch, one at a time':34}{w['docs_per_min'] or 0:>10}{w['pages_per_s'] or 0:>10}"
                     f"{w['latency_p50']:>9.2f}{w['latency_p95']:>9.2f}{w['startup_seconds']:>9.2f}"
                     f"{w['peak_pss_mb']:>9.0f}{leakcell(w['leak']):>18}")
        lines.append(f"{'  (claimed to written)':34}{'':>10}{'':>10}{w['processing_p50']:>9.2f}"
                     f"{w['processing_p95']:>9.2f}")
    if "batch" in r:
        b = r["batch"]
        lines.append(f"{'service, batch (watch --once)':34}{b['docs_per_min']:>10}{b['pages_per_s']:>10}"
                     f"{'':>9}{'':>9}{b['startup_seconds']:>9.2f}{b['peak_pss_mb']:>9.0f}")
    for key in ("watch", "growth_pages"):
        for d in (r.get(key) or {}).get("timed_out", []):
            lines.append(f"NOT WRITTEN: {d['name']} ({d['pages']} pages) not written within {d['timeout_seconds']:.0f} s "
                         f"({key} phase stopped there; peak {d['peak_pss_mb']} MB)")
    if len(r.get("throughput_rounds") or ()) > 1:
        rounds = r["throughput_rounds"]
        lines.append("throughput per round (naive / batch docs/min = ratio): "
                     + "; ".join(f"{x['naive_docs_per_min']:.1f} / {x['batch_docs_per_min']:.1f} = {x['ratio']:.2f}"
                                 for x in rounds)
                     + f"; median ratio {throughput_ratio(r):.2f} (the rows above are the median runs)")
    if "batch" in r and not r["batch"].get("finished", True):
        lines.append(f"batch run stopped before the end: figures over the {r['batch']['documents']} documents written")
    if "watch" in r:
        w = r["watch"]
        lines.append(f"service states: {w['states']}; {w['docs_with_released_summary']} documents with a released "
                     f"summary; leak over all summaries (released or held): {leakcell(w['leak_all_summaries'])}")
        lines.append("")
        lines.append("watch mode, per kind (median seconds drop->written / claimed->written, peak MB; median seconds "
                     "per step: read+parse+fields / summaries / outputs):")
        kinds: dict[str, list[dict[str, Any]]] = {}
        for d in w["per_doc"]:
            kinds.setdefault(f"{d['kind']} {d['pages']}p", []).append(d)
        for k, ds in kinds.items():
            steps = "  ".join(f"{pct([d['steps'].get(s, 0.0) for d in ds], 50):5.2f}"
                              for s in ("extracted", "summarised", "outputs"))
            lines.append(f"  {k:24} x{len(ds):<3} {pct([d['latency'] for d in ds], 50):7.2f} "
                         f"{pct([d['processing'] for d in ds], 50):7.2f} {max(d['peak_pss_mb'] for d in ds):7.0f}"
                         f"    {steps}")
    if "naive" in r:
        lines.append("naive, per kind (median seconds: read / analyze):")
        kinds2: dict[str, list[dict[str, Any]]] = {}
        for d in r["naive"]["per_doc"]:
            kind = d["name"].split("_", 1)[1].rsplit(".", 1)[0] if "_" in d["name"] else d["name"]
            kinds2.setdefault(kind, []).append(d)
        for k, ds in kinds2.items():
            lines.append(f"  {k:24} x{len(ds):<3} {pct([d['read_seconds'] for d in ds], 50):7.2f} "
                         f"{pct([d['analyze_seconds'] for d in ds], 50):7.2f}")
    if "passes" in r:
        p = r["passes"]
        lines.append(f"NLP passes: {p['passes']} for {p['parsed']} documents parsed ({p['chunks']} spaCy calls, "
                     f"{p['documents']} documents in all)")
    if "chunking" in r:
        ch = r["chunking"]
        lines.append(f"chunk cuts: {ch['cuts']} cuts at {ch['chunk_chars']} chars, {ch['entities']} entities in the "
                     f"unchunked parse, {ch['lost']} lost, {ch['changed']} with different bounds")
    if "growth_docs" in r:
        lines.append("")
        lines.append("growth in documents (one-page letters, batch, ready to exit):")
        lines.append(f"  {'docs':>6}{'seconds':>10}{'s/doc':>9}{'docs/min':>10}{'peak MB':>9}")
        for g in r["growth_docs"]:
            lines.append(f"  {g['documents']:>6}{g['seconds']:>10.2f}{g['seconds_per_doc']:>9.3f}"
                         f"{g['docs_per_min']:>10.1f}{g['peak_pss_mb']:>9.0f}")
    if "growth_pages" in r:
        g = r["growth_pages"]
        lines.append("")
        lines.append("growth in pages (one set of minutes, watch mode):")
        lines.append(f"  {'pages':>6}{'drop->written':>15}{'processing':>12}{'s/page':>9}{'peak MB':>9}{'(rss)':>8}"
                     f"{'read+parse':>12}{'summaries':>11}{'outputs':>9}")
        for d in g["per_doc"]:
            st = d.get("steps") or {}
            lines.append(f"  {d['pages']:>6}{d['latency']:>15.2f}{d['processing']:>12.2f}"
                         f"{d['processing'] / d['pages']:>9.3f}{d['peak_pss_mb']:>9.0f}{d['peak_rss_mb']:>8.0f}"
                         f"{st.get('extracted', 0.0):>12.2f}{st.get('summarised', 0.0):>11.2f}"
                         f"{st.get('outputs', 0.0):>9.2f}")
        f = g["fit"]
        lines.append(f"  linear fit: {f['seconds_per_page']} s/page + {f['intercept']} s, R2 {f['r2']}")
        for step, sf in (g.get("step_fits") or {}).items():
            label = {"extracted": "read+parse+fields", "summarised": "summaries", "outputs": "outputs"}[step]
            lines.append(f"    {label:18} {sf['seconds_per_page']} s/page + {sf['intercept']} s, R2 {sf['r2']}")
    if "growth_extract" in r:
        g = r["growth_extract"]
        lines.append("")
        lines.append("growth in pages of the stages before redaction (read, parse, fields; in-process, one process):")
        lines.append(f"  {'pages':>6}{'chars':>9}{'read':>8}{'parse':>8}{'fields':>8}{'s/page':>9}{'children':>9}"
                     f"{'peak MB':>9}")
        for x in g["per_doc"]:
            total = x["read"] + x["parse"] + x["understand"]
            lines.append(f"  {x['pages']:>6}{x['chars']:>9}{x['read']:>8.2f}{x['parse']:>8.2f}{x['understand']:>8.2f}"
                         f"{total / x['pages']:>9.3f}{x['children']:>9}{x['peak_mb']:>9.0f}")
        f = g["fit"]
        lines.append(f"  linear fit: {f['seconds_per_page']} s/page + {f['intercept']} s, R2 {f['r2']}")
    if r.get("targets"):
        lines.append("")
        lines.append("targets:")
        for k, v in r["targets"].items():
            lines.append(f"  {'PASS' if v['ok'] else 'FAIL'}  {k:24} {v['value']!s:28} (target {v['target']})")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
