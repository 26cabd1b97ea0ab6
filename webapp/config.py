"""Configuration: defaults, then the environment (SECRET_KEY, DATABASE_URL, SEEDS_DIR)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEEDS_DIR = PROJECT_ROOT / "seeds"
SQLITE_FILE = "voices.sqlite"


def defaults(instance_path: str) -> dict[str, Any]:
    """Return the built-in settings: SQLite in the instance folder, the project's seeds."""
    return {
        # Only signs Flask's session cookie, which the reader never sets; override anyway.
        "SECRET_KEY": "dev",
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + os.path.join(instance_path, SQLITE_FILE),
        "SEEDS_DIR": str(DEFAULT_SEEDS_DIR),
        "AUTOLOAD_SEEDS": True,
        "SQLITE_BUSY_TIMEOUT_MS": 15_000,
    }


def from_environment(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return the settings given in the environment, translated to Flask config keys."""
    environ = os.environ if environ is None else environ
    settings: dict[str, Any] = {}
    if environ.get("SECRET_KEY"):
        settings["SECRET_KEY"] = environ["SECRET_KEY"]
    if environ.get("DATABASE_URL"):
        settings["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(environ["DATABASE_URL"])
    if environ.get("SEEDS_DIR"):
        settings["SEEDS_DIR"] = str(Path(environ["SEEDS_DIR"]).expanduser().resolve())
    return settings


def normalize_database_url(url: str) -> str:
    """Point bare postgres:// and postgresql:// URLs at psycopg 3, the driver we ship."""
    url = url.strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url
