"""The daily case: 20 new documents added to a home of N through `python -m loaders load`, then 20 more through
the upload page, while searches go on.

The home `ingest` built is copied first (the cached home stays as it was).  As in production, the graph
engine is already running (this process owns it, as `webapp serve` would) and the CLI attaches to it; a
thread searches the index every ~200 ms meanwhile and records each answer's latency and any error.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.corpus import following
from bench.measure import Sampler, _pct, home_for, query_mix
from graph.backend import open_graph
from search.index import SearchIndex
from search.query import search
from search.warm import warm
from settings import ROOT, load_settings

EXTRA = 20
PROBE_S = 0.2


class Prober(Sampler):
    """Searches `index` every `interval_s` seconds in a thread; latencies (ms) and errors of each answer."""

    def __init__(self, index: SearchIndex, queries: list[str], interval_s: float = PROBE_S) -> None:
        super().__init__("search-prober")
        self.index, self.queries, self.interval_s = index, queries, interval_s
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.totals: list[int] = []

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


ROUNDS = 3  # loads of `extra` new documents one after the other: the median is reported (the machine is shared)


def run(docs: int, data: Path, extra: int = EXTRA, rounds: int = ROUNDS) -> dict[str, Any]:
    """Time `loaders load` of `extra` new documents into a copy of the N-document home (`rounds` times, new
    documents each time), then an upload of `extra` more; figures as a dict."""
    home = data / f"add-home-{docs}"
    shutil.rmtree(home, ignore_errors=True)
    started = time.perf_counter()
    shutil.copytree(home_for(docs, data), home, symlinks=True, ignore=shutil.ignore_patterns("*.sock"))
    copy_s = time.perf_counter() - started
    *cli_batches, upload_files = _new_documents(docs, extra, rounds + 1, data / f"add-docs-{docs}")
    settings = load_settings(home=home)
    try:
        with open_graph(settings) as handle, SearchIndex(settings.index_dir) as index:
            before = (handle.store.counts().get("Policy", 0), index.doc_count(), index.segment_count())
            queries = query_mix(docs=docs)
            warm(index)
            search(index, queries[0])
            with Prober(index, queries) as prober:
                time.sleep(1.0)  # a few answers before the first load starts
                loads = [_cli_load(home, batch) for batch in cli_batches]
                time.sleep(1.0)
            after = (handle.store.counts().get("Policy", 0), index.doc_count(), index.segment_count())
            found = sum(_findable(index, batch) for batch in cli_batches)
            with Prober(index, queries) as upload_prober:
                upload = _upload(settings, handle.store, index, upload_files)
            upload["titles_found"] = _findable(index, upload_files)
            upload["searches_meanwhile"] = upload_prober.figures()
    finally:
        shutil.rmtree(home, ignore_errors=True)
    seconds = [s for s, _line in loads]
    return {"docs": docs, "added": extra, "rounds": rounds, "seconds": round(statistics.median(seconds), 2),
            "rounds_s": seconds, "copy_s": round(copy_s, 1), "cli_summary": loads[-1][1],
            "policies": [before[0], after[0]], "entries": [before[1], after[1]],
            "segments": [before[2], after[2]], "titles_found": found, "titles_added": extra * rounds,
            "searches_meanwhile": prober.figures(), "upload": upload}


def _cli_load(home: Path, files: list[Path]) -> tuple[float, str]:
    """`python -m loaders load FOLDER` on the home, as an admin runs it: (seconds, its summary line)."""
    env = {**os.environ, "POLICYGRAPH_HOME": str(home)}
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "loaders", "load", "--no-progress", str(files[0].parent)],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = round(time.perf_counter() - started, 2)
    if proc.returncode != 0:
        raise RuntimeError(f"loaders load failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return seconds, _summary_line(proc.stdout)


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


def _new_documents(docs: int, extra: int, batches: int, out_dir: Path) -> list[list[Path]]:
    """The next `batches` × `extra` documents of the corpus, in one folder per batch."""
    files = following(docs, batches * extra, out_dir / "all")
    out = []
    for b in range(batches):
        folder = out_dir / f"batch-{b}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        out.append([path.replace(folder / path.name) for path in files[b * extra:(b + 1) * extra]])
    return out


def _upload(settings: Any, store: Any, index: SearchIndex, files: list[Path]) -> dict[str, Any]:
    """Upload `files` through the app's upload route (the real app, its test client) with an admin session
    signed in through the real form; seconds until the streamed answer ends."""
    from werkzeug.security import generate_password_hash

    from webapp import create_app

    password = "bench-" + os.urandom(8).hex()
    settings = replace(settings, admin_password_hash=generate_password_hash(password))
    client = create_app({"SETTINGS": settings, "GRAPH_STORE": store, "SEARCH_INDEX": index}).test_client()
    token = _csrf(client)
    signed = client.post("/admin/login", data={"password": password, "csrf_token": token})
    if signed.status_code not in (200, 302):
        raise RuntimeError(f"admin sign-in answered {signed.status_code}")
    started = time.perf_counter()
    response = client.post("/admin/upload", content_type="multipart/form-data", data={
        "csrf_token": _csrf(client), "files": [(io.BytesIO(p.read_bytes()), p.name) for p in files]})
    html = response.get_data(as_text=True)  # the page streams one row per file as it loads
    seconds = time.perf_counter() - started
    loaded = re.search(r"新导入或更新的文件</dt><dd>(\d+)</dd>", html)
    if response.status_code != 200 or loaded is None:
        raise RuntimeError(f"the upload answered {response.status_code}: {html[-1000:]}")
    return {"seconds": round(seconds, 2), "loaded": int(loaded.group(1)), "added": len(files)}


def _csrf(client: Any) -> str:
    html = client.get("/admin/").get_data(as_text=True)
    match = re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
    if match is None:
        raise RuntimeError("the admin page carries no CSRF token")
    return match.group(1)
