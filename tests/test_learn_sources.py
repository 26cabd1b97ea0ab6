"""Head nouns of unnamed sources learned from an attribution corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import lexicon_copy

from webapp.analysis.learn_sources import count_heads, learn, main, source_head
from webapp.analysis.lexicon import build_lexicon, load_lexicon, read_sections

TEXT = (
    '"We will win," the Republican nominee said. "Costs rose," a new poll found. '
    '"No," said people familiar with the talks. The nominee left; the nominee waved. '
    "Voters like the poll."
)


@pytest.mark.parametrize(
    ("source", "head"),
    [
        ("the Republican nominee", "nominee"),
        ("a new poll", "poll"),
        ("one aide who spoke on condition of anonymity", "aide"),
        ("a spokesman for the council", "spokesman"),
        ("the campaign's treasurer, who declined", "treasurer"),
        ("Jane Roe", None),  # no determiner: a name, never learned
        ("the Times", None),  # a capitalised head is a name
        ("the", None),
    ],
)
def test_source_head(source: str, head: str | None) -> None:
    """The head is the last word of the first noun phrase after a determiner."""
    assert source_head(source, load_lexicon()) == head


def test_count_heads() -> None:
    """Only sources with a determiner and a lower-case head are counted."""
    counts = count_heads(["the nominee", "a nominee", "Jane Roe", "a new poll"], load_lexicon())
    assert counts == {"nominee": 2, "poll": 1}


def brat(text: str, events: list[tuple[str, str]]) -> str:
    """Return a brat standoff file with one attribution event per (source, content)."""
    lines = []
    for event, (source, content) in enumerate(events, start=1):
        s, c = text.index(source), text.index(content)
        lines.append(f"T{2 * event - 1}\tSource {s} {s + len(source)}\t{source}")
        lines.append(f"T{2 * event}\tContent {c} {c + len(content)}\t{content}")
        lines.append(f"E{event}\tAttribution:T{2 * event} Source:T{2 * event - 1}")
    return "\n".join(lines) + "\n"


def corpus(tmp_path: Path, copies: int) -> Path:
    """Lay out a PolNeAR-shaped folder with the same article `copies` times."""
    text_dir = tmp_path / "data" / "train" / "text"
    ann_dir = tmp_path / "data" / "train" / "attributions"
    text_dir.mkdir(parents=True)
    ann_dir.mkdir(parents=True)
    events = [
        ("the Republican nominee", '"We will win,"'),
        ("a new poll", '"Costs rose,"'),
        ("people familiar", '"No,"'),  # no determiner
    ]
    for number in range(copies):
        (text_dir / f"a{number}.txt").write_text(TEXT, encoding="utf-8")
        (ann_dir / f"a{number}_x1.ann").write_text(brat(TEXT, events), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("copies", "share", "expected"),
    [
        (3, 0.25, ["nominee", "poll"]),  # nominee: 1 source in 3 uses; poll: 1 in 2
        (3, 0.4, ["poll"]),  # nominee heads a source in only a third of its uses
        (2, 0.25, []),  # fewer than min_count
    ],
)
def test_learn_applies_both_thresholds(
    tmp_path: Path, copies: int, share: float, expected: list[str]
) -> None:
    """A head is kept with enough uses as a source and a large enough share of all uses."""
    assert learn(corpus(tmp_path, copies), min_count=3, min_share=share) == expected


def test_main_writes_a_lexicon_file_the_loader_reads(tmp_path: Path) -> None:
    """The written file has the lexicon's format, and its words become speaker heads."""
    folder = lexicon_copy(tmp_path)
    output = folder / "source_heads_learned.txt"
    assert main([str(corpus(tmp_path / "c", 3)), "--output", str(output)]) == 0
    assert output.read_text(encoding="utf-8").startswith("# Format: words")
    section = ("source_heads_learned", "source_heads_learned")
    assert read_sections(folder)[section] == ["nominee", "poll"]
    assert {"nominee", "poll"} <= build_lexicon(folder).speaker_heads
