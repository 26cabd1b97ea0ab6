"""Voices: a news reader that shows who is speaking."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response
from sqlalchemy import event

from webapp import config
from webapp.models import db

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Create the app (config, database, blueprints, CLI) and load the seeds on first start."""
    app = Flask(
        __name__,
        instance_path=(test_config or {}).get("INSTANCE_PATH"),
        instance_relative_config=True,
        template_folder=str(config.PROJECT_ROOT / "templates"),
        static_folder=str(config.PROJECT_ROOT / "static"),
    )
    app.config.from_mapping(config.defaults(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(config.from_environment())
    if test_config is not None:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_pragmas(app.config))

    from webapp import api, cli, views

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    cli.register(app)
    app.after_request(_security_headers)

    from webapp.library import first_start

    with app.app_context():
        first_start(app)
    return app


def _sqlite_pragmas(settings: Mapping[str, Any]) -> Any:
    """Return a connect listener: busy timeout first, then WAL and foreign keys."""
    timeout = int(settings["SQLITE_BUSY_TIMEOUT_MS"])

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {timeout}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    return on_connect


def _security_headers(response: Response) -> Response:
    """Add the security headers to every response."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
