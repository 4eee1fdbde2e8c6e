"""The extractor on real documents nobody tuned it on: tests/corpus/real (see its ANNOTATION.md, SOURCES.md).

The shared scorer runs on every development document through the real CLI (`python -m loaders extract`);
CI fails when lead F1 or involved F1 drops below the floors, which were set just under the figures measured
when the corpus was built (closing note of issue 18). The per-family table is printed at the end of the run.
The hold-out fifth is scored the same way, with its own floor: it was annotated while the extractor was
being changed and its errors were never looked at, so its score is the honest estimate for unseen documents.
The second hold-out (holdout2/, added after the extractor work, annotated without ever running the extractor
on it) is only scored and printed: it has no floor yet, its gold strings are checked like all others.
Converted documents (converted/: the corpus's real HTML task tables turned into markdown pipe tables by
markdownify and html2text, and into a .docx table by python-docx) test format robustness: a conversion of a
development document must extract like its original; conversions of second-hold-out documents are only scored
and printed, like the second hold-out itself.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPORTS

REAL = Path(__file__).resolve().parents[1] / "corpus" / "real"


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"real_corpus_{name}", REAL / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    # union-attr: a spec for an existing .py file always has a loader
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


report = _module("report")
check_gold = _module("check_gold")
scorer_spec = importlib.util.spec_from_file_location("real_corpus_scorer", report.SCORER)
scorer = importlib.util.module_from_spec(scorer_spec)
# union-attr: a spec for an existing .py file always has a loader
scorer_spec.loader.exec_module(scorer)  # type: ignore[union-attr]

# Floors: the figures measured at the end of a session, less about two points (issue 18's closing notes).
# Session 1: development lead F1 0.898, involved 0.903, lead precision 0.965; hold-out 0.737 / 0.786.
# Session 2: development 0.927 / 0.924 / 0.965; hold-out 0.793 / 0.831 untouched, then 0.825 / 0.890 after a
# bug found on one of its documents (l01) was fixed.
# Session 3: development 0.948 / 0.954 / 0.973 (after correcting 25 gold records to the shared conventions);
# hold-out unchanged at 0.825 / 0.890.
# Session 4: eight one-line Pingtan dumps (y01-y08) joined development, which fell to 0.908 / 0.898 / 0.962 with
# them; after the work on them 0.942 / 0.948 / 0.970 (46 documents). Hold-out fifth 0.832 / 0.891; third
# hold-out 0.503 / 0.546; fourth (new) 0.351 / 0.420 untouched, 0.645 / 0.620 after a reader fix.
# Session 5: five documents from new provinces (w01-w05) joined development (0.942 / 0.945 / 0.970 with them);
# after the work 0.949 / 0.956 / 0.974 (51 documents). Hold-out fifth 0.835 / 0.894. The third and fourth
# hold-outs were tuned on from this session (last untouched: 0.503 / 0.546 and 0.645 / 0.620); holdout5 is new
# and untouched.
DEV_LEAD_F1, DEV_INVOLVED_F1, DEV_LEAD_P = 0.93, 0.935, 0.965
HOLDOUT_LEAD_F1, HOLDOUT_INVOLVED_F1 = 0.81, 0.87


def test_every_gold_record_matches_its_document():
    assert check_gold.main([]) == 0


def test_corpus_size_and_families_are_recorded():
    families = json.loads((REAL / "families.json").read_text(encoding="utf-8"))
    folders = ("gold", "holdout/gold", "holdout2/gold", "holdout3/gold", "holdout4/gold", "holdout5/gold",
               "converted/gold")
    golds = [g for folder in folders for g in sorted(REAL.glob(f"{folder}/*.jsonl"))]
    docs = [report.document(g.parent.parent / "docs", g.stem) for g in golds]
    assert all(d.exists() for d in docs)
    assert {g.stem for g in golds} == set(families)
    records = sum(1 for g in golds for line in g.read_text(encoding="utf-8").splitlines() if line.strip())
    assert len(golds) >= 40 and records >= 1000, (len(golds), records)
    sources = (REAL / "SOURCES.md").read_text(encoding="utf-8")
    assert all(f"| {g.stem} |" in sources for g in golds)


@pytest.mark.parametrize("holdout", [False, True], ids=["development", "hold-out"])
def test_scores_stay_above_the_floor(holdout):
    overall, by = report.score(holdout)
    REPORTS.append(report.table("Hold-out fifth" if holdout else "Development documents", overall, by))
    if holdout:
        assert overall.lead_f1 >= HOLDOUT_LEAD_F1 and overall.involved_f1 >= HOLDOUT_INVOLVED_F1, overall
    else:
        assert overall.lead_f1 >= DEV_LEAD_F1 and overall.involved_f1 >= DEV_INVOLVED_F1, overall
        assert overall.lead_p >= DEV_LEAD_P, overall


def test_second_holdout_is_scored_and_printed():
    """No floor: the figures are printed for the closing note; the test fails only if scoring itself breaks."""
    overall, by = report.score("holdout2")
    REPORTS.append(report.table("Second hold-out, tuned on since 2026-12-07 (no floor)", overall, by))
    assert overall.docs == len(list((REAL / "holdout2" / "gold").glob("*.jsonl"))) and overall.records > 0


def test_third_holdout_is_scored_and_printed():
    """No floor, like the second hold-out (tuned on since a later session of 2026-12-07)."""
    overall, by = report.score("holdout3")
    REPORTS.append(report.table("Third hold-out, tuned on since a later session of 2026-12-07 (no floor)",
                                overall, by))
    assert overall.docs == len(list((REAL / "holdout3" / "gold").glob("*.jsonl"))) and overall.records > 0


def test_fourth_holdout_is_scored_and_printed():
    """No floor, like the third hold-out (added 2026-12-07, annotated without running the extractor; tuned on since
    a later session of that day)."""
    overall, by = report.score("holdout4")
    REPORTS.append(report.table("Fourth hold-out, tuned on since a later session of 2026-12-07 (no floor)",
                                overall, by))
    assert overall.docs == len(list((REAL / "holdout4" / "gold").glob("*.jsonl"))) and overall.records > 0


def test_fifth_holdout_is_scored_and_printed():
    """No floor: annotated without running the extractor and never tuned on; the honest estimate for unseen
    documents (its errors are not looked at while the extractor changes)."""
    overall, by = report.score("holdout5")
    REPORTS.append(report.table("Fifth hold-out, never tuned on (no floor)", overall, by))
    assert overall.docs == len(list((REAL / "holdout5" / "gold").glob("*.jsonl"))) and overall.records > 0


def _converted(origin: str) -> list[str]:
    golds = sorted((REAL / "converted" / "gold").glob("*.jsonl"))
    return [g.stem for g in golds if report.converted_from(g.stem) == origin]


def _assignments(extraction: dict, gold: list[dict]) -> tuple[list, int]:
    """For each gold record, the lead and support names of the measure the shared scorer pairs it with; and the
    number of measures that carry units at all."""
    measures = extraction["measures"]
    texts = [scorer.norm(m["text"]) for m in measures]
    got = []
    for rec in gold:
        key = scorer.norm(rec["before"])[-10:]
        hit = next((i for i, t in enumerate(texts) if t.endswith(key)), None)
        hit = next((i for i, t in enumerate(texts) if key in t), None) if hit is None else hit
        got.append(None if hit is None else (sorted(u["name"] for u in measures[hit]["lead"]),
                                             sorted(u["name"] for u in measures[hit]["support"])))
    return got, sum(1 for m in measures if m["lead"] or m["support"])


def test_conversions_of_development_documents_extract_like_their_original():
    """Format robustness: the same task table as HTML, as markdown pipe tables and as a .docx table gives the same
    measures with the same leads and supports (and no extra assigned measures)."""
    stems = _converted("gold")
    families = json.loads((REAL / "families.json").read_text(encoding="utf-8"))
    originals = sorted({families[s]["converted_from"] for s in stems})
    assert stems and originals
    paths = [REAL / "docs" / f"{o}.txt" for o in originals] + [report.document(REAL / "converted" / "docs", s)
                                                                 for s in stems]
    run = subprocess.run([sys.executable, "-m", "loaders", "extract", *map(str, paths)], cwd=report.ROOT,
                         capture_output=True, text=True, timeout=900, check=True)
    by_stem = {Path(e["source"]).stem: e for e in map(json.loads, run.stdout.splitlines())}
    for original in originals:
        gold = [json.loads(line) for line in (REAL / "gold" / f"{original}.jsonl").read_text(encoding="utf-8")
                .splitlines() if line.strip()]
        expected, assigned = _assignments(by_stem[original], gold)
        assert sum(x is not None for x in expected) >= len(gold) * 0.9, (original, expected)
        for stem in (s for s in stems if families[s]["converted_from"] == original):
            got, got_assigned = _assignments(by_stem[stem], gold)
            differ = [(rec["before"], want, have) for rec, want, have in zip(gold, expected, got, strict=True)
                      if want != have]
            assert not differ, (stem, differ)
            assert got_assigned == assigned, (stem, got_assigned, assigned)
    overall, by = report.score("converted")
    REPORTS.append(report.table("Converted development documents", overall, by))


def test_conversions_of_second_holdout_are_scored_and_printed():
    """No floor, like the second hold-out: its figures are printed; the test fails only if scoring itself breaks."""
    overall, by = report.score("converted-holdout2")
    REPORTS.append(report.table("Converted second-hold-out documents (no floor)", overall, by))
    assert overall.docs == len(_converted("holdout2")) and overall.records > 0
