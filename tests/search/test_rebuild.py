"""Rebuilding the index from the real graph, and checking graph and index against each other."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pytest

import search.__main__ as cli
from graph.store import FalkorStore
from search.consistency import check
from search.index import SearchIndex
from search.query import search
from search.rebuild import exchange, rebuild
from tests.search.factory import HR, SCI, extraction, unit

QUERIES = ("科技成果转化", "人才", "市科技局", "技术转移 type:measure", "创新 year:2020", "疫情防控 OR 复工复产",
           "淮北市科学技术局", "lead:市科技局", '"加快推进"')


def _hits(index: SearchIndex, q: str) -> tuple[int, list[tuple[str, str]]]:
    r = search(index, q, page_size=50)
    return r.total, sorted((h.uid, h.doc_id) for h in r.hits)


def _load(store: FalkorStore, index: SearchIndex, *extractions) -> None:
    for ex in extractions:
        store.replace_document(ex)
        index.index_extraction(ex)
    store.finalize()


def _docs():
    a = extraction("pol-a", "科技政策", "推动科技成果转化。", [("", "建设中试基地。")], lead=[unit(SCI, "市科技局")],
                   entities=[SCI])
    b = extraction("pol-b", "人才政策", "引进人才。", [("", "落实人才补贴。")], lead=[unit(HR, "人社局")],
                   entities=[HR])
    c = extraction("pol-c", "疫情政策", "疫情防控。")
    return a, b, c


def test_rebuild_from_the_graph_equals_the_loaders_index(sample, tmp_path: Path) -> None:
    report = rebuild(sample.store, tmp_path / "index")
    assert report.documents == len(sample.index.document_versions()) > 5
    with SearchIndex(tmp_path / "index") as rebuilt:
        assert rebuilt.document_versions() == sample.index.document_versions()
        for q in QUERIES:
            assert _hits(rebuilt, q) == _hits(sample.index, q), q
        assert check(sample.store, rebuilt).ok


def test_check_reports_documents_missing_on_one_side_and_versions(store: FalkorStore, tmp_path: Path) -> None:
    a, b, c = _docs()
    with SearchIndex(tmp_path / "ix") as index:
        _load(store, index, a, b, c)
        assert check(store, index).ok
        store.delete_document("pol-a")
        index.delete_document("pol-b")
        index.index_extraction(extraction("pol-c", "疫情政策", "疫情防控。", version="v9"))
        result = check(store, index)
    assert result.only_graph == ["pol-b"]
    assert result.only_index == ["pol-a"]
    assert result.version_mismatch == [("pol-c", "v1", "v9")]
    assert not result.ok


def test_cli_check_and_rebuild(store: FalkorStore, tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(cli, "open_store", contextmanager(lambda: (yield store)))
    directory = tmp_path / "ix"
    a, b, c = _docs()
    with SearchIndex(directory) as index:
        _load(store, index, a, b, c)
        index.delete_document("pol-b")  # lost from the index only
        assert cli.main(["--index", str(directory), "check"]) == 1
        assert "in the graph, not in the index: pol-b" in capsys.readouterr().out
        assert search(index, "落实人才补贴").total == 0
        assert cli.main(["--index", str(directory), "rebuild"]) == 0
        assert "rebuilt" in capsys.readouterr().out
        # an index opened before the swap sees the rebuilt one on its next search
        assert [h.uid for h in search(index, "落实人才补贴").hits] == ["measure:mea-b-000"]
        assert [h.uid for h in search(index, "人社局", kind="department").hits] == ["department:dep-hr"]
    assert cli.main(["--index", str(directory), "check"]) == 0
    assert "agree" in capsys.readouterr().out
    assert [p.name for p in tmp_path.iterdir()] == ["ix"]  # no scratch directory left behind


def test_rebuild_into_a_missing_directory(store: FalkorStore, tmp_path: Path) -> None:
    a, b, c = _docs()
    for ex in (a, b, c):
        store.replace_document(ex)
    report = rebuild(store, tmp_path / "new" / "index")
    assert (report.documents, report.caught_up) == (3, 0)
    with SearchIndex(tmp_path / "new" / "index") as index:
        assert index.document_versions() == {"pol-a": "v1", "pol-b": "v1", "pol-c": "v1"}


def test_exchange_swaps_two_directories(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x").write_text("a")
    exchange(tmp_path / "a", tmp_path / "b")
    assert (tmp_path / "b" / "x").read_text() == "a"
    assert not (tmp_path / "a" / "x").exists()


@pytest.mark.parametrize("argv", [["check"], ["rebuild"]])
def test_cli_reports_an_unreachable_graph(argv, tmp_path, monkeypatch, capsys) -> None:
    from graph.errors import GraphError

    @contextmanager
    def broken():
        raise GraphError("the graph engine could not be reached")
        yield

    SearchIndex(tmp_path / "ix").close()
    monkeypatch.setattr(cli, "open_store", broken)
    assert cli.main(["--index", str(tmp_path / "ix"), *argv]) == 2
    assert "could not be reached" in capsys.readouterr().err
