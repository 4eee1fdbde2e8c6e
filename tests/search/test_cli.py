"""The command line: `python -m search query`."""

from __future__ import annotations

import json

from search.__main__ import main
from search.index import SearchIndex
from tests.search.factory import SCI, extraction, unit


def test_query_json(tmp_path, capsys):
    with SearchIndex(tmp_path / "ix") as ix:
        ix.index_extraction(extraction("pol-a", "科技政策", "推动科技成果转化。", [("", "建设中试基地。")],
                                       lead=[unit(SCI)], entities=[SCI]))
    assert main(["query", "中试基地", "--json", "--index", str(tmp_path / "ix")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == 1
    assert data["hits"][0]["uid"] == "measure:mea-a-000"
    assert data["hits"][0]["lead"] == [SCI.name]
    assert data["hits"][0]["snippet_html"] == "建设<mark>中试基地</mark>。"


def test_query_text_and_default_index_from_environment(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("POLICYGRAPH_HOME", str(tmp_path))
    with SearchIndex(tmp_path / "index") as ix:
        ix.index_extraction(extraction("pol-a", "科技政策", "推动科技成果转化。"))
    assert main(["query", "科技成果转化"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1 results for '科技成果转化'")
    assert "[policy] 科技政策" in out


def test_missing_index_is_an_error(tmp_path, capsys):
    assert main(["--index", str(tmp_path / "none"), "query", "x"]) == 2
    assert "no search index" in capsys.readouterr().err


def test_optimize_merges_the_segments_and_searches_find_the_same(tmp_path, capsys):
    directory = tmp_path / "ix"
    with SearchIndex(directory) as ix:
        for i in range(3):
            ix.index_extraction(extraction(f"pol-{i}", f"科技政策{i}", "推动科技成果转化。", [("", "建设中试基地。")]))
        ix.delete_document("pol-1")
        assert ix.segment_count() > 1
    assert main(["query", "中试基地", "--json", "--index", str(directory)]) == 0
    before = json.loads(capsys.readouterr().out)
    assert main(["--index", str(directory), "optimize"]) == 0
    assert capsys.readouterr().out.startswith("merged ")
    with SearchIndex(directory) as ix:
        assert ix.segment_count() == 1
    assert main(["--index", str(directory), "optimize"]) == 0
    assert "one segment without deletions already" in capsys.readouterr().out
    assert main(["query", "中试基地", "--json", "--index", str(directory)]) == 0
    after = json.loads(capsys.readouterr().out)
    assert [h["uid"] for h in after["hits"]] == [h["uid"] for h in before["hits"]]
    assert after["total"] == before["total"] == 2
