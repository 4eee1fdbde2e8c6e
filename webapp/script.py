"""Script of displayed text: documents that reached us machine-converted to traditional characters (the 淮北
seed) are shown in simplified characters by default, with a switch to the original.

Conversion is opencc t2s one character for one (core.text.to_simplified keeps the length), so every
offset into the original text (measure spans, repair marks, search matches) is valid in the simplified text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from markupsafe import Markup, escape

from core.text import to_simplified
from search.analyzer import fold
from search.highlight import merge_spans

TRADITIONAL_SHARE = 0.05  # of CJK characters that t2s changes: above it a text is traditional
MIN_CHANGED = 2  # …and at least this many characters (a short simplified title may hold one 著 or 乾)
SAMPLE_CHARS = 4000  # a long text is judged on its beginning
_CJK = re.compile(r"[\u4e00-\u9fff]")


def is_traditional(text: str | None) -> bool:
    """Whether a text is written in traditional characters (enough of its characters change under t2s)."""
    if not text:
        return False
    return _is_traditional(text[:SAMPLE_CHARS])


@lru_cache(maxsize=4096)
def _is_traditional(sample: str) -> bool:
    cjk = len(_CJK.findall(sample))
    if not cjk:
        return False
    changed = sum(1 for a, b in zip(sample, to_simplified(sample), strict=True) if a != b)
    return changed >= MIN_CHANGED and changed >= TRADITIONAL_SHARE * cjk


def simplified(text: str | None, like: str | None = None) -> str:
    """The text in simplified characters when it is traditional (same length), else unchanged.

    `like`: a longer text from the same document (a measure's body for its short title), whose script decides
    when the text itself is too short to tell (加大轉化落地扶持 has one traditional character)."""
    if not text:
        return text or ""
    return to_simplified(text) if is_traditional(text) or is_traditional(like) else text


def highlight_spans(text: str, terms: Iterable[str], limit: int = 500) -> list[tuple[int, int]]:
    """Where the terms occur in `text`, in either script (matched on folded text, same offsets), merged."""
    folded = fold(text).lower()
    spans: list[tuple[int, int]] = []
    for term in {fold(t).strip().lower() for t in terms if t and t.strip()}:
        i = folded.find(term)
        while i >= 0 and len(spans) < limit:
            spans.append((i, i + len(term)))
            i = folded.find(term, i + len(term))
    return merge_spans(spans)


class Display:
    """How a page shows a document's text: simplified (the default for a traditional text) or as written,
    and the search words to mark (?hl=)."""

    def __init__(self, traditional: bool, original: bool, terms: list[str]) -> None:
        self.traditional = traditional  # the document is written in traditional characters
        self.original = original  # show it as written
        self.terms = terms

    @property
    def converted(self) -> bool:
        """Whether the page shows simplified characters in place of the document's traditional ones."""
        return self.traditional and not self.original

    def text(self, text: str | None) -> str:
        """A piece of the document as shown (same length as written)."""
        if not text:
            return text or ""
        return to_simplified(text) if self.converted else text

    def matches(self, text: str) -> list[tuple[int, int]]:
        """Where the search words occur in the text (either script), in its offsets."""
        return highlight_spans(text, self.terms) if self.terms else []

    def marked(self, text: str | None) -> Markup:
        """A piece of the document as shown, escaped, with the search words in <mark class="hl">."""
        text = text or ""
        shown = self.text(text)
        out, cursor = [], 0
        for start, end in self.matches(text):
            out += [escape(shown[cursor:start]), Markup('<mark class="hl">'), escape(shown[start:end]),
                    Markup("</mark>")]
            cursor = end
        out.append(escape(shown[cursor:]))
        return Markup("").join(out)


def display(text: str, args: Mapping[str, str]) -> Display:
    """The display of a document from its text and the page's query string (?script=original, ?hl=words)."""
    terms = [w for w in (args.get("hl") or "")[:200].split() if w.strip()][:10]
    return Display(is_traditional(text), args.get("script") == "original", terms)
