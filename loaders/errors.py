"""The loaders package's root exception."""

from __future__ import annotations

GENERIC_ZH = "无法读取该文件，请检查文件是否完整、格式是否受支持，修正后重新导入。"


class LoaderError(Exception):
    """A user's file could not be read or parsed.

    The message names the file and says what was wrong and what to do (English, for the CLI and
    logs); `zh` says the same in Chinese for the web pages, without the file's path (the page
    shows the name the user uploaded).  The loader records it as an error line and goes on with
    the rest of the batch.
    """

    stopped = False  # set when a memory or time limit ended the reading (rather than the file's form)

    def __init__(self, message: str, zh: str = "") -> None:
        super().__init__(message)
        self.zh = zh or GENERIC_ZH


class ExtractionBug(LoaderError):
    """Extraction raised something other than a LoaderError: a bug met on this file (reported for the file)."""
