"""core.process ties a child to its parent: real processes, no mocks."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

from core.process import die_with_parent

ROOT = Path(__file__).resolve().parents[2]


def _gone(pid: int, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state == "Z":
            return True
        time.sleep(0.05)
    return False


def test_a_child_exits_at_once_when_its_parent_is_already_gone() -> None:
    """The parent-already-dead check: a pid that is not the child's parent stands for a parent that died."""
    not_the_parent = os.getpid() + 1_000_000
    child = subprocess.Popen(["sleep", "30"], preexec_fn=partial(die_with_parent, not_the_parent))
    try:
        assert child.wait(timeout=10) == 1  # os._exit(1) in the child, before exec
    finally:
        child.kill()


def test_a_child_dies_with_its_parent() -> None:
    """A middle process starts `sleep` tied to itself, prints its pid and exits: the sleep goes too."""
    script = ("import subprocess, sys; from core.process import dies_with_this_process; "
              "p = subprocess.Popen(['sleep', '60'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, "
              "preexec_fn=dies_with_this_process()); "
              "print(p.pid, flush=True)")
    middle = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=30,
                            check=True)
    grandchild = int(middle.stdout.split()[0])
    try:
        assert _gone(grandchild), f"sleep {grandchild} outlived its parent"
    finally:
        if not _gone(grandchild, 0):
            os.kill(grandchild, 9)
