"""Speech cues learned from an attribution corpus: counting, thresholds and the data file."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import lexicon_copy

from webapp.analysis.learn_cues import count_cues, learn, main, read_annotations
from webapp.analysis.lexicon import build_lexicon, read_sections

TEXT = (
    'Mira Sloane barked, "Get out of my office." Later she barked at the dog. '
    'Tomas Ilves grumbled that it was "absurd and late." He noted the cost.'
)


def brat(text: str, events: list[tuple[str, str]]) -> str:
    """Return a brat standoff file with one attribution event per (cue, content)."""
    lines, number = [], 0
    for event, (cue, content) in enumerate(events, start=1):
        cue_at, content_at = text.index(cue), text.index(content)
        lines.append(f"T{number + 1}\tCue {cue_at} {cue_at + len(cue)}\t{cue}")
        lines.append(f"T{number + 2}\tContent {content_at} {content_at + len(content)}\t{content}")
        lines.append(f"E{event}\tAttribution:T{number + 1} Cue:T{number + 1} Content:T{number + 2}")
        number += 2
    return "\n".join(lines) + "\n"


def corpus(tmp_path: Path, copies: int) -> Path:
    """Lay out a PolNeAR-shaped folder with the same article `copies` times."""
    text_dir = tmp_path / "data" / "train" / "text"
    ann_dir = tmp_path / "data" / "train" / "attributions"
    text_dir.mkdir(parents=True)
    ann_dir.mkdir(parents=True)
    events = [
        ("barked", '"Get out of my office."'),
        ("grumbled", '"absurd and late."'),
        ("noted", "the cost"),  # no quotation marks: not a cue of quoted speech
    ]
    for number in range(copies):
        (text_dir / f"a{number}.txt").write_text(TEXT, encoding="utf-8")
        (ann_dir / f"a{number}_x1.ann").write_text(brat(TEXT, events), encoding="utf-8")
    return tmp_path


def test_read_annotations_pairs_cue_and_content() -> None:
    """Each event gives its cue and content text."""
    events = [("barked", '"Get out of my office."')]
    assert list(read_annotations(TEXT, brat(TEXT, events))) == events


def test_count_cues_keeps_one_word_cues_of_quoted_content() -> None:
    """Only one-word, lower-case cues of content with quotation marks count."""
    pairs = [
        ("said", '"Yes."'),
        ("told reporters", '"No."'),
        ("noted", "the cost"),
        ("Said", '"x"'),
    ]
    assert count_cues(pairs) == {"said": 1}


@pytest.mark.parametrize(
    ("copies", "share", "expected"),
    [
        (3, 0.25, ["barked", "grumbled"]),  # barked: 3 cues in 6 uses; grumbled: 3 in 3
        (3, 0.75, ["grumbled"]),  # barked is a cue in only half of its uses
        (2, 0.25, []),  # fewer than min_count
    ],
)
def test_learn_applies_both_thresholds(
    tmp_path: Path, copies: int, share: float, expected: list[str]
) -> None:
    """A word is kept with enough cue uses and a large enough share of all its uses."""
    assert learn(corpus(tmp_path, copies), min_count=3, min_share=share) == expected


def test_main_writes_a_lexicon_file_the_loader_reads(tmp_path: Path) -> None:
    """The written file has the lexicon's format, and its words become cues."""
    folder = lexicon_copy(tmp_path)
    output = folder / "cues_learned.txt"
    assert main([str(corpus(tmp_path / "c", 3)), "--output", str(output)]) == 0
    assert output.read_text(encoding="utf-8").startswith("# Format: words")
    assert read_sections(folder)[("cues_learned", "cues_learned")] == ["barked", "grumbled"]
    assert {"barked", "grumbled"} <= build_lexicon(folder).cues
