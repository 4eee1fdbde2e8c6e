"""Reading raw bytes: format sniffing and text decoding, with the encoding recorded."""

from __future__ import annotations

import codecs
import io
import logging
import re
from dataclasses import dataclass, field

from loaders.errors import LoaderError
from loaders.normalise import is_common_char

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".text", ".html", ".htm", ".md", ".markdown", ""}
BINARY_SUFFIXES = {".docx", ".pdf"}

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_LEGACY = ("gb18030", "big5")
MAX_INPUT_BYTES = 50 * 1024 * 1024  # a policy document is rarely over 1 MB; refuse before decoding
MAX_DOCX_UNPACKED = 200 * 1024 * 1024
MAX_DOCX_RATIO = 200  # deflate rarely beats 20:1 on real Word XML; bombs are 1000:1
_HTML_TAG = re.compile(r"<(?:html|body|div|p|span|table|tbody|tr|td|br|strong|h[1-6])\b[^>]*>", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


@dataclass
class Decoded:
    """Decoded text of one file plus what we know about how it was decoded."""

    text: str
    encoding: str
    format: str  # "text", "html", "markdown", "docx", "pdf"
    warnings: list[str] = field(default_factory=list)


def suffix_of(source: str) -> str:
    """Lower-case file suffix of a source name ("" when it has none)."""
    name = source.rsplit("/", 1)[-1]
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


def read_bytes(data: bytes, source: str) -> Decoded:
    """Decode a file's bytes into text, choosing the reader from its content, not only its name."""
    suffix = suffix_of(source)
    if suffix not in TEXT_SUFFIXES | BINARY_SUFFIXES:
        raise LoaderError(
            f"{source}: unsupported file type {suffix!r}; "
            "convert it to .txt, .html, .md, .docx or a text-layer .pdf and load it again"
        )
    if not data.strip():
        raise LoaderError(f"{source}: the file is empty; check that the download or export completed")
    if len(data) > MAX_INPUT_BYTES:
        raise LoaderError(f"{source}: the file is {len(data) / 2**20:.0f} MB, over the {MAX_INPUT_BYTES // 2**20} MB "
                          "limit for one document; split it or remove embedded images")
    if data.startswith(b"%PDF"):
        return Decoded(_pdf_text(data, source), "pdf", "pdf")
    if data.startswith(b"PK\x03\x04"):
        return Decoded(_docx_text(data, source), "docx", "docx")
    if suffix in BINARY_SUFFIXES:
        raise LoaderError(f"{source}: not a valid {suffix} file (bad signature); re-export the document")
    text, encoding, warnings = decode_text(data, source)
    return Decoded(text, encoding, _text_format(text, suffix), warnings)


def _text_format(text: str, suffix: str) -> str:
    # A .txt saved from a browser is often a whole page: trust the markup, not the name.
    if len(_HTML_TAG.findall(text[:20000])) >= 3:
        return "html"
    if suffix in (".md", ".markdown"):
        return "markdown"
    return "text"


def decode_text(data: bytes, source: str) -> tuple[str, str, list[str]]:
    """Decode text bytes: BOM, then strict UTF-8, UTF-16 and legacy Chinese codecs; warn when unsure."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _checked(data.decode(codec, errors="strict"), source), codec.replace("-sig", ""), []
    try:
        return _checked(data.decode("utf-8"), source), "utf-8", []
    except UnicodeDecodeError as e:
        if e.start >= len(data) - 3 and e.reason == "unexpected end of data":
            # A download cut inside the last character: keep everything before it, and say so.
            text = data[:e.start].decode("utf-8")
            return _checked(text, source), "utf-8", [f"{source}: the last character was cut off; ignored it"]
    utf16 = _bomless_utf16(data)
    if utf16:
        warning = f"{source}: no BOM; decoded as {utf16[1]} by its byte pattern"
        return _checked(utf16[0], source), utf16[1], [warning]
    candidates = {}
    for codec in _LEGACY:
        try:
            candidates[codec] = data.decode(codec)
        except UnicodeDecodeError:
            continue
    if not candidates:
        raise LoaderError(
            f"{source}: cannot decode the text (not UTF-8, UTF-16, GB18030/GBK or Big5); "
            "save it as UTF-8 and load it again"
        )
    codec, warnings = _choose_legacy(data, candidates, source)
    return _checked(candidates[codec], source), codec, warnings


def _choose_legacy(data: bytes, candidates: dict[str, str], source: str) -> tuple[str, list[str]]:
    if len(candidates) == 1:
        return next(iter(candidates)), []
    scores = {codec: _plausibility(text) for codec, text in candidates.items()}
    best = max(scores, key=lambda c: scores[c])
    ranked = sorted(scores.values(), reverse=True)
    warnings = []
    if ranked[0] - ranked[1] < 0.15:
        warnings.append(
            f"{source}: encoding uncertain, bytes decode as {' and '.join(candidates)}; chose {best}"
        )
    return best, warnings


def _plausibility(text: str) -> float:
    """Share of characters that are common Chinese characters, ASCII or CJK punctuation."""
    if not text:
        return 0.0
    sample = text[:20000]
    good = sum(1 for ch in sample if ch.isascii() or is_common_char(ch))
    return good / len(sample)


def _bomless_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM: accepted only when one byte order gives plausible Chinese text."""
    if len(data) % 2 or len(data) < 4:
        return None
    best = None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score = _plausibility(text)
        if score > 0.9 and not _CONTROL.search(text) and (best is None or score > best[0]):
            best = (score, text, codec)
    return (best[1], best[2]) if best else None


def _checked(text: str, source: str) -> str:
    if not text.strip():
        raise LoaderError(f"{source}: the file holds no text; check that the download or export completed")
    bad = len(_CONTROL.findall(text[:50000]))
    if bad > max(3, len(text[:50000]) // 100):
        raise LoaderError(f"{source}: looks like binary data, not text ({bad} control bytes); "
                          "check the file type and load the original document")
    return text


def _docx_text(data: bytes, source: str) -> str:
    import docx  # noqa: PLC0415 - heavy import, only for .docx

    _check_zip(data, source)
    try:
        doc = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for damaged files
        raise LoaderError(f"{source}: cannot open the .docx ({exc}); re-save it from Word and retry") from exc
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            # python-docx repeats a cell once per grid column it spans and repeats a vertically merged cell
            # in every row it covers: keep one cell per horizontal span (as an HTML colspan reads), and
            # the vertical fill-down (as an HTML rowspan reads).
            grid = row.cells
            cells = [c for k, c in enumerate(grid) if k == 0 or c._tc is not grid[k - 1]._tc]
            lines.append("| " + " | ".join(c.text.replace("\n", " ") for c in cells) + " |")
    return _checked("\n".join(lines), source)


def _check_zip(data: bytes, source: str) -> None:
    """Refuse archives that would unpack to far more than a document holds (zip bombs), before unpacking."""
    import zipfile  # noqa: PLC0415

    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise LoaderError(f"{source}: not a valid .docx (broken zip: {exc}); re-save it from Word and retry") from exc
    unpacked = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if unpacked > MAX_DOCX_UNPACKED or unpacked / packed > MAX_DOCX_RATIO:
        raise LoaderError(f"{source}: the .docx would unpack to {unpacked / 2**20:.0f} MB "
                          f"({unpacked / packed:.0f}× its size), which no policy document needs; refused")


def _pdf_text(data: bytes, source: str) -> str:
    import pypdf  # noqa: PLC0415 - heavy import, only for .pdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # pypdf raises many types for damaged files
        raise LoaderError(f"{source}: cannot read the PDF ({exc}); re-export it and retry") from exc
    text = "\n".join(pages)
    if not text.strip():
        raise LoaderError(f"{source}: the PDF has no text layer (scanned?); run OCR first and load the text")
    return text
