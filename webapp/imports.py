"""Bringing articles in from outside the seeds folder: a pasted text with its title, URL
and date, a plain-text file, or a page fetched from the web.

Each is written in the seed format (so `reanalyze` and the exports treat it like any seed)
and stored in its own transaction under a name that makes importing it again an update:
the article's URL when it has one, else a hash of its words.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import current_app

from webapp import render, store
from webapp.analysis.result import ENGINE_VERSION
from webapp.library import LoadResult, load_seed_file, stored_result, stored_with_retry
from webapp.links import safe_url, url_label
from webapp.models import Article, db
from webapp.prepare import Prepared, digest_of, prepare
from webapp.seedfile import MAX_SEED_BYTES, format_seed

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
TITLE_LIMIT = 300  # characters: a headline, not a paragraph
NAME_LIMIT = 255  # the articles.source_name column
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


class ImportProblem(ValueError):
    """Input that cannot be imported, naming the field at fault ("url", "date", ...)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Submission:
    """An article handed in field by field, checked: what gets stored."""

    title: str
    paragraphs: tuple[str, ...]
    url: str | None = None
    published: date | None = None

    @property
    def source_name(self) -> str:
        """Return the name it is stored under: importing it again finds the same article."""
        if self.url and len(self.url) + 4 <= NAME_LIMIT:
            return f"url:{self.url}"
        if self.url:
            return "url:" + hashlib.sha256(self.url.encode()).hexdigest()
        words = "\n".join(self.paragraphs).encode()
        return "text:" + hashlib.sha256(words).hexdigest()

    def seed_text(self) -> str:
        """Return the article in the seed format."""
        return format_seed(self.title, list(self.paragraphs), self.published, self.url)


def parse_date(value: str | None) -> date | None:
    """Return the date of a YYYY-MM-DD field (None when empty); name the field if wrong."""
    value = (value or "").strip()
    if not value:
        return None
    if not _DATE.match(value):
        raise ImportProblem("date", f"{value[:40]!r} is not a date: write it as YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ImportProblem("date", f"{value!r} is not a real date") from None


def check_url(value: str | None, field: str = "url") -> str | None:
    """Return an http(s) URL field as given (None when empty); name the field if wrong."""
    value = (value or "").strip()
    if not value:
        return None
    url = safe_url(value)
    if url is None:
        raise ImportProblem(
            field, f"{value[:80]!r} is not a web address: only http(s) links without a user name"
        )
    return url


def submission(
    title: str | None, text: str, url: str | None = None, published: str | date | None = None
) -> Submission:
    """Check an article given field by field: the body's paragraphs are separated by blank
    lines (a text with single line breaks only has one paragraph per line)."""
    title = " ".join((title or "").split())
    if not title:
        raise ImportProblem("title", "the article needs a title")
    if len(title) > TITLE_LIMIT:
        raise ImportProblem("title", f"the title is over {TITLE_LIMIT} characters")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text.encode("utf-8", errors="replace")) > MAX_SEED_BYTES:
        raise ImportProblem("text", f"the text is over {MAX_SEED_BYTES // 1_000_000} MB")
    blocks = _PARAGRAPH_BREAK.split(text) if _PARAGRAPH_BREAK.search(text) else text.split("\n")
    paragraphs = tuple(p for p in (" ".join(b.split()) for b in blocks) if p)
    if not paragraphs:
        raise ImportProblem("text", "the article has no text")
    when = published if isinstance(published, date) else parse_date(published)
    return Submission(title, paragraphs, check_url(url), when)


