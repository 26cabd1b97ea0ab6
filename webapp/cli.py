"""Command-line interface: flask --app webapp init-db | load-seeds [DIR] | reanalyze |
import SOURCE... | export-corrections DIR

The commands never load SEEDS_DIR on their own (that is the web server's first start):
each does only what it says, and creates the tables first where it needs them.
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import exists, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import undefer

from webapp import db as database
from webapp import imports, library
from webapp.correction_store import corrections_of
from webapp.corrections import apply_corrections, describe
from webapp.gold import Gold, gold_of
from webapp.models import Article, Correction
from webapp.seedfile import SeedError, parse_seed
from webapp.store import analyze_seed, shows_text

EXIT_DATABASE = 3  # the database cannot be read or written (see the README's exit codes)
_MARKS = {"loaded": "+", "updated": "~", "unchanged": "=", "skipped": "!", "removed": "-"}


def _progress(result: library.LoadResult) -> None:
    """Print one line per file or article as it is done; skips and warnings go to stderr."""
    if result.status != "skipped":
        renamed = f" (renamed from {result.renamed_from})" if result.renamed_from else ""
        mark = _MARKS[result.status]
        click.echo(f"{mark} {result.status:<9} {result.name} -> {result.slug}{renamed}")
    _progress_problems(result)


def on_terminal() -> bool:
    """Return True when the output goes to a terminal (a person watching), not a pipe."""
    return sys.stdout.isatty()


@contextmanager
def _reporting(total: int, label: str) -> Iterator[Callable[[library.LoadResult], None]]:
    """Yield the callback that reports each result as it is done.

    On a terminal: a progress bar (click's), with skipped files and warnings printed above
    it as they happen. Otherwise (a pipe, a log, the tests): one line per file.
    """
    if not on_terminal():
        yield _progress
        return
    with click.progressbar(length=total, label=label, show_pos=True, show_eta=True) as bar:

        def advance(result: library.LoadResult) -> None:
            if result.status == "skipped" or result.warnings or result.orphaned:
                click.echo("", err=True)  # leave the bar's line before writing below it
                _progress_problems(result)
            bar.update(1)

        yield advance


def _progress_problems(result: library.LoadResult) -> None:
    """Print a skipped file's reason, or a file's warnings, to stderr."""
    if result.status == "skipped":
        click.echo(f"{_MARKS['skipped']} skipped   {result.reason}", err=True)
    for warning in result.warnings:
        click.echo(f"  warning: {warning}", err=True)
    for orphan in result.orphaned:
        click.echo(f"  orphaned correction (kept, not applied): {orphan}", err=True)


@contextmanager
def _database_failures(verbose: bool) -> Iterator[None]:
    """Stop at the first database failure with one line and exit status 3."""
    try:
        yield
    except (database.DatabaseUnavailable, OperationalError) as err:
        failure = (
            err if isinstance(err, database.DatabaseUnavailable) else database.unavailable(err)
        )
        if verbose:
            traceback.print_exception(err)
        click.echo(f"error: {failure}", err=True)
        raise SystemExit(EXIT_DATABASE) from None


def _tables(drop: bool = False) -> None:
    """Create the tables (after dropping them if drop); explain an outdated database."""
    try:
        database.init_db(drop=drop)
    except database.SchemaError as err:
        raise click.ClickException(str(err)) from None


@click.command("init-db")
@with_appcontext
@click.option("--drop", is_flag=True, help="Drop every table first (deletes all data).")
def init_db_command(drop: bool) -> None:
    """Create the database tables."""
    _tables(drop=drop)
    click.echo(f"Initialised the database{' (dropped first)' if drop else ''}.")


@click.command("load-seeds")
@with_appcontext
@click.argument(
    "directory",
    required=False,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option("--strict", is_flag=True, help="Exit with status 1 if any file was skipped.")
@click.option(
    "--prune",
    is_flag=True,
    help="Then remove the articles of DIRECTORY whose seed file is gone or empty.",
)
@click.option("--verbose", is_flag=True, help="On a database failure, show the traceback too.")
def load_seeds_command(directory: Path | None, strict: bool, prune: bool, verbose: bool) -> None:
    """Load the seed files in DIRECTORY (default: SEEDS_DIR) into the database."""
    folder = directory or Path(current_app.config["SEEDS_DIR"])
    if not folder.is_dir():
        raise click.ClickException(f"{folder} is not a folder")
    with _database_failures(verbose):
        _tables()
        click.echo(f"Loading seeds from {folder}")
        with _reporting(len(library.seed_files(folder)), "Loading") as report_one:
            report = library.load_seeds(folder, on_result=report_one)
        if prune:
            report.results += library.prune_seeds(folder, on_result=_progress).results
    click.echo(report.summary())
    if strict and report.skipped:
        raise SystemExit(1)


@click.command("reanalyze")
@with_appcontext
@click.option("--verbose", is_flag=True, help="On a database failure, show the traceback too.")
def reanalyze_command(verbose: bool) -> None:
    """Parse every stored article's seed again and re-run the analysis on it."""
    with _database_failures(verbose):
        _tables()
        with _reporting(library.article_count(), "Re-analysing") as report_one:
            report = library.reanalyze(on_result=report_one)
    click.echo(f"Re-analysed: {report.summary()}")


@click.command("import")
@with_appcontext
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option("--title", help="The headline of a plain-text file (default: its first line).")
@click.option("--url", "source_url", help="Where a plain-text file was published (http or https).")
@click.option("--date", "published", help="When a plain-text file was published (YYYY-MM-DD).")
@click.option("--verbose", is_flag=True, help="On a database failure, show the traceback too.")
def import_command(
    sources: tuple[str, ...],
    title: str | None,
    source_url: str | None,
    published: str | None,
    verbose: bool,
) -> None:
    """Import articles: web addresses (http/https), seed files, or plain-text files.

    Importing the same address or text again updates its article, never duplicates it.
    One source that cannot be imported is reported and the others are still imported;
    the exit status is then 1.
    """
    report = library.LoadReport()
    with _database_failures(verbose):
        _tables()
        for source in sources:
            result = _import_one(source, title, source_url, published)
            report.results.append(result)
            _progress(result)
    click.echo(report.summary())
    if report.skipped:
        raise SystemExit(1)


def _import_one(
    source: str, title: str | None, source_url: str | None, published: str | None
) -> library.LoadResult:
    """Import one source; a problem becomes a skipped result naming the source and field."""
    try:
        if source.lower().startswith(("http://", "https://")):
            article = imports.from_web(source)
        else:
            path = Path(source)
            if not path.is_file():
                return library.LoadResult(source, "skipped", reason=f"{source}: no such file")
            if imports.is_seed_file(path) and not (title or source_url or published):
                return imports.import_seed_file(path)
            article = imports.text_file(path, title, source_url, published)
        return imports.import_submission(article)
    except imports.ImportProblem as problem:
        return library.LoadResult(source, "skipped", reason=f"{source}: {problem}")


@click.command("export-corrections")
@with_appcontext
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--verbose", is_flag=True, help="On a database failure, show the traceback too.")
def export_corrections_command(directory: Path, verbose: bool) -> None:
    """Write every corrected article to DIRECTORY as a gold-annotated seed, for
    `python -m webapp.analysis.evaluate DIRECTORY`: SLUG.txt (its stored seed file, as it
    is) and SLUG.gold.json (the engine's analysis of it with the owner's corrections
    applied). Files of the same names are replaced.

    Only corrections whose words are still in the text count: an orphaned one is left out
    (said on stderr), and an article with no other is skipped, as is one stored without
    its seed file.
    """
    written = applied = skipped = 0
    with _database_failures(verbose):
        _tables()
        articles = _articles_with_corrections()
        for article in articles:
            found = _corrected_gold(article)
            if found is None:
                skipped += 1
                continue
            source, gold, used = found
            _write_gold(directory, article.slug, source, gold)
            written += 1
            applied += used
            click.echo(
                f"+ {article.slug}: {used} correction{'s' * (used != 1)}, "
                f"{len(gold['quotes'])} quotations"
            )
    if not articles:
        click.echo("No article has a correction: nothing written.")
        return
    click.echo(
        f"Wrote {written} article{'s' * (written != 1)} ({applied} correction"
        f"{'s' * (applied != 1)}) to {directory}; skipped {skipped}."
    )


def _write_gold(directory: Path, slug: str, source: str, gold: Gold) -> None:
    """Write DIRECTORY/SLUG.txt (the seed, as stored) and DIRECTORY/SLUG.gold.json."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / f"{slug}.txt").write_bytes(source.encode("utf-8"))
        (directory / f"{slug}.gold.json").write_text(
            json.dumps(gold, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    except OSError as err:
        raise click.ClickException(f"{err.filename or directory}: {err.strerror}") from None


def _articles_with_corrections() -> list[Article]:
    """Return the articles with at least one correction, by slug, with their seeds."""
    return list(
        database.db.session.execute(
            select(Article)
            .options(undefer(Article.source))
            .where(exists().where(Correction.article_id == Article.id))
            .order_by(Article.slug)
        ).scalars()
    )


def _corrected_gold(article: Article) -> tuple[str, Gold, int] | None:
    """Return an article's stored seed, its gold (the seed parsed again and analysed, the
    corrections applied) and how many corrections were applied; None, said on stderr, when
    it has no seed, the seed no longer parses, or no correction applies.

    Words hidden from the page count as gone, as when the article is stored; the parts
    are the seed's as parsed now (what storing it again would keep).
    """
    if article.source is None:
        click.echo(f"! skipped   {article.slug}: stored without its seed file", err=True)
        return None
    try:
        seed = parse_seed(article.source, article.source_name)
    except SeedError as err:
        click.echo(f"! skipped   {article.slug}: {err}", err=True)
        return None
    corrections = corrections_of(article.id)
    bounds = sorted((part.start, part.end) for part in seed.parts)
    done = apply_corrections(
        seed.text,
        analyze_seed(seed),
        corrections,
        lambda start, end: shows_text(start, end, bounds),
    )
    not_quotes = []
    used = 0
    for correction, outcome in zip(corrections, done.outcomes, strict=True):
        if outcome.anchor is None:
            click.echo(
                f"  orphaned correction (left out): {article.slug}: {describe(correction)}",
                err=True,
            )
            continue
        used += 1
        if correction.action == "not_speech":
            not_quotes.append(outcome.anchor.words)
    if not used:
        click.echo(f"! skipped   {article.slug}: every correction is orphaned", err=True)
        return None
    return article.source, gold_of(seed.text, done.analysis, not_quotes), used


def register(app: Flask) -> None:
    """Register the commands with the app's CLI."""
    for command in (
        init_db_command,
        load_seeds_command,
        reanalyze_command,
        import_command,
        export_corrections_command,
    ):
        app.cli.add_command(command)
