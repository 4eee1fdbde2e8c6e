"""Writing the index: per-document replace, versions, department upserts, locking, processes."""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from search.analyzer import USERDICT_NAME
from search.errors import IndexLockedError, SearchError
from search.index import SearchIndex
from search.query import search
from tests.search.factory import HR, SCI, extraction, index_worker, unit

ROOT = Path(__file__).resolve().parents[2]


def _doc(version: str = "v1", measures: list[tuple[str, str]] | None = None):
    measures = measures or [("", "建设中试基地。"), ("", "培育技术经理人。")]
    return extraction("pol-a", "科技政策", "推动科技成果转化。", measures,
                      version=version, lead=[unit(SCI)], entities=[SCI])


def test_index_extraction_counts_and_versions(index):
    assert index.index_extraction(_doc()) == 4  # policy + 2 measures + 1 department
    assert index.doc_count() == 4
    assert index.document_versions() == {"pol-a": "v1"}


def test_indexing_the_same_document_twice_changes_nothing(index):
    index.index_extraction(_doc())
    before = (index.doc_count(), search(index, "中试基地").total, search(index, "科技成果转化").total)
    index.index_extraction(_doc())
    assert (index.doc_count(), search(index, "中试基地").total, search(index, "科技成果转化").total) == before
    assert before == (4, 1, 1)


def test_changed_document_replaces_old_measures(index):
    index.index_extraction(_doc())
    index.index_extraction(_doc("v2", [("", "设立天使投资基金。")]))
    assert search(index, "中试基地").total == 0
    assert [h.uid for h in search(index, "天使投资").hits] == ["measure:mea-a-000"]
    assert index.document_versions() == {"pol-a": "v2"}
    assert index.doc_count() == 3


def test_index_many_keeps_the_last_copy_of_a_document(index):
    written = index.index_many([_doc(), _doc("v2", [("", "设立天使投资基金。")]),
                                extraction("pol-b", "另一个政策", "疫情防控。")])
    assert written == 1 + 1 + 1 + 1  # pol-a v2 (policy + measure), pol-b, department
    assert index.document_versions() == {"pol-a": "v2", "pol-b": "v1"}
    assert search(index, "中试基地").total == 0


def test_delete_document_keeps_others_and_departments(index):
    index.index_many([_doc(), extraction("pol-b", "另一个政策", "疫情防控。")])
    assert index.delete_document("pol-a") == 3
    assert index.document_versions() == {"pol-b": "v1"}
    assert search(index, "科技成果转化").total == 0
    assert [h.uid for h in search(index, "市科技局").hits] == ["department:dep-sci"]


def test_department_aliases_are_merged_across_documents(index):
    first = extraction("pol-a", "甲", "甲文。", entities=[HR])
    other_alias = type(HR)(HR.id, HR.type, HR.name, ["人力社保局"], HR.region)
    index.index_extraction(first)
    index.index_extraction(extraction("pol-b", "乙", "乙文。", entities=[other_alias]))
    for alias in ("人社局", "市人社局", "人力社保局"):
        assert [h.uid for h in search(index, alias, kind="department").hits] == ["department:dep-hr"], alias
    assert index.doc_count() == 3


def test_writer_waits_for_the_lock(index):
    blocker = index._ix.writer()  # another writer holds the lock for a second
    threading.Timer(1.0, blocker.commit).start()
    t0 = time.monotonic()
    index.index_extraction(_doc())
    assert time.monotonic() - t0 >= 0.9
    assert index.document_versions() == {"pol-a": "v1"}


def test_writer_gives_up_after_lock_timeout(tmp_path):
    ix = SearchIndex(tmp_path / "ix", lock_timeout=0.5)
    blocker = ix._ix.writer()
    try:
        with pytest.raises(IndexLockedError, match="stayed locked"):
            ix.index_extraction(_doc())
    finally:
        blocker.cancel()
    assert ix.index_extraction(_doc()) == 4
    ix.close()


def test_concurrent_processes_lose_no_document(tmp_path):
    directory = str(tmp_path / "shared")
    SearchIndex(directory).close()
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    procs = [ctx.Process(target=index_worker, args=(directory, p, 8, start)) for p in ("x", "y")]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    with SearchIndex(directory) as ix:
        versions = ix.document_versions()
        assert sorted(versions) == sorted(f"pol-{p}{i:02d}" for p in "xy" for i in range(8))
        assert ix.doc_count() == 16 * 3
        assert search(ix, "措施二", page_size=100).total == 16


def test_custom_words_are_persisted_and_loaded_by_another_process(tmp_path):
    directory = tmp_path / "ix"
    with SearchIndex(directory) as ix:
        ix.add_words(["稀土功能材料创新中心"])
        ix.index_extraction(extraction("pol-a", "甲", "建设稀土功能材料创新中心。"))
    assert "稀土功能材料创新中心" in (directory / USERDICT_NAME).read_text(encoding="utf-8").split()
    code = (
        "import json, sys; from search.index import SearchIndex; from search.query import search; "
        "from search.analyzer import precise_tokens; ix = SearchIndex(sys.argv[1]); "
        "print(json.dumps([[t.text for t in precise_tokens('稀土功能材料创新中心')], "
        "search(ix, '稀土功能材料创新中心').total, search(ix, '材料创新中心').total]))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(directory)], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    assert json.loads(out) == [["稀土功能材料创新中心"], 1, 1]


def test_open_without_create_reports_a_missing_index(tmp_path):
    with pytest.raises(SearchError, match="no search index"):
        SearchIndex(tmp_path / "none", create=False)


def test_bulk_load_in_two_processes_replaces_like_one(index):
    docs = [extraction(f"pol-{i:02d}", f"政策{i}", "推动科技成果转化。", [("", "建设中试基地。")]) for i in range(30)]
    assert index.index_many(docs, procs=2) == 60
    changed = extraction("pol-03", "政策3", "修订后的文本。", [("", "设立天使投资基金。")], version="v2")
    index.index_many([*docs[:3], changed], procs=2)
    assert index.doc_count() == 60
    assert search(index, "中试基地", page_size=100).total == 29
    assert [h.doc_id for h in search(index, "天使投资").hits] == ["pol-03"]
    assert index.document_versions()["pol-03"] == "v2"
