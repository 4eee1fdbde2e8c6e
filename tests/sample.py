"""The sample corpus loaded once into a real graph and a real Whoosh index (shared by several suites)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from core.loadlog import LoadLog
from graph.engine import EmbeddedEngine
from graph.store import FalkorStore
from loaders.load import LoadSummary, expand, load_files
from search.index import SearchIndex
from settings import SAMPLE_CORPUS, Settings

SEEDS = SAMPLE_CORPUS / "seeds"
HUAIBEI_PLAN = SEEDS / "002_a49a57821bd4ff1c.txt"
ZHEJIANG_PLAN = SEEDS / "003_ec5392306e21f47a.txt"


@dataclass
class Loaded:
    store: FalkorStore
    index: SearchIndex
    summary: LoadSummary
    files: list[Path]
    home: Path | None = None  # an instance folder holding the load's load log (None: not logged)


def policy_id(path: Path) -> str:
    """The id a sample-corpus file's policy gets when the corpus is loaded (by the `sample` fixture)."""
    from loaders.extract import extract_bytes

    return extract_bytes(path.read_bytes(), str(path), name=path.relative_to(SAMPLE_CORPUS).as_posix()).document.id


def load_sample(engine: EmbeddedEngine, index_dir: Path, paths: list[Path], home: Path | None = None) -> Loaded:
    """Load `paths` into a fresh graph on `engine` and a fresh index in `index_dir` (logged in `home`'s load
    log when given, as `loaders load` does)."""
    assert engine.secrets is not None
    store = FalkorStore(str(engine.socket_path), engine.secrets.admin_password,
                        engine.secrets.reader_password, graph_name=f"sample_{uuid.uuid4().hex[:8]}")
    store.setup_schema()
    index = SearchIndex(index_dir)
    files = expand(paths)
    if home is None:
        return Loaded(store, index, load_files(files, store, index), files)
    with LoadLog(Settings(home=home).load_log) as load_log:
        return Loaded(store, index, load_files(files, store, index, load_log=load_log), files, home)
