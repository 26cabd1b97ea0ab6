"""Loading seeds: idempotent, atomic per article, bad files skipped, first start, PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from conftest import HARBOUR_SEED, MILL_SEED, PROJECT
from flask import Flask
from sqlalchemy import func, select

from webapp import library
from webapp.analysis.result import Analysis
from webapp.models import Article, ArticlePerson, Base, Mention, Person, Quote, db
from webapp.seedfile import MAX_SEED_BYTES

pytestmark = pytest.mark.usefixtures("fake_engine")

WriteSeed = Callable[[str, str | bytes], Path]


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Return every row of every table, for comparing the database before and after."""
    return {
        table.name: [
            tuple(row)
            for row in db.session.execute(table.select().order_by(*table.primary_key.columns))
        ]
        for table in Base.metadata.sorted_tables
    }


def count(model: type) -> int:
    """Return the number of rows of a model."""
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_loading_the_same_files_twice_changes_nothing(
    app: Flask, seeds_dir: Path, write_seed: WriteSeed
) -> None:
    write_seed("harbour.txt", HARBOUR_SEED)
    write_seed("mill.txt", MILL_SEED)
    with app.app_context():
        first = library.load_seeds(seeds_dir)
        assert [(r.name, r.status) for r in first.results] == [
            ("harbour.txt", "loaded"),
            ("mill.txt", "loaded"),
        ]
        before = snapshot()
        second = library.load_seeds(seeds_dir)
        assert [r.status for r in second.results] == ["unchanged", "unchanged"]
        assert second.summary() == "0 loaded, 0 updated, 2 unchanged, 0 skipped"
        assert snapshot() == before
        assert count(Article) == 2
        assert count(Person) == 2  # Karl Olsen is in both articles: one row


def test_an_edited_file_updates_its_article_in_place(
    app: Flask, seeds_dir: Path, write_seed: WriteSeed
) -> None:
    path = write_seed("harbour.txt", HARBOUR_SEED)
    with app.app_context():
        library.load_seeds(seeds_dir)
        article = db.session.execute(select(Article)).scalar_one()
        article_id, slug, old_hash = article.id, article.slug, article.content_hash
        assert count(Quote) == 4

        path.write_text(
            HARBOUR_SEED.replace(
                "## Harbour plan approved", "## Harbour plan finally approved"
            ).replace('"Nobody asked us," a resident said.', "A resident was unhappy."),
            encoding="utf-8",
        )
        report = library.load_seeds(seeds_dir)
        assert [(r.status, r.slug) for r in report.results] == [("updated", slug)]
        db.session.expire_all()
        article = db.session.execute(select(Article)).scalar_one()
        assert (article.id, article.slug) == (article_id, slug)
        assert article.title == "Harbour plan finally approved"
        assert article.content_hash != old_hash
        quotes = db.session.execute(select(Quote).order_by(Quote.number)).scalars().all()
        assert [q.number for q in quotes] == [1, 2, 3]
        assert all(article.text[q.start : q.end] == q.text for q in quotes)