def text_file(path: Path, title: str | None, url: str | None, published: str | None) -> Submission:
    """Read a plain-text file: its first line is the title unless one is given."""
    raw = path.read_bytes()
    if len(raw) > MAX_SEED_BYTES:
        raise ImportProblem("file", f"{path.name} is over {MAX_SEED_BYTES // 1_000_000} MB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ImportProblem("file", f"{path.name} is not UTF-8 text (byte {err.start})") from None
    if not title:
        first, _, text = text.lstrip().partition("\n")
        title = first.strip().lstrip("#").strip()
    return submission(title, text, url, published)


def from_web(address: str) -> Submission:
    """Fetch a news page (guarded: see webapp.fetch) and extract its article."""
    from webapp.extract import ExtractError, extract  # lxml and trafilatura: only when used
    from webapp.fetch import FetchError, fetch

    url = check_url(address, field="address")
    if url is None:
        raise ImportProblem("address", "give the web address of a news article")
    try:
        page = fetch(
            url,
            timeout=float(current_app.config["FETCH_TIMEOUT"]),
            is_public=reachable(current_app.config["FETCH_ALLOW_NETWORKS"]),
        )
        found = extract(page.body, page.url, charset=page.charset)
    except (FetchError, ExtractError) as err:
        raise ImportProblem("address", str(err)) from None
    body = "\n\n".join(found.paragraphs)
    return submission(found.title, body, _canonical(found.canonical_url, page.url), found.published)


def _canonical(claimed: str | None, fetched: str) -> str:
    """Return the page's canonical address when it is on the site that served the page;
    another site's would be shown as the source and could replace that site's article."""
    if claimed and url_label(claimed) == url_label(fetched):
        return claimed
    return fetched


def reachable(networks: list[str]) -> Callable[[IPAddress], bool]:
    """Return the fetch's address policy: public addresses, and these networks besides."""
    from webapp.fetch import is_public_address

    allowed = [ipaddress.ip_network(network, strict=False) for network in networks]
    return lambda ip: is_public_address(ip) or any(ip in network for network in allowed)


def is_seed_file(path: Path) -> bool:
    """Return whether a file is written in the seed format (it starts with '## Title')."""
    with path.open("rb") as handle:
        start = handle.read(4096).decode("utf-8-sig", errors="replace").lstrip()
    return start.startswith("#")


def import_seed_file(path: Path) -> LoadResult:
    """Import a seed file found anywhere, like `load-seeds` would load it."""
    return load_seed_file(path)


def import_submission(article: Submission) -> LoadResult:
    """Parse, analyse, render and store a submission in its own transaction: new, updated
    (the same URL or words again, changed) or unchanged."""
    name = article.source_name
    raw = article.seed_text().encode("utf-8")
    stored = db.session.execute(
        db.select(
            Article.slug, Article.content_hash, Article.parser, Article.engine, Article.renderer
        ).where(Article.source_name == name)
    ).one_or_none()
    db.session.rollback()  # end the read: analysing takes a while
    current = (digest_of(raw), store.PARSER_VERSION, ENGINE_VERSION, render.RENDER_VERSION)
    if stored is not None and tuple(stored)[1:] == current:
        return LoadResult(name, "unchanged", slug=stored.slug)
    ready = _prepared(article)
    seed, analysis, source = ready.seed, ready.analysis, ready.source
    return stored_with_retry(
        name,
        lambda: stored_result(
            name, store.store_seed(seed, analysis, source, None, ready.prerendered)
        ),
    )


def stage(article: Submission) -> str:
    """Store a submission in the current transaction without committing it (a preview:
    the caller rolls back); return the slug it gets."""
    ready = _prepared(article)
    assert ready.seed is not None and ready.analysis is not None
    stored = store.store_seed(ready.seed, ready.analysis, ready.source, None, ready.prerendered)
    db.session.flush()
    return stored.slug


def _prepared(article: Submission) -> Prepared:
    """Parse and analyse a submission; a refusal names the field."""
    name = article.source_name
    ready = prepare(article.seed_text().encode("utf-8"), name)
    if ready.refused is not None or ready.seed is None or ready.analysis is None:
        why = ready.refused or (ready.failure[1] if ready.failure else "no result")
        raise ImportProblem("text", why.removeprefix(f"{name}:"))
    return ready


def delete_article(slug: str) -> bool:
    """Delete an article and the people only it named; return False if there is none."""
    article_id = db.session.scalar(db.select(Article.id).where(Article.slug == slug))
    if article_id is None:
        return False
    people = store.people_of(article_id)
    db.session.execute(db.delete(Article).where(Article.id == article_id))
    store.delete_orphan_people(people)
    store.refresh_totals(people)
    db.session.commit()
    current_app.logger.info("deleted the article %s", slug)
    return True
