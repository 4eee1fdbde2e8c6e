"""The analyzer: folding, word-index positions, sub-words at the parent's position, char offsets."""

from __future__ import annotations

from search.analyzer import add_words, chinese_analyzer, fold, precise_tokens, tokenize


def _tokens(text: str) -> list[tuple[str, int, int, int]]:
    return [(t.text, t.pos, t.startchar, t.endchar)
            for t in chinese_analyzer()(text, positions=True, chars=True, mode="index")]


def test_fold_is_traditional_to_simplified_and_half_width_keeping_length():
    text = "推動科技成果轉化（ＡＢＣ１２３）：著力"
    folded = fold(text)
    assert folded == "推动科技成果转化(ABC123):著力"
    assert len(folded) == len(text)


def test_positions_are_word_indexes_with_sub_words_at_the_parent_position():
    tokens = _tokens("推动科技成果转化")
    assert ("推动", 0, 0, 2) in tokens
    assert ("科技成果", 1, 2, 6) in tokens
    assert ("科技", 1, 2, 4) in tokens and ("成果", 1, 4, 6) in tokens
    assert ("转化", 2, 6, 8) in tokens
    assert max(pos for _, pos, _, _ in tokens) == 2


def test_stop_words_and_punctuation_are_dropped_without_renumbering():
    tokens = _tokens("科技的成果,转化")
    assert [(t, p) for t, p, _, _ in tokens] == [("科技", 0), ("成果", 2), ("转化", 4)]


def test_offsets_point_into_the_original_traditional_text():
    text = "各單位推動科技成果轉化"
    for word, _, start, end in _tokens(text):
        assert fold(text[start:end]) == word
    assert ("转化", 4, 9, 11) in _tokens(text)


def test_latin_is_lowercased():
    assert [t.text for t in precise_tokens("NQI 平台")] == ["nqi", "平台"]


def test_added_words_stay_whole_and_long_words_index_their_suffixes():
    name = "淮北市发展和改革委员会"
    add_words([name])
    assert [t.text for t in precise_tokens(f"由{name}牵头")] == ["由", name, "牵头"]
    subs = {t.text: t.pos for t in tokenize(name)}
    assert subs[name] == 0
    assert subs["发展和改革委员会"] == 0  # suffix: the name without its city
    assert subs["改革"] == 0 and subs["委员会"] == 0
