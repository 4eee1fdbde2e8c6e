"""Shared fixtures: a real embedded graph engine for the session, one fresh graph per test."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # importing tests.sample at collection would pull in the whole pipeline
    from tests.sample import Loaded

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from graph.engine import EmbeddedEngine  # noqa: E402
from graph.store import FalkorStore  # noqa: E402


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedEngine]:
    """One real FalkorDB child process for the whole test session."""
    eng = EmbeddedEngine(tmp_path_factory.mktemp("engine")).start()
    yield eng
    eng.stop()


@pytest.fixture
def store(engine: EmbeddedEngine) -> Iterator[FalkorStore]:
    """A fresh, empty graph on the session engine (graphs are cheap; one per test)."""
    assert engine.secrets is not None
    s = FalkorStore(str(engine.socket_path), engine.secrets.admin_password, engine.secrets.reader_password,
                    graph_name=f"t_{uuid.uuid4().hex[:10]}")
    s.setup_schema()
    yield s
    s._admin.delete()
    s.close()


@pytest.fixture(scope="session")
def sample(engine: EmbeddedEngine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loaded]:
    """The whole sample corpus (seeds + extra), loaded once through the real load step."""
    from tests.sample import SAMPLE_CORPUS, load_sample

    loaded = load_sample(engine, tmp_path_factory.mktemp("index"), [SAMPLE_CORPUS], tmp_path_factory.mktemp("home"))
    yield loaded
    loaded.index.close()
    loaded.store._admin.delete()
    loaded.store.close()


@pytest.fixture
def client_for():
    """Build a Flask test client for a loaded sample (the real app factory)."""
    from webapp import create_app

    def make(loaded: Loaded):
        app = create_app({"TESTING": True, "GRAPH_STORE": loaded.store, "SEARCH_INDEX": loaded.index})
        return app.test_client()

    return make


# Reports that tests hand to the end of the run (the real-corpus tables): printed whatever the outcome.
REPORTS: list[str] = []


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for report in REPORTS:
        terminalreporter.write_sep("-", "real-document corpus")
        terminalreporter.write_line(report)
