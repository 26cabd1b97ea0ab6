"""Preparing seed files in worker processes: the same articles as in one process, failures
reported the same way, a file changed meanwhile prepared again."""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from helpers import HARBOUR_SEED, MILL_SEED, fake_analyze
from sqlalchemy import select

import webapp.analysis
import webapp.prepare as prepare_module
from webapp import library, publish, store
from webapp.analysis.result import Analysis
from webapp.models import Article, Person, Quote, db
from webapp.prepare import MIN_FILES, prepare, preparing_ahead, working_ahead
from webapp.seedfile import parse_seed

WriteSeed = Callable[[str, str], Path]


def write_folder(write_seed: WriteSeed, count: int) -> None:
    """Write count seeds, copies of the harbour and mill seeds with titles of their own."""
    for number in range(count):
        seed = (HARBOUR_SEED, MILL_SEED)[number % 2]
        text = re.sub(r"^(## .*)$", rf"\1 {number}", seed, count=1, flags=re.MULTILINE)
        write_seed(f"{number:02d}.txt", text)


def stored(app: Flask) -> list[tuple[Any, ...]]:
    """Return what was stored of every article, and its quotations, in file order."""
    with app.app_context():
        articles = db.session.execute(
            select(
                Article.source_name, Article.slug, Article.html_parts, Article.revision
            ).order_by(Article.source_name)
        ).all()
        quotes = db.session.execute(
            select(Article.source_name, Quote.number, Quote.text, Quote.speaker_id)
            .join(Article, Quote.article_id == Article.id)
            .order_by(Article.source_name, Quote.number)
        ).all()
    return [tuple(row) for row in [*articles, *quotes]]


@pytest.mark.usefixtures("fake_engine")
def test_workers_store_exactly_what_one_process_stores(
    make_app: Callable[..., Flask], tmp_path: Path, seeds_dir: Path, write_seed: WriteSeed
) -> None:
    write_folder(write_seed, 12)
    results = {}
    for workers in (1, 2):
        app = make_app(
            LOAD_WORKERS=workers,
            AUTOLOAD_SEEDS=False,
            SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / f'w{workers}.sqlite'}",
        )
        with app.app_context():
            report = library.load_seeds(seeds_dir)
        assert [r.status for r in report.results] == ["loaded"] * 12
        results[workers] = stored(app)
    assert results[1] == results[2]
    assert len(results[2]) > 12  # articles and their quotations


@pytest.mark.usefixtures("fake_engine")
def test_workers_load_into_postgresql(
    make_app: Callable[..., Flask], postgres_url: str, seeds_dir: Path, write_seed: WriteSeed
) -> None:
    # The workers are forked while the loader holds PostgreSQL connections: they never
    # touch them, and the loader goes on using them.
    write_folder(write_seed, 12)
    app = make_app(LOAD_WORKERS=2, SQLALCHEMY_DATABASE_URI=postgres_url)  # first start
    with app.app_context():
        assert db.engine.dialect.name == "postgresql"
        assert [r.status for r in library.load_seeds(seeds_dir).results] == ["unchanged"] * 12
        write_seed("05.txt", MILL_SEED.replace("reopens", "reopens again"))
        report = library.reanalyze()
        assert [r.status for r in report.results] == ["updated"] * 12
        assert [r.status for r in library.load_seeds(seeds_dir).results].count("updated") == 1
    rows = stored(app)
    assert len([row for row in rows if len(row) == 4 and isinstance(row[2], list)]) == 12
    assert client_pages_work(app)


def client_pages_work(app: Flask) -> bool:
    """Return whether the list and every reading page answer 200."""
    client = app.test_client()
    with app.app_context():
        slugs = db.session.execute(select(Article.slug)).scalars().all()
    return client.get("/").status_code == 200 and all(
        client.get(f"/articles/{slug}").status_code == 200 for slug in slugs
    )


