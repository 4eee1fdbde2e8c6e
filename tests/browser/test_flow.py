"""Staff flow in a real browser: search → lead department → its network → saved query → console refusal."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import LiveServer, shot, wait_until

HUAIBEI_KJJ = "淮北市科学技术局"


def _no_problems(page: Any) -> None:
    assert page.dialogs == [], page.dialogs
    assert not [p for p in page.problems if "Content Security Policy" in p or "page error" in p], page.problems


@pytest.mark.parametrize("viewport", ["laptop", "tablet"])
def test_search_to_department_network_to_query_to_console(live: LiveServer, open_page, viewport: str) -> None:
    page = open_page(viewport)
    page.goto(live.url + "/")
    page.fill('header input[name="q"]', "中试基地")
    page.click('header button[type="submit"]')
    page.wait_for_selector("#group-measure")
    shot(page, f"01-search-{viewport}")
    page.click("text=谁牵头“中试基地”？")
    lead = page.locator("#lead-1 a.lead-name")
    assert lead.inner_text() == HUAIBEI_KJJ
    shot(page, f"02-who-leads-{viewport}")
    lead.click()
    page.wait_for_selector("h1.dept-name")
    assert page.inner_text("h1.dept-name") == HUAIBEI_KJJ
    wait_until(page, "window.PG && PG.cy && PG.cy.nodes().length > 0")
    assert page.evaluate("PG.cy.nodes().length") > 1
    assert page.evaluate("PG.cy.png().length") > 5000  # the canvas has drawn something
    page.locator("#dept-network").scroll_into_view_if_needed()
    shot(page, f"03-department-{viewport}")

    page.goto(live.url + "/queries")
    page.click("text=部门的主要协作单位")
    page.fill("#p-department", HUAIBEI_KJJ)
    page.fill("#p-limit", "5")
    page.click("#param-form button[type=submit]")
    page.wait_for_selector(".results-table tbody tr")
    assert page.locator(".results-table tbody tr").count() == 5
    assert "淮北市财政局" in page.locator(".results-table tbody tr").first.inner_text()
    shot(page, f"04-query-{viewport}")

    page.goto(live.url + "/console")
    page.fill("#cypher", "MATCH (n) DETACH DELETE n")
    page.fill("#cypher-params", "")
    page.click("#run")
    error = page.locator("#console-error")
    error.wait_for(state="visible")
    assert "查询被拒绝" in error.inner_text()
    shot(page, f"05-console-refused-{viewport}")
    page.fill("#cypher", "MATCH (d:Department)-[r:LEADS]->(m:Measure) RETURN d, r, m LIMIT 5")
    page.click("#run")
    page.wait_for_selector("#console-table tbody tr")
    assert page.locator("#console-table tbody tr").count() == 5
    wait_until(page, "PG.cy && PG.cy.nodes().length > 0")
    shot(page, f"06-console-results-{viewport}")
    _no_problems(page)


@pytest.mark.parametrize("viewport", ["laptop", "tablet"])
def test_network_explorer_focus_expand_find_export(live: LiveServer, open_page, viewport: str) -> None:
    page = open_page(viewport)
    page.goto(live.url + "/network")
    wait_until(page, "window.PG && PG.cy && PG.cy.nodes().length > 0")
    shot(page, f"07-network-{viewport}")
    page.fill("#find", HUAIBEI_KJJ)
    page.click("#find-go")
    wait_until(page, "document.getElementById('panel-name').textContent.indexOf('科学技术局') >= 0")
    page.click("#expand")
    cap = page.locator("#cap-message")
    cap.wait_for(state="visible")
    assert "个协作部门" in cap.inner_text()
    shot(page, f"08-network-focus-{viewport}")
    with page.expect_download() as download:
        page.click("#export-png")
    assert download.value.suggested_filename.endswith(".png")
    _no_problems(page)


def test_policy_table_sorts_and_filters(live: LiveServer, open_page) -> None:
    page = open_page("laptop")
    page.goto(live.url + "/?q=中试基地&type=policy")
    page.click("#group-policy a.title, article.hit-policy a.title")
    page.wait_for_selector("#measures-table")
    total = page.locator("#measures-table tbody tr").count()
    assert total == 50
    page.fill("#measure-filter", "淮北市财政局")
    visible = page.locator("#measures-table tbody tr:not([hidden])").count()
    assert 0 < visible < total
    page.fill("#measure-filter", "")
    page.click("#measures-table th:nth-child(1)")
    page.click("#measures-table th:nth-child(1)")
    assert page.locator("#measures-table tbody tr").first.locator("td").first.inner_text() == "50"
    shot(page, "09-policy-laptop")
    _no_problems(page)
