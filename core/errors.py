"""The error a store raises for one document it refuses: shared by the stores and the loader."""

from __future__ import annotations


class DocumentRejected(Exception):
    """A store (the graph backend) refused one document's write because of what the document holds.

    Raised by graph.store's document write and caught by the loader (loaders.load), which removes that
    document from graph and index, reports the file and goes on.  The message names the file and says
    what to do (English, for the CLI and logs); `zh` says the same in Chinese for the web pages.
    """

    def __init__(self, message: str, zh: str) -> None:
        super().__init__(message)
        self.zh = zh
