"""Reading raw bytes: format sniffing and text decoding, with the encoding recorded."""

from __future__ import annotations

import codecs
import io
import logging
import re
from dataclasses import dataclass, field

from core.text import is_common_char
from loaders.errors import LoaderError
from loaders.wordxml import docx_text

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
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
# What never belongs in a document's text and breaks the engine or the index: C0/C1 controls (not tab,
# newline, carriage return; a form feed becomes a line break), lone surrogates, non-characters.
_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


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
    decoded = _decode(data, source)
    decoded.text, removed = sanitize(decoded.text)
    if removed:
        decoded.warnings.append(f"{source}: removed {removed} control or invalid character(s)")
    return decoded


def sanitize(text: str) -> tuple[str, int]:
    """Text without control characters, lone surrogates or non-characters, and how many were removed."""
    text = text.replace("\x0c", "\n")
    clean = _UNSAFE.sub("", text)
    return clean, len(text) - len(clean)


def _decode(data: bytes, source: str) -> Decoded:
    suffix = suffix_of(source)
    if suffix not in TEXT_SUFFIXES | BINARY_SUFFIXES:
        raise LoaderError(
            f"{source}: unsupported file type {suffix!r}; "
            "convert it to .txt, .html, .md, .docx or a text-layer .pdf and load it again",
            "不支持的文件类型，请转换为 .txt、.html、.md、.docx 或带文字层的 .pdf 后再导入。",
        )
    if not data.strip():
        raise LoaderError(f"{source}: the file is empty; check that the download or export completed",
                          "文件是空的，请检查下载或导出是否完整。")
    if len(data) > MAX_INPUT_BYTES:
        raise LoaderError(f"{source}: the file is {len(data) / 2**20:.0f} MB, over the {MAX_INPUT_BYTES // 2**20} MB "
                          "limit for one document; split it or remove embedded images",
                          f"文件超过单个文档 {MAX_INPUT_BYTES // 2**20} MB 的上限，请拆分文件或删除嵌入的图片。")
    if data.startswith(b"%PDF"):
        return Decoded(_pdf_text(data, source), "pdf", "pdf")
    if data.startswith(b"PK\x03\x04"):
        return Decoded(_docx_text(data, source), "docx", "docx")
    if suffix in BINARY_SUFFIXES:
        raise LoaderError(f"{source}: not a valid {suffix} file (bad signature); re-export the document",
                          f"这不是有效的 {suffix} 文件（文件头不符），请重新导出原文档。")
    text, encoding, warnings = decode_text(data, source)
    return Decoded(text, encoding, _text_format(text, suffix), warnings)


_HTML_START = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)


def _text_format(text: str, suffix: str) -> str:
    # A .txt saved from a browser is often a whole page: trust the markup, not the name. A saved page may
    # spend its first tens of thousands of characters on scripts and styles before any body tag.
    if _HTML_START.match(text[:4000]) or len(_HTML_TAG.findall(text[:20000])) >= 3:
        return "html"
    if suffix in (".md", ".markdown"):
        return "markdown"
    return "text"


