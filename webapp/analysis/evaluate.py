"""python -m webapp.analysis.evaluate DIR: score the engine against gold-annotated seeds.

Each DIR/NAME.txt (seed format) has DIR/NAME.gold.json (format in tests/corpus/README.md).
Prints quote detection, attribution (quote found and speaker right), quote kind, people and
role scores over the whole folder, then every miss, so a regression can be read, not guessed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..seedfile import parse_seed
from . import Analysis, analyze

_CLOSING = "\"”’'»›"
_OPENING = "\"“‘'«‹„`”’"


@dataclass
class Counts:
    """True positives, predictions and gold items of one measure."""

    hit: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, other: Counts) -> None:
        """Add another article's counts to these."""
        self.hit += other.hit
        self.predicted += other.predicted
        self.gold += other.gold

    @property
    def precision(self) -> float:
        """Return hits over predictions (1.0 when nothing was predicted)."""
        return self.hit / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        """Return hits over gold items (1.0 when there was nothing to find)."""
        return self.hit / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        """Return the harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    """Scores of one article or of a whole folder, with the misses that explain them."""

    detection: Counts = field(default_factory=Counts)
    attribution: Counts = field(default_factory=Counts)
    kind: Counts = field(default_factory=Counts)
    people: Counts = field(default_factory=Counts)
    roles: Counts = field(default_factory=Counts)
    misses: list[str] = field(default_factory=list)

    def add(self, other: Report) -> None:
        """Add an article's report to this one."""
        for name in ("detection", "attribution", "kind", "people", "roles"):
            getattr(self, name).add(getattr(other, name))
        self.misses.extend(other.misses)

    def scores(self) -> dict[str, dict[str, float]]:
        """Return precision, recall and F1 of every measure."""
        return {
            name: {
                "precision": round(c.precision, 4),
                "recall": round(c.recall, 4),
                "f1": round(c.f1, 4),
            }
            for name in ("detection", "attribution", "kind", "people", "roles")
            for c in [getattr(self, name)]
        }


_LEGAL_FORMS = frozenset({"inc", "corp", "corporation", "ltd", "llc", "plc", "co"})


def _norm(text: str | None) -> str:
    """Return a name or role compared loosely: case, punctuation, leading articles, 'Inc.'."""
    text = re.sub(r"[^\w\s]", " ", (text or "").lower()).split()
    while text and text[0] in ("the", "a", "an", "his", "her", "its", "their"):
        text = text[1:]
    while len(text) > 1 and text[-1] in _LEGAL_FORMS:
        text = text[:-1]  # "Northwind Logistics Inc." is "Northwind Logistics"
    return " ".join(text)


def _role_matches(role: str | None, options: list[str]) -> bool:
    """Return True if a role says what a gold option says, perhaps with more after it.

    "a marine biologist at the institute and the study's lead author" states the gold
    "a marine biologist at the institute", "the company's chairman" states "chairman"; a
    role must not be shorter than the gold.
    """
    said = _norm(role)
    return any(
        said == gold or said.startswith(gold + " ") or said.endswith(" " + gold)
        for gold in (_norm(o) for o in options)
        if gold
    )


def _gold_offsets(text: str, gold_quotes: list[dict[str, Any]], name: str) -> list[int]:
    """Return where each gold quotation's inner text starts in the analysed text."""
    offsets = []
    for quote in gold_quotes:
        position = -1
        for _ in range(quote.get("occurrence", 1)):
            position = text.find(quote["text"], position + 1)
            if position < 0:
                raise ValueError(f"{name}: gold quote not in the text: {quote['text'][:60]!r}")
        offsets.append(position)
    return offsets


def _opening(quote_text: str) -> int:
    """Return the width of a quotation's opening mark: 2 for `` and '', 0 for none."""
    if quote_text.startswith(("``", "''")):
        return 2
    return 1 if quote_text[:1] in _OPENING else 0  # a transcript line has no marks


def _inner(quote_text: str) -> str:
    """Return a quotation's words without its marks."""
    inner = quote_text[_opening(quote_text) :]
    return inner[:-1] if inner and inner[-1] in _CLOSING else inner


def _gold_person_of(analysis: Analysis, gold: dict[str, Any]) -> dict[str, str]:
    """Map each predicted person and organisation id to the gold name it stands for."""
    lookup: dict[str, str] = {}
    for person in gold["people"]:
        for form in (person["name"], *person.get("aliases", [])):
            lookup.setdefault(_norm(form), person["name"])
    for org in gold.get("organizations", []):
        lookup.setdefault(_norm(org["name"]), org["name"])
    mapping = {}
    for item in (*analysis.people, *analysis.organizations):
        if _norm(item.name) in lookup:
            mapping[item.id] = lookup[_norm(item.name)]
    return mapping


