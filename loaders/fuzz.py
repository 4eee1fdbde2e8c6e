"""Fuzzing the loaders: pathological inputs and a longer random run (`python -m loaders.fuzz --seconds 60`)."""

from __future__ import annotations

import codecs
import io
import random
import sys
import time
import zipfile
from html import escape

import click

from loaders.errors import ExtractionBug, LoaderError
from loaders.worker import ExtractionWorker

TAG_ALPHABET = [
    "（", "）", "(", ")", "〔", "〕", "牵头单位", "配合单位", "责任单位", "：", ":", "、", "，", "；", "。",
    "市科技局", "省发展改革委", "各市、县（市、区）", "负责", "牵头", "会同", "由", "\n", "1.", "（一）", "一、",
    "完成时限", "2020年6月底前", "<td>", "</td>", "<tr>", "|", "---", "《", "》", "服務(wù)", "??", "科技部",
]


def pathological_inputs() -> dict[str, bytes]:
    """Named inputs that have broken naive loaders: huge lines, deep nesting, wide tables, bombs, damage."""
    tag = "为加快科技成果转化（牵头单位：市科技局，配合单位：市财政局）。"
    wide = "".join(f"<td>牵头单位{i}</td>" for i in range(1000))
    return {
        "ten_mb_line.txt": (tag * 160_000).encode()[: 10 * 2**20 - 10 * 2**20 % 3],
        "nested_parens.txt": ("1.推进工作" + "（" * 5000 + "市科技局" + "）" * 5000 + "。").encode(),
        "unbalanced_parens.txt": ("1.推进工作（牵头单位：" + "（市" * 20000).encode(),
        "wide_table.html": f"<html><body><table><tr>{wide}</tr><tr>{wide}</tr></table></body></html>".encode(),
        "wide_table.md": ("| " + " | ".join(["牵头单位"] * 1000) + " |\n" + "|---" * 1000 + "|\n").encode(),
        "truncated_utf8.txt": "科技成果转化行动方案".encode()[:-1] * 1000,
        "gbk_labelled_txt.txt": ("1.推进中试基地建设。（牵头单位：市科技局）\n" * 200).encode("gbk"),
        "big5.txt": ("1.推進中試基地建設。（牽頭單位：市科技局）\n" * 200).encode("big5"),
        "zip_bomb.docx": _bomb(),
        "malformed.pdf": b"%PDF-1.7\n1 0 obj<<>>endobj\n" + bytes(random.Random(1).randrange(256) for _ in range(4000)),
        "not_a_docx.docx": b"PK\x03\x04" + b"\x00" * 100,
        "empty.txt": b"",
        "whitespace.txt": b" \n\t\r\n",
        "nul_bytes.txt": b"\x00" * 1000,
        "many_units.txt": ("1.推进（牵头单位：" + "、".join(f"市局{i}" for i in range(20000)) + "）。\n").encode(),
        "only_tags.txt": ("（牵头单位：市科技局）" * 5000).encode(),
        "script_page.html": b"<html><script>" + b"var a=1;" * 20000 + b"</script><body></body></html>",
    } | crashers() | hostile_docx()


_PLAN = "关于印发行动方案的通知\n1.建设中试基地。（牵头单位：市科技局）\n"
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def crashers() -> dict[str, bytes]:
    """Files that once ended a whole load with a traceback (issue 21): each must load or fail alone."""
    return {
        "no_namespace.docx": docx_of(f"<document><body><p><r><t>{_PLAN}</t></r></p></body></document>", ns=False),
        "bom_le_text_be.txt": codecs.BOM_UTF16_LE + _PLAN.encode("utf-16-be"),
        "bom_le_text_utf8.txt": codecs.BOM_UTF16_LE + _PLAN.encode("utf-8"),
        "lone_surrogate.txt": codecs.BOM_UTF16_LE + (_PLAN + "\ud800后文").encode("utf-16-le", "surrogatepass"),
        "nul_byte.html": f"<html><body><p>{_PLAN}\x00</p><p>2.推进\x00转化。（牵头单位：市财政局）</p></body></html>"
                         .encode(),
    }


