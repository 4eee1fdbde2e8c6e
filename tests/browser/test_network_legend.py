"""Network readability in a real browser: community colours with a named legend, labels that never overlap,
fewer labels zoomed out; the department page's mini-network and ranked collaborators (laptop, portrait tablet)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import LiveServer, shot, wait_until

SIZES = ["laptop", "tablet-portrait"]

# Label boxes of the labelled nodes as cytoscape itself measures them (model coordinates).
LABEL_BOXES = """PG.cy.nodes('.labelled').map(function (n) {
  var b = n.boundingBox({includeNodes: false, includeEdges: false, includeLabels: true});
  return [n.id(), b.x1, b.y1, b.x2, b.y2]; })"""

# Labels are relaid out a moment after a zoom: settled once they are back to 12 px on screen.
SETTLED = """PG.cy.nodes('.labelled').length > 0 && PG.cy.nodes('.labelled').every(function (n) {
  return Math.abs(parseFloat(n.renderedStyle('font-size')) - 12) < 0.5; })"""


def _overlapping(boxes: list[list[Any]]) -> list[tuple[str, str]]:
    bad = []
    for i, (a, ax1, ay1, ax2, ay2) in enumerate(boxes):
        for b, bx1, by1, bx2, by2 in boxes[i + 1:]:
            if ax1 < bx2 - 0.5 and bx1 < ax2 - 0.5 and ay1 < by2 - 0.5 and by1 < ay2 - 0.5:
                bad.append((a, b))
    return bad


def _settled_overlaps(page, tries: int = 25) -> list:
    """Overlapping labels once the relabelling after a zoom has run (it is debounced: on a loaded machine it
    may come a few hundred milliseconds after the zoom settles); [] when none overlap."""
    bad = _overlapping(page.evaluate(LABEL_BOXES))
    for _ in range(tries):
        if not bad:
            break
        page.wait_for_timeout(200)
        bad = _overlapping(page.evaluate(LABEL_BOXES))
    return bad


@pytest.mark.parametrize("viewport", SIZES)
def test_network_legend_colours_and_labels(live: LiveServer, open_page, viewport: str) -> None:
    page = open_page(viewport)
    page.goto(live.url + "/network")
    wait_until(page, "window.PG && PG.cy && PG.cy.nodes().length > 0 && PG.cy.nodes('.labelled').length > 0")
    page.wait_for_timeout(300)
    legend = page.locator("#legend-list .legend-item")
    assert legend.count() >= 2
    communities = page.evaluate("fetch('/api/network').then(function (r) { return r.json(); })")["communities"]
    first = legend.first.inner_text()
    assert first.startswith(communities[0]["name"]), (first, communities[0])
    # every node of the largest community wears the legend's first colour; no other node does
    colours = page.evaluate("PG.cy.nodes().map(function (n) { return [n.data('info').community, n.data('colour')]; })")
    legend_colour = page.evaluate("getComputedStyle(document.querySelector('#legend-list .dot')).backgroundColor")
    assert legend_colour.startswith("rgb")
    top = {c for k, c in colours if k == communities[0]["id"]}
    assert len(top) == 1 and all(c not in top for k, c in colours if k != communities[0]["id"])
    # labels: some shown, none overlapping, and fewer when zoomed out
    boxes = page.evaluate(LABEL_BOXES)
    assert boxes and not _overlapping(boxes), _overlapping(boxes)
    shot(page, f"30-network-legend-{viewport}")
    # (each evaluate ends in null: returning the cytoscape object would make Playwright serialise all of it)
    # well under the zoom that fitted the graph after its layout (the page may have changed size since)
    # the zoom that fitted the graph is recorded by the layout's end (missed when the watcher came too late)
    assert page.evaluate("PG.cy.scratch('pgFitZoom') > 0")
    page.evaluate("PG.cy.zoom({level: PG.cy.scratch('pgFitZoom') * 0.35, renderedPosition: {x: 300, y: 250}}); null")
    wait_until(page, "PG.cy.nodes('.labelled').length <= 12")  # relabelled once the zoom settles
    zoomed_out = page.evaluate(LABEL_BOXES)
    assert 0 < len(zoomed_out) <= min(12, len(boxes)) and not _overlapping(zoomed_out)
    page.evaluate("PG.cy.fit(); PG.cy.zoom({level: PG.cy.zoom() * 3, renderedPosition: {x: 400, y: 300}}); null")
    page.wait_for_timeout(300)
    wait_until(page, SETTLED)
    bad = _settled_overlaps(page)
    assert not bad, (bad, [b for b in page.evaluate(LABEL_BOXES) if b[0] in {x for pair in bad for x in pair}])
    # clicking a legend entry fades everything outside that community
    legend.first.click()
    wait_until(page, "PG.cy.nodes('.faded').length > 0")
    page.wait_for_timeout(400)
    faded = page.evaluate("PG.cy.nodes('.faded').map(function (n) { return n.data('info').community; })")
    assert communities[0]["id"] not in faded
    # the panel names a node's community in words
    page.fill("#find", communities[0]["name"])
    page.click("#find-go")
    wait_until(page, "document.getElementById('panel-community').textContent.indexOf('为中心的社区') >= 0")
    shot(page, f"31-network-community-{viewport}")
    assert not [p for p in page.problems if "page error" in p or "Content Security Policy" in p], page.problems


@pytest.mark.parametrize("viewport", SIZES)
def test_department_mini_network_and_ranked_collaborators(live: LiveServer, open_page, viewport: str) -> None:
    page = open_page(viewport)
    page.goto(live.url + "/network")
    wait_until(page, "window.PG && PG.cy && PG.cy.nodes().length > 0")
    dept = page.evaluate("fetch('/api/network/find?q=' + encodeURIComponent('淮北市科学技术局'))"
                         ".then(function (r) { return r.json(); })")["departments"][0]["id"]
    page.goto(live.url + "/departments/" + dept)
    wait_until(page, "window.PG && PG.cy && PG.cy.nodes('.labelled').length > 0")
    page.wait_for_timeout(300)
    boxes = page.evaluate(LABEL_BOXES)
    assert not _overlapping(boxes)
    assert page.evaluate("PG.cy.nodes('.center').hasClass('labelled')")  # the department itself is always named
    assert page.locator("#collaborators svg.sparkbar").count() >= 5
    page.locator("#collaborators").scroll_into_view_if_needed()
    shot(page, f"32-department-collaborators-{viewport}")
    assert not [p for p in page.problems if "page error" in p or "Content Security Policy" in p], page.problems
