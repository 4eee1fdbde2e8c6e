"""Document metadata: title, issuers, date, 文号, region and plan year.

Reads labelled fields of gov.cn-style index tables (发文机关/成文日期/发文字号) when present, else the
title line, the 文号 line under it and the signature/date lines at the end.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from core.regions import NATIONAL, Region, find_region, is_national_body, region

log = logging.getLogger(__name__)

_NUMBER_CORE = re.compile(r"[〔\[(（【]\s*(?:19|20)\d{2}\s*[〕\])）】]\s*\d{1,4}\s*号")
_NUMBER_STOP = set("的见知案法施定划要则函告》”")
_TITLE_WORDS = re.compile(
    r"(通知|意见|方案|办法|规定|决定|细则|计划|措施|举措|纲要|规划|指南|批复|函|公告|通告|条例|报告)$"
)
_FIELD = r"\s*[:：]\s*(?P<v>[^\n|]{1,80}?)\s*(?=\||\n|$|\s{2,})"
_ISSUER_FIELD = re.compile(r"(发文机关|发布机构|发文单位|发布单位|发文机构)" + _FIELD)
_DATE_FIELD = re.compile(r"(成文日期|发文日期|印发日期|发布日期|发布时间|日期)" + _FIELD)
_NUMBER_FIELD = re.compile(r"(发文字号|文\s*号)" + _FIELD)
_TITLE_FIELD = re.compile(r"标\s*题" + _FIELD)
_DATE = re.compile(r"((?:19|20)\d{2})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(?:(\d{1,2})\s*日?)?")
_DATE_LINE = re.compile(r"^\s*((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日\s*$", re.M)
_DATE_SIGNED = re.compile(
    r"(?<=[厅院府部局委会室办])((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日(?=\s*(?:\(|（|$|\n))"
)
_ISSUER_IN_TITLE = re.compile(r"^(?!关于|印发|转发)(?P<who>[\u4e00-\u9fff、]{2,40}?)(?:关于|印发|转发)")
_NATIONAL_ADDRESSEES = re.compile(r"各省、自治区、直辖市")


@dataclass
class Metadata:
    """What the document says about itself."""

    title: str = ""
    title_span: tuple[int, int] = (0, 0)
    issuers: list[str] = field(default_factory=list)
    date: str | None = None
    doc_number: str | None = None
    region: Region | None = None
    plan_year: int | None = None
    addressees: list[str] = field(default_factory=list)
    effective_from: str | None = None  # 自2023年1月1日起施行 / 自印发之日起施行 (the document's date)
    valid_until: str | None = None  # 有效期至2025年12月31日 / 有效期5年 (counted from effective_from)
    warnings: list[str] = field(default_factory=list)


def read_metadata(text: str, page: str = "", page_title: str = "") -> Metadata:
    """Metadata of a match text (simplified); `page` is the whole web page's text when there was one."""
    meta = Metadata()
    fields = page or text
    meta.title, meta.title_span = _title(text, fields, page_title)
    meta.doc_number = _field(_NUMBER_FIELD, fields) or _doc_number(text, meta.title_span)
    meta.date = _iso(_field(_DATE_FIELD, fields)) or _signature_date(text)
    meta.issuers = _issuers(text, fields, meta.title)
    meta.addressees = _addressees(text)
    if not meta.title:
        meta.title = _derived_title(text, meta.issuers)
        if meta.title:
            meta.warnings.append(f"no title line: title derived from the opening sentence ({meta.title})")
        else:
            meta.warnings.append("no title found")
    if not meta.issuers:
        meta.warnings.append("no issuer found (no issuer field, title prefix or signature line)")
    meta.effective_from, meta.valid_until = validity(text, meta.date)
    meta.region = _region(meta.title, meta.issuers, text)
    meta.plan_year = _plan_year(meta)
    if meta.region is None:
        meta.warnings.append("document region unknown: local unit names are left unresolved")
    return meta


def _field(pattern: re.Pattern[str], text: str) -> str | None:
    m = pattern.search(text)
    return m.group("v").strip() if m and m.group("v").strip() else None


def _title(text: str, fields: str, page_title: str) -> tuple[str, tuple[int, int]]:
    named = _field(_TITLE_FIELD, fields) or _strip_site(page_title)
    if named and _is_title(named):
        pos = text.find(named)
        return named, ((pos, pos + len(named)) if pos >= 0 else (0, 0))
    flat = _flattened_title(text)
    if flat:
        return flat
    lines = _lines(text)[:25]
    for i, (start, line) in enumerate(lines):
        if _is_title(line):
            # Titles are often broken over two lines (…农业机械化和 / 农机装备…的指导意见).
            prev = lines[i - 1][1] if i > 0 else ""
            if prev and not _is_title(prev) and _continues(prev) and "关于" in prev and "关于" not in line:
                start = lines[i - 1][0]
            end = start + len(line) if start == lines[i][0] else lines[i][0] + len(line)
            return text[start:end].replace("\n", ""), (start, end)
        if i + 1 < len(lines) and _continues(line) and "关于" in line and "关于" not in lines[i + 1][1] \
                and _is_title(line + lines[i + 1][1]):
            end = lines[i + 1][0] + len(lines[i + 1][1])
            return text[start:end].replace("\n", ""), (start, end)
    return named or "", (0, 0)


