"""Loading seeds: idempotent, atomic per article, bad files skipped, first start, PostgreSQL."""

from __future__ import annotations

import dataclasses
import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from helpers import (
    HARBOUR_SEED,
    MILL_SEED,
    PROJECT,
    WriteSeed,
    changes,
    count,
    fake_analyze,
    snapshot,
)
from sqlalchemy import func, select

import webapp.analysis
from webapp import library, prepare, render, store
from webapp.analysis.result import Analysis, Organization, Span
from webapp.analysis.result import Person as FoundPerson
from webapp.analysis.result import Quote as FoundQuote
from webapp.models import Article, ArticlePerson, Mention, Person, Quote, db
from webapp.seedfile import MAX_SEED_BYTES
from webapp.slugs import name_hash

# The engine itself, saved before the fake_engine fixture replaces it for most tests here.
REAL_ANALYZE = webapp.analysis.analyze

pytestmark = pytest.mark.usefixtures("fake_engine")


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

        def newer(text: str, **options: Any) -> Analysis:
            result = original(text, **options)
            result.engine = "voices-analysis test-2"
            return result

        monkeypatch.setattr(webapp.analysis, "analyze", newer)
        assert [r.status for r in library.load_seeds(seeds_dir).results] == ["updated"]
        assert db.session.execute(select(Article.engine)).scalar() == "voices-analysis test-2"
        assert [r.status for r in library.load_seeds(seeds_dir).results] == ["unchanged"]


