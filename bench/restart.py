"""Restart to first search: the real app (`python -m webapp serve`, as `make run` starts it) on the home of N.

The app is started once unmeasured (a restart follows a run: the search index's hot-word files and the
network cache are on disk), stopped, then started again and measured from the moment the process is
started: the first successful /api/search answer (polled every 100 ms), then each page type in turn
until 60 s, when every page type is requested 20 times against its target and the server's memory read.
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import datetime
from pathlib import Path
from typing import Any

import psutil

from bench.corpus import vocabulary
from bench.measure import _pct, home_for, pss_kib
from bench.webload import WARM_ENDS, _free_port, _workers
from settings import ROOT

SETTLE_S = 60
POLL_S = 0.1
# Page type → its target in ms (bench/report.py's targets; issue 23).
TARGETS_MS = {"search": 50, "home": 200, "who_leads": 100, "department": 100, "policy": 100, "network": 100,
              "deadlines": 100}


def run(docs: int, data: Path) -> dict[str, Any]:
    """Prime, stop, restart and time the app over the home `ingest` built; figures as a dict."""
    home, port, words = home_for(docs, data), _free_port(), vocabulary(docs).objects
    base = f"http://127.0.0.1:{port}"
    log_path = data / "restart-server.log"
    server = _start(home, port, log_path)
    try:
        _poll(base + "/api/search?q=" + urllib.parse.quote(words[0]), 600)
        ids = _sample_ids(base)
        _wait_log(log_path, 1 + len(_workers(server.pid)), 900)  # the first start's warm-ups write their files
    finally:
        _stop(server)
    started, wall = time.monotonic(), time.time()
    server = _start(home, port, log_path)
    try:
        first_search_s = _poll(base + "/api/search?q=" + urllib.parse.quote(words[1]), 600) - started
        paths = _paths(ids, words)
        within = _until_settled(base, paths, started)
        settled = {name: _latencies(base, path, 20) for name, path in paths.items()}
        web_pss = sum(pss_kib(p) for p in [server.pid, *_workers(server.pid)]) / 1024
        engines_pss = sum(pss_kib(p.pid) for p in psutil.Process(server.pid).children()
                         if p.pid not in _workers(server.pid)) / 1024
        processes = 1 + len(_workers(server.pid))
    finally:
        _stop(server)
    return {"docs": docs, "first_search_s": round(first_search_s, 2), "events": _events(log_path, wall),
            "within_target_s": within,
            "after_s": SETTLE_S, "pages": settled, "targets_ms": TARGETS_MS, "web_processes": processes,
            "web_pss_mb": round(web_pss, 1), "engines_pss_mb": round(engines_pss, 1)}


def _start(home: Path, port: int, log_path: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "POLICYGRAPH_HOME": str(home), "POLICYGRAPH_PORT": str(port)}
    with open(log_path, "wb") as log_file:
        return subprocess.Popen([sys.executable, "-m", "webapp", "serve"], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=log_file)


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(60)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(10)


def _poll(url: str, timeout: float) -> float:
    """Request `url` every POLL_S until it answers 200; the monotonic time of that answer."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=30) as resp:
                if resp.status == 200:
                    json.load(resp)
                    return time.monotonic()
        except (OSError, ValueError):
            pass
        time.sleep(POLL_S)
    raise RuntimeError(f"the app did not answer {url} within {timeout:.0f} s")


def _wait_log(log_path: Path, processes: int, timeout: float) -> None:
    """Wait until every serving process has logged the end of its start-up warm-ups."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log_path.read_text(encoding="utf-8", errors="replace")
        if all(sum(text.count(end) for end in ends) >= processes for ends in WARM_ENDS.values()):
            return
        time.sleep(1)


EVENTS = ("ready in", "Serving on", "search caches warmed", "collaboration network ready",
          "overview and deadline board ready")


def _events(log_path: Path, wall: float) -> list[tuple[float, str]]:
    """The start-up steps the serving processes logged, as (seconds after the start, message): where the
    time to the first search went."""
    out = []
    for line in log_path.read_text(encoding="utf-8", errors="replace").splitlines():
        if any(e in line for e in EVENTS):
            stamp = datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f").timestamp()
            out.append((round(stamp - wall, 1), line[24:].split(": ", 1)[-1][:100]))
    return out


def _get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=120) as resp:
        return json.load(resp)


def _sample_ids(base: str) -> dict[str, list[str]]:
    """A few department and policy ids, from the app's own search."""
    out = {}
    for kind, word in (("department", "科技局"), ("policy", "行动方案")):
        hits = _get_json(f"{base}/api/search?type={kind}&q={urllib.parse.quote(word)}")["hits"]
        out[kind] = [h["id"] for h in hits][:10]
    return out


def _paths(ids: dict[str, list[str]], topics: list[str]) -> dict[str, list[str]]:
    """Page type → the paths requested for it (one per request, cycled)."""
    words = [urllib.parse.quote(w) for w in topics]
    return {"search": [f"/api/search?q={w}" for w in words], "home": ["/"],
            "who_leads": [f"/who-leads?q={w}" for w in words],
            "department": [f"/departments/{urllib.parse.quote(d)}" for d in ids["department"]],
            "policy": [f"/policies/{urllib.parse.quote(p)}" for p in ids["policy"]],
            "network": ["/api/network?min_weight=3"], "deadlines": ["/deadlines"]}


def _timed_get(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as resp:
        resp.read()
        if resp.status != 200:
            raise RuntimeError(f"{url} answered {resp.status}")
    return (time.perf_counter() - started) * 1000


def _until_settled(base: str, paths: dict[str, list[str]], started: float) -> dict[str, float | None]:
    """Request the page types in turn until SETTLE_S after the start; for each, the seconds after the start
    at which it first answered within its target (None: not before SETTLE_S)."""
    within: dict[str, float | None] = dict.fromkeys(paths)
    i = 0
    while time.monotonic() - started < SETTLE_S:
        for name, choices in paths.items():
            try:
                ms = _timed_get(base + choices[i % len(choices)])
            except OSError:
                continue
            if within[name] is None and ms <= TARGETS_MS[name]:
                within[name] = round(time.monotonic() - started, 1)
        i += 1
        time.sleep(0.5)
    return within


def _latencies(base: str, paths: list[str], n: int) -> dict[str, float]:
    times = sorted(_timed_get(base + paths[i % len(paths)]) for i in range(n))
    return {"n": n, "p50_ms": round(statistics.median(times), 2), "p95_ms": round(_pct(times, 95), 2)}
