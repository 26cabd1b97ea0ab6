"""The API's OpenAPI 3.1 document: a data file of the package (openapi.json), read once
per process and served at /api/openapi.json."""

from __future__ import annotations

import contextlib
import json
from functools import cache, lru_cache
from importlib import metadata, resources
from typing import Any

DISTRIBUTION = "voices"  # the name in pyproject.toml, whose version the document carries


@cache
def document() -> dict[str, Any]:
    """Return the document as stored, with the installed package's version in info."""
    text = resources.files("webapp").joinpath("openapi.json").read_text(encoding="utf-8")
    found: dict[str, Any] = json.loads(text)
    # A checkout that was never installed keeps the file's own (kept equal by a test).
    with contextlib.suppress(metadata.PackageNotFoundError):
        found["info"]["version"] = metadata.version(DISTRIBUTION)
    return found


@lru_cache(maxsize=8)  # one script root per deployment; a few in tests
def served(script_root: str) -> bytes:
    """Return the document as sent: its servers' paths under the app's script root (the
    API's own links include it too), as JSON bytes."""
    stored = document()
    servers = [{**server, "url": script_root + server["url"]} for server in stored["servers"]]
    return json.dumps({**stored, "servers": servers}, ensure_ascii=False, indent=1).encode()
