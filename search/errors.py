"""The search package's root exception."""


class SearchError(Exception):
    """The search index could not be opened, written or read.

    The message says which index directory and what went wrong.  Bad query syntax
    is never an error: it is searched as plain text.
    """


class IndexFormatError(SearchError):
    """The index was written in another layout than this version reads (older or newer); a rebuild fixes it."""


class IndexLockedError(SearchError):
    """Another writer held the index lock for longer than the configured timeout."""
