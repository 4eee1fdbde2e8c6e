"""The user-query engine: a copy of the main graph that follows its version, read-only, restarted after a kill."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.errors import QueryFailed, QueryTimeout
from graph.sandbox import SandboxEngine, SandboxStore, kill_sandbox
from graph.store import FalkorStore
from tests.graph.records_factory import extraction, unit


@pytest.fixture
def copy(store: FalkorStore, tmp_path: Path) -> Iterator[tuple[SandboxEngine, SandboxStore]]:
    engine = SandboxEngine(tmp_path / "sandbox", timeout_ms=1000, row_cap=10, reply_cap_bytes=32 << 20).start()
    user_store = SandboxStore(store, engine.data_dir, store._admin.name, timeout_ms=1000)
    yield engine, user_store
    user_store.close()
    engine.stop()


def _policy_ids(user_store: SandboxStore) -> list[str]:
    return sorted(r[0] for r in user_store.read("MATCH (p:Policy) RETURN p.id").rows)


def test_the_copy_follows_the_main_graph(store: FalkorStore, copy: tuple[SandboxEngine, SandboxStore]) -> None:
    _engine, user_store = copy
    store.replace_document(extraction("pol-a", "v1", [("建设中试基地", [unit("淮北市科学技术局", "市科技局")], [])]))
    assert _policy_ids(user_store) == ["pol-a"]
    store.replace_document(extraction("pol-b", "v1", [("建设实验室", [unit("淮北市财政局", "市财政局")], [])]))
    assert _policy_ids(user_store) == ["pol-a", "pol-b"]
    # A write that changes no document version (the loader's pruning and alias refresh) is followed too.
    store.write("MATCH (p:Policy {id: 'pol-b'}) SET p.title = '新标题'")
    assert user_store.read("MATCH (p:Policy {id: 'pol-b'}) RETURN p.title").rows == [["新标题"]]


def test_the_copy_is_read_only_and_writes_never_reach_the_main_graph(
        store: FalkorStore, copy: tuple[SandboxEngine, SandboxStore]) -> None:
    _engine, user_store = copy
    store.replace_document(extraction("pol-a", "v1", [("建设中试基地", [unit("淮北市科学技术局", "市科技局")], [])]))
    before = store.checksum()
    with pytest.raises(QueryFailed):
        user_store.read("MATCH (p:Policy) SET p.title = 'x'")
    with pytest.raises(Exception, match="read-only"):
        user_store.write("CREATE (:X)")
    assert store.checksum() == before


def test_an_overrun_kills_the_copy_and_the_watchdog_starts_a_fresh_one(
        store: FalkorStore, copy: tuple[SandboxEngine, SandboxStore]) -> None:
    engine, user_store = copy
    store.replace_document(extraction("pol-a", "v1", [("建设中试基地", [unit("淮北市科学技术局", "市科技局")], [])]))
    # union-attr: the engine has started, so it has a process
    first = engine.process.pid  # type: ignore[union-attr]
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        user_store.read("RETURN size(reduce(s = '', x IN range(1, 200000) | s + 'abcdefghij')) AS n")
    assert time.monotonic() - started < 10  # limit 1 s + grace 1 s, with a margin for a loaded machine
    assert _policy_ids(user_store) == ["pol-a"]  # restarted and reloaded
    assert engine.process is not None and engine.process.pid != first
    assert kill_sandbox(engine.data_dir) and _policy_ids(user_store) == ["pol-a"]