def test_a_failure_in_a_worker_skips_only_that_file(
    make_app: Callable[..., Flask], seeds_dir: Path, write_seed: WriteSeed, monkeypatch: Any
) -> None:
    def analyze(text: str, **options: Any) -> Analysis:
        if "Harbour plan approved 2" in text:
            raise KeyError("engine bug")
        return fake_analyze(text, **options)

    monkeypatch.setattr(webapp.analysis, "analyze", analyze)  # the workers are forked after
    write_folder(write_seed, 6)
    write_seed("07-bad.txt", "## Title only\n")
    app = make_app(LOAD_WORKERS=2, AUTOLOAD_SEEDS=False)
    with app.app_context():
        report = library.load_seeds(seeds_dir)
    outcome = {r.name: (r.status, r.reason) for r in report.results}
    assert outcome["02.txt"] == ("skipped", "02.txt:0: analysis failed: KeyError: 'engine bug'")
    assert outcome["07-bad.txt"][0] == "skipped" and outcome["07-bad.txt"][1].startswith(
        "07-bad.txt:"
    )
    assert [name for name, (status, _) in outcome.items() if status == "loaded"] == [
        "00.txt",
        "01.txt",
        "03.txt",
        "04.txt",
        "05.txt",
    ]


@pytest.mark.usefixtures("fake_engine")
def test_a_file_changed_after_it_was_handed_out_is_prepared_again(
    seeds_dir: Path, write_seed: WriteSeed
) -> None:
    write_folder(write_seed, MIN_FILES)
    paths = sorted(seeds_dir.iterdir())
    with preparing_ahead(paths, 2) as ahead:
        assert ahead is not None
        first = paths[0].read_bytes()
        ready = ahead.take(paths[0], hashlib.sha256(first).hexdigest())
        assert ready is not None and ready.seed is not None
        assert ready.seed.title == "Harbour plan approved 0"
        # The loader read other bytes than the worker did: the worker's result is not used.
        assert ahead.take(paths[1], hashlib.sha256(b"other").hexdigest()) is None
        assert ahead.take(Path("never-handed-out.txt"), "0" * 64) is None


def test_few_files_or_one_worker_are_prepared_in_the_loader(
    seeds_dir: Path, write_seed: WriteSeed
) -> None:
    write_folder(write_seed, MIN_FILES)
    paths = sorted(seeds_dir.iterdir())
    with preparing_ahead(paths, 1) as ahead:
        assert ahead is None
    with preparing_ahead(paths[: MIN_FILES - 1], 2) as ahead:
        assert ahead is None


@pytest.mark.usefixtures("fake_engine")
def test_prepare_never_raises_for_a_bad_file() -> None:
    refused = prepare(b"\x00\x01binary", "bin.txt")
    assert refused.refused is not None and refused.refused.startswith("bin.txt:")
    assert refused.seed is None and refused.failure is None
    good = prepare(HARBOUR_SEED.encode(), "harbour.txt")
    assert good.seed is not None and good.analysis is not None
    assert good.source == HARBOUR_SEED
    assert good.digest == hashlib.sha256(HARBOUR_SEED.encode()).hexdigest()


@pytest.mark.usefixtures("fake_engine")
def test_a_page_prerendered_with_a_slug_taken_meanwhile_is_rendered_again(app: Flask) -> None:
    seed = parse_seed(HARBOUR_SEED.encode(), "harbour.txt")
    analysis = store.analyze_seed(seed)
    prerendered = store.prerender(seed, analysis)
    assert prerendered.slugs["Anna Berg"] == "anna-berg"
    assert 'data-person="anna-berg"' in "".join(p["html"] for p in prerendered.html_parts)
    with app.app_context():
        # Someone else got "anna-berg" first (another name with the same slug).
        db.session.add(Person(slug="anna-berg", name="ANNA BERG"))
        db.session.commit()
        store.store_seed(seed, analysis, prerendered=prerendered)
        db.session.commit()
        slug = db.session.execute(select(Person.slug).where(Person.name == "Anna Berg")).scalar()
        html = db.session.execute(select(Article.html_parts)).scalar_one()
    assert slug != "anna-berg"
    page = "".join(p["html"] for p in html)
    assert f'data-person="{slug}"' in page and 'data-person="anna-berg"' not in page


