"""Index storage that reads its files through read-only memory maps.

Whoosh reads a term's entry or a posting block with `seek` and `read` on a buffered file: two
system calls and a few Python calls each, and a search at 10,000 documents makes tens of
thousands of them (a word looked up in each field of each of ~20 segments).  Through a map a
read is a slice.  The pages are the OS's file cache, shared by every process; segment files
never change once written, and a map keeps a merged-away file readable until it is closed.
"""

from __future__ import annotations

import mmap
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile

from search.whooshapi import file_path


class MappedStorage(FileStorage):
    """Whoosh's FileStorage whose `open_file` maps the file (writing is unchanged)."""

    def open_file(self, name: str, **kwargs: Any) -> StructFile:
        path = file_path(self, name)
        with open(path, "rb") as fh:
            try:
                mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            except ValueError:  # an empty file cannot be mapped
                return StructFile(open(path, "rb"), name=name, **kwargs)  # noqa: SIM115 - closed by its reader
        return MappedFile(mapped, name=name, **kwargs)


class MappedFile(StructFile):
    """A StructFile over a read-only map: `get` slices it."""

    def get(self, position: int, length: int) -> bytes:
        return self.file[position:position + length]
