"""What every page needs: the app's context, rendering, the signed-in user, audit, time."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from mappa.service import Runtime
from mappa.web import adapter
from mappa.web.auth import CurrentUser, Sessions

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"

# The navigation, as data: (path, label, roles that see the link). The link list is a
# convenience only; every route checks the role itself.
NAV: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("/dashboard", "Dashboard", ("admin", "qa", "representative")),
    ("/documents", "Documents", ("admin", "qa", "representative")),
    ("/review", "Review queue", ("qa",)),
    ("/subjects", "Subjects", ("qa", "representative")),
    ("/children", "Children", ("qa", "representative")),
    ("/diary", "Diary", ("admin", "qa", "representative")),
    ("/letters", "Letters", ("admin", "qa", "representative")),
    ("/shred", "Shred queue", ("admin", "qa")),
    ("/qa/figures", "QA figures", ("qa",)),
    ("/audit", "Audit log", ("admin", "qa")),
    ("/users", "Users", ("admin",)),
    ("/my", "My children", ("social_worker",)),
)


@dataclass
class WebContext:
    runtime: Runtime
    sessions: Sessions
    templates: Jinja2Templates
    now: Callable[[], datetime]  # naive UTC, the store's convention


def ctx(request: Request) -> WebContext:
    return request.app.state.web  # type: ignore[no-any-return]


def user_of(request: Request) -> CurrentUser:
    user: CurrentUser | None = getattr(request.state, "user", None)
    if user is None:  # the guard has run before any page: this is a programming error, so deny
        raise HTTPException(403, "Sign in first.")
    return user


@contextmanager
def db(request: Request) -> Iterator[Session]:
    with ctx(request).runtime.sessions() as session:
        yield session


def audit(session: Session, request: Request, action: str, obj: str = "", detail: str | dict[str, object] = "") -> None:
    user = getattr(request.state, "user", None)
    adapter.record(session, user.username if user else "anonymous", action, obj, detail)


def form(request: Request) -> dict[str, str]:
    raw = getattr(request.state, "form", None)
    if raw is None:
        return {}
    return {k: v for k, v in raw.items() if isinstance(v, str)}


def render(request: Request, name: str, status: int = 200, **values: Any) -> HTMLResponse:
    user = getattr(request.state, "user", None)
    nav = [(path, label) for path, label, roles in NAV if user is not None and user.role in roles]
    values.update(request=request, user=user, csrf=getattr(request.state, "csrf", ""), nav=nav,
                  council=ctx(request).runtime.settings.service.council_name, path=request.url.path)
    return ctx(request).templates.TemplateResponse(request, name, values, status_code=status)


def not_found(what: str) -> HTTPException:
    return HTTPException(404, f"There is no {what} with that number.")
