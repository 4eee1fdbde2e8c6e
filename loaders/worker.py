"""Extraction in a child process with a memory and a time limit, so one hostile file cannot hurt the loader.

The loader (CLI or web upload) sends each file's bytes to a long-lived child (`python -m loaders.worker`)
over a pipe and gets the `Extraction` back.  The child caps its own address space (RLIMIT_AS) at its
size after start-up plus `memory_bytes`, and bounds each file's time with SIGALRM; the parent also stops
waiting after the time limit plus a grace period and kills the child.  A child that is killed, runs out
of memory or crashes is replaced for the next file; the file becomes a LoaderError naming it.  This works
the same in a web worker thread (where SIGALRM cannot be used) as in the CLI.
"""

from __future__ import annotations

import logging
import os
import pickle
import select
import struct
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from core.records import Extraction
from loaders.errors import ExtractionBug, LoaderError
from settings import Settings

log = logging.getLogger(__name__)

# The time limit grows with the file (up to settings.extract_seconds_max): a 10 MB text gets 30 s, a 1 KB
# hostile .docx 10 s.
SECONDS_BASE = 10.0
SECONDS_PER_MB = 2.0
GRACE = 5.0  # the child's own alarm fires first; the parent kills it only if that did not work
_HEADER = struct.Struct("!Q")


def seconds_for(size: int, most: float = Settings.extract_seconds_max) -> float:
    """Time limit for extracting a file of `size` bytes, at most `most` seconds."""
    return float(round(min(most, SECONDS_BASE + SECONDS_PER_MB * size / 2**20)))


class ExtractionWorker:
    """A child process that extracts files one at a time under a memory and time limit."""

    def __init__(self, memory_bytes: int = Settings.extract_memory_bytes, seconds: float | None = None,
                 seconds_max: float = Settings.extract_seconds_max) -> None:
        self.memory_bytes, self.seconds, self.seconds_max = memory_bytes, seconds, seconds_max
        self.proc: subprocess.Popen[bytes] | None = None
        self.peak_rss = 0  # largest resident size one file's extraction reached in the child (bytes)

    @classmethod
    def configured(cls, settings: Settings) -> ExtractionWorker:
        """A worker with the memory and time limits of `settings`."""
        return cls(settings.extract_memory_bytes, seconds_max=settings.extract_seconds_max)

    def __enter__(self) -> ExtractionWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def extract(self, data: bytes, source: str, name: str | None = None) -> Extraction:
        """Extract one file in the child; raises LoaderError naming `source` for any failure."""
        seconds = self.seconds if self.seconds is not None else seconds_for(len(data), self.seconds_max)
        proc = self._child()
        try:
            _send(proc, (data, source, name, seconds))
            reply = _receive(proc, seconds + GRACE)
        except TimeoutError:
            self._kill()
            raise _stopped(_timeout(source, seconds)) from None
        except (OSError, EOFError, pickle.UnpicklingError):
            code = self._kill()
            raise _stopped(_died(source, code, self.memory_bytes)) from None
        kind, value, peak = reply
        self.peak_rss = max(self.peak_rss, peak)
        if kind == "ok":
            return value
        if kind == "memory":
            self._kill()  # its heap may be in any state: start a fresh one for the next file
            raise _stopped(_memory(source, self.memory_bytes))
        en, zh = value
        error = (ExtractionBug if kind == "bug" else LoaderError)(en, zh)
        raise _stopped(error) if kind == "stopped" else error

    def close(self) -> None:
        """Stop the child (it also exits on its own when the pipe closes)."""
        if self.proc is not None:
            try:
                assert self.proc.stdin is not None
                self.proc.stdin.close()
                self.proc.wait(5)
            except (OSError, subprocess.TimeoutExpired):
                self._kill()
            self.proc = None

    def _child(self) -> subprocess.Popen[bytes]:
        if self.proc is not None and self.proc.poll() is None:
            return self.proc
        root = str(Path(__file__).resolve().parents[1])
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "loaders.worker", str(self.memory_bytes)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=root, env=env, close_fds=True)
        return self.proc

    def _kill(self) -> int | None:
        proc, self.proc = self.proc, None
        if proc is None:
            return None
        if proc.poll() is None:
            proc.kill()
        code = proc.wait()
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        return code


