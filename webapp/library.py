"""Seed files and analyses into database rows: idempotent, one transaction per article."""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from flask import Flask, current_app
from sqlalchemy import delete, exists, func, make_url, select, text
from sqlalchemy.exc import IntegrityError

from webapp import analysis as engine
from webapp.analysis.result import ENGINE_VERSION, Analysis, Span
from webapp.models import Article, ArticlePerson, Mention, Person, Quote, db
from webapp.seedfile import SeedArticle, SeedError, parse_seed

Status = Literal["loaded", "updated", "unchanged", "skipped"]
PALETTE_SIZE = 8
_SLUG_MAX = 80
# Any fixed 64-bit number: the key of the PostgreSQL advisory lock held during first start.
_ADVISORY_KEY = 0x766F69636573


@dataclass(frozen=True)
class LoadResult:
    """What happened to one seed file or article."""

    name: str
    status: Status
    slug: str | None = None
    reason: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass
class LoadReport:
    """The results of loading a folder of seeds (or of re-analysing), in order."""

    results: list[LoadResult] = field(default_factory=list)

    def having(self, status: Status) -> list[LoadResult]:
        """Return the results with this status."""
        return [r for r in self.results if r.status == status]

    @property
    def loaded(self) -> list[LoadResult]:
        """Return the newly loaded articles."""
        return self.having("loaded")

    @property
    def updated(self) -> list[LoadResult]:
        """Return the articles updated in place."""
        return self.having("updated")

    @property
    def unchanged(self) -> list[LoadResult]:
        """Return the files whose article was already up to date."""
        return self.having("unchanged")

    @property
    def skipped(self) -> list[LoadResult]:
        """Return the files that could not be loaded, each with its reason."""
        return self.having("skipped")

    def summary(self) -> str:
        """Return e.g. '1 loaded, 0 updated, 2 unchanged, 1 skipped'."""
        counts = [f"{len(self.having(s))} {s}" for s in ("loaded", "updated", "unchanged")]
        return ", ".join([*counts, f"{len(self.skipped)} skipped"])


def slugify(value: str, max_length: int = _SLUG_MAX) -> str:
    """Return a lowercase ASCII slug of value: 'Café Noir!' -> 'cafe-noir'."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")


def seed_files(directory: str | os.PathLike[str]) -> list[Path]:
    """Return the seed files (*.txt, not hidden) in directory, sorted by name."""
    folder = Path(directory)
    return sorted(p for p in folder.iterdir() if p.suffix == ".txt" and not p.name.startswith("."))


def load_seeds(
    directory: str | os.PathLike[str],
    on_result: Callable[[LoadResult], None] | None = None,
) -> LoadReport:
    """Load every seed file in directory; a bad file is reported and skipped."""
    report = LoadReport()
    for path in seed_files(directory):
        result = load_seed_file(path)
        report.results.append(result)
        if on_result is not None:
            on_result(result)
    return report


def load_seed_file(path: str | os.PathLike[str]) -> LoadResult:
    """Parse, analyse and store one seed file in its own transaction."""
    path = Path(path)
    name = path.name
    try:
        seed = parse_seed(path.read_bytes(), name)
    except SeedError as err:
        return LoadResult(name, "skipped", reason=str(err))
    except OSError as err:
        return LoadResult(name, "skipped", reason=f"{name}:0: cannot read: {err.strerror}")
    # A second try covers a concurrent loader (another worker or server) that inserted
    # the same article or person first: on retry the rows are found and reused.
    for attempt in (1, 2):
        try:
            result = store_seed(seed)
            db.session.commit()
            return result
        except IntegrityError:
            db.session.rollback()
            if attempt == 2:
                current_app.logger.exception("storing %s failed", name)
                return LoadResult(name, "skipped", reason=f"{name}:0: conflicting rows")
        except Exception as err:  # one broken article must never stop the others
            db.session.rollback()
            current_app.logger.exception("storing %s failed", name)
            why = f"{type(err).__name__}: {err}"
            return LoadResult(name, "skipped", reason=f"{name}:0: could not store: {why}")
    raise AssertionError("unreachable")


def store_seed(seed: SeedArticle) -> LoadResult:
    """Add or update the article for seed in the current transaction (the caller commits)."""
    article = db.session.execute(
        select(Article).where(Article.source_name == seed.name)
    ).scalar_one_or_none()
    if (
        article is not None
        and article.content_hash == seed.content_hash
        and article.engine == ENGINE_VERSION
    ):
        return LoadResult(seed.name, "unchanged", slug=article.slug)
    result = engine.analyze(seed.text)
    status: Status = "updated" if article is not None else "loaded"
    if article is None:
        article = Article(source_name=seed.name, slug=_unique_slug(seed))
        db.session.add(article)
    article.title = seed.title
    article.published = seed.published
    article.caption = seed.caption
    article.photo_credit = seed.photo_credit
    article.source_url = seed.source_url
    article.text = seed.text
    article.parts = [{"kind": p.kind, "start": p.start, "end": p.end} for p in seed.parts]
    article.warnings = list(seed.warnings)
    article.content_hash = seed.content_hash
    article.loaded_at = datetime.now(UTC)
    store_analysis(article, result)
    return LoadResult(seed.name, status, slug=article.slug, warnings=seed.warnings)


def store_analysis(article: Article, result: Analysis) -> None:
    """Replace the article's people, mentions and quotations with those of result."""
    article.engine = result.engine
    db.session.flush()
    for model in (Quote, Mention, ArticlePerson):
        db.session.execute(delete(model).where(model.article_id == article.id))
    people = _store_people(article, result)
    _store_mentions(article, result, people)
    _store_quotes(article, result, people)
    db.session.flush()
    _delete_orphan_people()


