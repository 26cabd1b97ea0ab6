"""The CLI commands: init-db, load-seeds [DIR], reanalyze."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import HARBOUR_SEED, MILL_SEED
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, inspect, select

from webapp.models import Article, Quote, db

pytestmark = pytest.mark.usefixtures("fake_engine")
WriteSeed = Callable[[str, str | bytes], Path]


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
        assert set(inspect(db.engine).get_table_names()) == {
            "articles",
            "people",
            "article_people",
            "mentions",
            "quotes",
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


def test_flask_app_discovery_lists_the_commands(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["--help"])
    assert result.exit_code == 0
    for command in ("init-db", "load-seeds", "reanalyze"):
        assert command in result.output
