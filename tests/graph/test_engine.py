"""The embedded engine's lifecycle on a real FalkorDB process."""

from __future__ import annotations

import os
import signal
import stat
from pathlib import Path

import pytest

from graph.engine import RUNTIME_CONFIG, EmbeddedEngine
from graph.errors import EngineBusy
from graph.store import FalkorStore


def _store(engine: EmbeddedEngine) -> FalkorStore:
    assert engine.secrets is not None
    return FalkorStore(str(engine.socket_path), engine.secrets.admin_password, engine.secrets.reader_password)


def _listening_inodes() -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if os.path.exists(table):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if fields[3] == "0A":  # LISTEN
                    inodes.add(fields[9])
    return inodes


def test_second_owner_is_refused_and_data_survives(tmp_path: Path) -> None:
    with EmbeddedEngine(tmp_path) as first:
        _store(first).write("CREATE (:Policy {id: 'keep'})")
        with pytest.raises(EngineBusy, match=r"already in use .*pid \d+"):
            EmbeddedEngine(tmp_path).start()
        assert _store(first).read("MATCH (p:Policy) RETURN count(p)").rows == [[1]]


def test_secrets_are_private_and_no_tcp_port_is_opened(tmp_path: Path) -> None:
    with EmbeddedEngine(tmp_path) as eng:
        mode = stat.S_IMODE((tmp_path / "secrets.json").stat().st_mode)
        assert mode == 0o600
        assert stat.S_IMODE(eng.socket_path.stat().st_mode) & 0o077 == 0
        assert eng.process is not None
        fds = Path(f"/proc/{eng.process.pid}/fd")
        socket_inodes = {os.readlink(fd)[8:-1] for fd in fds.iterdir() if os.readlink(fd).startswith("socket:")}
        assert not socket_inodes & _listening_inodes(), "the engine must not listen on TCP"


def test_restart_after_crash_keeps_acknowledged_writes(tmp_path: Path) -> None:
    eng = EmbeddedEngine(tmp_path).start()
    try:
        store = _store(eng)
        store.write("UNWIND range(1, 500) AS i CREATE (:Measure {id: 'm' + toString(i)})")
        store.write("CREATE (:Policy {id: 'p'})")  # appendfsync everysec: give it a moment below
        import time

        time.sleep(1.2)
        assert eng.process is not None
        os.kill(eng.process.pid, signal.SIGKILL)
        eng.process.wait()
        eng.ensure_running()
        assert _store(eng).read("MATCH (m:Measure) RETURN count(m)").rows == [[500]]
    finally:
        eng.stop()


def _engine_config(engine: EmbeddedEngine, name: str) -> object:
    client = engine.admin_client()
    try:
        return client.execute_command("GRAPH.CONFIG", "GET", name)[1]
    finally:
        client.close()


def test_runtime_configuration_holds_after_a_restart_and_schema_setup_still_works(tmp_path: Path) -> None:
    # GRAPH.CONFIG SET is not persisted by the server: a restart after a crash must apply it again.
    eng = EmbeddedEngine(tmp_path).start()
    try:
        store = _store(eng)
        store.setup_schema()  # creating indexes under the setting must not hang (it did as a load-time argument)
        assert {name: _engine_config(eng, name) for name in RUNTIME_CONFIG} == RUNTIME_CONFIG
        assert eng.process is not None
        os.kill(eng.process.pid, signal.SIGKILL)
        eng.process.wait()
        eng.ensure_running()
        assert {name: _engine_config(eng, name) for name in RUNTIME_CONFIG} == RUNTIME_CONFIG
    finally:
        eng.stop()


def test_reader_user_cannot_write(tmp_path: Path) -> None:
    from graph.errors import QueryFailed

    with EmbeddedEngine(tmp_path) as eng:
        store = _store(eng)
        store.write("CREATE (:Policy {id: 'x'})")
        with pytest.raises(QueryFailed):
            store.read("MATCH (p:Policy) SET p.title = 'hacked'")
        with pytest.raises(QueryFailed):
            store.read("CREATE (:Policy {id: 'y'})")
        assert store.read("MATCH (p:Policy) RETURN p.id, p.title").rows == [["x", None]]


def test_compact_rewrites_the_log_and_data_survives_restart(tmp_path: Path) -> None:
    import time


    with EmbeddedEngine(tmp_path) as eng:
        assert eng.secrets is not None
        store = _store(eng)
        store.write("UNWIND range(1, 2000) AS i MERGE (:Measure {id: 'm' + toString(i)})")
        store.compact()
        info = eng.admin_client()
        for _ in range(100):
            stats = info.info("persistence")
            if stats["aof_rewrites"] >= 1 and not stats["aof_rewrite_in_progress"]:
                break
            time.sleep(0.05)
        assert stats["aof_rewrites"] >= 1
        info.close()
    with EmbeddedEngine(tmp_path) as again:
        assert _store(again).read("MATCH (m:Measure) RETURN count(m)").rows == [[2000]]
