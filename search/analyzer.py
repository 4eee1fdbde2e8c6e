"""Chinese text analysis for the index: folding, word segmentation and the Whoosh analyzer.

Tokens are numbered by *word index* (not character offset) so phrase queries work.
Search-mode sub-words (科技, 成果 inside 科技成果) are emitted at their parent word's
position, so a phrase of precise-mode tokens matches and shorter words keep recall.
Character offsets always refer to the original text: folding (traditional →
simplified, full width → half width) keeps the text's length.

The custom dictionary (department and programme names) is process-wide: rjieba has one
dictionary per process, and every index directory persists its words in `userdict.txt`
so that every process opening the index segments the same way.
"""

from __future__ import annotations

import fcntl
import functools
import logging
import re
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

import rjieba
from whoosh.analysis import Token, Tokenizer

from core.text import RADICALS, WIDTH, to_simplified
from search.pickled import stable

log = logging.getLogger(__name__)

USERDICT_NAME = "userdict.txt"
# Function words only: dropping them keeps postings small.  Positions are not
# renumbered, so a phrase across a dropped word still needs its gap (see query.py).
STOP_WORDS = frozenset("的 了 和 与 及 之 或 等".split())
_SHORT = 40  # texts up to this long are folded through a cache: names, facet values and queries recur
_LONG_WORD = 5  # words at least this long also index their dictionary n-grams and suffixes
# The index folds with core.text's tables and converter, but not exactly as core.text.match_text does:
# full width and radicals first, then t2s (so ⾨ U+2FA8 → 門 → 门, where match_text leaves 門), and CJK
# brackets (〔〕【】) kept as written.  The index stores folded tokens and folded entry values, so folding
# them like match_text would change them, silently, in every existing index; match_text's output is in
# every policy id (core.ids), so it cannot take this recipe either.
_INDEX_FOLD = WIDTH | RADICALS
_lock = threading.Lock()
_added: set[str] = set()


class WordToken(NamedTuple):
    """One token: folded text, word-index position, char span in the original text."""

    text: str
    pos: int
    start: int
    end: int


def fold(text: str) -> str:
    """Traditional → simplified and full width → half width, keeping the length."""
    if len(text) <= _SHORT:
        return _fold_short(text)
    return _fold(text)


