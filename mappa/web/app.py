"""The web app: ``create_app(runtime)``.

Server-rendered pages, no JavaScript. Every response carries the security headers; every
page but the static CSS goes through the session middleware (which re-reads the user) and
the route's own role check (``auth.Area``).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from fastapi import FastAPI, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from ingest.vault import atomic_write
from mappa.service import Runtime
from mappa.web import adapter
from mappa.web.auth import COOKIE, CurrentUser, NotSignedIn, SessionData, Sessions, check_routes, load_user
from mappa.web.common import STATIC, TEMPLATES, WebContext, render
from mappa.web.routes import ALL_AREAS

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def session_secret(runtime: Runtime) -> bytes:
    """The cookie-signing key, beside the encryption key (outside the data folder), created once."""
    path = runtime.settings.key_path.parent / "web-session.key"
    if not path.exists():
        import secrets

        atomic_write(path, secrets.token_hex(32).encode(), mode=0o600)
    return path.read_bytes().strip()


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def create_app(runtime: Runtime, *, secret: bytes | None = None, clock: Callable[[], float] = time.time) -> FastAPI:
    web_settings = runtime.settings.web
    app = FastAPI(title="mappa-docs", docs_url=None, redoc_url=None, openapi_url=None)
    templates = Jinja2Templates(directory=str(TEMPLATES))
    sessions = Sessions(secret or session_secret(runtime), web_settings.session_idle_minutes,
                        web_settings.secure_cookies, clock)
    app.state.web = WebContext(runtime, sessions, templates,
                               lambda: datetime.fromtimestamp(clock(), UTC).replace(tzinfo=None))
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    for area in ALL_AREAS:
        app.include_router(area.router)
    check_routes(app)

    def _user_for(data: SessionData) -> CurrentUser | None:
        with runtime.sessions() as session:
            return load_user(session, data)

    @app.middleware("http")
    async def sessions_and_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        if request.url.path.startswith("/static/"):
            response = await call_next(request)
            response.headers.update(SECURITY_HEADERS)
            return response
        data = sessions.loads(request.cookies.get(COOKIE))
        user = None
        if data is not None and data.user_id is not None:
            user = await run_in_threadpool(_user_for, data)
            if user is None:
                data = None
        if data is None:
            data = sessions.new(None)
        request.state.user, request.state.csrf = user, data.csrf
        response = await call_next(request)
        replacement: SessionData | None = getattr(request.state, "new_session", None)
        sessions.set_cookie(response, replacement or sessions.touch(data))
        response.headers.update(SECURITY_HEADERS)
        # Restricted content must not stay in a shared computer's browser cache.
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
        return response

    @app.exception_handler(NotSignedIn)
    async def _to_login(request: Request, _exc: NotSignedIn) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        from urllib.parse import quote

        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def _error_page(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 403 and getattr(request.state, "denied", False):
            def _log() -> None:
                with runtime.sessions() as session:
                    user = request.state.user
                    adapter.record(session, user.username, "access.denied", request.url.path,
                                   {"method": request.method, "role": user.role})
                    session.commit()
            await run_in_threadpool(_log)
        return render(request, "error.html", status=exc.status_code, code=exc.status_code,
                      message=exc.detail if isinstance(exc.detail, str) else "")

    return app

