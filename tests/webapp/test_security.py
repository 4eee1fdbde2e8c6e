"""Headers, cookies, secret key, no inline script, no traceback, OpenAPI covers every JSON route."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.security import SECRET_FILE

PAGES = ["/", "/?q=中试基地", "/who-leads?q=中试基地", "/network", "/queries", "/queries/top_collaborators?run=1",
         "/console", "/admin/", "/policies/nope", "/api/search?q=x", "/static/app.css"]


@pytest.mark.parametrize("path", PAGES)
def test_security_headers_on_every_response(client: FlaskClient, path: str) -> None:
    h = client.get(path).headers
    csp = h["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert h["X-Content-Type-Options"] == "nosniff" and h["X-Frame-Options"] == "DENY"
    assert h["Referrer-Policy"]


@pytest.mark.parametrize("path", [p for p in PAGES if not p.startswith(("/api/", "/static/"))])
def test_pages_have_no_inline_script_or_handlers(client: FlaskClient, path: str) -> None:
    html = client.get(path).get_data(as_text=True)
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), "no inline event handlers"
    assert " style=" not in html


def test_session_cookie_is_httponly_and_lax(client: FlaskClient) -> None:
    cookie = client.get("/").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_secret_key_is_generated_once_with_mode_600(app: Flask, make_app, sample) -> None:
    home = Path(app.extensions["policygraph"].home)
    key_file = home / SECRET_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert app.config["SECRET_KEY"] == key_file.read_text().strip()
    assert make_app(sample).config["SECRET_KEY"] == app.config["SECRET_KEY"]


def test_server_errors_show_no_traceback(app: Flask) -> None:
    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    @app.get("/api/boom")
    def api_boom() -> str:
        raise RuntimeError("secret internals")

    client = app.test_client()
    page = client.get("/boom")
    assert page.status_code == 500 and "服务器内部错误" in page.get_data(as_text=True)
    assert "secret internals" not in page.get_data(as_text=True) and "Traceback" not in page.get_data(as_text=True)
    assert client.get("/api/boom").get_json() == {"error": "服务器内部错误，请稍后再试。", "status": 500}


def test_openapi_describes_every_json_route(app: Flask, client: FlaskClient) -> None:
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.") and spec["paths"]["/api/cypher"]["post"]["requestBody"]
    documented = set(spec["paths"])
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") and rule.rule != "/api/openapi.json":
            assert re.sub(r"<(?:\w+:)?\w+>", "{id}", rule.rule) in documented, rule.rule
