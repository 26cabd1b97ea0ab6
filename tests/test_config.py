"""Configuration: defaults, the environment, the test config and folders."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
import pytest
from flask import Flask
from helpers import PROJECT, count

from webapp import config, create_app, serving
from webapp.models import Article


def test_defaults_use_sqlite_in_instance_folder_and_project_seeds() -> None:
    settings = config.defaults("/srv/voices/instance")
    assert settings["SQLALCHEMY_DATABASE_URI"] == "sqlite:////srv/voices/instance/voices.sqlite"
    assert settings["SEEDS_DIR"] == str(PROJECT / "seeds")
    assert settings["AUTOLOAD_SEEDS"] is True


def test_environment_settings_are_read() -> None:
    settings = config.from_environment(
        {"SECRET_KEY": "s3cret", "DATABASE_URL": "sqlite:///x.db", "SEEDS_DIR": "/tmp/seeds"}
    )
    assert settings == {
        "SECRET_KEY": "s3cret",
        "SQLALCHEMY_DATABASE_URI": "sqlite:///x.db",
        "SEEDS_DIR": "/tmp/seeds",
    }


def test_empty_environment_changes_nothing() -> None:
    assert config.from_environment({"SECRET_KEY": "", "UNRELATED": "1"}) == {}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        (" sqlite:///a.db ", "sqlite:///a.db"),
    ],
)
def test_database_urls_are_normalized(url: str, expected: str) -> None:
    assert config.normalize_database_url(url) == expected


def test_create_app_reads_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    seeds = tmp_path / "env-seeds"
    seeds.mkdir()
    monkeypatch.setenv("SECRET_KEY", "from-env")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite'}")
    monkeypatch.setenv("SEEDS_DIR", str(seeds))
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance")})
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'env.sqlite'}"
    assert app.config["SEEDS_DIR"] == str(seeds)
    assert (tmp_path / "env.sqlite").exists()


def test_default_database_lives_in_the_instance_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, seeds_dir: Path
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    instance = tmp_path / "instance"
    app = create_app({"INSTANCE_PATH": str(instance), "SEEDS_DIR": str(seeds_dir)})
    assert app.instance_path == str(instance)
    assert (instance / "voices.sqlite").exists()


def test_test_config_wins_over_the_environment(
    monkeypatch: pytest.MonkeyPatch, make_app: Callable[..., Flask]
) -> None:
    monkeypatch.setenv("SECRET_KEY", "from-env")
    app = make_app(SECRET_KEY="from-test")
    assert app.config["SECRET_KEY"] == "from-test"
    assert app.testing


def test_templates_and_static_are_top_level_absolute_folders(app: Flask) -> None:
    assert app.template_folder == str(PROJECT / "templates")
    assert app.static_folder == str(PROJECT / "static")
    assert Path(app.template_folder).is_absolute()


def test_the_optional_settings_are_read_from_the_environment() -> None:
    settings = config.from_environment(
        {
            "AUTOLOAD_SEEDS": "off",
            "TRUSTED_HOSTS": " voices.example.org, .example.org ,,",
            "PROXY_FIX": "2",
            "LOAD_WORKERS": " 3 ",
        }
    )
    assert settings == {
        "AUTOLOAD_SEEDS": False,
        "TRUSTED_HOSTS": ["voices.example.org", ".example.org"],
        "PROXY_FIX": 2,
        "LOAD_WORKERS": 3,
    }
    assert config.from_environment({"AUTOLOAD_SEEDS": "yes", "PROXY_FIX": "true"}) == {
        "AUTOLOAD_SEEDS": True,
        "PROXY_FIX": 1,
    }
    with pytest.raises(ValueError, match="AUTOLOAD_SEEDS='maybe'"):
        config.from_environment({"AUTOLOAD_SEEDS": "maybe"})
    for bad in ("0", "two", "-1"):
        with pytest.raises(ValueError, match=f"LOAD_WORKERS={bad!r}"):
            config.from_environment({"LOAD_WORKERS": bad})


def test_autoload_can_be_switched_off_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, seeds_dir: Path
) -> None:
    (seeds_dir / "mill.txt").write_text("## Old mill\n\nThe mill reopened.\n", encoding="utf-8")
    monkeypatch.setenv("AUTOLOAD_SEEDS", "0")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'off.sqlite'}")
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "SEEDS_DIR": str(seeds_dir)})
    assert app.config["AUTOLOAD_SEEDS"] is False
    with app.app_context():
        assert count(Article) == 0  # the tables exist, nothing was loaded


def test_serving_is_everything_but_a_flask_command_other_than_run() -> None:
    assert serving() is True  # gunicorn importing wsgi.py, tests, scripts
    for name, expected in [("run", True), ("init-db", False), ("load-seeds", False)]:
        with click.Context(click.Command(name)):
            assert serving() is expected, name


def test_a_serving_app_is_warm_before_any_request(app: Flask) -> None:
    # gunicorn forks its workers after create_app (preload): what is done here is done once.
    cached = {name for (_, name) in (app.jinja_env.cache or {})}
    assert {"index.html", "article.html", "404.html", "500.html"} <= cached
    assert "voices-site" in app.extensions  # the site's fingerprint, part of every ETag
