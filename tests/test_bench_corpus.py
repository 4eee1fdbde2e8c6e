"""The benchmark's generated corpus (bench/corpus.py) builds from the gazetteer and reads as policies: the
10k benchmark starts from it, and nothing else in the suite runs it (a moved data file once broke it unseen)."""

from __future__ import annotations

import random
from pathlib import Path

from bench.corpus import KINDS, MORE_KINDS, OBJECTS, SCALE_FROM, _document, following, generate, places, vocabulary
from loaders.extract import extract_path


def test_generated_documents_come_from_the_gazetteer_and_carry_measures(tmp_path: Path) -> None:
    pool = places()
    assert len({p.province for p in pool}) >= 30 and any(p.level == "市" for p in pool)
    paths = generate(12, tmp_path / "corpus")
    assert len(paths) == 12 and all(p.exists() and p.stat().st_size > 0 for p in paths)
    ex = extract_path(paths[0])
    assert ex.measures and any(m.lead for m in ex.measures)


def test_the_vocabulary_grows_past_10k_documents_and_not_before() -> None:
    small, at_10k, at_100k = vocabulary(1000), vocabulary(SCALE_FROM), vocabulary(100_000)
    assert small == at_10k and small.objects == OBJECTS and small.kinds == KINDS
    assert len(at_100k.objects) >= 3 * len(OBJECTS) and len(at_100k.kinds) > len(KINDS)
    assert at_100k.objects[: len(OBJECTS)] == OBJECTS  # the earlier words stay


def test_a_late_document_reads_with_the_new_departments_and_continues_the_corpus(tmp_path: Path) -> None:
    first = generate(6, tmp_path / "corpus")
    [seventh] = following(6, 1, tmp_path / "next")
    assert seventh.name not in {p.name for p in first}
    assert seventh.read_bytes() == generate(7, tmp_path / "corpus-7")[6].read_bytes()
    late = tmp_path / "late.txt"  # a document past SCALE_FROM, drawn as the corpus draws it
    late.write_text(_document(random.Random(1), places()[40], 99_999, "tags"), encoding="utf-8")
    leads = {u.name for m in extract_path(late).measures for u in m.lead + m.support}
    assert any(name.endswith(kind) for name in leads for kind in MORE_KINDS), leads
