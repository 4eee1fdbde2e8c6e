"""Uploaded documents: check name, type and size, keep them under the instance folder, load them.

An upload is a batch: each file is checked, stored and loaded on its own, so a bad file becomes a
row with a Chinese reason (no server path) and the others load.  The load runs in a thread while
the page streams one progress row per file; then each file's result links to its policy and lists
the extractor's self-check warnings for it.
"""

from __future__ import annotations

import logging
import queue
import re
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from werkzeug.datastructures import FileStorage

from loaders.errors import LoaderError
from loaders.load import SUPPORTED_SUFFIXES, LoadSummary, load_files, shown
from loaders.worker import ExtractionWorker
from webapp.errors import bad_request
from webapp.services import Services

log = logging.getLogger(__name__)

STATUS_LABELS = {"waiting": "等待中", "loaded": "已导入", "unchanged": "未变化（此前已导入）", "failed": "失败"}
LOAD_FAILED = ("导入中断：图数据库或检索索引暂时不可用，已导入的文件保持完整。"
               "请稍后重新上传同一批文件（已导入的会自动跳过）。")


@dataclass
class FileResult:
    """One uploaded file's outcome, as the upload page shows it."""

    name: str  # as uploaded (cleaned): never a server path
    status: str = "waiting"
    error: str = ""  # Chinese
    policy_id: str = ""
    title: str = ""
    measures: int = 0
    warnings: list[str] = field(default_factory=list)
    path: Path | None = None

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


def safe_name(filename: str) -> str:
    """The file's own name (CJK kept: it is the source the policy page shows) without folders or odd characters."""
    base = re.split(r"[\\/]", filename or "")[-1]
    clean = re.sub(r"[^\w.\-（）()《》·]+", "_", base).lstrip("._")[:120]
    return clean


def _check(file: FileStorage, max_bytes: int) -> tuple[FileResult, bytes]:
    name = safe_name(file.filename or "")
    shown = name or "（无文件名）"
    if not name or Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        return FileResult(shown, "failed", f"不支持的文件类型，支持 {'、'.join(SUPPORTED_SUFFIXES)}。"), b""
    data = file.stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        return FileResult(name, "failed", f"文件超过 {max_bytes // (1024 * 1024)} MB 上限。"), b""
    if not data.strip():
        return FileResult(name, "failed", "文件是空的。"), b""
    return FileResult(name), data


