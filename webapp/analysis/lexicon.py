"""The engine's word lists: every file under lexicon/, read by one loader, loaded once.

One file format for all of them (UTF-8): blank lines and lines starting with '#' are
comments; a line "[name]" opens a section; lines before the first section belong to a
section named after the file. The comment at the top of each file says how its lines read:

- words:   whitespace-separated words, any number a line;
- phrases: one phrase a line ("Associated Press", "according to");
- pairs:   "key value" lines ("King m", "Sen. senator"); a value of '-' means none.

The engine reaches the lexicon through its document (``doc.lexicon``), never by reading
files itself; tests check that every section of every file is used.
"""

from __future__ import annotations

import re
import unicodedata
from collections import namedtuple
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any

FOLDER = Path(__file__).with_name("lexicon")


def read_sections(folder: Path = FOLDER) -> dict[tuple[str, str], list[str]]:
    """Return (file, section) -> its lines, for every file of the folder."""
    sections: dict[tuple[str, str], list[str]] = {}
    for path in sorted(folder.glob("*.txt")):
        current = sections.setdefault((path.stem, path.stem), [])
        for raw in path.read_text(encoding="utf-8").splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("[") and line.endswith("]"):
                current = sections.setdefault((path.stem, line[1:-1]), [])
            else:
                current.append(line)
    return {key: lines for key, lines in sections.items() if lines}


class _Reader:
    """Read sections in the three shapes, remembering which were read."""

    def __init__(self, sections: dict[tuple[str, str], list[str]]) -> None:
        self.sections = sections
        self.read: set[tuple[str, str]] = set()

    def lines(self, file: str, section: str | None = None) -> list[str]:
        """Return the lines of one section (the file's own section by default)."""
        key = (file, section or file)
        self.read.add(key)
        return self.sections[key]

    def words(self, file: str, section: str | None = None, *, lower: bool = False) -> frozenset:
        """Return the words of a section (lower-cased when asked)."""
        found = (w for line in self.lines(file, section) for w in line.split())
        return frozenset(w.lower() if lower else w for w in found)

    def phrases(self, file: str, section: str | None = None) -> frozenset[str]:
        """Return the lines of a section as whole phrases."""
        return frozenset(self.lines(file, section))

    def pairs(self, file: str, section: str | None = None) -> dict[str, str | None]:
        """Return 'key value' lines as a mapping; '-' or no value is None."""
        table: dict[str, str | None] = {}
        for line in self.lines(file, section):
            key, _, value = line.partition(" ")
            table[key] = value.strip() if value.strip() not in ("", "-") else None
        return table

    def suffixes(self, section: str) -> re.Pattern[str]:
        """Return a pattern matching a word that ends in one of a class's endings."""
        endings = sorted(self.words("word_classes", section), key=len, reverse=True)
        return re.compile("(?:" + "|".join(re.escape(e) for e in endings) + ")$")


@lru_cache(maxsize=1 << 16)  # bounded: a server sees endless new words
def plain(word: str) -> str:
    """Return a word without its accents: Siobhán -> Siobhan, for looking up given names."""
    if word.isascii():
        return word
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Every word list the engine uses, as sets and mappings (see each file for its meaning)."""

    classes: Any  # the word sets of word_classes.txt as attributes: lexicon.classes.org_nouns
    class_pairs: dict[str, dict[str, str | None]]  # word_classes.txt sections read as pairs
    patterns: dict[str, re.Pattern[str]]  # word_classes.txt ending classes, as patterns
    cues: frozenset[str]
    cue_phrases: tuple[tuple[str, ...], ...]  # multi-word cues used like a verb
    cue_phrases_speaker_after: tuple[tuple[str, ...], ...]  # "according to X"
    ambiguous_cues: frozenset[str]
    adverbs: frozenset[str]
    pronouns: dict[str, str | None]
    titles: dict[str, str | None]
    title_modifiers: frozenset[str]
    title_expansions: dict[str, str | None]
    honorifics: dict[str, str | None]
    role_nouns: frozenset[str]
    source_nouns: frozenset[str]
    source_heads_learned: frozenset[str]  # heads of unnamed sources learned from a corpus
    leader_nouns: frozenset[str]
    given_names: frozenset[str]
    given_gender: dict[str, str]
    surname_first: frozenset[str]
    particles: frozenset[str]
    stopwords: frozenset[str]
    places: frozenset[str]
    nationalities: frozenset[str]
    calendar: frozenset[str]
    outlets: frozenset[str]
    organizations: frozenset[str]
    org_final: frozenset[str]
    org_heads: frozenset[str]
    company_words: frozenset[str]
    org_describers: frozenset[str]
    place_final: frozenset[str]
    place_first: frozenset[str]
    sections_read: frozenset[tuple[str, str]]

    def __getitem__(self, name: str) -> frozenset[str]:
        """Return a word class of word_classes.txt: ``lexicon.classes.org_nouns``."""
        return self.classes[name]

    def given(self, word: str) -> bool:
        """Return True for a known given name, with or without its accents."""
        return word in self.given_names or plain(word) in self.given_names

    # Unions the rules read often, made once (a cached_property never changes the record).
    @cached_property
    def titles_lower(self) -> frozenset[str]:
        """Return titles and title qualifiers in lower case ("minister", "deputy")."""
        return frozenset(t.lower() for t in (*self.titles, *self.title_modifiers))

    @cached_property
    def blocked(self) -> frozenset[str]:
        """Return capitalised words that are never a person's name word by themselves."""
        return self.places | self.nationalities | self.calendar | self.stopwords

    @cached_property
    def role_stops(self) -> frozenset[str]:
        """Return the words a lower-case role before a name never runs across, cues included."""
        return self.classes.role_breakers | self.cues

    @cached_property
    def people_nouns(self) -> frozenset[str]:
        """Return the nouns that name people by role or as sources ("officials")."""
        return self.source_nouns | self.role_nouns

    @cached_property
    def role_words(self) -> frozenset[str]:
        """Return lower-case titles, qualifiers and role nouns."""
        return self.titles_lower | self.role_nouns

    @cached_property
    def profile_nouns(self) -> frozenset[str]:
        """Return the role nouns that mean the story's subject when nobody holds the role."""
        return self.role_nouns - self.source_nouns

    @cached_property
    def speaker_heads(self) -> frozenset[str]:
        """Return the nouns that end a speaker's noun phrase ("the minister", "an official")."""
        return (
            self.role_nouns | self.classes.org_nouns | self.source_nouns | self.source_heads_learned
        )

    @cached_property
    def affiliation_words(self) -> frozenset[str]:
        """Return capitalised words of organisations and places ("Senate", "Florida")."""
        return self.org_final | self.org_heads | self.places | self.nationalities

    @cached_property
    def owner_heads(self) -> frozenset[str]:
        """Return the nouns of a possessor's role phrase ("NATO's leader")."""
        return self.role_nouns | self.leader_nouns

    @cached_property
    def of_joins(self) -> frozenset[str]:
        """Return the words that take "of" inside a name ("Ministry of", "Secretary of")."""
        return self.classes.for_joins | self.org_heads | frozenset(self.titles)

    @cached_property
    def phrase_leads(self) -> frozenset[str]:
        """Return the words that open a speaker's noun phrase: "the" and unnamed determiners."""
        return self.classes.unnamed_determiners | {"the"}

    @cached_property
    def not_owners(self) -> frozenset[str]:
        """Return the words whose 's never makes an organisation's name (places, peoples)."""
        return self.places | self.nationalities


