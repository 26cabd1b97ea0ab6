"""Reader pages: the list of articles and the reading page, served from stored rows."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    make_response,
    render_template,
    request,
)
from markupsafe import Markup
from sqlalchemy import select

from webapp import correcting
from webapp.compress import VersionCache
from webapp.links import safe_url, url_label
from webapp.models import Article, ArticlePerson, Person, Quote, article_cast, db
from webapp.owner import is_owner
from webapp.pagecache import fingerprint, replayable
from webapp.paging import article_page, people_page, requested_page
from webapp.people import find_person, quotations, roles_of
from webapp.render import emphasise, initials, speaker_class
from webapp.slugs import is_slug

bp = Blueprint("views", __name__)
PAGES_CACHED = 256  # rendered reading pages kept per worker, by ETag (a few MB)


@dataclass(frozen=True)
class PanelPerson:
    """A person in the side panel: who they are and how often they speak or are named."""

    slug: str
    name: str
    role: str | None
    colour_class: str
    initials: str
    quotes: int
    mentions: int


@dataclass(frozen=True)
class UnattributedQuote:
    """A quotation without a named person speaker, listed in the 'Unattributed' group."""

    qid: str
    label: str
    excerpt: str


@dataclass(frozen=True)
class PagePart:
    """One stored, already allowlisted headline, caption or paragraph."""

    kind: str
    html: Markup


def format_date(value: date) -> str:
    """Return a date as 'June 9, 2011'."""
    return f"{value:%B} {value.day}, {value.year}"


@dataclass(frozen=True)
class LibraryFilter:
    """What the list is narrowed to: one person's articles, one site's, or none."""

    person: Any = None  # (id, slug, name) of the person, when filtering by one
    site: str | None = None

    def conditions(self) -> list[Any]:
        """Return the conditions on articles this filter stands for."""
        found = []
        if self.person is not None:
            found.append(
                Article.id.in_(
                    select(ArticlePerson.article_id).where(
                        ArticlePerson.person_id == self.person.id
                    )
                )
            )
        if self.site is not None:
            found.append(Article.site == self.site)
        return found


def requested_filter() -> LibraryFilter:
    """Return the filter asked for (?person=slug, ?site=host); an unknown one is a 404."""
    person = site = None
    if "person" in request.args:
        slug = request.args["person"]
        if not is_slug(slug):
            abort(404)
        person = db.session.execute(
            select(Person.id, Person.slug, Person.name).where(Person.slug == slug)
        ).one_or_none()
        if person is None:
            abort(404)
    if "site" in request.args:
        site = request.args["site"].strip().lower()
        if not site or len(site) > 255:
            abort(404)
    return LibraryFilter(person, site)


@bp.get("/")
def index() -> Response:
    """List the articles, newest first, 50 a page, with the figures computed when stored
    and the people quoted in each; ?person= and ?site= narrow the list."""
    chosen = requested_filter()
    page = article_page(
        requested_page(),
        Article.id,
        Article.slug,
        Article.title,
        Article.published,
        Article.source_url,
        Article.site,
        Article.lede,
        Article.quote_count,
        Article.speaker_count,
        where=chosen.conditions(),
    )
    if chosen.site is not None and page.total == 0:
        abort(404)  # a site the library has no article from
    # The filter is part of what the page shows (its heading), even when the rows are alike.
    return replayable(
        page.etag(f"{fingerprint()}:{chosen}"),
        lambda: make_response(
            render_template(
                "index.html",
                page=page,
                articles=page.rows,
                speakers=quoted_in([row.id for row in page.rows]),
                chosen=chosen,
                format_date=format_date,
                host=url_label,
            )
        ),
        parameters=("page", "person", "site"),
    )


@bp.get("/feed.atom")
def feed() -> Response:
    """The newest 50 articles as an Atom feed."""
    page = article_page(
        1,
        Article.slug,
        Article.title,
        Article.published,
        Article.source_url,
        Article.lede,
        Article.quote_count,
        Article.speaker_count,
        Article.loaded_at,
    )
    times = [_utc(row.loaded_at) for row in page.rows]
    return replayable(
        page.etag(fingerprint()),
        lambda: Response(
            render_template(
                "feed.xml",
                articles=page.rows,
                updated=max(times, default="1970-01-01T00:00:00+00:00"),
                entry_time=lambda row: _utc(row.loaded_at),
            ),
            mimetype="application/atom+xml",
        ),
    )


def _utc(moment: datetime) -> str:
    """Return a stored time in RFC 3339, in UTC (SQLite gives it back without its zone)."""
    zoned = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return zoned.isoformat(timespec="seconds")


def quoted_in(article_ids: list[int]) -> dict[int, list[Any]]:
    """Return the people quoted in each of these articles, most quoted first (one query)."""
    if not article_ids:
        return {}
    rows = db.session.execute(
        select(ArticlePerson.article_id, ArticlePerson.quote_count, Person.slug, Person.name)
        .join(Person, ArticlePerson.person_id == Person.id)
        .where(ArticlePerson.article_id.in_(article_ids), ArticlePerson.quote_count > 0)
        .order_by(
            ArticlePerson.article_id, ArticlePerson.quote_count.desc(), ArticlePerson.position
        )
    ).all()
    found: dict[int, list[Any]] = {}
    for row in rows:
        found.setdefault(row.article_id, []).append(row)
    return found


@bp.get("/people")
def people() -> Response:
    """List everyone quoted in the library, most quoted first, 50 a page."""
    page = people_page(requested_page())
    return replayable(
        page.etag(fingerprint()),
        lambda: make_response(render_template("people.html", page=page, people=page.rows)),
        parameters=("page",),
    )


@bp.get("/people/<slug>")
def person(slug: str) -> Response:
    """Show one person across the library: the roles articles gave them and every
    quotation, latest added article first, 50 a page, each linking into its context."""
    who = find_person(slug)
    page = quotations(who, requested_page())
    roles = roles_of(who)
    shown = (who.id, who.name, who.quote_count, who.article_count, [tuple(r) for r in roles])
    return replayable(
        page.etag(f"{fingerprint()}:{shown}"),
        lambda: make_response(
            render_template(
                "person.html",
                person=who,
                roles=roles,
                page=page,
                quotes=page.rows,
                format_date=format_date,
            )
        ),
        parameters=("page",),
    )


def find_article(slug: str) -> Article:
    """Return the article with this slug, or answer 404 (a malformed slug is never queried)."""
    if not is_slug(slug):
        abort(404)
    return db.first_or_404(select(Article).where(Article.slug == slug))


@bp.get("/articles/<slug>")
def article(slug: str) -> Response:
    """Show the reading page of one article from its stored HTML; answer ETags with 304.

    ?speaker=<person-slug> is the person chosen in the panel: the page comes with their
    quotations and mentions highlighted, so a shared link or a reload shows the same
    choice, with or without JavaScript. A speaker who is not in the article (a malformed
    slug, or a person gone after the article was analysed again) is ignored: the link
    still opens the article.
    """
    row = find_article(slug)
    speaker = chosen_speaker(row)
    if is_owner():
        # The owner's page has a delete link and may carry a message ("Added ..."): it is
        # rendered for each visit, never kept or validated like the page readers share.
        response = make_response(_reading_page_bytes(row, owner=True, speaker=speaker))
        response.headers["Cache-Control"] = "private, no-store"
        return response
    etag = page_etag(row, speaker)
    # The page of this revision (and choice) is rendered once per worker, then served as
    # bytes. An ignored ?speaker= is answered but not kept: it would only push pages out.
    return replayable(
        etag,
        lambda: Response(
            _pages().get(etag, lambda: _reading_page_bytes(row, owner=False, speaker=speaker)),
            mimetype="text/html",
        ),
        parameters=("speaker",) if speaker or "speaker" not in request.args else (),
    )


def chosen_speaker(row: Article) -> str | None:
    """Return the slug of the person chosen with ?speaker=, when the article names them;
    else None (the choice is ignored). A malformed slug is never queried."""
    slug = request.args.get("speaker")
    if slug is None or not is_slug(slug):
        return None
    found = db.session.execute(
        select(Person.slug)
        .join(ArticlePerson, ArticlePerson.person_id == Person.id)
        .where(ArticlePerson.article_id == row.id, Person.slug == slug)
    ).scalar_one_or_none()
    return found


def _pages() -> VersionCache[bytes]:
    """Return this app's cache of rendered reading pages (each app has its own database)."""
    extensions = current_app.extensions
    return extensions.setdefault("voices-pages", VersionCache(PAGES_CACHED))  # type: ignore[no-any-return]


