"""Serve the app over a benchmark home and load it with Locust, 10 then 50 clients, on 127.0.0.1 only."""

from __future__ import annotations

import csv
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import psutil

from bench.corpus import vocabulary
from bench.measure import home_for, pss_kib
from settings import ROOT

WARM_S = 30  # seconds of unmeasured load after the start-up warm-ups, before the measured runs


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rss_mb(pid: int) -> float:
    """Resident memory of the server: the serving process and its worker processes (not the engine)."""
    total = sum(psutil.Process(p).memory_info().rss for p in [pid, *_workers(pid)])
    return round(total / 2**20, 1)


def _pss_mb(pid: int) -> float:
    """The server's proportional set size: pages shared by its processes (hot-word files) counted once."""
    return round(sum(pss_kib(p) for p in [pid, *_workers(pid)]) / 1024, 1)


def _workers(pid: int) -> list[int]:
    """The serving processes `serve` started (its other children are graph engines)."""
    out = []
    for child in psutil.Process(pid).children():
        try:
            if any("webapp" in arg for arg in child.cmdline()):
                out.append(child.pid)
        except psutil.Error:  # ended meanwhile
            continue
    return out


def _wait_ready(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the app did not answer at {url}")


def run(docs: int, data: Path, seconds: int) -> dict[str, Any]:
    """Two bounded Locust runs against a freshly started server (after its warm-up); figures as a dict."""
    home, port = home_for(docs, data), _free_port()
    env = {**os.environ, "POLICYGRAPH_HOME": str(home), "POLICYGRAPH_PORT": str(port)}
    log_path = data / "web-server.log"
    with open(log_path, "wb") as log_file:
        server = subprocess.Popen([sys.executable, "-m", "webapp", "serve"], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=log_file)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_ready(base + "/")
        ids_file = data / "bench-ids.json"
        warm_s = _wait_warm(log_path, 1 + len(_workers(server.pid)))
        ids = {"words": vocabulary(docs).objects, "departments": _department_ids(base)}
        ids_file.write_text(json.dumps(ids), encoding="utf-8")
        _locust(base, 10, WARM_S, ids_file, server.pid, data)  # warm-up run, not reported
        runs = [_locust(base, users, seconds, ids_file, server.pid, data) for users in (10, 50)]
        workers = 1 + len(_workers(server.pid))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    return {"docs": docs, "workers": workers, "runs": runs, "warm_s": warm_s}


# What each serving process logs when one of its start-up warm-ups has ended (done or failed).
WARM_ENDS = {"search": ("search caches warmed", "could not warm the search caches"),
             "network": ("collaboration network ready", "could not pre-build the collaboration network")}


def _wait_warm(log_path: Path, processes: int, timeout: float = 900) -> float:
    """Wait until every serving process has finished warming its caches (or `timeout`); seconds waited.

    Measuring while some processes still warm up would charge their start-up work to the load
    run; WARM_S seconds of unmeasured load follow.
    """
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        text = log_path.read_text(encoding="utf-8", errors="replace")
        if all(sum(text.count(end) for end in ends) >= processes for ends in WARM_ENDS.values()):
            break
        time.sleep(1)
    return round(time.monotonic() - started, 1)


def _department_ids(base: str) -> list[str]:
    with urllib.request.urlopen(base + "/api/network?min_weight=1", timeout=300) as resp:
        nodes = json.load(resp).get("nodes", [])
    return [n["id"] for n in nodes][:500]


def _locust(base: str, users: int, seconds: int, ids_file: Path, pid: int, data: Path) -> dict[str, Any]:
    prefix = data / f"locust-{users}"
    before, pss_before = _rss_mb(pid), _pss_mb(pid)
    subprocess.run([sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
                    "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--host", base, "--csv", str(prefix),
                    "--only-summary", "--stop-timeout", "5"],
                   cwd=ROOT, env={**os.environ, "BENCH_IDS": str(ids_file)}, capture_output=True, text=True,
                   timeout=seconds + 120)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as fh:
        total = next(row for row in csv.DictReader(fh) if row["Name"] == "Aggregated")
    return {"users": users, "seconds": seconds, "requests": int(total["Request Count"]),
            "rps": round(_number(total["Requests/s"]), 1), "p50_ms": _number(total["50%"]),
            "p99_ms": _number(total["99%"]), "failures": int(total["Failure Count"]),
            "rss_before_mb": before, "rss_after_mb": _rss_mb(pid), "pss_before_mb": pss_before,
            "pss_after_mb": _pss_mb(pid)}


def _number(text: str) -> float:
    """Locust writes N/A when no request of a kind completed: that is 0 requests/s, not an error."""
    try:
        return float(text)
    except ValueError:
        return float("nan")
