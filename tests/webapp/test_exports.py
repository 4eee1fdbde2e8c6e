"""Downloads: CSV (UTF-8 with BOM, Chinese headers, 牵头/配合) and Excel checked against the JSON twins."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook

from tests.webapp.conftest import HUAIBEI_KJJ, HUAIBEI_PLAN_TITLE, find_id


def _csv(client: FlaskClient, url: str, **params: Any) -> list[list[str]]:
    res = client.get(url, query_string=params)
    assert res.status_code == 200 and res.mimetype == "text/csv", res.get_data(as_text=True)[:300]
    raw = res.get_data()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, so Excel reads Chinese"
    disposition = res.headers["Content-Disposition"]
    assert "attachment" in disposition and "filename*=UTF-8''" in disposition
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def _xlsx(client: FlaskClient, url: str, **params: Any) -> list[list[Any]]:
    res = client.get(url, query_string=params)
    assert res.status_code == 200 and res.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(res.get_data()), read_only=True).active
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def _ascii_header(headers: list[Any]) -> list[Any]:
    return [h for h in headers if str(h).isascii()]


def test_policy_measures_table(client: FlaskClient) -> None:
    pid = find_id(client, "policy", "科技成果转移转化", HUAIBEI_PLAN_TITLE)
    policy = client.get(f"/api/policies/{pid}").get_json()
    url = f"/export/policies/{pid}/measures"
    rows = _csv(client, url + ".csv")
    header, body = rows[0], rows[1:]
    assert header[:7] == ["序号", "章节", "措施标题", "措施内容", "牵头单位", "配合单位", "完成时限"]
    assert len(body) == len(policy["measures"]) > 0
    for row, m in zip(body, policy["measures"], strict=True):
        assert row[4] == "、".join(u["name"] for u in m["lead"]) and row[6] == (m["deadline"] or "")
        assert row[-1].endswith(f"/measures/{m['id']}")
    sheet = _xlsx(client, url + ".xlsx")
    assert sheet[0] == header and [r[-1] for r in sheet[1:]] == [r[-1] for r in body]
    assert [r[0] for r in sheet[1:]] == list(range(1, len(body) + 1))  # numbers stay numbers in Excel
    assert f'href="{url}.csv"' in client.get(f"/policies/{pid}").get_data(as_text=True)


def test_department_portfolio_says_lead_and_support_in_chinese(client: FlaskClient) -> None:
    did = find_id(client, "department", HUAIBEI_KJJ, HUAIBEI_KJJ)
    dept = client.get(f"/api/departments/{did}", query_string={"all": 1}).get_json()
    rows = _csv(client, f"/export/departments/{did}/portfolio.csv")
    header, body = rows[0], rows[1:]
    assert header[0] == "角色" and not _ascii_header(header)
    assert len(body) == dept["led_total"] + dept["supported_total"] > 0
    roles = [r[0] for r in body]
    assert roles.count("牵头") == dept["led_total"] and roles.count("配合") == dept["supported_total"]
    flat = "\n".join(",".join(r) for r in rows)
    assert "LEADS" not in flat and "SUPPORTS" not in flat
    sheet = _xlsx(client, f"/export/departments/{did}/portfolio.xlsx")
    assert [r[0] for r in sheet[1:]] == roles and [r[-1] for r in sheet[1:]] == [r[-1] for r in body]
    page = client.get(f"/departments/{did}").get_data(as_text=True)
    assert f'href="/export/departments/{did}/portfolio.xlsx"' in page


def test_search_results_in_rank_order(client: FlaskClient) -> None:
    hits = client.get("/api/search", query_string={"q": "科技", "type": "measure", "page": 1}).get_json()
    rows = _csv(client, "/export/search.csv", q="科技", type="measure")
    assert rows[0][:3] == ["名次", "类型", "标题"] and len(rows) - 1 == hits["total"]
    assert [r[-1].rsplit("/", 1)[-1] for r in rows[1:21]] == [h["id"] for h in hits["hits"]]
    assert {r[1] for r in rows[1:]} == {"政策措施"}
    sheet = _xlsx(client, "/export/search.xlsx", q="科技", type="measure")
    assert [r[-1] for r in sheet[1:]] == [r[-1] for r in rows[1:]]
    html = client.get("/", query_string={"q": "科技"}).get_data(as_text=True)
    assert 'id="search-csv"' in html and 'id="search-xlsx"' in html


def test_deadline_board_downloads_match_the_json(client: FlaskClient) -> None:
    body = client.get("/api/deadlines", query_string={"today": "2020-12-10"}).get_json()
    expected = [(name, m["measure_id"]) for name in ("overdue", "this_month", "next_month")
                for m in body["buckets"][name]]
    rows = _csv(client, "/deadlines.csv", today="2020-12-10")
    assert rows[0][:4] == ["分组", "完成时限", "到期月份", "措施"]
    labels = {"overdue": "已逾期", "this_month": "本月到期", "next_month": "下月到期"}
    assert [(r[0], r[-1].rsplit("/", 1)[-1]) for r in rows[1:]] == [(labels[n], mid) for n, mid in expected]
    sheet = _xlsx(client, "/deadlines.xlsx", today="2020-12-10")
    assert [tuple(r) for r in sheet] == [tuple(r) for r in rows]


@pytest.mark.parametrize("name", ["top_collaborators", "measure_count_by_policy", "department_portfolio"])
def test_saved_query_results(client: FlaskClient, name: str) -> None:
    run = client.get(f"/api/queries/{name}/run").get_json()
    rows = _csv(client, f"/export/queries/{name}.csv")
    assert len(rows) - 1 == run["row_count"] > 0
    assert len(rows[0]) == len(run["columns"])
    sheet = _xlsx(client, f"/export/queries/{name}.xlsx")
    assert [[str(v) for v in r] for r in sheet] == rows
    flat = "\n".join(",".join(r) for r in rows[1:])
    assert "LEADS" not in flat and "SUPPORTS" not in flat
    page = client.get(f"/queries/{name}", query_string={"run": 1}).get_data(as_text=True)
    assert f'href="/export/queries/{name}.xlsx"' in page


def test_cells_that_look_like_formulas_are_quoted() -> None:
    from webapp.exports import Table, as_csv, as_xlsx

    table = Table("测试", ["值"], [["=1+1"], ["@SUM(A1)"], ["普通"]])
    assert as_csv(table).decode("utf-8-sig").splitlines()[1:] == ["'=1+1", "'@SUM(A1)", "普通"]
    sheet = load_workbook(io.BytesIO(as_xlsx(table))).active
    assert [c.value for c in sheet["A"]][1:] == ["'=1+1", "'@SUM(A1)", "普通"]
    assert all(c.data_type == "s" for c in sheet["A"])


def test_unknown_format_is_404(client: FlaskClient) -> None:
    assert client.get("/export/queries/top_collaborators.pdf").status_code == 404
