"""WSGI middleware that normalises what clients send before Flask reads it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

WSGIApp = Any


def lower_host(app: WSGIApp) -> WSGIApp:
    """Return app seeing the Host header in lower case: host names ignore case (RFC 4343),
    so TRUSTED_HOSTS matches "Voices.Example" as it matches "voices.example"."""

    def wrapped(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        for key in ("HTTP_HOST", "SERVER_NAME"):
            if key in environ:
                environ[key] = environ[key].lower()
        return app(environ, start_response)

    return wrapped
