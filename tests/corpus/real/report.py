#!/usr/bin/env python3
"""Score the extractor on the real-document corpus with the shared scorer, overall and per layout family.

usage: report.py [--holdout | --holdout2 | --holdout3 | --holdout4 | --holdout5 | --converted |
                  --converted-holdout2] [--agreement]

Runs `python -m loaders extract` once on every document (the real CLI), then the shared scorer
(tests/gold/score.py, unchanged) on the whole set and on each layout family and format of families.json.
`--holdout` scores the hold-out fifth instead of the development documents, `--holdout2` the second
hold-out (documents added in a later session, annotated without running the extractor; tuned on since 2026-12-07),
`--holdout3` the third and `--holdout4` the fourth (likewise; both tuned on since a later session of
2026-12-07), `--holdout5` the fifth (added in that session, never tuned on). `--converted` scores the
converted documents (converted/: markdown and .docx made from the corpus's HTML task tables) whose original is a
development document, `--converted-holdout2` those made from second-hold-out documents. `--agreement` compares the two
independent annotations of the same document (agreement/), the ceiling any extractor can reach against one
annotator. Prints a table; `score(...)` returns the figures for tests.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SCORER = ROOT / "tests" / "gold" / "score.py"
_REPLAY = "import sys; sys.stdout.write(open(sys.argv[1], encoding='utf-8').read())"


@dataclass
class Figures:
    """What the shared scorer printed for one set of gold files."""

    docs: int
    records: int
    found: int
    lead_p: float
    lead_r: float
    lead_f1: float
    involved_f1: float
    deadlines: tuple[int, int]


def _parse(out: str, docs: int, records: int) -> Figures:
    found = re.search(r"measure recall (\d+)/(\d+)", out)
    lead = re.search(r"lead P ([\d.]+) R ([\d.]+); involved F1 ([\d.]+); deadlines (\d+)/(\d+)", out)
    f1 = re.search(r"^lead F1 ([\d.]+)", out, re.M)
    if not (found and lead and f1):
        raise RuntimeError(f"the scorer printed no totals:\n{out[-2000:]}")
    return Figures(docs, records, int(found.group(1)), float(lead.group(1)), float(lead.group(2)),
                   float(f1.group(1)), float(lead.group(3)), (int(lead.group(4)), int(lead.group(5))))


def _records(gold: Path) -> int:
    return sum(1 for line in gold.read_text(encoding="utf-8").splitlines() if line.strip())


def document(docs_dir: Path, stem: str) -> Path:
    """The document of a gold file: <stem>.txt, or a converted <stem>.md / <stem>.docx."""
    return next((p for p in (docs_dir / f"{stem}{s}" for s in (".txt", ".md", ".docx")) if p.exists()),
                docs_dir / f"{stem}.txt")


def converted_from(stem: str) -> str:
    """Where a converted document's original lives: "gold" (development) or "holdout2" (second hold-out)."""
    families = json.loads((HERE / "families.json").read_text(encoding="utf-8"))
    return "gold" if (HERE / "gold" / f"{families[stem]['converted_from']}.jsonl").exists() else "holdout2"


