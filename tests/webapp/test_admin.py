"""Admin: disabled without a hash, sign-in, saving/editing/deleting user queries, uploads, CSRF on forms."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from flask.testing import FlaskClient
from werkzeug.security import check_password_hash

from graph.engine import EmbeddedEngine
from tests.sample import SEEDS, load_sample
from tests.webapp.conftest import csrf, sign_in

QUERY = "MATCH (d:Department) WHERE d.name CONTAINS $word RETURN d.name AS name ORDER BY name LIMIT 5"


def _save(client: FlaskClient, name: str = "my-depts", **extra: str):
    form = {"csrf_token": csrf(client, "/console"), "name": name, "title": "含关键词的部门",
            "description": "按名称查找部门", "params": "word string = 科学 -- 名称关键词", "query": QUERY}
    return client.post("/admin/queries", data=form | extra)


def test_admin_is_disabled_without_a_password_hash(make_app, sample) -> None:
    client = make_app(sample, admin_password_hash="").test_client()
    html = client.get("/admin/").get_data(as_text=True)
    assert 'id="admin-disabled"' in html and "hash-password" in html
    res = client.post("/admin/login", data={"password": "x", "csrf_token": csrf(client, "/admin/")})
    assert res.status_code == 403 and "管理功能未启用" in res.get_data(as_text=True)
    assert client.get("/queries").status_code == 200  # everything else stays readable


def test_sign_in_with_the_configured_password(client: FlaskClient) -> None:
    bad = client.post("/admin/login", data={"password": "wrong", "csrf_token": csrf(client, "/admin/")})
    assert bad.status_code == 401 and "密码不正确" in bad.get_data(as_text=True)
    assert sign_in(client).status_code == 302
    html = client.get("/admin/").get_data(as_text=True)
    assert "已以管理员身份登录" in html and 'name="files"' in html
    assert "保存到查询库" in client.get("/console").get_data(as_text=True)
    client.post("/admin/logout", data={"csrf_token": csrf(client, "/admin/")})
    assert "已以管理员身份登录" not in client.get("/admin/").get_data(as_text=True)


def test_forms_without_a_csrf_token_are_refused(client: FlaskClient) -> None:
    res = client.post("/admin/login", data={"password": "whatever"})
    assert res.status_code == 400 and "CSRF" in res.get_data(as_text=True)


def test_admin_saves_edits_and_deletes_a_user_query(client: FlaskClient) -> None:
    assert _save(client).status_code == 403  # not signed in
    sign_in(client)
    res = _save(client)
    assert res.status_code == 302 and res.headers["Location"].endswith("/queries/my-depts")
    body = client.get("/api/queries/my-depts/run", query_string={"word": "财政"}).get_json()
    assert "淮北市财政局" in [r[0] for r in body["rows"]]
    assert "用户保存" in client.get("/queries").get_data(as_text=True)
    listed = client.get("/admin/").get_data(as_text=True)
    assert "管理员保存" in listed and "更新于 20" in listed
    edit = client.get("/admin/queries/my-depts/edit").get_data(as_text=True)
    assert "word string = 科学 -- 名称关键词" in edit
    _save(client, title="新标题")
    assert client.get("/api/queries/my-depts").get_json()["title"] == "新标题"
    client.post("/admin/queries/my-depts/delete", data={"csrf_token": csrf(client, "/admin/")})
    assert client.get("/api/queries/my-depts").status_code == 404


def test_saving_a_write_query_is_refused(client: FlaskClient) -> None:
    sign_in(client)
    res = _save(client, name="evil", params="", query="MATCH (n) DETACH DELETE n")
    assert res.status_code == 400 and "查询被拒绝" in res.get_data(as_text=True)
    res = _save(client, name="Bad Name")
    assert res.status_code == 400
    assert client.post("/admin/queries/top_collaborators/delete",
                       data={"csrf_token": csrf(client, "/admin/")}).status_code == 403


def test_upload_loads_into_the_apps_graph_and_index(make_app, engine: EmbeddedEngine, tmp_path: Path) -> None:
    loaded = load_sample(engine, tmp_path / "index", [SEEDS / "000_ea2e05c557d4a99d.txt"])
    try:
        client = make_app(loaded).test_client()
        sign_in(client)

        def network_names() -> set[str]:
            return {n["name"] for n in client.get("/api/network?min_weight=1").get_json()["nodes"]}

        assert "淮北市科学技术局" not in network_names()  # the network is built (and cached) before the upload
        data = (SEEDS / "002_a49a57821bd4ff1c.txt").read_bytes()
        res = client.post("/admin/upload", data={"csrf_token": csrf(client, "/admin/"),
                                                 "files": (__import__("io").BytesIO(data), "淮北方案.txt")},
                          content_type="multipart/form-data")
        html = res.get_data(as_text=True)
        assert res.status_code == 200 and re.search(r"新导入或更新的文件</dt><dd>1</dd>", html)
        assert client.get("/api/who-leads", query_string={"q": "中试基地"}).get_json()["leads"][0]["name"] == \
            "淮北市科学技术局"
        assert client.get("/api/search", query_string={"q": "中试基地"}).get_json()["total"] >= 1
        assert "淮北市科学技术局" in network_names()  # at once, not after the cache's recheck interval
    finally:
        loaded.index.close()
        loaded.store._admin.delete()


def test_upload_checks_type_and_size(make_app, sample) -> None:
    import io

    client = make_app(sample, config={"UPLOAD_MAX_BYTES": 100}).test_client()
    sign_in(client)
    exe = client.post("/admin/upload", data={"csrf_token": csrf(client, "/admin/"),
                                             "files": (io.BytesIO(b"MZ..."), "tool.exe")},
                      content_type="multipart/form-data")
    assert exe.status_code == 400 and "不支持的文件类型" in exe.get_data(as_text=True)
    big = client.post("/admin/upload", data={"csrf_token": csrf(client, "/admin/"),
                                             "files": (io.BytesIO(b"x" * 200), "big.txt")},
                      content_type="multipart/form-data")
    assert big.status_code == 400 and "上限" in big.get_data(as_text=True)


def test_hash_password_command() -> None:
    from webapp.__main__ import cli

    result = CliRunner().invoke(cli, ["hash-password", "--password", "s3cret-pass"])
    assert result.exit_code == 0
    assert check_password_hash(result.output.strip().splitlines()[0], "s3cret-pass")
    assert CliRunner().invoke(cli, ["hash-password", "--password", "short"]).exit_code != 0


def test_a_refused_save_keeps_the_form_and_says_why_in_chinese(client: FlaskClient) -> None:
    sign_in(client)
    cases = [({"name": "evil", "params": "", "query": "MATCH (n) DETACH DELETE n"}, "只允许读取"),
             ({"name": "Bad Name"}, "小写字母"),
             ({"name": "top_collaborators"}, "内置查询"),
             ({"name": "undeclared", "params": ""}, "不一致"),
             ({"name": "typo", "params": "", "query": "MATCH (d:Department) RETURN d.name AS 部门"}, "反引号")]
    for extra, why in cases:
        res = _save(client, title="保留的标题", **extra)
        html = res.get_data(as_text=True)
        assert res.status_code == 400, extra
        assert why in html and "表单内容已保留" in html, (extra, html[:2000])
        assert 'value="保留的标题"' in html and f'value="{extra["name"]}"' in html
        assert re.search(r'[a-z]+ is not allowed|lower-case|built-in|differ from', html.split("<main")[-1]) is None
    assert client.get("/api/queries/evil").status_code == 404


def test_user_queries_saved_as_files_by_an_older_version_appear_after_an_upgrade(make_app, sample, tmp_path) -> None:
    import json

    folder = tmp_path / "home" / "queries"
    folder.mkdir(parents=True)
    old = {"name": "from-files", "title": "旧版本保存的查询", "description": "升级前保存在文件中", "builtin": False,
           "query": "MATCH (d:Department) WHERE d.name CONTAINS $w RETURN d.name AS `部门` ORDER BY `部门` LIMIT 3",
           "params": [{"name": "w", "type": "string", "default": "财政", "help": "关键词"}], "columns": [],
           "author": "admin", "created": "2025-03-01T08:00:00+00:00"}
    (folder / "from-files.json").write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    client = make_app(sample).test_client()
    try:
        assert "旧版本保存的查询" in client.get("/queries").get_data(as_text=True)
        body = client.get("/api/queries/from-files/run").get_json()
        assert body["columns"] == ["部门"] and all("财政" in r[0] for r in body["rows"]) and body["rows"]
        # a second app (another web process) on the same graph sees it without the files
        other = make_app(sample, home=tmp_path / "elsewhere").test_client()
        assert other.get("/api/queries/from-files").get_json()["owner"] == "admin"
    finally:
        sample.store.write("MATCH (q:SavedQuery {name: 'from-files'}) DELETE q")
def test_an_upload_of_bad_and_good_files_reports_each_file(make_app, engine: EmbeddedEngine, tmp_path: Path) -> None:
    """Issue 21/22: former crashers, hostile .docx and good files in one upload, through the real app."""
    import io

    from loaders.fuzz import crashers, hostile_docx
    from search.consistency import check

    loaded = load_sample(engine, tmp_path / "index", [SEEDS / "000_ea2e05c557d4a99d.txt"])
    try:
        client = make_app(loaded).test_client()
        sign_in(client)
        hostile = {k: v for k, v in hostile_docx().items() if k in ("many_cells.docx", "nested_tables.docx",
                                                                    "lying_zip_sizes.docx", "padded_bomb.docx")}
        good = {p.name: p.read_bytes() for p in sorted(SEEDS.glob("*.txt"))[1:4]}
        files = crashers() | hostile | good | {"tool.exe": b"MZ"}
        res = client.post("/admin/upload", data={"csrf_token": csrf(client, "/admin/"),
                                                 "files": [(io.BytesIO(d), n) for n, d in files.items()]},
                          content_type="multipart/form-data", buffered=False)
        chunks = [c.decode() for c in res.response]
        html = "".join(chunks)
        assert res.status_code == 200 and "Traceback" not in html
        first_row = next(i for i, c in enumerate(chunks) if "<li data-status=" in c)
        table = next(i for i, c in enumerate(chunks) if 'id="upload-results"' in c)
        assert first_row < table, "progress rows are sent before the results table"
        rows = {name: status for status, name in re.findall(
            r'<tr data-status="(\w+)">\s*<td><code class="file-name">([^<]+)</code>', html)}
        assert {n for n, s in rows.items() if s == "failed"} == set(hostile) | {"tool.exe"}
        assert {n for n, s in rows.items() if s == "loaded"} == set(crashers()) | set(good)
        for name in hostile:  # a Chinese reason, and no server path anywhere on the page
            row = html[html.index(f'<code class="file-name">{name}</code>'):].split("</tr>")[0]
            assert re.search(r'class="file-error">[^<]*[\u4e00-\u9fff]', row), row
        assert str(tmp_path) not in html and "/uploads/" not in html
        links = re.findall(r'class="policy-link" href="([^"]+)">([^<]+)</a>', html)
        assert len(links) == len(crashers()) + len(good)
        assert all(client.get(href).status_code == 200 for href, _ in links)
        flagged = html[html.index('<code class="file-name">001_9b1470b7e4c19b99.txt</code>'):].split("</tr>")[0]
        assert "项措施中有" in flagged and 'class="file-warnings"' in flagged  # its self-check warning
        assert check(loaded.store, loaded.index).ok
        name, data = next(iter(good.items()))
        again = client.post("/admin/upload", data={"csrf_token": csrf(client, "/admin/"),
                                                   "files": (io.BytesIO(data), name)},
                            content_type="multipart/form-data").get_data(as_text=True)
        assert '<tr data-status="unchanged">' in again and again.count('class="policy-link"') == 1
    finally:
        loaded.index.close()
        loaded.store._admin.delete()


def test_an_upload_while_the_engine_is_down_says_so_instead_of_a_500(make_app, tmp_path: Path) -> None:
    import io

    own = EmbeddedEngine(tmp_path / "engine").start()
    loaded = load_sample(own, tmp_path / "index", [SEEDS / "000_ea2e05c557d4a99d.txt"])
    try:
        client = make_app(loaded).test_client()
        sign_in(client)
        token = csrf(client, "/admin/")
        own.stop()  # the engine is gone; nothing here restarts it
        data = (SEEDS / "002_a49a57821bd4ff1c.txt").read_bytes()
        res = client.post("/admin/upload", data={"csrf_token": token, "files": (io.BytesIO(data), "淮北方案.txt")},
                          content_type="multipart/form-data")
        html = res.get_data(as_text=True)
        assert res.status_code == 200 and 'id="upload-failure"' in html and "图数据库" in html
        assert '<tr data-status="failed">' in html and 'class="policy-link"' not in html
    finally:
        loaded.index.close()
        own.stop()


def test_ten_wrong_passwords_lock_sign_in_for_a_minute(make_app, sample) -> None:
    """Failed sign-ins are counted per client address; right ones are not (so staff signing in often are
    never throttled); after ten failures even the right password waits, with a Chinese 429."""
    client = make_app(sample).test_client()
    for _ in range(3):
        assert sign_in(client).status_code == 302
    codes = [client.post("/admin/login", data={"password": "wrong", "csrf_token": csrf(client, "/admin/")})
             .status_code for _ in range(11)]
    assert codes == [401] * 10 + [429]
    locked = sign_in(client)
    assert locked.status_code == 429 and "登录尝试过于频繁" in locked.get_data(as_text=True)
