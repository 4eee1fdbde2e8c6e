"""The home overview's charts, the deadline board and an Excel download, in a real browser."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest
from openpyxl import load_workbook

from settings import ROOT
from tests.browser.conftest import ARTIFACTS, LiveServer, shot, wait_until

VENDOR = ROOT / "webapp/static/vendor"


@pytest.fixture(autouse=True)
def _echarts_vendored() -> None:
    for name in ("echarts.min.js", "echarts-china.js"):
        if not (VENDOR / name).exists():
            pytest.fail(f"webapp/static/vendor/{name} is missing: run `make test` (npm ci + copy)")

BOARD_TODAY = "2020-12-10"  # the sample's deadlines fall in 2020-2021: this day has every bucket but one filled

# Pixels a chart's canvas has drawn (alpha > 0): a chart that failed leaves its canvas blank.
DRAWN_PIXELS = """(id) => {
  const canvas = document.querySelector('#' + id + ' canvas');
  if (!canvas) { return -1; }
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) { n++; } }
  return n;
}"""


def _json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as resp:
        return json.load(resp)


def _no_problems(page: Any) -> None:
    assert page.dialogs == [], page.dialogs
    assert page.problems == [], page.problems  # no CSP refusal, no script error, no failed load


@pytest.mark.parametrize("viewport", ["laptop", "tablet-portrait"])
def test_home_overview_draws_its_charts(live: LiveServer, open_page, viewport: str) -> None:
    page = open_page(viewport)
    page.goto(live.url + "/")
    wait_until(page, "window.PG_CHARTS && window.PG_CHARTS.length === 4")
    expected = _json(live.url + "/api/overview")
    for key in ("policies", "measures", "departments", "programmes"):
        assert page.inner_text(f'[data-count="{key}"]') == str(expected["counts"][key])
    page.wait_for_timeout(800)  # ECharts animates its first frame in
    for chart in ("chart-years", "chart-leads", "chart-months", "chart-provinces"):
        page.locator(f"#{chart}").scroll_into_view_if_needed()
        assert page.evaluate(DRAWN_PIXELS, chart) > 2000, f"{chart} drew nothing"
    # the province chart is a map of China when the outline is registered, with the corpus's provinces on it
    option = page.evaluate("window.PG_CHARTS[3].getOption().series[0]")
    assert option["type"] == "map"
    shaded = {d["name"] for d in option["data"] if isinstance(d.get("value"), int | float) and d["value"] == d["value"]}
    assert shaded == {p["map_name"] for p in expected["by_province"]}  # (ECharts adds every other region as NaN)
    page.locator("#overview").scroll_into_view_if_needed()
    shot(page, f"20-overview-{viewport}")
    page.screenshot(path=str(ARTIFACTS / f"20-overview-{viewport}-full.png"), full_page=True)
    # a bar shows its tooltip (drawn on the canvas: no inline style for the CSP to refuse) and opens the list
    year, count = expected["by_year"][0]
    page.locator("#chart-years").scroll_into_view_if_needed()
    box = page.locator("#chart-years").bounding_box()
    x, y = page.evaluate(f"window.PG_CHARTS[0].convertToPixel({{seriesIndex: 0}}, [0, {count / 2}])")
    page.mouse.move(box["x"] + x, box["y"] + y)
    page.wait_for_timeout(400)
    shot(page, f"23-overview-tooltip-{viewport}")
    _no_problems(page)
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_selector("#browse-total")
    assert page.url.endswith(f"/browse?year={year}") and int(page.inner_text("#browse-total")) == count

    # 最近导入: the documents the load log names, newest first, each with its Chinese time, opening its page
    page.goto(live.url + "/")
    loaded = expected["recently_loaded"]
    assert len(loaded) == 10 and [e["loaded_at"] for e in loaded] == sorted((e["loaded_at"] for e in loaded),
                                                                          reverse=True)
    items = page.locator("#overview-loaded li")
    assert items.count() == len(loaded)
    for i, entry in enumerate(loaded):
        item = items.nth(i)
        assert item.get_attribute("data-policy") == entry["id"]
        assert item.locator("a").get_attribute("href") == f"/policies/{entry['id']}"
        assert entry["loaded_at_zh"] in item.inner_text()
    assert page.locator("#overview-recent li").count() > 0  # 最新发布 (by issue date) stays beside it
    page.locator("#overview-loaded").scroll_into_view_if_needed()
    shot(page, f"24-overview-recently-loaded-{viewport}")
    items.nth(0).locator("a").click()
    page.wait_for_url(f"**/policies/{loaded[0]['id']}")
    _no_problems(page)


@pytest.mark.parametrize("viewport", ["laptop", "tablet-portrait"])
def test_deadline_board_filters_and_downloads(live: LiveServer, open_page, viewport: str) -> None:
    page = open_page(viewport)
    page.goto(live.url + f"/deadlines?today={BOARD_TODAY}")
    board = _json(live.url + f"/api/deadlines?today={BOARD_TODAY}")
    for bucket, count in board["counts"].items():
        assert page.inner_text(f'[data-bucket-count="{bucket}"]') == str(count)
        assert page.locator(f'table[data-bucket="{bucket}"] tbody tr').count() == count
    assert board["counts"]["overdue"] and board["counts"]["this_month"]
    shot(page, f"21-deadlines-{viewport}")

    # filter by the lead department of the first measure due this month
    lead = board["buckets"]["this_month"][0]["lead"][0]
    page.select_option("#board-department", lead["id"])
    page.click("#board-filters button[type=submit]")
    page.wait_for_selector("#board-ics")
    filtered = _json(live.url + f"/api/deadlines?today={BOARD_TODAY}&department={lead['id']}")
    rows = page.locator("table.board-table tbody tr")
    assert rows.count() == sum(filtered["counts"].values()) > 0
    shot(page, f"22-deadlines-department-{viewport}")

    # the Excel download holds the same measures as the JSON twin
    with page.expect_download() as info:
        page.click("#board-xlsx")
    path = ARTIFACTS / f"board-{viewport}.xlsx"
    info.value.save_as(str(path))
    sheet = load_workbook(path, read_only=True).active
    header, *cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert header[:4] == ["分组", "完成时限", "到期月份", "措施"]
    expected = [m["measure_id"] for bucket in ("overdue", "this_month", "next_month")
                for m in filtered["buckets"][bucket]]
    assert [row[-1].rsplit("/", 1)[-1] for row in cells] == expected
    assert all(lead["name"] in (row[6] or "") + (row[7] or "") for row in cells)
    _no_problems(page)
