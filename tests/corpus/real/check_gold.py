#!/usr/bin/env python3
"""Check gold files against their documents: every `before` and unit string occurs in the document.

usage: check_gold.py [CORPUS_DIR ...]
       (default: this folder's docs/gold, holdout/, holdout2/ to holdout5/ and converted/)

The document is compared as visible text: markup removed, SQL/JSON escapes undone, then folded the way the
shared scorer folds (NFKC, punctuation widths, whitespace). A converted document (converted/docs/<id>.md or
.docx) is compared as the loader reads it (loaders.read, then loaders.markdown for .md). Prints one line per
problem; exit 1 if any.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from html import unescape
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
_PUNCT = {"（": "(", "）": ")", "，": ",", "：": ":", "；": ";", "〔": "(", "〕": ")", "【": "(", "】": ")"}
# Pinyin annotations that some scraped pages put after each character: 轉(zhuǎn)
_PINYIN = re.compile(r"\([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*\)")
_ESCAPES = re.compile(r"\\(?:u([0-9a-fA-F]{4})|([\"'\\/nrt]))")


def _t2s():
    try:
        import opencc  # noqa: PLC0415

        return opencc.OpenCC("t2s").convert
    except ImportError:
        return lambda s: s


T2S = _t2s()


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", T2S(text))
    text = "".join(_PUNCT.get(c, c) for c in text)
    return re.sub(r"[\s*_#|`\\\"'“”‘’]+", "", text)


def visible(raw: str) -> str:
    text = _ESCAPES.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else
                        {"n": "\n", "r": "", "t": " "}.get(m.group(2), m.group(2)), raw)
    text = re.sub(r"<[^>]{0,2000}>", "", text)
    return _PINYIN.sub("", unescape(text))


def loader_text(doc: Path) -> str:
    """A converted document's text as `python -m loaders extract` reads it, before its measures are found."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from loaders.html import html_to_text  # noqa: PLC0415
    from loaders.markdown import markdown_to_text  # noqa: PLC0415
    from loaders.read import read_bytes  # noqa: PLC0415

    decoded = read_bytes(doc.read_bytes(), doc.name)
    text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
    if decoded.format == "html":
        return html_to_text(text).body
    return markdown_to_text(text)[0] if decoded.format == "markdown" else text


def document_of(docs: Path, stem: str) -> Path:
    """<stem>.txt, or the one converted file <stem>.md / <stem>.docx."""
    for suffix in (".txt", ".md", ".docx"):
        if (docs / (stem + suffix)).exists():
            return docs / (stem + suffix)
    return docs / (stem + ".txt")


def check(docs: Path, gold: Path) -> list[str]:
    problems = []
    for gfile in sorted(gold.glob("*.jsonl")):
        doc = document_of(docs, gfile.stem)
        if not doc.exists():
            problems.append(f"{gfile.name}: no document {doc.name}")
            continue
        raw = doc.read_text(encoding="utf-8", errors="replace") if doc.suffix == ".txt" else loader_text(doc)
        text = fold(visible(raw))
        cells = {fold(line) for line in visible(raw).splitlines() if line.strip()}
        seen: dict[str, int] = {}
        for n, line in enumerate(gfile.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{gfile.name}:{n}"
            try:
                rec = json.loads(line)
            except ValueError as exc:
                problems.append(f"{where}: not JSON ({exc})")
                continue
            missing = {"doc", "before", "lead", "support", "deadline", "rule"} - set(rec)
            if missing:
                problems.append(f"{where}: missing keys {sorted(missing)}")
                continue
            if rec["doc"] != doc.name:
                problems.append(f"{where}: doc is {rec['doc']!r}, expected {doc.name!r}")
            before = fold(rec["before"])
            if len(before) < 6 and before not in cells:  # a short table cell is a measure's whole text
                problems.append(f"{where}: before {rec['before']!r} is too short")
            elif before not in text:
                problems.append(f"{where}: before {rec['before']!r} not found in the document")
            if before in seen:
                problems.append(f"{where}: before {rec['before']!r} repeats line {seen[before]}")
            seen[before] = n
            if not rec["lead"]:
                problems.append(f"{where}: no lead")
            for unit in rec["lead"] + rec["support"]:
                if fold(unit) not in text:
                    problems.append(f"{where}: unit {unit!r} not found in the document")
            if rec["rule"] not in ("explicit", "first-listed"):
                problems.append(f"{where}: rule {rec['rule']!r}")
            dl = rec["deadline"]
            if dl is not None and re.match(r"\d", str(dl)) and not re.fullmatch(r"(19|20)\d{2}(-\d{2})?", str(dl)):
                problems.append(f"{where}: deadline {dl!r} is neither YYYY-MM, YYYY nor an open-ended phrase")
    return problems


def main(argv: list[str]) -> int:
    roots = [Path(a) for a in argv] or [HERE, HERE / "holdout", HERE / "holdout2", HERE / "holdout3",
                                        HERE / "holdout4", HERE / "holdout5", HERE / "converted"]
    problems = []
    for root in roots:
        if (root / "gold").is_dir():
            problems += check(root / "docs", root / "gold")
    for p in problems:
        print(p)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
