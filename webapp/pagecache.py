"""Finished responses replayed per worker for as long as the library is unchanged.

The pages never change between loads. A view marks its response replayable (the list, the
reading page, the API's list); the first time a worker sends it, every byte and header of
it is kept, keyed by the library's version and everything the response depends on (host,
path and query, gzip or not). The next identical request is answered from memory, in
front of Flask: one tiny query for the version, then a dictionary lookup.

The version is one row (library_state) that every transaction changing an article bumps,
so a write by any process (load-seeds while the server runs) is seen by the next request.
It is read before the response is made, so a kept response is never older than its key.
Requests carrying cookies (a signed-in owner) are never replayed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import chain
from typing import Any

from flask import Flask, Response, current_app, request
from sqlalchemy import Engine, event
from sqlalchemy.orm import ORMExecuteState, Session
from werkzeug.datastructures import ETags
from werkzeug.http import parse_accept_header, parse_etags, unquote_etag

from webapp.assets import site_fingerprint
from webapp.compress import VersionCache
from webapp.models import Article, db

RESPONSES_KEPT = 512  # finished responses kept per worker (a few MB)
_VERSION = "SELECT version FROM library_state WHERE id = 1"
_BUMP = "UPDATE library_state SET version = version + 1 WHERE id = 1"
_REPLAYABLE = "voices.replayable"  # set in the WSGI environ by replayable()

WSGIApp = Any


@dataclass(frozen=True)
class Kept:
    """A finished 200 response: its status line, headers (as sent) and body."""

    status: str
    headers: list[tuple[str, str]]
    body: bytes
    etag: str


def library_version(engine: Engine) -> int | None:
    """Return the library's version (None when the row is missing: nothing is replayed).

    Read on the driver's own cursor: this runs on every request for a page, and most of
    the cost of a SELECT through SQLAlchemy is its statement machinery. Raises what the
    driver raises when the database cannot be read.
    """
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute(_VERSION)
        row = cursor.fetchone()
        cursor.close()
    finally:
        connection.close()  # back to the pool, which ends the read transaction
    return None if row is None else int(row[0])


def replayable(
    etag: str, make: Callable[[], Response], parameters: tuple[str, ...] = ()
) -> Response:
    """Answer a request for a page that changes only with the library: conditionally (see
    conditional()), and kept by the worker so the same request is replayed until a change.

    Only requests whose query holds nothing but these parameters, once each, are kept:
    `/?utm=1`, `/?utm=2`, ... are answered but would only push real pages out.
    """
    names = [name for name, _ in request.args.items(multi=True)]
    if set(names) <= set(parameters) and len(names) == len(set(names)):
        request.environ[_REPLAYABLE] = True
    return conditional(etag, make)


def conditional(etag: str, make: Callable[[], Response]) -> Response:
    """Answer 304 when the client holds this version, else make() the response; either way
    with the ETag and no-cache (caches ask again, cheaply, every time)."""
    response = Response(status=304) if request.if_none_match.contains_weak(etag) else make()
    response.set_etag(etag)
    response.headers["Cache-Control"] = "no-cache"
    return response


def fingerprint() -> str:
    """Return the site's fingerprint (code, templates, static files), computed once."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    known = app.extensions.get("voices-site")
    if known is None or app.debug:
        known = app.extensions["voices-site"] = site_fingerprint(app)
    return known  # type: ignore[no-any-return]


