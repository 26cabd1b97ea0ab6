"""The CLI commands: init-db, load-seeds [DIR], reanalyze."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner
from helpers import HARBOUR_SEED, MILL_SEED, PROJECT, WriteSeed
from sqlalchemy import func, inspect, select

from webapp.models import Article, Quote, db

pytestmark = pytest.mark.usefixtures("fake_engine")


def articles(app: Flask) -> list[str]:
    """Return the stored article slugs, sorted."""
    with app.app_context():
        return list(db.session.execute(select(Article.slug).order_by(Article.slug)).scalars())


def test_init_db_creates_the_tables(app: Flask, runner: FlaskCliRunner) -> None:
    with app.app_context():
        db.drop_all()
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "Initialised the database" in result.output
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
        search_index = {t for t in tables if t.startswith("articles_fts")}  # FTS5's own tables
        assert search_index == {"articles_fts"} | {
            f"articles_fts_{part}" for part in ("config", "data", "docsize", "idx")
        }
        assert tables - search_index == {
            "articles",
            "people",
            "article_people",
            "mentions",
            "quotes",
            "corrections",  # the owner's, kept apart from the engine's rows
            "library_state",  # the version that validates cached pages
            "alembic_version",  # the schema's revision: upgrades start from it
        }


def test_init_db_drop_empties_the_database(
    app: Flask, runner: FlaskCliRunner, seeds_dir: Path, write_seed: WriteSeed
) -> None:
    write_seed("harbour.txt", HARBOUR_SEED)
    assert runner.invoke(args=["load-seeds"]).exit_code == 0
    result = runner.invoke(args=["init-db", "--drop"])
    assert result.exit_code == 0, result.output
    assert articles(app) == []


def test_load_seeds_reports_progress_and_a_summary(
    app: Flask, runner: FlaskCliRunner, seeds_dir: Path, write_seed: WriteSeed
) -> None:
    write_seed("harbour.txt", HARBOUR_SEED)
    write_seed("broken.txt", "no title here\n")
    write_seed("mill.txt", MILL_SEED)
    result = runner.invoke(args=["load-seeds"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"Loading seeds from {seeds_dir}",
        "+ loaded    harbour.txt -> harbour-plan-approved",
        "+ loaded    mill.txt -> old-mill-reopens",
        "2 loaded, 0 updated, 0 unchanged, 1 skipped",
    ]
    assert result.stderr.splitlines() == [
        "! skipped   broken.txt:1: expected the title as '## Title'"
    ]
    assert articles(app) == ["harbour-plan-approved", "old-mill-reopens"]

    again = runner.invoke(args=["load-seeds"])
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines()[-1] == "0 loaded, 0 updated, 2 unchanged, 1 skipped"
    assert articles(app) == ["harbour-plan-approved", "old-mill-reopens"]


def test_load_seeds_from_another_directory_and_strict(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "mill.txt").write_text(MILL_SEED, encoding="utf-8")
    result = runner.invoke(args=["load-seeds", str(other)])
    assert result.exit_code == 0, result.output
    assert "+ loaded    mill.txt -> old-mill-reopens" in result.stdout
    (other / "empty.txt").write_text("", encoding="utf-8")
    strict = runner.invoke(args=["load-seeds", "--strict", str(other)])
    assert strict.exit_code == 1
    assert "empty.txt:1: file is empty" in strict.stderr


def test_load_seeds_warns_about_a_dropped_url(
    runner: FlaskCliRunner, write_seed: WriteSeed
) -> None:
    write_seed("js.txt", HARBOUR_SEED.replace("https://example.com/harbour", "javascript:x()"))
    result = runner.invoke(args=["load-seeds"])
    assert result.exit_code == 0, result.output
    assert "warning: js.txt:" in result.stderr
    assert "only http(s) links are kept" in result.stderr
    assert (
        result.stdout.splitlines()[-1] == "1 loaded, 0 updated, 0 unchanged, 0 skipped (1 warning)"
    )


def test_load_seeds_rejects_a_missing_directory(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = runner.invoke(args=["load-seeds", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_reanalyze_reruns_the_engine(
    app: Flask, runner: FlaskCliRunner, write_seed: WriteSeed
) -> None:
    write_seed("harbour.txt", HARBOUR_SEED)
    runner.invoke(args=["load-seeds"])
    result = runner.invoke(args=["reanalyze"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "~ updated   harbour.txt -> harbour-plan-approved",
        "Re-analysed: 0 loaded, 1 updated, 0 unchanged, 0 skipped",
    ]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Quote)) == 4


def flask(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the real `flask --app webapp ...` in a subprocess (the real engine, no fakes)."""
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "webapp", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def cli_env(tmp_path: Path, seeds_dir: Path) -> dict[str, str]:
    """Return an environment for `flask` on a fresh database, with a seed in SEEDS_DIR."""
    (seeds_dir / "harbour.txt").write_text(HARBOUR_SEED, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in {"FLASK_APP", "AUTOLOAD_SEEDS"}}
    return {
        **env,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}",
        "SEEDS_DIR": str(seeds_dir),
    }


def stored(env: dict[str, str]) -> list[str]:
    """Return the source names of the articles in the database of env."""
    engine = sa.create_engine(env["DATABASE_URL"])
    try:
        with engine.connect() as connection:
            names = connection.execute(sa.text("SELECT source_name FROM articles"))
            return sorted(names.scalars())
    finally:
        engine.dispose()


