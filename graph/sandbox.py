"""A disposable engine for user queries (console, saved queries): a hard stop that does not depend on the engine.

FalkorDB's own time limit does not cover query parsing (24 `NOT` in a row parse for about a minute) or some
expressions (a `reduce()` building a 20 KB string per row ran 21 s under a 3 s limit), and the work goes on
after the client has left; the engine has one worker thread per core, so two such queries stalled every
page.  User queries therefore never reach the main engine.  They run on a second FalkorDB process, started
and watched by the process that owns the main engine, holding a copy of the graph (`DUMP` from the main
engine, `RESTORE` here; refreshed when the graph's version changes).  A query that has not answered by
its time limit plus a grace period (`settings.user_query_grace_ms`) gets that process killed (SIGKILL, by
whichever web process was waiting); the owner's watchdog thread starts a fresh one at once, and the next
query loads the graph into it.  Other pages read the main engine and keep answering.  The copy has no
persistence; its replies are bounded by the client output-buffer limit (a bigger reply closes the
connection: `ResultTooLarge`).
"""

from __future__ import annotations

import fcntl
import logging
import os
import resource
import signal
import threading
import time
from pathlib import Path
from typing import Any

from graph.engine import EmbeddedEngine
from graph.errors import EngineError, GraphError, QueryFailed, QueryTimeout
from graph.secrets import load_or_create_secrets
from graph.store import FalkorStore, QueryResult
from settings import Settings

log = logging.getLogger(__name__)

# FalkorDB's QUERY_MEM_CAPACITY does not count strings and counts lists late (measured: a reduce()
# doubling a string reached 2.5 GB in 22 s, range(1, 1e8) 1.5 GB before the cap stopped it).  The
# process's address space is therefore limited to what it maps with the graph loaded plus a headroom
# (`settings.user_query_headroom_bytes`); a query that needs more makes the allocator fail, the engine
# exits and the watchdog restarts it.
_VERSION_KEY = "policygraph:sandbox-version:"
QUIET_S = 0.2  # no write for this long: the main graph is not being loaded, copy it


class ResultTooLarge(QueryFailed):
    """A user query's reply was bigger than the engine may send (the connection was closed)."""


class QueryInterrupted(GraphError):
    """A user query was cut off because the user-query engine was restarted (a query overran its time or
    memory)."""


class SandboxEngine(EmbeddedEngine):
    """The user-query engine: no persistence, tight limits, restarted by a watchdog thread when it dies."""

    def __init__(self, data_dir: Path, timeout_ms: int, row_cap: int, reply_cap_bytes: int,
                 query_mem_bytes: int = Settings.user_query_mem_bytes,
                 headroom_bytes: int = Settings.user_query_headroom_bytes) -> None:
        super().__init__(data_dir, timeout_max_ms=timeout_ms, result_cap=row_cap + 1, query_mem_bytes=query_mem_bytes)
        self.reply_cap_bytes, self.headroom_bytes = reply_cap_bytes, headroom_bytes
        self._watchdog: threading.Thread | None = None
        self._stopping = threading.Event()
        self._restart_lock = threading.Lock()

    def start(self, wait_s: float = 15.0) -> SandboxEngine:
        super().start(wait_s)
        if self._watchdog is None:
            self._stopping.clear()
            self._watchdog = threading.Thread(target=self._watch, name="sandbox-watchdog", daemon=True)
            self._watchdog.start()
        return self

    def stop(self, wait_s: float = 10.0) -> None:
        self._stopping.set()
        if self._watchdog is not None and self._watchdog is not threading.current_thread():
            self._watchdog.join(5)
        self._watchdog = None
        with self._restart_lock:
            super().stop(wait_s)

    def _watch(self) -> None:
        while not self._stopping.wait(0.1):
            with self._restart_lock:
                if self._stopping.is_set() or self.process is None or self.process.poll() is None:
                    continue
                log.warning("user-query engine exited (code %s); starting a fresh one", self.process.returncode)
                self.process = None
                try:
                    EmbeddedEngine.start(self)
                except GraphError:
                    log.exception("could not restart the user-query engine; trying again")

    def _wait_ready(self, wait_s: float, replay_s: float = 1800.0) -> None:
        super()._wait_ready(wait_s, replay_s)
        assert self.process is not None
        bound_memory(self.process.pid, self.headroom_bytes)

    def _config_lines(self) -> list[str]:
        persistence = ("appendonly", "appendfsync", "aof-use-rdb-preamble")
        lines = [line for line in super()._config_lines() if not line.startswith(persistence)]
        cap = self.reply_cap_bytes
        return lines + ["appendonly no", f"client-output-buffer-limit normal {cap} {cap} 0"]

    def _module_args(self) -> str:
        return (f"TIMEOUT_DEFAULT {self.timeout_max_ms} TIMEOUT_MAX {self.timeout_max_ms}"
                f" RESULTSET_SIZE {self.result_cap} QUERY_MEM_CAPACITY {self.query_mem_bytes}"
                " MAX_QUEUED_QUERIES 16")


