"""Organisations and news outlets among the name runs: known names, name shapes
("Acme Corp", "Ministry of Health") and behaviour ("Qantas said its ...")."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

from .document import POSSESSIVE_MARKS, Document
from .evidence import near_cue
from .lexicon import Lexicon
from .names import Names, Run
from .roles import describes_organization
from .tuning import ITS_LOOKAHEAD

Entity = tuple[str, int]  # ("person" | "org", index into its list)


class OrgRecord(NamedTuple):
    """A named organisation or outlet and where it is named."""

    name: str
    kind: str  # outlet | organization
    mentions: tuple[tuple[int, int], ...]


@dataclass(frozen=True, eq=False)
class Organizations:
    """The organisations of a document, the tokens that name them, and the runs left over."""

    orgs: tuple[OrgRecord, ...]
    by_token: dict[int, Entity]  # token index -> ("org", index), for every token of a mention
    mention_end: dict[int, int]  # first token of a mention -> its last token
    candidates: tuple[Run, ...]  # runs that may be people


@dataclass
class _Builder:
    """Collects organisations while the runs are read (private to this stage)."""

    doc: Document
    names: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    mentions: list[list[tuple[int, int]]] = field(default_factory=list)
    named: dict[str, int] = field(default_factory=dict)  # organisation name -> index
    prefixes: dict[str, int] = field(default_factory=dict)  # "Acme" -> "Acme Corp"
    by_token: dict[int, Entity] = field(default_factory=dict)
    mention_end: dict[int, int] = field(default_factory=dict)

    def find(self, name: str) -> int | None:
        """Return the organisation of this name or of a longer name it starts."""
        for form in (name, name.removeprefix("The "), f"The {name}"):
            index = self.named.get(form)
            if index is not None:
                return index  # "the Guardian" and "The Guardian" are one outlet
        return self.prefixes.get(name)

    def add(self, name: str, kind: str, first: int, last: int, *, with_the: bool = False) -> None:
        """Add a mention of an organisation, creating it on first sight."""
        index = self.find(name)
        if index is None:
            index = len(self.names)
            self.names.append(name)
            self.kinds.append(kind)
            self.mentions.append([])
            self.named[name] = index
            parts = name.split()
            for length in range(1, len(parts)):
                self.prefixes.setdefault(" ".join(parts[:length]), index)
            if name.startswith("The "):
                self.prefixes.setdefault(name.removeprefix("The "), index)
        start = first - 1 if with_the and first > 0 else first
        self.mentions[index].append((self.doc.starts[start], self.doc.ends[last]))
        for token in range(first, last + 1):
            self.by_token[token] = ("org", index)
        self.mention_end[first] = last


@cache
def _longest_known(lexicon: Lexicon) -> int:
    """Return the most words an outlet or known organisation's name has."""
    return max(len(name.split()) for name in lexicon.outlets | lexicon.organizations)


def run_text(doc: Document, first: int, last: int) -> str:
    """Return the words of tokens first..last with single spaces."""
    return " ".join(doc.text[doc.starts[first] : doc.ends[last]].split())


def _org_shaped(lex: Lexicon, names: list[str]) -> bool:
    """Return True for 'Acme Corp', 'Foreign Ministry', 'Ministry of Health'."""
    if len(names) >= 2 and names[-1] in lex.org_final:
        return True
    return len(names) >= 3 and names[0] in lex.org_heads and names[1] in lex.classes.name_joins


def _acronym(word: str) -> bool:
    """Return True for a word of capitals only (ACU, DNC), two letters or more."""
    return len(word) >= 2 and word.isalpha() and word.isupper()


