"""Signing in and out, and each role's home page."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from mappa.web.auth import ANY_USER, PUBLIC, Area, attempt_login
from mappa.web.common import audit, ctx, db, form, render, user_of

area = Area()
HOME = {"admin": "/dashboard", "qa": "/review", "representative": "/dashboard", "social_worker": "/my"}


def _safe_next(target: str) -> str:
    """Only a path on this site: never an absolute URL or '//host' (an open redirect)."""
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or parts.scheme or parts.netloc or "\\" in target:
        return ""
    return target


@area.get("/login", roles=(PUBLIC,))
def login_page(request: Request, next: str = "") -> Response:
    if getattr(request.state, "user", None) is not None:
        return RedirectResponse(_safe_next(next) or HOME[request.state.user.role], status_code=303)
    return render(request, "login.html", next=_safe_next(next), message="", username="")


@area.post("/login", roles=(PUBLIC,))
def login(request: Request) -> Response:
    data = form(request)
    username = data.get("username", "").strip()
    settings = ctx(request).runtime.settings.web
    with db(request) as session:
        result = attempt_login(session, username, data.get("password", ""), attempts=settings.lockout_attempts,
                               lockout_minutes=settings.lockout_minutes, now=ctx(request).now())
        from mappa.web import adapter

        adapter.record(session, username or "anonymous", result.audit_action, f"user:{username}",
                       {"client": request.client.host if request.client else ""})
        session.commit()
    if result.user is None:
        return render(request, "login.html", status=401, next=_safe_next(data.get("next", "")),
                      message=result.message, username=username)
    # A fresh session (and CSRF token) at sign-in: a token planted before it is worthless.
    request.state.new_session = ctx(request).sessions.new(result.user.id)
    return RedirectResponse(_safe_next(data.get("next", "")) or HOME[result.user.role], status_code=303)


@area.post("/logout", roles=ANY_USER)
def logout(request: Request) -> Response:
    with db(request) as session:
        audit(session, request, "auth.logout", f"user:{user_of(request).username}")
        session.commit()
    request.state.new_session = ctx(request).sessions.new(None)
    return RedirectResponse("/login", status_code=303)


@area.get("/", roles=ANY_USER)
def home(request: Request) -> Response:
    return RedirectResponse(HOME[user_of(request).role], status_code=303)
