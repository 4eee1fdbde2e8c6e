"""Web-app fixtures: the real app factory over the real `sample` graph and index, with a temp instance folder."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from settings import Settings
from tests.sample import Loaded

ADMIN_PASSWORD = "correct horse battery"
HUAIBEI_KJJ = "淮北市科学技术局"
HUAIBEI_CZJ = "淮北市财政局"
HUAIBEI_PLAN_TITLE = "淮北市加快科技成果"


@pytest.fixture(scope="session")
def admin_hash() -> str:
    return generate_password_hash(ADMIN_PASSWORD)


@pytest.fixture
def make_app(tmp_path: Path, admin_hash: str) -> Callable[..., Flask]:
    """An app over `loaded` whose instance folder is a temp dir; keyword args override settings/config."""
    from webapp import create_app

    def make(loaded: Loaded, config: dict[str, Any] | None = None, **settings: Any) -> Flask:
        s = replace(Settings(), **{"home": tmp_path / "home", "admin_password_hash": admin_hash, **settings})
        return create_app({"TESTING": True, "SETTINGS": s, "GRAPH_STORE": loaded.store,
                           "SEARCH_INDEX": loaded.index, **(config or {})})

    return make


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
    from loaders.normalise import to_simplified

    for hit in hits:
        if title_part in to_simplified(hit["title"]):
            return hit["id"]
    raise AssertionError(f"no {kind} titled like {title_part!r} in {[h['title'] for h in hits]}")
