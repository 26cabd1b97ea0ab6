"""gzip for clients that accept it: text, JSON, CSS and scripts, compressed once per
version of a response (its ETag) and sent with Vary: Accept-Encoding."""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

from flask import Flask, Response, request

COMPRESSIBLE = frozenset(
    {
        "text/html",
        "text/css",
        "text/plain",
        "application/json",
        "application/javascript",
        "text/javascript",
        "image/svg+xml",
    }
)
MIN_BYTES = 500  # smaller bodies gain less than the header costs
CACHE_ENTRIES = 512  # compressed bodies kept per worker, by ETag (a few MB)
LEVEL = 6


T = TypeVar("T")


class VersionCache(Generic[T]):
    """A small LRU of values (bodies, responses) by version key, shared by a worker's
    threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[str, T] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str | None, make: Callable[[], T]) -> T:
        """Return the value of this version, made by make() only the first time it is asked
        (every time when key is None)."""
        if key is None:
            return make()
        found = self.find(key)
        if found is not None:
            return found
        made = make()
        self.keep(key, made)
        return made

    def find(self, key: str) -> T | None:
        """Return the value kept for key, if any (and mark it recently used)."""
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
            return found

    def keep(self, key: str, value: T) -> None:
        """Keep value for key, forgetting the least recently used beyond the size."""
        with self.lock:
            self.entries[key] = value
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


def _gzip(body: bytes) -> bytes:
    """Return body gzipped, the same bytes every time (no time stamp)."""
    return gzip.compress(body, compresslevel=LEVEL, mtime=0)


def init_app(app: Flask) -> None:
    """Compress the app's responses where the client accepts gzip."""
    cache: VersionCache[bytes] = VersionCache(CACHE_ENTRIES)

    def compress(response: Response) -> Response:
        if response.mimetype not in COMPRESSIBLE:
            return response
        response.vary.add("Accept-Encoding")  # caches keep both forms apart
        if (
            response.status_code != 200
            or "Content-Encoding" in response.headers
            or request.method == "HEAD"
            or not request.accept_encodings["gzip"]
        ):
            return response
        response.direct_passthrough = False  # static files: read the (small) file
        body = response.get_data()
        response.close()  # the file of a static response is read: close it now
        if len(body) < MIN_BYTES:
            return response
        etag, _ = response.get_etag()
        key = f"{request.path}\0{etag}" if etag else None
        response.set_data(cache.get(key, lambda: _gzip(body)))
        response.headers["Content-Encoding"] = "gzip"
        if etag:
            # The same representation, encoded: a weak validator (as nginx gives), which
            # the views' If-None-Match checks accept.
            response.set_etag(etag, weak=True)
        return response

    app.after_request(compress)