@functools.lru_cache(maxsize=65_536)
def _fold_short(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    return to_simplified(text.translate(_INDEX_FOLD))


def _is_cjk(word: str) -> bool:
    """True when every character is a CJK unified ideograph."""
    return all("\u4e00" <= ch <= "\u9fff" for ch in word)


@functools.lru_cache(maxsize=200_000)
def subwords(word: str) -> tuple[tuple[str, int], ...]:
    """The sub-words of a precise-mode word with their offsets inside it."""
    n = len(word)
    if n <= 2 or not _is_cjk(word):
        return ()
    out: dict[str, int] = {}
    sizes = range(2, n) if n >= _LONG_WORD else range(2, min(n, 4))
    for size in sizes:
        for i in range(n - size + 1):
            gram = word[i : i + size]
            if gram not in out and rjieba.has_word(gram):
                out[gram] = i
    if n >= _LONG_WORD:  # suffixes: 人力资源和社会保障局 inside 淮北市人力资源和社会保障局
        for i in range(1, n - 2):
            out.setdefault(word[i:], i)
    return tuple(out.items())


_WORD_CHAR = re.compile(r"[^\W_]")


def _is_word(tok: str) -> bool:
    """True for tokens that carry text (a letter or digit; not whitespace or punctuation)."""
    return _WORD_CHAR.search(tok) is not None


@functools.lru_cache(maxsize=200_000)
def _word_forms(word: str) -> tuple[tuple[str, int, int], ...]:
    """A segmented word's tokens as (text, offset, length): the word (lower case), then its sub-words;
    () for whitespace and punctuation.  Cached: the same words recur in every document."""
    if not _is_word(word):
        return ()
    lower = word.lower()  # may change the length ("İ"): the span stays the segmented word's
    return ((lower, 0, len(word)), *((sub, offset, len(sub)) for sub, offset in subwords(lower)))


def _spans(text: str, with_subwords: bool) -> Iterator[tuple[str, int, int, int]]:
    """(text, pos, start, end) of every token of `text`: `tokenize` without a WordToken per token."""
    for pos, (word, start, _end) in enumerate(rjieba.tokenize(fold(text))):
        forms = _word_forms(word)
        for tok, offset, length in forms if with_subwords else forms[:1]:
            yield tok, pos, start + offset, start + offset + length


@functools.lru_cache(maxsize=200_000)
def _indexed_forms(word: str) -> tuple[str, ...]:
    """The texts `ChineseTokenizer` indexes for one segmented word: its forms without stop words."""
    return tuple(tok for tok, _offset, _length in _word_forms(word) if tok not in STOP_WORDS)


def word_positions(text: str) -> dict[str, list[int]]:
    """Every indexed token of `text` with its ascending word positions: what `ChineseTokenizer`
    yields (stop words dropped), grouped per token, without a Token or a span per token.

    The index writer's fast path (search.writer) uses it in place of the tokenizer.
    """
    out: dict[str, list[int]] = {}
    get = out.get
    for pos, word in enumerate(rjieba.cut(fold(text))):
        for tok in _indexed_forms(word):
            seen = get(tok)
            if seen is None:
                out[tok] = [pos]
            else:
                seen.append(pos)
    return out


def tokenize(text: str, with_subwords: bool = True) -> Iterator[WordToken]:
    """Segment `text` (folded here) into word tokens, optionally with sub-words."""
    return map(WordToken._make, _spans(text, with_subwords))


def precise_tokens(text: str) -> list[WordToken]:
    """Precise-mode tokens of `text` including stop words (for building phrase queries)."""
    return list(tokenize(text, with_subwords=False))


@stable("ChineseTokenizer")
class ChineseTokenizer(Tokenizer):
    """Whoosh tokenizer over `tokenize`: word-index positions, original char offsets."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        """Yield one reused Token per word and sub-word, as Whoosh tokenizers do."""
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        source = _spans(value, True) if tokenize else [(fold(value), 0, 0, len(value))]
        for text, pos, start, end in source:
            stopped = text in STOP_WORDS
            if stopped and removestops:
                continue  # positions are not renumbered: a phrase across a stop word keeps its gap
            t.text, t.boost, t.stopped = text, 1.0, stopped
            if keeporiginal:
                t.original = value[start:end]
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar, t.endchar = start_char + start, start_char + end
            yield t


def chinese_analyzer() -> object:
    """The analyzer used by every text field of the schema (the tokenizer drops stop words itself)."""
    return ChineseTokenizer()


def add_words(words: Iterable[str]) -> list[str]:
    """Add words to this process's segmentation dictionary; returns those that were new."""
    new = []
    with _lock:
        for word in words:
            word = fold(word.strip())
            if len(word) < 2 or word in _added or not _is_word(word):
                continue
            rjieba.add_word(word, None, None)
            _added.add(word)
            new.append(word)
        if new:
            subwords.cache_clear()
            _word_forms.cache_clear()
            _indexed_forms.cache_clear()
    return new


def dictionary_size() -> int:
    """Words added to this process's dictionary so far (changes when segmentation may change)."""
    return len(_added)


def load_userdict(directory: Path) -> int:
    """Load the index directory's userdict.txt into the dictionary; returns new words."""
    path = Path(directory) / USERDICT_NAME
    if not path.exists():
        return 0
    with path.open(encoding="utf-8") as fh:
        fcntl.flock(fh, fcntl.LOCK_SH)
        words = fh.read().split("\n")
    return len(add_words(w for w in words if w))


def save_userdict(directory: Path, words: Iterable[str]) -> list[str]:
    """Add words to the dictionary and append those not yet in userdict.txt; returns them."""
    wanted = [fold(w.strip()) for w in words]
    add_words(wanted)
    path = Path(directory) / USERDICT_NAME
    with path.open("a+", encoding="utf-8") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        fh.seek(0)
        known = set(fh.read().split("\n"))
        fresh = list(dict.fromkeys(w for w in wanted if len(w) >= 2 and _is_word(w) and w not in known))
        if fresh:
            fh.write("".join(w + "\n" for w in fresh))
    return fresh
