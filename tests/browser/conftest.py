"""Browser fixtures: the real app served by werkzeug in a thread, driven by Debian's headless Chromium."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from werkzeug.security import generate_password_hash
from werkzeug.serving import BaseWSGIServer, make_server

from settings import ROOT, Settings
from tests.sample import Loaded

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts"
VIEWPORTS = {"laptop": {"width": 1366, "height": 768}, "tablet": {"width": 1024, "height": 768},
             "tablet-portrait": {"width": 768, "height": 1024}}
ADMIN_PASSWORD = "browser-admin-pass"


class LiveServer:
    """The real app on 127.0.0.1 and a free port, in a daemon thread."""

    def __init__(self, loaded: Loaded, home: Path) -> None:
        from webapp import create_app

        settings = replace(Settings(), home=home, admin_password_hash=generate_password_hash(ADMIN_PASSWORD))
        app = create_app({"SETTINGS": settings, "GRAPH_STORE": loaded.store, "SEARCH_INDEX": loaded.index})
        self.server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        pytest.fail("/usr/bin/chromium is missing: run `make browser` (apt-get install chromium chromium-driver)")
    if not (ROOT / "webapp/static/vendor/cytoscape.min.js").exists():
        pytest.fail("webapp/static/vendor/cytoscape.min.js is missing: run `make test` (npm ci + copy)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def live(sample: Loaded, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = LiveServer(sample, sample.home or tmp_path_factory.mktemp("live-home"))  # with the sample's load log
    yield server
    server.stop()


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """New pages that record dialogs, page errors and CSP violations; all closed afterwards."""
    contexts: list[Any] = []

    def make(viewport: str = "laptop") -> Any:
        ctx = browser.new_context(viewport=VIEWPORTS[viewport], accept_downloads=True)
        contexts.append(ctx)
        page = ctx.new_page()
        page.dialogs, page.problems = [], []
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: page.problems.append(f"page error: {e}{_where(e)}"))
        page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
        page.set_default_timeout(15_000)
        return page

    yield make
    for ctx in contexts:
        ctx.close()


def shot(page: Any, name: str) -> Path:
    """Save a screenshot of the visible viewport under test-artifacts/."""
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def _where(error: Any) -> str:
    """Where a page error was thrown (the first frame of its stack), so that a rare one can be traced."""
    frames = (getattr(error, "stack", None) or "").splitlines()[1:2]
    return f" at {frames[0].strip()}" if frames else ""


def wait_until(page: Any, expression: str, timeout: float = 15.0) -> Any:
    """Poll a JS expression until truthy (page.wait_for_function compiles strings, which our CSP forbids)."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for: {expression}")
        page.wait_for_timeout(100)
