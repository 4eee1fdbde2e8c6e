"""Web-app fixtures: the real app factory over the real `sample` graph and index, with a temp instance folder."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from graph.sandbox import SandboxEngine, SandboxStore
from settings import Settings
from tests.sample import Loaded

ADMIN_PASSWORD = "correct horse battery"
HUAIBEI_KJJ = "淮北市科学技术局"
HUAIBEI_CZJ = "淮北市财政局"
HUAIBEI_PLAN_TITLE = "淮北市加快科技成果"


@pytest.fixture(scope="session")
def admin_hash() -> str:
    return generate_password_hash(ADMIN_PASSWORD)


SANDBOX_REPLY_CAP = 8 * 1024 * 1024  # small, so a test can overrun it quickly


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxEngine]:
    """The real user-query engine (a second FalkorDB process with its watchdog), as `serve` starts it."""
    eng = SandboxEngine(tmp_path_factory.mktemp("sandbox"), timeout_ms=5000, row_cap=1000,
                        reply_cap_bytes=SANDBOX_REPLY_CAP).start()
    yield eng
    eng.stop()


@pytest.fixture
def make_app(tmp_path: Path, admin_hash: str, sandbox: SandboxEngine) -> Iterator[Callable[..., Flask]]:
    """An app over `loaded` whose instance folder is a temp dir; keyword args override settings/config.

    Console and saved queries run on the user-query engine, loaded from `loaded`'s graph, as in `serve`."""
    from webapp import create_app

    opened: list[SandboxStore] = []

    def make(loaded: Loaded, config: dict[str, Any] | None = None, **settings: Any) -> Flask:
        s = replace(Settings(), **{"home": tmp_path / "home", "admin_password_hash": admin_hash, **settings})
        user_store = SandboxStore(loaded.store, sandbox.data_dir, loaded.store._admin.name, s.query_timeout_ms)
        opened.append(user_store)
        return create_app({"TESTING": True, "SETTINGS": s, "GRAPH_STORE": loaded.store, "USER_STORE": user_store,
                           "SEARCH_INDEX": loaded.index, **(config or {})})

    yield make
    for user_store in opened:
        user_store.close()


@pytest.fixture
def app(make_app: Callable[..., Flask], sample: Loaded) -> Flask:
    return make_app(sample)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def csrf(client: FlaskClient, path: str = "/") -> str:
    """The CSRF token a page hands out (from its <meta name="csrf-token">)."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
    assert match, "every page carries a CSRF token"
    return match.group(1)


def sign_in(client: FlaskClient, password: str = ADMIN_PASSWORD) -> Any:
    """Sign in as admin through the real form."""
    return client.post("/admin/login", data={"password": password, "csrf_token": csrf(client, "/admin/")})


def find_id(client: FlaskClient, kind: str, q: str, title_part: str) -> str:
    """The id of the first search hit of `kind` whose title contains `title_part`."""
    hits = client.get("/api/search", query_string={"q": q, "type": kind}).get_json()["hits"]
    from core.text import to_simplified

    for hit in hits:
        if title_part in to_simplified(hit["title"]):
            return hit["id"]
    raise AssertionError(f"no {kind} titled like {title_part!r} in {[h['title'] for h in hits]}")