def _reading_page_bytes(row: Article, owner: bool, speaker: str | None = None) -> bytes:
    """Render the reading page of an article, with the chosen person's quotations and
    mentions highlighted. The owner's has a delete button, a Correct link in each tooltip,
    their corrections and, with ?correct=, the correction form of a quotation."""
    context = reading_context(row, speaker)
    if owner:
        correcting.add_owner_tools(context, row, request.args.get("correct"))
    return render_template("article.html", **context, owner=owner).encode()


def reading_context(row: Article, speaker: str | None = None) -> dict[str, Any]:
    """Return the reading page's context from an article's stored rows (three queries)."""
    html_parts = db.session.scalar(select(Article.html_parts).where(Article.id == row.id))
    people = article_cast(row.id)
    unattributed = db.session.execute(
        select(Quote)
        .where(Quote.article_id == row.id, Quote.speaker_id.is_(None))
        .order_by(Quote.number)
    ).scalars()
    return reading_page(row, html_parts or [], people, list(unattributed), speaker)


def page_etag(article: Article, speaker: str | None = None) -> str:
    """Return the reading page's ETag: the stored revision, the site's fingerprint and the
    chosen person (each choice is a page of its own)."""
    key = f"{article.id}:{article.revision}:{fingerprint()}"
    if speaker:
        key += f":speaker={speaker}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def selection_status(person: PanelPerson) -> str:
    """Return what the selection bar says of a chosen person (reader.js says the same)."""
    quotes = f"{person.quotes} {'quotation' if person.quotes == 1 else 'quotations'}"
    mentions = f"{person.mentions} {'mention' if person.mentions == 1 else 'mentions'}"
    return f"{person.name}: {quotes} and {mentions} highlighted."


