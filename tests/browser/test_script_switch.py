"""In a real browser: a traditional-script document is shown in simplified characters, the switch shows the
original, and the search words stay marked in both (issue 19); a search that finds nothing offers a way on."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import LiveServer, shot


def _no_problems(page: Any) -> None:
    assert page.dialogs == [], page.dialogs
    assert not [p for p in page.problems if "Content Security Policy" in p or "page error" in p], page.problems


def test_simplified_by_default_switch_to_original(live: LiveServer, open_page) -> None:
    page = open_page()
    page.goto(live.url + "/?q=中试基地")
    page.click("#group-policy a.title")
    page.wait_for_selector("#script-switch")
    assert page.inner_text("h1") == "关于印发淮北市加快科技成果转移转化行动方案的通知"
    text = page.inner_text(".doctext")
    assert "转化" in text and "轉化" not in text
    marks = page.locator(".doctext mark.hl")
    assert marks.count() >= 3 and set(marks.all_inner_texts()) == {"中试基地"}
    shot(page, "10-policy-simplified")
    page.click("#show-original")
    page.wait_for_selector("#show-original[aria-current]")
    assert "轉化" in page.inner_text(".doctext")
    assert set(page.locator(".doctext mark.hl").all_inner_texts()) == {"中試基地"}
    assert "hl=" in page.url and "script=original" in page.url
    page.locator(".doctext a.span").first.click()  # measure spans still lead to their rows
    assert "#m-" in page.url
    shot(page, "11-policy-original")
    page.click("#show-simplified")
    page.wait_for_selector("#show-simplified[aria-current]")
    assert "轉化" not in page.inner_text(".doctext")
    _no_problems(page)


def test_a_dead_end_search_offers_suggestions_and_browsing(live: LiveServer, open_page) -> None:
    page = open_page()
    page.goto(live.url + "/")
    page.fill('header input[name="q"]', "中试基地 火星探测")
    page.click('header button[type="submit"]')
    page.wait_for_selector("#suggestions")
    shot(page, "12-search-suggestions")
    page.click(".suggest-queries a >> nth=0")
    page.wait_for_selector("#group-measure")
    page.goto(live.url + "/?q=完全不存在的词语")
    page.click("#browse-summary a >> text=淮北市")
    page.wait_for_selector(".browse-list")
    assert page.locator(".browse-list li").count() == 1
    assert "淮北市加快科技成果转移转化" in page.inner_text(".browse-list")
    shot(page, "13-browse")
    _no_problems(page)
