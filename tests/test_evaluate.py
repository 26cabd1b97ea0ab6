"""Tests of the evaluation harness: score floors on the corpus, the CLI, and its arithmetic."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from webapp.analysis import evaluate
from webapp.analysis.evaluate import Counts, Report, evaluate_article, evaluate_folder, main
from webapp.analysis.result import Analysis, Person, Quote, Span

# F1 floors over tests/corpus, set just under what the engine measures (README: "Measuring
# it"); raise them when the engine gets better, never lower them to make a change pass.
FLOOR_DETECTION = 0.985
FLOOR_ATTRIBUTION = 0.955
FLOOR_KIND = 0.985
FLOOR_PEOPLE = 0.965
FLOOR_ROLES = 0.915

CORPUS = Path(__file__).resolve().parent / "corpus"
HOLDOUT = Path(__file__).resolve().parent / "holdout"
# Floors on the generalisation set (tests/holdout/README.md): lower than the corpus's, since
# the rules were not developed on it; they only keep it from falling.
HOLDOUT_FLOORS = {"detection": 0.98, "attribution": 0.91, "people": 0.94, "roles": 0.89}
# Floors on the messy-styles set (tests/holdout_news/README.md, first look 0.665 attribution).
NEWS = Path(__file__).resolve().parent / "holdout_news"
NEWS_FLOORS = {"detection": 0.98, "attribution": 0.90, "people": 0.92, "roles": 0.92}
MEASURES = ("detection", "attribution", "kind", "people", "roles")
FLOORS = {
    "detection": FLOOR_DETECTION,
    "attribution": FLOOR_ATTRIBUTION,
    "kind": FLOOR_KIND,
    "people": FLOOR_PEOPLE,
    "roles": FLOOR_ROLES,
}


# ----- the corpus ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_report() -> Report:
    return evaluate_folder(CORPUS)


def test_corpus_has_gold_for_every_article() -> None:
    texts = sorted(p.name.removesuffix(".txt") for p in CORPUS.glob("*.txt"))
    golds = sorted(p.name.removesuffix(".gold.json") for p in CORPUS.glob("*.gold.json"))
    assert texts
    assert texts == golds


@pytest.mark.parametrize("measure", MEASURES)
def test_corpus_f1_floor(corpus_report: Report, measure: str) -> None:
    counts: Counts = getattr(corpus_report, measure)
    assert counts.gold > 0
    assert counts.f1 >= FLOORS[measure], (
        f"{measure} F1 {counts.f1:.4f} fell below {FLOORS[measure]}; misses:\n"
        + "\n".join(corpus_report.misses)
    )


def test_corpus_counts_are_consistent(corpus_report: Report) -> None:
    for measure in MEASURES:
        counts = getattr(corpus_report, measure)
        assert 0 <= counts.hit <= min(counts.predicted, counts.gold), measure
    # Detection, attribution and kind are all scored against the same gold quotations.
    assert corpus_report.detection.gold == corpus_report.attribution.gold
    assert corpus_report.detection.gold == corpus_report.kind.gold
    assert corpus_report.attribution.hit <= corpus_report.detection.hit
    assert corpus_report.kind.predicted == corpus_report.detection.hit
    gold_quotes = sum(
        len(json.loads(p.read_text(encoding="utf-8"))["quotes"]) for p in CORPUS.glob("*.gold.json")
    )
    assert corpus_report.detection.gold == gold_quotes


# ----- the command line ---------------------------------------------------------------------


def test_main_prints_header_and_measures(
    corpus_report: Report, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(CORPUS)]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = lines[0].split()
    assert header[:4] == ["measure", "precision", "recall", "F1"]
    scores = corpus_report.scores()
    for line, measure in zip(lines[1:6], MEASURES, strict=True):
        fields = line.split()
        assert fields[0] == measure
        assert float(fields[3]) == pytest.approx(scores[measure]["f1"], abs=0.0005)
        counts = getattr(corpus_report, measure)
        assert fields[4] == f"{counts.hit}/{counts.predicted}/{counts.gold}"
    if corpus_report.misses:
        assert f"{len(corpus_report.misses)} misses:" in lines


def test_main_json(corpus_report: Report, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--json", str(CORPUS)]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert set(scores) == set(MEASURES)
    for measure in MEASURES:
        assert set(scores[measure]) == {"precision", "recall", "f1"}
        assert all(0.0 <= value <= 1.0 for value in scores[measure].values())
    assert scores == corpus_report.scores()


def test_main_folder_without_gold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "lonely.txt").write_text("## T\n\nA paragraph.\n", encoding="utf-8")
    assert main([str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "error" in captured.err
    assert str(tmp_path) in captured.err
    assert "gold" in captured.err


def test_main_needs_a_folder(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 2
    assert "folder" in capsys.readouterr().err


# ----- Counts and Report --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hit", "predicted", "gold", "precision", "recall", "f1"),
    [
        (3, 4, 6, 0.75, 0.5, 0.6),
        (2, 2, 2, 1.0, 1.0, 1.0),
        (1, 4, 1, 0.25, 1.0, 0.4),
        (0, 5, 5, 0.0, 0.0, 0.0),
        (0, 0, 0, 1.0, 1.0, 1.0),  # nothing to find, nothing predicted
        (0, 0, 3, 1.0, 0.0, 0.0),  # nothing predicted: precision is vacuous
        (0, 3, 0, 0.0, 1.0, 0.0),  # nothing to find: recall is vacuous
    ],
)
def test_counts_arithmetic(
    hit: int, predicted: int, gold: int, precision: float, recall: float, f1: float
) -> None:
    counts = Counts(hit=hit, predicted=predicted, gold=gold)
    assert counts.precision == pytest.approx(precision)
    assert counts.recall == pytest.approx(recall)
    assert counts.f1 == pytest.approx(f1)


def test_counts_add() -> None:
    total = Counts(1, 2, 3)
    total.add(Counts(2, 2, 1))
    assert total == Counts(3, 4, 4)
    assert total.f1 == pytest.approx(0.75)


def test_report_add_and_scores() -> None:
    first = Report(detection=Counts(1, 3, 2), misses=["a"])
    second = Report(detection=Counts(1, 0, 1), roles=Counts(0, 1, 1), misses=["b"])
    first.add(second)
    assert first.detection == Counts(2, 3, 3)
    assert first.roles == Counts(0, 1, 1)
    assert first.misses == ["a", "b"]
    scores = first.scores()
    assert list(scores) == list(MEASURES)
    assert scores["detection"] == {"precision": 0.6667, "recall": 0.6667, "f1": 0.6667}
    assert scores["roles"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert scores["people"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}


# ----- one hand-written article -------------------------------------------------------------

TINY_SEED = """
## Harbour plan approved

