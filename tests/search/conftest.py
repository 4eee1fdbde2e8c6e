"""Fixtures for the search tests: a real Whoosh index in tmp_path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from search.index import SearchIndex


@pytest.fixture
def index(tmp_path: Path) -> Iterator[SearchIndex]:
    """An empty index in a fresh directory, closed after the test."""
    ix = SearchIndex(tmp_path / "index", lock_timeout=30)
    yield ix
    ix.close()


@pytest.fixture
def fresh_caches() -> Iterator[None]:
    """No cached search data and no mapped hot-word file before or after the test."""
    from search.docsets import CACHE, MAPPED
    from search.hotfile import HOT

    def clear() -> None:
        HOT.clear()
        MAPPED.clear()
        CACHE.clear()

    clear()
    yield
    clear()
