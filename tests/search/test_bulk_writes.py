"""The bulk write path: forked writer processes, deferred commits, the writer codec, unmerged segments."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import STORED_COLUMN
from whoosh.writing import SegmentWriter

from search.codec import PackedCodec
from search.entries import document_entries
from search.errors import SearchError
from search.index import SearchIndex
from search.schema import build_schema
from search.writer import WriterCodec
from settings import ROOT
from tests.search.factory import HR, SCI, extraction, unit
from tests.search.test_writer import _write


def _docs(prefix: str, count: int, version: str = "v1"):
    """Documents with ten measures each: enough entries for both writer processes to get work."""
    lead, support = [unit(HR, "市人社局")], [unit(SCI, "市科技局", role="配合单位")]
    return [extraction(f"pol-{prefix}{i:03d}", f"{prefix}政策{i}", f"推动科技成果转化{i}。统筹各类资金。",
                       [(f"措施{j}", f"建设中试基地{j}，开展技术转移{i}。") for j in range(10)],
                       version=version, lead=lead, support=support, entities=[HR, SCI])
            for i in range(count)]


def _content(directory: Path) -> tuple[dict[str, str], dict[tuple[str, bytes], str]]:
    """What searches can see, read straight from Whoosh: stored fields per uid, postings per term."""
    ix = whoosh_index.open_dir(str(directory))
    with ix.searcher() as s:
        reader = s.reader()
        uids = {n: fields["uid"] for n, fields in reader.iter_docs()}
        stored = {fields["uid"]: repr(sorted(fields.items())) for _, fields in reader.iter_docs()}
        postings = {}
        for fieldname, text in reader.all_terms():
            fmt = ix.schema[fieldname].format
            m, rows = reader.postings(fieldname, text), []
            while m.is_active():
                if m.id() in uids:
                    positions = m.value_as("positions") if fmt.supports("positions") else []
                    rows.append((uids[m.id()], m.weight(), tuple(positions)))
                m.next()
            if rows:
                postings[(fieldname, text)] = repr(sorted(rows))
    return stored, postings


def _segment_count(directory: Path) -> int:
    return len(whoosh_index.open_dir(str(directory))._segments())


def test_forked_deferred_unmerged_writes_equal_plain_ones(tmp_path):
    plain, bulk = SearchIndex(tmp_path / "plain"), SearchIndex(tmp_path / "bulk")
    try:
        first, second = _docs("a", 12), _docs("a", 6, version="v2") + _docs("b", 12)
        for batch in (first, second):
            plain.index_many(batch)
            bulk.prepare(batch, procs=2, merge=False).commit()
        assert _content(tmp_path / "bulk") == _content(tmp_path / "plain")
        assert _segment_count(tmp_path / "bulk") == 4  # one segment per writer process and commit, none merged
    finally:
        plain.close()
        bulk.close()


def test_ordinary_commits_merge_small_segments_and_leave_bulk_ones(tmp_path, monkeypatch):
    monkeypatch.setattr("search.index.MERGE_BELOW", 60)  # entries: a bulk batch below is bigger, one document smaller
    with SearchIndex(tmp_path / "index") as index:
        for i in range(12):  # enough equal segments for Whoosh's own policy to merge ten of them
            index.index_many(_docs(f"b{i}", 6), merge=False)
        bulk = {s.segment_id() for s in whoosh_index.open_dir(str(tmp_path / "index"))._segments()}
        assert len(bulk) == 12
        for i in range(12):
            index.index_many(_docs(f"s{i}", 1))  # a web upload of one file: one small segment each
        segments = {s.segment_id() for s in whoosh_index.open_dir(str(tmp_path / "index"))._segments()}
        assert bulk <= segments  # never re-sorted
        assert len(segments - bulk) < 12  # the small ones were merged
        assert index.doc_count() == len(_content(tmp_path / "index")[0])  # every entry once


def test_the_writer_codec_writes_what_the_plain_codec_writes_plus_stored_offsets(tmp_path):
    """Caching field lengths while writing changes nothing on disk; the stored fields gain their offsets."""
    entries = [fields for ex in _docs("c", 5) for fields in document_entries(ex)]

    plain = _write(tmp_path / "plain", SegmentWriter, entries, codec=PackedCodec())
    ours = _write(tmp_path / "ours", SegmentWriter, entries, codec=WriterCodec())
    assert plain.pop("_stored.col") != ours.pop("_stored.col")
    assert plain == ours
    readers = {}
    for name in ("plain", "ours"):
        reader = whoosh_index.open_dir(str(tmp_path / name)).reader()
        readers[name] = (reader._perdoc._cached_reader("_stored", STORED_COLUMN)._child.had_stored_offsets,
                         [reader.stored_fields(d) for d in range(reader.doc_count_all())])
    assert readers["plain"][0] is False and readers["ours"][0] is True
    assert readers["plain"][1] == readers["ours"][1] == [
        {k: v for k, v in fields.items() if k in build_schema().stored_names()} for fields in entries]


def test_a_cancelled_batch_stops_its_writer_processes_and_frees_the_lock(tmp_path):
    with SearchIndex(tmp_path / "index", lock_timeout=5) as index:
        index.index_many(_docs("a", 2))
        before = _content(tmp_path / "index")
        batch = index.prepare(_docs("b", 20), procs=2, merge=False)
        tasks = list(batch._writer.tasks)
        assert tasks and all(t.is_alive() for t in tasks)
        batch.cancel()
        assert not any(t.is_alive() for t in tasks)
        assert _content(tmp_path / "index") == before
        assert index.index_many(_docs("c", 1)) > 0  # the lock is free again


def test_a_writer_process_that_dies_fails_the_commit_and_commits_nothing(tmp_path):
    with SearchIndex(tmp_path / "index", lock_timeout=5) as index:
        index.index_many(_docs("a", 2))
        before = _content(tmp_path / "index")
        batch = index.prepare(_docs("b", 20), procs=2, merge=False)
        os.kill(batch._writer.tasks[0].pid, signal.SIGKILL)
        with pytest.raises(SearchError, match="writer process stopped"):
            batch.commit()
        assert _content(tmp_path / "index") == before
        assert index.index_many(_docs("c", 1)) > 0  # the lock was released


def test_a_writer_process_that_died_holding_the_job_queue_lock_fails_the_commit_instead_of_hanging(tmp_path):
    with SearchIndex(tmp_path / "index", lock_timeout=5) as index:
        index.index_many(_docs("a", 2))
        before = _content(tmp_path / "index")
        batch = index.prepare(_docs("b", 20), procs=2, merge=False)
        writer = batch._writer
        # As if the killed sub-writer had died inside Queue.get: the queue's lock is never given back,
        # so the other sub-writer waits on it for ever. A sub-writer that already waits in Queue.get for the
        # next job holds that lock itself (on a loaded machine the 20 jobs may all be taken by then): the
        # test then cannot take it, and the dead sub-writer alone must still fail the commit.
        held = writer.jobqueue._rlock.acquire(timeout=30)
        os.kill(writer.tasks[0].pid, signal.SIGKILL)
        failures: list[BaseException] = []

        def commit() -> None:
            try:
                batch.commit()
            except BaseException as e:  # noqa: BLE001 - checked below
                failures.append(e)

        committing = threading.Thread(target=commit, daemon=True)
        committing.start()
        committing.join(60)
        hung = committing.is_alive()
        if held:
            writer.jobqueue._rlock.release()  # lets a hung commit finish, so the test cleans up either way
        committing.join(60)
        assert not hung, "the commit waited for ever on a sub-writer blocked by the dead one"
        assert len(failures) == 1 and "writer process stopped" in str(failures[0])
        assert _content(tmp_path / "index") == before
        assert index.index_many(_docs("c", 1)) > 0  # the lock was released


_HOLDER = """
import sys, time
from search.index import SearchIndex
from tests.search.test_bulk_writes import _docs
batch = SearchIndex(sys.argv[1]).prepare(_docs("k", 20), procs=2, merge=False)
print(" ".join(str(t.pid) for t in batch._writer.tasks), flush=True)
time.sleep(600)
"""


def test_writer_processes_die_with_a_killed_loader_and_free_the_lock(tmp_path):
    SearchIndex(tmp_path / "index").close()
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(tmp_path / "index")], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None
    try:
        children = [int(pid) for pid in holder.stdout.readline().split()]
    finally:
        holder.kill()  # SIGKILL: no clean-up runs in the loader
        holder.wait()
    assert len(children) == 2
    deadline = time.monotonic() + 10
    while any(_running(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_running(pid) for pid in children)
    with SearchIndex(tmp_path / "index", lock_timeout=5) as index:
        assert index.index_many(_docs("a", 1)) > 0


def _running(pid: int) -> bool:
    """True while `pid` exists and is not a zombie."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status