def evaluate_article(text_path: Path, gold: dict[str, Any]) -> Report:
    """Score the engine on one seed file against its gold annotation."""
    article = parse_seed(text_path.read_bytes(), text_path.name)
    analysis = analyze(article.text, headline=True)
    text = article.text
    report = Report()
    name = text_path.name
    to_gold = _gold_person_of(analysis, gold)

    gold_quotes = gold["quotes"]
    offsets = _gold_offsets(text, gold_quotes, name)
    by_start = {offset: quote for offset, quote in zip(offsets, gold_quotes, strict=True)}
    report.detection.gold = report.attribution.gold = report.kind.gold = len(gold_quotes)
    report.detection.predicted = report.attribution.predicted = len(analysis.quotes)
    found_starts = set()
    for quote in analysis.quotes:
        inner_start = quote.start + _opening(quote.text)
        gold_quote = by_start.get(inner_start)
        if gold_quote is None:
            report.misses.append(f"{name}: not a quotation: {_inner(quote.text)[:70]!r}")
            continue
        found_starts.add(inner_start)
        report.detection.hit += 1
        report.kind.predicted += 1
        if quote.kind == gold_quote["kind"]:
            report.kind.hit += 1
        else:
            report.misses.append(
                f"{name}: kind {quote.kind}, gold {gold_quote['kind']}: {gold_quote['text'][:50]!r}"
            )
        speaker = to_gold.get(quote.speaker) if quote.speaker else None
        entity = analysis.entity(quote.speaker)
        if speaker == gold_quote["speaker"]:
            report.attribution.hit += 1
        else:
            shown = speaker or (entity.name if entity else None)
            report.misses.append(
                f"{name}: speaker {shown!r}, gold {gold_quote['speaker']!r}: "
                f"{gold_quote['text'][:50]!r}"
            )
    for offset, quote in zip(offsets, gold_quotes, strict=True):
        if offset not in found_starts:
            report.misses.append(f"{name}: quotation missed: {quote['text'][:70]!r}")

    gold_names = {_norm(p["name"]): p for p in gold["people"]}
    report.people.gold = len(gold_names)
    report.people.predicted = len(analysis.people)
    report.roles.gold = sum(1 for p in gold["people"] if p.get("role"))
    matched = set()
    for person in analysis.people:
        gold_name = to_gold.get(person.id)
        gold_person = gold_names.get(_norm(gold_name)) if gold_name else None
        if gold_person is None or gold_person["name"] in matched:
            report.misses.append(f"{name}: not a person in the story: {person.name!r}")
            continue
        matched.add(gold_person["name"])
        if _norm(person.name) == _norm(gold_person["name"]):
            report.people.hit += 1
        else:
            report.misses.append(f"{name}: name {person.name!r}, gold {gold_person['name']!r}")
        if person.role:
            report.roles.predicted += 1
        roles = gold_person.get("role")
        options = roles if isinstance(roles, list) else [roles] if roles else []
        if options and _role_matches(person.role, options):
            report.roles.hit += 1
        elif options or person.role:
            report.misses.append(
                f"{name}: role of {gold_person['name']}: {person.role!r}, gold {roles!r}"
            )
    for gold_person in gold["people"]:
        if gold_person["name"] not in matched:
            report.misses.append(f"{name}: person missed: {gold_person['name']!r}")
    return report


def evaluate_folder(folder: Path) -> Report:
    """Score every annotated seed in a folder and add the reports up."""
    total = Report()
    for gold_path in sorted(folder.glob("*.gold.json")):
        text_path = gold_path.with_name(gold_path.name.removesuffix(".gold.json") + ".txt")
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        total.add(evaluate_article(text_path, gold))
    return total


def main(argv: list[str] | None = None) -> int:
    """Print the scores of a folder and its misses; --json prints the scores only."""
    parser = argparse.ArgumentParser(prog="python -m webapp.analysis.evaluate")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args(argv)
    if not any(args.folder.glob("*.gold.json")):
        print(f"error: {args.folder}: no *.gold.json files", file=sys.stderr)
        return 2
    report = evaluate_folder(args.folder)
    if args.json:
        json.dump(report.scores(), sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    print(f"{'measure':<12} {'precision':>9} {'recall':>7} {'F1':>7}   counts (hit/pred/gold)")
    for measure, score in report.scores().items():
        counts = getattr(report, measure)
        print(
            f"{measure:<12} {score['precision']:>9.3f} {score['recall']:>7.3f} "
            f"{score['f1']:>7.3f}   {counts.hit}/{counts.predicted}/{counts.gold}"
        )
    if report.misses:
        print(f"\n{len(report.misses)} misses:")
        for miss in report.misses:
            print(f"  {miss}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
