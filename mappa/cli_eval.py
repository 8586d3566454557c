"""``mappa eval DIR``: score the real pipeline on a folder of documents with gold files.

The run happens in a fresh temporary workspace (its own database, key and inbox) so that an
evaluation never touches a council's records; ``records.csv`` in DIR, if present, is imported
first so that matching and linking behave as they would against real records.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from sqlalchemy import select

from mappa.settings import Settings, load_settings


def run_eval(directory: Path, workspace: Path, base: Settings | None = None) -> dict[str, Any]:
    from mappa.evaluate import EvalCase, score
    from mappa.initialise import initialise
    from mappa.pipeline import load_facts, load_summaries
    from mappa.present import show
    from mappa.service import Runtime, run_watch
    from outputs.importer import import_records
    from outputs.schema import Document

    golds = {p.name[: -len(".gold.json")]: p for p in directory.glob("*.gold.json")}
    documents = [p for p in sorted(directory.iterdir())
                 if p.is_file() and not p.name.endswith(".gold.json") and p.stem in golds]
    config = initialise(workspace)
    environ = dict(os.environ)
    environ.update({"MAPPA_SERVICE__SETTLE_SECONDS": "0", "MAPPA_SERVICE__POLL_INTERVAL_SECONDS": "0.05"})
    if base is not None:
        environ.setdefault("MAPPA_POLICY__FULL_DOCUMENT", base.policy.full_document)
    settings = load_settings(config, environ=environ)
    runtime = Runtime.open(settings)
    if (directory / "records.csv").exists():
        with runtime.sessions() as session:
            import_records(session, directory / "records.csv")
            session.commit()
    inbox = settings.watch_paths()[0][1]
    for doc in documents:
        shutil.copy2(doc, inbox / doc.name)
    started = time.monotonic()
    run_watch(runtime, once=True)
    elapsed = time.monotonic() - started
    cases: list[EvalCase] = []
    with runtime.sessions() as session:
        rows = {d.filename: d for d in session.scalars(select(Document).where(Document.parent_id.is_(None)))}
        for doc in documents:
            row = rows.get(doc.name)
            gold = json.loads(golds[doc.stem].read_text())
            if row is None:
                shown: dict[str, Any] = {"filename": doc.name, "doc_type": None, "state": "missing", "reasons": [],
                                         "fields": {}, "summaries": []}
                cases.append(EvalCase(gold=gold, result=shown, name=doc.name, pages=0, seconds=0.0))
                continue
            facts = load_facts(row) if row.facts_json else None
            shown = show(row, facts, load_summaries(runtime.vault, row))
            cases.append(EvalCase(gold=gold, result=shown, name=doc.name, pages=row.pages or 1, seconds=row.seconds or 0.0))
    result = score(cases)
    result["wall_seconds"] = round(elapsed, 2)
    return result


def register(app: typer.Typer, settings_from: Callable[[Path | None], Settings], _open_runtime: Callable[..., Any]) -> None:
    @app.command("eval")
    def eval_command(
        directory: Annotated[Path, typer.Argument(help="Folder of documents with STEM.gold.json beside each")],
        config: Annotated[Path | None, typer.Option("--config", "-c", help="Path to mappa.toml",
                                                    envvar="MAPPA_CONFIG")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output")] = False,
        keep: Annotated[Path | None, typer.Option(help="Keep the workspace in this folder")] = None,
    ) -> None:
        """Score the service on DIR (gold files beside the documents) in a temporary workspace."""
        from mappa.evaluate import render_table

        base = settings_from(config) if config else None
        if keep:
            keep.mkdir(parents=True, exist_ok=True)
            result = run_eval(directory.resolve(), keep.resolve(), base)
        else:
            with tempfile.TemporaryDirectory(prefix="mappa-eval-") as tmp:
                result = run_eval(directory.resolve(), Path(tmp), base)
        if as_json:
            sys.stdout.write(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n")
        else:
            Console().print(render_table(result))
