"""Bulk loads: the same graph writes and index as a small load, graph errors stop the load, kill -9 is completed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from graph.errors import GraphError
from loaders.load import BULK_FILES, INDEX_BATCH, IndexPlan, expand, load_files
from search.index import SearchIndex
from settings import ROOT, SAMPLE_CORPUS
from tests.homes import home_state, wait_for_engine_exit
from tests.search.test_bulk_writes import _content

BULK = IndexPlan(batch=4, procs=2, merge=False)  # a bulk plan at the sample corpus's size


class _Graph:
    """An in-memory graph writer recording the order of its writes; fails on `fail_on` if given."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.written: list[tuple[str, str]] = []
        self.fail_on = fail_on

    def document_catalogue(self) -> list[dict[str, object]]:
        return []

    def policy_text(self, doc_id: str) -> str:
        return ""

    def set_sources(self, doc_id: str, lists: dict[str, list[str]]) -> None:
        pass

    def remove_document(self, doc_id: str) -> None:
        pass

    def replace_document(self, ex) -> None:
        if ex.source == self.fail_on:
            raise GraphError("the graph engine could not be reached: connection reset")
        self.written.append((ex.document.id, ex.document.version))

    def finalize(self, departments=None) -> int:
        return 0

    def compact(self, wait: bool = True) -> None:
        pass

    def departments_of(self, doc_id: str) -> set[str]:
        return set()


def test_small_loads_keep_merging_and_bulk_loads_use_the_bulk_plan():
    assert IndexPlan.for_files(3) == IndexPlan(INDEX_BATCH, 1, merge=True)
    bulk = IndexPlan.for_files(BULK_FILES)
    assert not bulk.merge and bulk.batch > INDEX_BATCH and bulk.procs == min(2, os.cpu_count() or 1)


def test_a_bulk_load_writes_what_a_small_load_writes(tmp_path):
    files = expand([SAMPLE_CORPUS])
    graphs = {}
    for name, plan in (("small", IndexPlan()), ("bulk", BULK)):
        graphs[name] = _Graph()
        with SearchIndex(tmp_path / name) as index:
            summary = load_files(files, graphs[name], index, plan=plan)
        assert not summary.errors and summary.documents == len(files)
    assert graphs["bulk"].written == graphs["small"].written  # every document, in file order
    assert _content(tmp_path / "bulk") == _content(tmp_path / "small")


def test_a_failed_graph_write_stops_the_load_with_its_error(tmp_path):
    files = expand([SAMPLE_CORPUS])
    graph = _Graph(fail_on=str(files[5]))
    threads = threading.active_count()
    with SearchIndex(tmp_path / "index", lock_timeout=5) as index, \
            pytest.raises(GraphError, match="could not be reached"):
        load_files(files, graph, index, plan=BULK)
    assert threading.active_count() == threads  # the graph thread has ended
    with SearchIndex(tmp_path / "index", lock_timeout=5) as index:  # no batch keeps the index locked
        again = load_files(files, _Graph(), index, plan=BULK)
    assert again.documents == len(files)
    assert [d for d, _ in graph.written] == [again.ids[str(f)] for f in files[:5]]  # in order, none after the error


_LOADER = """
import sys
from graph.backend import open_graph
from loaders.load import IndexPlan, expand, load_files
from search.index import SearchIndex
from settings import load_settings
settings = load_settings()
with open_graph(settings, attach=True) as handle, SearchIndex(settings.index_dir) as index:
    load_files(expand([sys.argv[1]]), handle.store, index, plan=IndexPlan(batch=4, procs=2, merge=False))
"""


def _load(home: Path) -> subprocess.Popen[str]:
    env = {"POLICYGRAPH_HOME": str(home), "PATH": "/usr/bin:/bin"}
    return subprocess.Popen([sys.executable, "-c", _LOADER, str(SAMPLE_CORPUS)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_bulk_load_killed_at_any_point_is_completed_by_running_it_again(tmp_path):
    started = time.monotonic()
    clean = _load(tmp_path / "clean")
    assert clean.wait(300) == 0, clean.stderr.read() if clean.stderr else ""
    duration = time.monotonic() - started
    expected = home_state(tmp_path / "clean")
    killed = 0
    for trial, fraction in enumerate((0.35, 0.6, 0.85)):
        home = tmp_path / f"killed{trial}"
        proc = _load(home)
        time.sleep(duration * fraction)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed += 1
        proc.wait()
        wait_for_engine_exit(home)
        rerun = _load(home)  # would wait for the index lock if a writer process outlived the loader
        assert rerun.wait(300) == 0, rerun.stderr.read() if rerun.stderr else ""
        assert home_state(home) == expected, f"trial {trial} differs from a clean load"
    assert killed >= 2, "most trials must really interrupt a load"
