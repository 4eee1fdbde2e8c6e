"""The load log beside the graph, written by the load step (real engine, real index, real SQLite file)."""

from __future__ import annotations

from pathlib import Path

from core.loadlog import LoadLog
from graph.store import FalkorStore
from loaders.load import load_files
from search.index import SearchIndex
from settings import SAMPLE_CORPUS

SEED = SAMPLE_CORPUS / "seeds/000_ea2e05c557d4a99d.txt"


def _copy(tmp_path: Path) -> Path:
    path = tmp_path / "docs" / "a.txt"
    path.parent.mkdir()
    path.write_bytes(SEED.read_bytes())
    return path


def _ids(store: FalkorStore) -> set[str]:
    return set(store.document_versions())


def test_a_document_loaded_before_the_log_began_is_replaced_without_a_first_time(store: FalkorStore,
                                                                                 tmp_path: Path) -> None:
    path = _copy(tmp_path)
    with SearchIndex(tmp_path / "index") as index:
        load_files([path], store, index)  # an older version: no log
        path.write_text(path.read_text(encoding="utf-8") + "\n附：本通知自印发之日起施行。\n", encoding="utf-8")
        with LoadLog(tmp_path / "loads.sqlite3") as log:
            summary = load_files([path], store, index, load_log=log)
        (entry,) = LoadLog(tmp_path / "loads.sqlite3").recent(10, _ids(store))
    assert entry.doc == summary.ids[str(path)] and entry.replaced and entry.first is None


def test_a_log_that_cannot_be_written_does_not_stop_the_load(store: FalkorStore, tmp_path: Path) -> None:
    path = _copy(tmp_path)
    blocked = tmp_path / "loads.sqlite3"
    blocked.mkdir()  # a folder where the log file should be
    with SearchIndex(tmp_path / "index") as index, LoadLog(blocked) as log:
        summary = load_files([path], store, index, load_log=log)
    assert summary.documents == 1 and not summary.errors and _ids(store) == {summary.ids[str(path)]}
    assert LoadLog(blocked).recent(10, _ids(store)) == []
