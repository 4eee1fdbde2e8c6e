"""Tunables in settings reach the app: the console's rate limit, the number of files in one upload."""

from __future__ import annotations

import io

from tests.sample import Loaded
from tests.webapp.conftest import csrf, sign_in


def test_the_console_rate_limit_comes_from_settings(make_app, sample: Loaded) -> None:  # type: ignore[no-untyped-def]
    client = make_app(sample, console_rate_limit=2).test_client()
    token = csrf(client, "/console")
    codes = [client.post("/api/cypher", json={"query": "RETURN 1 AS one"}, headers={"X-CSRF-Token": token}).status_code
             for _ in range(3)]
    assert codes == [200, 200, 429]


def test_the_files_in_one_upload_come_from_settings(make_app, sample: Loaded) -> None:  # type: ignore[no-untyped-def]
    client = make_app(sample, upload_max_files=1).test_client()
    sign_in(client)
    files = [(io.BytesIO("科技政策".encode()), f"f{i}.txt") for i in range(2)]
    refused = client.post("/admin/upload", data={"csrf_token": csrf(client, "/admin/"), "files": files},
                          content_type="multipart/form-data")
    assert refused.status_code == 400 and "一次最多上传 1 个文件" in refused.get_data(as_text=True)
