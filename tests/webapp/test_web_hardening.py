"""Issue 21, web items: allowed hosts, logout that ends the session server-side, one rate limit and one
sign-in throttle for all web processes, and a 4xx (never a 500) for malformed requests — all through the real app."""

from __future__ import annotations

import http.client
import json
import logging
import multiprocessing
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from settings import ROOT, Settings, load_settings
from tests.sample import SEEDS
from tests.webapp.conftest import csrf, sign_in
from webapp.hosts import allowed_hosts
from webapp.statestore import StateStore

REFUSED_HOST = "请求的主机名不在允许列表中"

# --- allowed hosts -----------------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example",
                                  "localhost.evil.example:8000", "[::2]:8000", "[::1]x", "localhost:0",
                                  "localhost:99999", "exa mple", "", "locaIhost"])
def test_a_request_for_another_host_gets_a_chinese_400(client: FlaskClient, host: str) -> None:
    """DNS rebinding: the browser sends the attacker's name as Host; JSON under /api/, a page elsewhere,
    and before anything else (a form post is refused for its host, not for its missing CSRF token)."""
    api = client.get("/api/search", query_string={"q": "中试基地"}, headers={"Host": host})
    assert api.status_code == 400 and REFUSED_HOST in api.get_json()["error"]
    for path in ("/", "/static/app.css", "/no-such-page", "/admin/"):
        page = client.get(path, headers={"Host": host})
        assert page.status_code == 400 and REFUSED_HOST in page.get_data(as_text=True), path
        assert page.mimetype == "text/html" and "Traceback" not in page.get_data(as_text=True)
    post = client.post("/admin/login", data={"password": "x"}, headers={"Host": host})
    assert post.status_code == 400 and REFUSED_HOST in post.get_data(as_text=True)


@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "127.0.0.1", "127.0.0.1:5000", "[::1]",
                                  "[::1]:8000", "LOCALHOST:8000"])
def test_loopback_names_with_any_port_are_answered(client: FlaskClient, host: str) -> None:
    res = client.get("/api/search", query_string={"q": "中试基地"}, headers={"Host": host})
    assert res.status_code == 200 and res.get_json()["hits"]
    assert client.get("/", headers={"Host": host}).status_code == 200


def test_allowed_hosts_come_from_settings_and_the_bound_address(make_app, sample) -> None:
    env = {"POLICYGRAPH_HOME": "/nonexistent", "POLICYGRAPH_ALLOWED_HOSTS": "policy.example:8443, .gov.example",
           "POLICYGRAPH_HOST": "10.1.2.3"}
    settings = load_settings(env)
    assert settings.allowed_hosts == "policy.example:8443, .gov.example" and settings.host == "10.1.2.3"
    assert allowed_hosts(settings) == ["127.0.0.1", "localhost", "[::1]", "10.1.2.3", "policy.example",
                                       ".gov.example"]
    assert "[fd00::5]" in allowed_hosts(Settings(host="fd00::5"))
    assert allowed_hosts(Settings(host="0.0.0.0"))[-1] == socket.gethostname().lower()  # every interface
    assert allowed_hosts(Settings(allowed_hosts="FD00::6, [fd00::7]:8000,Policy.Example:80"))[-3:] == [
        "[fd00::6]", "[fd00::7]", "policy.example"]
    client = make_app(sample, host="10.1.2.3", allowed_hosts=settings.allowed_hosts).test_client()
    for host in ("10.1.2.3:8000", "policy.example", "Policy.Example:443", "kjt.gov.example", "gov.example"):
        assert client.get("/api/openapi.json", headers={"Host": host}).status_code == 200, host
    for host in ("10.1.2.4", "policy.example.evil", "xgov.example", "gov.example.evil"):
        assert client.get("/api/openapi.json", headers={"Host": host}).status_code == 400, host


# --- logout ends the session on the server -----------------------------------------------------------


