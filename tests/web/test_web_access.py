"""Every route x every role: who may reach what (POLICY.md section 4 "Access").

The expected matrix is written out here, separately from the code's role lists, so a route
whose roles drift fails this test; and every route the app serves must appear here, so a new
route cannot slip in untested.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from mappa.web import create_app
from mappa.web.auth import api_routes
from outputs.records import AuditEntry
from tests.web.conftest import SECRET, csrf_of, login
from tests.web.world import OTHER_WORKER, ROLE_USERS, World, build_world

A, Q, R, S = "admin", "qa", "representative", "social_worker"
EVERYONE = {A, Q, R, S}

# (method, path template) -> roles allowed. Anyone else: 403 (anonymous GET: sent to sign in).
EXPECTED: dict[tuple[str, str], set[str]] = {
    ("GET", "/login"): EVERYONE | {"anonymous"},
    ("POST", "/login"): EVERYONE | {"anonymous"},
    ("POST", "/logout"): EVERYONE,
    ("GET", "/"): EVERYONE,
    ("GET", "/dashboard"): {A, Q, R},
    ("GET", "/documents"): {A, Q, R},
    ("GET", "/documents/{doc_id}"): {Q, R},
    ("GET", "/documents/{doc_id}/original"): {Q, R},
    ("GET", "/review"): {Q},
    ("GET", "/review/{doc_id}"): {Q},
    ("POST", "/review/{doc_id}/fields"): {Q},
    ("POST", "/review/{doc_id}/decision"): {Q},
    ("GET", "/subjects"): {Q, R},
    ("GET", "/subjects/{subject_id}"): {Q, R},
    ("GET", "/children"): {Q, R},
    ("GET", "/children/{child_id}"): {Q, R},
    ("GET", "/diary"): {A, Q, R},
    ("GET", "/letters"): {A, Q, R},
    ("GET", "/letters/{letter_id}/file"): {A, Q, R},
    ("POST", "/letters/{letter_id}/sent"): {A, Q, R},
    ("GET", "/shred"): {A, Q},
    ("POST", "/shred/{doc_id}"): {A, Q},
    ("GET", "/qa/figures"): {Q},
    ("GET", "/audit"): {A, Q},
    ("GET", "/users"): {A},
    ("POST", "/users/{user_id}/unlock"): {A},
    ("GET", "/my"): {S},
    ("GET", "/my/children/{child_id}"): {S},
    ("GET", "/my/summaries/{summary_id}"): {S},
    ("GET", "/my/summaries/{summary_id}/docx"): {S},
}


@pytest.fixture(scope="module")
def matrix_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    w = build_world(Path(tmp_path_factory.mktemp("matrix")))
    yield w


@pytest.fixture(scope="module")
def clients(matrix_world: World) -> Iterator[dict[str, TestClient]]:
    app = create_app(matrix_world.runtime, secret=SECRET)
    out = {"anonymous": TestClient(app, base_url="http://127.0.0.1")}
    users = {**ROLE_USERS, S: OTHER_WORKER}  # the social worker of Bobby, whose summary was delivered
    for role, name in users.items():
        out[role] = login(TestClient(app, base_url="http://127.0.0.1"), name)
    yield out


def _path(template: str, w: World, method: str) -> str:
    # POSTs that would change something use ids that do not exist: the role check comes first,
    # and an allowed role then gets 404, never 403.
    ids = {"doc_id": w.review_doc, "subject_id": w.subject_john, "child_id": w.bobby, "summary_id": w.bobby_summary,
           "letter_id": 1, "user_id": w.users["ada"]}
    if method == "POST":
        ids.update(doc_id=99999, letter_id=99999, user_id=99999)
    return template.format(**ids)


def test_every_route_is_in_the_matrix(matrix_world: World) -> None:
    app = create_app(matrix_world.runtime, secret=SECRET)
    served = {(m, r.path) for r in api_routes(app.routes) for m in r.methods}
    assert served == set(EXPECTED)
    # Cross-check with FastAPI's own list (independent of our walker).
    listed = {(m.upper(), path) for path, ops in app.openapi()["paths"].items() for m in ops}
    assert listed == set(EXPECTED)


@pytest.mark.parametrize("route", sorted(EXPECTED), ids=lambda r: f"{r[0]} {r[1]}")
def test_route_for_every_role(route: tuple[str, str], matrix_world: World, clients: dict[str, TestClient]) -> None:
    method, template = route
    path = _path(template, matrix_world, method)
    for who, client in clients.items():
        if template in ("/login", "/logout") and method == "POST":
            continue  # signing in and out change the client's session; covered in test_web_security
        if method == "POST":
            token = csrf_of(client.get("/login").text) if who == "anonymous" else csrf_of(client.get("/").text)
            r = client.post(path, data={"csrf_token": token}, follow_redirects=False)
        else:
            r = client.get(path, follow_redirects=False)
        allowed = who in EXPECTED[route]
        if allowed:
            assert r.status_code in (200, 303, 400, 404), f"{who} {method} {path}: {r.status_code}"
            if r.status_code == 303:
                assert not r.headers["location"].startswith("/login"), f"{who} {method} {path} sent to sign in"
        elif who == "anonymous" and method == "GET":
            assert r.status_code == 303 and r.headers["location"].startswith("/login"), f"{method} {path}"
        else:
            assert r.status_code == 403, f"{who} {method} {path}: {r.status_code} (expected 403)"


def test_social_worker_sees_only_their_own_child(matrix_world: World, clients: dict[str, TestClient]) -> None:
    sasha = clients[S]  # Bobby's worker
    mine = sasha.get(f"/my/summaries/{matrix_world.bobby_summary}")
    assert mine.status_code == 200 and "poses a medium risk of violence" in mine.text
    assert "Elm Road" not in mine.text  # the removed address never reaches the worker
    docx = sasha.get(f"/my/summaries/{matrix_world.bobby_summary}/docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert sasha.get(f"/my/children/{matrix_world.alice}").status_code == 403  # another worker's child
    assert sasha.get(f"/my/children/{matrix_world.bobby}").status_code == 200
    assert sasha.get(f"/documents/{matrix_world.filed_doc}").status_code == 403  # his own child's full minutes
    assert sasha.get(f"/documents/{matrix_world.filed_doc}/original").status_code == 403
    assert sasha.get("/review").status_code == 403
    assert sasha.get(f"/subjects/{matrix_world.subject_peter}").status_code == 403
    listing = sasha.get("/my").text
    assert "Bobby King" in listing and "Alice Brown" not in listing


def test_sam_cannot_read_bobbys_summary(matrix_world: World) -> None:
    app = create_app(matrix_world.runtime, secret=SECRET)
    sam = login(TestClient(app, base_url="http://127.0.0.1"), ROLE_USERS[S])
    assert sam.get(f"/my/summaries/{matrix_world.bobby_summary}").status_code == 403
    assert sam.get(f"/my/summaries/{matrix_world.bobby_summary}/docx").status_code == 403
    # Alice's summary is waiting for review: not delivered, so not shown to her worker yet.
    assert "No MAPPA summaries" in sam.get(f"/my/children/{matrix_world.alice}").text


def test_admin_gets_letters_but_not_minutes(matrix_world: World, clients: dict[str, TestClient]) -> None:
    admin = clients[A]
    r = admin.get("/letters/1/file")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    docs = admin.get("/documents").text
    assert "minutes-smythe.docx" in docs and "low confidence" not in docs  # what happened, not what it says
    assert admin.get(f"/documents/{matrix_world.review_doc}").status_code == 403


def test_views_downloads_and_denials_are_audited(matrix_world: World, clients: dict[str, TestClient]) -> None:
    clients[R].get(f"/subjects/{matrix_world.subject_john}")
    clients[R].get(f"/documents/{matrix_world.filed_doc}/original")
    clients[S].get(f"/my/summaries/{matrix_world.bobby_summary}/docx")
    clients[S].get(f"/documents/{matrix_world.filed_doc}")
    with matrix_world.runtime.sessions() as session:
        seen = {(e.actor, e.action, e.object) for e in session.scalars(select(AuditEntry))}
    assert ("remi", "subject.view", f"subject:{matrix_world.subject_john}") in seen
    assert ("remi", "document.download", f"document:{matrix_world.filed_doc}") in seen
    assert (OTHER_WORKER, "summary.download", f"summary:{matrix_world.bobby_summary}") in seen
    assert (OTHER_WORKER, "access.denied", f"/documents/{matrix_world.filed_doc}") in seen
