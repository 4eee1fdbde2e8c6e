"""A small load refreshes only the aliases of the departments it touched, and leaves the graph exactly as a full
refresh would (real engine, real index, real sample documents through the load step)."""

from __future__ import annotations

from pathlib import Path

from graph import cypher
from graph.store import FalkorStore
from loaders.load import expand, load_files
from search.index import SearchIndex
from settings import SAMPLE_CORPUS

EXTRA = SAMPLE_CORPUS / "extra"


def _aliases(store: FalkorStore) -> dict[str, list[str]]:
    rows = store.read("MATCH (d:Department) RETURN d.id, d.aliases").rows
    return {r[0]: list(r[1] or []) for r in rows}


def _refreshed_fully(store: FalkorStore) -> str:
    store.write(cypher.REFRESH_ALIASES)
    return store.checksum()


def test_small_loads_refresh_only_touched_departments_and_match_a_full_refresh(store: FalkorStore,
                                                                              tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in sorted(EXTRA.glob("0*.txt"))[:3]:
        (corpus / path.name).write_bytes(path.read_bytes())
    with SearchIndex(tmp_path / "index") as index:
        load_files(expand([corpus]), store, index)  # 3 files: scoped
        after_load = store.checksum()
        assert _refreshed_fully(store) == after_load
        assert any(_aliases(store).values())

        # A new document naming a department already in the graph with a surface form no other uses.
        added = tmp_path / "added"
        added.mkdir()
        plan = ("国务院办公厅关于印发推进测试工作方案的通知\n国办发〔2030〕1号\n\n一、推进测试工作。加强统筹协调，"
                "完善工作机制。（国家发改委牵头，财政部配合）\n二、强化资金保障。加大投入力度。（财政部负责）\n")
        (added / "plan.txt").write_text(plan, encoding="utf-8")
        summary = load_files(expand([added]), store, index)
        assert summary.documents == 1 and not summary.unchanged
        assert any("国家发改委" in a for a in _aliases(store).values())
        after_add = store.checksum()
        assert _refreshed_fully(store) == after_add

        # The same policy edited so that it no longer names that department (still named by the other
        # documents): the form only it gave goes (its departments are read before the write, refreshed after).
        (added / "plan.txt").write_text(plan.replace("国家发改委牵头，财政部配合", "财政部负责"), encoding="utf-8")
        edited = load_files(expand([added]), store, index)
        assert edited.ids[str(added / "plan.txt")] == summary.ids[str(added / "plan.txt")]
        assert not any("国家发改委" in a for a in _aliases(store).values())
        assert store.read("MATCH (d:Department) WHERE d.name CONTAINS '发展和改革' RETURN count(d)").rows[0][0] >= 1
        after_edit = store.checksum()
        assert _refreshed_fully(store) == after_edit
        source = added / "plan.txt"

        # Deleting it (delete_document finalizes the departments it named).
        doc_id = summary.ids[str(source)]
        store.delete_document(doc_id)
        after_delete = store.checksum()
        assert _refreshed_fully(store) == after_delete
        assert after_delete == after_load  # as before the fourth file came


def test_a_scoped_refresh_touches_nothing_else(store: FalkorStore) -> None:
    """finalize with a set of ids writes only those departments' aliases (a stale alias elsewhere stays)."""
    store.write("CREATE (:Department {id: 'dep-a', name: 'A', aliases: ['stale']}), "
                "(:Department {id: 'dep-b', name: 'B', aliases: ['stale']})")
    for dep, mention, measure in (("dep-a", "A局", "m1"), ("dep-b", "B局", "m2")):
        store.write(f"MATCH (d:Department {{id: '{dep}'}}) "
                    f"CREATE (d)-[:LEADS {{doc: 'x', mention: '{mention}'}}]->(:Measure {{id: '{measure}'}})")
    store.finalize({"dep-a"})
    assert _aliases(store) == {"dep-a": ["A局"], "dep-b": ["stale"]}
    store.finalize()
    assert _aliases(store) == {"dep-a": ["A局"], "dep-b": ["B局"]}


def test_a_full_refresh_runs_in_batches_and_equals_one_query(store: FalkorStore, tmp_path: Path,
                                                             monkeypatch) -> None:
    # At 100k documents one query over every department exceeded the engine's per-query memory cap: finalize
    # refreshes them ALIAS_BATCH at a time. With batches of 3 the result is the single query's.
    with SearchIndex(tmp_path / "index") as index:
        load_files(expand([EXTRA]), store, index)
    store.write("MATCH (d:Department) SET d.aliases = []")
    monkeypatch.setattr(cypher, "ALIAS_BATCH", 3)
    store.finalize()
    batched = store.checksum()
    assert len(_aliases(store)) > 3 * 2 and any(_aliases(store).values())
    assert _refreshed_fully(store) == batched
