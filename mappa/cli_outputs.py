"""The outputs commands: records import, the shred queue, what is due, the audit chain, key rotation.

``mappa.cli`` mounts these with ``register(app, settings_from, open_runtime)``; each command
takes ``--config PATH`` like every other command.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from ingest.vault import Vault, VaultError
from mappa.cli_options import ConfigOpt
from mappa.settings import Settings
from outputs import audit
from outputs.db import make_engine, migrate, sessions
from outputs.due import due_items
from outputs.importer import import_records
from outputs.schema import utcnow
from outputs.shred import confirm_shred, scrub, shred_queue


def register(app: typer.Typer, settings_from: Callable[[Path | None], Settings], _open_runtime: Callable[..., Any]) -> None:
    console = Console()
    records_app = typer.Typer(help="Children's-services records (children, subjects, links).", no_args_is_help=True)
    shred_app = typer.Typer(help="The shred queue: documents waiting for a named person to confirm destruction.",
                            no_args_is_help=True)
    audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
    keys_app = typer.Typer(help="The encryption key for the document store.", no_args_is_help=True)
    app.add_typer(records_app, name="records")
    app.add_typer(shred_app, name="shred")
    app.add_typer(audit_app, name="audit")
    app.add_typer(keys_app, name="keys")

    @contextmanager
    def store(config: Path | None) -> Iterator[tuple[Settings, Session]]:
        settings = settings_from(config)
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = make_engine(settings.database_url)
        migrate(engine)
        try:
            with sessions(engine)() as session:
                yield settings, session
        finally:
            engine.dispose()

    def vault_for(settings: Settings) -> Vault:
        try:
            return Vault(root=settings.vault_dir, key_path=settings.key_path)
        except VaultError as exc:
            console.print(f"[red]{exc}[/red]")
            raise typer.Exit(2) from None

    @records_app.command("import")
    def records_import(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True,
                                                            help="CSV in the fixed layout (see README)")],
                       config: ConfigOpt = None) -> None:
        """Upsert children, subjects and relationships from a CSV; nothing is written if any row is bad."""
        with store(config) as (_settings, session):
            result = import_records(session, file, actor="cli")
            if not result.ok:
                session.rollback()
                for err in result.errors:
                    console.print(f"[red]{err}[/red]")
                console.print(f"[red]nothing imported: {len(result.errors)} problem(s)[/red]")
                raise typer.Exit(1)
            session.commit()
        for kind in result.created:
            console.print(f"{kind}: {result.created[kind]} created, {result.updated[kind]} updated")

    @shred_app.command("list")
    def shred_list(config: ConfigOpt = None) -> None:
        """Documents queued for shredding."""
        with store(config) as (_settings, session):
            table = Table("id", "file", "type", "sha256", "queued", "why")
            for doc in shred_queue(session):
                table.add_row(str(doc.id), doc.filename, doc.doc_type or "", doc.sha256[:12],
                              f"{doc.placed_at:%Y-%m-%d %H:%M}" if doc.placed_at else "", doc.placement_reason)
            console.print(table)

    @shred_app.command("confirm")
    def shred_confirm(document_id: Annotated[int, typer.Argument(metavar="ID")],
                      by: Annotated[str, typer.Option("--by", help="the named person confirming destruction")],
                      reason: Annotated[str, typer.Option(help="why, if not the filing reason")] = "",
                      config: ConfigOpt = None) -> None:
        """Destroy a queued document's stored copies and keep a destruction record."""
        with store(config) as (settings, session):
            result = confirm_shred(session, vault_for(settings), document_id, by, utcnow(), reason)
            if not result.ok:
                session.rollback()
                for p in result.problems:
                    console.print(f"[red]{p}[/red]")
                raise typer.Exit(1)
            session.commit()
            scrub(session.get_bind().engine)
        console.print(f"document {document_id} destroyed ({len(result.destroyed)} stored copies) by {by}")

    @app.command("due")
    def due(days: Annotated[int, typer.Option("--days", min=0, help="look this many days ahead")] = 14,
            config: ConfigOpt = None) -> None:
        """Reviews and children's-services actions coming due (overdue ones first)."""
        with store(config) as (_settings, session):
            items = due_items(session, date.today(), days)
        table = Table("due", "what", "subject", "child", "detail")
        for item in items:
            style = "red" if item.overdue else None
            table.add_row(item.due.strftime("%d/%m/%Y"), item.kind, f"{item.subject_name} ({item.subject_ref})",
                          item.child_ref, item.text, style=style)
        console.print(table if items else f"nothing due in the next {days} days")

    @audit_app.command("verify")
    def audit_verify(config: ConfigOpt = None) -> None:
        """Check the audit chain; exit 1 if an entry was edited or deleted."""
        with store(config) as (_settings, session):
            problems = audit.verify(session)
            seq, head = audit.head(session)
        for p in problems:
            console.print(f"[red]{p}[/red]")
        if problems:
            raise typer.Exit(1)
        console.print(f"audit log intact: {seq} entries, head {head[:16]}")

    @keys_app.command("rotate")
    def keys_rotate(config: ConfigOpt = None) -> None:
        """Re-encrypt every stored document under a new key, then retire the old one."""
        settings = settings_from(config)
        count = vault_for(settings).rotate()
        with store(config) as (_settings, session):
            audit.record(session, "cli", "keys.rotate", str(settings.key_path), {"blobs": count,
                                                                             "at": datetime.now().isoformat()})
            session.commit()
        console.print(f"key rotated; {count} stored copies re-encrypted")
