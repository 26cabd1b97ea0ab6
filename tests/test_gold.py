"""Gold annotations from the owner's corrections: the pure conversion (webapp.gold) and
`flask --app webapp export-corrections DIR`, whose folder webapp.analysis.evaluate scores."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from helpers import SEED_SLUG, WriteSeed, correct
from sqlalchemy import update

from webapp import library
from webapp.analysis.evaluate import evaluate_folder
from webapp.analysis.result import Analysis, Organization, Person, Quote, Span
from webapp.correction_store import Speaker
from webapp.gold import gold_of, inner_words, occurrence_of
from webapp.models import Article, Correction, db

# The pure conversion -----------------------------------------------------------------------

TEXT = 'Ann Lee said "Yes." Then "Yes." again, Bo Tan told Radio X "no way" and "Hi".'


def quote_at(quote_id: str, words: str, nth: int = 1, **fields: object) -> Quote:
    """Return a quotation of the nth place words are in TEXT."""
    start = -1
    for _ in range(nth):
        start = TEXT.index(words, start + 1)
    return Quote(quote_id, start, start + len(words), words, **fields)  # type: ignore[arg-type]


ANALYSIS = Analysis(
    people=[
        Person("p1", "Ann Lee", "mayor", aliases=["Lee"], mentions=[Span(0, 7)]),
        Person("p2", "Bo Tan", None, mentions=[Span(40, 46)]),
    ],
    organizations=[Organization("o1", "Radio X", "outlet", [Span(52, 59)])],
    quotes=[  # not in the order of the text: the gold is
        quote_at("q3", '"no way"', kind="partial", speaker="p2", channel="o1"),
        quote_at("q2", '"Yes."', 2, kind="direct", speaker=None),
        quote_at("q1", '"Yes."', kind="direct", speaker="p1"),
        quote_at("q4", '"Hi"', kind="direct", speaker="nobody-known"),
    ],
)


def test_gold_of_an_analysis() -> None:
    assert gold_of(TEXT, ANALYSIS, ['"Hi"', "Hi", '"Then"', "  "]) == {
        "people": [
            {"name": "Ann Lee", "role": "mayor", "aliases": ["Lee"]},
            {"name": "Bo Tan", "role": None, "aliases": []},
        ],
        "organizations": [{"name": "Radio X", "kind": "outlet"}],
        "quotes": [
            {"text": "Yes.", "speaker": "Ann Lee", "kind": "direct", "channel": None},
            {
                "text": "Yes.",
                "speaker": None,
                "kind": "direct",
                "channel": None,
                "occurrence": 2,
            },
            {"text": "no way", "speaker": "Bo Tan", "kind": "partial", "channel": "Radio X"},
            {"text": "Hi", "speaker": None, "kind": "direct", "channel": None},
        ],
        "not_quotes": ["Hi", "Then"],  # marks off, each once, blank words left out
    }
    assert ANALYSIS.quotes[0].id == "q3"  # the analysis given is not changed


def test_inner_words_and_occurrences_as_evaluate_reads_them() -> None:
    assert inner_words("“It is,”") == "It is,"
    assert inner_words("``Quite''") == "Quite"
    assert inner_words("no marks") == "no marks"  # words the owner added without marks
    assert inner_words("'Tis so'") == "Tis so"
    assert occurrence_of("aaa", "aa", 1) == 2  # overlapping places count, as evaluate finds
    assert occurrence_of("x y x", "x", 4) == 2
    with pytest.raises(ValueError, match="is not at 2"):
        occurrence_of("x y x", "x", 2)


def test_a_quotation_not_at_its_place_is_refused() -> None:
    wrong = Analysis(quotes=[Quote("q1", 0, 6, '"Yes."', "direct")])
    with pytest.raises(ValueError, match="q1 is not at 0"):
        gold_of(TEXT, wrong)


# The command -----------------------------------------------------------------------------

WORDS = '"doesn\'t suit us"'  # quoted from Anatoly Serdyukov; the owner says Araz Azimov did


@pytest.fixture
def corrected_seed(make_app: Callable[..., Flask], real_seed: Path) -> Flask:
    """Return an app whose library is the project's seed, one quotation's speaker corrected."""
    app = make_app()  # loads the seed at its first start
    correct(app, SEED_SLUG, WORDS, Speaker("person", "Araz Azimov"))
    return app


def test_export_corrections_writes_a_gold_the_evaluation_scores(
    corrected_seed: Flask, real_seed: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "gold" / "new"  # made when needed
    result = corrected_seed.test_cli_runner().invoke(args=["export-corrections", str(folder)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == [
        f"{SEED_SLUG}.gold.json",
        f"{SEED_SLUG}.txt",
    ]
    assert (folder / f"{SEED_SLUG}.txt").read_bytes() == real_seed.read_bytes()
    assert result.stdout.splitlines() == [
        f"+ {SEED_SLUG}: 1 correction, 11 quotations",
        f"Wrote 1 article (1 correction) to {folder}; skipped 0.",
    ]
    assert result.stderr == ""

    gold = json.loads((folder / f"{SEED_SLUG}.gold.json").read_text(encoding="utf-8"))
    assert set(gold) == {"people", "organizations", "quotes", "not_quotes"}
    said = {q["text"]: q["speaker"] for q in gold["quotes"]}
    assert said["doesn't suit us"] == "Araz Azimov"
    assert said["We haven't yet tried every possibility with NATO,"] == "Anatoly Serdyukov"

    # The engine, scored against the owner: every quotation found, one speaker wrong.
    report = evaluate_folder(folder)
    assert report.detection.hit == report.detection.gold == report.detection.predicted == 11
    assert report.attribution.gold == 11
    assert report.attribution.hit == report.attribution.gold - 1
    assert report.kind.hit == report.kind.gold
    assert report.misses == [  # the corrected speaker named; no other miss
        f"{SEED_SLUG}.txt: speaker 'Anatoly Serdyukov', gold 'Araz Azimov': \"doesn't suit us\""
    ]


def test_without_corrections_nothing_is_written(
    make_app: Callable[..., Flask], real_seed: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "gold"
    result = make_app().test_cli_runner().invoke(args=["export-corrections", str(folder)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "No article has a correction: nothing written.\n"
    assert not folder.exists()


QUARRY_SEED = """## Quarry closes