def _valid(span: Span | None, text_length: int) -> bool:
    """Return whether span is a non-empty range inside the text."""
    return span is not None and 0 <= span.start < span.end <= text_length


def _store_people(article: Article, result: Analysis) -> dict[str, Person]:
    """Store one ArticlePerson per person; return analysis person id -> Person row."""
    by_slug: dict[str, list[str]] = {}
    for person in result.people:
        slug = slugify(person.name) or "person"
        by_slug.setdefault(slug, []).append(person.id)
    rows = {
        p.slug: p
        for p in db.session.execute(select(Person).where(Person.slug.in_(by_slug))).scalars()
    }
    ids: dict[str, Person] = {}
    for person in result.people:
        slug = slugify(person.name) or "person"
        if slug not in rows:
            rows[slug] = Person(slug=slug, name=person.name)
            db.session.add(rows[slug])
        ids[person.id] = rows[slug]
    db.session.flush()

    first_seen: dict[int, int] = {}
    first_quote: dict[int, int] = {}
    for person in result.people:
        row = ids[person.id]
        starts = [m.start for m in person.mentions]
        first_seen[row.id] = min([*starts, first_seen.get(row.id, len(article.text))])
    for quote in sorted(result.quotes, key=lambda q: q.start):
        if quote.speaker in ids:
            row = ids[quote.speaker]
            first_quote.setdefault(row.id, quote.start)
            first_seen[row.id] = min(first_seen[row.id], quote.start)
    colours = {pid: n + 1 for n, pid in enumerate(sorted(first_quote, key=first_quote.get))}

    stored: set[int] = set()
    for person in sorted(result.people, key=lambda p: first_seen[ids[p.id].id]):
        row = ids[person.id]
        if row.id in stored:
            continue
        stored.add(row.id)
        colour = colours.get(row.id)
        db.session.add(
            ArticlePerson(
                article_id=article.id,
                person_id=row.id,
                role=person.role,
                aliases=list(person.aliases),
                colour=colour if colour is not None and colour <= PALETTE_SIZE else None,
                position=len(stored),
            )
        )
    return ids


def _store_mentions(article: Article, result: Analysis, people: dict[str, Person]) -> None:
    """Store every valid mention of every person."""
    for person in result.people:
        for span in sorted(set(person.mentions)):
            if _valid(span, len(article.text)):
                db.session.add(
                    Mention(
                        article_id=article.id,
                        person_id=people[person.id].id,
                        start=span.start,
                        end=span.end,
                    )
                )


def _store_quotes(article: Article, result: Analysis, people: dict[str, Person]) -> None:
    """Store the quotations, numbered q1, q2, ... in reading order."""
    valid = [q for q in result.quotes if _valid(Span(q.start, q.end), len(article.text))]
    for number, quote in enumerate(sorted(valid, key=lambda q: (q.start, q.end)), start=1):
        speaker = people.get(quote.speaker) if quote.speaker else None
        entity = result.entity(quote.speaker) if speaker is None else None
        channel = result.entity(quote.channel)
        speaker_span = quote.speaker_span if _valid(quote.speaker_span, len(article.text)) else None
        cue_span = quote.cue_span if _valid(quote.cue_span, len(article.text)) else None
        db.session.add(
            Quote(
                article_id=article.id,
                number=number,
                start=quote.start,
                end=quote.end,
                text=article.text[quote.start : quote.end],
                kind=quote.kind,
                speaker_id=speaker.id if speaker else None,
                speaker_label=entity.name if entity is not None else None,
                speaker_start=speaker_span.start if speaker_span else None,
                speaker_end=speaker_span.end if speaker_span else None,
                cue=quote.cue,
                cue_start=cue_span.start if cue_span else None,
                cue_end=cue_span.end if cue_span else None,
                channel=channel.name if channel is not None else None,
            )
        )


