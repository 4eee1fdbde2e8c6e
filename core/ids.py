"""Stable, derived ids: every write is an idempotent upsert keyed on these.

A policy is identified by what it is, never by its file name (see `document_identity`):
its 文号 when it has one, else its issuer + normalised title (+ date), else the path of its
file relative to the folder it was loaded from.  The same policy saved as a gov.cn page and
as a PDF gets one id; whether two files really are one policy is confirmed when the second
is loaded (`loaders.identity`).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from core.text import match_text
from core.vocab import ID_PREFIXES

# How a policy's id was derived (stored as the policy's `id_basis`).
BASIS_NUMBER, BASIS_TITLE, BASIS_PATH = "doc_number", "issuer_title", "path"


def _digest(text: str, n: int = 12) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:n]


_BRACKETS = str.maketrans({"[": "〔", "]": "〕", "【": "〔", "】": "〕", "(": "〔", ")": "〕", "（": "〔",
                           "）": "〕", "〖": "〔", "〗": "〕", "［": "〔", "］": "〕", "{": "〔", "}": "〕"})
_NOT_WORD = re.compile(r"[\W_]+")
_WRAPPER = re.compile(r"^.*?关于(?:印发|转发|下发|公布|发布)《?(?P<inner>.+?)》?的(?:通知|决定|函)$")


def number_key(doc_number: str) -> str:
    """A 文号 written any way (traditional, full width, [2021] or (2021), spaces) as one key."""
    return re.sub(r"\s+", "", match_text(doc_number)).translate(_BRACKETS)


def title_key(title: str) -> str:
    """A title without script, width, spacing and punctuation differences, and without the
    关于印发《…》的通知 wrapper: the notice that transmits a plan and the plan are one document."""
    folded = re.sub(r"\s+", "", match_text(title))
    m = _WRAPPER.match(folded)
    if m and len(_NOT_WORD.sub("", m.group("inner"))) >= 4:
        folded = m.group("inner")
    return _NOT_WORD.sub("", folded)


def document_identity(doc_number: str | None, issuers: list[str], title: str, date: str | None,
                      source: str) -> tuple[str, str]:
    """(id, basis) of a policy document.

    文号 first; else first issuer + normalised title + date (a revised 办法 with the same title
    but another date stays another document); else the file's path relative to the folder it was
    loaded from, extension included (`a/index.html` and `b/index.html` differ, so do 通知.txt and
    通知.pdf).  The key spaces are prefixed, so ids of different bases never meet.
    """
    number = number_key(doc_number) if doc_number else ""
    if len(number) >= 4:
        return f"pol-{_digest('no:' + number)}", BASIS_NUMBER
    issuer, key = (issuers[0] if issuers else ""), title_key(title or "")
    if issuer and len(key) >= 4:
        return f"pol-{_digest('it:' + '|'.join((match_text(issuer), key, date or '')))}", BASIS_TITLE
    return path_id(source), BASIS_PATH


def path_id(source: str | Path) -> str:
    """Id of a document known only by its path relative to its load root (extension included)."""
    return f"pol-{_digest('path:' + Path(source).as_posix())}"


def variant_id(doc_id: str, source: str) -> str:
    """Id of a document whose natural id is already held by a different document (see loaders.identity)."""
    return f"pol-{_digest('variant:' + doc_id + '|' + Path(source).as_posix())}"


def legacy_document_id(source: str | Path) -> str:
    """The id versions before identity-by-content gave a file: its name without folder or extension.

    Only used to recognise data directories loaded by those versions (see loaders.identity)."""
    return f"pol-{_digest(Path(source).stem)}"


def source_key(path: str | Path) -> str:
    """A one-way fingerprint of a file's location on this machine: tells "the same file, edited" from
    "another file with the same relative path" across loads without storing the machine's path."""
    return _digest("file:" + str(Path(path).resolve()), 16)


def content_version(data: bytes) -> str:
    """Content hash of a document's raw bytes: changes exactly when the file changes."""
    return hashlib.sha256(data).hexdigest()[:16]


def measure_id(doc_id: str, ordinal: int) -> str:
    """Id of the n-th measure (0-based) of a document."""
    return f"mea-{doc_id[4:]}-{ordinal:03d}"


def entity_id(entity_type: str, canonical_name: str) -> str:
    """Id of a department/programme/platform/region from its canonical name."""
    return f"{ID_PREFIXES[entity_type]}-{_digest(canonical_name)}"