def hostile_docx() -> dict[str, bytes]:
    """.docx files built to exhaust memory or time: spans, merges, nesting, lying zip headers, bombs."""
    span = '<w:tc><w:tcPr><w:gridSpan w:val="2000000000"/></w:tcPr><w:p><w:r><w:t>牵头</w:t></w:r></w:p></w:tc>'
    merge = '<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>'
    nest = "<w:tbl><w:tr><w:tc>" * 20 + "<w:p/>" + "</w:tc></w:tr></w:tbl>" * 20
    return {
        "huge_gridspan.docx": docx_of(f"<w:tbl>{('<w:tr>' + span * 10 + '</w:tr>') * 20}</w:tbl>"),  # ~1 KB
        "many_cells.docx": docx_of(f"<w:tbl>{('<w:tr>' + span * 50 + '</w:tr>') * 3000}</w:tbl>", pad=True),
        "vmerge_rows.docx": docx_of(f"<w:tbl>{('<w:tr>' + merge * 40 + '</w:tr>') * 20000}</w:tbl>", pad=True),
        "nested_tables.docx": docx_of(nest),
        "spanned_text.docx": docx_of(_spanned_text()),
        "deep_xml.docx": docx_of("<w:p>" + "<w:r>" * 100_000 + "</w:r>" * 100_000 + "</w:p>"),
        "lying_zip_sizes.docx": _lying_sizes(docx_of("<w:p><w:r><w:t>" + "科" * 3_000_000 + "</w:t></w:r></w:p>")),
        "padded_bomb.docx": docx_of("<w:p><w:r><w:t>" + "科" * 60_000_000 + "</w:t></w:r></w:p>", pad=True),
        "entity_bomb.docx": docx_of('<w:p><w:r><w:t>&a;</w:t></w:r></w:p>',
                                    doctype='<!DOCTYPE d [<!ENTITY a "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
                                    + "".join(f'<!ENTITY {c} "&{n};&{n};&{n};&{n};&{n};&{n};&{n};&{n};&{n};&{n};">'
                                              for c, n in zip("bcdefgh", "cdefghi", strict=True))
                                    + '<!ENTITY i "科科科科科科科科科科">]>'),
    }


def _spanned_text() -> str:
    """One cell of 300,000 characters spanning 50 columns, merged down 200 rows: 3 billion characters written out."""
    rng = random.Random(3)
    text = "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(300_000))
    head = f'<w:tc><w:tcPr><w:gridSpan w:val="50"/><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>{text}</w:t>'
    merged = '<w:tc><w:tcPr><w:gridSpan w:val="50"/><w:vMerge/></w:tcPr><w:p/></w:tc>'
    return f"<w:tbl><w:tr>{head}</w:r></w:p></w:tc></w:tr>{('<w:tr>' + merged + '</w:tr>') * 200}</w:tbl>"


