"""Precision and recall of programmes, platforms, REPORTS_TO, CITES and IMPLEMENTS against the hand-checked
gold of the sample corpus (sample_gold.json).

    .venv/bin/python tests/corpus/entities/score.py            # loads sample_corpus/ into a temporary home
    .venv/bin/python tests/corpus/entities/score.py --home DIR # scores a home already loaded with it
    add -v to list every false positive and miss

Names are compared without script, width and punctuation differences (traditional = simplified).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from core.text import match_text  # noqa: E402

GOLD = Path(__file__).with_name("sample_gold.json")
TYPES = ("programmes", "platforms", "reports_to", "cites", "implements")
QUERIES = {
    "programmes": "MATCH (n:Programme) RETURN n.name",
    "platforms": "MATCH (n:Platform) RETURN n.name",
    "reports_to": "MATCH (a)-[r:REPORTS_TO]->(b) MATCH (p:Policy {id: r.doc}) RETURN p.source, a.name, b.name",
    "cites": "MATCH (p:Policy)-[:CITES]->(x:Policy) RETURN p.source, x.title",
    "implements": "MATCH (p:Policy)-[:CONTAINS*0..1]->()-[:IMPLEMENTS]->(x) "
                  "RETURN DISTINCT p.source, coalesce(x.title, x.name)",
}


def norm(text: str) -> str:
    return re.sub(r"[\W_]", "", match_text(text or ""))


def _key(row: list[Any] | tuple[Any, ...]) -> tuple[str, ...]:
    return tuple(norm(str(v)) for v in row)


def gold(path: Path = GOLD) -> dict[str, set[tuple[str, ...]]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {t: {_key(x if isinstance(x, list) else [x]) for x in data[t]} for t in TYPES}


def predicted(store: Any) -> dict[str, set[tuple[str, ...]]]:
    """What a loaded graph holds, per type (a graph.store.Store loaded with sample_corpus/)."""
    return {t: {_key(row) for row in store.read(q).rows} for t, q in QUERIES.items()}


def score(expected: dict[str, set[tuple[str, ...]]], found: dict[str, set[tuple[str, ...]]]) -> dict[str, dict]:
    out = {}
    for t in TYPES:
        tp = len(expected[t] & found[t])
        fp, fn = sorted(found[t] - expected[t]), sorted(expected[t] - found[t])
        out[t] = {"tp": tp, "fp": fp, "fn": fn,
                  "precision": tp / (tp + len(fp)) if tp + len(fp) else 1.0,
                  "recall": tp / (tp + len(fn)) if tp + len(fn) else 1.0}
    return out


def table(result: dict[str, dict], verbose: bool = False) -> str:
    lines = ["| type | gold | found | correct | precision | recall |", "|---|---:|---:|---:|---:|---:|"]
    for t, r in result.items():
        lines.append(f"| {t} | {r['tp'] + len(r['fn'])} | {r['tp'] + len(r['fp'])} | {r['tp']} | "
                     f"{r['precision']:.3f} | {r['recall']:.3f} |")
        if verbose:
            lines += [f"    false positive: {' / '.join(x)}" for x in r["fp"]]
            lines += [f"    missed: {' / '.join(x)}" for x in r["fn"]]
    return "\n".join(lines)


def _score_home(home: Path) -> dict[str, dict]:
    from graph.engine import EmbeddedEngine
    from graph.store import FalkorStore

    with EmbeddedEngine(home / "graph") as eng:
        assert eng.secrets is not None
        store = FalkorStore(str(eng.socket_path), eng.secrets.admin_password, eng.secrets.reader_password)
        try:
            return score(gold(), predicted(store))
        finally:
            store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="a POLICYGRAPH_HOME already loaded with sample_corpus/")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    if args.home:
        print(table(_score_home(args.home), args.verbose))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "POLICYGRAPH_HOME": tmp}
        subprocess.run([sys.executable, "-m", "loaders", "load", str(ROOT / "sample_corpus")], cwd=ROOT, env=env,
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(table(_score_home(Path(tmp)), args.verbose))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
