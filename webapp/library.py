"""Seed files and analyses into database rows: idempotent, one transaction per article.

Storing an article also renders its reading page's highlighted HTML and the figures the
article list shows (lede, reading time, counts), so requests only read stored rows.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import math
import os
import re
import stat
from bisect import bisect_right
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from flask import Flask, current_app
from sqlalchemy import delete, exists, inspect, make_url, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import undefer

from webapp import analysis as engine
from webapp.analysis.result import ENGINE_VERSION, Analysis, Span
from webapp.links import safe_url
from webapp.models import Article, ArticlePerson, Mention, Person, Quote, article_cast, db
from webapp.render import (
    PALETTE_SIZE,
    RENDER_VERSION,
    MentionMark,
    QuoteMark,
    quote_details,
    render_parts,
)
from webapp.seedfile import MAX_SEED_BYTES, SeedArticle, SeedError, parse_seed
from webapp.slugs import name_hash, person_slug_candidates, slugify

# Bump when a change to webapp.seedfile changes what a seed parses to: every stored
# article is then parsed again from its file on the next load, as after an edit.
PARSER_VERSION = "1"
WORDS_PER_MINUTE = 230
LEDE_LIMIT = 280

Status = Literal["loaded", "updated", "unchanged", "skipped"]
# Any fixed 64-bit number: the key of the PostgreSQL advisory lock held during first start.
_ADVISORY_KEY = 0x766F69636573


class SchemaError(RuntimeError):
    """The database has tables from an older version of Voices (missing columns)."""


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

    @property
    def warnings(self) -> list[str]:
        """Return the warnings of the files loaded or updated."""
        return [w for r in self.results for w in r.warnings]

    def summary(self) -> str:
        """Return e.g. '1 loaded, 0 updated, 2 unchanged, 1 skipped' (and any warnings)."""
        counts = [f"{len(self.having(s))} {s}" for s in ("loaded", "updated", "unchanged")]
        line = ", ".join([*counts, f"{len(self.skipped)} skipped"])
        if self.warnings:
            count = len(self.warnings)
            line += f" ({count} {'warning' if count == 1 else 'warnings'})"
        return line


class _Skip(Exception):
    """A seed file that is skipped, with the reason to report."""


def seed_files(directory: str | os.PathLike[str]) -> list[Path]:
    """Return the seed files (*.txt, not hidden) in directory, sorted by name."""
    folder = Path(directory)
    return sorted(p for p in folder.iterdir() if p.suffix == ".txt" and not p.name.startswith("."))


def read_seed(path: str | os.PathLike[str]) -> bytes:
    """Read a seed file: a regular file (symlinks followed) of at most MAX_SEED_BYTES."""
    path = Path(path)
    name = path.name
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise _Skip(f"{name}:0: not a regular file ({_file_kind(info.st_mode)})")
        # O_NONBLOCK: should a FIFO appear here after the check, opening it never hangs.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as handle:
            mode = os.fstat(handle.fileno()).st_mode
            if not stat.S_ISREG(mode):
                raise _Skip(f"{name}:0: not a regular file ({_file_kind(mode)})")
            data = handle.read(MAX_SEED_BYTES + 1)
    except OSError as err:
        raise _Skip(f"{name}:0: cannot read: {err.strerror or err}") from None
    if len(data) > MAX_SEED_BYTES:
        raise _Skip(f"{name}:1: file is over the {MAX_SEED_BYTES} byte limit")
    return data


def _file_kind(mode: int) -> str:
    """Name the kind of a file that is not a regular file."""
    for test, kind in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return kind
    return "not a plain file"


def load_seeds(
    directory: str | os.PathLike[str],
    on_result: Callable[[LoadResult], None] | None = None,
) -> LoadReport:
    """Load every seed file in directory; a bad file is reported and skipped."""
    report = LoadReport()
    for path in seed_files(directory):
        try:
            result = load_seed_file(path)
        except Exception as err:  # one broken file must never stop the others
            db.session.rollback()
            current_app.logger.exception("loading %s failed", path.name)
            result = _skipped(path.name, f"{type(err).__name__}: {err}")
        report.results.append(result)
        if on_result is not None:
            on_result(result)
    return report


def _skipped(name: str, why: str) -> LoadResult:
    """Return a skipped result whose reason names the file."""
    return LoadResult(name, "skipped", reason=f"{name}:0: {why}")


def load_seed_file(path: str | os.PathLike[str]) -> LoadResult:
    """Read, parse, analyse, render and store one seed file in its own transaction."""
    path = Path(path)
    name = path.name
    try:
        raw = read_seed(path)
    except _Skip as skip:
        return LoadResult(name, "skipped", reason=str(skip))
    stored = db.session.execute(
        select(
            Article.slug, Article.content_hash, Article.parser, Article.engine, Article.renderer
        ).where(Article.source_name == name)
    ).one_or_none()
    db.session.rollback()  # end the read: analysing can take a while
    versions = (hashlib.sha256(raw).hexdigest(), PARSER_VERSION, ENGINE_VERSION)
    if stored is not None and (stored.content_hash, stored.parser, stored.engine) == versions:
        if stored.renderer == RENDER_VERSION:
            return LoadResult(name, "unchanged", slug=stored.slug)
        return _with_retry(name, lambda: _rerender(name))
    try:
        seed = parse_seed(raw, name)
    except SeedError as err:
        return LoadResult(name, "skipped", reason=str(err))
    except Exception as err:  # a parser bug must not stop the other files
        current_app.logger.exception("parsing %s failed", name)
        return _skipped(name, f"could not parse: {type(err).__name__}: {err}")
    try:
        result = analyze_seed(seed)
    except Exception as err:
        current_app.logger.exception("analysing %s failed", name)
        return _skipped(name, f"analysis failed: {type(err).__name__}: {err}")
    source = raw.decode("utf-8")  # parse_seed accepted it, so it is UTF-8
    return _with_retry(name, lambda: store_seed(seed, result, source=source))


def _with_retry(name: str, store: Callable[[], LoadResult]) -> LoadResult:
    """Run store in a transaction and commit; retry once after a concurrent insert."""
    # A concurrent loader (another worker or server) may insert the same article or
    # person first: on the second try the rows are found and reused.
    for attempt in (1, 2):
        try:
            result = store()
            db.session.commit()
            return result
        except IntegrityError:
            db.session.rollback()
            if attempt == 2:
                current_app.logger.exception("storing %s failed", name)
                return _skipped(name, "conflicting rows")
        except Exception as err:  # one broken article must never stop the others
            db.session.rollback()
            current_app.logger.exception("storing %s failed", name)
            return _skipped(name, f"could not store: {type(err).__name__}: {err}")
    raise AssertionError("unreachable")


def analyze_seed(seed: SeedArticle) -> Analysis:
    """Run the analysis on a seed's reading text; its first part is the headline."""
    headline = bool(seed.parts) and seed.parts[0].kind == "headline"
    return engine.analyze(seed.text, headline=headline)


