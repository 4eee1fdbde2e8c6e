"""`python -m loaders load`: a load that leaves many index segments says so; `--optimize` merges them."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

import search.index as search_index
from loaders.__main__ import cli
from loaders.load import IndexPlan
from search.index import SearchIndex
from search.query import search
from settings import SAMPLE_CORPUS


def test_a_load_names_its_many_segments_and_optimize_merges_them(tmp_path: Path, monkeypatch) -> None:
    # One commit a document and no merging: each seed document leaves its own segment.
    monkeypatch.setattr(IndexPlan, "for_files", classmethod(lambda cls, count: cls(batch=1, procs=1, merge=False)))
    monkeypatch.setattr(search_index, "MANY_SEGMENTS", 3)
    env = {"POLICYGRAPH_HOME": str(tmp_path / "home")}
    seeds = str(Path(SAMPLE_CORPUS) / "seeds")

    first = CliRunner().invoke(cli, ["load", "--no-progress", seeds], env=env)
    assert first.exit_code == 0, first.output
    assert "documents loaded: 5" in first.output
    assert "segments: `python -m search optimize` merges them" in first.output
    with SearchIndex(tmp_path / "home" / "index") as index:
        assert index.segment_count() >= 5
        before = search(index, "科技成果转化", page_size=100)

    again = CliRunner().invoke(cli, ["load", "--no-progress", "--optimize", seeds], env=env)
    assert again.exit_code == 0, again.output
    assert "unchanged: 5" in again.output and "merged into one segment" in again.output
    with SearchIndex(tmp_path / "home" / "index") as index:
        assert index.segment_count() == 1
        after = search(index, "科技成果转化", page_size=100)
    assert before.total > 0
    # The same entries match; scores may move a little: the merge drops the deleted entries that
    # Whoosh's statistics still counted (entity entries rewritten by later commits).
    assert (after.total, sorted(h.uid for h in after.hits)) == (before.total, sorted(h.uid for h in before.hits))
