"""Uploaded documents: check name, type and size, keep them under the instance folder, load them."""

from __future__ import annotations

import logging
import re
import tempfile
from pathlib import Path

from werkzeug.datastructures import FileStorage

from loaders.load import SUPPORTED_SUFFIXES, LoadSummary, load_files
from webapp.errors import bad_request
from webapp.services import Services

log = logging.getLogger(__name__)

MAX_FILES = 20


def safe_name(filename: str) -> str:
    """The file's own name (CJK kept: a document's id comes from it) without folders or odd characters."""
    base = re.split(r"[\\/]", filename or "")[-1]
    clean = re.sub(r"[^\w.\-（）()《》·]+", "_", base).lstrip("._")[:120]
    return clean


def _check(file: FileStorage, max_bytes: int) -> tuple[str, bytes]:
    name = safe_name(file.filename or "")
    if not name or Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise bad_request(f"不支持的文件类型：{file.filename or '（无文件名）'}。"
                          f"支持 {'、'.join(SUPPORTED_SUFFIXES)}。")
    data = file.stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise bad_request(f"文件 {name} 超过 {max_bytes // (1024 * 1024)} MB 上限。")
    if not data:
        raise bad_request(f"文件 {name} 是空的。")
    return name, data


def save_and_load(files: list[FileStorage], svc: Services, max_bytes: int) -> LoadSummary:
    """Check every file first, then store them and load them into the app's graph and index."""
    files = [f for f in files if f and f.filename]
    if not files:
        raise bad_request("请选择要上传的文件。")
    if len(files) > MAX_FILES:
        raise bad_request(f"一次最多上传 {MAX_FILES} 个文件。")
    checked = [_check(f, max_bytes) for f in files]
    folder = svc.home / "uploads" if svc.home else Path(tempfile.mkdtemp(prefix="policygraph-uploads-"))
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in checked:
        (folder / name).write_bytes(data)
        paths.append(folder / name)
    with svc.write_lock:  # one load at a time: the loader is the graph's only writer
        try:
            summary = load_files(paths, svc.store, svc.index)
        finally:
            svc.analytics.invalidate()  # the uploader's next network view shows the load
    log.info("uploaded %d file(s): %s", len(paths), summary.as_dict() | {"errors": len(summary.errors)})
    return summary