def store_seed(
    seed: SeedArticle, result: Analysis | None = None, source: str | None = None
) -> LoadResult:
    """Add or update the article for seed in the current transaction (the caller commits)."""
    article = db.session.execute(
        select(Article).where(Article.source_name == seed.name)
    ).scalar_one_or_none()
    if result is None:
        result = analyze_seed(seed)
    status: Status = "updated" if article is not None else "loaded"
    if article is None:
        article = Article(source_name=seed.name, slug=_unique_slug(seed))
        db.session.add(article)
    warnings = list(seed.warnings)
    source_url = safe_url(seed.source_url)
    if seed.source_url and source_url is None:
        warnings.append(
            f"{seed.name}:{seed.source_line or 1}: source URL {seed.source_url[:80]!r} dropped:"
            " only plain http(s) links without user names are kept"
        )
    article.title = seed.title
    article.published = seed.published
    article.caption = seed.caption
    article.photo_credit = seed.photo_credit
    article.source_url = source_url
    if source is not None:
        article.source = source
    article.text = seed.text
    article.parts = [{"kind": p.kind, "start": p.start, "end": p.end} for p in seed.parts]
    article.warnings = warnings
    article.content_hash = seed.content_hash
    article.parser = PARSER_VERSION
    article.loaded_at = datetime.now(UTC)
    store_analysis(article, result)
    return LoadResult(seed.name, status, slug=article.slug, warnings=tuple(warnings))