def score(holdout: bool | str = False) -> tuple[Figures, dict[str, dict[str, Figures]]]:
    """Overall figures and figures per family ({"layout": {name: Figures}, "format": {...}}).

    `holdout` is False (development documents), True (the hold-out fifth), a folder name ("holdout2"),
    "converted" (conversions of development documents) or "converted-holdout2" (conversions of second-hold-out
    documents).
    """
    folder = "converted" if str(holdout).startswith("converted") else holdout
    base = HERE / ("holdout" if folder is True else folder) if folder else HERE
    docs_dir, gold_dir = base / "docs", base / "gold"
    golds = sorted(gold_dir.glob("*.jsonl"))
    if folder == "converted":
        origin = "holdout2" if holdout == "converted-holdout2" else "gold"
        golds = [g for g in golds if converted_from(g.stem) == origin]
    families = json.loads((HERE / "families.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        saved = Path(tmp) / "extract.jsonl"
        paths = [str(document(docs_dir, g.stem)) for g in golds]
        run = subprocess.run([sys.executable, "-m", "loaders", "extract", *paths], cwd=ROOT, capture_output=True,
                             text=True, timeout=900, check=False)
        saved.write_text(run.stdout, encoding="utf-8")
        replay = [sys.executable, "-c", _REPLAY, str(saved)]

        def scored(subset: list[Path]) -> Figures:
            sub = Path(tempfile.mkdtemp(dir=tmp))
            for g in subset:
                (sub / g.name).symlink_to(g)
            out = subprocess.run([sys.executable, str(SCORER), str(sub), str(docs_dir), "--", *replay],
                                 capture_output=True, text=True, timeout=300, check=False).stdout
            return _parse(out, len(subset), sum(_records(g) for g in subset))

        overall = scored(golds)
        by: dict[str, dict[str, Figures]] = {}
        for key in ("layout", "format"):
            names = sorted({families[g.stem][key] for g in golds})
            by[key] = {n: scored([g for g in golds if families[g.stem][key] == n]) for n in names}
    return overall, by


def table(title: str, overall: Figures, by: dict[str, dict[str, Figures]]) -> str:
    lines = [f"{title}: {overall.docs} documents, {overall.records} gold records",
             f"  lead P {overall.lead_p:.3f} R {overall.lead_r:.3f} F1 {overall.lead_f1:.3f}; "
             f"involved F1 {overall.involved_f1:.3f}; measures found {overall.found}/{overall.records}; "
             f"deadlines {overall.deadlines[0]}/{overall.deadlines[1]}"]
    for key, rows in by.items():
        lines.append(f"  {'by ' + key:22s} docs records  lead P  lead R  lead F1  involved F1")
        for name, f in rows.items():
            lines.append(f"    {name:20s} {f.docs:4d} {f.records:7d}  {f.lead_p:6.3f}  {f.lead_r:6.3f}  "
                         f"{f.lead_f1:7.3f}  {f.involved_f1:11.3f}")
    return "\n".join(lines)


def agreement() -> str:
    """Score one annotation against the other, for every document annotated twice."""
    out = []
    for second in sorted((HERE / "agreement").glob("*.second.jsonl")):
        target = HERE / "gold" / second.name.replace(".second", "")
        recs = [json.loads(line) for line in second.read_text(encoding="utf-8").splitlines() if line.strip()]
        gold = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines() if line.strip()]
        lead = _match(gold, recs, lambda r: r["lead"])
        inv = _match(gold, recs, lambda r: r["lead"] + r["support"])
        out.append(f"{target.stem.split('.')[0]} annotated twice: {len(gold)} vs {len(recs)} records; "
                   f"lead agreement F1 {lead:.3f}, involved {inv:.3f}")
    return "\n".join(out)


def _match(a: list[dict], b: list[dict], units) -> float:
    """Unit-level F1 of b against a, pairing records whose `before` snippets end alike."""
    def key(r: dict) -> str:
        return re.sub(r"\s+", "", r["before"])[-8:]
    index = {key(r): r for r in b}
    tp = sum(len(set(units(r)) & set(units(index[key(r)]))) for r in a if key(r) in index)
    total = sum(len(units(r)) for r in a) + sum(len(units(r)) for r in b)
    return 2 * tp / total if total else 0.0


def main(argv: list[str]) -> int:
    if "--agreement" in argv:
        print(agreement())
        return 0
    named = {"--holdout2": "holdout2", "--holdout3": "holdout3", "--holdout4": "holdout4",
             "--holdout5": "holdout5", "--converted": "converted",
             "--converted-holdout2": "converted-holdout2"}
    holdout: bool | str = next((v for k, v in named.items() if k in argv), "--holdout" in argv)
    overall, by = score(holdout)
    title = {True: "Hold-out fifth", "holdout2": "Second hold-out (tuned on since 2026-12-07)",
             "holdout3": "Third hold-out (tuned on since a later session of 2026-12-07)",
             "holdout4": "Fourth hold-out (tuned on since a later session of 2026-12-07)",
             "holdout5": "Fifth hold-out (never tuned on)",
             "converted": "Converted development documents",
             "converted-holdout2": "Converted second-hold-out documents"}.get(holdout, "Development documents")
    print(table(title, overall, by))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