def decode_text(data: bytes, source: str) -> tuple[str, str, list[str]]:
    """Decode text bytes: BOM, then strict UTF-8, UTF-16 and legacy Chinese codecs; warn when unsure."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            found = _with_bom(data, bom, codec, source)
            if found is not None:
                return found
            data = data[len(bom):]  # the mark contradicts the bytes: read them as if it were not there
            break
    try:
        return _checked(data.decode("utf-8"), source), "utf-8", []
    except UnicodeDecodeError as e:
        if e.start >= len(data) - 3 and e.reason == "unexpected end of data":
            # A download cut inside the last character: keep everything before it, and say so.
            text = data[:e.start].decode("utf-8", errors="replace")
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
        return _mostly_utf8(data, source)
    codec, warnings = _choose_legacy(data, candidates, source)
    return _checked(candidates[codec], source), codec, warnings


def _with_bom(data: bytes, bom: bytes, codec: str, source: str) -> tuple[str, str, list[str]] | None:
    """Text after a byte-order mark, when the bytes agree with it (or with the other byte order).

    A UTF-16 mark whose bytes read better in the other byte order (a converter that swapped one and
    not the other) is overruled; a few undecodable units (lone surrogates) are dropped, with a warning.
    None when no reading fits: the caller then decodes the bytes as if there were no mark.
    """
    body = data[len(bom):]
    if codec == "utf-8-sig" or codec == "utf-32":
        try:
            return _checked(body.decode(codec.replace("-sig", "")), source), codec.replace("-sig", ""), []
        except UnicodeDecodeError:
            return None
    order = "utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be"
    other = "utf-16-be" if order == "utf-16-le" else "utf-16-le"
    readings = []
    for name in (order, other):
        text = body[: len(body) - len(body) % 2].decode(name, errors="surrogatepass")
        clean = _LONE_SURROGATE.sub("", text)
        readings.append((_plausibility(clean) - (name != order) * 0.05, name, clean, len(text) - len(clean)))
    score, name, text, dropped = max(readings)
    if score < 0.5:
        return None
    warnings = []
    if name != order:
        warnings.append(f"{source}: the byte-order mark says {order} but the text reads as {name}; used {name}")
    if dropped or len(body) % 2:
        warnings.append(f"{source}: {dropped + len(body) % 2} undecodable UTF-16 unit(s) dropped")
    return _checked(text, source), "utf-16", warnings


def _mostly_utf8(data: bytes, source: str) -> tuple[str, str, list[str]]:
    """UTF-8 with a few broken sequences (a damaged download): kept, the broken bytes dropped, with a warning."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    if bad and bad <= max(3, len(text) // 1000):
        text = text.replace("\ufffd", "")
        return _checked(text, source), "utf-8", [f"{source}: {bad} undecodable UTF-8 sequence(s) dropped"]
    raise LoaderError(
        f"{source}: cannot decode the text (not UTF-8, UTF-16, GB18030/GBK or Big5); "
        "save it as UTF-8 and load it again",
        "无法识别文件的文字编码（不是 UTF-8、UTF-16、GB18030/GBK 或 Big5），请另存为 UTF-8 编码后重新导入。",
    )


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
        raw = data.decode(codec, errors="surrogatepass")
        text = _LONE_SURROGATE.sub("", raw)
        if len(raw) - len(text) > max(3, len(raw) // 1000):
            continue
        score = _plausibility(text)
        if score > 0.9 and not _CONTROL.search(text) and (best is None or score > best[0]):
            best = (score, text, codec)
    return (best[1], best[2]) if best else None


def _checked(text: str, source: str) -> str:
    if not text.strip():
        raise LoaderError(f"{source}: the file holds no text; check that the download or export completed",
                          "文件中没有文字，请检查下载或导出是否完整。")
    bad = len(_CONTROL.findall(text[:50000]))
    if bad > max(3, len(text[:50000]) // 100):
        raise LoaderError(f"{source}: looks like binary data, not text ({bad} control bytes); "
                          "check the file type and load the original document",
                          "文件内容像是二进制数据而不是文字，请检查文件类型，导入原始文档。")
    return text


def _docx_text(data: bytes, source: str) -> str:
    _check_zip(data, source)
    return _checked(docx_text(data, source), source)


def _check_zip(data: bytes, source: str) -> None:
    """Refuse archives whose headers already admit a zip bomb; `docx_text` measures what really unpacks."""
    import zipfile  # noqa: PLC0415

    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except Exception as exc:  # zipfile raises many types for damaged archives (NotImplementedError, struct.error…)
        raise LoaderError(f"{source}: not a valid .docx (broken zip: {exc}); re-save it from Word and retry",
                          "这不是有效的 .docx 文件（压缩包已损坏），请用 Word 重新保存后再导入。") from exc
    unpacked = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if unpacked > MAX_DOCX_UNPACKED or unpacked / packed > MAX_DOCX_RATIO:
        raise LoaderError(f"{source}: the .docx would unpack to {unpacked / 2**20:.0f} MB "
                          f"({unpacked / packed:.0f}× its size), which no policy document needs; refused",
                          "这个 .docx 文件解压后体积异常（疑似压缩炸弹），已拒绝导入。")


def _pdf_text(data: bytes, source: str) -> str:
    import pypdf  # noqa: PLC0415 - heavy import, only for .pdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # pypdf raises many types for damaged files
        raise LoaderError(f"{source}: cannot read the PDF ({exc}); re-export it and retry",
                          "无法读取这个 PDF 文件（可能已损坏），请重新导出后再导入。") from exc
    text = "\n".join(pages)
    if not text.strip():
        raise LoaderError(f"{source}: the PDF has no text layer (scanned?); run OCR first and load the text",
                          "这个 PDF 没有文字层（可能是扫描件），请先做文字识别（OCR）再导入。")
    return text
