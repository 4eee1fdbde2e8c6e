"""`python -m graph query --csv` writes cells as the web's downloads do: lists with 、, nodes by name, 牵头/配合."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from graph.engine import EmbeddedEngine
from graph.store import FalkorStore
from search.index import SearchIndex
from settings import ROOT, SAMPLE_CORPUS, Settings

LISTS = ["departments_in_many_policies"]  # 政策: the titles of a department's policies, a list
GRAPH = ["policy_structure", "--param", "policy=淮北"]  # policy, measure and department nodes, relationships


def _run(home: Path, *args: str) -> str:
    env = {"POLICYGRAPH_HOME": str(home), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    return out.stdout


def _csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _json_rows(home: Path, query: list[str]) -> list[dict[str, Any]]:
    return json.loads(_run(home, "graph", "query", *query, "--json"))["rows"]  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("home")
    _run(home, "loaders", "load", "--no-progress", str(SAMPLE_CORPUS))
    return home


def test_list_cells_are_joined_with_the_chinese_enumeration_comma(home: Path) -> None:
    rows = _csv_rows(_run(home, "graph", "query", *LISTS, "--csv"))
    expected = _json_rows(home, LISTS)
    assert rows[0] == ["部门", "地区", "政策数", "政策"] and len(rows) - 1 == len(expected) > 0
    for row, want in zip(rows[1:], expected, strict=True):
        assert len(want["政策"]) >= 2  # every row is a list of at least two titles
        assert row[3] == "、".join(want["政策"]) and not row[3].startswith("[")
        assert row[:3] == [want["部门"], want["地区"] or "", str(want["政策数"])]


def test_the_plain_output_shows_the_same_cells(home: Path) -> None:
    lines = _run(home, "graph", "query", *GRAPH).splitlines()
    rows = _csv_rows(_run(home, "graph", "query", *GRAPH, "--csv"))
    assert [line.split("\t") for line in lines] == [[" ".join(c.split()) for c in row] for row in rows]
    assert "'_kind'" not in "\n".join(lines)


def test_nodes_by_name_and_relationships_in_chinese(home: Path) -> None:
    text = _run(home, "graph", "query", *GRAPH, "--csv")
    rows = _csv_rows(text)
    expected = _json_rows(home, GRAPH)
    assert len(rows) - 1 == len(expected) > 0
    for row, want in zip(rows[1:], expected, strict=True):
        policy, contains, measure, leads, dept = row
        assert policy == want["政策"]["properties"]["title"] and "淮北" in policy
        assert dept == want["牵头部门"]["properties"]["name"]
        assert (contains, leads) == ("[包含]", "[牵头]")
        m = want["措施"]["properties"]
        assert measure == (m.get("name") or m.get("title") or m.get("text"))
    assert "LEADS" not in text and '"_kind"' not in text and "{" not in text


def test_the_cli_and_the_web_download_write_the_same_cells(home: Path) -> None:
    """The web app owns the engine on that home; the CLI attaches to it, as beside a running `make run`."""
    from webapp import create_app

    engine = EmbeddedEngine(home / "graph").start()
    assert engine.secrets is not None
    store = FalkorStore(str(engine.socket_path), engine.secrets.admin_password, engine.secrets.reader_password)
    index = SearchIndex(home / "index")
    try:
        client = create_app({"TESTING": True, "SETTINGS": Settings(home=home), "GRAPH_STORE": store,
                             "SEARCH_INDEX": index}).test_client()
        for query, params in ((LISTS, {}), (GRAPH, {"policy": "淮北"})):
            res = client.get(f"/export/queries/{query[0]}.csv", query_string=params)
            assert res.status_code == 200, res.get_data(as_text=True)[:300]
            web = _csv_rows(res.get_data().decode("utf-8-sig"))
            cli = _csv_rows(_run(home, "graph", "query", *query, "--csv"))
            assert web[1:] == cli[1:] and len(cli) > 1, query[0]
    finally:
        index.close()
        store.close()
        engine.stop()
