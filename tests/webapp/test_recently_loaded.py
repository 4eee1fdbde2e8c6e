"""The home overview's 最近导入 list: load times recorded by the real `loaders load`, read through /api/overview."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from core.loadlog import LoadLog
from graph.engine import EmbeddedEngine
from graph.store import FalkorStore
from search.index import SearchIndex
from settings import ROOT, SAMPLE_CORPUS, Settings
from tests.homes import home_state

FILES = {"a.txt": SAMPLE_CORPUS / "seeds/000_ea2e05c557d4a99d.txt",
         "b.txt": SAMPLE_CORPUS / "seeds/001_9b1470b7e4c19b99.txt",
         "c.txt": SAMPLE_CORPUS / "extra/02_gwy_zonghe-baoshuiqu_2019.txt"}
ZH_TIME = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日 (\d{2}):(\d{2})$")


def _cli_load(home: Path, *files: Path) -> None:
    env = {"POLICYGRAPH_HOME": str(home), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-m", "loaders", "load", "--no-progress", *map(str, files)], cwd=ROOT, env=env,
                   check=True, capture_output=True, text=True, timeout=300)


class Home:
    """A home loaded by the CLI, then served by the real app on its own engine (later loads attach to it)."""

    def __init__(self, home: Path) -> None:
        from webapp import create_app

        self.home = home
        self.engine = EmbeddedEngine(home / "graph").start()
        assert self.engine.secrets is not None
        self.store = FalkorStore(str(self.engine.socket_path), self.engine.secrets.admin_password,
                                 self.engine.secrets.reader_password)
        self.index = SearchIndex(home / "index")
        settings = Settings(home=home)
        self.app = create_app({"TESTING": True, "SETTINGS": settings, "GRAPH_STORE": self.store,
                               "SEARCH_INDEX": self.index})
        self.client: FlaskClient = self.app.test_client()

    def ids_by_source(self) -> dict[str, str]:
        return {r["source"]: r["id"] for r in self.store.read(
            "MATCH (p:Policy) WHERE p.version IS NOT NULL RETURN p.id AS id, p.source AS source").records()}

    def loaded(self) -> list[dict[str, Any]]:
        from webapp import services

        services.get_from(self.app).analytics.invalidate()  # as an upload does: ask the graph's version now
        return self.client.get("/api/overview").get_json()["recently_loaded"]  # type: ignore[no-any-return]

    def close(self) -> None:
        self.index.close()
        self.store.close()
        self.engine.stop()


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, src in FILES.items():
        (folder / name).write_bytes(src.read_bytes())
    return folder


@pytest.fixture
def served(tmp_path: Path, docs: Path) -> Iterator[Home]:
    home = tmp_path / "home"
    for name in FILES:  # three runs: a, then b, then c
        _cli_load(home, docs / name)
    served = Home(home)
    yield served
    served.close()


def _moment(entry: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(entry["loaded_at"])


def test_cli_loads_are_listed_newest_first_with_links_and_chinese_times(served: Home) -> None:
    ids = served.ids_by_source()
    loaded = served.loaded()
    assert [e["id"] for e in loaded] == [ids["c.txt"], ids["b.txt"], ids["a.txt"]]
    assert [_moment(e) for e in loaded] == sorted((_moment(e) for e in loaded), reverse=True)
    for entry in loaded:
        local = _moment(entry).astimezone()
        assert ZH_TIME.match(entry["loaded_at_zh"])
        assert entry["loaded_at_zh"] == f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"
        assert entry["replaced"] is False and entry["first_loaded_at"] == entry["loaded_at"]
    # the home page lists them in the same order, each linking to its policy page, beside 最新发布
    html = served.client.get("/").get_data(as_text=True)
    section = html[html.index('id="overview-loaded"'):]
    section = section[:section.index("</ol>")]
    listed = re.findall(r'<li data-policy="([^"]+)"><a href="/policies/([^"]+)">', section)
    assert [a for a, _b in listed] == [b for _a, b in listed] == [e["id"] for e in loaded]
    assert "最近导入的文件" in html and "最新发布的文件" in html
    for entry in loaded:
        assert entry["loaded_at_zh"] in section
        assert served.client.get(f"/policies/{entry['id']}").status_code == 200
        assert served.client.get(f"/api/policies/{entry['id']}").get_json()["loaded"]["last"] == entry["loaded_at"]


def test_a_replaced_document_moves_to_the_top_and_a_removed_one_drops_out(served: Home, docs: Path) -> None:
    ids = served.ids_by_source()
    first = {e["id"]: e for e in served.loaded()}
    checksum = served.store.checksum()

    # a: the same file, edited: its policy is replaced and moves to the top
    a = docs / "a.txt"
    a.write_text(a.read_text(encoding="utf-8") + "\n附：本通知自印发之日起施行。\n", encoding="utf-8")
    _cli_load(served.home, a)
    loaded = served.loaded()
    assert [e["id"] for e in loaded] == [ids["a.txt"], ids["c.txt"], ids["b.txt"]]
    top = loaded[0]
    assert top["replaced"] is True and top["first_loaded_at"] == first[ids["a.txt"]]["loaded_at"]
    assert _moment(top) > _moment(first[ids["a.txt"]])
    # its page says when it was first loaded and when it was replaced
    api = served.client.get(f"/api/policies/{top['id']}").get_json()["loaded"]
    assert api == {"last": top["loaded_at"], "first": top["first_loaded_at"], "replaced": True}
    page = served.client.get(f"/policies/{top['id']}").get_data(as_text=True)
    said = f'首次导入 {first[ids["a.txt"]]["loaded_at_zh"]}，最近更新 {top["loaded_at_zh"]}'
    assert f'<dd id="loaded-at">{said}</dd>' in page
    assert served.store.checksum() != checksum  # (the edit reached the graph)

    # c: another 文号 makes it another policy: the old one is removed and leaves the list
    c = docs / "c.txt"
    c.write_text(c.read_text(encoding="utf-8").replace("国发〔2019〕3号", "国发〔2019〕33号"), encoding="utf-8")
    _cli_load(served.home, c)
    now = served.ids_by_source()
    assert now["c.txt"] != ids["c.txt"] and ids["c.txt"] not in now.values()
    loaded = served.loaded()
    assert [e["id"] for e in loaded] == [now["c.txt"], ids["a.txt"], ids["b.txt"]]
    assert loaded[0]["replaced"] is False
    assert f'data-policy="{ids["c.txt"]}"' not in served.client.get("/").get_data(as_text=True)
    assert LoadLog(served.home / "loads.sqlite3").times(ids["c.txt"]) is None  # removed: no load time


def test_loading_the_same_files_again_changes_neither_the_graph_nor_the_list(tmp_path: Path, docs: Path) -> None:
    """The log lives beside the graph: an unchanged reload writes no line, and the graph is as a clean load left it."""
    home = tmp_path / "home"
    _cli_load(home, docs)
    before = home_state(home)
    log_size = (home / "loads.sqlite3").stat().st_size
    _cli_load(home, docs)
    assert home_state(home) == before
    served = Home(home)
    try:
        loaded = served.loaded()
        assert sorted(e["id"] for e in loaded) == sorted(served.ids_by_source().values())
        assert len(loaded) == len(FILES)
    finally:
        served.close()
    assert (home / "loads.sqlite3").stat().st_size == log_size
