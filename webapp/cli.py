"""Command-line interface: flask --app webapp init-db | load-seeds [DIR] | reanalyze |
import SOURCE...

The commands never load SEEDS_DIR on their own (that is the web server's first start):
each does only what it says, and creates the tables first where it needs them.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import OperationalError

from webapp import db as database
from webapp import imports, library

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


def register(app: Flask) -> None:
    """Register the commands with the app's CLI."""
    for command in (init_db_command, load_seeds_command, reanalyze_command, import_command):
        app.cli.add_command(command)