def _word_classes(classes: dict[str, frozenset[str]]) -> Any:
    """Return the word classes as an immutable record with one attribute per class."""
    return namedtuple("WordClasses", sorted(classes))(**classes)


PAIR_CLASSES = ("gendered_particles", "gendered_role_words", "role_verbs")
PATTERN_CLASSES = (
    "agent_suffixes",
    "common_noun_suffixes",
    "hyphen_adjective_suffixes",
    "female_surname_endings",
    "male_surname_endings",
    "female_noun_endings",
    "male_noun_endings",
)


def build_lexicon(folder: Path = FOLDER) -> Lexicon:
    """Read every file of the folder into a Lexicon."""
    read = _Reader(read_sections(folder))
    male = read.words("given_names_male")
    female = read.words("given_names_female")
    given_gender = {name: "m" for name in male - female}
    given_gender.update({name: "f" for name in female - male})
    class_names = [s for f, s in read.sections if f == "word_classes"]
    word_classes = [c for c in class_names if c not in PAIR_CLASSES + PATTERN_CLASSES]
    company = read.words("org_words", "company")
    lexicon = Lexicon(
        classes=_word_classes({name: read.words("word_classes", name) for name in word_classes}),
        class_pairs={name: read.pairs("word_classes", name) for name in PAIR_CLASSES},
        patterns={name: read.suffixes(name) for name in PATTERN_CLASSES},
        cues=read.words("cues") | read.words("cues_learned"),
        cue_phrases=tuple(tuple(p.split()) for p in sorted(read.phrases("cues", "phrases"))),
        cue_phrases_speaker_after=tuple(
            tuple(p.split()) for p in sorted(read.phrases("cues", "speaker_after"))
        ),
        ambiguous_cues=read.words("ambiguous_cues", lower=True),
        adverbs=read.words("adverbs", lower=True),
        pronouns=read.pairs("pronouns"),
        titles=read.pairs("titles"),
        title_modifiers=read.words("title_modifiers"),
        title_expansions=read.pairs("title_expansions"),
        honorifics=read.pairs("honorifics"),
        role_nouns=read.words("role_nouns", lower=True),
        source_nouns=read.words("source_nouns", lower=True),
        source_heads_learned=read.words("source_heads_learned", lower=True),
        leader_nouns=read.words("leader_nouns", lower=True),
        given_names=male | female,
        given_gender=given_gender,
        surname_first=read.words("surname_first"),
        particles=read.words("particles"),
        stopwords=read.words("stopwords"),
        places=read.words("places"),
        nationalities=read.words("nationalities"),
        calendar=read.words("calendar"),
        outlets=read.phrases("outlets"),
        organizations=read.phrases("organizations"),
        org_final=read.words("org_words", "final") | company,
        org_heads=read.words("org_words", "head"),
        company_words=company,
        org_describers=read.words("org_words", "describes"),
        place_final=read.words("place_words", "final"),
        place_first=read.words("place_words", "first"),
        sections_read=frozenset(),
    )
    object.__setattr__(lexicon, "sections_read", frozenset(read.read))
    return lexicon


@cache
def load_lexicon() -> Lexicon:
    """Return the package's lexicon, read once per process."""
    return build_lexicon()
