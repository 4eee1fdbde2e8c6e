"""The benchmark's generated corpus (bench/corpus.py) builds from the gazetteer and reads as policies: the
10k benchmark starts from it, and nothing else in the suite runs it (a moved data file once broke it unseen)."""

from __future__ import annotations

from pathlib import Path

from bench.corpus import generate, places
from loaders.extract import extract_path


def test_generated_documents_come_from_the_gazetteer_and_carry_measures(tmp_path: Path) -> None:
    pool = places()
    assert len({p.province for p in pool}) >= 30 and any(p.level == "市" for p in pool)
    paths = generate(12, tmp_path / "corpus")
    assert len(paths) == 12 and all(p.exists() and p.stat().st_size > 0 for p in paths)
    ex = extract_path(paths[0])
    assert ex.measures and any(m.lead for m in ex.measures)
