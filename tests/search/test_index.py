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
from whoosh.fields import KEYWORD, STORED

from search.analyzer import USERDICT_NAME, precise_tokens
from search.errors import IndexFormatError, IndexLockedError, SearchError
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


def test_delete_document_keeps_others_and_departments_they_mention(index):
    index.index_many([_doc(), extraction("pol-b", "另一个政策", "疫情防控。", entities=[SCI])])
    assert index.delete_document("pol-a") == 3
    assert index.document_versions() == {"pol-b": "v1"}
    assert search(index, "科技成果转化").total == 0
    assert [h.uid for h in search(index, "市科技局").hits] == ["department:dep-sci"]


def test_department_entry_goes_with_the_last_document_that_mentions_it(index):
    index.index_many([_doc(), extraction("pol-b", "另一个政策", "疫情防控。", entities=[SCI, HR])])
    index.delete_document("pol-b")
    assert search(index, "人社局").total == 0  # only pol-b mentioned HR
    assert [h.uid for h in search(index, "市科技局", kind="department").hits] == ["department:dep-sci"]
    index.delete_document("pol-a")
    assert search(index, "市科技局").total == 0
    assert index.doc_count() == 0


def test_replacing_a_document_drops_departments_and_aliases_it_no_longer_mentions(index):
    other_alias = type(HR)(HR.id, HR.type, HR.name, ["人力社保局"], HR.region)
    index.index_many([extraction("pol-a", "甲", "甲文。", entities=[HR, SCI]),
                      extraction("pol-b", "乙", "乙文。", entities=[other_alias])])
    assert [h.uid for h in search(index, "人社局", kind="department").hits] == ["department:dep-hr"]
    index.index_extraction(extraction("pol-a", "甲", "新文。", version="v2"))  # mentions nobody now
    assert search(index, "市科技局").total == 0
    assert search(index, "人社局", kind="department").total == 0  # pol-a's alias went with it
    assert [h.uid for h in search(index, "人力社保局", kind="department").hits] == ["department:dep-hr"]
    index.delete_document("pol-b")  # the last document naming HR
    assert search(index, "人力社保局", kind="department").total == 0


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


def test_an_open_index_picks_up_words_another_process_added(tmp_path):
    """A long-running process (the web app) searching while `loaders load` adds documents with new names: the
    names the loader kept whole are kept whole in this process's queries too, from its next search on."""
    directory = tmp_path / "ix"
    word = "澜沧江智能装备验证中心"
    with SearchIndex(directory) as ix:
        ix.index_extraction(extraction("pol-a", "甲", "推动科技成果转化。"))
        assert search(ix, "科技成果转化").total == 1  # this process has its searcher and dictionary
        assert len(precise_tokens(word)) > 1
        code = ("import sys; from search.index import SearchIndex; from tests.search.factory import extraction; "
                "ix = SearchIndex(sys.argv[1]); ix.add_words([sys.argv[2]]); "
                "ix.index_extraction(extraction('pol-b', '乙', '建设' + sys.argv[2] + '。')); ix.close()")
        subprocess.run([sys.executable, "-c", code, str(directory), word], cwd=ROOT, check=True)
        assert search(ix, f'"{word}"').total == 1
        assert [t.text for t in precise_tokens(word)] == [word]


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


def _old_layout_index(directory: Path, without: tuple[str, ...], entries: list[dict]) -> None:
    """An index as an older version wrote it: its schema without `without`, no format stamp, these entries."""
    from whoosh import index as whoosh_index

    from search.schema import build_schema

    old = build_schema()
    for name in without:
        if name in old:
            old.remove(name)
    for name in ("mentioned_in", "alias_sources"):  # fields those versions had
        if name not in without:
            old.add(name, KEYWORD(stored=True, commas=True) if name == "mentioned_in" else STORED())
    directory.mkdir(parents=True, exist_ok=True)
    with whoosh_index.create_in(str(directory), old).writer() as w:
        for entry in entries:
            w.add_document(**entry)


def _refused(directory: Path) -> str:
    """The error opening `directory` gives; the index is left as it was (no field added, nothing written)."""
    before = {p.name: p.read_bytes() for p in directory.iterdir() if p.name != "create.lock"}
    with pytest.raises(IndexFormatError) as err:
        SearchIndex(directory)
    assert {p.name: p.read_bytes() for p in directory.iterdir() if p.name != "create.lock"} == before
    return str(err.value)


def test_index_written_before_entity_tracking_is_refused_with_a_request_to_rebuild(tmp_path):
    """Before entity tracking: entity entries carried no sources (its read path has been removed)."""
    _old_layout_index(tmp_path, ("mentioned_in", "alias_sources", "mentions", "entity_aliases"), [
        dict(uid="department:dep-sci", kind="department", id="dep-sci", title=SCI.name, body="市科技局",
             aliases=["市科技局"], region="淮北市")])
    message = _refused(tmp_path)
    assert "this index was written by an older version" in message
    assert "run `python -m search rebuild`" in message and str(tmp_path) in message


