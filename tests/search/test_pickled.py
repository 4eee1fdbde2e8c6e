"""The index files name our pickled classes by stable names: an index survives moving their modules."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from search.index import SearchIndex
from search.pickled import PLACES
from search.query import search
from tests.search.factory import extraction

ROOT = Path(__file__).resolve().parents[2]
# the modules the pickled classes live in → where the simulated move puts them
MOVES = {"search.codec": "search.postings.codec", "search.formats": "search.postings.formats",
         "search.analyzer": "search.text.chinese"}
QUERIES = ("科技成果转化", '"中试基地"', "人才 type:measure")

_READ = """
import json, sys
import search
assert search.__file__.startswith(sys.argv[2]), search.__file__  # the moved copy, not the repository's
for gone in ("search.codec", "search.formats", "search.analyzer"):
    try:
        __import__(gone)
    except ModuleNotFoundError:
        pass
    else:
        raise SystemExit(f"{gone} still importable")
from search.index import SearchIndex
from search.query import search as run
with SearchIndex(sys.argv[1], create=False) as ix:
    codec = type(ix.searcher().leaf_searchers()[0][0].reader().segment().codec())
    fmt = type(ix.searcher().schema["body"].format)
    out = {q: [h.uid for h in run(ix, q).hits] for q in json.loads(sys.argv[3])}
    print(json.dumps({"hits": out, "classes": [c.__module__ + "." + c.__name__ for c in (codec, fmt)]}))
"""


def _index(directory: Path) -> SearchIndex:
    index = SearchIndex(directory, lock_timeout=30)
    index.index_many([extraction("pol-a", "科技政策", "推动科技成果转化。", [("", "建设中试基地。")]),
                      extraction("pol-b", "人才政策", "引进人才。", [("", "落实人才补贴。")])])
    return index


def _moved_copy(dest: Path) -> Path:
    """A copy of the search package with the pickled classes' modules moved (imports and PLACES updated)."""
    package = dest / "search"
    shutil.copytree(ROOT / "search", package, ignore=shutil.ignore_patterns("__pycache__"))
    for old, new in MOVES.items():
        target = dest / (new.replace(".", "/") + ".py")
        target.parent.mkdir(parents=True, exist_ok=True)
        (target.parent / "__init__.py").touch()
        (dest / (old.replace(".", "/") + ".py")).rename(target)
    for path in package.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for old, new in MOVES.items():
            text = re.sub(rf"\b{re.escape(old)}\b", new, text)
        path.write_text(text, encoding="utf-8")
    return dest


def test_the_table_of_contents_names_stable_names_not_module_paths(tmp_path: Path) -> None:
    _index(tmp_path / "ix").close()
    toc = b"".join(p.read_bytes() for p in (tmp_path / "ix").glob("_MAIN_*.toc"))
    for name in PLACES:
        assert name.encode() in toc
    assert b"search.pickled" in toc
    for module in MOVES:
        assert module.encode() not in toc, module


def test_an_index_written_before_its_classes_moved_opens_and_searches_the_same(tmp_path: Path) -> None:
    with _index(tmp_path / "ix") as index:
        before = {q: [h.uid for h in search(index, q).hits] for q in QUERIES}
    assert all(before.values())
    moved = _moved_copy(tmp_path / "moved")
    done = subprocess.run([sys.executable, "-c", _READ, str(tmp_path / "ix"), str(moved), json.dumps(QUERIES)],
                          cwd=moved, env={**os.environ, "PYTHONPATH": f"{moved}:{ROOT}"},
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["classes"] == ["search.postings.codec.PackedCodec", "search.postings.formats.PackedPositions"]
    assert found["hits"] == before


def test_without_the_stable_names_the_move_breaks_the_index(tmp_path: Path) -> None:
    """The control: the same move, with PLACES left pointing at the old modules, cannot read the index."""
    _index(tmp_path / "ix").close()
    moved = _moved_copy(tmp_path / "moved")
    places = moved / "search" / "pickled.py"
    text = places.read_text(encoding="utf-8")
    for old, new in MOVES.items():
        text = text.replace(f'"{new}:', f'"{old}:')
    places.write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", _READ, str(tmp_path / "ix"), str(moved), json.dumps(QUERIES)],
                          cwd=moved, env={**os.environ, "PYTHONPATH": f"{moved}:{ROOT}"},
                          capture_output=True, text=True, timeout=300)
    assert done.returncode != 0 and "ModuleNotFoundError" in done.stderr
