"""The pages in headless Chromium, against the real app served by uvicorn on a free port.

Screenshots of every page go to ``test-artifacts/screenshots/`` for a person to look at.
A console listener fails any page that breaks its own Content-Security-Policy.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from sqlalchemy import select

from mappa.web import create_app
from outputs.records import Correction, Summary, User
from tests.web.world import OTHER_WORKER, PASSWORD, World, build_world

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, World]]:
    world = build_world(Path(tmp_path_factory.mktemp("browser")))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(world.runtime), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield f"http://127.0.0.1:{port}", world
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()


class Session:
    """One person's browser context; collects CSP violations and other console errors."""

    def __init__(self, browser: Browser, base: str) -> None:
        self.context: BrowserContext = browser.new_context(accept_downloads=True, locale="en-GB",
                                                            viewport={"width": 1280, "height": 900})
        self.page: Page = self.context.new_page()
        self.base = base
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

    def go(self, path: str) -> int:
        response = self.page.goto(self.base + path)
        assert response is not None
        return response.status

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    def login(self, username: str, password: str = PASSWORD) -> None:
        """By keyboard only: the fields, then Enter."""
        self.go("/login")
        self.page.focus("#username")
        self.page.keyboard.type(username)
        self.page.keyboard.press("Tab")
        self.page.keyboard.type(password)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def close(self) -> None:
        csp = [e for e in self.errors if "Content Security Policy" in e or "Refused" in e]
        self.context.close()
        assert not csp, csp


def test_every_other_page_for_a_person_to_look_at(site: tuple[str, World], browser: Browser) -> None:
    base, world = site
    visits = [("ada", "admin", ["/dashboard", "/documents", "/shred", "/letters", "/diary", "/audit", "/users"]),
              ("quinn", "qa", [f"/documents/{world.filed_doc}", "/review?reason=subject"]),
              ("remi", "representative", [f"/subjects/{world.subject_peter}", "/subjects", "/children",
                                          f"/children/{world.alice}"])]
    n = 20
    for user, role, paths in visits:
        s = Session(browser, base)
        s.login(user)
        for path in paths:
            assert s.go(path) == 200, path
            s.shot(f"{n:02d}-{role}-" + "".join(ch if ch.isalnum() else "-" for ch in path.strip("/")))
            n += 1
        if role == "representative":
            assert s.go("/shred") == 403 and s.go("/review") == 403
        s.close()


def test_qa_corrects_approves_and_the_worker_gets_the_summary(site: tuple[str, World], browser: Browser) -> None:
    base, world = site
    qa = Session(browser, base)
    qa.go("/login")
    qa.page.keyboard.press("Tab")
    assert qa.page.evaluate("document.activeElement.textContent") == "Skip to main content"
    qa.shot("01-login")
    qa.login("quinn")
    assert qa.page.url.endswith("/review")
    assert qa.page.locator("#queue").get_by_text("minutes-smythe.docx").is_visible()
    qa.shot("02-review-queue")
    qa.page.get_by_role("link", name="minutes-smythe.docx").click()
    assert qa.page.locator("mark#src-subjects-0-name").inner_text() == "SMYTHE"
    qa.shot("03-review-page")
    # Correct the misread name and the missed date of birth, by their labels.
    qa.page.get_by_label("subject 1: name", exact=True).fill("John SMYTHE")
    qa.page.get_by_label("subject 1: date of birth", exact=True).fill("1980-03-12")
    qa.page.click("#save-fields")
    assert "2 correction(s) saved." in qa.page.locator("p.ok").inner_text()
    qa.shot("04-review-corrected")
    qa.page.focus("#approve")
    with qa.page.expect_navigation():
        qa.page.keyboard.press("Enter")  # every action works from the keyboard
    assert qa.page.locator("#doc-state").inner_text() == "filed"
    assert qa.page.locator("#sum-status-0").inner_text() == "delivered"
    qa.shot("05-review-approved")
    qa.go("/qa/figures")
    assert qa.page.locator("#total-corrections").inner_text() == "2"
    assert qa.page.locator("svg.chart rect").count() == 12
    qa.shot("06-qa-figures")
    qa.close()
    with world.runtime.sessions() as session:
        fields = {c.field for c in session.scalars(select(Correction))}
        summary = session.scalars(select(Summary).where(Summary.document_id == world.review_doc)).one()
    assert {"subjects.0.name", "subjects.0.dob", "label"} <= fields
    assert summary.status == "delivered"

    sam = Session(browser, base)
    sam.login("sam")
    assert sam.page.url.endswith("/my")
    sam.shot("07-social-worker-home")
    sam.page.get_by_role("link", name="Summary of").first.click()
    text = sam.page.locator("#summary-text").inner_text()
    assert "high risk of sexual harm to female children" in text and "Snaresbrook" not in text
    sam.shot("08-social-worker-summary")
    with sam.page.expect_download() as download:
        sam.page.click("#docx-link")
    assert download.value.suggested_filename.endswith(".docx")
    sam.close()


def test_social_worker_is_refused_everything_else(site: tuple[str, World], browser: Browser) -> None:
    base, world = site
    sw = Session(browser, base)
    sw.login(OTHER_WORKER)
    assert "Bobby King" in sw.page.locator("main").inner_text()
    assert sw.go(f"/documents/{world.filed_doc}") == 403
    assert "Not allowed" in sw.page.locator("h1").inner_text()
    sw.shot("09-social-worker-403-full-document")
    assert sw.go(f"/my/children/{world.alice}") == 403
    sw.shot("10-social-worker-403-other-child")
    assert sw.go("/review") == 403
    assert sw.go(f"/my/children/{world.bobby}") == 200
    sw.close()


def test_lockout_after_failed_logins(site: tuple[str, World], browser: Browser) -> None:
    base, world = site
    s = Session(browser, base)
    for _ in range(world.settings.web.lockout_attempts):
        s.login("remi", "not the password")
    assert "locked" in s.page.locator("#login-error").inner_text()
    s.login("remi")  # the right password, too late
    assert "locked" in s.page.locator("#login-error").inner_text()
    assert s.page.url.startswith(base + "/login")
    s.shot("11-locked-out")
    s.close()
    with world.runtime.sessions() as session:
        assert session.scalars(select(User).where(User.username == "remi")).one().locked_until is not None