def test_index_tracking_mentions_on_entity_entries_is_refused_with_a_request_to_rebuild(tmp_path):
    """An index written by the version that listed each entity's documents on the entity entry."""
    _old_layout_index(tmp_path, ("mentions", "entity_aliases"), [
        *(dict(uid=f"policy:{doc_id}", kind="policy", id=doc_id, doc_id=doc_id, title="旧文件", body="旧文件正文。",
               version="v1") for doc_id in ("pol-x", "pol-y")),
        dict(uid="department:dep-hr", kind="department", id="dep-hr", title=HR.name, body="人社局\n人力社保局",
             aliases=["人社局", "人力社保局"], region="淮北市", mentioned_in="pol-x,pol-y",
             alias_sources={"pol-x": ["人社局"], "pol-y": ["人力社保局"]})])
    assert "this index was written by an older version" in _refused(tmp_path)


def test_the_format_stamp_is_written_with_a_new_index_and_a_newer_one_is_refused(tmp_path):
    from search.index import FORMAT_NAME, INDEX_FORMAT, index_format

    with SearchIndex(tmp_path / "ix") as ix:
        ix.index_extraction(_doc())
    assert index_format(tmp_path / "ix") == INDEX_FORMAT
    with SearchIndex(tmp_path / "ix") as ix:  # opens again as it is
        assert ix.document_versions() == {"pol-a": "v1"}
    (tmp_path / "ix" / FORMAT_NAME).write_text(json.dumps({"format": INDEX_FORMAT + 1}), encoding="utf-8")
    assert "written by a newer version" in _refused(tmp_path / "ix")
    (tmp_path / "ix" / FORMAT_NAME).unlink()  # an index of this layout that lost its stamp: refused as older
    assert "this index was written by an older version" in _refused(tmp_path / "ix")


def test_the_cli_says_what_to_do_with_an_older_index(tmp_path, capsys):
    import search.__main__ as cli

    _old_layout_index(tmp_path, ("mentions", "entity_aliases"), [
        dict(uid="policy:pol-x", kind="policy", id="pol-x", doc_id="pol-x", title="旧文件", body="旧文件正文。")])
    assert cli.main(["query", "旧文件", "--index", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "this index was written by an older version" in err and "python -m search rebuild" in err


def test_documents_repeating_known_aliases_leave_the_entity_entry_alone(index):
    index.index_extraction(extraction("pol-a", "甲", "甲文。", entities=[HR, SCI]))
    before = index.searcher().doc_count_all()
    index.index_many([extraction(f"pol-{i}", "乙", "乙文。", entities=[HR, SCI]) for i in range(5)])
    assert index.searcher().doc_count_all() == before + 5  # five policies, no rewritten (deleted) entity copies
    other_alias = type(HR)(HR.id, HR.type, HR.name, ["人力社保局"], HR.region)
    index.index_extraction(extraction("pol-b", "丙", "丙文。", entities=[other_alias]))
    assert index.searcher().doc_count_all() == before + 5 + 2  # a policy and the rewritten HR entry
    assert [h.uid for h in search(index, "人力社保局", kind="department").hits] == ["department:dep-hr"]
    assert [h.uid for h in search(index, "人社局", kind="department").hits] == ["department:dep-hr"]


def test_searcher_process_sees_consistent_snapshots_while_another_process_writes(tmp_path):
    from tests.search.factory import MEASURES, WRITER_DOCS, rewrite_worker, search_worker

    directory, rounds = str(tmp_path / "shared"), 12
    SearchIndex(directory).close()
    ctx = multiprocessing.get_context("spawn")
    start, done, out = ctx.Event(), ctx.Event(), ctx.Queue()
    writer = ctx.Process(target=rewrite_worker, args=(directory, rounds, start))
    searcher = ctx.Process(target=search_worker, args=(directory, start, done, out))
    writer.start()
    searcher.start()  # sets `start` after its first search, so both run at the same time
    writer.join(180)
    done.set()
    searcher.join(60)
    assert (writer.exitcode, searcher.exitcode) == (0, 0)
    searches, problems = out.get(timeout=10)
    assert problems == []
    assert searches > 1
    with SearchIndex(directory) as ix:
        versions = ix.document_versions()
        assert versions == {**{f"pol-w{i}": f"v{rounds - 1}" for i in range(WRITER_DOCS)},
                            **{f"pol-n{r:03d}": f"v{r}" for r in range(rounds)}}
        assert search(ix, "共同词 type:measure", page_size=100).total == (WRITER_DOCS + rounds) * MEASURES


def test_searching_an_empty_index(index):
    r = search(index, "科技成果 type:measure")
    assert (r.total, r.hits) == (0, [])


def test_optimize_merges_segments_and_keeps_results(index):
    docs = [extraction(f"pol-{i:02d}", f"政策{i}", "推动科技成果转化。", [("", "建设中试基地。")]) for i in range(6)]
    for i in range(0, 6, 2):
        index.index_many(docs[i : i + 2])
    index.delete_document("pol-00")
    before = [(h.uid, h.score) for h in search(index, "中试基地").hits]
    index.optimize()
    assert len(index.searcher().reader().leaf_readers()) == 1
    assert [h.uid for h in search(index, "中试基地").hits] == [uid for uid, _ in before]
    assert search(index, "中试基地").total == 5


def test_segments_are_written_as_separate_files_not_compound(index):
    """Whoosh copies each sub-file of a compound segment into memory for every searcher that
    opens it (hundreds of MB per web thread at 10k documents); separate files are read in place."""
    from tests.search.factory import extraction

    index.index_many([extraction("pol-a", "标题", "推动科技成果转化。", [("", "措施")])])
    index.optimize()
    files = [p.name for p in index.directory.iterdir()]
    assert any(name.endswith(".trm") for name in files)
    assert not any(name.endswith(".seg") for name in files)