March 3, 2024

Mayor Anna Berg spoke on Tuesday. "We will build it this year," Anna Berg said.

Karl Olsen, the opposition leader, said the plan was "too expensive for a small town."

Critics call it the "harbour of dreams" scheme.

"Nobody asked us," a resident said.
"""

TINY_GOLD: dict[str, Any] = {
    "people": [
        {"name": "Anna Berg", "role": "Mayor", "aliases": ["Berg"]},
        {"name": "Karl Olsen", "role": ["opposition leader", "leader"], "aliases": ["Olsen"]},
    ],
    "organizations": [],
    "quotes": [
        {"text": "We will build it this year,", "speaker": "Anna Berg", "kind": "direct"},
        {"text": "too expensive for a small town.", "speaker": "Karl Olsen", "kind": "partial"},
        {"text": "Nobody asked us,", "speaker": None, "kind": "direct"},
    ],
    "not_quotes": ["harbour of dreams"],
}


def _quote(text: str, number: int, marked: str, kind: str, speaker: str | None) -> Quote:
    """Return a predicted quotation of the marked text (with its marks)."""
    start = text.index(marked)
    return Quote(f"q{number}", start, start + len(marked), marked, kind, speaker)  # type: ignore[arg-type]


def _tiny_analysis(text: str, *, headline: bool | None = None) -> Analysis:
    """A fixed engine output: one quote right, one speaker wrong, a scare quote, one missed."""
    assert headline is True

    def person(pid: str, name: str, role: str | None) -> Person:
        at = text.index(name)
        return Person(pid, name, role, mentions=[Span(at, at + len(name))])

    return Analysis(
        people=[
            person("p1", "Anna Berg", None),
            person("p2", "Karl Olsen", "opposition leader"),
            Person("p3", "Harbour Critics"),  # not in the gold: a false person
        ],
        quotes=[
            _quote(text, 1, '"We will build it this year,"', "direct", "p1"),
            _quote(text, 2, '"too expensive for a small town."', "partial", "p1"),
            _quote(text, 3, '"harbour of dreams"', "partial", None),
        ],
    )


@pytest.fixture
def tiny_seed(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.txt"
    path.write_text(TINY_SEED, encoding="utf-8")
    (tmp_path / "tiny.gold.json").write_text(json.dumps(TINY_GOLD), encoding="utf-8")
    return path


def test_evaluate_article_counts(tiny_seed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evaluate, "analyze", _tiny_analysis)
    report = evaluate_article(tiny_seed, TINY_GOLD)
    assert report.detection == Counts(hit=2, predicted=3, gold=3)
    assert report.attribution == Counts(hit=1, predicted=3, gold=3)
    assert report.kind == Counts(hit=2, predicted=2, gold=3)
    assert report.people == Counts(hit=2, predicted=3, gold=2)
    assert report.roles == Counts(hit=1, predicted=1, gold=2)
    assert report.detection.precision == pytest.approx(2 / 3)
    assert report.attribution.f1 == pytest.approx(1 / 3)
    assert report.kind.precision == 1.0


def test_evaluate_article_misses_name_the_problem(
    tiny_seed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(evaluate, "analyze", _tiny_analysis)
    report = evaluate_article(tiny_seed, TINY_GOLD)
    assert report.misses == [
        "tiny.txt: speaker 'Anna Berg', gold 'Karl Olsen': 'too expensive for a small town.'",
        "tiny.txt: not a quotation: 'harbour of dreams'",
        "tiny.txt: quotation missed: 'Nobody asked us,'",
        "tiny.txt: role of Anna Berg: None, gold 'Mayor'",
        "tiny.txt: not a person in the story: 'Harbour Critics'",
    ]


def test_evaluate_folder_adds_up_articles(
    tiny_seed: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(evaluate, "analyze", _tiny_analysis)
    second = tiny_seed.with_name("tiny2.txt")
    second.write_text(TINY_SEED, encoding="utf-8")
    second.with_name("tiny2.gold.json").write_text(json.dumps(TINY_GOLD), encoding="utf-8")
    report = evaluate_folder(tiny_seed.parent)
    assert report.detection == Counts(hit=4, predicted=6, gold=6)
    assert len(report.misses) == 10
    assert main([str(tiny_seed.parent)]) == 0
    out = capsys.readouterr().out
    assert "attribution      0.333   0.333   0.333   2/6/6" in out
    assert "10 misses:" in out
    assert "  tiny2.txt: quotation missed: 'Nobody asked us,'" in out


def test_evaluate_article_occurrence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seed = '## "Too late," she said\n\nThe vote was lost. "Too late," Anna Berg said.\n'
    path = tmp_path / "twice.txt"
    path.write_text(seed, encoding="utf-8")
    gold = {
        "people": [{"name": "Anna Berg", "role": None, "aliases": []}],
        "quotes": [
            {"text": "Too late,", "speaker": "Anna Berg", "kind": "direct"},
            {"text": "Too late,", "speaker": "Anna Berg", "kind": "direct", "occurrence": 2},
        ],
    }

    def engine(text: str, *, headline: bool | None = None) -> Analysis:
        body = text.index('"Too late,"', 1)
        at = text.index("Anna Berg")
        return Analysis(
            people=[Person("p1", "Anna Berg", mentions=[Span(at, at + 9)])],
            quotes=[Quote("q1", body, body + 11, '"Too late,"', "direct", "p1")],
        )

    monkeypatch.setattr(evaluate, "analyze", engine)
    report = evaluate_article(path, gold)
    assert report.detection == Counts(hit=1, predicted=1, gold=2)
    assert report.attribution.hit == 1
    assert report.people == Counts(hit=1, predicted=1, gold=1)
    assert report.roles == Counts(hit=0, predicted=0, gold=0)
    assert report.misses == ["twice.txt: quotation missed: 'Too late,'"]


def test_gold_quote_not_in_text_is_an_error(tiny_seed: Path) -> None:
    gold = {**TINY_GOLD, "quotes": [{"text": "never said", "speaker": None, "kind": "direct"}]}
    with pytest.raises(ValueError, match=r"tiny\.txt: gold quote not in the text"):
        evaluate_article(tiny_seed, gold)


def test_evaluate_article_real_engine_gold_side(tiny_seed: Path) -> None:
    report = evaluate_article(tiny_seed, TINY_GOLD)
    assert report.detection.gold == report.attribution.gold == report.kind.gold == 3
    assert report.people.gold == 2
    assert report.roles.gold == 2
    assert report.detection.predicted == report.attribution.predicted
    assert report.detection.hit <= 3


@pytest.mark.parametrize(
    ("role", "options", "matches"),
    [
        ("His site supervisor", ["site supervisor"], True),
        ("a marine biologist at the institute and the study's lead author",
         ["a marine biologist at the institute"], True),
        ("a marine biologist", ["a marine biologist at the institute"], False),
        ("Defense Minister", ["Deputy Defense Minister"], False),
        ("The company's chairman", ["chairman"], True),
        (None, ["mayor"], False),
    ],
)  # fmt: skip
def test_role_matching_allows_a_longer_statement_of_the_same_role(
    role: str | None, options: list[str], matches: bool
) -> None:
    assert evaluate._role_matches(role, options) is matches


@pytest.mark.parametrize(
    ("folder", "measure", "floor"),
    [(HOLDOUT, m, f) for m, f in sorted(HOLDOUT_FLOORS.items())]
    + [(NEWS, m, f) for m, f in sorted(NEWS_FLOORS.items())],
)
def test_held_out_set_floor(folder: Path, measure: str, floor: float) -> None:
    """Neither held-out set falls below the floors set from what the engine reaches."""
    report = evaluate_folder(folder)
    counts: Counts = getattr(report, measure)
    assert counts.gold > 0
    assert counts.f1 >= floor, "\n".join(report.misses)


@pytest.mark.parametrize("marks", [("``", "''"), ("''", "''"), ('"', '"')])
def test_evaluate_article_two_character_marks(tmp_path: Path, marks: tuple[str, str]) -> None:
    """A quotation opened by `` or '' is matched to its gold at its inner text."""
    opening, closing = marks
    body = f"{opening}We will not wait,{closing} said Jane Roe, the mayor."
    path = tmp_path / "marks.txt"
    path.write_text(f"## Mayor speaks\n\n{body}\n", encoding="utf-8")
    gold = {
        "people": [{"name": "Jane Roe", "role": "the mayor", "aliases": []}],
        "organizations": [],
        "quotes": [{"text": "We will not wait,", "speaker": "Jane Roe", "kind": "direct"}],
    }
    report = evaluate_article(path, gold)
    assert (report.detection.hit, report.attribution.hit) == (1, 1), report.misses