def store_analysis(article: Article, result: Analysis) -> None:
    """Replace the article's people, mentions and quotations with those of result; render."""
    article.engine = result.engine
    db.session.flush()
    for model in (Quote, Mention, ArticlePerson):
        db.session.execute(delete(model).where(model.article_id == article.id))
    people = _store_people(article, result)
    _store_mentions(article, result, people)
    _store_quotes(article, result, people)
    db.session.flush()
    _delete_orphan_people()
    render_article(article)


def _valid(span: Span | None, text_length: int) -> bool:
    """Return whether span is a non-empty range inside the text."""
    return span is not None and 0 <= span.start < span.end <= text_length


def _visible(start: int, end: int, parts: list[tuple[int, int]]) -> bool:
    """Return whether [start, end) covers text of a part (not only gaps); parts are sorted."""
    index = bisect_right(parts, (start, math.inf)) - 1
    if index >= 0 and start < parts[index][1]:
        return True
    return index + 1 < len(parts) and parts[index + 1][0] < end


def _store_people(article: Article, result: Analysis) -> dict[str, Person]:
    """Store one ArticlePerson per person; return analysis person id -> Person row."""
    rows = _people_rows({person.name for person in result.people})
    ids = {person.id: rows[person.name] for person in result.people}

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


def _people_rows(names: set[str]) -> dict[str, Person]:
    """Return a Person row for each name: found by name, or new with a slug of its own."""
    candidates = {name: person_slug_candidates(name) for name in names}
    wanted = {slug for slugs in candidates.values() for slug in slugs}
    by_slug = {
        p.slug: p
        for p in db.session.execute(select(Person).where(Person.slug.in_(wanted))).scalars()
    }
    rows: dict[str, Person] = {}
    for name in sorted(names):
        found = next(
            (by_slug[s] for s in candidates[name] if s in by_slug and by_slug[s].name == name),
            None,
        )
        if found is None:
            found = Person(slug=_free_person_slug(name, candidates[name], by_slug), name=name)
            by_slug[found.slug] = found
            db.session.add(found)
        rows[name] = found
    db.session.flush()
    return rows


def _free_person_slug(name: str, candidates: list[str], taken: dict[str, Person]) -> str:
    """Return the first candidate slug no other name holds (a numbered one, if need be)."""
    for slug in candidates:
        if slug not in taken and not _person_slug_taken(slug):
            return slug
    base = f"{candidates[-1]}-{name_hash(name + '#')}"
    number = 2
    while base in taken or _person_slug_taken(base):
        base, number = f"{candidates[-1]}-{number}", number + 1
    return base


def _person_slug_taken(slug: str) -> bool:
    """Return whether a stored person already has this slug."""
    return db.session.scalar(select(exists().where(Person.slug == slug))) or False


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
    """Store the quotations that show on the page, numbered q1, q2, ... in reading order."""
    parts = sorted((int(p["start"]), int(p["end"])) for p in article.parts)
    valid = [
        q
        for q in result.quotes
        if _valid(Span(q.start, q.end), len(article.text)) and _visible(q.start, q.end, parts)
    ]
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