@pytest.mark.usefixtures("fake_engine")
def test_a_page_prerendered_with_the_slugs_it_gets_is_stored_as_it_is(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed = parse_seed(HARBOUR_SEED.encode(), "harbour.txt")
    analysis = store.analyze_seed(seed)
    prerendered = store.prerender(seed, analysis)
    monkeypatch.setattr(publish, "render_parts", lambda *a: pytest.fail("rendered again"))
    with app.app_context():
        store.store_seed(seed, analysis, prerendered=prerendered)
        db.session.commit()
        assert db.session.execute(select(Article.html_parts)).scalar_one() == (
            prerendered.html_parts
        )


@pytest.mark.usefixtures("fake_engine")
def test_reanalysis_in_workers_stores_what_one_process_stores(
    make_app: Callable[..., Flask], seeds_dir: Path, write_seed: WriteSeed, monkeypatch: Any
) -> None:
    write_folder(write_seed, 8)
    app = make_app(LOAD_WORKERS=1)  # loaded at first start, in one process
    before = stored(app)
    app.config["LOAD_WORKERS"] = 2

    def shouting(text: str, **options: Any) -> Analysis:  # a new engine: other roles
        result = fake_analyze(text, **options)
        people = [
            dataclasses.replace(p, role=(p.role or "").upper() or None) for p in result.people
        ]
        return dataclasses.replace(result, people=people)

    monkeypatch.setattr(webapp.analysis, "analyze", shouting)
    with app.app_context():
        report = library.reanalyze()
    assert [r.status for r in report.results] == ["updated"] * 8
    after = stored(app)
    assert after != before  # the roles changed, so the pages did
    app_one = make_app(
        LOAD_WORKERS=1, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"]
    )
    with app_one.app_context():
        library.reanalyze()  # the same engine again, in one process
    assert stored(app_one) == after


def test_a_killed_worker_leaves_the_loader_to_prepare_the_rest(
    make_app: Callable[..., Flask], seeds_dir: Path, write_seed: WriteSeed, monkeypatch: Any
) -> None:
    loader = os.getpid()

    def analyze(text: str, **options: Any) -> Analysis:
        if os.getpid() != loader and "Harbour plan approved 4" in text:
            os._exit(1)  # a worker killed (out of memory, say) in the middle of the load
        return fake_analyze(text, **options)

    monkeypatch.setattr(webapp.analysis, "analyze", analyze)
    write_folder(write_seed, 30)
    app = make_app(LOAD_WORKERS=2, AUTOLOAD_SEEDS=False)
    with app.app_context():
        report = library.load_seeds(seeds_dir)
    assert [r.status for r in report.results] == ["loaded"] * 30


def test_work_that_cannot_be_handed_out_is_left_to_the_caller(
    seeds_dir: Path, write_seed: WriteSeed
) -> None:
    write_folder(write_seed, MIN_FILES * 2)
    paths = sorted(seeds_dir.iterdir())

    def unreadable(key: Any) -> Any:
        raise OSError("gone")

    with working_ahead(list(paths), 2, unreadable) as ahead:
        assert ahead is not None
        assert all(ahead.take(path, "0" * 64) is None for path in paths)
    assert gc.get_freeze_count() == 0  # the collector sees every object again


def test_the_collector_is_unfrozen_even_when_the_pool_cannot_start(
    seeds_dir: Path, write_seed: WriteSeed, monkeypatch: Any
) -> None:
    write_folder(write_seed, MIN_FILES)

    def no_pool(*args: Any, **kwargs: Any) -> Any:
        raise OSError("no more processes")

    monkeypatch.setattr(prepare_module, "ProcessPoolExecutor", no_pool)
    with pytest.raises(OSError), preparing_ahead(sorted(seeds_dir.iterdir()), 2):
        pass
    assert gc.get_freeze_count() == 0
