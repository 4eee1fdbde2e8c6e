"""iCalendar (RFC 5545) for the deadline board: one all-day event per measure, on the last day it is due."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

PRODID = "-//PolicyGraph//政策图谱 截止日期//ZH"
MAX_OCTETS = 75  # a content line's length limit, CRLF excluded (RFC 5545 §3.1)


@dataclass(frozen=True)
class Event:
    """An all-day event: a stable uid, the day, a summary, a description and a link."""

    uid: str
    day: date
    summary: str
    description: str = ""
    url: str = ""


def last_day(month: str) -> date:
    """The last day of "YYYY-MM": a measure due in June is due by 30 June."""
    year, mon = int(month[:4]), int(month[5:7])
    return date(year, mon, calendar.monthrange(year, mon)[1])


def escape(text: str) -> str:
    """TEXT value escaping (§3.3.11): backslash, semicolon, comma and newlines."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, never inside a UTF-8 character (§3.1)."""
    pieces, current, size = [], "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        limit = MAX_OCTETS if not pieces else MAX_OCTETS - 1  # continuation lines start with a space
        if size + n > limit:
            pieces.append(current)
            current, size = "", 0
        current += ch
        size += n
    pieces.append(current)
    return "\r\n ".join(pieces)


def calendar_text(name: str, events: Iterable[Event], stamp: datetime) -> str:
    """A VCALENDAR with one VEVENT per event; lines end in CRLF and are folded."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape(name)}"]
    dtstamp = stamp.strftime("%Y%m%dT%H%M%SZ")
    for e in events:
        lines += ["BEGIN:VEVENT", f"UID:{e.uid}", f"DTSTAMP:{dtstamp}",
                  f"DTSTART;VALUE=DATE:{e.day.strftime('%Y%m%d')}",
                  f"DTEND;VALUE=DATE:{(e.day + timedelta(days=1)).strftime('%Y%m%d')}",
                  f"SUMMARY:{escape(e.summary)}"]
        if e.description:
            lines.append(f"DESCRIPTION:{escape(e.description)}")
        if e.url:
            lines.append(f"URL:{e.url}")
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
