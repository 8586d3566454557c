"""Sessions, CSRF, lock-out, idle time-out, logout, headers, and the default-deny check."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from mappa.web import create_app
from mappa.web.auth import COOKIE, Area, SessionData, Sessions, check_routes
from outputs.records import AuditEntry, Correction, User
from tests.web.conftest import SECRET, csrf_of, login
from tests.web.world import PASSWORD, World


def test_post_without_csrf_token_is_refused(client: TestClient, world: World) -> None:
    login(client, "quinn")
    page = client.get(f"/review/{world.review_doc}")
    fields = {"subjects.0.name": "John SMYTHE"}
    assert client.post(f"/review/{world.review_doc}/fields", data=fields).status_code == 403
    assert client.post(f"/review/{world.review_doc}/fields",
                       data={**fields, "csrf_token": "forged"}).status_code == 403
    with world.runtime.sessions() as session:
        assert session.scalars(select(Correction)).first() is None  # nothing stored by a refused form
    ok = client.post(f"/review/{world.review_doc}/fields", data={**fields, "csrf_token": csrf_of(page.text)},
                     follow_redirects=False)
    assert ok.status_code == 303


def test_login_form_needs_its_token_too(client: TestClient) -> None:
    r = client.post("/login", data={"username": "quinn", "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 403


def test_token_from_another_session_is_refused(app: FastAPI, world: World) -> None:
    a = login(TestClient(app, base_url="http://127.0.0.1"), "quinn")
    b = login(TestClient(app, base_url="http://127.0.0.1"), "quinn")
    token_a = csrf_of(a.get("/review").text)
    r = b.post(f"/review/{world.review_doc}/decision", data={"decision": "reject", "csrf_token": token_a})
    assert r.status_code == 403


def test_lockout_after_failed_logins(client: TestClient, world: World) -> None:
    attempts = world.settings.web.lockout_attempts
    for _ in range(attempts):
        page = client.get("/login")
        r = client.post("/login", data={"username": "remi", "password": "wrong", "csrf_token": csrf_of(page.text)})
        assert r.status_code == 401
    page = client.get("/login")
    r = client.post("/login", data={"username": "remi", "password": PASSWORD, "csrf_token": csrf_of(page.text)})
    assert r.status_code == 401 and "locked" in r.text  # the right password no longer opens it
    with world.runtime.sessions() as session:
        user = session.scalars(select(User).where(User.username == "remi")).one()
        assert user.locked_until is not None
        actions = [e.action for e in session.scalars(select(AuditEntry).where(AuditEntry.actor == "remi"))]
    assert actions.count("auth.login_failed") == attempts - 1 and "auth.locked" in actions
    assert "auth.login_locked" in actions
    # An administrator unlocks it; then the password works.
    admin = login(TestClient(client.app, base_url="http://127.0.0.1"), "ada")
    users_page = admin.get("/users")
    assert admin.post(f"/users/{world.users['remi']}/unlock",
                      data={"csrf_token": csrf_of(users_page.text)}).status_code == 200
    login(client, "remi")


def test_wrong_user_name_gives_the_same_answer(client: TestClient) -> None:
    page = client.get("/login")
    r = client.post("/login", data={"username": "nobody", "password": "x", "csrf_token": csrf_of(page.text)})
    assert r.status_code == 401 and "Wrong user name or password" in r.text


def test_idle_session_expires(world: World) -> None:
    now = [1_000_000.0]
    app = create_app(world.runtime, secret=SECRET, clock=lambda: now[0])
    c = login(TestClient(app, base_url="http://127.0.0.1"), "quinn")
    assert c.get("/review", follow_redirects=False).status_code == 200
    now[0] += world.settings.web.session_idle_minutes * 60 - 5
    assert c.get("/review", follow_redirects=False).status_code == 200  # activity keeps it alive
    now[0] += world.settings.web.session_idle_minutes * 60 + 1
    r = c.get("/review", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_forged_or_replayed_cookie(app: FastAPI, world: World) -> None:
    forged = Sessions(b"someone else's key", 30, False).dumps(SessionData(world.users["quinn"], "t", 0, 1e12))
    c = TestClient(app, base_url="http://127.0.0.1", cookies={COOKIE: forged})
    assert c.get("/review", follow_redirects=False).status_code == 303
    # Sign in, keep the cookie, sign out: the kept cookie is dead too.
    q = login(TestClient(app, base_url="http://127.0.0.1"), "quinn")
    kept = q.cookies[COOKIE]
    q.post("/logout", data={"csrf_token": csrf_of(q.get("/review").text)})
    stolen = TestClient(app, base_url="http://127.0.0.1", cookies={COOKIE: kept})
    assert stolen.get("/review", follow_redirects=False).status_code == 303


def test_deactivated_or_rerolled_user_loses_access_at_once(client: TestClient, world: World) -> None:
    login(client, "remi")
    assert client.get(f"/subjects/{world.subject_john}").status_code == 200
    with world.runtime.sessions() as session:
        session.scalars(select(User).where(User.username == "remi")).one().role = "social_worker"
        session.commit()
    assert client.get(f"/subjects/{world.subject_john}").status_code == 403
    with world.runtime.sessions() as session:
        session.scalars(select(User).where(User.username == "remi")).one().active = False
        session.commit()
    assert client.get("/my", follow_redirects=False).status_code == 303


def test_cookie_flags_and_security_headers(world: World) -> None:
    world_settings = world.settings.model_copy(update={"web": world.settings.web.model_copy(
        update={"secure_cookies": True})})
    runtime = type(world.runtime)(world_settings, world.runtime.sessions, world.runtime.vault, world.runtime.folders)
    c = TestClient(create_app(runtime, secret=SECRET), base_url="https://127.0.0.1")
    r = c.get("/login")
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" in cookie
    assert r.headers["content-security-policy"].startswith("default-src 'self'")
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["cache-control"] == "no-store"
    assert "<script" not in r.text


def test_no_open_redirect_after_login(client: TestClient) -> None:
    page = client.get("/login?next=//evil.example/x")
    r = client.post("/login", data={"username": "quinn", "password": PASSWORD, "csrf_token": csrf_of(page.text),
                                    "next": "https://evil.example/"}, follow_redirects=False)
    assert r.headers["location"] == "/review"


def test_sign_in_returns_to_the_page_asked_for(client: TestClient, world: World) -> None:
    r = client.get(f"/subjects/{world.subject_john}", follow_redirects=False)
    assert r.status_code == 303
    page = client.get(r.headers["location"])
    r = client.post("/login", data={"username": "remi", "password": PASSWORD, "csrf_token": csrf_of(page.text),
                                    "next": f"/subjects/{world.subject_john}"}, follow_redirects=False)
    assert r.headers["location"] == f"/subjects/{world.subject_john}"


def test_a_route_without_roles_stops_the_app(app: FastAPI) -> None:
    @app.get("/forgotten")
    def forgotten() -> str:
        return "secret"

    with pytest.raises(RuntimeError, match="/forgotten"):
        check_routes(app)
    with pytest.raises(ValueError):
        Area().get("/x", roles=())
    with pytest.raises(ValueError):
        Area().get("/x", roles=("superuser",))
