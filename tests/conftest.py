"""Shared fixtures: a fresh app and database per test, a stand-in engine, test seeds."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from helpers import HARBOUR_SEED, MILL_SEED, SEED_FILE, Page, fake_analyze

import webapp.analysis
from webapp import create_app, library
from webapp.analysis.result import Analysis
from webapp.models import db


@pytest.fixture
def seeds_dir(tmp_path: Path) -> Path:
    """Return an empty folder for seed files."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    return folder


@pytest.fixture
def make_app(tmp_path: Path, seeds_dir: Path) -> Iterator[Callable[..., Flask]]:
    """Return a factory for apps on the test's own SQLite file, instance folder and seeds."""
    apps: list[Flask] = []

    def factory(**settings: Any) -> Flask:
        config = {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'voices.sqlite'}",
            "SEEDS_DIR": str(seeds_dir),
            "INSTANCE_PATH": str(tmp_path / "instance"),
            **settings,
        }
        app = create_app(config)
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    """Return an app with a fresh, empty database."""
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Return a test client for app."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """Return a CLI runner for app."""
    return app.test_cli_runner()


@pytest.fixture
def fake_engine(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], Analysis]:
    """Replace the analysis engine with the fixed-name stand-in above."""
    monkeypatch.setattr(webapp.analysis, "analyze", fake_analyze, raising=False)
    return fake_analyze


@pytest.fixture
def write_seed(seeds_dir: Path) -> Callable[[str, str | bytes], Path]:
    """Return a function that writes a seed file into seeds_dir."""

    def write(name: str, content: str | bytes) -> Path:
        path = seeds_dir / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write


@pytest.fixture
def real_seed(seeds_dir: Path) -> Path:
    """Copy the project's seed document into seeds_dir."""
    return Path(shutil.copy(SEED_FILE, seeds_dir / SEED_FILE.name))


@pytest.fixture
def parse() -> Callable[[str], Page]:
    """Return the HTML parser for tests."""
    return Page


@pytest.fixture
def harbour(
    app: Flask, seeds_dir: Path, write_seed: Callable[[str, str | bytes], Path], fake_engine: object
) -> str:
    """Load the harbour and mill test seeds (with the stand-in engine); return harbour's slug."""
    write_seed("harbour.txt", HARBOUR_SEED)
    write_seed("mill.txt", MILL_SEED)
    with app.app_context():
        library.load_seeds(seeds_dir)
    return "harbour-plan-approved"


POSTGRES_URL = os.environ.get(
    "VOICES_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """Yield a URL into a fresh schema of the test PostgreSQL database, dropped afterwards."""
    engine = sa.create_engine(POSTGRES_URL)
    try:
        with engine.connect():
            pass
    except sa.exc.OperationalError as err:
        engine.dispose()
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI: {err}")
        pytest.skip(f"PostgreSQL not reachable: {err}")
    schema = f"voices_test_{uuid.uuid4().hex[:10]}"
    with engine.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture
def news_server() -> Iterator[str]:
    """Serve a news page, redirects and odd answers on 127.0.0.1; yield its base URL.

    /article: the news page; /moved: a redirect to /article; /to-private: a redirect to
    a private address; /pdf: not HTML; /huge: over the size limit.
    """
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from helpers import NEWS_PAGE

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            routes: dict[str, tuple[int, dict[str, str], bytes]] = {
                "/article": (200, {"Content-Type": "text/html; charset=utf-8"}, NEWS_PAGE.encode()),
                "/moved": (301, {"Location": "/article"}, b""),
                "/to-private": (302, {"Location": "http://10.1.2.3/article"}, b""),
                "/pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4"),
                "/huge": (200, {"Content-Type": "text/html"}, b"<p>x</p>" * 1_000_000),
            }
            status, headers, body = routes.get(self.path, (404, {}, b"not here"))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass  # keep the test output clean

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
