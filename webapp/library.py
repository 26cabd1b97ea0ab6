"""Loading seed files: read them safely, parse, analyse and store each in its own
transaction (idempotent), re-analyse stored articles, and load new seeds at first start."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from flask import Flask, current_app
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import undefer

from webapp import analysis as engine
from webapp import render, store
from webapp.analysis.result import ENGINE_VERSION
from webapp.db import DatabaseUnavailable, database_lock, init_db, init_lock, unavailable
from webapp.models import Article, db
from webapp.prepare import (
    Ahead,
    Job,
    Prepared,
    digest_of,
    prepare,
    preparing_ahead,
    workers_wanted,
    working_ahead,
)
from webapp.publish import render_article
from webapp.seedfile import MAX_SEED_BYTES

Status = Literal["loaded", "updated", "unchanged", "skipped", "removed"]


@dataclass(frozen=True)
class LoadResult:
    """What happened to one seed file or article."""

    name: str
    status: Status
    slug: str | None = None
    reason: str | None = None
    warnings: tuple[str, ...] = ()
    renamed_from: str | None = None  # the file name the same content was stored under
    # The owner's corrections whose words are gone from the text: kept, not applied.
    orphaned: tuple[str, ...] = ()


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

    @property
    def orphaned(self) -> list[str]:
        """Return the corrections left orphaned (their words gone), said in words."""
        return [o for r in self.results for o in r.orphaned]

    def summary(self) -> str:
        """Return e.g. '1 loaded, 0 updated, 2 unchanged, 1 skipped' (and removals, warnings,
        orphaned corrections)."""
        counts = [f"{len(self.having(s))} {s}" for s in ("loaded", "updated", "unchanged")]
        line = ", ".join([*counts, f"{len(self.skipped)} skipped"])
        if self.having("removed"):
            line += f", {len(self.having('removed'))} removed"
        notes = []
        if self.warnings:
            count = len(self.warnings)
            notes.append(f"{count} {'warning' if count == 1 else 'warnings'}")
        if self.orphaned:
            count = len(self.orphaned)
            notes.append(f"{count} orphaned {'correction' if count == 1 else 'corrections'}")
        if notes:
            line += f" ({', '.join(notes)})"
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
    paths = seed_files(directory)
    names = frozenset(path.name for path in paths)
    workers = workers_wanted(current_app.config.get("LOAD_WORKERS"))
    # The files to analyse are prepared on every core while this process stores.
    to_analyse, new = _plan(paths)
    with preparing_ahead(to_analyse, workers) as ahead:
        for path in paths:
            try:
                result = load_seed_file(path, names, ahead, path in new)
            except DatabaseUnavailable:
                raise  # no other file could be stored either: the caller says so, once
            except Exception as err:  # one broken file must never stop the others
                db.session.rollback()
                current_app.logger.exception("loading %s failed", path.name)
                result = _skipped(path.name, f"{type(err).__name__}: {err}")
            report.results.append(result)
            if on_result is not None:
                on_result(result)
    return report


def _plan(paths: list[Path]) -> tuple[list[Path], frozenset[Path]]:
    """Return the files load_seed_file will parse and analyse (their content is stored
    nowhere with this parser and engine; unchanged and renamed files are not), and the
    new ones among them: no article has their name, none their content (no rename)."""
    digests: dict[Path, str] = {}
    for path in paths:
        try:
            raw = read_seed(path)
        except _Skip:
            continue
        if raw.strip():
            digests[path] = digest_of(raw)
    current: set[str] = set()
    known: set[str] = set()
    names: set[str] = set()
    try:
        for chunk in _chunks(sorted(set(digests.values()))):
            rows = db.session.execute(
                select(Article.content_hash, Article.parser, Article.engine).where(
                    Article.content_hash.in_(chunk)
                )
            )
            for digest, parser, engine_version in rows:
                known.add(digest)
                if (parser, engine_version) == (store.PARSER_VERSION, ENGINE_VERSION):
                    current.add(digest)
        for chunk in _chunks(sorted(path.name for path in digests)):
            names.update(
                db.session.execute(
                    select(Article.source_name).where(Article.source_name.in_(chunk))
                ).scalars()
            )
    except OperationalError as err:
        db.session.rollback()
        raise unavailable(err) from None
    db.session.rollback()  # end the read
    to_analyse = [path for path, digest in digests.items() if digest not in current]
    new = {path for path in to_analyse if digests[path] not in known and path.name not in names}
    return to_analyse, frozenset(new)


def _chunks(values: list[str], size: int = 500) -> Iterator[list[str]]:
    """Yield values in lists of size: IN (...) within every database's parameter limit."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def prune_seeds(
    directory: str | os.PathLike[str],
    on_result: Callable[[LoadResult], None] | None = None,
) -> LoadReport:
    """Remove the articles loaded from directory whose seed file is gone or empty.

    Only articles loaded from this folder are touched (and, for SEEDS_DIR, those loaded
    before the folder was recorded); nothing added another way is ever removed.
    """
    folder = str(Path(directory).resolve())
    kept = {path.name for path in seed_files(directory) if _has_text(path)}
    mine = Article.source_dir == folder
    if folder == str(Path(current_app.config["SEEDS_DIR"]).resolve()):
        mine = or_(mine, Article.source_dir.is_(None))
    report = LoadReport()
    try:
        rows = db.session.execute(
            select(Article.id, Article.source_name, Article.slug).where(mine)
        ).all()
        for row in rows:
            if row.source_name in kept:
                continue
            named = store.people_of(row.id)
            db.session.execute(delete(Article).where(Article.id == row.id))
            store.delete_orphan_people(named)
            db.session.commit()
            result = LoadResult(row.source_name, "removed", slug=row.slug)
            report.results.append(result)
            if on_result is not None:
                on_result(result)
    except OperationalError as err:
        db.session.rollback()
        raise unavailable(err) from None
    return report


