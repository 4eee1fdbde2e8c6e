"""Snippets: a window of the original text, HTML-escaped, with matches in <mark>…</mark>."""

from __future__ import annotations

import html

from search.analyzer import fold

WIDTH = 120  # characters of context in a snippet
SCAN_CHARS = 50_000  # matches are looked for in this much of the text
FOLD_CHARS = 10_000  # when some terms occur as written and others not, this much is also folded


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with overlapping or touching ones joined."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _occurrences(text: str, terms: set[str], limit: int = 64) -> list[tuple[int, int]]:
    """Substring occurrences of the terms (to place the window cheaply).

    The text as it is is looked at first; when a term does not occur in it, the text is folded
    (traditional → simplified, full width → half width; the same offsets) and looked at again, so that in
    traditional text 中試基地 is marked and not only 基地, which it shares with the simplified query.
    Folding costs more on long texts: when some terms were found as written, only the first FOLD_CHARS are.
    """
    head = text[:SCAN_CHARS].lower()
    found = _find_all(head, terms, limit)
    if not found:
        return _find_all(fold(head), terms, limit)
    seen = {head[s:e] for s, e in found}
    missing = {t for t in terms if t not in seen}
    if not missing:
        return found
    return sorted(set(found) | set(_find_all(fold(head[:FOLD_CHARS]), missing, limit)))


def _find_all(text: str, terms: set[str], limit: int) -> list[tuple[int, int]]:
    """Spans of every occurrence of every term, sorted (at most `limit` per term)."""
    found = []
    for term in terms:
        i, n = text.find(term), 0
        while i >= 0 and n < limit:
            found.append((i, i + len(term)))
            i, n = text.find(term, i + 1), n + 1
    return sorted(found)


def _best_window(spans: list[tuple[int, int]], width: int) -> int:
    """Start of the `width`-char window covering the most matches (with some lead-in)."""
    best_start, best_count, j = 0, 0, 0
    for i, (start, _) in enumerate(spans):
        while j < len(spans) and spans[j][1] <= start + width:
            j += 1
        if j - i > best_count:
            best_start, best_count = start, j - i
    return max(0, best_start - width // 6)


def snippet_html(text: str, terms: set[str], width: int = WIDTH) -> str:
    """An escaped window of `text` around the densest matches, each match in <mark>."""
    occurrences = _occurrences(text, terms) if terms else []
    start = _best_window(occurrences, width) if occurrences else 0
    end = min(len(text), start + width)
    spans = merge_spans(occurrences)
    out = ["…" if start > 0 else ""]
    cursor = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out += [html.escape(text[cursor:s]), "<mark>", html.escape(text[s:e]), "</mark>"]
        cursor = e
    out += [html.escape(text[cursor:end]), "…" if end < len(text) else ""]
    return "".join(out)