def _fail_for(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make storing fail for one seed file once its quotations are inserted, part-way through
    the article."""
    apply = store.apply

    def failing(article: Article, *args: Any) -> None:
        if article.source_name == name:
            db.session.flush()  # the rows reach the database before the failure
            raise RuntimeError("disk on fire")
        apply(article, *args)

    monkeypatch.setattr(store, "apply", failing)


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


def test_a_file_that_is_not_a_regular_file_is_skipped_without_reading_it(
    app: Flask, seeds_dir: Path, write_seed: WriteSeed
) -> None:
    (seeds_dir / "folder.txt").mkdir()
    os.mkfifo(seeds_dir / "pipe.txt")  # opening it for reading would wait for a writer
    (seeds_dir / "zero.txt").symlink_to("/dev/zero")  # reading it would never end
    (seeds_dir / "dangling.txt").symlink_to(seeds_dir / "nowhere")
    write_seed("linked-target.md", MILL_SEED)
    (seeds_dir / "linked.txt").symlink_to(seeds_dir / "linked-target.md")
    with app.app_context():
        report = library.load_seeds(seeds_dir)
    assert [(r.name, r.status, r.reason) for r in report.results] == [
        ("dangling.txt", "skipped", "dangling.txt:0: cannot read: No such file or directory"),
        ("folder.txt", "skipped", "folder.txt:0: not a regular file (a folder)"),
        ("linked.txt", "loaded", None),  # a symlink to a regular file is fine
        ("pipe.txt", "skipped", "pipe.txt:0: not a regular file (a named pipe)"),
        ("zero.txt", "skipped", "zero.txt:0: not a regular file (a character device)"),
    ]


def test_at_most_one_byte_over_the_limit_is_read(
    app: Flask, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with (seeds_dir / "sparse.txt").open("wb") as handle:
        handle.truncate(50 * MAX_SEED_BYTES)  # 100 MB of NUL bytes, sparse on disk
    sizes: list[int] = []
    real_fdopen = os.fdopen

    class Counting:
        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def __enter__(self) -> Counting:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def fileno(self) -> int:
            return int(self.handle.fileno())

        def read(self, size: int = -1) -> bytes:
            data: bytes = self.handle.read(size)
            sizes.append(len(data))
            return data

    monkeypatch.setattr(library.os, "fdopen", lambda *a, **k: Counting(real_fdopen(*a, **k)))
    with app.app_context():
        (result,) = library.load_seeds(seeds_dir).results
    assert (result.status, result.reason) == (
        "skipped",
        f"sparse.txt:1: file is over the {MAX_SEED_BYTES} byte limit",
    )
    # Read once to plan the load, once to load it: never more than one byte over.
    assert sizes and set(sizes) == {MAX_SEED_BYTES + 1}


@pytest.mark.parametrize("stage", ["parse_seed", "analyze"])
def test_any_exception_while_parsing_or_analysing_skips_only_that_file(
    app: Flask,
    seeds_dir: Path,
    write_seed: WriteSeed,
    monkeypatch: pytest.MonkeyPatch,
    stage: str,
) -> None:
    write_seed("a-harbour.txt", HARBOUR_SEED)
    write_seed("b-mill.txt", MILL_SEED)
    if stage == "parse_seed":
        real_parse = prepare.parse_seed

        def parse(data: str | bytes, name: str) -> Any:
            if name == "a-harbour.txt":
                raise IndexError("parser bug")
            return real_parse(data, name)

        monkeypatch.setattr(prepare, "parse_seed", parse)
        why = "a-harbour.txt:0: could not parse: IndexError: parser bug"
    else:
        import webapp.analysis

        def analyze(text: str, **options: Any) -> Analysis:
            if "harbour" in text:
                raise KeyError("engine bug")
            return fake_analyze(text, **options)

        monkeypatch.setattr(webapp.analysis, "analyze", analyze)
        why = "a-harbour.txt:0: analysis failed: KeyError: 'engine bug'"
    with app.app_context():
        report = library.load_seeds(seeds_dir)
        assert [(r.name, r.status, r.reason) for r in report.results] == [
            ("a-harbour.txt", "skipped", why),
            ("b-mill.txt", "loaded", None),
        ]
        assert db.session.execute(select(Article.source_name)).scalars().all() == ["b-mill.txt"]


def test_an_unexpected_error_in_one_file_never_stops_the_others(
    app: Flask, seeds_dir: Path, write_seed: WriteSeed, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_seed("a-harbour.txt", HARBOUR_SEED)
    write_seed("b-mill.txt", MILL_SEED)
    real_load = library.load_seed_file

    def load(path: Path, *names: frozenset[str]) -> library.LoadResult:
        if path.name == "a-harbour.txt":
            raise MemoryError("out of memory")
        return real_load(path, *names)

    monkeypatch.setattr(library, "load_seed_file", load)
    with app.app_context():
        report = library.load_seeds(seeds_dir)
    assert [(r.name, r.status, r.reason) for r in report.results] == [
        ("a-harbour.txt", "skipped", "a-harbour.txt:0: MemoryError: out of memory"),
        ("b-mill.txt", "loaded", None),
    ]


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


def test_many_same_titles_get_the_next_free_number(
    app: Flask, seeds_dir: Path, write_seed: WriteSeed
) -> None:
    # More than one batch of candidates (store.SLUG_BATCH), and a gap to fill first.
    count = store.SLUG_BATCH + 5
    for number in range(count):
        write_seed(f"{number:02d}.txt", HARBOUR_SEED.replace("Tuesday", f"day {number}"))
    with app.app_context():
        report = library.load_seeds(seeds_dir)
        slugs = [r.slug for r in report.results]
        assert slugs == ["harbour-plan-approved"] + [
            f"harbour-plan-approved-{n}" for n in range(2, count + 1)
        ]
        (seeds_dir / "02.txt").unlink()  # frees harbour-plan-approved-3
        library.prune_seeds(seeds_dir)
        write_seed("zz.txt", HARBOUR_SEED.replace("Tuesday", "yet another day"))
        (result,) = [r for r in library.load_seeds(seeds_dir).results if r.name == "zz.txt"]
        assert result.slug == "harbour-plan-approved-3"


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
            webapp.analysis, "analyze", lambda text, **_: Analysis(engine="voices-analysis empty")
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

        def broken(text: str, **options: Any) -> Analysis:
            raise ValueError("engine broke")

        monkeypatch.setattr(webapp.analysis, "analyze", broken)
        report = library.reanalyze()
        assert [r.status for r in report.results] == ["skipped"]
        assert "engine broke" in (report.skipped[0].reason or "")
        assert snapshot() == before


def test_the_analysis_is_told_the_first_part_is_the_headline(
    app: Flask, seeds_dir: Path, write_seed: WriteSeed, monkeypatch: pytest.MonkeyPatch
) -> None:
    import webapp.analysis

    calls: list[dict[str, Any]] = []

    def recording(text: str, **options: Any) -> Analysis:
        calls.append(options)
        return fake_analyze(text, **options)

    monkeypatch.setattr(webapp.analysis, "analyze", recording)
    write_seed("harbour.txt", HARBOUR_SEED)
    with app.app_context():
        library.load_seeds(seeds_dir)
        library.reanalyze()
    assert calls == [{"headline": True}, {"headline": True}]


def test_reanalyze_parses_the_stored_seed_again(
    app: Flask, seeds_dir: Path, write_seed: WriteSeed, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_seed("harbour.txt", HARBOUR_SEED)
    with app.app_context():
        library.load_seeds(seeds_dir)
        path.unlink()  # the stored copy of the file is what is parsed again
        real_parse = prepare.parse_seed

        def fixed(data: str | bytes, name: str) -> Any:
            seed = real_parse(data, name)
            return dataclasses.replace(seed, title=seed.title.upper())

        monkeypatch.setattr(prepare, "parse_seed", fixed)
        report = library.reanalyze()
        assert [(r.status, r.slug) for r in report.results] == [
            ("updated", "harbour-plan-approved")
        ]
        assert db.session.execute(select(Article.title)).scalar() == "HARBOUR PLAN APPROVED"
        assert count(Quote) == 4


def test_a_new_parser_version_parses_unchanged_files_again(
    app: Flask, seeds_dir: Path, write_seed: WriteSeed, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_seed("harbour.txt", HARBOUR_SEED)
    with app.app_context():
        library.load_seeds(seeds_dir)
        assert db.session.execute(select(Article.parser)).scalar() == store.PARSER_VERSION
        monkeypatch.setattr(store, "PARSER_VERSION", "test-2")
        assert [r.status for r in library.load_seeds(seeds_dir).results] == ["updated"]
        assert db.session.execute(select(Article.parser)).scalar() == "test-2"
        assert [r.status for r in library.load_seeds(seeds_dir).results] == ["unchanged"]


def test_a_new_renderer_renders_again_without_analysing(
    app: Flask, seeds_dir: Path, write_seed: WriteSeed, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_seed("harbour.txt", HARBOUR_SEED)
    with app.app_context():
        library.load_seeds(seeds_dir)
        quotes = snapshot()["quotes"]
        import webapp.analysis

        monkeypatch.setattr(webapp.analysis, "analyze", None)  # calling it would fail
        monkeypatch.setattr(render, "RENDER_VERSION", "test-3")
        assert [r.status for r in library.load_seeds(seeds_dir).results] == ["updated"]
        assert db.session.execute(select(Article.renderer)).scalar() == "test-3"
        assert snapshot()["quotes"] == quotes


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8-sig"])
def test_a_utf16_seed_loads_and_keeps_its_text(
    app: Flask, seeds_dir: Path, write_seed: WriteSeed, encoding: str
) -> None:
    """A seed saved as UTF-16 (or UTF-8 with a mark) loads like its UTF-8 twin."""
    write_seed("harbour.txt", HARBOUR_SEED.encode(encoding))
    with app.app_context():
        (result,) = library.load_seeds(seeds_dir).results
        assert result.status == "loaded", result.reason
        title, source = db.session.execute(select(Article.title, Article.source)).one()
        assert title == "Harbour plan approved"
        assert source == HARBOUR_SEED  # decoded, the byte-order mark dropped


def test_a_source_url_with_user_info_is_dropped_with_a_warning(
    app: Flask, seeds_dir: Path, write_seed: WriteSeed
) -> None:
    spoof = "https://www.example.com@evil.example/harbour"
    write_seed("spoof.txt", HARBOUR_SEED.replace("https://example.com/harbour", spoof))
    with app.app_context():
        (result,) = library.load_seeds(seeds_dir).results
        assert result.status == "loaded"
        assert result.warnings == (
            f"spoof.txt:19: source URL {spoof!r} dropped:"  # the line of the URL
            " only plain http(s) links without user names are kept",
        )
        assert db.session.execute(select(Article.source_url, Article.warnings)).one() == (
            None,
            list(result.warnings),
        )


# People: one row per distinct name, each with its own slug ---------------------------

NAMES_SEED = """## Names

Alpha said hello. Beta said hello. Gamma said hello. Delta said hello. Omega said hello.
"""


def _names_engine(names: dict[str, str]) -> Callable[..., Analysis]:
    """Return an engine that finds these people (name -> word in the text), each quoted."""

    def analyze(text: str, **options: Any) -> Analysis:
        people, quotes = [], []
        for number, (name, word) in enumerate(names.items(), start=1):
            at = text.index(word)
            people.append(FoundPerson(id=f"p{number}", name=name, mentions=[Span(at, at + 5)]))
            said = text.index("hello", at)
            quotes.append(
                FoundQuote(f"q{number}", said, said + 5, "hello", "direct", speaker=f"p{number}")
            )
        return Analysis(people=people, quotes=quotes)

    return analyze


def test_every_distinct_name_gets_its_own_unicode_slug(
    app: Flask, seeds_dir: Path, write_seed: WriteSeed, monkeypatch: pytest.MonkeyPatch
) -> None:
    import webapp.analysis

    names = {
        "José Núñez": "Alpha",
        "Jose Nunez": "Beta",
        "東京": "Gamma",
        "Владимир Путин": "Delta",
        "…": "Omega",
    }
    monkeypatch.setattr(webapp.analysis, "analyze", _names_engine(names))
    write_seed("names.txt", NAMES_SEED)
    with app.app_context():
        library.load_seeds(seeds_dir)
        rows = dict(db.session.execute(select(Person.name, Person.slug)).all())
        assert rows == {
            "Jose Nunez": "jose-nunez",
            "José Núñez": f"jose-nunez-{name_hash('José Núñez')}",
            "東京": "東京",
            "Владимир Путин": "владимир-путин",
            "…": f"person-{name_hash('…')}",
        }
        speakers = db.session.execute(
            select(Person.slug).join(Quote, Quote.speaker_id == Person.id).order_by(Quote.number)
        ).scalars()
        assert len(set(speakers)) == 5  # nobody merged
        # Loading another article with the same names reuses the rows and their slugs.
        write_seed("names-2.txt", NAMES_SEED.replace("## Names", "## More names"))
        library.load_seeds(seeds_dir)
        assert dict(db.session.execute(select(Person.name, Person.slug)).all()) == rows


def test_a_slug_taken_by_another_name_is_never_shared(
    app: Flask, seeds_dir: Path, write_seed: WriteSeed, monkeypatch: pytest.MonkeyPatch
) -> None:
    import webapp.analysis

    with app.app_context():
        # Someone literally named like the hashed slug of another name takes both slugs.
        db.session.add(Person(slug="anna", name="Anna"))
        db.session.add(Person(slug=f"anna-{name_hash('ANNA')}", name="Anna!"))
        db.session.commit()
        monkeypatch.setattr(webapp.analysis, "analyze", _names_engine({"ANNA": "Alpha"}))
        write_seed("names.txt", NAMES_SEED)
        (result,) = library.load_seeds(seeds_dir).results
        assert result.status == "loaded"
        slug = db.session.execute(select(Person.slug).where(Person.name == "ANNA")).scalar()
        assert slug not in {"anna", f"anna-{name_hash('ANNA')}"}
        assert slug.startswith("anna-")


# First start ------------------------------------------------------------------------


def test_first_start_loads_seeds_dir_into_an_empty_database(
    make_app: Callable[..., Flask], seeds_dir: Path, write_seed: WriteSeed
) -> None:
    write_seed("harbour.txt", HARBOUR_SEED)
    app = make_app()
    with app.app_context():
        assert db.session.execute(select(Article.slug)).scalars().all() == ["harbour-plan-approved"]
        before = snapshot()
    # Every start loads what is new or changed in SEEDS_DIR; the rest is left alone.
    again = make_app()
    with again.app_context():
        assert snapshot() == before
    write_seed("mill.txt", MILL_SEED)
    (seeds_dir / "harbour.txt").write_text(HARBOUR_SEED.replace("Tuesday", "Friday"))
    third = make_app()
    with third.app_context():
        rows = db.session.execute(select(Article.source_name, Article.text).order_by(Article.id))
        assert [(name, "Friday" in text) for name, text in rows] == [
            ("harbour.txt", True),
            ("mill.txt", False),
        ]


def test_an_interrupted_first_start_is_finished_by_the_next_start(
    make_app: Callable[..., Flask], write_seed: WriteSeed, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_seed("a-harbour.txt", HARBOUR_SEED)
    write_seed("b-mill.txt", MILL_SEED)
    real_load = library.load_seed_file

    def killed_on_the_second_file(path: Path, *names: frozenset[str]) -> library.LoadResult:
        if path.name == "b-mill.txt":
            raise KeyboardInterrupt  # the server was stopped half-way
        return real_load(path, *names)

    monkeypatch.setattr(library, "load_seed_file", killed_on_the_second_file)
    with pytest.raises(KeyboardInterrupt):
        make_app()
    monkeypatch.setattr(library, "load_seed_file", real_load)
    app = make_app()
    with app.app_context():
        names = db.session.execute(select(Article.source_name).order_by(Article.source_name))
        assert names.scalars().all() == ["a-harbour.txt", "b-mill.txt"]


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
import helpers, webapp.analysis
webapp.analysis.analyze = helpers.fake_analyze
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
        karl = db.session.execute(select(Person.id).where(Person.name == "Karl Olsen")).scalar()
        write_seed("mill.txt", MILL_SEED)
        report = library.load_seeds(seeds_dir)
        assert [(r.name, r.status) for r in report.results] == [
            ("empty.txt", "skipped"),
            ("harbour.txt", "unchanged"),
            ("mill.txt", "loaded"),
        ]
        # Exactly the mill's rows were added; Karl Olsen's person row was reused (only his
        # totals over the library changed).
        diff = changes(before, snapshot())
        assert {t: {k: len(v) for k, v in d.items()} for t, d in diff.items()} == {
            "people": {"added": 0, "removed": 0, "changed": 1},
            "articles": {"added": 1, "removed": 0, "changed": 0},
            "article_people": {"added": 1, "removed": 0, "changed": 0},
            "mentions": {"added": 1, "removed": 0, "changed": 0},
            "quotes": {"added": 1, "removed": 0, "changed": 0},
            "library_state": {"added": 0, "removed": 0, "changed": 1},  # the version
        }
        (mill,) = diff["articles"]["added"]
        assert (mill["source_name"], mill["slug"]) == ("mill.txt", "old-mill-reopens")
        assert [
            (r["article_id"], r["person_id"], r["colour"], r["quote_count"], r["mention_count"])
            for r in diff["article_people"]["added"]
        ] == [(mill["id"], karl, 1, 1, 1)]
        assert [(q["article_id"], q["speaker_id"], q["text"]) for q in diff["quotes"]["added"]] == [
            (mill["id"], karl, '"It is a good day,"')
        ]
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


def test_long_values_are_stored_whole_on_postgresql(
    make_app: Callable[..., Flask],
    postgres_url: str,
    seeds_dir: Path,
    write_seed: WriteSeed,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import webapp.analysis

    long_name = "Maximilian " * 40 + "Longname"  # 448 characters
    credit = " ".join(["Photographer" + "x" * 50] * 6)  # a 383-character photo credit
    cue, channel, label = "said " * 80, "Radio " * 60, "The Committee " * 30

    def analyze(text: str, **options: Any) -> Analysis:
        at = text.index("Karl")
        said = text.index('"')
        return Analysis(
            people=[FoundPerson(id="p1", name=long_name, mentions=[Span(at, at + 4)])],
            organizations=[
                Organization(id="o1", name=channel, kind="outlet"),
                Organization(id="o2", name=label, kind="organization"),
            ],
            quotes=[
                FoundQuote("q1", said, said + 19, "", "direct", speaker="p1", cue=cue),
                FoundQuote("q2", said, said + 19, "", "direct", speaker="o2", channel="o1"),
            ],
        )

    monkeypatch.setattr(webapp.analysis, "analyze", analyze)
    write_seed(
        "mill.txt",
        MILL_SEED.replace("May 1, 2024\n", f"May 1, 2024\n\nThe mill at dawn. {credit}\n"),
    )
    app = make_app(SQLALCHEMY_DATABASE_URI=postgres_url)
    with app.app_context():
        assert db.session.execute(select(Article.photo_credit)).scalar() == credit
        assert db.session.execute(select(Person.name)).scalars().all() == [long_name]
        rows = db.session.execute(
            select(Quote.cue, Quote.channel, Quote.speaker_label).order_by(Quote.number)
        ).all()
        assert [tuple(r) for r in rows] == [(cue, None, None), (None, channel, label)]


@pytest.mark.parametrize(
    "url", ["/articles/%00", "/articles/a%00b", "/api/articles/%00", "/articles/" + "x" * 300]
)
def test_malformed_slugs_are_404_on_postgresql(
    make_app: Callable[..., Flask], postgres_url: str, url: str
) -> None:
    response = make_app(SQLALCHEMY_DATABASE_URI=postgres_url).test_client().get(url)
    assert response.status_code == 404


def test_a_server_on_a_read_only_database_logs_one_line_and_serves(
    make_app: Callable[..., Flask],
    tmp_path: Path,
    write_seed: WriteSeed,
    fake_engine: object,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The first start cannot store a new seed: one line in the log, the old pages served."""
    write_seed("harbour.txt", HARBOUR_SEED)
    make_app()  # loads harbour.txt
    write_seed("mill.txt", MILL_SEED)
    read_only = f"sqlite:///file:{tmp_path / 'voices.sqlite'}?mode=ro&uri=true"
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        app = make_app(SQLALCHEMY_DATABASE_URI=read_only)
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(failures) == 1, [r.getMessage() for r in failures]
    message = failures[0].getMessage()
    assert message.startswith("seeds not loaded: cannot use the database sqlite:///")
    assert message.endswith(": attempt to write a readonly database")
    assert failures[0].exc_info is None  # no traceback
    client = app.test_client()
    assert client.get("/articles/harbour-plan-approved").status_code == 200
    assert client.get("/healthz").get_json()["articles"] == 1


# Seeds follow their files: renames, removals, emptied files -----------------------------


def _rows() -> list[tuple[str, str]]:
    """Return (source_name, slug) of every stored article, by name."""
    return [
        tuple(row)
        for row in db.session.execute(
            select(Article.source_name, Article.slug).order_by(Article.source_name)
        )
    ]


@pytest.mark.usefixtures("fake_engine")
def test_a_renamed_seed_keeps_its_article_and_address(
    app: Flask, seeds_dir: Path, write_seed: WriteSeed
) -> None:
    write_seed("harbour.txt", HARBOUR_SEED)
    with app.app_context():
        library.load_seeds(seeds_dir)
        (article_id,) = db.session.execute(select(Article.id)).scalars()
        (seeds_dir / "harbour.txt").rename(seeds_dir / "2024-harbour.txt")
        (result,) = library.load_seeds(seeds_dir).results
        assert (result.status, result.name, result.renamed_from, result.slug) == (
            "updated",
            "2024-harbour.txt",
            "harbour.txt",
            "harbour-plan-approved",
        )
        assert _rows() == [("2024-harbour.txt", "harbour-plan-approved")]
        assert db.session.execute(select(Article.id)).scalar_one() == article_id
        assert [r.status for r in library.load_seeds(seeds_dir).results] == ["unchanged"]


@pytest.mark.usefixtures("fake_engine")
def test_a_copy_is_a_second_article_not_a_rename(
    app: Flask, seeds_dir: Path, write_seed: WriteSeed
) -> None:
    """Both files are there: the copy is a new article with an address of its own."""
    write_seed("harbour.txt", HARBOUR_SEED)
    with app.app_context():
        library.load_seeds(seeds_dir)
        write_seed("copy.txt", HARBOUR_SEED)
        statuses = {r.name: r.status for r in library.load_seeds(seeds_dir).results}
        assert statuses == {"copy.txt": "loaded", "harbour.txt": "unchanged"}
        assert len(_rows()) == 2


@pytest.mark.usefixtures("fake_engine")
def test_prune_removes_only_this_folders_articles_whose_file_is_gone_or_empty(
    app: Flask, seeds_dir: Path, write_seed: WriteSeed, tmp_path: Path
) -> None:
    write_seed("harbour.txt", HARBOUR_SEED)
    write_seed("mill.txt", MILL_SEED)
    other = tmp_path / "other"
    other.mkdir()
    (other / "elsewhere.txt").write_text(
        MILL_SEED.replace("Old mill", "Far mill"), encoding="utf-8"
    )
    with app.app_context():
        library.load_seeds(seeds_dir)
        library.load_seeds(other)
        (seeds_dir / "mill.txt").unlink()
        write_seed("harbour.txt", "  \n")  # emptied
        (result,) = library.load_seeds(seeds_dir).results  # harbour.txt: a warning, kept
        assert result.status == "unchanged"
        assert result.warnings == (
            "harbour.txt:1: the file is empty: its article stays until `load-seeds --prune`",
        )
        assert len(_rows()) == 3  # nothing removed without --prune
        removed = library.prune_seeds(seeds_dir).results
        assert sorted((r.status, r.name) for r in removed) == [
            ("removed", "harbour.txt"),
            ("removed", "mill.txt"),
        ]
        assert _rows() == [("elsewhere.txt", "far-mill-reopens")]  # another folder: kept
        assert db.session.execute(select(func.count()).select_from(Person)).scalar() == 1
        assert library.prune_seeds(seeds_dir).results == []


# Crafted seeds: no input makes storing super-linear -------------------------------------


def test_crafted_seeds_load_in_seconds(
    app: Flask, seeds_dir: Path, write_seed: WriteSeed, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webapp.analysis, "analyze", REAL_ANALYZE)  # the real engine here
    write_seed("apostrophes.txt", "## Crafted\n\nJune 9, 2011\n\n" + "'a' " * 30_000 + "\n")
    quotations = " ".join(f'"Q{n}," Jane Doe said.' for n in range(20_000))
    write_seed("quotations.txt", f"## Many quotations\n\nJune 9, 2011\n\n{quotations}\n")
    assert (seeds_dir / "apostrophes.txt").stat().st_size > 120_000
    start = time.perf_counter()
    with app.app_context():
        report = library.load_seeds(seeds_dir)
        elapsed = time.perf_counter() - start
        assert [(r.name, r.status) for r in report.results] == [
            ("apostrophes.txt", "loaded"),
            ("quotations.txt", "loaded"),
        ]
        counts = dict(db.session.execute(select(Article.source_name, Article.quote_count)).all())
    assert counts["quotations.txt"] == 20_000
    # A generous bound that only a super-linear step breaks (bleach alone took 62 s on the
    # 20,000 quotations); the speed itself is what benchmarks/bench_load.py prints.
    assert elapsed < 30, elapsed
