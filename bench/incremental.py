"""The daily case: 20 new documents added to a home of N through `python -m loaders load`, while searches go on.

The home `ingest` built is copied first (the cached home stays as it was).  As in production, the graph
engine is already running (this process owns it, as `webapp serve` would) and the CLI attaches to it; a
thread searches the index every ~200 ms meanwhile and records each answer's latency and any error.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from bench.corpus import following
from bench.measure import _pct, home_for, query_mix
from graph.backend import open_graph
from search.index import SearchIndex
from search.query import search
from search.warm import warm
from settings import ROOT, load_settings

EXTRA = 20
PROBE_S = 0.2


class Prober:
    """Searches `index` every `interval_s` seconds in a thread; latencies (ms) and errors of each answer."""

    def __init__(self, index: SearchIndex, queries: list[str], interval_s: float = PROBE_S) -> None:
        self.index, self.queries, self.interval_s = index, queries, interval_s
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.totals: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="search-prober", daemon=True)

    def __enter__(self) -> Prober:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        i = 0
        while not self._stop.is_set():
            q = self.queries[i % len(self.queries)]
            started = time.perf_counter()
            try:
                self.totals.append(search(self.index, q).total)
            except Exception as exc:  # noqa: BLE001 - what is measured is whether searches fail
                self.errors.append(f"{q}: {type(exc).__name__}: {exc}")
            self.latencies.append((time.perf_counter() - started) * 1000)
            i += 1
            self._stop.wait(self.interval_s)

    def figures(self) -> dict[str, Any]:
        times = sorted(self.latencies)
        if not times:
            return {"n": 0, "errors": len(self.errors)}
        return {"n": len(times), "p50_ms": round(statistics.median(times), 2), "p95_ms": round(_pct(times, 95), 2),
                "max_ms": round(times[-1], 2), "errors": len(self.errors), "first_errors": self.errors[:3]}


def run(docs: int, data: Path, extra: int = EXTRA) -> dict[str, Any]:
    """Time `loaders load` of `extra` new documents into a copy of the N-document home; figures as a dict."""
    home = data / f"add-home-{docs}"
    shutil.rmtree(home, ignore_errors=True)
    started = time.perf_counter()
    shutil.copytree(home_for(docs, data), home, symlinks=True, ignore=shutil.ignore_patterns("*.sock"))
    copy_s = time.perf_counter() - started
    folder = following(docs, extra, data / f"add-docs-{docs}")
    settings = load_settings(home=home)
    env = {**os.environ, "POLICYGRAPH_HOME": str(home)}
    try:
        with open_graph(settings) as handle, SearchIndex(settings.index_dir) as index:
            before = (handle.store.counts().get("Policy", 0), index.doc_count(), index.segment_count())
            queries = query_mix(docs=docs)
            warm(index)
            search(index, queries[0])
            with Prober(index, queries) as prober:
                time.sleep(1.0)  # a few answers before the load starts
                started = time.perf_counter()
                proc = subprocess.run([sys.executable, "-m", "loaders", "load", "--no-progress", str(folder[0].parent)],
                                      cwd=ROOT, env=env, capture_output=True, text=True)
                load_s = time.perf_counter() - started
                time.sleep(1.0)
            if proc.returncode != 0:
                raise RuntimeError(f"loaders load failed ({proc.returncode}): {proc.stderr[-2000:]}")
            after = (handle.store.counts().get("Policy", 0), index.doc_count(), index.segment_count())
            found = _findable(index, folder)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return {"docs": docs, "added": extra, "seconds": round(load_s, 2), "copy_s": round(copy_s, 1),
            "cli_summary": _summary_line(proc.stdout), "policies": [before[0], after[0]],
            "entries": [before[1], after[1]], "segments": [before[2], after[2]], "titles_found": found,
            "searches_meanwhile": prober.figures()}


def _summary_line(stdout: str) -> str:
    return next((line for line in stdout.splitlines() if line.startswith("documents loaded")), "")


def _findable(index: SearchIndex, files: list[Path]) -> int:
    """How many of the added documents' titles (their first line) find a policy titled with them."""
    found = 0
    for path in files:
        title = _title(path)
        hits = search(index, f'"{title}"', kind="policy", page_size=5).hits
        found += any(h.title == title for h in hits)
    return found


def _title(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        return text.split("<title>", 1)[1].split("</title>", 1)[0]
    if path.suffix == ".md":
        return text.split("title: ", 1)[1].split("\n", 1)[0]
    return text.split("\n", 1)[0]
