"""`python -m webapp serve` as users run it: real processes, the sample corpus, several workers."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

from settings import ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=30) as resp:
        resp.read()
        return resp.status


def test_two_worker_processes_share_the_engine_and_stop_together(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "POLICYGRAPH_HOME": str(tmp_path / "home"), "POLICYGRAPH_PORT": str(port)}
    server = subprocess.Popen([sys.executable, "-m", "webapp", "serve", "--workers", "2"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:  # the first start loads the sample corpus
            try:
                _get(base + "/")
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, server.stderr.read().decode()[-2000:]
                time.sleep(0.5)
        children = {pid: _cmdline(pid) for pid in _children(server.pid)}
        workers = [pid for pid, cmd in children.items() if "webapp worker" in cmd]
        engines = [pid for pid, cmd in children.items() if "redis-server" in cmd]
        # one more server process; the graph engine and the user-query engine (graph/sandbox.py)
        assert len(workers) == 1 and len(engines) == 2, children
        assert len([pid for pid in engines if "/sandbox/" in children[pid]]) == 1, children
        with ThreadPoolExecutor(8) as pool:
            urls = [f"{base}/?q={quote('科技成果转化')}"] * 20 + [f"{base}/api/network"] * 10
            urls += [f"{base}/api/search?q={quote('中试基地')}"] * 10
            assert set(pool.map(_get, urls)) == {200}
        server.send_signal(signal.SIGTERM)
        server.wait(30)
        time.sleep(0.5)
        assert not [pid for pid in workers + engines if Path(f"/proc/{pid}").exists()
                    and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]]
    finally:
        if server.poll() is None:
            server.kill()


def test_an_index_of_an_older_version_stops_serve_with_what_to_do(tmp_path: Path) -> None:
    """An index written before formats were stamped: `serve` exits 2 saying to rebuild it, no traceback."""
    from search.index import SearchIndex

    home = tmp_path / "home"
    SearchIndex(home / "index").close()
    (home / "index" / "search-format.json").unlink()  # as an index of an older version has none
    env = {**os.environ, "POLICYGRAPH_HOME": str(home), "POLICYGRAPH_PORT": str(_free_port())}
    done = subprocess.run([sys.executable, "-m", "webapp", "serve"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2, done.stderr[-800:]
    assert "python -m search rebuild" in done.stderr and "Traceback" not in done.stderr, done.stderr[-800:]
