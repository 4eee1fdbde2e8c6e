"""kill -9 the loader mid-load, run it again: graph and index equal a clean load exactly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from settings import ROOT
from tests.homes import home_state, wait_for_engine_exit

CORPUS = ROOT / "sample_corpus"


def _load(home: Path) -> subprocess.Popen[str]:
    env = {"POLICYGRAPH_HOME": str(home), "PATH": "/usr/bin:/bin"}
    return subprocess.Popen([sys.executable, "-m", "loaders", "load", "--no-progress", str(CORPUS)], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_killed_loads_complete_to_the_same_graph_and_index(tmp_path: Path) -> None:
    started = time.monotonic()
    clean = _load(tmp_path / "clean")
    assert clean.wait(300) == 0, clean.stderr.read() if clean.stderr else ""
    duration = time.monotonic() - started
    expected = home_state(tmp_path / "clean")
    assert expected[0]["Measure"] > 100 and expected[3] > 100

    killed_mid_load = 0
    trials = int(os.environ.get("CRASH_TRIALS", "5"))  # CRASH_TRIALS=20 for the hardening figures
    fractions = [0.3 + 0.65 * i / max(1, trials - 1) for i in range(trials)]  # spread over the load's length
    for trial, fraction in enumerate(fractions):
        home = tmp_path / f"killed{trial}"
        proc = _load(home)
        time.sleep(duration * fraction)
        killed = proc.poll() is None
        if killed:
            os.kill(proc.pid, signal.SIGKILL)
            killed_mid_load += 1
        proc.wait()
        wait_for_engine_exit(home)
        rerun = _load(home)
        assert rerun.wait(300) == 0, rerun.stderr.read() if rerun.stderr else ""
        assert home_state(home) == expected, f"trial {trial} (killed mid-load: {killed}) differs from a clean load"
    assert killed_mid_load >= max(3, trials // 2), "most trials must really interrupt a load"


def test_killing_the_engine_mid_load_fails_clearly_and_a_rerun_completes(tmp_path: Path) -> None:
    clean = _load(tmp_path / "clean")
    assert clean.wait(300) == 0
    expected = home_state(tmp_path / "clean")
    home = tmp_path / "engine-killed"
    proc = _load(home)
    pid_file = home / "graph" / "run" / "engine.pid"
    for _ in range(400):  # wait until the engine is up and the loader has started writing
        if pid_file.exists() and pid_file.read_text().strip() and (home / "index").exists():
            break
        time.sleep(0.01)
    time.sleep(0.3)
    os.kill(int(pid_file.read_text()), signal.SIGKILL)
    proc.wait(120)
    stderr = proc.stderr.read() if proc.stderr else ""
    if proc.returncode != 0:  # the usual case: the engine died under the loader
        assert "Traceback" not in stderr and ("graph engine" in stderr or "error" in stderr.lower()), stderr
    rerun = _load(home)
    assert rerun.wait(300) == 0, rerun.stderr.read() if rerun.stderr else ""
    assert home_state(home) == expected


OWNER = """
import sys, time
from graph.backend import open_graph
from settings import load_settings
with open_graph(load_settings()) as handle:
    print(handle.engine.process.pid, flush=True)
    time.sleep(300)
"""


def test_a_cli_load_attached_to_an_app_whose_engine_died_waits_for_the_restart(tmp_path: Path) -> None:
    """Issue 21: the engine's owner (what `webapp serve` opens) restarts it without any web request."""
    home = tmp_path / "home"
    env = {"POLICYGRAPH_HOME": str(home), "PATH": "/usr/bin:/bin"}
    owner = subprocess.Popen([sys.executable, "-c", OWNER], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert owner.stdout is not None
        engine_pid = int(owner.stdout.readline())
        os.kill(engine_pid, signal.SIGKILL)
        load = subprocess.run([sys.executable, "-m", "loaders", "load", "--no-progress", str(CORPUS / "seeds")],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert load.returncode == 0 and "Traceback" not in load.stderr, load.stderr
        assert "documents loaded: 5" in load.stdout
        new_pid = int((home / "graph" / "run" / "engine.pid").read_text())
        assert new_pid != engine_pid and Path(f"/proc/{new_pid}").exists()
        check = subprocess.run([sys.executable, "-m", "search", "check"], cwd=ROOT, env=env, capture_output=True,
                               text=True, timeout=120)
        assert check.returncode == 0 and "agree" in check.stdout
    finally:
        owner.terminate()
        owner.wait(30)


def test_an_engine_that_stays_down_gets_a_message_naming_its_owner(tmp_path: Path) -> None:
    from graph.backend import wait_for_engine
    from graph.errors import EngineError, GraphError

    (tmp_path / "engine.lock").write_text("4242")

    def refused() -> None:
        raise GraphError("the graph engine could not be reached: Connection refused")

    started = time.monotonic()
    with pytest.raises(EngineError, match=r"owned by process 4242\) has not answered for 1s.*run the same command"):
        wait_for_engine(refused, tmp_path, wait_s=1.0)
    assert time.monotonic() - started < 5