def render_article(article: Article) -> None:
    """Render the article's parts from its stored rows; store the HTML, counts and revision."""
    people = article_cast(article.id)
    mentions = db.session.execute(
        select(Mention.start, Mention.end, Mention.person_id).where(
            Mention.article_id == article.id
        )
    ).all()
    quotes = (
        db.session.execute(
            select(Quote).where(Quote.article_id == article.id).order_by(Quote.number)
        )
        .scalars()
        .all()
    )
    by_id = {person.id: (ap, person) for ap, person in people}
    quote_counts: dict[int, int] = {}
    for quote in quotes:
        if quote.speaker_id is not None:
            quote_counts[quote.speaker_id] = quote_counts.get(quote.speaker_id, 0) + 1
    mention_counts: dict[int, int] = {}
    for mention in mentions:
        mention_counts[mention.person_id] = mention_counts.get(mention.person_id, 0) + 1
    for ap, person in people:
        ap.quote_count = quote_counts.get(person.id, 0)
        ap.mention_count = mention_counts.get(person.id, 0)

    quote_marks = [_quote_mark(q, by_id.get(q.speaker_id or 0)) for q in quotes]
    mention_marks = [
        MentionMark(m.start, m.end, by_id[m.person_id][1].slug)
        for m in mentions
        if m.person_id in by_id
    ]
    rendered = render_parts(article.text, article.parts, quote_marks, mention_marks)
    article.html_parts = [{"kind": p.kind, "html": str(p.html)} for p in rendered]
    article.renderer = RENDER_VERSION
    article.lede = lede(article.text, article.parts)
    article.reading_minutes = reading_minutes(_paragraph_text(article.text, article.parts))
    article.quote_count = len(quotes)
    article.speaker_count = len({q.speaker_id for q in quotes if q.speaker_id is not None})
    article.revision = _revision(article, people, quotes)
    db.session.flush()


def _quote_mark(quote: Quote, speaker: tuple[ArticlePerson, Person] | None) -> QuoteMark:
    """Return the highlight of one stored quotation, with its tooltip details."""
    if speaker is None:
        return QuoteMark(
            qid=quote.qid,
            start=quote.start,
            end=quote.end,
            speaker_name=quote.speaker_label or "",
            details=quote_details(quote.kind, quote.cue, quote.channel),
            kind=quote.kind,
        )
    article_person, person = speaker
    return QuoteMark(
        qid=quote.qid,
        start=quote.start,
        end=quote.end,
        speaker=person.slug,
        speaker_name=person.name,
        colour=article_person.colour,
        details=quote_details(quote.kind, quote.cue, quote.channel, article_person.role),
        kind=quote.kind,
    )


def _revision(article: Article, people: list[Any], quotes: list[Quote]) -> str:
    """Return a hash of everything the reading page shows from the database."""
    page = {
        "article": [
            article.slug,
            article.title,
            article.published.isoformat() if article.published else None,
            article.photo_credit,
            article.source_url,
            article.reading_minutes,
            article.html_parts,
        ],
        "people": [
            [p.slug, p.name, ap.role, ap.colour, ap.quote_count, ap.mention_count]
            for ap, p in people
        ],
        "unattributed": [[q.qid, q.speaker_label, q.text] for q in quotes if q.speaker_id is None],
    }
    return hashlib.sha256(json.dumps(page, sort_keys=True).encode()).hexdigest()


def _rerender(name: str) -> LoadResult:
    """Render a stored article again (after the markup changed); its analysis stays."""
    article = db.session.execute(
        select(Article)
        .options(undefer(Article.text), undefer(Article.parts))
        .where(Article.source_name == name)
    ).scalar_one()
    render_article(article)
    return LoadResult(name, "updated", slug=article.slug)


def reading_minutes(text: str) -> int:
    """Return the reading time of text in whole minutes, at least one."""
    return max(1, math.ceil(len(re.findall(r"\w+", text)) / WORDS_PER_MINUTE))