def _acts_as_organization(names: Names, run: Run, words: list[str]) -> bool:
    """Return True for 'Qantas said its ...', 'Latchwise, which ...', 'Keyhaven's customers'.

    Only for names with no sign of a person (no given name, title or honorific first).
    """
    doc, lex = names.doc, names.doc.lexicon
    first = words[0]
    if first in lex.given_names or first in lex.titles or first in lex.honorifics:
        return False
    if any(word in lex.blocked or word in lex.titles for word in words):
        return False  # "Azerbaijan, which ...", "Wednesday", "Sanitation Minister X"
    if len(words) == 1 and words[0] in names.endings:
        return False  # "Harmon will join its board": Harmon is George W. Harmon
    if len(words) == 1 and _acronym(words[0]):
        article = run.first > 0 and doc.lowers[run.first - 1] == "the"
        return article or near_cue(doc, run)  # "the DNC", "ESPN said": a body, not a person
    after = run.last + 1
    if after + 1 < doc.size and doc.words[after] in POSSESSIVE_MARKS:
        return doc.lowers[after + 1] in lex.classes.organisation_possessions
    if after + 1 < doc.size and doc.words[after] == "," and doc.lowers[after + 1] == "which":
        return True
    if describes_organization(names.roles, run.last):
        return True  # "Latchwise, the San Francisco startup whose ..."
    for index in range(after, min(after + ITS_LOOKAHEAD, doc.size)):
        if doc.lowers[index] == "its":
            return True
        if (doc.kinds[index] == "punct" and doc.words[index] not in ("'", "’")) or (
            doc.shaped[index]
        ):
            return False
    return False


def _held_office(doc: Document, run: Run) -> Run | None:
    """Return the organisation part of 'Title of the Organisation', or None."""
    lex, words = doc.lexicon, doc.words
    if run.last - run.first < 2 or words[run.first] not in lex.titles:
        return None
    first = run.first + 1
    while first < run.last and words[first] in lex.classes.title_joins:
        first += 1
    if first == run.first + 1 or words[run.last] not in lex.org_final:
        return None
    return Run(first, run.last, run.possessive, None)


def _claim(names: Names, built: _Builder, run: Run) -> bool:
    """Record outlets and organisations inside a run; True if the whole run is one."""
    doc, lex = names.doc, names.doc.lexicon
    held = _held_office(doc, run)
    if held is not None:  # "Secretary-General of the Baltic Ports Council": a role, not a name
        return _claim(names, built, held) or True
    words = doc.words[run.first : run.last + 1]
    whole = run_text(doc, run.first, run.last)
    with_the = f"The {whole}" if run.first > 0 and doc.words[run.first - 1] == "The" else whole
    for phrase in (with_the, whole):
        if phrase in lex.outlets:
            leading = phrase != whole
            built.add(phrase if leading else phrase.removeprefix("The "), "outlet", run.first,
                      run.last, with_the=leading)  # fmt: skip
            return True
    if len(words) >= 2 and words[-1] in lex.classes.outlet_words and words[0] not in lex.titles:
        built.add(whole, "outlet", run.first, run.last)
        return True  # "Geo News", "Citizen TV", "Channels Television"
    if (
        whole in lex.organizations
        or _org_shaped(lex, words)
        or _acts_as_organization(names, run, words)
    ):
        built.add(whole, "organization", run.first, run.last)
        return True
    known = built.named.get(whole)
    if known is not None:
        built.add(whole, built.kinds[known], run.first, run.last)
        return True  # named as an organisation before: "Qantas said"
    if len(words) == 1 and (alias := built.prefixes.get(whole)) is not None:
        built.add(built.names[alias], built.kinds[alias], run.first, run.last)
        return True  # "Hanbit" after "Hanbit Heavy Industries"
    # An outlet or known organisation at the start of a longer run ("NATO Secretary-General").
    for length in range(min(len(words) - 1, _longest_known(lex)), 0, -1):
        head = " ".join(words[:length])
        if head in lex.outlets or head in lex.organizations:
            kind = "outlet" if head in lex.outlets else "organization"
            built.add(head, kind, run.first, run.first + length - 1)
            return False
    return False


def find_organizations(doc: Document, names: Names) -> Organizations:
    """Claim the runs that name organisations; the rest are candidates for people."""
    built = _Builder(doc)
    candidates = [run for run in names.runs if not _claim(names, built, run)]
    # A name first seen before the sentence that shows it is an organisation
    # ("Qantas to halve flights" ... "Qantas will cut its service").
    people_runs = []
    for run in candidates:
        whole = run_text(doc, run.first, run.last)
        known = built.named.get(whole)
        if known is None:
            people_runs.append(run)
        else:
            built.add(whole, built.kinds[known], run.first, run.last)
    orgs = tuple(
        OrgRecord(name, kind, tuple(sorted(mentions)))
        for name, kind, mentions in zip(built.names, built.kinds, built.mentions, strict=True)
    )
    return Organizations(orgs, built.by_token, built.mention_end, tuple(people_runs))
