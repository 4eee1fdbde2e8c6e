"""Chinese full-text search over policies, measures and departments (Whoosh).

    from search import SearchIndex, search
    with SearchIndex("instance/index") as ix:
        ix.index_extraction(extraction)
        results = search(ix, '"科技成果转化" type:measure')
"""

from search.errors import SearchError
from search.index import SearchIndex
from search.query import Hit, SearchResults, search

__all__ = ["Hit", "SearchError", "SearchIndex", "SearchResults", "search"]