def replay_kept(app: Flask) -> WSGIApp:
    """Return app's WSGI callable answering repeated requests for replayable pages from
    memory (not in debug mode, where templates change under a running server)."""
    inner = app.wsgi_app
    if app.debug:
        return inner
    with app.app_context():
        engine = db.engine
    kept: VersionCache[Kept] = VersionCache(RESPONSES_KEPT)

    def replay(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "GET" or "HTTP_COOKIE" in environ:
            return inner(environ, start_response)  # type: ignore[no-any-return]
        try:
            version = library_version(engine)
        except Exception:  # the database cannot be read: the app answers (503, 404, files)
            version = None
        if version is None:
            return inner(environ, start_response)  # type: ignore[no-any-return]
        key = _key(version, environ)
        found = kept.find(key)
        if found is not None:
            return _send(found, environ, start_response)
        recorded: list[Any] = []

        def record(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
            recorded[:] = [status, headers]
            return start_response(status, headers, *exc)

        body = inner(environ, record)
        if (
            environ.get(_REPLAYABLE)
            and recorded
            and recorded[0].startswith("200")
            and not any(name.lower() == "set-cookie" for name, _ in recorded[1])
        ):
            # The body of a page is one bytes object already; join it to keep it.
            data = b"".join(body)
            if hasattr(body, "close"):
                body.close()
            headers = list(recorded[1])
            etag = next((v for k, v in headers if k.lower() == "etag"), "")
            kept.keep(key, Kept(recorded[0], headers, data, etag))
            return [data]
        return body  # type: ignore[no-any-return]

    return replay


def _key(version: int, environ: dict[str, Any]) -> str:
    """Return what a page's response depends on: the library, where it was asked, whether
    it may be gzipped."""
    gzip = bool(parse_accept_header(environ.get("HTTP_ACCEPT_ENCODING"))["gzip"])
    return "\0".join(
        (
            str(version),
            environ.get("wsgi.url_scheme", ""),
            environ.get("HTTP_HOST", ""),
            environ.get("SCRIPT_NAME", ""),
            environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""),
            "gzip" if gzip else "",
        )
    )


def _send(found: Kept, environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """Send a kept response, or 304 when the client holds its ETag (as the view would)."""
    held: ETags = parse_etags(environ.get("HTTP_IF_NONE_MATCH"))
    if found.etag and held.contains_weak(unquote_etag(found.etag)[0] or ""):
        headers = [(k, v) for k, v in found.headers if k.lower() not in _BODY_HEADERS]
        start_response("304 NOT MODIFIED", headers)
        return []
    start_response(found.status, found.headers)
    return [found.body]


# Headers describing a body, which a 304 does not have (RFC 9110, 15.4.5).
_BODY_HEADERS = frozenset({"content-length", "content-type", "content-encoding"})


def watch_changes(session: Any) -> None:
    """Bump the library's version in the transaction of every change to an article.

    Inserts, updates and deletes through the ORM are seen at flush; INSERT, UPDATE and
    DELETE statements on articles run through the session when they run. The bump
    commits, or rolls back, with the change.
    """
    event.listen(session, "after_flush", _after_flush)
    event.listen(session, "do_orm_execute", _on_statement)
    event.listen(session, "after_transaction_end", _transaction_ended)


def _after_flush(session: Session, _context: Any) -> None:
    # session.dirty holds every row an attribute was set on, changed or not.
    for row in chain(session.new, session.deleted, session.dirty):
        if isinstance(row, Article) and (row not in session.dirty or session.is_modified(row)):
            _bump(session)
            return


def _on_statement(state: ORMExecuteState) -> None:
    # Statements on articles through the ORM; text() SQL and the bare connection are
    # not seen, and the app never writes articles that way.
    changes = state.is_insert or state.is_update or state.is_delete
    if changes and Article.__mapper__ in state.all_mappers:
        _bump(state.session)


_BUMPED = "voices-library-version-bumped"  # in session.info, for the open transaction


def _bump(session: Session) -> None:
    if session.info.get(_BUMPED):  # once a transaction is enough
        return
    # Plain SQL on the session's connection: this runs once per stored article, and an ORM
    # UPDATE statement costs more to build than to run.
    session.connection().exec_driver_sql(_BUMP)
    session.info[_BUMPED] = True


def _transaction_ended(session: Session, _transaction: Any) -> None:
    # Any end, a savepoint's too: a bump rolled back with a savepoint is made again.
    session.info.pop(_BUMPED, None)
