"""Per-file bounds for extraction: a malformed file must fail alone, quickly, not stall a batch."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from loaders.errors import LoaderError

SECONDS_PER_FILE = 60.0


class _Expired(BaseException):
    """Raised by the alarm; a BaseException so no `except Exception` inside extraction swallows it."""


def _expire(signum: int, frame: FrameType | None) -> None:
    raise _Expired


@contextmanager
def time_limit(source: str, seconds: float = SECONDS_PER_FILE) -> Iterator[None]:
    """Raise LoaderError naming `source` when the block runs longer than `seconds`.

    Uses SIGALRM, so it applies in the main thread (the CLI and loader); elsewhere the block
    runs unbounded and relies on the input size limits in loaders.read.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Expired:
        error = LoaderError(f"{source}: extraction took longer than {seconds:g}s, so the file was skipped; "
                            "it is probably malformed (e.g. one enormous line): fix or split it and retry",
                            f"读取这个文件超过了 {seconds:g} 秒的时限，已跳过；文件可能已损坏或结构异常"
                            "（例如一行极长），请修正或拆分后重新导入。")
        error.stopped = True
        raise error from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
