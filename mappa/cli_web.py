"""``mappa serve`` and ``mappa users ...``: the web pages and their accounts."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from mappa.settings import Settings

if TYPE_CHECKING:
    from mappa.service import Runtime

from mappa.cli_options import ConfigOpt

MIN_PASSWORD = 12
console = Console(stderr=True)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        first = sys.stdin.readline().rstrip("\n")
    else:
        first = typer.prompt("Password", hide_input=True)
        if typer.prompt("Password again", hide_input=True) != first:
            console.print("[red]The passwords differ.[/red]")
            raise typer.Exit(1)
    if len(first) < MIN_PASSWORD:
        console.print(f"[red]A password needs at least {MIN_PASSWORD} characters.[/red]")
        raise typer.Exit(1)
    return first


def register(app: typer.Typer, settings_from: Callable[[Path | None], Settings],
             open_runtime: Callable[[Settings], Runtime]) -> None:
    users = typer.Typer(help="Web accounts: admin, qa, representative, social_worker.", no_args_is_help=True)
    app.add_typer(users, name="users")

    @app.command()
    def serve(config: ConfigOpt = None,
              port: Annotated[int | None, typer.Option(help="Port (default: web.port)")] = None) -> None:
        """Serve the web pages (QA review, records, shred queue, social workers' summaries)."""
        import uvicorn

        from mappa.web import create_app

        settings = settings_from(config)
        web = settings.web
        if not web.secure_cookies and web.host not in ("127.0.0.1", "localhost", "::1"):
            console.print("[yellow]web.secure_cookies is off on a non-local address: cookies will travel "
                          "without TLS.[/yellow]")
        uvicorn.run(create_app(open_runtime(settings)), host=web.host, port=port or web.port,
                    proxy_headers=False, server_header=False, log_level="info")

    @users.command("add")
    def add(name: str,
            role: Annotated[str, typer.Option("--role", help="admin, qa, representative or social_worker")],
            email: Annotated[str, typer.Option("--email", help="E-mail address")] = "",
            password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin")] = False,
            config: ConfigOpt = None) -> None:
        """Add an account (the password is asked for twice)."""
        from mappa.web import adapter
        from mappa.web.auth import hash_password
        from outputs.records import ROLES, User

        if role not in ROLES:
            console.print(f"[red]Unknown role {role!r}: use one of {', '.join(ROLES)}.[/red]")
            raise typer.Exit(2)
        runtime = open_runtime(settings_from(config))
        with runtime.sessions() as session:
            if session.scalars(select(User).where(User.username == name)).first() is not None:
                console.print(f"[red]There is already a user {name!r}.[/red]")
                raise typer.Exit(1)
            password = _password(password_stdin)
            session.add(User(username=name, role=role, email=email, password_hash=hash_password(password)))
            adapter.record(session, "cli", "user.add", f"user:{name}", {"role": role})
            session.commit()
        console.print(f"Added {name} ({role}).")

    @users.command("list")
    def list_(config: ConfigOpt = None) -> None:
        """List the accounts."""
        from outputs.records import User
        from outputs.schema import utcnow

        runtime = open_runtime(settings_from(config))
        now = utcnow()
        table = Table("user", "role", "e-mail", "active", "locked until (UTC)", "failed logins")
        with runtime.sessions() as session:
            for u in session.scalars(select(User).order_by(User.username)):
                locked = u.locked_until.strftime("%Y-%m-%d %H:%M") if u.locked_until and u.locked_until > now else ""
                table.add_row(u.username, u.role, u.email, "yes" if u.active else "no", locked, str(u.failed_logins))
        Console().print(table)

    @users.command("unlock")
    def unlock(name: str, config: ConfigOpt = None) -> None:
        """Clear an account's lock-out and failed-login count."""
        from mappa.web import adapter
        from outputs.records import User

        runtime = open_runtime(settings_from(config))
        with runtime.sessions() as session:
            user = session.scalars(select(User).where(User.username == name)).first()
            if user is None:
                console.print(f"[red]No user {name!r}.[/red]")
                raise typer.Exit(1)
            user.failed_logins, user.locked_until = 0, None
            adapter.record(session, "cli", "user.unlock", f"user:{name}")
            session.commit()
        console.print(f"Unlocked {name}.")
