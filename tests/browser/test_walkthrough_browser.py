"""Defects from a new-user walk-through, checked in Chromium: both ends of a drawn collaboration path keep
their names (a label that has no room below its node goes above it), and the filter bars of the network
and the deadline board line their controls up instead of leaving a number or date box taller than the
selects beside it."""

from __future__ import annotations

import pytest

from tests.browser.conftest import LiveServer, shot, wait_until

# Rendered boxes of the controls of one filter bar: [top, bottom] per control, in page pixels.
CONTROL_BOXES = """(sel) => Array.from(document.querySelectorAll(sel)).map(function (el) {
  var r = el.getBoundingClientRect(); return [Math.round(r.top), Math.round(r.bottom)]; })"""


def test_both_ends_of_a_collaboration_path_are_named(live: LiveServer, open_page) -> None:
    page = open_page("laptop")
    page.goto(live.url + "/queries/collaboration_path")
    start, end = page.input_value("#p-dept_a"), page.input_value("#p-dept_b")
    page.click("#param-form button[type=submit]")
    wait_until(page, "window.PG && PG.cy && PG.cy.nodes('.labelled').length > 0")
    departments = page.evaluate("PG.cy.nodes().filter(function (n) { return n.data('kind') === '部门'; })"
                                ".map(function (n) { return [n.data('name'), n.hasClass('labelled')]; })")
    assert {name for name, _ in departments} == {start, end}, departments
    assert all(labelled for _, labelled in departments), departments
    # labels placed above or below never overlap (cytoscape's own label boxes)
    boxes = page.evaluate("""PG.cy.nodes('.labelled').map(function (n) {
      var b = n.boundingBox({includeNodes: false, includeEdges: false, includeLabels: true});
      return [b.x1, b.y1, b.x2, b.y2]; })""")
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
    page.locator("#result-graph-section").scroll_into_view_if_needed()
    shot(page, "walkthrough-collaboration-path")
    assert not [p for p in page.problems if "Content Security Policy" in p or "page error" in p], page.problems


@pytest.mark.parametrize(("path", "controls"), [
    ("/network", "#net-filters select, #net-filters input, #net-filters button"),
    ("/deadlines", "#board-filters select, #board-filters input, #board-filters button"),
])
def test_filter_bar_controls_share_one_line(live: LiveServer, open_page, path: str, controls: str) -> None:
    page = open_page("laptop")
    page.goto(live.url + path)
    boxes = page.evaluate(CONTROL_BOXES, controls)
    assert len(boxes) >= 4, boxes
    assert max(b[0] for b in boxes) - min(b[0] for b in boxes) <= 2, boxes
    assert max(b[1] for b in boxes) - min(b[1] for b in boxes) <= 2, boxes