def _cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def _replay(app: Flask, cookie: str) -> FlaskClient:
    """A fresh client (another browser, or an attacker) holding a copied session cookie."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other


def test_a_cookie_copied_before_logout_is_refused_after_it(make_app, sample) -> None:
    """Sign in, keep the cookie, log out, replay the cookie on admin-only actions: refused — also by
    another web process (a second app on the same instance home), and after signing in again."""
    app, other_worker = make_app(sample), make_app(sample)
    client = app.test_client()
    assert sign_in(client).status_code == 302
    token = csrf(client, "/admin/")
    stolen = _cookie(client)  # holds the admin session and its CSRF token
    copy = _replay(app, stolen)
    assert copy.get("/admin/queries/new").status_code == 200  # the copy works while the session lives
    saved = copy.post("/admin/queries", data={"csrf_token": token, "name": "before-logout", "title": "t",
                                              "description": "", "query": "RETURN 1 AS one"})
    assert saved.status_code == 302
    assert copy.post("/admin/queries/before-logout/delete", data={"csrf_token": token}).status_code == 302
    assert _replay(other_worker, stolen).get("/admin/queries/new").status_code == 200
    assert client.post("/admin/logout", data={"csrf_token": token}).status_code == 302
    for worker in (app, other_worker):
        replayed = _replay(worker, stolen)
        page = replayed.get("/admin/queries/new")
        assert page.status_code == 403 and "请先以管理员身份登录" in page.get_data(as_text=True)
        form = {"csrf_token": token, "name": "evil", "title": "t", "description": "", "query": "RETURN 1"}
        assert replayed.post("/admin/queries", data=form).status_code == 403
        assert replayed.post("/admin/upload", data={"csrf_token": token}).status_code == 403
        assert "已以管理员身份登录" not in replayed.get("/admin/").get_data(as_text=True)
    assert sign_in(client).status_code == 302  # a new sign-in gets a new session; the old cookie stays dead
    assert client.get("/admin/queries/new").status_code == 200
    assert _replay(app, stolen).get("/admin/queries/new").status_code == 403


def test_a_session_older_than_a_day_is_refused(make_app, sample, tmp_path: Path) -> None:
    import sqlite3

    app = make_app(sample)
    client = app.test_client()
    sign_in(client)
    assert client.get("/admin/queries/new").status_code == 200
    with sqlite3.connect(tmp_path / "home" / "web-state.sqlite3") as db:  # as if signed in 25 hours ago
        assert db.execute("UPDATE admin_sessions SET created = created - 25 * 3600").rowcount == 1
    assert client.get("/admin/queries/new").status_code == 403


# --- one rate limit and one sign-in throttle for every web process ----------------------------------


def _cypher(client: FlaskClient) -> int:
    return client.post("/api/cypher", json={"query": "RETURN 1 AS one"}).status_code


def test_the_console_rate_limit_is_shared_by_the_processes_of_an_instance(make_app, sample, tmp_path) -> None:
    """Two app objects on one instance home (as `serve --workers 2` runs them) count one limit."""
    config = {"CYPHER_RATE_LIMIT": (4, 10.0)}
    first, second = make_app(sample, config=config).test_client(), make_app(sample, config=config).test_client()
    codes = [_cypher(c) for c in (first, second, first, second)]
    assert codes == [200] * 4
    assert _cypher(first) == 429 and _cypher(second) == 429
    elsewhere = make_app(sample, config=config, home=tmp_path / "other-home").test_client()
    assert _cypher(elsewhere) == 200  # another instance counts on its own


def test_sign_in_failures_are_counted_across_processes_and_name_the_address(make_app, sample, caplog) -> None:
    first, second = make_app(sample).test_client(), make_app(sample).test_client()
    caplog.set_level(logging.WARNING, logger="webapp")
    for i in range(10):
        client = (first, second)[i % 2]
        res = client.post("/admin/login", data={"password": "wrong", "csrf_token": csrf(client, "/admin/")},
                          environ_base={"REMOTE_ADDR": "192.0.2.7"})
        assert res.status_code == 401
    for client in (first, second):  # locked out everywhere, even with the right password
        res = client.post("/admin/login", data={"password": "correct horse battery",
                                                "csrf_token": csrf(client, "/admin/")},
                          environ_base={"REMOTE_ADDR": "192.0.2.7"})
        assert res.status_code == 429 and "登录尝试过于频繁" in res.get_data(as_text=True)
    assert sign_in(first).status_code == 302  # another address is not locked out
    failures = [r.getMessage() for r in caplog.records if "sign-in" in r.getMessage()]
    assert any(re.search(r"failed from 192\.0\.2\.7", m) for m in failures)
    assert any(re.search(r"too many failures from 192\.0\.2\.7", m) for m in failures)


def _hammer(home: str, n: int) -> int:
    store = StateStore(Path(home))
    return sum(store.hit("cypher", "203.0.113.9", 100, 60.0) for _ in range(n))


def test_processes_hitting_one_store_at_once_never_exceed_the_limit(tmp_path: Path) -> None:
    """Four processes, 60 calls each, a limit of 100: exactly 100 are allowed in all (count and insert
    are one transaction against the other processes)."""
    StateStore(tmp_path)  # create the file before the processes race for it
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        allowed = pool.starmap(_hammer, [(str(tmp_path), 60)] * 4)
    assert sum(allowed) == 100 and StateStore(tmp_path).count("cypher", "203.0.113.9", 60.0) == 100


# --- a 4xx, never a 500, for malformed requests ------------------------------------------------------

BAD_SEGMENTS = ["%00", "%ff", "%E4%B8", "%ED%A0%80", "%C0%AF", "..%2f..%2fetc%2fpasswd", "x" * 5000,
                "%25%", "a%20b%0d%0aSet-Cookie:x=1", "\u0000".encode().hex()]
BAD_VALUES = ["%00", "%ff", "%E4%B8", "%ED%A0%80", "%F4%90%80%80", "-1", "99999999999999999999999",
              "1e309", "NaN", "%5B%5D", "x" * 100_000]
SAVED_QUERY_VALUES = ["%ff", "-1", "99999999999999999999999", "x" * 10_000]  # each run is a real query
ARGS = ["q", "page", "limit", "offset", "type", "today", "region", "department", "role", "policy", "min_weight",
        "focus", "all", "hl", "script", "query", "params", "run", "keyword", "word", "on", "name", "as_of",
        "before", "dept_a", "dept_b", "min_policies", "programme"]


def _routes(app: Flask) -> list[str]:
    """Every GET route, each `<variable>` to be filled in."""
    rules = {r.rule for r in app.url_map.iter_rules() if "GET" in (r.methods or ()) and "static" not in r.rule}
    saved = {f"/api/queries/{q.stem}/run" for q in (ROOT / "queries").glob("*.cypher")}  # with bad parameters
    return sorted(rules | saved)


def test_malformed_paths_and_query_strings_get_4xx_not_500(app: Flask) -> None:
    """Bad percent-encoding (NUL, invalid and truncated UTF-8, encoded lone surrogates), over-long and odd
    values in every path variable and every query parameter the views read, on every GET route."""
    client, failures = app.test_client(), []
    for rule in _routes(app):
        paths = [re.sub(r"<(?:\w+:)?\w+>", seg, rule) for seg in BAD_SEGMENTS] if "<" in rule else [rule]
        if "<" in rule:
            paths.append(re.sub(r"<(?:\w+:)?(\w+)>", lambda m: {"fmt": "csv"}.get(m.group(1), "%ff"), rule))
        for path in paths:
            code = client.get(path).status_code
            if code >= 500:
                failures.append((path[:80], code))
        if "<" in rule:
            continue
        for value in BAD_VALUES if not rule.endswith("/run") else SAVED_QUERY_VALUES:
            query = "&".join(f"{arg}={value}" for arg in ARGS)
            code = client.get(f"{rule}?{query}").status_code
            if code >= 500:
                failures.append((f"{rule}?…={value[:20]}", code))
    assert failures == []


@pytest.mark.parametrize("body, content_type", [
    (b"{", "application/json"),
    (b'{"query": "RETURN 1", ', "application/json"),
    (b"\xff\xfe{}", "application/json"),
    (b'{"query": "RETURN 1"}', "text/plain"),
    (b'{"query": "RETURN 1"}', "application/x-www-form-urlencoded"),
    (b"query=RETURN+1", "application/x-www-form-urlencoded"),
    (b'{"query": "RETURN 1"}', "multipart/form-data"),
    (b'{"query": "RETURN 1"}', "multipart/form-data; boundary=x"),
    (b'["RETURN 1"]', "application/json"),
    (b'{"query": ["RETURN 1"]}', "application/json"),
    (b'{"query": "RETURN $p", "params": [1]}', "application/json"),
    (b'{"query": "RETURN $p", "params": {"p": {"\\ud800": 1}}}', "application/json"),
    (b'{"query": "RETURN \\ud800"}', "application/json"),
    (b'{"query": "RETURN 1", "params": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", "application/json"),
    (b'{"query": "' + b"x" * 2_000_000 + b'"}', "application/json"),
    (b'{"query": "RETURN 1", "params": {"p": 1e999}}', "application/json"),
    (b'{"query": "RETURN $p", "params": {"p": NaN}}', "application/json"),
    (b"", "application/json"),
])
def test_malformed_bodies_on_the_console_get_a_chinese_4xx(client: FlaskClient, body: bytes,
                                                           content_type: str) -> None:
    token = csrf(client, "/console")
    res = client.post("/api/cypher", data=body, content_type=content_type, headers={"X-CSRF-Token": token})
    assert 400 <= res.status_code < 500, res.get_data(as_text=True)[:300]
    assert re.search(r"[\u4e00-\u9fff]", res.get_json()["error"])


def test_over_long_and_odd_form_fields_get_4xx(client: FlaskClient) -> None:
    sign_in(client)
    token = csrf(client, "/admin/")
    long_name = {"csrf_token": token, "name": "n" * 100_000, "title": "t" * 100_000, "description": "d" * 100_000,
                 "params": "p string\n" * 10_000, "query": "RETURN 1"}
    for form in (long_name, {"csrf_token": token, "name": "\x00../etc", "query": "RETURN 1", "params": "\x00 ?"}):
        res = client.post("/admin/queries", data=form)
        assert 400 <= res.status_code < 500, res.get_data(as_text=True)[:300]
    raw = f"csrf_token={token}&name=%ED%A0%80&title=%00%ff&query=RETURN+1%00&params=%E4%B8".encode()
    res = client.post("/admin/queries", data=raw, content_type="application/x-www-form-urlencoded")
    assert 400 <= res.status_code < 500, res.get_data(as_text=True)[:300]
    assert client.post("/admin/login", data={"csrf_token": token, "password": "p" * 1_000_000}).status_code in (
        401, 413)
    huge = client.post("/admin/upload", data={"csrf_token": token, "files": "not a file"},
                       content_type="multipart/form-data")
    assert 400 <= huge.status_code < 500
    bad_multipart = client.post("/admin/upload", data=b"--x\r\nnonsense", headers={"X-CSRF-Token": token},
                                content_type="multipart/form-data; boundary=x")
    assert 400 <= bad_multipart.status_code < 500


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "TRACE", "PROPFIND", "CONNECT", "FOO"])
def test_unsupported_methods_get_405_or_400(client: FlaskClient, method: str) -> None:
    for path in ("/", "/api/cypher", "/api/search", "/admin/login", "/no-such-page"):
        res = client.open(path, method=method)
        assert res.status_code in (400, 404, 405), (method, path, res.status_code)
        if path.startswith("/api/"):
            assert re.search(r"[\u4e00-\u9fff]", res.get_json()["error"])


# --- data files readable by the owner only -----------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _request(base: str, path: str, host: str | None = None, body: dict | None = None) -> int:
    conn = http.client.HTTPConnection(base, timeout=30)
    headers = {"Host": host} if host else {}
    if body is not None:
        headers["Content-Type"] = "application/json"
    conn.request("POST" if body is not None else "GET", path, body=json.dumps(body) if body else None,
                 headers=headers)
    code = conn.getresponse().status
    conn.close()
    return code


RAW_MALFORMED = [b"GET /departments/\xff HTTP/1.1", b"GET /departments/%00 HTTP/1.1",
                 b"GET /api/network/find?q=%ff&q=%00 HTTP/1.1", b"GET /who-leads?q=\xed\xa0\x80 HTTP/1.1",
                 b"GET /api/queries/lead_ranking_per_policy/run?policy=%00 HTTP/1.1", b"BREW / HTTP/1.1",
                 b"POST /api/cypher HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n{\"q\":",
                 b"POST /api/cypher HTTP/1.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked"
                 b"\r\n\r\nzz\r\n", b"GET / HTTP/1.1\r\nX-Big: " + b"a" * 300_000]


def _raw(port: int, request_head: bytes) -> int:
    """Send bytes as they are (no client library cleans them) with a Host header; the status code."""
    head, sep, rest = request_head.partition(b"\r\n")
    data = head + b"\r\nHost: localhost" + (sep + rest if sep else b"") + (b"" if b"\r\n\r\n" in rest else b"\r\n\r\n")
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(data)
        return int(s.recv(64).split(b" ")[1])


def test_a_load_and_a_served_app_leave_only_owner_readable_files(tmp_path: Path) -> None:
    """`loaders load` and `webapp serve` (two workers) as users run them, on a home an older version left
    world-readable: afterwards every folder in it is 700 and every file 600 (graph data, secrets, index,
    web state, caches).  The served app also refuses a foreign Host header through waitress."""
    home = tmp_path / "home"
    (home / "index").mkdir(parents=True, mode=0o755)
    (home / "old-notes.txt").write_text("left by an older version")
    (home / "old-notes.txt").chmod(0o644)
    port = _free_port()
    env = {**os.environ, "POLICYGRAPH_HOME": str(home), "POLICYGRAPH_PORT": str(port)}
    load = subprocess.run([sys.executable, "-m", "loaders", "load", "--no-progress", str(SEEDS)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert load.returncode == 0, load.stderr[-2000:]
    server = subprocess.Popen([sys.executable, "-m", "webapp", "serve", "--workers", "2"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                assert _request(base, "/") == 200
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, server.stderr.read().decode()[-2000:]
                time.sleep(0.5)
        assert _request(base, "/api/cypher", body={"query": "MATCH (p:Policy) RETURN count(p) AS n"}) == 200
        assert _request(base, "/?q=x", host="localhost:8000") == 200
        assert _request(base, "/?q=x", host=f"evil.example:{port}") == 400
        assert _request(base, "/api/search?q=x", host="evil.example") == 400
        for raw in RAW_MALFORMED:  # what waitress hands on (or refuses itself, in English, before the app)
            assert 400 <= _raw(port, raw) < 500, raw[:60]
        modes = {str(p.relative_to(home)): stat.S_IMODE(p.lstat().st_mode) for p in [home, *home.rglob("*")]}
        assert "web-state.sqlite3" in modes and "graph/secrets.json" in modes and "secret_key" in modes
        assert any(name.startswith("index/") for name in modes) and any("appendonly" in n for n in modes), modes
        assert {name: mode for name, mode in modes.items() if mode & 0o077} == {}
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
