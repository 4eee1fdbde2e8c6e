"""The web app staff use: Flask app factory, one blueprint per area, Chinese UI."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask

from settings import Settings
from webapp import auth, errors, hosts, malformed, security, services, statestore
from webapp.views import (
    admin,
    api_docs,
    console,
    deadlines,
    departments,
    downloads,
    entities,
    measures,
    network,
    overview,
    policies,
    queries,
    search_pages,
    who_leads,
)

log = logging.getLogger(__name__)

BLUEPRINTS = (search_pages, who_leads, departments, policies, measures, entities, network, queries, console,
              admin, api_docs)
# issue 22: the corpus overview and its lists, the deadline board, downloads
BLUEPRINTS += (overview, deadlines, downloads)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app.  `test_config` may carry SETTINGS, GRAPH_STORE and SEARCH_INDEX objects."""
    app = Flask(__name__)
    settings = (test_config or {}).get("SETTINGS") or Settings()
    app.config.update(JSON_AS_ASCII=False, MAX_CONTENT_LENGTH=settings.request_max_bytes,
                      CYPHER_RATE_LIMIT=(settings.console_rate_limit, settings.console_rate_window_s),
                      UPLOAD_MAX_BYTES=settings.upload_max_bytes)
    # attr-defined: Flask's default provider (DefaultJSONProvider) has it; app.json is typed as the base class
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    if test_config:
        app.config.update(test_config)
    hosts.init_app(app, settings)  # first: before any hook reads the request
    malformed.init_app(app)
    services.init_app(app)
    security.init_app(app, services.get_from(app).home)
    statestore.init_app(app, services.get_from(app).home)
    errors.init_app(app)
    auth.init_app(app)
    for module in BLUEPRINTS:
        app.register_blueprint(module.bp)
    return app
