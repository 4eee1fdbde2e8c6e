"""networkx analytics over a real store."""

from __future__ import annotations

import json
import random
import threading
import time
import xml.etree.ElementTree as ET

import networkx as nx

from core.ids import entity_id
from graph.analytics import AnalyticsCache, _eigenvector, annotate, build_graph, export, node_summary, shortest_path
from graph.store import FalkorStore
from tests.graph.records_factory import extraction, unit

A, B, C, D = "甲市科学技术局", "甲市财政局", "甲市教育局", "乙省科学技术厅"


def _load(store: FalkorStore) -> None:
    store.replace_document(extraction("pol-1", "v1", [
        ("措施一", [unit(A, "市科技局")], [unit(B, "市财政局", 1)]),
        ("措施二", [unit(A, "市科技局")], [unit(B, "市财政局", 1), unit(C, "市教育局", 2)]),
    ]))
    store.replace_document(extraction("pol-2", "v1", [("措施三", [unit(D, "省科技厅")], [unit(C, "市教育局", 1)])]))


def test_weights_centrality_and_path(store: FalkorStore) -> None:
    _load(store)
    g = annotate(build_graph(store))
    a, b, c, d = (entity_id("Department", n) for n in (A, B, C, D))
    assert g[a][b]["weight"] == 2 and g[a][c]["weight"] == 1 and not g.has_edge(a, d)
    assert g.nodes[a]["leads"] == 2 and g.nodes[b]["supports"] == 2
    assert max(g.nodes, key=lambda n: g.nodes[n]["betweenness"]) == c  # C bridges the two policies
    assert shortest_path(g, a, d) == [a, c, d]
    assert shortest_path(g, a, "dep-unknown") == []
    assert node_summary(g, a)["collaborators"][0]["name"] == B


def test_communities_are_stable_across_runs(store: FalkorStore) -> None:
    _load(store)
    first = {n: d["community"] for n, d in annotate(build_graph(store)).nodes(data=True)}
    second = {n: d["community"] for n, d in annotate(build_graph(store)).nodes(data=True)}
    assert first == second


def test_exports_parse(store: FalkorStore) -> None:
    _load(store)
    g = annotate(build_graph(store))
    root = ET.fromstring(export(g, "graphml"))
    assert len([e for e in root.iter() if e.tag.endswith("node")]) == 4
    assert b"<gexf" in export(g, "gexf")
    assert len(json.loads(export(g, "json"))["links"]) == g.number_of_edges()


def _held_builds(cache: AnalyticsCache) -> tuple[threading.Event, threading.Event]:
    """Make the cache's network builds wait: (set when a build starts, set to let it go on)."""
    started, release = threading.Event(), threading.Event()
    real_network = cache._network

    def held(store_, version):  # noqa: ANN001, ANN202
        started.set()
        assert release.wait(30)
        return real_network(store_, version)

    cache._network = held  # type: ignore[method-assign]
    return started, release


def _eventually(check, seconds: float = 30.0):  # noqa: ANN001, ANN202
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def test_cache_rebuilds_after_another_process_loads_without_making_readers_wait(store: FalkorStore) -> None:
    _load(store)
    cache = AnalyticsCache(recheck_s=0)
    first = cache.get(store)
    assert cache.get(store) is first and not cache.updating
    started, release = _held_builds(cache)
    store.replace_document(extraction("pol-3", "v1", [("措施四", [unit(D, "省科技厅")], [unit(A, "市科技局", 1)])]))
    assert cache.get(store) is first  # the network readers had, at once, while the new one is built
    assert started.wait(10) and cache.updating
    assert cache.get(store) is first  # asked again meanwhile: still no wait, no second build
    release.set()
    second = _eventually(lambda: cache.get(store) if cache.get(store) is not first else None)
    assert second is not None and not cache.updating
    assert second.graph.has_edge(entity_id("Department", A), entity_id("Department", D))