def docx_of(body: str, ns: bool = True, doctype: str = "", pad: bool = False) -> bytes:
    """A minimal .docx whose main part holds `body` (inside w:document/w:body unless it is a whole document).

    `pad` adds a large random (incompressible) member, so the archive's overall ratio looks normal
    and only a check of what the main part really unpacks to catches it.
    """
    xml = body if not ns else f"<w:document {_W}><w:body>{body}</w:body></w:document>"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        if pad:
            z.writestr("word/media/image1.png", random.Random(2).randbytes(2_000_000), zipfile.ZIP_STORED)
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("_rels/.rels", '<Relationships><Relationship Id="r1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", f'<?xml version="1.0"?>{doctype}{xml}')
    return buf.getvalue()


def _lying_sizes(data: bytes) -> bytes:
    """The zip headers claim the main part unpacks to 100 bytes (the old check trusted them)."""
    out = bytearray(data)
    name = b"word/document.xml"
    for sig, offset, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        at = out.find(sig)
        while at >= 0:
            if out[at + name_at: at + name_at + len(name)] == name:
                out[at + offset: at + offset + 4] = (100).to_bytes(4, "little")
            at = out.find(sig, at + 4)
    return bytes(out)


def _bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document>" + "A" * 20_000_000 + "</w:document>")
    return buf.getvalue()


def _mutations(rng: random.Random, seeds: list[bytes]) -> bytes:
    if rng.random() < 0.5:  # text-level: keeps the encoding valid so the parsers, not the decoder, are hit
        text = list(rng.choice(seeds).decode("utf-8", errors="ignore"))
        for _ in range(rng.randint(1, 30)):
            at = rng.randrange(len(text) + 1)
            text[at:at + rng.randint(0, 20)] = rng.choices(TAG_ALPHABET, k=rng.randint(1, 8))
        return "".join(text).encode(rng.choice(["utf-8", "gb18030", "utf-16"]), errors="ignore")
    data = bytearray(rng.choice(seeds))
    for _ in range(rng.randint(1, 20)):
        if not data:
            break
        at = rng.randrange(len(data))
        choice = rng.random()
        if choice < 0.4:
            data[at] = rng.randrange(256)
        elif choice < 0.7:
            del data[at: at + rng.randint(1, 50)]
        else:
            data[at:at] = "".join(rng.choices(TAG_ALPHABET, k=rng.randint(1, 10))).encode()
    return bytes(data)


DOCX_ALPHABET = [
    "<w:tbl>", "</w:tbl>", "<w:tr>", "</w:tr>", "<w:tc>", "</w:tc>", "<w:p>", "</w:p>", "<w:r>", "</w:r>",
    "<w:t>", "</w:t>", '<w:tcPr><w:gridSpan w:val="2147483647"/></w:tcPr>', '<w:gridSpan w:val="-5"/>',
    '<w:tcPr><w:vMerge/></w:tcPr>', '<w:vMerge w:val="restart"/>', "<w:tab/>", "<w:br/>", "&amp;", "&#0;",
    "<mc:Fallback>", "</mc:Fallback>", "<p>", "<t>", "<tc>", "牵头单位：市科技局", "<!--", "-->", "<![CDATA[", "]]>",
]


def docx_seeds(texts: list[bytes]) -> list[bytes]:
    """Word documents made from sample texts: paragraphs, then the task lines again as a table."""
    out = []
    for raw in texts[:6]:
        lines = [escape(x) for x in raw.decode("utf-8", errors="ignore").split("\n")[:120] if x.strip()]
        paras = "".join(f"<w:p><w:r><w:t>{x}</w:t></w:r></w:p>" for x in lines)
        rows = "".join(f"<w:tr><w:tc><w:p><w:r><w:t>{i}</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>{x}</w:t>"
                       "</w:r></w:p></w:tc></w:tr>" for i, x in enumerate(lines[:30]))
        out.append(docx_of(paras + f"<w:tbl>{rows}</w:tbl>"))
    return out


def _docx_mutation(rng: random.Random, seeds: list[bytes]) -> bytes:
    """Mutate a .docx's structure: its XML (tags, spans, merges, namespaces) or its zip (headers, members)."""
    seed = rng.choice(seeds)
    if rng.random() < 0.5:
        with zipfile.ZipFile(io.BytesIO(seed)) as z:
            xml = list(z.read("word/document.xml").decode())
        for _ in range(rng.randint(1, 20)):
            at = rng.randrange(len(xml) + 1)
            xml[at:at + rng.randint(0, 30)] = rng.choices(DOCX_ALPHABET, k=rng.randint(1, 6))
        text = "".join(xml)
        if rng.random() < 0.2:
            text = text.replace("w:", "").replace(" xmlns:=", " xmlns=")  # no namespace prefix at all
        if rng.random() < 0.2:
            span = rng.choice(DOCX_ALPHABET[:12])
            text = text.replace("<w:body>", "<w:body>" + span * rng.randint(100, 20000), 1)  # deep or wide
        return _repack(seed, text.encode("utf-8", errors="surrogatepass"), rng)
    data = bytearray(seed)
    for _ in range(rng.randint(1, 6)):
        sig = rng.choice([b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"])
        at = data.find(sig, rng.randrange(max(1, len(data))))
        at = at if at >= 0 else data.find(sig)
        if at < 0:
            continue
        field = at + rng.choice([4, 6, 8, 10, 14, 18, 22, 24, 26, 28, 30, 42])
        data[field: field + 4] = rng.randrange(2**32).to_bytes(4, "little")  # sizes, CRC, method, name length
    if rng.random() < 0.2:
        del data[rng.randrange(len(data)):]
    return bytes(data)


def _repack(seed: bytes, document: bytes, rng: random.Random) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(seed)) as old, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename == "word/document.xml":
                method = rng.choice([zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
                new.writestr(info.filename, document, method)
                if rng.random() < 0.1:
                    new.writestr("word/document.xml", document[: len(document) // 2])  # a duplicate member
            elif rng.random() < 0.9:
                new.writestr(info.filename, old.read(info.filename))
    return buf.getvalue()


def run(seconds: float, seed: int = 1) -> dict[str, int]:
    """Mutate the sample corpus, .docx made from it and the pathological inputs until time is up; count outcomes.

    Every input is extracted the way a load does it, in the memory- and time-limited child; `crashed` counts
    errors that are not a LoaderError (a bug), `stopped` the files the child's limits ended; `peak_mb` is the
    largest resident size the child reached.
    """
    from settings import SAMPLE_CORPUS

    rng = random.Random(seed)
    texts = [p.read_bytes()[:20000] for p in sorted(SAMPLE_CORPUS.rglob("*.txt"))]
    docx = docx_seeds(texts)
    counts = {"tried": 0, "extracted": 0, "refused": 0, "stopped": 0, "crashed": 0, "docx": 0}
    with ExtractionWorker() as worker:
        for name, data in pathological_inputs().items():
            _try(worker, data, name, counts)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if rng.random() < 0.4:
                counts["docx"] += 1
                _try(worker, _docx_mutation(rng, docx), "f.docx", counts)
            else:
                name = rng.choice(["f.txt", "f.txt", "f.html", "f.md", "f.docx", "f.pdf"])
                _try(worker, _mutations(rng, texts), name, counts)
        counts["peak_mb"] = worker.peak_rss // 2**20
    return counts


def _try(worker: ExtractionWorker, data: bytes, name: str, counts: dict[str, int]) -> None:
    counts["tried"] += 1
    try:
        worker.extract(data, name)
        counts["extracted"] += 1
    except ExtractionBug as e:  # exactly what the fuzzer exists to find
        counts["crashed"] += 1
        print(f"CRASH on {name}: {e}", file=sys.stderr)
    except LoaderError as e:
        counts["stopped" if e.stopped else "refused"] += 1


@click.command()
@click.option("--seconds", type=float, default=60.0, show_default=True, help="How long the random run lasts.")
def main(seconds: float) -> None:
    """Fuzz the loaders: the pathological inputs, then random mutations of the sample corpus; print the counts."""
    click.echo(run(seconds))


if __name__ == "__main__":
    main(prog_name="python -m loaders.fuzz")
