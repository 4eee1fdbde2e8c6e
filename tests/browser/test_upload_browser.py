"""The upload page in real Chromium: a bad file and good ones, a row per file, links to each imported policy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.browser.conftest import ADMIN_PASSWORD, LiveServer, shot
from tests.sample import SEEDS, load_sample


def test_upload_shows_each_files_result_and_links_to_its_policy(engine, open_page, tmp_path: Path) -> None:
    from loaders.fuzz import crashers, hostile_docx

    loaded = load_sample(engine, tmp_path / "index", [SEEDS / "000_ea2e05c557d4a99d.txt"])  # a graph of its own
    server = LiveServer(loaded, tmp_path / "home")
    try:
        files = {"nested_tables.docx": hostile_docx()["nested_tables.docx"],
                 "nul_byte.html": crashers()["nul_byte.html"], "淮北方案.txt": (SEEDS / "002_a49a57821bd4ff1c.txt")
                 .read_bytes(), "未识别.txt": (SEEDS / "001_9b1470b7e4c19b99.txt").read_bytes()}
        for name, data in files.items():
            (tmp_path / name).write_bytes(data)
        page: Any = open_page("laptop")
        page.goto(server.url + "/admin/")
        page.fill("input[name=password]", ADMIN_PASSWORD)
        page.click("form[action$='/admin/login'] button[type=submit]")
        page.set_input_files("input[name=files]", [str(tmp_path / n) for n in files])
        page.click("form.upload-form button[type=submit]")
        page.wait_for_selector("#upload-done")
        progress = page.locator("#upload-progress li").all_inner_texts()
        assert len(progress) == 4 and any("nested_tables.docx：失败" in t for t in progress)
        rows = {r.locator("code.file-name").inner_text(): r for r in page.locator("#upload-results tbody tr").all()}
        assert rows["nested_tables.docx"].get_attribute("data-status") == "failed"
        assert "已拒绝导入" in rows["nested_tables.docx"].inner_text() and str(tmp_path) not in page.content()
        assert "项措施中有" in rows["未识别.txt"].locator(".file-warnings").inner_text()
        shot(page, "upload-results-laptop")
        rows["淮北方案.txt"].locator("a.policy-link").click()
        page.wait_for_selector("h1")
        assert "/policies/" in page.url and "淮北" in page.locator("h1").inner_text()
        assert not page.problems and not page.dialogs
    finally:
        server.stop()
        loaded.index.close()
        loaded.store._admin.delete()
