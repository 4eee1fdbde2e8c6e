"""Stable names for the classes of ours that Whoosh pickles into an index's table of contents.

Whoosh pickles the schema (the text fields' `PackedPositions` format and `ChineseTokenizer`
analyzer) and the segment list (each segment's `PackedCodec`).  A plain pickle names a class
by its module path, so moving `search/codec.py` would make every existing index unreadable.
The classes registered here pickle as `restore(<stable name>, ...)` instead: the index files
name only this module's `restore` and the stable names below.

To move a registered class, change its entry in PLACES; never rename this module, `restore`,
or a stable name (tests/search/test_pickled.py moves a module and reads an index written before).
"""

from __future__ import annotations

import copyreg
from collections.abc import Callable
from importlib import import_module
from typing import Any, TypeVar

# stable name → "module:class" where the class lives now
PLACES = {
    "PackedCodec": "search.codec:PackedCodec",
    "PackedPositions": "search.formats:PackedPositions",
    "ChineseTokenizer": "search.analyzer:ChineseTokenizer",
}

T = TypeVar("T", bound=type)
_NEWOBJ = vars(copyreg)["__newobj__"]  # what protocol 2+ reduces a plain object with


def lookup(name: str) -> type:
    """The class registered under a stable name (imported from where PLACES says it lives)."""
    module, _, qualname = PLACES[name].partition(":")
    return getattr(import_module(module), qualname)


def restore(name: str, *args: Any) -> Any:
    """A new, empty instance of the class registered under `name` (pickle then sets its state)."""
    cls = lookup(name)
    return cls.__new__(cls, *args)


def stable(name: str) -> Callable[[T], T]:
    """Class decorator: instances pickle under the stable `name` (an entry of PLACES), not their module path."""
    if name not in PLACES:
        raise ValueError(f"{name!r} is not in search.pickled.PLACES")

    def register(cls: T) -> T:
        def __reduce_ex__(self: Any, protocol: int) -> str | tuple[Any, ...]:
            reduced = object.__reduce_ex__(self, protocol)
            if type(self) is not cls or isinstance(reduced, str) or reduced[0] is not _NEWOBJ:  # subclass, protocol < 2
                return reduced
            # (copyreg.__newobj__, (cls, *args), state, ...) → (restore, (name, *args), state, ...)
            return (restore, (name, *reduced[1][1:]), *reduced[2:])

        cls.__reduce_ex__ = __reduce_ex__  # type: ignore[assignment]
        return cls

    return register
