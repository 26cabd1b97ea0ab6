"""Configuration: defaults, the environment, the test config and folders."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from webapp import config, create_app

PROJECT = Path(__file__).resolve().parent.parent


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