def test_flask_app_discovery_lists_the_commands(tmp_path: Path, cli_env: dict[str, str]) -> None:
    result = flask("--help", cwd=PROJECT, env=cli_env)
    assert result.returncode == 0, result.stderr
    listed = re.findall(r"^  ([a-z][a-z-]*)\s", result.stdout, flags=re.MULTILINE)
    assert {"init-db", "load-seeds", "reanalyze", "run", "routes", "shell"} <= set(listed)
    assert not (tmp_path / "cli.sqlite").exists()  # listing commands touches no database


def test_commands_do_not_load_seeds_dir_on_their_own(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "mill.txt").write_text(MILL_SEED, encoding="utf-8")
    result = flask("load-seeds", str(other), cwd=PROJECT, env=cli_env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "1 loaded, 0 updated, 0 unchanged, 0 skipped"
    assert stored(cli_env) == ["mill.txt"]  # not SEEDS_DIR's harbour.txt

    result = flask("init-db", "--drop", cwd=PROJECT, env=cli_env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Initialised the database (dropped first).\n"
    assert result.stderr == ""
    assert stored(cli_env) == []  # dropped, and nothing analysed or loaded again


def test_init_db_explains_a_database_from_an_older_version(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    engine = sa.create_engine(cli_env["DATABASE_URL"])
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE articles (id INTEGER PRIMARY KEY, slug TEXT)"))
    engine.dispose()
    result = flask("init-db", cwd=PROJECT, env=cli_env)
    assert result.returncode == 1
    assert "too old to upgrade (missing articles.source_name" in result.stderr
    assert "init-db --drop" in result.stderr
    assert flask("init-db", "--drop", cwd=PROJECT, env=cli_env).returncode == 0


# A database that cannot be written ----------------------------------------------------


def read_only(env: dict[str, str]) -> dict[str, str]:
    """Return env with its SQLite database opened read-only (root ignores file modes)."""
    path = env["DATABASE_URL"].removeprefix("sqlite:///")
    return {**env, "DATABASE_URL": f"sqlite:///file:{path}?mode=ro&uri=true"}


def test_a_read_only_database_stops_the_load_with_one_line(
    cli_env: dict[str, str], tmp_path: Path, seeds_dir: Path
) -> None:
    assert flask("load-seeds", cwd=tmp_path, env=cli_env).returncode == 0
    (seeds_dir / "mill.txt").write_text(MILL_SEED, encoding="utf-8")
    (seeds_dir / "zzz.txt").write_text(MILL_SEED.replace("Old mill", "New mill"), encoding="utf-8")
    result = flask("load-seeds", cwd=tmp_path, env=read_only(cli_env))
    assert result.returncode == 3, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith("error: cannot use the database sqlite:///")
    assert "cli.sqlite" in errors[0]  # which database
    assert errors[0].endswith(": attempt to write a readonly database")  # and why
    assert "Traceback" not in result.stderr
    assert not re.search(r"\b(INSERT|UPDATE|SELECT)\b", result.stderr + result.stdout)
    assert "zzz.txt" not in result.stdout  # stopped at the first failure
    assert stored(cli_env) == ["harbour.txt"]  # nothing lost, nothing half-written


def test_verbose_shows_the_traceback_of_a_database_failure(
    cli_env: dict[str, str], tmp_path: Path, seeds_dir: Path
) -> None:
    assert flask("load-seeds", cwd=tmp_path, env=cli_env).returncode == 0
    (seeds_dir / "mill.txt").write_text(MILL_SEED, encoding="utf-8")
    result = flask("load-seeds", "--verbose", cwd=tmp_path, env=read_only(cli_env))
    assert result.returncode == 3
    assert "Traceback" in result.stderr
    assert result.stderr.rstrip().splitlines()[-1].startswith("error: cannot use the database")


def test_load_seeds_prune_reports_what_it_removed(
    app: Flask, runner: FlaskCliRunner, seeds_dir: Path, write_seed: WriteSeed
) -> None:
    write_seed("harbour.txt", HARBOUR_SEED)
    write_seed("mill.txt", MILL_SEED)
    assert runner.invoke(args=["load-seeds"]).exit_code == 0
    (seeds_dir / "mill.txt").unlink()
    assert articles(app) == ["harbour-plan-approved", "old-mill-reopens"]  # not without --prune
    result = runner.invoke(args=["load-seeds", "--prune"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-2:] == [
        "- removed   mill.txt -> old-mill-reopens",
        "0 loaded, 0 updated, 1 unchanged, 0 skipped, 1 removed",
    ]
    assert articles(app) == ["harbour-plan-approved"]


def test_on_a_terminal_loading_shows_a_progress_bar_and_the_problems(
    app: Flask,
    runner: FlaskCliRunner,
    write_seed: WriteSeed,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import webapp.cli

    monkeypatch.setattr(webapp.cli, "on_terminal", lambda: True)
    write_seed("harbour.txt", HARBOUR_SEED)
    write_seed("broken.txt", "no title here\n")
    result = runner.invoke(args=["load-seeds"])
    assert result.exit_code == 0, result.output
    assert "Loading" in result.stdout  # click's progress bar, labelled
    assert "+ loaded" not in result.stdout  # no line per file: the bar counts them
    assert "! skipped   broken.txt:1: expected the title" in result.stderr
    assert result.stdout.rstrip().splitlines()[-1] == "1 loaded, 0 updated, 0 unchanged, 1 skipped"
    assert articles(app) == ["harbour-plan-approved"]
