"""Cut a policy's text into plain and highlighted pieces from its measures' character spans."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    """A run of policy text; `measure` is the ordinal of the measure it belongs to, or None."""

    text: str
    measure: int | None = None


def segments(text: str, spans: Iterable[tuple[int | None, int | None, int]]) -> list[Segment]:
    """Pieces of `text` in order; `spans` are (start, end, ordinal); overlaps keep the earlier span."""
    out: list[Segment] = []
    pos = 0
    for start, end, ordinal in sorted(s for s in spans if _valid(s, len(text))):
        start = max(start, pos)  # type: ignore[type-var]
        if start >= end:  # type: ignore[operator]
            continue
        if start > pos:
            out.append(Segment(text[pos:start]))
        out.append(Segment(text[start:end], ordinal))
        pos = end  # type: ignore[assignment]
    if pos < len(text):
        out.append(Segment(text[pos:]))
    return out


def _valid(span: tuple[int | None, int | None, int], length: int) -> bool:
    start, end, _ = span
    return start is not None and end is not None and 0 <= start < end <= length
