"""The saved query "policies in force on a date" (queries/policies_in_force.cypher): 施行日期 / 有效期 read
from the documents, and 废止 of a loaded policy by a later one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from graph.engine import EmbeddedEngine
from graph.saved import QueryLibrary
from settings import ROOT
from tests.sample import SEEDS, Loaded, load_sample

QUERIES = ROOT / "queries"
HEFEI = SEEDS / "002_a49a57821bd4ff1c.txt"  # 本方案自发布之日起实施，有效期到2025年12月31日
NOTICE = SEEDS / "000_ea2e05c557d4a99d.txt"  # issued 2020-03-25, no end of validity
QINGPU = ROOT / "tests" / "corpus" / "real" / "docs" / "k02_shanghai_qingpu-jianzhu-laji_2025.txt"


def _in_force(loaded: Loaded, on: str) -> set[str]:
    result = QueryLibrary(QUERIES).run(loaded.store, "policies_in_force", {"on": on})
    assert result.columns[:2] == ["政策", "文号"]
    return {row[0] for row in result.rows}


def _title(loaded: Loaded, path: Path) -> str:
    pid = loaded.summary.ids[str(path)]
    return loaded.store.read("MATCH (p:Policy {id: $id}) RETURN p.title", {"id": pid}).rows[0][0]


def test_validity_bounds_the_policies_in_force(sample: Loaded) -> None:
    hefei, notice = _title(sample, HEFEI), _title(sample, NOTICE)
    assert {hefei, notice} <= _in_force(sample, "2024-06-01")
    assert hefei in _in_force(sample, "2025-12-31")
    later = _in_force(sample, "2026-01-01")
    assert hefei not in later and notice in later
    assert notice not in _in_force(sample, "2020-03-24")


def test_a_policy_repealed_by_a_later_loaded_one_is_no_longer_in_force(
        engine: EmbeddedEngine, tmp_path: Path, client_for) -> None:
    # A stand-in for the repealed notice (its text is not public here): its title, 文号 and date only.
    repealed = tmp_path / "docs" / "qingjianzheng_2024_3.txt"
    repealed.parent.mkdir()
    repealed.write_text("青浦区关于进一步加强建筑垃圾消纳场所管理工作的通知\n青建整办〔2024〕3号\n\n"
                        "各有关单位：\n为规范建筑垃圾消纳场所管理，现就有关事项通知如下。\n\n"
                        "青浦区建筑垃圾综合治理工作领导小组办公室\n2024年3月1日\n", encoding="utf-8")
    loaded = load_sample(engine, tmp_path / "index", [repealed, QINGPU])
    try:
        title = _title(loaded, repealed)
        assert title in _in_force(loaded, "2025-01-01")
        assert title not in _in_force(loaded, "2025-10-01")  # the Qingpu opinion (2025-09-18) repealed it
        html = client_for(loaded).get(f"/policies/{loaded.summary.ids[str(repealed)]}").get_data(as_text=True)
        assert 'data-lineage="被以下政策废止"' in html
        assert f'/policies/{loaded.summary.ids[str(QINGPU)]}"' in html.split('data-lineage="被以下政策废止"')[1]
    finally:
        loaded.index.close()
        loaded.store._admin.delete()
        loaded.store.close()


def test_cli_runs_the_query_with_chinese_columns(tmp_path: Path) -> None:
    env = {"POLICYGRAPH_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    run = {"cwd": ROOT, "env": env, "capture_output": True, "text": True, "timeout": 300}
    # call-overload: `run` is a dict of keyword arguments, which mypy cannot match to one of run()'s overloads
    subprocess.run([sys.executable, "-m", "loaders", "load", str(HEFEI)], check=True, **run)  # type: ignore[call-overload]
    out = subprocess.run([sys.executable, "-m", "graph", "query", "policies_in_force", "--param", "on=2024-01-01",
                          "--csv"], check=True, **run).stdout  # type: ignore[call-overload]
    assert out.splitlines()[0].split(",")[:4] == ["政策", "文号", "施行日期", "有效期至"]
    assert "2025-12-31" in out
