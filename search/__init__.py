"""Chinese full-text search over policies, measures and departments (Whoosh).

    from search import SearchIndex, search
    with SearchIndex("instance/index") as ix:
        ix.index_extraction(extraction)            # or ix.index_many(batch) for bulk loads
        results = search(ix, '"科技成果转化" type:measure')

    python -m search rebuild    # a fresh index from the graph, swapped in under the live path
    python -m search check      # documents that differ between graph and index (exit 1 if any)
    python -m search.bench      # index and query figures (see search/bench.py)
"""

from search.errors import SearchError
from search.index import SearchIndex
from search.query import Hit, SearchResults, search

__all__ = ["Hit", "SearchError", "SearchIndex", "SearchResults", "search"]