def _flattened_title(text: str) -> tuple[str, tuple[int, int]] | None:
    """A one-line dump starts `<title><文号> <addressees>:`; the title ends where the 文号 begins."""
    spans = find_doc_numbers(text[:200])
    if spans and "\n" not in text[:spans[0][0]]:
        head = text[:spans[0][0]].strip()
        start = text.find(head)
        if _is_title(head):
            return head, (start, start + len(head))
    return None


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, line))
        pos += len(line) + 1
    return out


def _is_title(line: str) -> bool:
    line = line.strip()
    spans = find_doc_numbers(line)
    # Flattened pages put the 文号 on the title line.
    head = (line[:spans[0][0]] if spans else line).strip().rstrip("》”\"")
    return 6 <= len(head) <= 90 and bool(_TITLE_WORDS.search(head)) and not re.search(r"[,;:。!]", head) \
        and ("关于" in head or "印发" in head or len(head) <= 40)


def find_doc_numbers(text: str) -> list[tuple[int, int]]:
    """Spans of 文号 such as 国办发〔2020〕24号: up to six Han characters before the bracketed year."""
    out = []
    for m in _NUMBER_CORE.finditer(text):
        start = m.start()
        while start > 0 and m.start() - start < 6 and "\u4e00" <= text[start - 1] <= "\u9fff" \
                and text[start - 1] not in _NUMBER_STOP:
            start -= 1
        if start < m.start():
            out.append((start, m.end()))
    return out


def _continues(line: str) -> bool:
    line = line.strip()
    return 4 <= len(line) <= 40 and not re.search(r"[,;:。!]$", line) and not line.startswith(("-", "·"))


def _strip_site(page_title: str) -> str:
    parts = [p for p in re.split(r"\s+|[_|-]", page_title) if p]
    return max(parts, key=len) if parts else ""


def _doc_number(text: str, title_span: tuple[int, int]) -> str | None:
    window = text[title_span[0]:title_span[1] + 200] if title_span[1] else text[:400]
    for start, end in find_doc_numbers(window):
        before = window[:start].rstrip()
        if not before.endswith(("(", "（", "》")):
            return re.sub(r"\s+", "", window[start:end])
    return None


def _iso(value: str | None) -> str | None:
    m = _DATE.search(value or "")
    if not m:
        return None
    year, month, day = m.group(1), int(m.group(2)), m.group(3)
    return f"{year}-{month:02d}-{int(day):02d}" if day else f"{year}-{month:02d}"


def _signature_date(text: str) -> str | None:
    found = list(_DATE_LINE.finditer(text)) or list(_DATE_SIGNED.finditer(text))
    if not found:
        return None
    m = found[-1] if len(found) > 1 and found[-1].start() > len(text) // 2 else found[0]
    return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"


def _issuers(text: str, fields: str, title: str) -> list[str]:
    named = _field(_ISSUER_FIELD, fields)
    if named:
        return [p for p in re.split(r"[、,\s]+", named) if p]
    m = _ISSUER_IN_TITLE.match(title)
    signed = _signature(text)
    if m:
        who = [p for p in re.split(r"[、\s]+", m.group("who")) if p]
        if who and all(_ISSUER_END.search(p) for p in who):
            return who
        # 淮北市关于…: a bare region is its people's government only when the signature says so.
        if signed and all(any(s.startswith(p) for s in signed) for p in who):
            return signed
        return signed
    return signed


_ISSUER_END = re.compile(r"(院|厅|部|局|委|会|府|室|办|组|协|署|行|中心|总局|小组|委员会|办公厅)$")
_ADDRESSEE_LINE = re.compile(r"(?:^|(?<=\n)|(?<=\s))(?P<a>各[^:\n。《》]{2,240}?)\s*:")
_NOTICE = re.compile(r"(?:现将|现就)?有关(?:事项|工作|事宜)?通知如下")
_LAUNCHES = re.compile(
    r"(?:共同|联合)?(?P<v>组织开展|开展|组织实施|实施|启动)(?P<o>“[^”\n]{2,60}”[\u4e00-\u9fff]{0,6})"
)


def _addressees(text: str) -> list[str]:
    """`各省、自治区、直辖市…科技厅(委、局),新疆生产建设兵团科技局:` → the comma-separated addressees."""
    m = _ADDRESSEE_LINE.search(text[:1200])
    if not m:
        return []
    return [p.strip() for p in re.split(r"[,，]", m.group("a")) if p.strip()]


