"""The search package's root exception."""


class SearchError(Exception):
    """The search index could not be opened, written or read.

    The message says which index directory and what went wrong.  Bad query syntax
    is never an error: it is searched as plain text.
    """


class IndexLockedError(SearchError):
    """Another writer held the index lock for longer than the configured timeout."""
