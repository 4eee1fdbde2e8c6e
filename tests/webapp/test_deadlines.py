"""The deadline board: buckets relative to a given day, filters, the JSON twin and the .ics calendar."""

from __future__ import annotations

import calendar
import re
from datetime import date

import pytest
from flask.testing import FlaskClient

from tests.webapp.test_overview import cypher_value

# Measures whose deadline (YYYY-MM, or a bare year meaning its December) falls in a month range.
_DUE = ("MATCH (m:Measure) WHERE (size(m.deadline) = 7 AND m.deadline >= $lo AND m.deadline < $hi) "
        "OR (size(m.deadline) = 4 AND m.deadline + '-12' >= $lo AND m.deadline + '-12' < $hi) ")


def _due(client: FlaskClient, lo: str, hi: str, extra: str = "") -> int:
    query = _DUE.replace("$lo", f"'{lo}'").replace("$hi", f"'{hi}'") + extra + "RETURN count(DISTINCT m)"
    return int(cypher_value(client, query))


@pytest.mark.parametrize("today", ["2020-11-15", "2020-12-01", "2020-12-31", "2021-05-20", "2026-12-07"])
def test_buckets_follow_the_given_day(client: FlaskClient, today: str) -> None:
    day = date.fromisoformat(today)
    this = f"{day.year}-{day.month:02d}"
    nxt = f"{day.year + 1}-01" if day.month == 12 else f"{day.year}-{day.month + 1:02d}"
    after = f"{int(nxt[:4]) + 1}-01" if nxt.endswith("-12") else f"{nxt[:4]}-{int(nxt[5:]) + 1:02d}"
    body = client.get("/api/deadlines", query_string={"today": today}).get_json()
    assert (body["this_month"], body["next_month"], body["today"]) == (this, nxt, today)
    assert body["counts"] == {"overdue": _due(client, "1900", this), "this_month": _due(client, this, nxt),
                              "next_month": _due(client, nxt, after)}
    assert all(m["month"] < this for m in body["buckets"]["overdue"])
    assert all(m["month"] == this for m in body["buckets"]["this_month"])


def test_without_a_day_the_board_is_relative_to_today(client: FlaskClient) -> None:
    body = client.get("/api/deadlines").get_json()
    assert body["today"] == date.today().isoformat()


def test_filters_by_department_and_region(client: FlaskClient) -> None:
    everything = client.get("/api/deadlines", query_string={"today": "2020-12-10"}).get_json()
    lead = everything["buckets"]["this_month"][0]["lead"][0]
    body = client.get("/api/deadlines", query_string={"today": "2020-12-10", "department": lead["id"]}).get_json()
    named = f"MATCH (:Department {{id: '{lead['id']}'}})-[:LEADS|SUPPORTS]->(m) WITH m WHERE "
    expected = int(cypher_value(client, named + _DUE[len("MATCH (m:Measure) WHERE "):]
                                .replace("$lo", "'2020-12'").replace("$hi", "'2021-01'") + "RETURN count(DISTINCT m)"))
    assert body["counts"]["this_month"] == expected > 0
    assert all(any(u["id"] == lead["id"] for u in m["lead"] + m["support"])
               for bucket in body["buckets"].values() for m in bucket)
    region = client.get("/api/deadlines", query_string={"today": "2020-12-10", "region": "浙江省"}).get_json()
    in_zhejiang = _due(client, "1900", "2020-12", "WITH m MATCH (p:Policy {region: '浙江省'})-[:CONTAINS]->(m) ")
    assert region["counts"]["overdue"] == in_zhejiang > 0
    assert sum(region["counts"].values()) < sum(everything["counts"].values())


def test_board_page_links_each_row_to_its_measure_and_evidence(client: FlaskClient) -> None:
    body = client.get("/api/deadlines", query_string={"today": "2020-12-10"}).get_json()
    html = client.get("/deadlines", query_string={"today": "2020-12-10"}).get_data(as_text=True)
    rows = re.findall(r'<tr data-measure="([^"]+)">(.*?)</tr>', html, re.S)
    expected = [m["measure_id"] for name in ("overdue", "this_month", "next_month") for m in body["buckets"][name]]
    assert [mid for mid, _ in rows] == expected
    for mid, row in rows:
        assert f'href="/measures/{mid}"' in row and re.search(r'href="/policies/[^"#]+#span-\d+"', row)
    for name, count in body["counts"].items():
        assert f'<strong data-bucket-count="{name}">{count}</strong>' in html
    assert "已逾期" in html and "本月到期" in html and "下月到期" in html