def reading_page(
    article: Article,
    html_parts: list[dict[str, str]],
    people: Iterable[tuple[ArticlePerson, Person]],
    unattributed: list[Quote],
    speaker: str | None = None,
) -> dict[str, Any]:
    """Assemble the reading page's template context from the article's stored rows, with
    the chosen person (a slug from the panel, or None) highlighted."""
    panel = [
        PanelPerson(
            slug=person.slug,
            name=person.name,
            role=ap.role,
            colour_class=speaker_class(ap.colour, ap.quote_count > 0),
            initials=initials(person.name),
            quotes=ap.quote_count,
            mentions=ap.mention_count,
        )
        for ap, person in people
    ]
    source_url = safe_url(article.source_url)  # checked when stored; checked again here
    # Stored by the library after the allowlist (render.clean): served as they are.
    parts = [PagePart(p["kind"], Markup(p["html"])) for p in html_parts]
    chosen = next((p for p in panel if p.slug == speaker), None)
    if chosen is not None:
        parts = [PagePart(p.kind, emphasise(p.html, chosen.slug)) for p in parts]
    return {
        "chosen": chosen,
        "selection_status": selection_status(chosen) if chosen else "",
        "article": article,
        "headline": next((p for p in parts if p.kind == "headline"), None),
        "caption": next((p for p in parts if p.kind == "caption"), None),
        "paragraphs": [p for p in parts if p.kind == "paragraph"],
        "published": article.published,
        "published_text": format_date(article.published) if article.published else None,
        "minutes": article.reading_minutes,
        "quoted": [p for p in panel if p.quotes],
        "mentioned": [p for p in panel if not p.quotes],
        "unattributed": [
            UnattributedQuote(q.qid, q.speaker_label or "Unnamed or unknown source", _excerpt(q))
            for q in unattributed
        ],
        "quote_count": article.quote_count,
        "source_url": source_url,
        "source_host": url_label(source_url),
    }


def _excerpt(quote: Quote, words: int = 9) -> str:
    """Return the first few words of a quotation."""
    pieces = quote.text[:2000].split()
    return " ".join(pieces[:words]) + (" …" if len(pieces) > words else "")
