"""The measurements behind `python -m bench`: ingest end to end, search and graph-read latencies."""

from __future__ import annotations

import os
import random
import resource
import shutil
import statistics
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Self

import psutil

from bench.corpus import SCALE_FROM, generate, vocabulary
from core.loadlog import LoadLog
from graph import cypher
from graph import reads as graph_reads
from graph.analytics import AnalyticsCache
from graph.backend import open_graph
from loaders.load import IndexPlan, load_files
from search.index import SearchIndex
from search.query import search
from search.warm import warm
from settings import load_settings


def cpu_reference(rounds: int = 3) -> float:
    """Seconds for a fixed single-core pure-Python workload (best of `rounds`): how fast the machine is now.

    Figures measured on different days are comparable only through it: the same commit has
    measured twice as slow on a day this reference was twice as large.
    """
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        table: dict[int, int] = {}
        for i in range(2_000_000):
            table[i & 1023] = table.get(i & 1023, 0) + i
        best = min(best, time.perf_counter() - started)
    return round(best, 3)


def home_for(docs: int, data: Path) -> Path:
    return data / f"home-{docs}"


def ingest(docs: int, data: Path) -> dict[str, Any]:
    """Load a generated corpus of `docs` documents into a fresh home; figures as a dict."""
    files = generate(docs, data / f"corpus-{docs}")
    home = home_for(docs, data)
    shutil.rmtree(home, ignore_errors=True)
    settings = load_settings(home=home)
    started = time.perf_counter()
    with open_graph(settings) as handle, SearchIndex(settings.index_dir) as index, TreeMemory() as memory, \
            LoadLog(settings.load_log) as load_log:  # as `loaders load` does: the home page lists recent loads
        summary = load_files(files, handle.store, index, load_log=load_log)
        elapsed = time.perf_counter() - started
        engine_peak = _engine_peak_kib(handle)
        cpu = _cpu_seconds(handle)  # before counts(): only the load's work
        counts = handle.store.counts()
    size = summary.bytes_read
    return {
        "docs": docs, "seconds": round(elapsed, 2), "docs_per_s": round(docs / elapsed, 1),
        "mb_per_s": round(size / elapsed / 1e6, 3), "mb": round(size / 1e6, 2), "measures": summary.measures,
        "errors": len(summary.errors), "stages": summary.as_dict()["seconds"],
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        # loader + engine + forked index writers, summed at the same instant (PSS: shared pages counted once)
        "peak_total_pss_mb": round(memory.peak_kib / 1024, 1), "memory_sampling_cpu_s": round(memory.cpu_s, 1),
        "writers": IndexPlan.for_files(docs).procs, "cpu_s": cpu,
        "engine_peak_rss_mb": round(engine_peak / 1024, 1), "nodes": {k: v for k, v in counts.items() if k[0].isupper()
                                                                     and not k.isupper()},
    }


class Sampler:
    """A thread that runs `_run` from `with` until the block ends (`_run` watches `self._stop`)."""

    def __init__(self, name: str) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        raise NotImplementedError


class TreeMemory(Sampler):
    """Samples the proportional set size (PSS) of this process and all its descendants, summed.

    Per-process peaks (ru_maxrss, VmHWM) cannot be added up: they happen at different times, and
    forked index writers share most of their pages with the loader.  PSS charges each shared
    page to its processes in proportion, so the sum is what the load holds at that instant.
    """

    def __init__(self, interval_s: float = 1.0) -> None:
        # Reading smaps_rollup walks a process's page tables: at 10k documents, sampling 4 times a
        # second took about 15% of a core from the load it measures.  Peaks last seconds (a batch).
        super().__init__("tree-memory")
        self.interval_s, self.peak_kib, self.cpu_s = interval_s, 0, 0.0

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.peak_kib = max(self.peak_kib, sum(pss_kib(pid) for pid in _tree(os.getpid())))
            self.cpu_s = time.thread_time()  # this thread's CPU: what the sampling cost the load


def _tree(pid: int) -> list[int]:
    """`pid` and every process descended from it (forked index writers, the engine, their children)."""
    try:
        return [pid, *(child.pid for child in psutil.Process(pid).children(recursive=True))]
    except psutil.Error:  # the process ended meanwhile
        return [pid]


def pss_kib(pid: int) -> int:
    """A process's proportional set size in KiB (0 once it has ended)."""
    try:
        return int(psutil.Process(pid).memory_full_info().pss) // 1024
    except psutil.Error:
        return 0


