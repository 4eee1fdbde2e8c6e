#!/usr/bin/env python3
"""Developer tool: where the extractor disagrees with gold records, record by record.

usage: diff.py GOLD_DIR DOCS_DIR [NAME_SUBSTRING]

Matches gold records to extracted measures the way the shared scorer does (tests/gold/score.py) and prints
every record whose lead or support differs, every record with no measure, and every extracted measure with
units that no record claims (a false positive for the scorer).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))
_spec = importlib.util.spec_from_file_location("score", ROOT / "tests" / "gold" / "score.py")
score = importlib.util.module_from_spec(_spec)
# union-attr: spec_from_file_location of an existing .py file always has a loader
_spec.loader.exec_module(score)  # type: ignore[union-attr]

from loaders.extract import extract_path  # noqa: E402


def _names(units) -> list[str]:
    return [u.mention for u in units]


def diff_doc(gold_file: Path, doc: Path) -> int:
    ex = extract_path(doc)
    ms = ex.measures
    texts = [score.norm(m.text) for m in ms]
    used: set[int] = set()
    bad = 0
    for line in gold_file.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        key = score.norm(r["before"])[-10:]
        idx = next((i for i, t in enumerate(texts) if i not in used and t.endswith(key)), None)
        if idx is None:
            idx = next((i for i, t in enumerate(texts) if i not in used and key in t), None)
        if idx is None:
            print(f"  MISSING  …{r['before']}  lead={r['lead']} support={r['support']}")
            bad += 1
            continue
        used.add(idx)
        m = ms[idx]
        lead = [{"mention": u.mention, "name": u.name} for u in m.lead]
        both = lead + [{"mention": u.mention, "name": u.name} for u in m.support]
        ok_lead = score.match_units(lead, r["lead"]) == len(r["lead"]) == len(lead)
        ok_all = score.match_units(both, r["lead"] + r["support"]) == len(r["lead"] + r["support"]) == len(both)
        if not (ok_lead and ok_all):
            bad += 1
            print(f"  WRONG    …{r['before']}\n           gold lead={r['lead']} support={r['support']}\n"
                  f"           got  lead={_names(m.lead)} support={_names(m.support)}  [{m.evidence[:60]}]")
    for i, m in enumerate(ms):
        if i not in used and (m.lead or m.support):
            bad += 1
            print(f"  EXTRA    …{m.text[-14:]}  lead={_names(m.lead)} support={_names(m.support)}"
                  f"  [{m.evidence[:60]}]")
    return bad


def main(argv: list[str]) -> int:
    gold_dir, docs_dir = Path(argv[0]), Path(argv[1])
    needle = argv[2] if len(argv) > 2 else ""
    total = 0
    for g in sorted(gold_dir.glob("*.jsonl")):
        if needle not in g.stem:
            continue
        print(g.stem)
        total += diff_doc(g, docs_dir / (g.stem + ".txt"))
    print(f"{total} disagreement(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
