"""XSS payloads planted in a document and typed into the console stay inert in a real browser."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.engine import EmbeddedEngine
from tests.browser.conftest import LiveServer, shot
from tests.sample import Loaded, load_sample
from tests.webapp.test_xss import write_xss_doc


@pytest.fixture
def planted(engine: EmbeddedEngine, tmp_path: Path) -> Iterator[tuple[Loaded, LiveServer]]:
    loaded = load_sample(engine, tmp_path / "index", [write_xss_doc(tmp_path / "docs")])
    server = LiveServer(loaded, tmp_path / "home")
    yield loaded, server
    server.stop()
    loaded.index.close()
    loaded.store._admin.delete()


def test_planted_document_is_inert(planted: tuple[Loaded, LiveServer], open_page) -> None:
    loaded, live = planted
    page: Any = open_page("laptop")
    doc = loaded.summary.ids[str(loaded.files[0])]
    for path in (f"/policies/{doc}", "/?q=中试基地", "/who-leads?q=中试基地",
                 "/queries/lead_departments_by_keyword?keyword=中试基地&run=1"):
        page.goto(live.url + path)
        page.wait_for_load_state("networkidle")
    page.goto(live.url + f"/policies/{doc}")
    assert "<script>alert(1)</script>" in page.inner_text("h1")  # shown as text
    shot(page, "10-xss-policy-laptop")
    assert page.dialogs == []


def test_console_payload_is_inert(planted: tuple[Loaded, LiveServer], open_page) -> None:
    _, live = planted
    page: Any = open_page("laptop")
    page.goto(live.url + "/console")
    page.fill("#cypher", "RETURN '<img src=x onerror=alert(1)>' AS a, '<script>alert(2)</script>' AS b")
    page.fill("#cypher-params", "")
    page.click("#run")
    page.wait_for_selector("#console-table tbody tr")
    assert page.inner_text("#console-table tbody td") == "<img src=x onerror=alert(1)>"
    page.goto(live.url + "/console?query=" + "RETURN%20'%3C/textarea%3E%3Cscript%3Ealert(3)%3C/script%3E'")
    page.click("#run")
    page.wait_for_selector("#console-table tbody tr")
    shot(page, "11-xss-console-laptop")
    assert page.dialogs == []
