"""Citations resolve to loaded policies; lineage across three levels on real documents.

The chain (tests/corpus/lineage/SOURCES.md): the State Council's sponge-city guidance (traditional
script, 國辦發[2015]75號) ← Shanghai's implementing opinion (沪府办发〔2024〕3号, cites it by title
only) ← Jiading district's plan (cites Shanghai's by 文号, and the national one by title).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.engine import EmbeddedEngine
from graph.saved import QueryLibrary
from settings import ROOT
from tests.sample import Loaded, load_sample

REAL = ROOT / "tests" / "corpus" / "real" / "docs"
NATIONAL = ROOT / "tests" / "corpus" / "lineage" / "n01_national_haimian-chengshi_2015.txt"
SHANGHAI = REAL / "g02_shanghai_haimian-chengshi_2024.txt"
JIADING = REAL / "e01_shanghai_jiading-haimian-chengshi_2024.txt"
CITES_INTO = """
MATCH (a:Policy {id: $src})-[r:CITES]->(b:Policy)
RETURN b.id AS id, b.title AS title, b.version IS NOT NULL AS loaded, b.doc_number AS doc_number, r.ref AS ref
"""


def _load(engine: EmbeddedEngine, tmp_path: Path, files: list[Path]) -> Loaded:
    return load_sample(engine, tmp_path / "index", files)


def _close(loaded: Loaded) -> None:
    loaded.index.close()
    loaded.store._admin.delete()
    loaded.store.close()


def _rows(loaded: Loaded, policy: str) -> list[dict]:
    result = QueryLibrary(ROOT / "queries").run(loaded.store, "policy_lineage", {"policy": policy})
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


def _cited(loaded: Loaded, src: Path, fragment: str) -> list[dict]:
    rows = loaded.store.read(CITES_INTO, {"src": loaded.summary.ids[str(src)]}).records()
    return [r for r in rows if fragment in r["title"]]


@pytest.mark.parametrize("order", ["top-down", "bottom-up"])
def test_lineage_rows_for_three_levels(engine: EmbeddedEngine, tmp_path: Path, order: str) -> None:
    files = [NATIONAL, SHANGHAI, JIADING] if order == "top-down" else [JIADING, SHANGHAI, NATIONAL]
    loaded = _load(engine, tmp_path, files)
    try:
        ids = loaded.summary.ids
        national, shanghai, jiading = (ids[str(f)] for f in (NATIONAL, SHANGHAI, JIADING))
        rows = _rows(loaded, "推进海绵城市建设的指导意见")  # simplified words find the traditional title
        chains = {(r["承接政策"], r["层数"]): r["承接链"] for r in rows}
        titles = {pid: loaded.store.read("MATCH (p:Policy {id: $id}) RETURN p.title", {"id": pid}).rows[0][0]
                  for pid in (national, shanghai, jiading)}
        # The district reaches the national guidance through Shanghai's opinion: three levels in one row.
        assert chains[(titles[jiading], 2)] == [titles[jiading], titles[shanghai], titles[national]]
        assert chains[(titles[shanghai], 1)] == [titles[shanghai], titles[national]]
        assert {r["被承接政策"] for r in rows} == {titles[national]}
        # No placeholder stands in for a loaded policy.
        stubs = loaded.store.read("MATCH (p:Policy) WHERE p.version IS NULL AND p.title CONTAINS '海绵城市建设的'"
                                  " RETURN p.title").rows
        assert stubs == []
    finally:
        _close(loaded)


def test_later_loaded_policy_absorbs_its_placeholder_and_removal_splits_it_off(
        engine: EmbeddedEngine, tmp_path: Path, client_for) -> None:
    loaded = _load(engine, tmp_path, [JIADING])
    try:
        (before,) = _cited(loaded, JIADING, "本市系统化全域推进海绵城市建设的实施意见")
        assert not before["loaded"] and before["doc_number"] == "沪府办发〔2024〕3号"
        shanghai = load_more(loaded, SHANGHAI)
        (after,) = _cited(loaded, JIADING, "本市系统化全域推进海绵城市建设")
        assert after["id"] == shanghai and after["loaded"] and after["ref"] == before["id"]
        assert loaded.store.read("MATCH (p:Policy {id: $id}) RETURN p", {"id": before["id"]}).rows == []
        html = client_for(loaded).get(f"/policies/{shanghai}").get_data(as_text=True)
        assert "被以下政策落实" in html and f'/policies/{loaded.summary.ids[str(JIADING)]}"' in html

        loaded.store.delete_document(shanghai)
        (restored,) = _cited(loaded, JIADING, "本市系统化全域推进海绵城市建设的实施意见")
        assert restored["id"] == before["id"] and not restored["loaded"]
        assert restored["doc_number"] == "沪府办发〔2024〕3号"
        implements = loaded.store.read("MATCH (:Policy {id: $a})-[:IMPLEMENTS]->(b:Policy {id: $b}) RETURN count(*)",
                                       {"a": loaded.summary.ids[str(JIADING)], "b": before["id"]}).rows
        assert implements == [[1]]
        html = client_for(loaded).get(f"/policies/{loaded.summary.ids[str(JIADING)]}").get_data(as_text=True)
        assert "《本市系统化全域推进海绵城市建设的实施意见》" in html and "（未导入）" in html
    finally:
        _close(loaded)


def load_more(loaded: Loaded, path: Path) -> str:
    """Load one more file into a loaded graph and index through the real load step; its policy id."""
    from loaders.load import load_files

    summary = load_files([path], loaded.store, loaded.index)
    loaded.summary.ids.update(summary.ids)
    return summary.ids[str(path)]


def test_policy_page_shows_lineage_with_links(engine: EmbeddedEngine, tmp_path: Path,
                                              client_for) -> None:
    loaded = _load(engine, tmp_path, [NATIONAL, SHANGHAI, JIADING])
    try:
        ids = loaded.summary.ids
        html = client_for(loaded).get(f"/policies/{ids[str(SHANGHAI)]}").get_data(as_text=True)
        implements = html.split('data-lineage="贯彻落实"', 1)[1].split("</ul>", 1)[0]
        implemented_by = html.split('data-lineage="被以下政策落实"', 1)[1].split("</ul>", 1)[0]
        assert f'/policies/{ids[str(NATIONAL)]}"' in implements
        assert f'/policies/{ids[str(JIADING)]}"' in implemented_by
        national = client_for(loaded).get(f"/policies/{ids[str(NATIONAL)]}").get_data(as_text=True)
        assert 'data-lineage="被以下政策落实"' in national
        body = client_for(loaded).get(f"/api/policies/{ids[str(SHANGHAI)]}").get_json()
        assert [x["id"] for x in body["lineage"]["贯彻落实"] if x["label"] == "Policy"] == [ids[str(NATIONAL)]]
        assert [x["id"] for x in body["lineage"]["被以下政策落实"]] == [ids[str(JIADING)]]
    finally:
        _close(loaded)


def test_cli_loads_in_two_runs_then_queries_the_lineage(tmp_path: Path) -> None:
    """Each `loaders load` is its own process and engine start: the placeholder written by the first run
    is absorbed by the second, and `graph query` reads three levels."""
    import json
    import subprocess
    import sys

    env = {"POLICYGRAPH_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    run = {"cwd": ROOT, "env": env, "capture_output": True, "text": True, "timeout": 300}
    for files in ([JIADING], [SHANGHAI, NATIONAL]):
        # call-overload: `run` is a dict of keyword arguments, which mypy cannot match to one of run()'s overloads
        subprocess.run([sys.executable, "-m", "loaders", "load", *map(str, files)], check=True, **run)  # type: ignore[call-overload]
    query = ["policy_lineage", "--param", "policy=海绵城市建设的指导", "--json"]
    out = subprocess.run([sys.executable, "-m", "graph", "query", *query], check=True, **run).stdout  # type: ignore[call-overload]
    rows = json.loads(out)["rows"]
    assert max(r["层数"] for r in rows) == 2
    (chain,) = [r["承接链"] for r in rows if r["层数"] == 2]
    assert "嘉定区" in chain[0] and "上海市人民政府办公厅" in chain[1] and "海綿城市" in chain[2]


def test_an_edit_that_makes_the_cited_policy_another_one_restores_the_placeholder(
        engine: EmbeddedEngine, tmp_path: Path) -> None:
    """Through the load step: the Shanghai file edited to carry another 文号 is another policy; the old one is
    removed, the district's citation (by 文号 沪府办发〔2024〕3号) goes back to its placeholder and the new
    policy, whose 文号 differs, does not take it."""
    from loaders.load import load_files

    folder = tmp_path / "docs"
    folder.mkdir()
    copy = folder / SHANGHAI.name
    copy.write_bytes(SHANGHAI.read_bytes())
    loaded = load_sample(engine, tmp_path / "index", [JIADING, copy])
    try:
        (cited,) = _cited(loaded, JIADING, "本市系统化全域推进海绵城市建设")
        assert cited["loaded"] and cited["id"] == loaded.summary.ids[str(copy)]
        copy.write_text(SHANGHAI.read_text(encoding="utf-8").replace("沪府办发〔2024〕3号", "沪府办发〔2024〕99号"),
                        encoding="utf-8")
        summary = load_files([copy], loaded.store, loaded.index)
        assert summary.ids[str(copy)] != cited["id"]
        (back,) = _cited(loaded, JIADING, "本市系统化全域推进海绵城市建设")
        assert not back["loaded"] and back["id"] == cited["ref"] and back["doc_number"] == "沪府办发〔2024〕3号"
    finally:
        _close(loaded)
