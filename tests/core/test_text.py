"""The two foldings built from core.text's tables: match_text (graph, ids) and the index's (search.analyzer).

They differ in exactly two documented ways (core.text, search.analyzer): the index keeps CJK brackets, and it
replaces radicals before t2s.  Anything else that made them differ would be a change to one of them.
"""

from __future__ import annotations

from pathlib import Path

from core.text import BRACKETS, RADICALS, match_text, to_simplified
from search.analyzer import fold

ROOT = Path(__file__).resolve().parents[2]
# radicals whose ordinary character is traditional (⾨ → 門): the index simplifies them, match_text does not
TRADITIONAL_RADICALS = {chr(cp) for cp, ordinary in RADICALS.items() if to_simplified(chr(ordinary)) != chr(ordinary)}


def _texts() -> list[str]:
    paths = sorted((ROOT / "sample_corpus").rglob("*.txt")) + sorted((ROOT / "sample_corpus").rglob("*.md"))
    assert paths
    return [p.read_text(encoding="utf-8", errors="replace") for p in paths]


def test_the_foldings_differ_only_where_documented() -> None:
    special = {chr(cp) for cp in BRACKETS} | TRADITIONAL_RADICALS
    probe = "國務院辦公廳〔２０２１〕１号【部⾨】⾰新 人⺠政府　ＡＢＣ"
    for text in [probe, *_texts()]:
        index, match = fold(text), match_text(text)
        assert len(index) == len(match) == len(text)
        differ = [(text[i], index[i], match[i]) for i in range(len(text)) if index[i] != match[i]]
        assert all(original in special for original, _, _ in differ), differ[:10]


def test_each_documented_difference() -> None:
    assert (fold("〔2021〕【】"), match_text("〔2021〕【】")) == ("〔2021〕【】", "(2021)()")
    assert (fold("部⾨"), match_text("部⾨")) == ("部门", "部門")
    assert fold("⾰新") == match_text("⾰新") == "革新"
    assert len(TRADITIONAL_RADICALS) > 10
