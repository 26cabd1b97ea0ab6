"""Voices: a news reader that shows who is speaking.

Importing the package loads nothing else, so its analysis engine (webapp.analysis) runs
without Flask or a database; the app factory is loaded from webapp.factory on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from webapp.factory import CONTENT_SECURITY_POLICY, SECURITY_HEADERS, create_app, serving

__all__ = ["CONTENT_SECURITY_POLICY", "SECURITY_HEADERS", "create_app", "serving"]


def __getattr__(name: str) -> Any:
    """Load the app factory's names lazily (PEP 562): `from webapp import create_app`."""
    if name in __all__:
        return getattr(import_module("webapp.factory"), name)
    raise AttributeError(f"module 'webapp' has no attribute {name!r}")