def test_a_new_engine_version_reanalyses_unchanged_files(
    app: Flask, seeds_dir: Path, write_seed: WriteSeed, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_seed("harbour.txt", HARBOUR_SEED)
    with app.app_context():
        library.load_seeds(seeds_dir)
        monkeypatch.setattr(library, "ENGINE_VERSION", "voices-analysis test-2")
        import webapp.analysis

        original = webapp.analysis.analyze

        def newer(text: str) -> Analysis:
            result = original(text)
            result.engine = "voices-analysis test-2"
            return result

        monkeypatch.setattr(webapp.analysis, "analyze", newer)
        assert [r.status for r in library.load_seeds(seeds_dir).results] == ["updated"]
        assert db.session.execute(select(Article.engine)).scalar() == "voices-analysis test-2"
        assert [r.status for r in library.load_seeds(seeds_dir).results] == ["unchanged"]


def _fail_for(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make storing quotations fail, part-way through the article, for one seed file."""
    store_quotes = library._store_quotes

    def failing(article: Article, result: Analysis, people: dict[str, Person]) -> None:
        store_quotes(article, result, people)
        if article.source_name == name:
            db.session.flush()  # the rows reach the database before the failure
            raise RuntimeError("disk on fire")

    monkeypatch.setattr(library, "_store_quotes", failing)


def test_a_failure_while_storing_rolls_back_only_that_article(
    app: Flask, seeds_dir: Path, write_seed: WriteSeed, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_seed("a-harbour.txt", HARBOUR_SEED)
    write_seed("b-mill.txt", MILL_SEED)
    _fail_for("a-harbour.txt", monkeypatch)
    with app.app_context():
        report = library.load_seeds(seeds_dir)
        assert [(r.name, r.status) for r in report.results] == [
            ("a-harbour.txt", "skipped"),
            ("b-mill.txt", "loaded"),
        ]
        assert "a-harbour.txt" in (report.skipped[0].reason or "")
        assert "disk on fire" in (report.skipped[0].reason or "")
        assert db.session.execute(select(Article.source_name)).scalars().all() == ["b-mill.txt"]
        # Only the mill's rows exist: one quotation, one person (Karl Olsen).
        assert count(Quote) == 1
        assert db.session.execute(select(Person.name)).scalars().all() == ["Karl Olsen"]
        assert count(Mention) == 1


def test_a_failed_update_leaves_the_old_version_intact(
    app: Flask, seeds_dir: Path, write_seed: WriteSeed, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_seed("harbour.txt", HARBOUR_SEED)
    with app.app_context():
        library.load_seeds(seeds_dir)
        before = snapshot()
        path.write_text(HARBOUR_SEED.replace("Tuesday", "Wednesday"), encoding="utf-8")
        _fail_for("harbour.txt", monkeypatch)
        report = library.load_seeds(seeds_dir)
        assert [r.status for r in report.results] == ["skipped"]
        db.session.expire_all()
        assert snapshot() == before


BAD_SEEDS = [
    ("empty.txt", b"", "empty.txt:1: file is empty"),
    ("blank.txt", b"\n\n   \n", "blank.txt:1: file is empty"),
    ("untitled.txt", b"\n\nJust a paragraph.\n", "untitled.txt:3:"),
    ("latin1.txt", "## Caf\u00e9\n\nGr\u00fc\u00dfe.\n".encode("latin-1"), "latin1.txt:1:"),
    ("binary.txt", b"## T\n\n\x00\x01\x02\x03", "binary.txt:3:"),
    ("huge.txt", b"## Big\n\n" + b"word " * (MAX_SEED_BYTES // 5 + 1), "huge.txt:1:"),
]


@pytest.mark.parametrize(("name", "content", "reason"), BAD_SEEDS, ids=[b[0] for b in BAD_SEEDS])
def test_a_bad_file_is_skipped_with_its_name_and_line_and_the_others_load(
    app: Flask,
    seeds_dir: Path,
    write_seed: WriteSeed,
    name: str,
    content: bytes,
    reason: str,
) -> None:
    write_seed("a-harbour.txt", HARBOUR_SEED)
    write_seed(name, content)
    write_seed("z-mill.txt", MILL_SEED)
    with app.app_context():
        report = library.load_seeds(seeds_dir)
        assert [r.name for r in report.loaded] == ["a-harbour.txt", "z-mill.txt"]
        assert [r.name for r in report.skipped] == [name]
        assert (report.skipped[0].reason or "").startswith(reason)
        assert count(Article) == 2


def test_an_unreadable_path_is_skipped(app: Flask, seeds_dir: Path) -> None:
    (seeds_dir / "folder.txt").mkdir()
    with app.app_context():
        report = library.load_seeds(seeds_dir)
        assert [r.status for r in report.results] == ["skipped"]
        assert (report.skipped[0].reason or "").startswith("folder.txt:0: cannot read")


def test_only_txt_files_that_are_not_hidden_are_seeds(seeds_dir: Path) -> None:
    for name in ("b.txt", "a.txt", ".hidden.txt", "notes.md"):
        (seeds_dir / name).write_text("x", encoding="utf-8")
    assert [p.name for p in library.seed_files(seeds_dir)] == ["a.txt", "b.txt"]


def test_a_javascript_source_url_is_dropped_with_a_warning(
    app: Flask, seeds_dir: Path, write_seed: WriteSeed
) -> None:
    write_seed("js.txt", HARBOUR_SEED.replace("https://example.com/harbour", "javascript:alert(1)"))
    with app.app_context():
        report = library.load_seeds(seeds_dir)
        assert [r.status for r in report.results] == ["loaded"]
        assert any("javascript" in w for w in report.loaded[0].warnings)
        assert db.session.execute(select(Article.source_url)).scalar() is None


def test_same_titles_get_distinct_slugs(app: Flask, seeds_dir: Path, write_seed: WriteSeed) -> None:
    write_seed("one.txt", HARBOUR_SEED)
    write_seed("two.txt", HARBOUR_SEED.replace("Tuesday", "Friday"))
    with app.app_context():
        report = library.load_seeds(seeds_dir)
        assert [r.slug for r in report.results] == [
            "harbour-plan-approved",
            "harbour-plan-approved-2",
        ]


def test_speakers_get_colours_in_order_of_their_first_quotation(
    app: Flask, seeds_dir: Path, write_seed: WriteSeed
) -> None:
    write_seed("harbour.txt", HARBOUR_SEED)
    with app.app_context():
        library.load_seeds(seeds_dir)
        rows = db.session.execute(
            select(Person.name, ArticlePerson.colour, ArticlePerson.role)
            .join(Person)
            .order_by(ArticlePerson.position)
        ).all()
        assert [tuple(r) for r in rows] == [
            ("Anna Berg", 1, "Mayor"),
            ("Karl Olsen", 2, "opposition leader"),
        ]
        quotes = db.session.execute(select(Quote).order_by(Quote.number)).scalars().all()
        assert [(q.channel, q.speaker_label) for q in quotes][1] == ("Radio Nord", None)


def test_people_no_article_refers_to_are_removed(
    app: Flask, seeds_dir: Path, write_seed: WriteSeed
) -> None:
    write_seed("harbour.txt", HARBOUR_SEED)
    mill = write_seed("mill.txt", MILL_SEED)
    with app.app_context():
        library.load_seeds(seeds_dir)
        mill.write_text(MILL_SEED.replace("Karl Olsen", "Anna Berg"), encoding="utf-8")
        library.load_seeds(seeds_dir)
        assert count(Person) == 2  # Karl Olsen is still in the harbour article
        (seeds_dir / "harbour.txt").write_text(
            HARBOUR_SEED.replace("Karl Olsen", "A critic"), encoding="utf-8"
        )
        library.load_seeds(seeds_dir)
        assert db.session.execute(select(Person.name)).scalars().all() == ["Anna Berg"]


def test_reanalyze_rebuilds_rows_from_the_stored_text(
    app: Flask, seeds_dir: Path, write_seed: WriteSeed, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_seed("harbour.txt", HARBOUR_SEED)
    with app.app_context():
        library.load_seeds(seeds_dir)
        import webapp.analysis

        monkeypatch.setattr(
            webapp.analysis, "analyze", lambda text: Analysis(engine="voices-analysis empty")
        )
        report = library.reanalyze()
        assert [r.status for r in report.results] == ["updated"]
        assert [count(m) for m in (Quote, Mention, ArticlePerson, Person)] == [0, 0, 0, 0]
        assert db.session.execute(select(Article.engine)).scalar() == "voices-analysis empty"


def test_reanalyze_skips_an_article_whose_analysis_fails(
    app: Flask, seeds_dir: Path, write_seed: WriteSeed, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_seed("harbour.txt", HARBOUR_SEED)
    with app.app_context():
        library.load_seeds(seeds_dir)
        before = snapshot()
        import webapp.analysis

        def broken(text: str) -> Analysis:
            raise ValueError("engine broke")

        monkeypatch.setattr(webapp.analysis, "analyze", broken)
        report = library.reanalyze()
        assert [r.status for r in report.results] == ["skipped"]
        assert "engine broke" in (report.skipped[0].reason or "")
        assert snapshot() == before


@pytest.mark.parametrize(
    ("value", "slug"),
    [
        (
            "NATO and Russia Clash Again on Missile Defense",
            "nato-and-russia-clash-again-on-missile-defense",
        ),
        ("Café Noir: “Ça va?”", "cafe-noir-ca-va"),
        ("  --  ", ""),
        ("x" * 200, "x" * 80),
    ],
)
def test_slugify(value: str, slug: str) -> None:
    assert library.slugify(value) == slug


# First start ------------------------------------------------------------------------


def test_first_start_loads_seeds_dir_into_an_empty_database(
    make_app: Callable[..., Flask], write_seed: WriteSeed
) -> None:
    write_seed("harbour.txt", HARBOUR_SEED)
    app = make_app()
    with app.app_context():
        assert db.session.execute(select(Article.slug)).scalars().all() == ["harbour-plan-approved"]
    # A second start finds articles and loads nothing, not even a new file.
    write_seed("mill.txt", MILL_SEED)
    again = make_app()
    with again.app_context():
        assert count(Article) == 1


def test_first_start_can_be_switched_off(
    make_app: Callable[..., Flask], write_seed: WriteSeed
) -> None:
    write_seed("harbour.txt", HARBOUR_SEED)
    app = make_app(AUTOLOAD_SEEDS=False)
    with app.app_context():
        assert count(Article) == 0  # but the tables exist


def test_first_start_with_a_missing_seeds_dir_starts_empty(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    app = make_app(SEEDS_DIR=str(tmp_path / "nowhere"))
    with app.app_context():
        assert count(Article) == 0


_START = """
import sys
sys.path.insert(0, {tests!r})
import conftest, webapp.analysis
webapp.analysis.analyze = conftest.fake_analyze
from webapp import create_app
create_app({{"SQLALCHEMY_DATABASE_URI": {url!r}, "SEEDS_DIR": {seeds!r},
             "INSTANCE_PATH": {instance!r}}})
"""


def test_many_processes_starting_at_once_load_each_article_once(
    tmp_path: Path, seeds_dir: Path, write_seed: WriteSeed
) -> None:
    write_seed("harbour.txt", HARBOUR_SEED)
    write_seed("mill.txt", MILL_SEED)
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    script = _START.format(
        tests=str(PROJECT / "tests"),
        url=url,
        seeds=str(seeds_dir),
        instance=str(tmp_path / "instance"),
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script], cwd=PROJECT, env=env, stderr=subprocess.PIPE
        )
        for _ in range(6)
    ]
    errors = [p.communicate(timeout=120)[1].decode() for p in processes]
    assert [p.returncode for p in processes] == [0] * 6, errors
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        names = connection.execute(sa.text("SELECT source_name FROM articles")).scalars().all()
        people = connection.execute(sa.text("SELECT slug FROM people ORDER BY slug")).scalars()
        assert sorted(names) == ["harbour.txt", "mill.txt"]
        assert list(people) == ["anna-berg", "karl-olsen"]
    engine.dispose()


# PostgreSQL -------------------------------------------------------------------------

POSTGRES_URL = os.environ.get(
    "VOICES_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """Yield a URL into a fresh schema of the test PostgreSQL database, dropped afterwards."""
    engine = sa.create_engine(POSTGRES_URL)
    try:
        with engine.connect():
            pass
    except sa.exc.OperationalError as err:
        engine.dispose()
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI: {err}")
        pytest.skip(f"PostgreSQL not reachable: {err}")
    schema = f"voices_test_{uuid.uuid4().hex[:10]}"
    with engine.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def test_loading_works_on_postgresql(
    make_app: Callable[..., Flask],
    postgres_url: str,
    seeds_dir: Path,
    write_seed: WriteSeed,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_seed("harbour.txt", HARBOUR_SEED)
    write_seed("empty.txt", "")
    app = make_app(SQLALCHEMY_DATABASE_URI=postgres_url)
    with app.app_context():
        assert db.engine.dialect.name == "postgresql"
        assert count(Article) == 1  # loaded on first start
        before = snapshot()
        write_seed("mill.txt", MILL_SEED)
        report = library.load_seeds(seeds_dir)
        assert [(r.name, r.status) for r in report.results] == [
            ("empty.txt", "skipped"),
            ("harbour.txt", "unchanged"),
            ("mill.txt", "loaded"),
        ]
        assert count(Article) == 2
        assert {k: v for k, v in snapshot().items() if k != "articles"} != before
        _fail_for("harbour.txt", monkeypatch)
        (seeds_dir / "harbour.txt").write_text(HARBOUR_SEED.replace("May", "June"))
        middle = snapshot()
        assert [r.status for r in library.load_seeds(seeds_dir).results][1] == "skipped"
        db.session.expire_all()
        assert snapshot() == middle
        db.session.execute(sa.delete(Article).where(Article.source_name == "mill.txt"))
        db.session.commit()
        assert count(Quote) == 4  # ON DELETE CASCADE removed the mill's quotation
    client = app.test_client()
    assert client.get("/articles/harbour-plan-approved").status_code == 200