def _has_text(path: Path) -> bool:
    """Return True if a seed file holds anything but white space (an emptied file does not)."""
    try:
        return bool(read_seed(path).strip())
    except _Skip:
        return True  # unreadable now, perhaps not for good: never a reason to remove


def _skipped(name: str, why: str) -> LoadResult:
    """Return a skipped result whose reason names the file."""
    return LoadResult(name, "skipped", reason=f"{name}:0: {why}")


def load_seed_file(
    path: str | os.PathLike[str],
    folder_names: frozenset[str] | None = None,
    ahead: Ahead | None = None,
    new: bool = False,
) -> LoadResult:
    """Read, parse, analyse, render and store one seed file in its own transaction.

    folder_names, the names of the folder's seed files, lets a renamed file keep its
    article: stored content whose file is gone from the folder is the same article.
    ahead, when given, may hold the file already parsed and analysed by a worker. new:
    when the load began, no article had this file's name or content (nothing to look up;
    should another loader store it meanwhile, the unique name makes the insert fail and
    the retry finds it).
    """
    path = Path(path)
    name = path.name
    folder = str(path.parent.resolve())
    try:
        raw = read_seed(path)
    except _Skip as skip:
        return LoadResult(name, "skipped", reason=str(skip))
    digest = digest_of(raw)
    renamed_from = None
    try:
        stored = None if new else _stored(name)
        if stored is None and folder_names is not None and raw.strip() and not new:
            renamed_from = _claim_renamed(name, folder, digest, folder_names)
            stored = _stored(name) if renamed_from else None
        if stored is not None and stored.source_dir != folder:
            db.session.execute(
                update(Article).where(Article.source_name == name).values(source_dir=folder)
            )
            db.session.commit()
    except OperationalError as err:
        db.session.rollback()
        raise unavailable(err) from None
    db.session.rollback()  # end the read: analysing can take a while
    if stored is not None and not raw.strip():
        why = f"{name}:1: the file is empty: its article stays until `load-seeds --prune`"
        return LoadResult(name, "unchanged", slug=stored.slug, warnings=(why,))
    versions = (digest, store.PARSER_VERSION, ENGINE_VERSION)
    if stored is not None and (stored.content_hash, stored.parser, stored.engine) == versions:
        status: Status = "updated" if renamed_from else "unchanged"
        if stored.renderer == render.RENDER_VERSION:
            return LoadResult(name, status, slug=stored.slug, renamed_from=renamed_from)
        return stored_with_retry(name, lambda: _rerender(name, renamed_from))
    ready = (ahead.take(Path(path), digest) if ahead is not None else None) or prepare(raw, name)
    if ready.refused is not None:
        return LoadResult(name, "skipped", reason=ready.refused)
    if ready.failure is not None or ready.seed is None or ready.analysis is None:
        stage, error, trace = ready.failure or ("prepare", "no result", "")
        current_app.logger.error(
            "%s %s failed:\n%s", "parsing" if stage == "parse" else "analysing", name, trace
        )
        why = "could not parse" if stage == "parse" else "analysis failed"
        return _skipped(name, f"{why}: {error}")
    seed, analysis, source = ready.seed, ready.analysis, ready.source
    # Not stored a moment ago: the first try inserts without looking; should another
    # loader insert it meanwhile, the retry looks and updates.
    new = iter([stored is None, False])
    return stored_with_retry(
        name,
        lambda: stored_result(
            name,
            store.store_seed(
                seed, analysis, source, folder, ready.prerendered, known_new=next(new)
            ),
            renamed_from,
        ),
    )


def _stored(name: str) -> Any:
    """Return the stored versions of the article of a seed file name, or None."""
    return db.session.execute(
        select(
            Article.slug,
            Article.content_hash,
            Article.parser,
            Article.engine,
            Article.renderer,
            Article.source_dir,
        ).where(Article.source_name == name)
    ).one_or_none()


def _claim_renamed(name: str, folder: str, digest: str, folder_names: frozenset[str]) -> str | None:
    """Give a file the article of the same content whose file is gone: a rename.

    Return the old file name, or None when no such article exists.
    """
    candidates = db.session.execute(
        select(Article.id, Article.source_name).where(
            Article.content_hash == digest,
            or_(Article.source_dir == folder, Article.source_dir.is_(None)),
        )
    ).all()
    gone = [row for row in candidates if row.source_name not in folder_names]
    if not gone:
        return None
    db.session.execute(
        update(Article).where(Article.id == gone[0].id).values(source_name=name, source_dir=folder)
    )
    db.session.commit()
    return gone[0].source_name


