"""A large home's engine keeps even the connection handshake waiting while it loads its files (31 s for 6 GB at
100,000 documents): start() waits for it as for an append-only-file replay instead of failing at once.

The engine process is real; only the first answers of its admin connection are replaced by the timeouts a slow
load gives (a 6 GB graph cannot be built in a test)."""

from __future__ import annotations

from pathlib import Path

import pytest
import redis

from graph.engine import EmbeddedEngine


def test_start_waits_through_handshake_timeouts_of_a_loading_engine(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    real = EmbeddedEngine.admin_client
    calls = {"n": 0}

    def loading_then_ready(self: EmbeddedEngine):
        calls["n"] += 1
        if calls["n"] <= 3:
            raise redis.TimeoutError("Timeout reading from socket")
        return real(self)

    monkeypatch.setattr(EmbeddedEngine, "admin_client", loading_then_ready)
    engine = EmbeddedEngine(tmp_path / "engine").start(wait_s=10)
    try:
        assert calls["n"] >= 4
        monkeypatch.setattr(EmbeddedEngine, "admin_client", real)
        client = engine.admin_client()
        assert client.ping()
        client.close()
    finally:
        engine.stop()