# Titles written in the opening sentences when the heading line is missing.
_ISSUED_TITLE = re.compile(r"(?:出台|印发|制定|发布|颁布|现将|出台了|制定了|印发了)\s*《(?P<t>[^《》\n]{4,80}"
                           r"(?:办法|意见|方案|通知|规定|措施|政策|计划|细则|要点|纲要|规划|条例|决定|清单|指引|指南))》")
_PROPOSES = re.compile(r"现就(?P<o>[^,。;\n]{2,40}?)(?:提出|作出|通知)如下(?P<kind>意见|决定|规定|通知)?")


def _derived_title(text: str, issuers: list[str]) -> str:
    """A document without a title line: a policy the opening says it issues (`市政府出台《X》`) → X;
    `…共同开展“X”…,现将有关事项通知如下` → `<issuers>关于开展“X”的通知`; `现就X提出如下意见` →
    `<issuers>关于X的意见`."""
    head = text[:3000]
    issued = _ISSUED_TITLE.search(head)
    if issued:
        return issued.group("t")
    proposes = _PROPOSES.search(head)
    if proposes and not _NOTICE.search(head):
        kind = proposes.group("kind") or ("意见" if "提出" in proposes.group() else "通知")
        return "".join(issuers[:1]) + f"关于{proposes.group('o')}的{kind}"
    notice = _NOTICE.search(head)
    if not notice:
        return ""
    sentence_start = max(text.rfind(c, 0, notice.start()) for c in "。\n") + 1
    launch = _LAUNCHES.search(text, sentence_start, notice.start())
    if not launch:
        return ""
    return " ".join(issuers) + f"关于{launch.group('v')}{launch.group('o')}的通知"


def _signature(text: str) -> list[str]:
    """The line right above a final date line, when it looks like an issuing body."""
    found = list(_DATE_LINE.finditer(text))
    if not found:
        return []
    before = text[:found[-1].start()].rstrip("\n").rsplit("\n", 1)[-1].strip()
    if 2 <= len(before) <= 40 and re.search(r"(院|厅|部|局|委|会|府|室|办|组|协)$", before):
        return [p for p in re.split(r"\s+|、", before) if p]
    return []


def _region(title: str, issuers: list[str], text: str) -> Region | None:
    for source in [*issuers, title]:
        found = find_region(source)
        if found is not None:
            return found
    if any(is_national_body(i) for i in issuers) or re.match(r"^(国务院|国家|中共中央|中国)", title):
        return region(NATIONAL)
    if _NATIONAL_ADDRESSEES.search(text[:300]):
        return region(NATIONAL)
    return find_region(text[:200])


def _plan_year(meta: Metadata) -> int | None:
    for value in (meta.date, meta.title):
        m = re.search(r"(20\d{2})", value or "")
        if m:
            return int(m.group(1))
    return None


_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九十")} | {"两": 2}
_ISO_DAY = r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?"
_FROM_DATE = re.compile(rf"自\s*{_ISO_DAY}\s*(?:起|开始)?(?:施行|实施|执行|生效|起)")
_FROM_ISSUE = re.compile(r"自(?:印发|发布|公布|颁布|发文)之日起(?:施行|实施|执行|生效)")
_UNTIL_DATE = re.compile(rf"(?:有效期至|有效期到|至|截至){_ISO_DAY}\s*(?:止|失效|废止|有效)?")
_FOR_YEARS = re.compile(r"有效期(?:为|暂定)?\s*(\d{1,2}|[一二两三四五六七八九十])\s*年")


def validity(text: str, date: str | None) -> tuple[str | None, str | None]:
    """(effective from, valid until) as ISO dates from 自…起施行 / 有效期至… / 有效期N年, else None."""
    effective = None
    if m := _FROM_DATE.search(text):
        effective = _ymd(m.group(1), m.group(2), m.group(3))
    elif _FROM_ISSUE.search(text) and date:
        effective = date
    until = None
    for m in _UNTIL_DATE.finditer(text):
        if "有效" in m.group() or m.group().endswith(("止", "失效", "废止")):
            until = _ymd(m.group(1), m.group(2), m.group(3))
            break
    if until is None and (m := _FOR_YEARS.search(text)) and (effective or date):
        years = int(m.group(1)) if m.group(1).isdigit() else _CN_DIGITS[m.group(1)]
        until = _add_years(effective or date or "", years)
    return effective, until


def _ymd(year: str, month: str, day: str | None) -> str:
    return f"{int(year):04d}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")


def _add_years(start: str, years: int) -> str | None:
    """The last day of a validity of `years` years from `start` (yyyy-mm-dd, or yyyy-mm)."""
    import datetime as dt  # noqa: PLC0415

    parts = [int(p) for p in start.split("-")]
    if len(parts) < 2:
        return None
    year, month, day = parts[0] + years, parts[1], parts[2] if len(parts) > 2 else 1
    try:
        end = dt.date(year, month, day) - dt.timedelta(days=1)
    except ValueError:  # 29 February
        end = dt.date(year, month, 28)
    return end.isoformat() if len(parts) > 2 else f"{end.year:04d}-{end.month:02d}"
