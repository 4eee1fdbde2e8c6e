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
    """The file's own name (CJK kept: it is the source the policy page shows) without folders or odd characters."""
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
    with svc.write_lock:  # one load at a time: the loader is the graph's only writer
        for name, data in checked:
            path = _place(folder, name, data)
            path.write_bytes(data)
            paths.append(path)
        try:
            summary = load_files(paths, svc.store, svc.index, roots=[folder])
        finally:
            svc.analytics.invalidate()  # the uploader's next network view shows the load
    for path in paths:
        log.info("uploaded %s as %s (policy %s)", path.name, path.relative_to(folder), summary.ids.get(str(path)))
    log.info("uploaded %d file(s): %s", len(paths), summary.as_dict() | {"errors": len(summary.errors)})
    return summary


def _place(folder: Path, name: str, data: bytes) -> Path:
    """Where an upload is kept (its source is its path in the upload folder).

    An upload with the name of an earlier one replaces it (and that file's facts) only when it is a new
    version of the same policy: same 文号, or same issuer and title.  Otherwise (another document that
    happens to have the same name, e.g. a second index.html) it is kept beside it as name-2.ext, so two
    documents never overwrite each other.
    """
    path = folder / name
    if not path.exists() or path.read_bytes() == data or _same_policy(path.read_bytes(), data, name):
        return path
    stem, suffix = Path(name).stem, Path(name).suffix
    for n in range(2, 10_000):
        other = folder / f"{stem}-{n}{suffix}"
        if not other.exists() or other.read_bytes() == data:
            return other
    raise bad_request(f"已有太多同名文件：{name}，请改名后上传。")


def _same_policy(old: bytes, new: bytes, name: str) -> bool:
    from loaders.errors import LoaderError
    from loaders.extract import extract_bytes
    from loaders.ids import BASIS_PATH

    try:
        a, b = extract_bytes(old, name).document, extract_bytes(new, name).document
    except LoaderError:
        return False
    return a.id == b.id and a.id_basis != BASIS_PATH
