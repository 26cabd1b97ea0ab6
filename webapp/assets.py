"""Static files and the site's fingerprint: hashed URLs that caches may keep for a year,
and the hash of code, templates and static files that is part of every page's ETag."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app, url_for


def asset(filename: str) -> str:
    """Return the URL of a static file with a content hash, so caches see changes."""
    return url_for("static", filename=filename, v=static_version(filename))


def static_version(filename: str) -> str:
    """Return a short hash of a static file's contents ('0' if it is missing)."""
    path = Path(current_app.static_folder or "", filename)
    try:
        info = path.stat()
    except OSError:
        return "0"
    return _file_hash(str(path), info.st_mtime_ns, info.st_size)


@lru_cache(maxsize=64)
def _file_hash(path: str, mtime_ns: int, size: int) -> str:
    """Return a short hash of a file's contents; cached per modification time and size."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]
    except OSError:
        return "0"


def site_fingerprint(app: Flask) -> str:
    """Return a hash of the code, templates and static files: part of every page's ETag."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent  # the webapp package
    folders = [
        (package, "*.py"),
        *((Path(f), "*") for f in (app.template_folder, app.static_folder) if f),
    ]
    for root, pattern in folders:
        for path in sorted(root.rglob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]
