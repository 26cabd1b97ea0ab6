"""The word lists in lexicon/, loaded once: data files, not code."""

from __future__ import annotations

from functools import cache
from pathlib import Path

LEXICON = Path(__file__).with_name("lexicon")


def _lines(name: str) -> list[str]:
    """Return the non-comment, non-blank lines of lexicon/<name>.txt."""
    text = (LEXICON / f"{name}.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def word_set(name: str, *, lower: bool = False) -> frozenset[str]:
    """Return every whitespace-separated word of a list (lower-cased when asked)."""
    words = (w for line in _lines(name) for w in line.split())
    return frozenset(w.lower() if lower else w for w in words)


@cache
def phrase_set(name: str) -> frozenset[str]:
    """Return a list whose lines are whole phrases ("Associated Press")."""
    return frozenset(_lines(name))


@cache
def gendered(name: str) -> dict[str, str | None]:
    """Return 'word gender' lines as a mapping; '-' or a missing gender is None."""
    table: dict[str, str | None] = {}
    for line in _lines(name):
        word, _, gender = line.partition(" ")
        table[word] = gender.strip() if gender.strip() in ("m", "f", "p") else None
    return table


@cache
def cue_words() -> frozenset[str]:
    """Return the single-word speech cues, lower-case."""
    return frozenset(line for line in _lines("cues") if not line.startswith("phrase:"))


@cache
def given_name_gender() -> dict[str, str]:
    """Return given name -> 'm' or 'f'; names on both lists are left out (no gender)."""
    male = word_set("given_names_male")
    female = word_set("given_names_female")
    table = {name: "m" for name in male - female}
    table.update({name: "f" for name in female - male})
    return table


@cache
def given_names() -> frozenset[str]:
    """Return every known given name, whatever its gender."""
    return word_set("given_names_male") | word_set("given_names_female")


@cache
def org_final_words() -> frozenset[str]:
    """Return the words that end an organisation's name ("Corp", "Ministry", "Logistics")."""
    final = (line for line in _lines("org_words") if not line.startswith(("head ", "describes ")))
    return frozenset(w for line in final for w in line.removeprefix("company ").split())


@cache
def org_head_words() -> frozenset[str]:
    """Return the words that open an organisation's name before "of" ("Ministry of ...")."""
    return frozenset(line.split()[1] for line in _lines("org_words") if line.startswith("head "))


@cache
def place_words(position: str) -> frozenset[str]:
    """Return the words that end ("final") or open ("first") a place name."""
    return frozenset(
        w
        for line in _lines("place_words")
        if line.startswith(position + " ")
        for w in line.split()[1:]
    )


@cache
def title_expansions() -> dict[str, str]:
    """Return abbreviated title -> the role words it stands for ("Sen." -> "senator")."""
    return {line.split()[0]: " ".join(line.split()[1:]) for line in _lines("title_expansions")}


@cache
def company_words() -> frozenset[str]:
    """Return the words that end a company's name ("Northwind Logistics", "Acme Corp")."""
    return frozenset(
        w for line in _lines("org_words") if line.startswith("company ") for w in line.split()[1:]
    )


@cache
def organization_nouns() -> frozenset[str]:
    """Return nouns that describe an organisation ("Latchwise, the San Francisco startup")."""
    return frozenset(
        w for line in _lines("org_words") if line.startswith("describes ") for w in line.split()[1:]
    )


@cache
def _word_classes() -> dict[str, list[str]]:
    """Return the sections of lexicon/word_classes.txt: [name] lines, then their lines."""
    classes: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in _lines("word_classes"):
        if line.startswith("[") and line.endswith("]"):
            current = classes.setdefault(line[1:-1], [])
        elif current is not None:
            current.append(line)
    return classes


def word_class(name: str) -> frozenset[str]:
    """Return the words of one class of lexicon/word_classes.txt ("org_nouns")."""
    return frozenset(w for line in _word_classes()[name] for w in line.split())


def word_pairs(name: str) -> dict[str, str]:
    """Return a class of 'word value' lines of lexicon/word_classes.txt as a mapping."""
    return dict(line.split(maxsplit=1) for line in _word_classes()[name])
