"""kill -9 the loader mid-load, run it again: graph and index equal a clean load exactly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

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