def _delete_orphan_people() -> None:
    """Delete people no article refers to any more."""
    in_use = exists().where(ArticlePerson.person_id == Person.id)
    db.session.execute(delete(Person).where(~in_use).execution_options(synchronize_session=False))


def _unique_slug(seed: SeedArticle) -> str:
    """Return a slug for a new article from its title, unique among stored articles."""
    base = slugify(seed.title) or slugify(Path(seed.name).stem) or "article"
    taken = set(
        db.session.execute(select(Article.slug).where(Article.slug.like(base + "%"))).scalars()
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def reanalyze(on_result: Callable[[LoadResult], None] | None = None) -> LoadReport:
    """Re-run the analysis on every stored article's text, one transaction per article."""
    report = LoadReport()
    ids = db.session.execute(select(Article.id).order_by(Article.id)).scalars().all()
    for article_id in ids:
        article = db.session.get(Article, article_id)
        if article is None:  # deleted meanwhile
            continue
        name = article.source_name
        try:
            store_analysis(article, engine.analyze(article.text))
            db.session.commit()
            result = LoadResult(name, "updated", slug=article.slug)
        except Exception as err:  # one broken article must never stop the others
            db.session.rollback()
            current_app.logger.exception("re-analysing %s failed", name)
            result = LoadResult(name, "skipped", reason=f"{name}:0: {type(err).__name__}: {err}")
        report.results.append(result)
        if on_result is not None:
            on_result(result)
    return report


def init_db(drop: bool = False) -> None:
    """Create the tables that do not exist yet (after dropping all of them if drop)."""
    if drop:
        db.drop_all()
    db.create_all()


def first_start(app: Flask) -> LoadReport | None:
    """Create the tables and, on an empty database, load SEEDS_DIR; safe in many workers."""
    with _init_lock(app), _database_lock():
        init_db()
        report = _autoload(app)
    db.session.remove()
    if db.engine.url.database not in (None, "", ":memory:"):
        # Processes forked after this (gunicorn --preload) must not share our connections.
        db.engine.dispose()
    return report


def _autoload(app: Flask) -> LoadReport | None:
    """Load SEEDS_DIR if autoloading is on and there are no articles yet."""
    if not app.config["AUTOLOAD_SEEDS"]:
        return None
    empty = not db.session.scalar(select(func.count()).select_from(Article))
    db.session.rollback()
    seeds_dir = Path(app.config["SEEDS_DIR"])
    if not empty:
        return None
    if not seeds_dir.is_dir():
        app.logger.warning("SEEDS_DIR %s is not a folder: nothing loaded", seeds_dir)
        return None
    report = load_seeds(seeds_dir)
    for result in report.skipped:
        app.logger.warning("skipped %s", result.reason)
    app.logger.info("first start, %s: %s", seeds_dir, report.summary())
    return report


def _lock_path(app: Flask) -> str:
    """Return the first-start lock file: beside a SQLite file, else in the instance folder."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        # Flask-SQLAlchemy resolves relative SQLite paths against the instance folder.
        return os.path.join(app.instance_path, f"{url.database}.init-lock")
    key = hashlib.sha256(url.render_as_string().encode()).hexdigest()[:12]
    return os.path.join(app.instance_path, f".init-{key}.lock")


@contextmanager
def _init_lock(app: Flask) -> Iterator[None]:
    """Hold an exclusive file lock: one process at a time runs the first start."""
    path = _lock_path(app)
    try:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        handle = open(path, "a")  # noqa: SIM115 - closed by the with block below
    except OSError:
        app.logger.warning("cannot create %s: first start runs unlocked", path)
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def _database_lock() -> Iterator[None]:
    """On PostgreSQL, also hold an advisory lock: app servers on other machines wait too."""
    if db.engine.dialect.name != "postgresql":
        yield
        return
    with db.engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _ADVISORY_KEY})
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _ADVISORY_KEY})
