"""Real gunicorn, two workers, a fresh database: the pages over HTTP, no duplicate rows."""

from __future__ import annotations

import os
import re
import runpy
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from helpers import HARBOUR_SEED, PROJECT, SEED_FILE, SEED_SLUG, Page

pytestmark = pytest.mark.server


def free_port() -> int:
    """Return a TCP port that is free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> tuple[int, str]:
    """GET url; return the status and the body."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    """Poll url until the server answers or dies."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited with {process.returncode}")
        try:
            fetch(url)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn did not answer at {url} within {seconds}s")


def test_gunicorn_serves_the_reader_on_a_fresh_database(
    tmp_path: Path, parse: Callable[[str], Page]
) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED_FILE, seeds / SEED_FILE.name)
    (seeds / "harbour.txt").write_text(HARBOUR_SEED, encoding="utf-8")
    database = tmp_path / "fresh.sqlite"
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "SEEDS_DIR": str(seeds),
        "SECRET_KEY": "gunicorn-test",
        # The packaged configuration, told where to listen and how many workers to start.
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
    }
    log = (tmp_path / "gunicorn.log").open("w+b")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "webapp/gunicorn.conf.py", "wsgi:app"],
        cwd=PROJECT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/", process)
        # Several requests, so that both workers are likely to answer some.
        for _ in range(6):
            status, body = fetch(base + "/")
            assert status == 200
            index = parse(body)
            assert [e.attrs["data-article"] for e in index.all(lambda e: "data-article" in e.attrs)]
        status, body = fetch(f"{base}/articles/{SEED_SLUG}")
        assert status == 200
        page = parse(body)
        marks = page.all(lambda e: e.tag == "mark" and "id" in e.attrs)
        assert [m.attrs["data-quote"] for m in marks] == [f"q{n}" for n in range(1, 12)]
        assert page.by_id("source-link").attrs["href"].startswith("https://www.themoscowtimes.com/")
        assert fetch(f"{base}/articles/missing")[0] == 404
        status, health = fetch(f"{base}/healthz")
        assert status == 200 and '"status":"ok"' in health.replace(" ", "")
        status, css = fetch(f"{base}/static/reader.css")
        assert status == 200 and "mark.quote" in css
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.seek(0)
        output = log.read().decode(errors="replace")
        log.close()
    assert "Traceback" not in output, output
    assert output.count("Booting worker") == 2, output  # WEB_CONCURRENCY
    assert re.search(r'"GET /healthz HTTP/1.1" 200 \d+ \d+ms', output), output  # access log

    engine = sa.create_engine(f"sqlite:///{database}")
    with engine.connect() as connection:

        def rows(sql: str) -> list[tuple[object, ...]]:
            return [tuple(r) for r in connection.execute(sa.text(sql))]

        assert rows("SELECT source_name FROM articles ORDER BY source_name") == [
            (SEED_FILE.name,),
            ("harbour.txt",),
        ]
        assert rows(
            "SELECT count(*) FROM quotes JOIN articles ON articles.id = quotes.article_id"
            f" WHERE articles.slug = '{SEED_SLUG}'"
        ) == [(11,)]
        assert rows("SELECT slug, count(*) FROM people GROUP BY slug HAVING count(*) > 1") == []
        assert (
            rows(
                "SELECT article_id, person_id, count(*) FROM article_people"
                " GROUP BY article_id, person_id HAVING count(*) > 1"
            )
            == []
        )
        assert (
            rows(
                'SELECT article_id, start, "end", count(*) FROM mentions'
                ' GROUP BY article_id, person_id, start, "end" HAVING count(*) > 1'
            )
            == []
        )
    engine.dispose()


@pytest.mark.parametrize(
    ("environ", "bind", "workers"),
    [
        ({}, "127.0.0.1:8000", os.cpu_count() * 2 + 1),  # type: ignore[operator]
        ({"PORT": "9000"}, "0.0.0.0:9000", os.cpu_count() * 2 + 1),  # type: ignore[operator]
        (
            {"PORT": "9000", "BIND": "unix:/run/voices.sock", "WEB_CONCURRENCY": "3"},
            "unix:/run/voices.sock",
            3,
        ),
    ],
)
def test_the_packaged_configuration_reads_the_environment(
    monkeypatch: pytest.MonkeyPatch, environ: dict[str, str], bind: str, workers: int
) -> None:
    for name in ("PORT", "BIND", "WEB_CONCURRENCY", "FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    settings = runpy.run_path(str(PROJECT / "webapp" / "gunicorn.conf.py"))
    assert (settings["bind"], settings["workers"]) == (bind, workers)
    assert settings["forwarded_allow_ips"] == "127.0.0.1"  # only the local proxy by default
    assert settings["timeout"] >= 30


def test_workers_are_preloaded_and_restarted_only_when_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("MAX_REQUESTS", raising=False)
    settings = runpy.run_path(str(PROJECT / "webapp" / "gunicorn.conf.py"))
    assert settings["preload_app"] is True
    assert (settings["max_requests"], settings["max_requests_jitter"]) == (0, 0)
    monkeypatch.setenv("MAX_REQUESTS", "5000")
    settings = runpy.run_path(str(PROJECT / "webapp" / "gunicorn.conf.py"))
    assert (settings["max_requests"], settings["max_requests_jitter"]) == (5000, 500)