def test_a_failed_background_rebuild_keeps_the_network_readers_have(store: FalkorStore, caplog) -> None:
    _load(store)
    cache = AnalyticsCache(recheck_s=0)
    first = cache.get(store)

    def broken(_store, _version):  # noqa: ANN001, ANN202
        raise RuntimeError("engine went away")

    cache._network = broken  # type: ignore[method-assign]
    store.replace_document(extraction("pol-3", "v1", [("措施四", [unit(D, "省科技厅")], [unit(A, "市科技局", 1)])]))
    assert cache.get(store) is first
    assert _eventually(lambda: not cache.updating)
    assert cache.get(store) is first or cache.updating
    assert "could not rebuild the collaboration network" in caplog.text


def test_cache_asks_for_the_version_at_most_every_recheck_interval(store: FalkorStore) -> None:
    _load(store)
    cache = AnalyticsCache(recheck_s=3600)
    first = cache.get(store)
    store.replace_document(extraction("pol-3", "v1", [("措施四", [unit(D, "省科技厅")], [unit(A, "市科技局", 1)])]))
    assert cache.get(store) is first  # within the interval: the cached network, by design


def test_invalidate_asks_for_the_version_at_the_next_get(store: FalkorStore) -> None:
    _load(store)
    cache = AnalyticsCache(recheck_s=3600)
    first = cache.get(store)
    store.replace_document(extraction("pol-3", "v1", [("措施四", [unit(D, "省科技厅")], [unit(A, "市科技局", 1)])]))
    cache.invalidate()
    second = cache.get(store)
    assert second is not first and second.version != first.version
    assert cache.get(store) is second  # asked once: the interval runs again


def _shape(g) -> tuple[list, list]:
    return (sorted((n, sorted(d.items())) for n, d in g.nodes(data=True)),
            sorted((min(a, b), max(a, b), sorted(d.items())) for a, b, d in g.edges(data=True)))


def test_a_saved_network_serves_other_processes_until_the_graph_changes(store: FalkorStore, tmp_path,
                                                                        monkeypatch) -> None:
    from graph import analytics

    _load(store)
    first = AnalyticsCache(recheck_s=0, directory=tmp_path).get(store)
    saved = list(tmp_path.glob("network-*.json"))
    assert [p.name for p in saved] == [f"network-{first.version}.json"]

    def no_build(_store):
        raise AssertionError("another process's saved network should have been read")

    monkeypatch.setattr(analytics, "build_graph", no_build)
    other = AnalyticsCache(recheck_s=0, directory=tmp_path).get(store)  # as a second web process would
    monkeypatch.undo()
    assert other.version == first.version
    assert _shape(other.graph) == _shape(annotate(build_graph(store)))

    store.replace_document(extraction("pol-3", "v1", [("措施四", [unit(D, "省科技厅")], [unit(A, "市科技局", 1)])]))
    after = AnalyticsCache(recheck_s=0, directory=tmp_path).get(store)
    assert after.version != first.version
    assert after.graph.has_edge(entity_id("Department", A), entity_id("Department", D))
    assert [p.name for p in tmp_path.glob("network-*.json")] == [f"network-{after.version}.json"]


def test_an_unreadable_saved_network_is_built_again(store: FalkorStore, tmp_path, caplog) -> None:
    _load(store)
    version = AnalyticsCache(directory=tmp_path).get(store).version
    (tmp_path / f"network-{version}.json").write_text("{not json", encoding="utf-8")
    again = AnalyticsCache(directory=tmp_path).get(store)
    assert "cannot be read" in caplog.text
    assert _shape(again.graph) == _shape(annotate(build_graph(store)))
    assert json.loads((tmp_path / f"network-{version}.json").read_text(encoding="utf-8"))["links"]


def test_a_folder_that_cannot_be_written_still_gives_the_network(store: FalkorStore, tmp_path, caplog) -> None:
    _load(store)
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("", encoding="utf-8")
    analysis = AnalyticsCache(directory=blocked / "cache").get(store)
    assert "cannot keep the collaboration network" in caplog.text
    assert _shape(analysis.graph) == _shape(annotate(build_graph(store)))


