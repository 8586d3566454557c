"""Accounts, sessions, CSRF and the role check every route goes through.

Sessions are a signed cookie (itsdangerous) holding the user id, a per-session CSRF token,
when it was issued and when it was last used. No session table exists, so the user row is
re-read on every request: a deactivated, locked or re-roled account loses access at once,
and a logout is made server-side by the audit log's ``auth.logout`` entry, which ends every
session of that user issued before it (a stolen cookie dies with the logout).

Default deny: a route is added only through ``Area.get``/``Area.post`` with an explicit
role list, and ``check_routes`` refuses to start an app holding any route without one.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.routing import APIRoute
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.routing import BaseRoute, Mount, Router

from outputs.records import ROLES, AuditEntry, User
from outputs.schema import utcnow

COOKIE = "mappa_session"
PUBLIC = "public"  # the marker for the few routes anyone may reach (the login page)
ANY_USER = ROLES  # every signed-in role
MAX_SESSION_HOURS = 12  # absolute limit, whatever the activity
Roles = tuple[str, ...]

_hasher = PasswordHasher()
# Verified against when the user does not exist, so a wrong name costs the same time as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return bool(password_hash) and _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class CurrentUser:
    """A snapshot of the signed-in user for one request."""

    id: int
    username: str
    role: str


@dataclass(frozen=True)
class LoginResult:
    user: CurrentUser | None
    message: str  # what the login page shows when user is None
    audit_action: str


def attempt_login(session: Session, username: str, password: str, *, attempts: int, lockout_minutes: int,
                  now: datetime) -> LoginResult:
    """Check a password, counting failures and locking the account after ``attempts`` in a row."""
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None or not user.active:
        verify_password(_DUMMY_HASH, password)
        return LoginResult(None, "Wrong user name or password.", "auth.login_failed")
    if user.locked_until is not None and user.locked_until > now:
        return LoginResult(None, "This account is locked after too many failed attempts. Try again later, "
                                 "or ask an administrator to unlock it.", "auth.login_locked")
    if not verify_password(user.password_hash, password):
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= attempts:
            user.locked_until = now + timedelta(minutes=lockout_minutes)
            user.failed_logins = 0
            return LoginResult(None, "This account is locked after too many failed attempts. Try again later, "
                                     "or ask an administrator to unlock it.", "auth.locked")
        return LoginResult(None, "Wrong user name or password.", "auth.login_failed")
    user.failed_logins = 0
    user.locked_until = None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return LoginResult(CurrentUser(user.id, user.username, user.role), "", "auth.login")


# -- the session cookie ---------------------------------------------------------------------------

@dataclass(frozen=True)
class SessionData:
    user_id: int | None
    csrf: str
    issued: float
    seen: float

    def to_json(self) -> dict[str, Any]:
        return {"u": self.user_id, "c": self.csrf, "i": self.issued, "s": self.seen}


class Sessions:
    """Signs and reads the session cookie."""

    def __init__(self, secret: bytes, idle_minutes: int, secure: bool,
                 clock: Callable[[], float] = time.time) -> None:
        self._signer = URLSafeTimedSerializer(secret, salt="mappa-web-session")
        self.idle_seconds = idle_minutes * 60
        self.secure = secure
        self.clock = clock

    def new(self, user_id: int | None) -> SessionData:
        ts = self.clock()
        return SessionData(user_id, secrets.token_urlsafe(32), ts, ts)

    def touch(self, data: SessionData) -> SessionData:
        return SessionData(data.user_id, data.csrf, data.issued, self.clock())

    def dumps(self, data: SessionData) -> str:
        return str(self._signer.dumps(data.to_json()))

    def loads(self, cookie: str | None) -> SessionData | None:
        """The session, or None when it is missing, forged, too old or idle too long."""
        if not cookie:
            return None
        try:
            raw = self._signer.loads(cookie, max_age=MAX_SESSION_HOURS * 3600)
            data = SessionData(raw["u"], str(raw["c"]), float(raw["i"]), float(raw["s"]))
        except (BadSignature, KeyError, TypeError, ValueError):
            return None
        if data.user_id is not None and self.clock() - data.seen > self.idle_seconds:
            return None
        return data

    def set_cookie(self, response: Any, data: SessionData) -> None:
        response.set_cookie(COOKIE, self.dumps(data), httponly=True, secure=self.secure, samesite="strict",
                            path="/", max_age=MAX_SESSION_HOURS * 3600)


def load_user(session: Session, data: SessionData) -> CurrentUser | None:
    """Re-check the account behind a session on every request."""
    if data.user_id is None:
        return None
    user = session.get(User, data.user_id)
    if user is None or not user.active or user.role not in ROLES:
        return None
    if user.locked_until is not None and user.locked_until > utcnow():
        return None
    # The audit log stores naive UTC.
    issued = datetime.fromtimestamp(data.issued, UTC).replace(tzinfo=None)
    logged_out = session.scalars(select(AuditEntry.id).where(
        AuditEntry.action == "auth.logout", AuditEntry.actor == user.username,
        AuditEntry.at >= issued).limit(1)).first()
    if logged_out is not None:
        return None
    return CurrentUser(user.id, user.username, user.role)


# -- the role check ---------------------------------------------------------------------------------

class NotSignedIn(Exception):
    """Raised by the guard on a GET without a session; the app answers with the login page."""


def guard(roles: Roles, check_csrf: bool) -> Callable[[Request], Awaitable[None]]:
    allowed = frozenset(roles)

    async def _check(request: Request) -> None:
        user: CurrentUser | None = getattr(request.state, "user", None)
        if check_csrf:
            form = await request.form()
            request.state.form = form
            sent = form.get("csrf_token")
            expected = getattr(request.state, "csrf", "")
            if not isinstance(sent, str) or not expected or not hmac.compare_digest(sent, expected):
                raise HTTPException(403, "The form's security token is missing or out of date. Go back, "
                                         "reload the page and try again.")
        if PUBLIC in allowed:
            return
        if user is None:
            if check_csrf:
                raise HTTPException(403, "Sign in first.")
            raise NotSignedIn()
        if user.role not in allowed:
            request.state.denied = True
            raise HTTPException(403, "Your role does not give access to this page.")

    return _check


class Area:
    """A router whose every route must name the roles allowed on it."""

    def __init__(self) -> None:
        self.router = APIRouter()

    def get(self, path: str, *, roles: Iterable[str], **kw: Any) -> Callable[[Any], Any]:
        return self._add("GET", path, tuple(roles), kw)

    def post(self, path: str, *, roles: Iterable[str], **kw: Any) -> Callable[[Any], Any]:
        return self._add("POST", path, tuple(roles), kw)

    def _add(self, method: str, path: str, roles: Roles, kw: dict[str, Any]) -> Callable[[Any], Any]:
        unknown = set(roles) - set(ROLES) - {PUBLIC}
        if not roles or unknown:
            raise ValueError(f"route {method} {path}: roles must be a non-empty subset of {ROLES} (got {roles})")

        def deco(fn: Any) -> Any:
            fn.__mappa_roles__ = roles
            self.router.add_api_route(path, fn, methods=[method],
                                      dependencies=[Depends(guard(roles, method == "POST"))], **kw)
            return fn

        return deco


def route_roles(route: APIRoute) -> Roles | None:
    return getattr(route.endpoint, "__mappa_roles__", None)


def api_routes(routes: Iterable[BaseRoute]) -> Iterator[APIRoute]:
    """Every API route, including those inside included routers (FastAPI keeps those nested)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", None) or route
        if inner is not route or isinstance(route, Mount | Router):
            yield from api_routes(getattr(inner, "routes", ()) or ())


def check_routes(app: FastAPI) -> None:
    """Default deny: refuse to run an app with any route that does not declare its roles."""
    bare = [f"{sorted(r.methods or ())} {r.path}" for r in api_routes(app.routes) if not route_roles(r)]
    if bare:
        raise RuntimeError("routes without a role list (refused): " + ", ".join(bare))
