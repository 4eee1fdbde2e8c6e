"""Cut a policy's text into pieces for display: measure spans highlighted, repairs marked, search matches marked."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

REPAIR_LABELS = {"pinyin": "已删除拼音注音", "mojibake": "已修复乱码", "dropped_nian": "已补“年”字",
                 "boilerplate": "已删除网页栏目/页脚"}


@dataclass(frozen=True)
class Segment:
    """A run of policy text: the measure it belongs to (ordinal) and the repair it shows, if any.

    A segment with empty `text` and a `removed` string marks where the loader removed text.
    """

    text: str
    measure: int | None = None
    repair: str | None = None
    removed: str | None = None
    hit: bool = False  # inside a match of the search that led here (?hl=)

    @property
    def repair_label(self) -> str:
        return REPAIR_LABELS.get(self.repair or "", f"已修复（{self.repair}）")


def segments(text: str, spans: Iterable[tuple[int | None, int | None, int]],
             repairs: Iterable[list[object]] = (), hits: Iterable[tuple[int, int]] = ()) -> list[Segment]:
    """Pieces of `text` in order; `spans` are (start, end, ordinal), overlaps keep the earlier span;
    `repairs` are [start, end, kind, before] and `hits` (start, end) search matches, in the same offsets."""
    measures = _measure_ranges(text, spans)
    marks = [(int(r[0]), int(r[1]), str(r[2]), str(r[3])) for r in repairs if _in_text(r, len(text))]
    matches = [(s, e) for s, e in hits if 0 <= s < e <= len(text)]
    cuts = sorted({0, len(text)} | {p for s, e, _ in measures for p in (s, e)}
                  | {p for s, e, _, _ in marks for p in (s, e)} | {p for s, e in matches for p in (s, e)})
    removed_at = {}
    for s, e, kind, before in marks:
        if s == e:
            removed_at.setdefault(s, []).append((kind, before))
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:] + [len(text)], strict=True):
        for kind, before in removed_at.pop(a, []):
            out.append(Segment("", repair=kind, removed=before))
        if a < b:
            out.append(Segment(text[a:b], _covering(measures, a), _repair_at(marks, a),
                               hit=any(s <= a < e for s, e in matches)))
    return out


def _measure_ranges(text: str, spans: Iterable[tuple[int | None, int | None, int]]) -> list[tuple[int, int, int]]:
    out, pos = [], 0
    for start, end, ordinal in sorted(s for s in spans if _valid(s, len(text))):
        # the ignores below: _valid has dropped the spans with a None end, which mypy cannot see through a filter
        start = max(start, pos)  # type: ignore[type-var]
        if start < end:  # type: ignore[operator]
            out.append((start, end, ordinal))
            pos = end  # type: ignore[assignment]
    return out  # type: ignore[return-value]


def _covering(ranges: list[tuple[int, int, int]], pos: int) -> int | None:
    return next((o for s, e, o in ranges if s <= pos < e), None)


def _repair_at(marks: list[tuple[int, int, str, str]], pos: int) -> str | None:
    return next((k for s, e, k, _ in marks if s <= pos < e), None)


def _valid(span: tuple[int | None, int | None, int], length: int) -> bool:
    start, end, _ = span
    return start is not None and end is not None and 0 <= start < end <= length


def _in_text(mark: list[object], length: int) -> bool:
    try:
        # call-overload: a mark from JSON is any object; int() of a wrong one raises, which is the check
        return 0 <= int(mark[0]) <= int(mark[1]) <= length  # type: ignore[call-overload]
    except (TypeError, ValueError, IndexError):
        return False