class Upload:
    """One upload batch: checked at once; stored and loaded by `run` (or `progress`, one row per file)."""

    def __init__(self, files: list[FileStorage], svc: Services, max_bytes: int) -> None:
        files = [f for f in files if f and f.filename]
        if not files:
            raise bad_request("请选择要上传的文件。")
        most = svc.settings.upload_max_files
        if len(files) > most:
            raise bad_request(f"一次最多上传 {most} 个文件。")
        checked = [_check(f, max_bytes) for f in files]
        if all(r.status == "failed" for r, _ in checked):  # nothing to load: the form was wrong
            raise bad_request("；".join(f"{r.name}：{r.error}" for r, _ in checked))
        self.svc = svc
        self.results = [r for r, _ in checked]
        self._data = {id(r): d for r, d in checked if r.status != "failed"}
        self.summary: LoadSummary | None = None
        self.failure = ""  # Chinese, when the load as a whole stopped (engine or index unavailable)

    @property
    def accepted(self) -> int:
        return len(self._data)

    @property
    def imported(self) -> list[FileResult]:
        return [r for r in self.results if r.policy_id]

    def run(self) -> None:
        """Store and load the accepted files (the whole batch at once)."""
        for _ in self.progress():
            pass

    def progress(self) -> Iterator[FileResult]:
        """Load in a thread; yield each file's result as soon as it is read (the page streams them)."""
        done: queue.Queue[FileResult | None] = queue.Queue()
        worker = threading.Thread(target=self._load, args=(done,), name="upload-load", daemon=True)
        worker.start()
        while (result := done.get()) is not None:
            yield result
        worker.join()
        self._finish()

    def _load(self, done: queue.Queue[FileResult | None]) -> None:
        by_path: dict[str, FileResult] = {}

        def on_file(path: Path, summary: LoadSummary) -> None:
            result = by_path[str(path)]
            self._settle(result, summary)
            done.put(result)

        try:
            # one load at a time: the only writer
            with self.svc.write_lock, ExtractionWorker.configured(self.svc.settings) as worker:
                folder = self._folder()
                paths = []
                for result in self.results:
                    if id(result) not in self._data:
                        continue
                    try:
                        result.path = _place(folder, result.name, self._data[id(result)], worker)
                    except LoaderError as e:
                        result.status, result.error = "failed", e.zh
                        continue
                    result.path.write_bytes(self._data[id(result)])
                    by_path[str(result.path)] = result
                    paths.append(result.path)
                load_log = self.svc.load_log
                try:
                    self.summary = load_files(paths, self.svc.store, self.svc.index, on_file=on_file,
                                              roots=[folder], worker=worker, load_log=load_log,
                                              wait_compaction=False)  # the app's engine outlives the upload
                finally:
                    if load_log is not None:
                        load_log.close()
                    self.svc.analytics.invalidate()  # the uploader's next network view shows the load
        except Exception:  # the engine or the index, not a file: the page says so instead of a 500
            log.exception("upload: the load stopped")
            self.failure = LOAD_FAILED
        finally:
            done.put(None)

    def _folder(self) -> Path:
        home = self.svc.home
        folder = home / "uploads" if home else Path(tempfile.mkdtemp(prefix="policygraph-uploads-"))
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def _settle(self, result: FileResult, summary: LoadSummary) -> None:
        """A file's outcome from the summary (again at the end: a write the graph refused comes late)."""
        assert result.path is not None
        error = summary.error_for(result.path)
        doc_id = summary.ids.get(str(result.path), "")
        if error is not None or not doc_id:
            result.status, result.policy_id = "failed", ""
            result.error = error.zh if error is not None else "导入未完成，请重新上传。"
            return
        result.policy_id = doc_id
        result.title, result.measures = summary.policies.get(doc_id, ("", 0))
        result.status = "unchanged" if str(result.path) in summary.unchanged_paths else "loaded"
        result.warnings = next((w for src, w in summary.flagged if src == shown(result.path)), [])

    def _finish(self) -> None:
        for result in self.results:
            if result.path is None:
                continue
            if self.summary is None:
                if result.status == "waiting" or self.failure:
                    result.status, result.policy_id, result.error = "failed", "", self.failure or LOAD_FAILED
                continue
            self._settle(result, self.summary)
        ok = sum(r.status != "failed" for r in self.results)
        log.info("upload of %d file(s): %d loaded or unchanged, %d failed", len(self.results), ok,
                 len(self.results) - ok)


def _place(folder: Path, name: str, data: bytes, worker: ExtractionWorker | None = None) -> Path:
    """Where an upload is kept (its source is its path in the upload folder).

    An upload with the name of an earlier one replaces it (and that file's facts) only when it is a new
    version of the same policy: same 文号, or same issuer and title.  Otherwise (another document that
    happens to have the same name, e.g. a second index.html) it is kept beside it as name-2.ext, so two
    documents never overwrite each other.  Both versions are read by `worker` (or a limited child of its own).
    """
    if worker is None:
        with ExtractionWorker() as own:
            return _place(folder, name, data, own)
    path = folder / name
    if not path.exists() or path.read_bytes() == data or _same_policy(path.read_bytes(), data, name, worker):
        return path
    stem, suffix = Path(name).stem, Path(name).suffix
    for n in range(2, 10_000):
        other = folder / f"{stem}-{n}{suffix}"
        if not other.exists() or other.read_bytes() == data:
            return other
    raise LoaderError(f"{name}: too many uploads with this name", f"已有太多同名文件：{name}，请改名后上传。")


def _same_policy(old: bytes, new: bytes, name: str, worker: ExtractionWorker) -> bool:
    from core.ids import BASIS_PATH

    try:  # in the bounded child: either may be hostile
        a, b = worker.extract(old, name).document, worker.extract(new, name).document
    except LoaderError:
        return False
    return a.id == b.id and a.id_basis != BASIS_PATH
