"""Index files read through memory maps give what plain file reads give."""

from __future__ import annotations

import random

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile

from search.index import SearchIndex
from search.storage import MappedFile, MappedStorage
from tests.search.factory import extraction


def test_mapped_reads_equal_file_reads(tmp_path):
    with SearchIndex(tmp_path / "index") as index:
        index.index_many([extraction(f"pol-m{i}", f"政策{i}", "推动科技成果转化。" * (i + 1),
                                     [("措施", "建设中试基地。")]) for i in range(5)])
        assert isinstance(index._ix.storage, MappedStorage)
    mapped, plain = MappedStorage(str(tmp_path / "index")), FileStorage(str(tmp_path / "index"))
    rng = random.Random(3)
    names = [n for n in plain.list() if n.startswith("MAIN_") and plain.file_length(n) > 0]
    assert any(n.endswith(".pst") for n in names) and any(n.endswith(".trm") for n in names)
    for name in names:
        a, b = mapped.open_file(name), plain.open_file(name)
        try:
            assert type(a) is MappedFile
            size = plain.file_length(name)
            for _ in range(20):
                position = rng.randrange(size)
                length = rng.randrange(size - position + 8)  # may run past the end, as a read may
                assert a.get(position, length) == b.get(position, length)
            a.seek(0)
            b.seek(0)
            assert a.read(7) == b.read(7) and a.tell() == b.tell() == 7
        finally:
            a.close()
            b.close()


def test_an_empty_file_opens_unmapped(tmp_path):
    (tmp_path / "empty.bin").write_bytes(b"")
    f = MappedStorage(str(tmp_path)).open_file("empty.bin")
    try:
        assert type(f) is StructFile and f.read() == b""
    finally:
        f.close()
