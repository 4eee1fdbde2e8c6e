"""The analyzer's per-word cache: the same tokens as segmenting word by word, and new words are seen at once."""

from __future__ import annotations

import rjieba

from search.analyzer import _is_word, add_words, chinese_analyzer, fold, subwords, tokenize

TEXTS = [
    "各單位推動科技成果轉化，建設中試基地（ＡＢＣ１２３）",
    "İstanbul NQI 平台 与 the Lab",
    "由淮北市人力资源和社会保障局牵头，会同市科技局、市财政局负责。\n2024年12月底前完成",
    "   ，。！   ",
    "",
]


def _reference(text: str) -> list[tuple[str, int, int, int]]:
    """Tokens as the analyzer defines them, computed without its cache: each segmented word, lower
    case, at its word index and original span, followed by its sub-words at the same index."""
    out = []
    for pos, (word, start, end) in enumerate(rjieba.tokenize(fold(text))):
        if not _is_word(word):
            continue
        out.append((word.lower(), pos, start, end))
        out += [(sub, pos, start + offset, start + offset + len(sub)) for sub, offset in subwords(word.lower())]
    return out


def test_tokens_equal_word_by_word_segmentation():
    for text in TEXTS * 2:  # the second round is served from the cache
        assert [tuple(t) for t in tokenize(text)] == _reference(text)
        analysed = [(t.text, t.pos, t.startchar, t.endchar)
                    for t in chinese_analyzer()(text, positions=True, chars=True, removestops=False)]
        assert analysed == _reference(text)


def test_a_word_added_after_a_text_was_segmented_is_kept_whole_the_next_time():
    name, text = "临泉县经济技术合作促进中心", "临泉县经济技术合作促进中心牵头"
    assert name not in [t.text for t in tokenize(text)]
    add_words([name])
    assert [t.text for t in tokenize(text, with_subwords=False)] == [name, "牵头"]


def test_a_word_added_inside_a_segmented_word_becomes_its_sub_word():
    word, inner = "科学技术成果推广服务中心", "成果推广服务"
    add_words([word])
    assert inner not in [t.text for t in tokenize(word)]  # segmented (and cached) before `inner` is a word
    add_words([inner])
    assert (inner, 0, 4, 10) in [tuple(t) for t in tokenize(word)]
