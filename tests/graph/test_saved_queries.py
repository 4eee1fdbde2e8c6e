"""Saved queries: every file parses and lints clean; every query runs on the sample corpus with the rows
the documents say (expectations are counted from the hand-checked gold files, not from our extractor)."""

from __future__ import annotations

import collections
import json
import subprocess
import sys
from pathlib import Path

import pytest

from graph.saved import Param, QueryLibrary, SavedQueryError, coerce, lint, parse, used_params
from graph.store import FalkorStore
from settings import ROOT
from tests.sample import Loaded

QUERIES = ROOT / "queries"
GOLD = ROOT / "tests" / "gold"  # hand-checked (copied from the shared development set)
HUAIBEI = {"市科技局": "淮北市科学技术局", "市财政局": "淮北市财政局", "市发展改革委": "淮北市发展和改革委员会",
           "市地方金融监管局": "淮北市地方金融监督管理局", "市委组织部": "淮北市委组织部"}
FILES = sorted(QUERIES.glob("*.cypher"))


def _gold(name: str) -> list[dict]:
    return [json.loads(line) for line in (GOLD / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def _rows(sample: Loaded, name: str, **params: str) -> list[dict]:
    result = QueryLibrary(QUERIES).run(sample.store, name, params)
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


def test_there_are_at_least_15_queries() -> None:
    assert len(FILES) >= 15


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_file_parses_lints_and_declares_exactly_what_it_uses(path: Path) -> None:
    q = parse(path.stem, path.read_text(encoding="utf-8"))
    assert q.title and q.description
    assert {p.name for p in q.params} == used_params(q.query)
    assert lint(q) == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_query_runs_on_the_sample(sample: Loaded, path: Path) -> None:
    result = QueryLibrary(QUERIES).run(sample.store, path.stem, {})
    assert result.columns and not result.truncated


def test_lint_rejects_non_portable_constructs() -> None:
    for bad in ("MATCH (n) WHERE n.name =~ '.*' RETURN n", "MATCH (n) WHERE EXISTS { (n)--() } RETURN n",
                "MATCH (n) RETURN COUNT { (n)--() }", "MATCH p = shortestPath((a)-[*]-(b)) RETURN p",
                "MATCH (n) RETURN id(n)", "MATCH (n) RETURN elementId(n)", "RETURN datetime()",
                "MATCH (n) SET n.x = 1", "CREATE INDEX FOR (n:X) ON (n.y)"):
        assert lint(parse("x", f"// title: t\n{bad}")), bad


def test_declared_and_used_params_must_agree() -> None:
    with pytest.raises(SavedQueryError, match="differ"):
        parse("x", "// title: t\n// param: a string\nMATCH (n) WHERE n.x = $b RETURN n")
    with pytest.raises(SavedQueryError, match="title"):
        parse("x", "MATCH (n) RETURN n")


def test_parameters_are_validated_by_type() -> None:
    q = parse("x", "// title: t\n// param: n int = 3\n// param: d date\nRETURN $n, $d")
    assert coerce(q, {"d": "2020-06"}) == {"n": 3, "d": "2020-06"}
    for bad in ({"d": "June"}, {"n": "three", "d": "2020"}, {}, {"d": "2020", "zzz": "1"}):
        with pytest.raises(SavedQueryError):
            coerce(q, bad)


def test_huaibei_bureau_leads_the_most_measures_in_the_huaibei_plan(sample: Loaded) -> None:
    expected = collections.Counter(HUAIBEI.get(u, u) for r in _gold("002_a49a57821bd4ff1c.jsonl") for u in r["lead"])
    rows = _rows(sample, "lead_ranking_per_policy", policy="淮北")
    assert rows[0]["部门"] == "淮北市科学技术局"
    assert rows[0]["牵头措施数"] == expected["淮北市科学技术局"]
    assert rows[1]["牵头措施数"] == expected.most_common(2)[1][1]


def test_top_collaborator_of_the_huaibei_bureau(sample: Loaded) -> None:
    shared = collections.Counter()
    for r in _gold("002_a49a57821bd4ff1c.jsonl"):
        units = set(r["lead"] + r["support"])
        if "市科技局" in units:
            shared.update(units - {"市科技局"})
    (top, count), = shared.most_common(1)
    rows = _rows(sample, "top_collaborators", department="市科技局")
    assert (rows[0]["协作单位"], rows[0]["共同措施数"]) == (HUAIBEI[top], count)


def test_keyword_query_finds_the_pilot_base_lead(sample: Loaded) -> None:
    rows = _rows(sample, "lead_departments_by_keyword", keyword="中试基地")
    assert rows[0]["部门"] == "淮北市科学技术局"


def test_overdue_measures_of_the_zhejiang_department(sample: Loaded) -> None:
    gold = _gold("003_ec5392306e21f47a.jsonl")
    expected = sum(1 for r in gold if "省科技厅" in r["lead"] and (r["deadline"] or "x") < "2021")
    rows = {r["部门"]: r["逾期措施数"] for r in _rows(sample, "overdue_measures", as_of="2021-01")}
    assert rows["浙江省科学技术厅"] == expected


def test_lead_support_matrix_counts_are_integers_and_consistent(sample: Loaded) -> None:
    rows = _rows(sample, "lead_support_matrix", policy="淮北")
    kjj = next(r for r in rows if r["部门"] == "淮北市科学技术局")
    assert isinstance(kjj["牵头"], int) and kjj["牵头"] == _rows(sample, "lead_ranking_per_policy",
                                                                policy="淮北")[0]["牵头措施数"]


def test_collaboration_path_between_two_huaibei_departments(sample: Loaded) -> None:
    rows = _rows(sample, "collaboration_path", dept_a="淮北市科学技术局", dept_b="淮北市财政局")
    names = [n["properties"].get("name") for n in rows[0]["路径"]["nodes"]]
    assert rows[0]["步数"] == 1 and names[0] == "淮北市科学技术局" and names[-1] == "淮北市财政局"


def test_user_saved_queries_round_trip(tmp_path: Path, store: FalkorStore) -> None:
    library = QueryLibrary(QUERIES, tmp_path / "user", store)
    library.save("my-count", "我的统计", "统计措施", "MATCH (m:Measure) WHERE m.text_s CONTAINS $kw "
                 "RETURN count(m) AS n", [Param("kw", "string", "中试")], owner="admin")
    assert "my-count" in [q.name for q in library.all()]
    stored = library.get("my-count")
    assert not stored.builtin and stored.owner == "admin" and stored.created and stored.updated
    assert stored.params == [Param("kw", "string", "中试")]
    assert library.run(store, "my-count", {}).rows == [[0]]
    # a second library on the same graph (another app process) sees it; a re-save keeps `created`
    other = QueryLibrary(QUERIES, None, store)
    assert other.get("my-count").title == "我的统计"
    other.save("my-count", "新标题", "", "RETURN 1 AS n", [], owner="admin")
    again = library.get("my-count")
    assert again.title == "新标题" and again.created == stored.created and again.updated >= stored.updated
    with pytest.raises(Exception, match="not allowed"):
        library.save("evil", "t", "", "MATCH (n) DETACH DELETE n", [], owner="admin")
    with pytest.raises(SavedQueryError, match="built-in"):
        library.save("overdue_measures", "t", "", "RETURN 1", [], owner="admin")
    library.delete("my-count")
    assert "my-count" not in [q.name for q in other.all()]
    assert not list((tmp_path / "user").glob("*.json"))  # nothing is written to files any more


def test_file_stored_user_queries_move_into_the_graph_once(tmp_path: Path, store: FalkorStore) -> None:
    folder = tmp_path / "queries"
    folder.mkdir()
    old = {"name": "old-one", "title": "旧查询", "description": "文件里的", "query": "RETURN $x AS x",
           "params": [{"name": "x", "type": "int", "default": "3", "help": ""}], "columns": [], "builtin": False,
           "author": "admin", "created": "2025-01-02T03:04:05+00:00"}
    (folder / "old-one.json").write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    library = QueryLibrary(QUERIES, folder, store)
    q = library.get("old-one")
    assert (q.title, q.owner, q.created, q.params[0].default) == ("旧查询", "admin", old["created"], "3")
    assert library.run(store, "old-one", {}).rows == [[3]]
    assert not (folder / "old-one.json").exists() and (folder / "old-one.json.migrated").exists()
    library.save("old-one", "改过的", "", "RETURN 1 AS x", [], owner="admin")
    QueryLibrary(QUERIES, folder, store).all()  # a later start migrates nothing again
    assert QueryLibrary(QUERIES, None, store).get("old-one").title == "改过的"


def test_cli_runs_a_saved_query_against_a_loaded_home(tmp_path: Path) -> None:
    env = {"POLICYGRAPH_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"}
    seeds = ROOT / "sample_corpus" / "seeds"
    load = subprocess.run([sys.executable, "-m", "loaders", "load", "--no-progress", str(seeds)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert load.returncode == 0, load.stderr
    assert "documents loaded: 5" in load.stdout
    out = subprocess.run([sys.executable, "-m", "graph", "query", "lead_ranking_per_policy", "--param",
                          "policy=淮北", "--json"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["rows"][0]["部门"] == "淮北市科学技术局"
    bad = subprocess.run([sys.executable, "-m", "graph", "query", "overdue_measures", "--param", "as_of=someday"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 and "as_of" in bad.stderr and "Traceback" not in bad.stderr
