"""Console and saved queries in a real browser: the shipped example runs, graph views draw every relationship
returned, errors point at a line, the history is kept in the browser (laptop and portrait tablet)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.browser.conftest import LiveServer, shot, wait_until

SIZES = ["laptop", "tablet-portrait"]


def _no_problems(page: Any) -> None:
    assert page.dialogs == [], page.dialogs
    assert not [p for p in page.problems if "Content Security Policy" in p or "page error" in p], page.problems


def _expected_graph(page: Any, body: dict) -> tuple[int, int]:
    """Distinct nodes and relationships in an API answer, counted in Python from the JSON rows."""
    nodes, rels = set(), set()

    def walk(v: Any) -> None:
        if isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, dict) and v.get("_kind") == "node":
            nodes.add(v["ref"])
        elif isinstance(v, dict) and v.get("_kind") == "relationship":
            rels.add((v["start_ref"], v["type"], v["end_ref"]))
        elif isinstance(v, dict) and v.get("_kind") == "path":
            walk(v["nodes"])
            walk(v["relationships"])

    walk(body["rows"])
    return len(nodes), len(rels)


@pytest.mark.parametrize("viewport", SIZES)
def test_console_example_runs_and_draws_every_relationship(live: LiveServer, open_page, viewport: str) -> None:
    page = open_page(viewport)
    page.goto(live.url + "/console")
    page.click("#run")  # the pre-filled example, as shipped
    page.wait_for_selector("#console-table tbody tr")
    assert page.locator("#console-table th").first.inner_text() == "部门"
    assert page.locator("#console-error").is_hidden()
    shot(page, f"20-console-example-{viewport}")
    # 执行计划 shows the engine's plan for the same query, without running it
    page.click("#explain")
    page.locator("#console-plan").wait_for(state="visible")
    assert page.locator("#console-plan-text").inner_text().strip()
    assert page.locator("#console-error").is_hidden()

    # an example with three nodes and two relationships per row: all of them are drawn
    with page.expect_response("**/api/cypher") as answer:
        page.click("button.example >> text=部门牵头的措施及其政策（图）")
    body = answer.value.json()
    nodes, rels = _expected_graph(page, body)
    assert rels >= 2 * len(body["rows"]) - len(body["rows"]) and nodes > 3
    wait_until(page, "PG.cy && PG.cy.edges().length > 0")
    assert page.evaluate("PG.cy.nodes().length") == nodes
    assert page.evaluate("PG.cy.edges().length") == rels
    assert "牵头" in page.evaluate("PG.cy.edges().map(function (e) { return e.data('name'); }).join()")
    assert page.locator(".kind-legend li .dot").count() == 3  # 部门, 措施, 政策
    assert {t.strip() for t in page.locator(".kind-legend li:has(.line)").all_inner_texts()} == {"牵头", "包含"}
    page.locator("#console-graph-section").scroll_into_view_if_needed()
    shot(page, f"21-console-graph-{viewport}")

    # a path example: the path's relationships are edges too
    with page.expect_response("**/api/cypher") as answer:
        page.click("button.example >> text=两个部门之间的协作路径（路径）")
    nodes, rels = _expected_graph(page, answer.value.json())
    wait_until(page, f"PG.cy && PG.cy.edges().length === {rels}")
    assert page.evaluate("PG.cy.nodes().length") == nodes

    # relationships returned without their nodes are drawn too, between stand-ins for their ends
    page.fill("#cypher", "MATCH (:Department)-[r:LEADS]->(:Measure) RETURN r AS `关系` LIMIT 5")
    page.fill("#cypher-params", "")
    with page.expect_response("**/api/cypher") as answer:
        page.click("#run")
    ends = {(r[0]["start_ref"], r[0]["end_ref"]) for r in answer.value.json()["rows"]}
    wait_until(page, f"PG.cy && PG.cy.edges().length === {len(ends)}")
    assert page.evaluate("PG.cy.nodes().length") == len({x for e in ends for x in e})

    # an error points at its line and column, with a hint in Chinese
    page.fill("#cypher", "MATCH (d:Department)\nRETURN d.name AS 部门")
    page.fill("#cypher-params", "")
    page.click("#run")
    page.locator("#console-error").wait_for(state="visible")
    assert "第 2 行第 18 列" in page.inner_text("#console-error-text")
    assert "反引号" in page.inner_text("#console-error-text")
    assert "^" in page.inner_text("#console-error-where")
    shot(page, f"22-console-error-{viewport}")

    # the history lists the runs, newest first, survives a reload, and reloads a query when clicked
    page.reload()
    items = page.locator("#history-list .history-item")
    assert items.count() == 5
    assert "部门" in items.first.inner_text()
    items.nth(2).click()
    assert "allShortestPaths" in page.input_value("#cypher")
    assert json.loads(page.input_value("#cypher-params"))["dept_b"] == "淮北市财政局"
    _no_problems(page)


@pytest.mark.parametrize("viewport", SIZES)
def test_a_saved_query_renders_as_a_graph(live: LiveServer, open_page, viewport: str) -> None:
    page = open_page(viewport)
    page.goto(live.url + "/queries")
    page.click("text=部门的协作邻域")
    page.click("#param-form button[type=submit]")
    page.wait_for_selector(".results-table tbody tr")
    body = json.loads(page.text_content("#result-data"))
    nodes, rels = _expected_graph(page, body)
    wait_until(page, "window.PG && PG.cy && PG.cy.nodes().length > 0")  # a new page: scripts may still load
    assert page.evaluate("PG.cy.nodes().length") == nodes and page.evaluate("PG.cy.edges().length") == rels
    assert rels > 0
    # clicking a node lists its properties under Chinese names
    page.locator("#result-graph-section").scroll_into_view_if_needed()
    page.evaluate("PG.cy.nodes().filter(function (n) { return n.data('name') === '淮北市科学技术局'; })"
                  ".emit('tap'); null")
    details = page.locator("#result-node")
    details.wait_for(state="visible")
    assert "名称" in details.inner_text() and "部门：" in details.inner_text()
    shot(page, f"23-saved-query-graph-{viewport}")
    _no_problems(page)


def test_rendered_pages_show_no_english_labels(live: LiveServer, open_page, sample) -> None:
    """What the scripts write (tables, legends, history, panels, errors) is Chinese too: the same check as
    tests/webapp/test_chinese_labels.py, on the DOM after the scripts ran."""
    from tests.webapp.test_chinese_labels import english_words, words_of_the_documents

    document_words = words_of_the_documents(sample)
    page = open_page("laptop")
    found = {}
    page.goto(live.url + "/console")
    page.click("button.example >> text=部门牵头的措施及其政策（图）")
    wait_until(page, "PG.cy && PG.cy.nodes('.labelled').length > 0")
    page.evaluate("PG.cy.nodes().filter(function (n) { return n.data('kind') === '政策'; }).emit('tap'); null")
    page.locator("#console-node").wait_for(state="visible")
    found["console"] = english_words(page.content(), document_words)
    page.fill("#cypher", "MATCH (n RETURN n")
    page.click("#run")
    page.locator("#console-error").wait_for(state="visible")
    found["console error"] = english_words(page.content(), document_words)
    page.goto(live.url + "/network")
    wait_until(page, "window.PG && PG.cy && PG.cy.nodes('.labelled').length > 0")
    page.fill("#find", "淮北市科学技术局")
    page.click("#find-go")
    wait_until(page, "document.getElementById('panel-community').textContent.indexOf('社区') >= 0")
    found["network"] = english_words(page.content(), document_words)
    assert not any(found.values()), found
