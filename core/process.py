"""Tie a child process to its parent: it gets a signal when the parent dies (Linux PR_SET_PDEATHSIG)."""

from __future__ import annotations

import ctypes
import functools
import os
import signal
from collections.abc import Callable

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int, sig: int = signal.SIGTERM) -> None:
    """In a child: receive `sig` when the parent dies; exit at once if it is already gone.

    Call it in the child (between fork and exec, or first thing in a forked process); `parent_pid` is the
    parent's pid, taken in the parent.  PR_SET_PDEATHSIG only covers a parent that dies after the call,
    so a parent that died before it (the child is then re-parented) is checked for here.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, int(sig))
    if os.getppid() != parent_pid:
        os._exit(1)


def dies_with_this_process(sig: int = signal.SIGTERM) -> Callable[[], None]:
    """A `preexec_fn` for subprocess.Popen: the child gets `sig` when this process dies."""
    return functools.partial(die_with_parent, os.getpid(), sig)
