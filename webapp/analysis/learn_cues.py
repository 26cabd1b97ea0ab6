"""Derive speech-cue words from an attribution corpus: python -m webapp.analysis.learn_cues PATH.

PATH is a PolNeAR checkout (or any folder laid out like it: data/train/text/NAME.txt and
data/train/attributions/NAME*.ann in brat standoff format). A cue word is kept when
annotators marked it, on its own, as the cue of quoted speech (content holding a double
quotation mark) at least --min-count times, and in at least --min-share of all the places
the word appears in the texts. Only lower-case words are kept: the list is of the
language (said, barked, tweeted), never of the corpus's people, places or organisations.
The result is written to lexicon/cues_learned.txt, which the lexicon reads with cues.txt.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .lexicon import FOLDER

_WORD = re.compile(r"[a-z]+")
_QUOTE_MARK = re.compile("[\"“”]|''")
OUTPUT = FOLDER / "cues_learned.txt"


def read_events(ann: str) -> list[dict[str, tuple[int, int]]]:
    """Return each attribution event of a brat file as role -> (start, end) of its span.

    Roles are Source, Cue and Content; a span in pieces is taken from its first start to
    its last end.
    """
    spans: dict[str, tuple[int, int]] = {}
    for line in ann.splitlines():
        fields = line.split("\t")
        if line.startswith("T") and len(fields) >= 2:
            label, *offsets = fields[1].replace(";", " ").split()
            if label in ("Source", "Cue", "Content") and len(offsets) >= 2:
                spans[fields[0]] = (int(offsets[0]), int(offsets[-1]))
    events = []
    for line in ann.splitlines():
        if line.startswith("E"):
            roles = dict(part.split(":", 1) for part in line.split("\t")[1].split()[1:])
            events.append({role: spans[t] for role, t in roles.items() if t in spans})
    return events


def read_annotations(text: str, ann: str) -> Iterable[tuple[str, str]]:
    """Yield (cue text, content text) for every attribution event of one brat file."""
    for event in read_events(ann):
        cue, content = event.get("Cue"), event.get("Content")
        if cue and content:
            yield text[cue[0] : cue[1]], text[content[0] : content[1]]


def train_articles(corpus: Path) -> Iterator[tuple[str, list[dict[str, tuple[int, int]]]]]:
    """Yield (text, events of all its annotation files) for each train article, by name."""
    split = corpus / "data" / "train"
    for path in sorted((split / "text").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        events = [
            event
            for ann in sorted((split / "attributions").glob(f"{path.stem}*.ann"))
            for event in read_events(ann.read_text(encoding="utf-8"))
        ]
        yield text, events


def count_cues(pairs: Iterable[tuple[str, str]]) -> Counter[str]:
    """Count one-word cues of quoted content ('said', not 'told reporters')."""
    counts: Counter[str] = Counter()
    for cue, content in pairs:
        if _QUOTE_MARK.search(content) and _WORD.fullmatch(cue.strip()):
            counts[cue.strip()] += 1
    return counts


def learn(corpus: Path, min_count: int, min_share: float) -> list[str]:
    """Return the cue words of the corpus's train split, sorted."""
    cues: Counter[str] = Counter()
    words: Counter[str] = Counter()
    for text, events in train_articles(corpus):
        words.update(_WORD.findall(text))  # lower-case words only: capitals are names
        pairs = (
            (text[e["Cue"][0] : e["Cue"][1]], text[e["Content"][0] : e["Content"][1]])
            for e in events
            if "Cue" in e and "Content" in e
        )
        cues.update(count_cues(pairs))
    return sorted(
        word
        for word, count in cues.items()
        if count >= min_count and count >= min_share * words[word]
    )


def write(words: list[str], command: str, output: Path = OUTPUT, what: str = "Speech cues") -> None:
    """Write a learned lexicon file with its format line and how it was made."""
    header = [
        "# Format: words (one a line); see webapp/analysis/lexicon.py.",
        f"# {what} learned from the PolNeAR train split, made by:",
        f"#   {command}",
        "# Do not edit by hand: change the script or its settings and run it again.",
    ]
    output.write_text("\n".join([*header, *words]) + "\n", encoding="utf-8")


def run_learner(
    argv: list[str] | None,
    module: str,
    learner: Callable[[Path, int, float], list[str]],
    output: Path,
    min_share: float,
    what: str,
) -> int:
    """Run a learner's command line: read PATH's train split, write the word list."""
    parser = argparse.ArgumentParser(prog=f"python -m {module}")
    parser.add_argument("corpus", type=Path, help="a PolNeAR checkout (with data/train)")
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--min-share", type=float, default=min_share)
    parser.add_argument("--output", type=Path, default=output)
    args = parser.parse_args(argv)
    words = learner(args.corpus, args.min_count, args.min_share)
    command = f"python -m {module} PATH --min-count {args.min_count} --min-share {args.min_share}"
    write(words, command, args.output, what)
    print(f"{len(words)} words written to {args.output}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line."""
    return run_learner(argv, "webapp.analysis.learn_cues", learn, OUTPUT, 0.25, "Speech cues")


if __name__ == "__main__":
    raise SystemExit(main())
