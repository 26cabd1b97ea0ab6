"""Gold annotations from an analysis: what the engine found, with the owner's corrections
applied, in the format `python -m webapp.analysis.evaluate DIR` reads (tests/corpus/README.md,
"Gold format"). Pure: no database, no engine; `flask --app webapp export-corrections`
(webapp.cli) gathers the analysis and writes the files.

A quotation's gold text is its words between the marks, found again by evaluate as the
occurrence-th place those words are in the text; its speaker and channel are names (a
person's or an organisation's), not the analysis's ids. Words the owner said are not a
quotation go to not_quotes. A quotation the owner added without marks keeps the kind the
correction gave it ("indirect"), which the README's format does not list but evaluate
compares like any other.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from webapp.analysis.evaluate import _CLOSING, _opening
from webapp.analysis.result import Analysis, Quote

Gold = dict[str, Any]


def gold_of(text: str, analysis: Analysis, not_quotes: Iterable[str] = ()) -> Gold:
    """Return the gold annotation of text that analysis states: its people (name, role,
    aliases), organisations (name, kind), quotations in the order of the text, and the
    inner words of not_quotes (each once, marks taken off).

    Raises ValueError when a quotation's words are not at its place in text.
    """
    quotes = sorted(analysis.quotes, key=lambda q: (q.start, q.end))
    return {
        "people": [
            {"name": p.name, "role": p.role, "aliases": list(p.aliases)} for p in analysis.people
        ],
        "organizations": [{"name": o.name, "kind": o.kind} for o in analysis.organizations],
        "quotes": [gold_quote(text, analysis, q) for q in quotes],
        "not_quotes": list(dict.fromkeys(w for w in map(inner_words, not_quotes) if w.strip())),
    }


def gold_quote(text: str, analysis: Analysis, quote: Quote) -> Gold:
    """Return one quotation as a gold entry: text (the words between its marks), speaker
    and channel (names, or None), kind, and occurrence when its words come earlier too."""
    words = inner_words(quote.text)
    start = quote.start + _opening(quote.text)
    if text[start : start + len(words)] != words:
        raise ValueError(f"quotation {quote.id} is not at {quote.start} in the text")
    entry: Gold = {
        "text": words,
        "speaker": _name(analysis, quote.speaker),
        "kind": quote.kind,
        "channel": _name(analysis, quote.channel),
    }
    occurrence = occurrence_of(text, words, start)
    if occurrence > 1:
        entry["occurrence"] = occurrence
    return entry


def inner_words(words: str) -> str:
    """Return a quotation's words without their opening and closing marks, the marks
    evaluate knows (`“It is,”` -> `It is,`; ``` ``Quite'' ``` -> `Quite`)."""
    opening = _opening(words)
    inner = words[opening:]
    if opening == 2 and inner.endswith("''"):
        return inner[:-2]
    return inner[:-1] if inner and inner[-1] in _CLOSING else inner


def occurrence_of(text: str, words: str, start: int) -> int:
    """Return which occurrence of words in text (1-based) the one at start is, counted
    as evaluate finds them: each search starting one character after the last match."""
    occurrence, position = 0, -1
    while True:
        position = text.find(words, position + 1)
        if position < 0 or position > start:
            raise ValueError(f"{words[:60]!r} is not at {start} in the text")
        occurrence += 1
        if position == start:
            return occurrence


def _name(analysis: Analysis, entity_id: str | None) -> str | None:
    """Return the name of the person or organisation with this id (None: none)."""
    entity = analysis.entity(entity_id)
    return entity.name if entity is not None else None
