"""The web app staff use: Flask app factory, one blueprint per area, Chinese UI."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask

from webapp import errors, services
from webapp.views import departments, measures, policies, search_pages

log = logging.getLogger(__name__)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app.  `test_config` may carry SETTINGS, GRAPH_STORE and SEARCH_INDEX objects."""
    app = Flask(__name__)
    app.config.update(JSON_AS_ASCII=False, MAX_CONTENT_LENGTH=20 * 1024 * 1024)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    if test_config:
        app.config.update(test_config)
    services.init_app(app)
    errors.init_app(app)
    for module in (search_pages, departments, policies, measures):
        app.register_blueprint(module.bp)
    return app
