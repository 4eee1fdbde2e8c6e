"""Locust user for `python -m bench web`: search, department and network requests (127.0.0.1 only)."""

from __future__ import annotations

import json
import os
import random

from locust import FastHttpUser, between, task

_IDS = json.loads(open(os.environ["BENCH_IDS"], encoding="utf-8").read())
_WORDS = _IDS["words"]
_DEPTS = _IDS["departments"]


class Staff(FastHttpUser):
    """A member of staff moving between the search, department and network pages.

    FastHttpUser (geventhttpclient) costs the load generator several times less CPU per request
    than HttpUser (requests): it runs on the same two cores as the server it measures.
    """

    wait_time = between(0, 0)

    @task(5)
    def search_page(self) -> None:
        self.client.get(f"/?q={random.choice(_WORDS)}", name="/?q=…")

    @task(3)
    def department_page(self) -> None:
        self.client.get(f"/departments/{random.choice(_DEPTS)}", name="/departments/…")

    @task(1)
    def network(self) -> None:
        self.client.get("/api/network?min_weight=3", name="/api/network")
