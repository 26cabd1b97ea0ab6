"""Configuration: defaults, then the environment (see the README's configuration table)."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEEDS_DIR = PROJECT_ROOT / "seeds"
SQLITE_FILE = "voices.sqlite"
# Static URLs carry a hash of the file (?v=...), so browsers may keep them for a year.
STATIC_MAX_AGE = 365 * 24 * 3600
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def defaults(instance_path: str) -> dict[str, Any]:
    """Return the built-in settings: SQLite in the instance folder, the project's seeds."""
    return {
        # Only signs Flask's session cookie, which the reader never sets; override anyway.
        "SECRET_KEY": "dev",
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + os.path.join(instance_path, SQLITE_FILE),
        "SEEDS_DIR": str(DEFAULT_SEEDS_DIR),
        "AUTOLOAD_SEEDS": True,
        "SQLITE_BUSY_TIMEOUT_MS": 15_000,
        "SEND_FILE_MAX_AGE_DEFAULT": STATIC_MAX_AGE,
        "TRUSTED_HOSTS": None,
        "PROXY_FIX": 0,
        "LOAD_WORKERS": None,  # processes preparing seeds while loading: None = one per core
        "ADMIN_TOKEN": None,  # VOICES_ADMIN_TOKEN: the owner's sign-in; None = read only
        "FETCH_ALLOW_NETWORKS": [],  # non-public networks imports may reach ("127.0.0.0/8")
        "FETCH_TIMEOUT": 10.0,  # seconds for fetching a page to import, all of it
        "MAX_CONTENT_LENGTH": 4_000_000,  # bytes of a request body (the add form)
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
    if environ.get("AUTOLOAD_SEEDS"):
        settings["AUTOLOAD_SEEDS"] = parse_flag("AUTOLOAD_SEEDS", environ["AUTOLOAD_SEEDS"])
    if environ.get("TRUSTED_HOSTS"):
        settings["TRUSTED_HOSTS"] = parse_hosts(environ["TRUSTED_HOSTS"])
    if environ.get("LOAD_WORKERS"):
        settings["LOAD_WORKERS"] = parse_count("LOAD_WORKERS", environ["LOAD_WORKERS"])
    if environ.get("VOICES_ADMIN_TOKEN", "").strip():
        settings["ADMIN_TOKEN"] = parse_token(environ["VOICES_ADMIN_TOKEN"])
    if environ.get("FETCH_ALLOW_NETWORKS"):
        settings["FETCH_ALLOW_NETWORKS"] = parse_networks(environ["FETCH_ALLOW_NETWORKS"])
    if environ.get("PROXY_FIX"):
        settings["PROXY_FIX"] = parse_proxy_count(environ["PROXY_FIX"])
    return settings


def normalize_database_url(url: str) -> str:
    """Point bare postgres:// and postgresql:// URLs at psycopg 3, the driver we ship."""
    url = url.strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def parse_flag(name: str, value: str) -> bool:
    """Return a yes/no setting: 1, true, yes, on or 0, false, no, off."""
    word = value.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ValueError(f"{name}={value!r}: expected 1/true/yes/on or 0/false/no/off")


def parse_hosts(value: str) -> list[str]:
    """Return the host names of a comma-separated list ('.example.com' covers subdomains)."""
    return [host.strip().lower() for host in value.split(",") if host.strip()]


def parse_count(name: str, value: str) -> int:
    """Return a whole number of at least 1."""
    word = value.strip()
    if not word.isdigit() or int(word) < 1:
        raise ValueError(f"{name}={value!r}: expected a whole number of at least 1")
    return int(word)


def parse_proxy_count(value: str) -> int:
    """Return how many proxies to trust for X-Forwarded-*: a number, or a yes/no flag."""
    word = value.strip().lower()
    if word.isdigit():
        return int(word)
    return 1 if parse_flag("PROXY_FIX", word) else 0


MIN_TOKEN = 16  # characters: a token shorter than this could be guessed by trying


def parse_token(value: str) -> str:
    """Return the owner token, refusing one short enough to be guessed."""
    token = value.strip()
    if len(token) < MIN_TOKEN:
        raise ValueError(
            f"VOICES_ADMIN_TOKEN is {len(token)} characters: use at least {MIN_TOKEN}"
            " (e.g. `python -c 'import secrets; print(secrets.token_urlsafe())'`)"
        )
    return token


def parse_networks(value: str) -> list[str]:
    """Return a comma-separated list of networks ("10.0.0.0/8, ::1"), each checked."""
    networks = [word.strip() for word in value.split(",") if word.strip()]
    for network in networks:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            raise ValueError(f"FETCH_ALLOW_NETWORKS: {network!r} is not a network") from None
    return networks