def _paragraph_text(text: str, parts: list[dict[str, Any]]) -> str:
    """Return the plain text of the paragraphs, for the reading time."""
    return " ".join(
        text[int(p["start"]) : int(p["end"])] for p in parts if p["kind"] == "paragraph"
    )


def lede(text: str, parts: list[dict[str, Any]], limit: int = LEDE_LIMIT) -> str:
    """Return the first paragraph of a reading text, cut at a word near limit characters."""
    first = next((p for p in parts if p["kind"] == "paragraph"), None)
    if first is None:
        return ""
    paragraph = text[int(first["start"]) : int(first["end"])]
    if len(paragraph) <= limit:
        return paragraph
    return paragraph[:limit].rsplit(" ", 1)[0].rstrip(",;:—- ") + " …"


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
    """Parse every stored article's seed again and re-run the analysis, one transaction each."""
    report = LoadReport()
    ids = db.session.execute(select(Article.id).order_by(Article.id)).scalars().all()
    for article_id in ids:
        article = db.session.execute(
            select(Article)
            .options(undefer(Article.source), undefer(Article.text), undefer(Article.parts))
            .where(Article.id == article_id)
        ).scalar_one_or_none()
        if article is None:  # deleted meanwhile
            continue
        result = _with_retry(article.source_name, lambda article=article: _reanalyze(article))
        report.results.append(result)
        if on_result is not None:
            on_result(result)
    return report


def _reanalyze(article: Article) -> LoadResult:
    """Re-parse the stored seed (when there is one) and re-analyse one article."""
    if article.source is None:
        # Stored without its seed file: analyse the stored reading text as it is.
        headline = bool(article.parts) and article.parts[0]["kind"] == "headline"
        store_analysis(article, engine.analyze(article.text, headline=headline))
        return LoadResult(article.source_name, "updated", slug=article.slug)
    seed = parse_seed(article.source, article.source_name)
    return store_seed(seed, analyze_seed(seed))


def init_db(drop: bool = False) -> None:
    """Create the tables that do not exist yet (after dropping all of them if drop)."""
    if drop:
        db.drop_all()
    db.create_all()
    problems = schema_problems()
    if problems:
        raise SchemaError(
            "the database was made by an older version of Voices (missing "
            + ", ".join(problems)
            + "): run `flask --app webapp init-db --drop`, then load the seeds again"
        )


def schema_problems() -> list[str]:
    """Return the model columns missing from existing tables, as 'table.column'."""
    inspector = inspect(db.engine)
    missing = []
    for table in db.metadata.sorted_tables:
        present = {c["name"] for c in inspector.get_columns(table.name)}
        missing += [f"{table.name}.{c.name}" for c in table.columns if c.name not in present]
    return missing


def first_start(app: Flask) -> LoadReport | None:
    """Create the tables and load what is new or changed in SEEDS_DIR; safe in many workers."""
    with _init_lock(app), _database_lock():
        init_db()
        report = _autoload(app)
    db.session.remove()
    if db.engine.url.database not in (None, "", ":memory:"):
        # Processes forked after this (gunicorn --preload) must not share our connections.
        db.engine.dispose()
    return report


def _autoload(app: Flask) -> LoadReport | None:
    """Load the files of SEEDS_DIR that are not stored yet or changed (if AUTOLOAD_SEEDS)."""
    if not app.config["AUTOLOAD_SEEDS"]:
        return None
    seeds_dir = Path(app.config["SEEDS_DIR"])
    if not seeds_dir.is_dir():
        app.logger.warning("SEEDS_DIR %s is not a folder: nothing loaded", seeds_dir)
        return None
    # Idempotent: files stored before are only hashed, so an interrupted start resumes.
    report = load_seeds(seeds_dir)
    for result in report.skipped:
        app.logger.warning("skipped %s", result.reason)
    for warning in report.warnings:
        app.logger.warning("%s", warning)
    app.logger.info("seeds from %s: %s", seeds_dir, report.summary())
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
