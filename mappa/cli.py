"""The ``mappa`` command. Every command takes ``--config PATH`` (default ./mappa.toml or $MAPPA_CONFIG)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import select

from mappa import logs
from mappa.cli_options import ConfigOpt
from mappa.settings import Settings, SettingsError, load_settings

app = typer.Typer(help="mappa-docs: MAPPA documents in, child-safe summaries out.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
console = Console(stderr=True)


_global_config: list[Path | None] = [None]


@app.callback()
def _options(config: ConfigOpt = None) -> None:
    """Global options: ``mappa --config PATH COMMAND`` works for every command as well."""
    _global_config[0] = config


def settings_from(config: Path | None) -> Settings:
    config = config or _global_config[0]
    if config is None and Path("mappa.toml").exists():
        config = Path("mappa.toml")
    try:
        settings = load_settings(config)
    except SettingsError as exc:
        console.print(f"[red]Bad configuration[/red]\n{exc}")
        raise typer.Exit(2) from None
    logs.configure(settings.service.log_format)
    return settings


def open_runtime(settings: Settings):  # type: ignore[no-untyped-def]
    from mappa.service import Runtime, StartupError

    try:
        return Runtime.open(settings)
    except StartupError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None


@app.command()
def init(root: Annotated[Path, typer.Option(help="Folder to set up")] = Path("."), config: ConfigOpt = None) -> None:
    """Write a commented mappa.toml, the folders, the database and the encryption key (0600)."""
    from mappa.initialise import initialise

    try:
        path = initialise(root.resolve(), config)
    except SettingsError as exc:
        console.print(f"[red]Bad configuration[/red]\n{exc}")
        raise typer.Exit(2) from None
    console.print(f"Ready. Configuration: {path}")


@app.command()
def watch(
    config: ConfigOpt = None,
    once: Annotated[bool, typer.Option("--once", help="Process everything present, then exit")] = False,
) -> None:
    """Watch the configured folders and process every document that lands."""
    from mappa.service import StartupError, run_watch

    settings = settings_from(config)
    runtime = open_runtime(settings)
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        console=console, disable=not once or not console.is_terminal)
    task = progress.add_task("documents", total=None)
    claimed = finished = 0

    def on_event(kind: str, doc_id: int, detail: str) -> None:
        nonlocal claimed, finished
        if kind == "claimed":
            claimed += 1
        elif kind == "done":
            finished += 1
        progress.update(task, total=max(claimed, finished), completed=finished)

    try:
        with progress:
            run_watch(runtime, once=once, on_event=on_event)
    except StartupError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    if once:
        console.print(f"processed {finished} document(s)")


@app.command()
def status(
    config: ConfigOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output")] = False,
    state: Annotated[str | None, typer.Option(help="Only documents in this state")] = None,
) -> None:
    """List documents with their state, type and reasons."""
    from mappa.present import status_row
    from outputs.schema import Document

    runtime = open_runtime(settings_from(config))
    with runtime.sessions() as session:
        query = select(Document).order_by(Document.id)
        if state:
            query = query.where(Document.state == state)
        rows = [status_row(d) for d in session.scalars(query)]
    if as_json:
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return
    table = Table("id", "file", "state", "type", "reasons", title=f"{len(rows)} document(s)")
    for r in rows:
        reasons = "; ".join(r["reasons"]) or ("duplicate of " + str(r["duplicate_of"]) if r["duplicate_of"] else "")
        table.add_row(str(r["id"]), r["filename"], r["state"], r["doc_type"] or "", reasons)
    Console().print(table)


@app.command()
def show(doc_id: int, config: ConfigOpt = None,
         as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output")] = False) -> None:
    """Print one document as the service understood it (gold-file keys, with spans)."""
    from mappa.pipeline import load_facts, load_summaries
    from mappa.present import show as present
    from outputs.schema import Document

    runtime = open_runtime(settings_from(config))
    with runtime.sessions() as session:
        doc = session.get(Document, doc_id)
        if doc is None:
            console.print(f"[red]no document {doc_id}[/red]")
            raise typer.Exit(1)
        facts = load_facts(doc) if doc.facts_json else None
        # A duplicate shares its original's content hash, so it would find the original's summaries;
        # it was never processed itself, and says so.
        summaries = load_summaries(runtime.vault, doc) if doc.duplicate_of is None else ()
        out = present(doc, facts, summaries)
    if as_json:
        sys.stdout.write(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    else:
        Console().print_json(json.dumps(out, ensure_ascii=False))


def _mount_subcommands() -> None:
    """Sub-commands owned by other parts of the app (records, shred, audit, keys, due; users, serve; eval)."""
    from mappa import cli_eval, cli_outputs, cli_web

    for module in (cli_outputs, cli_web, cli_eval):
        module.register(app, settings_from, open_runtime)


_mount_subcommands()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
