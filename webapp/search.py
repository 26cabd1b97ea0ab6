"""Full-text search over the library (headlines, text and quotations): the index's schema,
the query, and the /search page with highlighted snippets.

SQLite keeps an FTS5 table in step with `articles` by triggers; PostgreSQL a generated
tsvector column with a GIN index. Neither is in the models: the DDL below joins
`create_all` for a new database, and migration 0004 adds it to an existing one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import Blueprint, abort, render_template, request
from markupsafe import Markup, escape
from sqlalchemy import Date, event, text
from sqlalchemy.exc import DBAPIError

from webapp.models import Article, db
from webapp.render import clean

bp = Blueprint("search", __name__)

HITS_PER_PAGE = 20  # a page of results: enough to scan, few snippets to make
MAX_QUERY = 200  # characters: longer is not a search someone typed
SNIPPET_WORDS = 24  # words around the best match (SQLite's snippet() allows 64)
TITLE_WEIGHT = 4.0  # a word of the headline counts this many times one of the text
# Ranking reads every match; past this many (a common word in a large library) results
# come newest added first, read in the index's own order: a page costs the same at ten
# thousand matches as at ten, and the page says so.
RANKED_LIMIT = 1000
# Private-use characters around matched words: never markup, so the snippet is escaped
# whole and only then are they turned into <mark> and </mark>.
OPEN, CLOSE = "\ue000", "\ue001"
ELLIPSIS = "…"

FTS_TABLE = "articles_fts"
VECTOR_COLUMN = "search_vector"
VECTOR_INDEX = "ix_articles_search_vector"

# External content: the FTS table stores only the index and reads title and text from
# articles; the triggers keep it in step with every insert, update and delete, whatever
# makes them (the ORM, plain SQL, a cascade).
SQLITE_SCHEMA = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, text, content='articles', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER {FTS_TABLE}_insert AFTER INSERT ON articles BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    f"CREATE TRIGGER {FTS_TABLE}_delete AFTER DELETE ON articles BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); END",
    # Only a change of what is indexed: storing an article rewrites other columns often.
    f"CREATE TRIGGER {FTS_TABLE}_update AFTER UPDATE OF id, title, text ON articles BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); "
    f"INSERT INTO {FTS_TABLE}(rowid, title, text) VALUES (new.id, new.title, new.text); END",
)
# A stored column, not an expression index: ranking reads every match's vector, which an
# expression index would make PostgreSQL compute again from the text for each one.
POSTGRESQL_SCHEMA = (
    f"ALTER TABLE articles ADD COLUMN {VECTOR_COLUMN} tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english', title), 'A') || "
    "setweight(to_tsvector('english', \"text\"), 'D')) STORED",
    f"CREATE INDEX {VECTOR_INDEX} ON articles USING gin ({VECTOR_COLUMN})",
)
SCHEMA = {"sqlite": SQLITE_SCHEMA, "postgresql": POSTGRESQL_SCHEMA}


def _create_index(_table: Any, connection: Any, **_: Any) -> None:
    for statement in SCHEMA.get(connection.dialect.name, ()):
        connection.exec_driver_sql(statement)


def _drop_index(_table: Any, connection: Any, **_: Any) -> None:
    # SQLite drops the triggers with the table, not the FTS table (PostgreSQL drops all).
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS {FTS_TABLE}")


# A new database gets the index with its articles table (create_all; migration 0004 for
# an existing one); drop_all takes it away (init-db --drop).
event.listen(Article.__table__, "after_create", _create_index)
event.listen(Article.__table__, "after_drop", _drop_index)


class SearchError(ValueError):
    """The query cannot be searched; the message says why, in words for the reader."""


@dataclass(frozen=True)
class Hit:
    """One article found: where it is, and a few words of it around what matched."""

    slug: str
    title: str
    published: date | None
    snippet_html: Markup  # escaped text, the matched words in <mark>
    snippet_text: str


@dataclass(frozen=True)
class SearchPage:
    """One page of results, best first (plain data: the JSON API serialises it)."""

    query: str
    hits: list[Hit]
    total: int  # articles found
    number: int  # from 1
    ranked: bool = True  # best match first; False: over RANKED_LIMIT, latest added first
    pages: int = field(init=False)  # at least one, even with no results
    previous: int | None = field(init=False)
    next: int | None = field(init=False)

    def __post_init__(self) -> None:
        pages = max(1, -(-self.total // HITS_PER_PAGE))
        object.__setattr__(self, "pages", pages)
        object.__setattr__(self, "previous", self.number - 1 if self.number > 1 else None)
        object.__setattr__(self, "next", self.number + 1 if self.number < pages else None)


@dataclass(frozen=True)
class Term:
    """A word or a quoted phrase of the query: its words, whether the last is a prefix
    (`word*`) and whether the term is left out (`-word`)."""

    words: tuple[str, ...]
    prefix: bool = False
    excluded: bool = False


# A term: an optional minus (only at the start of a word: well-known wants both words),
# then a "quoted phrase" or a run of word characters, then an optional star. What is not
# part of a term (an unbalanced quote, punctuation, a lone star) is skipped, so nothing of
# the query reaches the database except words inside quotes.
_TERM = re.compile(r'(?P<minus>(?<!\S)-)?(?:"(?P<phrase>[^"]*)"|(?P<word>\w+))(?P<star>\*)?')
_WORD = re.compile(r"\w+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def normalized(query: str) -> str:
    """Return the query as searched: NFC, control characters as spaces, trimmed."""
    return _CONTROL.sub(" ", unicodedata.normalize("NFC", query)).strip()


def parse(query: str) -> list[list[Term]]:
    """Return the query's alternatives (separated by OR), each a list of terms.

    Raises SearchError for a query that is too long or has no word to look for.
    """
    if len(query) > MAX_QUERY:
        raise SearchError(f"A search can be at most {MAX_QUERY} characters long.")
    groups: list[list[Term]] = [[]]
    for match in _TERM.finditer(query):
        word = match["word"]
        if word is not None and word.upper() == "OR" and not match["minus"] and not match["star"]:
            groups.append([])  # web-search syntax, as PostgreSQL's websearch_to_tsquery
            continue
        words = tuple(_WORD.findall(match["phrase"] if word is None else word))
        if words:
            groups[-1].append(Term(words, bool(match["star"]), bool(match["minus"])))
    found = [group for group in groups if any(not term.excluded for term in group)]
    if not found:
        if any(groups):
            raise SearchError("Add a word to look for: a search cannot only leave words out.")
        raise SearchError("Type a word to look for (letters or digits).")
    return found


def fts5_query(groups: list[list[Term]]) -> str:
    """Return FTS5's form of a parsed query: every word in a quoted string, so that no
    operator, column filter or syntax of FTS5 can come from what the reader typed."""

    def quoted(term: Term) -> str:
        phrase = " ".join(term.words).replace('"', '""')
        return f'"{phrase}"' + ("*" if term.prefix else "")

    alternatives = []
    for group in groups:
        wanted = [quoted(t) for t in group if not t.excluded]
        unwanted = [f"NOT {quoted(t)}" for t in group if t.excluded]
        alternatives.append("(" + " ".join(wanted + unwanted) + ")")
    return " OR ".join(alternatives)


def tsquery(groups: list[list[Term]]) -> str:
    """Return PostgreSQL's tsquery form of a parsed query, for to_tsquery: every word a
    quoted lexeme, so the query's syntax comes from the parse alone, as on SQLite (and
    `word*` is a prefix there too, which websearch_to_tsquery would not read)."""

    def quoted(term: Term) -> str:
        lexemes = ["'" + w.replace("\\", "\\\\").replace("'", "''") + "'" for w in term.words]
        if term.prefix:
            lexemes[-1] += ":*"
        return "(" + " <-> ".join(lexemes) + ")"

    alternatives = []
    for group in groups:
        wanted = [quoted(t) for t in group if not t.excluded]
        unwanted = [f"!{quoted(t)}" for t in group if t.excluded]
        alternatives.append("(" + " & ".join(wanted + unwanted) + ")")
    return " | ".join(alternatives)


_SQLITE_COUNT = text(f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :query")
# The page is chosen first, so that snippets are made for its hits only.
_SQLITE_PAGE = text(
    f"""
    SELECT articles.slug, articles.title, articles.published,
           snippet({FTS_TABLE}, 1, :open, :close, :ellipsis, :words) AS snippet
    FROM {FTS_TABLE} JOIN articles ON articles.id = {FTS_TABLE}.rowid
    WHERE {FTS_TABLE} MATCH :query AND {FTS_TABLE}.rowid IN (
        SELECT {FTS_TABLE}.rowid
        FROM {FTS_TABLE} JOIN articles ON articles.id = {FTS_TABLE}.rowid
        WHERE {FTS_TABLE} MATCH :query
        ORDER BY bm25({FTS_TABLE}, :title_weight, 1.0), articles.published DESC NULLS LAST,
                 articles.id
        LIMIT :limit OFFSET :offset
    )
    ORDER BY bm25({FTS_TABLE}, :title_weight, 1.0), articles.published DESC NULLS LAST,
             articles.id
    """
).columns(published=Date)  # SQLite keeps dates as text: read as the model's column is
# Over RANKED_LIMIT matches: the latest added first, in the order FTS5 keeps rowids.
_SQLITE_NEWEST = text(
    f"""
    SELECT articles.slug, articles.title, articles.published,
           snippet({FTS_TABLE}, 1, :open, :close, :ellipsis, :words) AS snippet
    FROM {FTS_TABLE} JOIN articles ON articles.id = {FTS_TABLE}.rowid
    WHERE {FTS_TABLE} MATCH :query
    ORDER BY {FTS_TABLE}.rowid DESC
    LIMIT :limit OFFSET :offset
    """
).columns(published=Date)
_POSTGRESQL_COUNT = text(
    f"SELECT count(*) FROM articles WHERE {VECTOR_COLUMN} @@ to_tsquery('english', :query)"
)
_POSTGRESQL_PAGE = text(
    f"""
    WITH wanted AS (SELECT to_tsquery('english', :query) AS query),
    hits AS (
        SELECT articles.id, ts_rank_cd(articles.{VECTOR_COLUMN}, wanted.query) AS rank
        FROM articles, wanted
        WHERE articles.{VECTOR_COLUMN} @@ wanted.query
        ORDER BY rank DESC, articles.published DESC NULLS LAST, articles.id
        LIMIT :limit OFFSET :offset
    )
    SELECT articles.slug, articles.title, articles.published,
           ts_headline('english', articles.text, wanted.query, :options) AS snippet
    FROM hits JOIN articles ON articles.id = hits.id, wanted
    ORDER BY hits.rank DESC, articles.published DESC NULLS LAST, articles.id
    """
).columns(published=Date)
_POSTGRESQL_NEWEST = text(
    f"""
    WITH wanted AS (SELECT to_tsquery('english', :query) AS query),
    hits AS (
        SELECT articles.id FROM articles, wanted
        WHERE articles.{VECTOR_COLUMN} @@ wanted.query
        ORDER BY articles.id DESC
        LIMIT :limit OFFSET :offset
    )
    SELECT articles.slug, articles.title, articles.published,
           ts_headline('english', articles.text, wanted.query, :options) AS snippet
    FROM hits JOIN articles ON articles.id = hits.id, wanted
    ORDER BY articles.id DESC
    """
).columns(published=Date)
_HEADLINE_OPTIONS = (
    f"StartSel={OPEN}, StopSel={CLOSE}, MaxWords={SNIPPET_WORDS + 11}, "
    f'MinWords={SNIPPET_WORDS // 2}, MaxFragments=2, FragmentDelimiter=" {ELLIPSIS} "'
)


def search(query: str, page: int = 1) -> SearchPage:
    """Return page `page` of the articles matching query, best first, then newest.

    Two queries (the count and the page); a blank query searches nothing. Raises
    SearchError for a query that cannot be searched, with a message for the reader.
    """
    query = normalized(query)
    if not query:
        return SearchPage(query, [], 0, page)
    groups = parse(query)  # the same checks on both databases
    dialect = db.engine.dialect.name
    window = {"limit": HITS_PER_PAGE, "offset": (page - 1) * HITS_PER_PAGE}
    if dialect == "sqlite":
        bound = {"query": fts5_query(groups)}
        count, rows = _run(
            _SQLITE_COUNT,
            (_SQLITE_PAGE, _SQLITE_NEWEST),
            bound,
            {
                **bound,
                **window,
                "open": OPEN,
                "close": CLOSE,
                "ellipsis": ELLIPSIS,
                "words": SNIPPET_WORDS,
                "title_weight": TITLE_WEIGHT,
            },
        )
    elif dialect == "postgresql":
        bound = {"query": tsquery(groups)}
        count, rows = _run(
            _POSTGRESQL_COUNT,
            (_POSTGRESQL_PAGE, _POSTGRESQL_NEWEST),
            bound,
            {**bound, **window, "options": _HEADLINE_OPTIONS},
        )
    else:
        raise SearchError("Search needs SQLite or PostgreSQL as the database.")
    return SearchPage(query, [_hit(row) for row in rows], count, page, count <= RANKED_LIMIT)


def _hit(row: Any) -> Hit:
    """Return the hit of a row of the page's query."""
    raw = row.snippet
    return Hit(row.slug, row.title, row.published, snippet_html(raw), snippet_text(raw))


