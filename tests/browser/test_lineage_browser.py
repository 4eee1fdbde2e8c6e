"""Following a policy's lineage in a real browser: district plan → Shanghai opinion → national guidance."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graph.engine import EmbeddedEngine
from tests.browser.conftest import LiveServer, shot
from tests.graph.test_lineage import JIADING, NATIONAL, SHANGHAI
from tests.sample import load_sample


def test_lineage_links_lead_up_the_chain(engine: EmbeddedEngine, tmp_path: Path, open_page: Any) -> None:
    loaded = load_sample(engine, tmp_path / "index", [NATIONAL, SHANGHAI, JIADING])
    server = LiveServer(loaded, tmp_path / "home")
    try:
        ids = loaded.summary.ids
        page = open_page()
        page.goto(f"{server.url}/policies/{ids[str(JIADING)]}")
        # The district plan implements Shanghai's opinion (cited by 文号) and the national guidance.
        page.locator('ul[data-lineage="贯彻落实"] a', has_text="本市系统化全域推进海绵城市建设的实施意见").click()
        page.wait_for_url(f"**/policies/{ids[str(SHANGHAI)]}")
        implemented_by = page.locator('ul[data-lineage="被以下政策落实"] a').all_inner_texts()
        assert any("嘉定区" in t for t in implemented_by)
        page.locator('ul[data-lineage="贯彻落实"] a', has_text="海绵城市建设的指导意见").click()
        page.wait_for_url(f"**/policies/{ids[str(NATIONAL)]}")
        followers = " ".join(page.locator("#links a").all_inner_texts())
        assert "上海市人民政府办公厅" in followers and "嘉定区" in followers
        shot(page, "lineage-national")
        # What the national guidance itself cites is not loaded, and says so.
        cited = page.locator('ul[data-lineage="引用"]').inner_text()
        assert "国务院关于加强城市基础设施建设的意见" in cited and "（未导入）" in cited
        assert page.problems == []
    finally:
        server.stop()
        loaded.index.close()
        loaded.store._admin.delete()
        loaded.store.close()