The quarry closed on Friday. "We are sad," Anna Berg said.
"""


def test_skipped_articles_and_orphaned_corrections_are_said_on_stderr(
    app: Flask,
    runner: FlaskCliRunner,
    harbour: str,
    seeds_dir: Path,
    write_seed: WriteSeed,
    tmp_path: Path,
) -> None:
    write_seed("quarry.txt", QUARRY_SEED)
    with app.app_context():
        library.load_seeds(seeds_dir)
    correct(app, harbour, '"We will build it this year,"', Speaker("person", "Karl Olsen"))
    correct(app, harbour, '"Nobody asked us,"')  # not a quotation
    correct(app, harbour, '"It will be worth the wait,"', Speaker("unnamed"))
    correct(app, "old-mill-reopens", '"It is a good day,"', Speaker("person", "Anna Berg"))
    correct(app, "quarry-closes", '"We are sad,"', Speaker("unnamed"))
    with app.app_context():  # words gone from the seed, and a seed not stored
        db.session.execute(
            update(Correction)
            .where(Correction.words.in_(['"It will be worth the wait,"', '"We are sad,"']))
            .values(words="words no longer there")
        )
        db.session.execute(
            update(Article).where(Article.slug == "old-mill-reopens").values(source=None)
        )
        db.session.commit()

    folder = tmp_path / "gold"
    result = runner.invoke(args=["export-corrections", str(folder)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"+ {harbour}: 2 corrections, 3 quotations",
        f"Wrote 1 article (2 corrections) to {folder}; skipped 2.",
    ]
    assert result.stderr.splitlines() == [
        f"  orphaned correction (left out): {harbour}: ‘words no longer there’ said by an"
        " unnamed source",
        "! skipped   old-mill-reopens: stored without its seed file",
        "  orphaned correction (left out): quarry-closes: ‘words no longer there’ said by an"
        " unnamed source",
        "! skipped   quarry-closes: every correction is orphaned",
    ]
    assert sorted(p.name for p in folder.iterdir()) == [f"{harbour}.gold.json", f"{harbour}.txt"]
    assert (folder / f"{harbour}.txt").read_bytes() == (seeds_dir / "harbour.txt").read_bytes()
    gold = json.loads((folder / f"{harbour}.gold.json").read_text(encoding="utf-8"))
    assert [(q["text"], q["speaker"], q["channel"]) for q in gold["quotes"]] == [
        ("We will build it this year,", "Karl Olsen", None),  # corrected
        ("too expensive for a small town.", "Karl Olsen", "Radio Nord"),
        ("It will be worth the wait,", "Anna Berg", None),  # its correction orphaned
    ]
    assert gold["not_quotes"] == ["Nobody asked us,"]
    assert gold["people"] == [
        {"name": "Anna Berg", "role": "Mayor", "aliases": []},
        {"name": "Karl Olsen", "role": "opposition leader", "aliases": []},
    ]
    assert gold["organizations"] == [{"name": "Radio Nord", "kind": "outlet"}]