def _run(
    count_sql: Any,
    page_sql: tuple[Any, Any],
    count_params: dict[str, Any],
    page_params: dict[str, Any],
) -> tuple[int, list[Any]]:
    """Run the count, then the page's query: ranked (page_sql[0]), or newest first
    (page_sql[1]) past RANKED_LIMIT matches. FTS5's refusal of a query is a SearchError."""
    try:
        count = db.session.execute(count_sql, count_params).scalar() or 0
        chosen = page_sql[0] if count <= RANKED_LIMIT else page_sql[1]
        rows = list(db.session.execute(chosen, page_params)) if count else []
    except DBAPIError as error:
        # Only the complaints of FTS5 or to_tsquery about the query; a database that fails
        # is not the reader's fault and goes on to the error pages.
        cause = str(getattr(error, "orig", error))
        if not (cause.startswith("fts5:") or "tsquery" in cause):
            raise
        db.session.rollback()
        raise SearchError("This search could not be understood: try plain words.") from None
    return count, rows


def snippet_html(raw: str | None) -> Markup:
    """Return a snippet as HTML: its text escaped, the matched words in <mark>."""
    escaped = str(escape(" ".join((raw or "").split())))
    return clean(escaped.replace(OPEN, "<mark>").replace(CLOSE, "</mark>"))


def snippet_text(raw: str | None) -> str:
    """Return a snippet as plain text, on one line, without the match markers."""
    return " ".join((raw or "").replace(OPEN, "").replace(CLOSE, "").split())


@bp.get("/search")
def search_page() -> tuple[str, int]:
    """Show the search form and, for a query, a page of results (400 for a bad query)."""
    # Imported here: webapp.db imports this module for its DDL, and the library, which
    # paging reads the count from, imports webapp.db.
    from webapp.paging import requested_page
    from webapp.views import format_date

    query = request.args.get("q", "")
    number = requested_page()
    context: dict[str, Any] = {
        "query": query,
        "page": None,
        "error": None,
        "format_date": format_date,
        "hits_per_page": HITS_PER_PAGE,
    }
    if not query.strip():
        return render_template("search.html", **context), 200
    try:
        context["page"] = found = search(query, number)
    except SearchError as error:
        context["error"] = str(error)
        return render_template("search.html", **context), 400
    if number > found.pages:
        abort(404)
    return render_template("search.html", **context), 200