def test_version_is_asked_without_building_the_network(store: FalkorStore) -> None:
    _load(store)
    cache = AnalyticsCache(recheck_s=3600)
    first = cache.version(store)
    assert cache._cached is None  # the overview pages need the version, not the network
    store.replace_document(extraction("pol-3", "v1", [("措施四", [unit(A, "市科技局")], [])]))
    assert cache.version(store) == first  # asked again only after recheck_s …
    cache.invalidate()  # … or when this process loaded something
    second = cache.version(store)
    assert second != first and cache.get(store).version == second


def test_version_does_not_wait_for_a_network_being_built(store: FalkorStore) -> None:
    import threading

    _load(store)
    cache = AnalyticsCache(recheck_s=3600)
    with cache._lock:  # what `get` holds while it builds the network
        answer: list[str] = []
        thread = threading.Thread(target=lambda: answer.append(cache.version(store)))
        thread.start()
        thread.join(timeout=10)
        assert answer, "version() waited for the network build"
    assert cache.get(store).version == answer[0]


def _networkx_eigenvector(g: nx.Graph) -> dict[str, float]:
    return nx.eigenvector_centrality(g, weight="weight", max_iter=500, tol=1e-6)


def test_eigenvector_centrality_equals_networkx_on_the_sample_corpus_network(sample) -> None:
    """The numpy power iteration stores what networkx's would, on the network of the real sample corpus."""
    g = build_graph(sample.store)
    assert g.number_of_edges() > 100
    ours = _eigenvector(g)
    theirs = _networkx_eigenvector(g)
    assert ours.keys() == theirs.keys()
    assert all(round(ours[n], 6) == round(theirs[n], 6) for n in g)
    assert annotate(g).nodes[max(theirs, key=theirs.__getitem__)]["eigenvector"] == round(max(theirs.values()), 6)


def test_eigenvector_centrality_equals_networkx_with_loops_components_and_isolated_nodes() -> None:
    rng = random.Random(3)
    g = nx.gnm_random_graph(300, 900, seed=3)
    g = nx.relabel_nodes(g, {i: f"dep-{i}" for i in g})
    for a, b in g.edges:
        g[a][b]["weight"] = rng.randint(1, 9)
    g.add_edge("dep-0", "dep-0", weight=4)
    g.add_edge("x-1", "x-2", weight=2)  # a second component
    g.add_node("x-alone")
    ours, theirs = _eigenvector(g), _networkx_eigenvector(g)
    assert all(abs(ours[n] - theirs[n]) < 1e-9 for n in g)


def test_eigenvector_centrality_that_does_not_converge_reports_zeros(caplog) -> None:
    g = nx.path_graph(["a", "b", "c", "d", "e", "f"])
    nx.set_edge_attributes(g, 1, "weight")
    assert _eigenvector(g, max_iter=2) == {}
    assert "did not converge" in caplog.text


def test_a_rebuild_no_longer_wanted_is_dropped(store: FalkorStore) -> None:
    """The graph changes and changes back while the newer network is built: the readers keep theirs."""
    _load(store)
    cache = AnalyticsCache(recheck_s=0)
    first = cache.get(store)
    started, release = _held_builds(cache)
    store.replace_document(extraction("pol-3", "v1", [("措施四", [unit(D, "省科技厅")], [unit(A, "市科技局", 1)])]))
    assert cache.get(store) is first and started.wait(10) and cache.updating
    store.delete_document("pol-3")  # back to the first version
    assert cache.get(store) is first and not cache.updating
    release.set()
    for t in [t for t in threading.enumerate() if t.name == "network-rebuild"]:
        t.join(30)  # the background build ends; its network is of a version no longer wanted
    assert cache.get(store) is first and not cache.updating