def _stopped(error: LoaderError) -> LoaderError:
    error.stopped = True
    return error


def _timeout(source: str, seconds: float) -> LoaderError:
    return LoaderError(f"{source}: extraction took longer than {seconds:g}s, so the file was skipped; "
                       "it is probably malformed (e.g. one enormous line or table): fix or split it and retry",
                       f"读取这个文件超过了 {seconds:g} 秒的时限，已跳过；文件可能已损坏或结构异常"
                       "（例如一行极长或表格极大），请修正或拆分后重新导入。")


def _memory(source: str, limit: int) -> LoaderError:
    return LoaderError(f"{source}: reading the file needed more than {limit // 2**20} MB of memory, so it was "
                       "skipped; it is probably malformed or hostile: re-save or split it and retry",
                       f"读取这个文件需要超过 {limit // 2**20} MB 内存，已跳过；文件可能已损坏或被恶意构造，"
                       "请重新保存或拆分后再导入。")


def _died(source: str, code: int | None, limit: int) -> LoaderError:
    if code is not None and code < 0:
        log.warning("%s: the extraction process was stopped by signal %d", source, -code)
    return LoaderError(f"{source}: the process reading the file stopped (exit {code}); the file is probably "
                       f"malformed or needs more than {limit // 2**20} MB: re-save it and retry",
                       "读取这个文件的进程意外退出，文件可能已损坏或结构异常，请重新保存后再导入。")


def _send(proc: subprocess.Popen[bytes], message: Any) -> None:
    assert proc.stdin is not None
    blob = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    proc.stdin.write(_HEADER.pack(len(blob)) + blob)
    proc.stdin.flush()


def _receive(proc: subprocess.Popen[bytes], seconds: float) -> Any:
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    deadline = time.monotonic() + seconds
    head = _read_exactly(fd, _HEADER.size, deadline)
    return pickle.loads(_read_exactly(fd, _HEADER.unpack(head)[0], deadline))


def _read_exactly(fd: int, size: int, deadline: float | None) -> bytes:
    parts, left = [], size
    while left:
        if deadline is not None:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                raise TimeoutError
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


# -- the child -------------------------------------------------------------------------------------------

def _status(field: str) -> int:
    """A size from /proc/self/status in bytes (0 where there is none)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _reset_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM, so each file's peak is its own
    except OSError:
        pass


def _serve(memory_bytes: int) -> None:
    import resource

    from loaders.extract import extract_bytes
    from loaders.limits import time_limit

    limit = _status("VmSize") + memory_bytes
    if limit > memory_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    stdin = sys.stdin.buffer.fileno()
    stdout = os.fdopen(os.dup(1), "wb")  # the replies' own channel: a stray print goes to stderr instead
    os.dup2(2, 1)
    while True:
        try:
            head = _read_exactly(stdin, _HEADER.size, None)
        except EOFError:
            return
        data, source, name, seconds = pickle.loads(_read_exactly(stdin, _HEADER.unpack(head)[0], None))
        _reset_peak()
        reply: tuple[str, Any]
        try:
            with time_limit(source, seconds):
                reply = ("ok", extract_bytes(data, source, name=name))
        except LoaderError as e:
            reply = ("stopped" if e.stopped else "error", (str(e), e.zh))
        except MemoryError:
            reply = ("memory", None)
        except RecursionError:
            reply = ("error", (f"{source}: the file nests its structure too deeply to read; re-save it and retry",
                               "文件结构嵌套过深，无法读取，请重新保存后再导入。"))
        except Exception as e:  # a bug met on this input: report it for this file, keep serving
            logging.getLogger(__name__).exception("%s: extraction failed", source)
            reply = ("bug", (f"{source}: internal error while reading the file ({type(e).__name__}: "
                               f"{str(e)[:200]}); please report it with the file",
                               "读取这个文件时发生内部错误，请把文件提供给管理员排查。"))
        del data
        try:
            blob = pickle.dumps((*reply, _status("VmHWM")), protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            blob = pickle.dumps(("memory", None, 0))
        stdout.write(_HEADER.pack(len(blob)) + blob)
        stdout.flush()
        if reply[0] == "memory":
            return


if __name__ == "__main__":
    _serve(int(sys.argv[1]) if len(sys.argv) > 1 else Settings.extract_memory_bytes)