def _cpu_seconds(handle: Any) -> dict[str, float]:
    """CPU seconds (user + system) of the loader process, its ended children (the forked index
    writers) and the graph engine: where the two cores' time went."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    out = {"loader": own.ru_utime + own.ru_stime, "index_writers": children.ru_utime + children.ru_stime}
    if handle.engine is not None and handle.engine.process is not None:
        times = psutil.Process(handle.engine.process.pid).cpu_times()
        out["engine"] = times.user + times.system  # the engine's own, not its children's
    return {k: round(v, 1) for k, v in out.items()}


def _engine_peak_kib(handle: Any) -> int:
    """The engine's peak resident set (the kernel's high-water mark, VmHWM) in KiB.

    psutil exposes a peak resident set only on Windows (`peak_wset`), and sampling the current
    resident set would miss short peaks, so this one figure is read from /proc/<pid>/status.
    """
    if handle.engine is None or handle.engine.process is None:
        return 0
    for line in Path(f"/proc/{handle.engine.process.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def query_mix(seed: int = 11, n: int = 200, docs: int = SCALE_FROM) -> list[str]:
    """A fixed mix of terms, phrases, AND, OR and filtered queries over the words of a corpus of `docs`
    documents (the same mix for every corpus of up to bench.corpus.SCALE_FROM documents)."""
    rng = random.Random(seed)
    v = vocabulary(docs)
    makers: list[Callable[[], str]] = [
        lambda: rng.choice(v.objects),
        lambda: f"\"{rng.choice(v.objects)}\"",
        lambda: f"{rng.choice(v.objects)} {rng.choice(v.objects)}",
        lambda: f"{rng.choice(v.objects)} OR {rng.choice(v.objects)}",
        lambda: f"{rng.choice(v.objects)} type:measure",
        lambda: f"{rng.choice(v.programmes)} year:{rng.randint(2019, 2024)}",
        lambda: f"{rng.choice(v.objects)} lead:{rng.choice(v.kinds)}",
        lambda: f"{rng.choice(v.objects)} -{rng.choice(v.objects)}",
    ]
    return [makers[i % len(makers)]() for i in range(n)]


def reads(docs: int, data: Path) -> dict[str, Any]:
    """Latencies of the search mix and of the graph reads the pages use, on the home `ingest` built."""
    settings = load_settings(home=home_for(docs, data))
    with open_graph(settings) as handle, SearchIndex(settings.index_dir) as index:
        store = handle.store
        queries = query_mix(docs=docs)
        out: dict[str, Any] = {"docs": docs, "search_warmup": _latencies([lambda: warm(index)])}  # as the app starts
        search(index, queries[0])  # dictionary, searcher
        out["search"] = _latencies([lambda q=q: search(index, q) for q in queries])
        out["search_again"] = _latencies([lambda q=q: search(index, q) for q in queries])  # the same mix, warm
        dept_ids = [r[0] for r in store.read(cypher.SAMPLE_DEPARTMENT_IDS).rows]
        policy_ids = [r[0] for r in store.read(cypher.SAMPLE_POLICY_IDS).rows]
        rng = random.Random(5)
        topics = rng.choices(vocabulary(docs).objects, k=50)
        out["who_leads"] = _latencies([lambda k=k: _who_leads(store, index, k) for k in topics])
        out["department"] = _latencies([lambda d=d: graph_reads.department(store, d)
                                        for d in rng.sample(dept_ids, min(100, len(dept_ids)))])
        out["policy"] = _latencies([lambda p=p: graph_reads.policy(store, p)
                                    for p in rng.sample(policy_ids, min(100, len(policy_ids)))])
        cache = AnalyticsCache()  # as in the app: built once per graph version, then filtered in memory
        out["network_build"] = _latencies([lambda: cache.get(store)])
        out["network_500"] = _latencies([lambda: graph_reads.collaboration_network(store, limit=500, cache=cache)] * 20)
        out["network_policy"] = _latencies([lambda p=p: graph_reads.collaboration_network(store, policy=p, cache=cache)
                                            for p in rng.sample(policy_ids, min(20, len(policy_ids)))])
        out.update(_pages(settings, store, index, rng))
    return out


def _pages(settings: Any, store: Any, index: SearchIndex, rng: random.Random) -> dict[str, Any]:
    """The home overview and the deadline board as the web app serves them (the real app, its test client).

    Both are computed once per graph version (`*_build`, the first request after a load pays it);
    the page figures are the requests after that: template, search-index facets of the home page,
    the board's filter in memory.
    """
    from graph import deadlines, overview
    from webapp import create_app

    app = create_app({"SETTINGS": settings, "GRAPH_STORE": store, "SEARCH_INDEX": index})
    client = app.test_client()
    out = {"overview_build": _latencies([lambda: overview.overview(store)]),
           "deadlines_build": _latencies([lambda: deadlines.board_data(store)])}
    named = [u.id for u, _n in deadlines.board_data(store).departments]
    for path in ("/", "/deadlines"):  # the first request computes the page's per-version values
        _ok(client.get(path))
    out["home_overview"] = _latencies([lambda: _ok(client.get("/"))] * 50)
    boards = [{}] * 10 + [{"department": d} for d in rng.sample(named, min(40, len(named)))]
    out["deadline_board"] = _latencies([lambda q=q: _ok(client.get("/deadlines", query_string=q)) for q in boards])
    return out


def _ok(response: Any) -> Any:
    if response.status_code != 200:
        raise RuntimeError(f"{response.request.path} answered {response.status_code}")
    return response


def _who_leads(store: Any, index: SearchIndex, text: str) -> Any:
    """Who leads, as the web page runs it: lead facet from the index, evidence from the graph."""
    facet = search(index, f'"{text}"', kind="measure", page_size=0).facets.get("lead", [])
    return graph_reads.who_leads(store, text, candidates=[name for name, _n in facet])


def _latencies(calls: list[Callable[[], Any]]) -> dict[str, float]:
    times = []
    for call in calls:
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"n": len(times), "p50_ms": round(statistics.median(times), 2), "p95_ms": round(_pct(times, 95), 2),
            "p99_ms": round(_pct(times, 99), 2)}


def _pct(sorted_times: list[float], p: int) -> float:
    return sorted_times[min(len(sorted_times) - 1, int(round(p / 100 * (len(sorted_times) - 1))))]