def bound_memory(pid: int, headroom_bytes: int) -> None:
    """Limit the engine's address space to what it maps now plus `headroom_bytes` (soft limit only,
    so that it can be raised again after a bigger graph is loaded)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        mapped = next(int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmSize"))
        _soft, hard = resource.prlimit(pid, resource.RLIMIT_AS)
        limit = mapped + headroom_bytes
        resource.prlimit(pid, resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    except (OSError, StopIteration, ValueError) as e:  # the process is gone: the watchdog starts another
        log.warning("could not limit the user-query engine's memory: %s", e)


def sandbox_dir(engine_dir: Path) -> Path:
    """Where the user-query engine of a data directory keeps its socket, secrets and log."""
    return Path(engine_dir) / "sandbox"


def kill_sandbox(directory: Path) -> bool:
    """SIGKILL the user-query engine of `directory` (any process may; its owner restarts it)."""
    engine = EmbeddedEngine(directory)
    try:
        pid = int(engine.pid_file.read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return False
    # redis-server names itself after its socket, which is under the directory unless that path is too long
    ours = (str(engine.data_dir).encode(), str(engine.socket_path).encode())
    if b"redis-server" not in cmdline or not any(mark in cmdline for mark in ours):
        return False
    os.kill(pid, signal.SIGKILL)
    log.warning("user query overran its limit: killed the user-query engine (pid %s)", pid)
    return True


class SandboxStore(FalkorStore):
    """Reads for user queries on the user-query engine, with the graph copied from `main` when it changed."""

    def __init__(self, main: FalkorStore, directory: Path, graph_name: str, timeout_ms: int,
                 grace_ms: int = Settings.user_query_grace_ms,
                 headroom_bytes: int = Settings.user_query_headroom_bytes) -> None:
        self.main, self.directory, self.timeout_ms = main, Path(directory), timeout_ms
        self.headroom_bytes = headroom_bytes
        engine = EmbeddedEngine(self.directory)
        secrets = load_or_create_secrets(engine.data_dir)
        self._pid_file = engine.pid_file
        self._wait_alive(str(engine.socket_path), secrets.admin_password, 15.0)
        super().__init__(str(engine.socket_path), secrets.admin_password, secrets.reader_password, graph_name,
                         default_timeout_ms=timeout_ms, reader_socket_timeout=(timeout_ms + grace_ms) / 1000)
        self._sync_lock = threading.Lock()

    def setup_schema(self) -> None:  # the copy comes with the main graph's indexes
        pass

    def write(self, query: str, params: dict[str, Any] | None = None) -> QueryResult:
        raise GraphError("the user-query engine is read-only")

    def read(self, query: str, params: dict[str, Any] | None = None,
             timeout_ms: int | None = None) -> QueryResult:
        limit = min(timeout_ms or self.timeout_ms, self.timeout_ms)
        self.sync()
        pid = self._pid()
        try:
            return super().read(query, params, timeout_ms=limit)
        except GraphError as e:
            raise self._overrun(e, pid) from e

    def explain(self, query: str, params: dict[str, Any] | None = None) -> list[str]:
        self.sync()
        pid = self._pid()
        try:
            return super().explain(query, params)
        except GraphError as e:
            raise self._overrun(e, pid) from e

    def _overrun(self, e: GraphError, pid: int | None) -> GraphError:
        import redis

        cause = e.__cause__
        if isinstance(cause, redis.TimeoutError):
            kill_sandbox(self.directory)
            return QueryTimeout("the query ran over its time limit; its engine was stopped and restarted")
        if isinstance(cause, redis.ConnectionError):
            if pid is not None and pid == self._pid() and _alive(pid):
                return ResultTooLarge("the result is bigger than the reply size limit; the engine closed it")
            return QueryInterrupted("the user-query engine was restarted (a query overran its time or memory); "
                                    "run it again")
        return e

    def sync(self) -> None:
        """Copy the main graph here when it was written since the copy was made (or the copy restarted).

        A copy that exists is kept while the main graph is being written (a load in progress): the copy
        is remade only once no write has landed for QUIET_S, so one load costs few copies and the copy
        always ends up with the load's last writes (pruning, aliases) too."""
        version = self._version()
        client = self.raw_admin()
        try:
            self._wait_alive(self._socket_path, self._admin_password, 15.0)
            key = _VERSION_KEY + self._admin.name
            held = client.get(key)
            if held == version.encode():
                return
            if held is not None:
                time.sleep(QUIET_S)
                if self._version() != version:
                    return  # still being written: answer from the copy as it is
            with self._sync_lock, _file_lock(self.directory / "run" / "sync.lock"):
                if client.get(key) != version.encode():
                    self._copy(client, key, version)
        except redis_errors() as e:
            raise GraphError(f"the user-query engine could not be reached: {e}") from e
        finally:
            client.close()

    def _copy(self, client: Any, key: str, version: str) -> None:
        started = time.monotonic()
        blob = self.main.dump_graph()
        if blob is None:
            client.delete(self._admin.name)
        else:
            client.restore(self._admin.name, 0, blob, replace=True)
        client.set(key, version)
        pid = self._pid()
        if pid is not None:
            bound_memory(pid, self.headroom_bytes)  # the copy's size is now known
        log.info("user-query engine loaded the graph as of %s (%d bytes, %.2fs)", version, len(blob or b""),
                 time.monotonic() - started)

    def _version(self) -> str:
        """Where the main graph stands: its append-only file's size (every write lands there before it is
        acknowledged; one INFO call), or, without that file, a digest of the loaded document versions."""
        try:
            info = self.main._admin_db.connection.info("persistence")
            return f"aof:{int(info['aof_current_size'])}:{int(info['aof_base_size'])}"
        except Exception:  # no append-only file (or INFO refused): read the documents' versions
            from graph.analytics import graph_version

            return "docs:" + graph_version(self.main)

    def _pid(self) -> int | None:
        try:
            return int(self._pid_file.read_text().strip())
        except (OSError, ValueError):
            return None

    @staticmethod
    def _wait_alive(socket_path: str, password: str, wait_s: float) -> None:
        """Wait for the engine to answer (it may be restarting after an overrun)."""
        import redis

        deadline = time.monotonic() + wait_s
        while True:
            client = redis.Redis(unix_socket_path=socket_path, username="admin", password=password,
                                 socket_timeout=2)
            try:
                client.ping()
                return
            except (redis.ConnectionError, redis.TimeoutError, FileNotFoundError) as e:
                if time.monotonic() > deadline:
                    raise EngineError(f"the user-query engine did not answer within {wait_s:.0f}s") from e
                time.sleep(0.05)
            finally:
                client.close()


def redis_errors() -> type[Exception]:
    import redis

    return redis.RedisError


def _alive(pid: int) -> bool:
    """Whether the process runs (a killed child not yet reaped is a zombie: not alive)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


class _file_lock:  # noqa: N801 - used as a context manager, like open()
    """An exclusive flock, so that one web process at a time copies the graph."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> None:
        self.handle = open(self.path, "a")  # noqa: SIM115 - closed in __exit__
        fcntl.flock(self.handle, fcntl.LOCK_EX)

    def __exit__(self, *exc: object) -> None:
        self.handle.close()