def test_a_bad_day_is_refused_in_chinese(client: FlaskClient) -> None:
    res = client.get("/api/deadlines", query_string={"today": "next tuesday"})
    assert res.status_code == 400 and "YYYY-MM-DD" in res.get_json()["error"] and "日期" in res.get_json()["error"]


def _unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def _unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def test_ics_calendar_per_department_follows_rfc5545(client: FlaskClient) -> None:
    board = client.get("/api/deadlines", query_string={"today": "2020-12-10"}).get_json()
    dept = board["buckets"]["this_month"][0]["lead"][0]
    res = client.get(f"/deadlines/{dept['id']}.ics")
    assert res.status_code == 200 and res.mimetype == "text/calendar"
    raw = res.get_data()
    text = raw.decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")  # every line ends in CRLF
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))  # folded at 75 octets
    lines = _unfold(text)[:-1]
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR" and "VERSION:2.0" in lines
    events = [lines[i:j] for i, j in zip([k for k, x in enumerate(lines) if x == "BEGIN:VEVENT"],
                                         [k for k, x in enumerate(lines) if x == "END:VEVENT"], strict=True)]
    dated = int(cypher_value(client, f"MATCH (:Department {{id: '{dept['id']}'}})-[:LEADS|SUPPORTS]->(m:Measure) "
                                     "WHERE m.deadline >= '1900' AND m.deadline < '2200' RETURN count(DISTINCT m)"))
    assert len(events) == dated > 0
    uids = [x.split(":", 1)[1] for ev in events for x in ev if x.startswith("UID:")]
    assert len(set(uids)) == len(events) and all(u.startswith("mea-") and u.endswith("@policygraph") for u in uids)
    for ev in events:
        props = dict(x.split(":", 1) for ev_line in [ev] for x in ev_line[1:-1])
        assert re.fullmatch(r"\d{8}", props["DTSTART;VALUE=DATE"]) and "DTSTAMP" in props
        assert props["SUMMARY"].startswith(("【牵头】", "【配合】"))
        assert not re.search(r"(?<!\\)[;,]", props["DESCRIPTION"])  # TEXT escaping
        measure = client.get(f"/api/measures/{props['UID'].split('@')[0]}").get_json()
        assert f"完成时限：{measure['deadline']}" in _unescape(props["DESCRIPTION"])
        year, month = int(measure["deadline"][:4]), int(measure["deadline"][5:7] or 12)
        last = calendar.monthrange(year, month)[1]  # due by the end of its month
        assert props["DTSTART;VALUE=DATE"] == f"{year}{month:02d}{last:02d}"
    assert client.get("/deadlines/dep-nothing.ics").status_code == 404


def test_ics_text_escaping_and_folding() -> None:
    from webapp import ics

    assert ics.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "推进中试基地建设，统筹推进创建省级科技成果产业化基地；" * 5
    folded = ics.fold(line)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line  # unfolding gives the line back, no character cut in two
    assert ics.last_day("2024-02") == date(2024, 2, 29) and ics.last_day("2021-12") == date(2021, 12, 31)


def test_json_limit_and_export_cap_keep_the_counts(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from graph import deadlines

    full = client.get("/api/deadlines", query_string={"today": "2020-12-10"}).get_json()
    few = client.get("/api/deadlines", query_string={"today": "2020-12-10", "limit": 3}).get_json()
    assert few["counts"] == full["counts"] and few["limit"] == 3
    assert all(few["buckets"][b] == full["buckets"][b][:3] for b in full["buckets"])
    monkeypatch.setattr(deadlines, "EXPORT_MAX", 5)  # a small cap instead of a corpus of 100k dated measures
    text = client.get("/deadlines.csv", query_string={"today": "2020-12-10"}).get_data().decode("utf-8-sig")
    lines = text.strip().split("\r\n")
    total = sum(full["counts"].values())
    assert len(lines) == 1 + 5 + 1 and f"只导出了前 5 项，共 {total} 项" in lines[-1]
