"""The app factory: configuration, database, blueprints, CLI and security headers."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import click
from flask import Flask, Request, Response, has_request_context, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

from webapp import config, pagecache
from webapp.db import migrate
from webapp.middleware import lower_host
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
    # Never to other sites; to this one, for Flask-WTF's same-origin check on HTTPS forms.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Create the app (config, database, blueprints, CLI); when serving, load new seeds."""
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
    app.session_interface = CookieOnlySessions()
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    db.init_app(app)
    pagecache.watch_changes(db.session)
    # Outermost last: proxies' headers, then the host in lower case, then kept pages.
    app.wsgi_app = pagecache.replay_kept(app)  # type: ignore[method-assign]
    app.wsgi_app = lower_host(app.wsgi_app)  # type: ignore[method-assign]
    proxies = int(app.config["PROXY_FIX"] or 0)
    if proxies:  # outside lower_host: the forwarded host is lowered too
        # Behind that many reverse proxies: take scheme, host and client from X-Forwarded-*.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
    migrate.init_app(app, db)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_pragmas(app.config))

    from webapp import (
        api,
        assets,
        cli,
        compress,
        correcting,
        editing,
        errors,
        export,
        health,
        owner,
        views,
    )
    from webapp.search import bp as search_bp

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(errors.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(export.bp)
    owner.init_app(app)
    app.register_blueprint(owner.bp)
    app.register_blueprint(editing.bp)
    app.register_blueprint(correcting.bp)
    cli.register(app)
    app.add_template_global(assets.asset)
    compress.init_app(app)  # registered first: runs after the headers below are set
    app.after_request(_security_headers)
    app.after_request(_static_caching)

    if serving():
        from webapp.library import first_start

        with app.app_context():
            first_start(app)
            warm_up(app)
    return app


def warm_up(app: Flask) -> None:
    """Compile the templates and compute the site's fingerprint now, once: gunicorn forks
    its workers from here (preload), so a new or restarted worker's first requests do not
    pay for them (Jinja compiling a page is tens of milliseconds)."""
    for name in app.jinja_env.list_templates():
        app.jinja_env.get_template(name)
    pagecache.fingerprint()


class CookieOnlySessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, but a request without the cookie gets an empty
    session without building the signer (most requests: readers never get a cookie)."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """Return the request's session; the signer is built only to read a cookie."""
        if app.secret_key and self.get_cookie_name(app) not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)

    def get_cookie_secure(self, app: Flask) -> bool:
        """Mark the cookie Secure when so configured or when the request came over HTTPS
        (behind a proxy, with PROXY_FIX set so that the forwarded scheme is believed)."""
        secure = super().get_cookie_secure(app)
        return bool(secure or (has_request_context() and request.is_secure))


def serving() -> bool:
    """Return whether the app is made to serve requests, not for a `flask` command.

    gunicorn (wsgi.py), `flask run` and tests serve: they create the tables and load new
    or changed seeds. Other commands (`flask init-db`, `load-seeds`, ...) do only their job.
    """
    context = click.get_current_context(silent=True)
    if context is None:
        return True
    return context.command.name == "run"


def _sqlite_pragmas(settings: Mapping[str, Any]) -> Any:
    """Return a connect listener: busy timeout first, then WAL and foreign keys."""
    timeout = int(settings["SQLITE_BUSY_TIMEOUT_MS"])

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {timeout}")
        cursor.execute("PRAGMA journal_mode = WAL")
        # In WAL mode, NORMAL syncs at checkpoints, not at every commit: a crash of the
        # program never loses a commit, a power cut may lose the last few, and the
        # database is never corrupted (https://www.sqlite.org/pragma.html#pragma_synchronous).
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    return on_connect


def _security_headers(response: Response) -> Response:
    """Add the security headers to every response (those a view set itself are kept)."""
    # One pass over the headers, not one per name: this runs on every request.
    present = {name.lower() for name, _ in response.headers}
    response.headers.extend(
        [(name, value) for name, value in SECURITY_HEADERS.items() if name.lower() not in present]
    )
    return response


def _static_caching(response: Response) -> Response:
    """Let browsers keep versioned static files; make them ask again for unversioned ones."""
    if request.endpoint != "static" or response.status_code not in (200, 304):
        return response
    from webapp.assets import static_version

    filename = (request.view_args or {}).get("filename", "")
    if request.args.get("v") != static_version(filename):
        response.headers["Cache-Control"] = "no-cache"
    elif response.cache_control.max_age:
        # The URL changes whenever the file does: this exact URL never changes.
        response.cache_control.immutable = True
    return response