def stored_with_retry(name: str, store: Callable[[], LoadResult]) -> LoadResult:
    """Run store in a transaction and commit; retry once after a concurrent insert."""
    # A concurrent loader (another worker or server) may insert the same article or
    # person first: on the second try the rows are found and reused.
    for attempt in (1, 2):
        try:
            result = store()
            db.session.commit()
            return result
        except OperationalError as err:  # the database itself fails: stop, say it once
            db.session.rollback()
            raise unavailable(err) from None
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


def stored_result(name: str, stored: store.Stored, renamed_from: str | None = None) -> LoadResult:
    """Return the load result of an article just stored."""
    status: Status = "updated" if renamed_from else stored.status
    return LoadResult(
        name,
        status,
        stored.slug,
        warnings=stored.warnings,
        renamed_from=renamed_from,
        orphaned=stored.orphaned,
    )


def _rerender(name: str, renamed_from: str | None = None) -> LoadResult:
    """Render a stored article again (after the markup changed); its analysis stays."""
    article = db.session.execute(
        select(Article)
        .options(undefer(Article.text), undefer(Article.parts))
        .where(Article.source_name == name)
    ).scalar_one()
    render_article(article)
    return LoadResult(name, "updated", slug=article.slug, renamed_from=renamed_from)


def article_count() -> int:
    """Return how many articles are stored."""
    return db.session.execute(select(func.count(Article.id))).scalar_one()


def reanalyze(on_result: Callable[[LoadResult], None] | None = None) -> LoadReport:
    """Parse every stored article's seed again and re-run the analysis, one transaction
    each; the parsing and analysis run in worker processes ahead of the storing."""
    report = LoadReport()
    ids = db.session.execute(select(Article.id).order_by(Article.id)).scalars().all()
    workers = workers_wanted(current_app.config.get("LOAD_WORKERS"))
    with working_ahead(list(ids), workers, _reanalysis_job) as ahead:
        for article_id in ids:
            article = db.session.execute(
                select(Article)
                .options(undefer(Article.source), undefer(Article.text), undefer(Article.parts))
                .where(Article.id == article_id)
            ).scalar_one_or_none()
            if article is None:  # deleted meanwhile
                continue
            ready = _prepared_source(article, ahead)  # before the article's transaction
            result = stored_with_retry(
                article.source_name,
                lambda article=article, ready=ready: _reanalyze(article, ready),
            )
            report.results.append(result)
            if on_result is not None:
                on_result(result)
    return report


def _reanalysis_job(article_id: Any) -> Job | None:
    """Return the work of re-analysing one stored article: its seed and name (None when
    it has no seed, or is gone; the loop below deals with it)."""
    row = db.session.execute(
        select(Article.source, Article.source_name).where(Article.id == article_id)
    ).one_or_none()
    if row is None or row.source is None:
        return None
    return prepare, (row.source.encode("utf-8"), row.source_name)


def _prepared_source(article: Article, ahead: Ahead | None) -> Prepared | None:
    """Return the article's stored seed parsed and analysed (by a worker when one did it),
    or None when it was stored without one."""
    if article.source is None:
        return None
    raw = article.source.encode("utf-8")
    taken = ahead.take(article.id, digest_of(raw)) if ahead is not None else None
    return taken or prepare(raw, article.source_name)


def _reanalyze(article: Article, ready: Prepared | None) -> LoadResult:
    """Store the re-analysis of one article (of its reading text when it has no seed)."""
    if ready is None:
        # Stored without its seed file: analyse the stored reading text as it is.
        headline = bool(article.parts) and article.parts[0]["kind"] == "headline"
        orphaned = store.store_analysis(article, engine.analyze(article.text, headline=headline))
        return LoadResult(
            article.source_name, "updated", slug=article.slug, orphaned=tuple(orphaned)
        )
    if ready.seed is None or ready.analysis is None:
        stage, error, _ = ready.failure or ("parse", ready.refused or "no result", "")
        raise ReanalysisError(f"{stage}: {error}")
    stored = store.store_seed(ready.seed, ready.analysis, prerendered=ready.prerendered)
    return stored_result(article.source_name, stored)


class ReanalysisError(RuntimeError):
    """The stored seed of an article no longer parses or analyses (the article is kept)."""


def first_start(app: Flask) -> LoadReport | None:
    """Create the tables and load what is new or changed in SEEDS_DIR; safe in many workers."""
    report = None
    try:
        with init_lock(app), database_lock():
            try:
                init_db()
            except OperationalError as err:
                raise unavailable(err) from None
            report = _autoload(app)
    except DatabaseUnavailable as err:
        # Serve what the database holds; say once, in one line, why nothing was loaded.
        db.session.rollback()
        app.logger.error("seeds not loaded: %s", err)
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
