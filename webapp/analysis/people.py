"""People: name runs matched to persons (full names, surnames, nicknames), their roles,
aliases and every mention, including role phrases ("the minister", "NATO's leader")."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from .document import Document
from .evidence import clean_name, has_evidence
from .lexicon import plain
from .names import NameParts, Names, Run, name_gender, read_name, role_gender, surname_first
from .organizations import Entity, Organizations
from .role_mentions import RoleIndex, role_phrases


class PersonRecord(NamedTuple):
    """A person as the engine found them: name words, role, gender and mention spans."""

    tokens: tuple[str, ...]
    role: str | None
    gender: str | None  # from names, titles and roles; pronouns are the genders stage's
    mentions: tuple[tuple[int, int], ...]  # sorted
    aliases: tuple[str, ...]
    nicknames: tuple[str, ...]
    last_seen: int  # token index of the last mention by name

    @property
    def name(self) -> str:
        """Return the fullest name form seen."""
        return " ".join(self.tokens)


@dataclass(frozen=True, eq=False)
class Entities:
    """People and organisations, and which entity each mentioned token belongs to."""

    people: tuple[PersonRecord, ...]
    orgs: tuple  # tuple[OrgRecord, ...]
    by_token: dict[int, Entity]  # token index -> entity, for every token of a mention
    mention_end: dict[int, int]  # first token of a mention -> its last token
    roles: RoleIndex  # people by the words of their roles

    def is_person(self, index: int) -> bool:
        """Return True if the token belongs to a person's mention."""
        return self.by_token.get(index, ("",))[0] == "person"


@dataclass
class _Person:
    """A person while the stage builds it."""

    tokens: tuple[str, ...]
    role: str | None = None
    gender: str | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    nicknames: list[str] = field(default_factory=list)
    last_seen: int = -1

    @property
    def name(self) -> str:
        """Return the fullest name form seen."""
        return " ".join(self.tokens)

    def frozen(self) -> PersonRecord:
        """Return the finished record."""
        return PersonRecord(
            self.tokens,
            self.role,
            self.gender,
            tuple(sorted(self.mentions)),
            tuple(self.aliases),
            tuple(self.nicknames),
            self.last_seen,
        )


class _Matcher:
    """Builds the people of one document from its candidate runs (private to this stage)."""

    def __init__(self, names: Names, orgs: Organizations) -> None:
        self.names = names
        self.doc = names.doc
        self.people: list[_Person] = []
        self.by_word: dict[str, set[int]] = {}  # name word (lower) -> people carrying it
        self.surnames: set[str] = set()  # last words of names of two or more words
        self.first_words: Counter[str] = Counter()
        self.last_words: Counter[str] = Counter()
        self.parts: dict[tuple[int, int], NameParts] = {}
        self.clean: dict[tuple[str, ...], bool] = {}
        self.by_token: dict[int, Entity] = dict(orgs.by_token)
        self.mention_end: dict[int, int] = dict(orgs.mention_end)

    def read(self, run: Run) -> NameParts:
        """Return the run read as a name, once per run."""
        key = (run.first, run.last)
        parts = self.parts.get(key)
        if parts is None:
            parts = self.parts[key] = read_name(self.doc, run)
        return parts

    def clean_name(self, names: tuple[str, ...]) -> bool:
        """Return whether every word could be part of a person's name, once per name."""
        clean = self.clean.get(names)
        if clean is None:
            clean = self.clean[names] = clean_name(self.doc, names)
        return clean

    def add(self, tokens: tuple[str, ...], role: str | None, gender: str | None) -> int:
        """Create a person and index their name words."""
        self.people.append(_Person(tokens, role, gender))
        self.first_words[tokens[0]] += 1
        self.last_words[tokens[-1]] += 1
        self.index(len(self.people) - 1)
        return len(self.people) - 1

    def rename(self, index: int, tokens: tuple[str, ...]) -> None:
        """Give a person a fuller name ("Rasmussen" seen first, then "Anders Fogh Rasmussen")."""
        person = self.people[index]
        self.first_words[person.tokens[0]] -= 1
        self.last_words[person.tokens[-1]] -= 1
        person.tokens = tokens
        self.first_words[tokens[0]] += 1
        self.last_words[tokens[-1]] += 1
        self.index(index)

    def index(self, index: int) -> None:
        """Remember which people carry each name word, so matching looks only at those."""
        person = self.people[index]
        if len(person.tokens) >= 2:
            self.surnames.add(person.tokens[-1])
        for part in (*person.tokens, *" ".join(person.nicknames).split()):
            self.by_word.setdefault(part.lower(), set()).add(index)

    def match(self, names: tuple[str, ...], gender: str | None) -> int | None:
        """Return the person these name words refer to, preferring gender and recency."""
        candidates = set().union(*(self.by_word.get(n.lower(), ()) for n in names))
        matches = [i for i in sorted(candidates) if self.refers_to(names, self.people[i])]
        if not matches:
            return None
        if gender in ("m", "f"):
            same = [i for i in matches if self.people[i].gender in (gender, None)]
            matches = same or matches
        return max(matches, key=lambda i: self.people[i].last_seen)

    def refers_to(self, names: tuple[str, ...], person: _Person) -> bool:
        """Return True if names is the person's name, a tail of it, or its surname-first head."""
        lex = self.doc.lexicon
        suffixes = lex.classes.name_suffixes

        def norm(part: str) -> str:
            return part.lower() if part.lower() in lex.particles else part  # "De la Cruz"

        if names == person.tokens or " ".join(names) in person.nicknames:
            return True  # the same words (the common case), or a nickname
        own = [n for n in person.tokens if n in suffixes]
        said = [n for n in names if n in suffixes]
        if own and said and own != said:
            return False  # Robert Kane Sr. is not Robert Kane Jr.
        full = [norm(n) for n in person.tokens if n not in suffixes]
        words = [norm(n) for n in names if n not in suffixes]
        if not words:
            return False
        if words == full or (len(words) < len(full) and full[-len(words) :] == words):
            return True
        if len(words) == 1 and len(full) >= 2 and words[0] == full[0]:
            # "Colin", "Sheikh Saif": a first name that only one person in the story has,
            # and that is nobody's surname.
            unique_given = self.first_words[full[0]] == 1 and (
                plain(full[0]) in lex.given_names or not self.last_words[words[0]]
            )
            return surname_first(self.doc, full) or unique_given
        return False

    def maybe_new_person(self, run: Run, *, pass_one: bool) -> int | None:
        """Create a person for a run with a full name and evidence; return its index."""
        parts = self.read(run)
        names = parts.names
        if not names or not self.clean_name(names) or parts.first < self.doc.headline_end:
            return None
        if pass_one and len(names) < 2:
            return None
        if self.match(names, parts.gender) is not None:
            return None  # named before (checked first: it is the cheaper test)
        evidence = has_evidence(self.names, run, parts)
        if not evidence and not (len(names) >= 2 and pass_one):
            return None
        if len(names) >= 2 and not evidence and not self.names.reused_after(names[-1], run.last):
            return None  # capitalised words and nothing else: a person only if named again
        return self.add(names, parts.role, parts.gender or name_gender(self.doc, names))

    def resolve(self, run: Run) -> None:
        """Attach a run to a person (creating one if it has evidence) and record the mention."""
        parts = self.read(run)
        names = parts.names
        if not names:
            return
        known_surname = len(names) == 1 and names[0] in self.surnames  # Tyrell J. Washington
        if not self.clean_name(names) and not known_surname:
            return
        index = self.match(names, parts.gender)
        if index is None:
            index = self.maybe_new_person(run, pass_one=False)
        if index is None:
            return
        person = self.people[index]
        if len(names) > len(person.tokens) and names[-len(person.tokens) :] == person.tokens:
            self.rename(index, names)
        person.gender = person.gender or parts.gender
        if run.nickname is not None:
            nickname = " ".join(self.doc.words[i] for i in run.nickname)
            if nickname not in person.nicknames:
                person.nicknames.append(nickname)
                person.aliases.append(nickname)
                self.index(index)
        self.describe(person, run, parts.role)
        alias = " ".join(names)
        if alias != person.name and alias not in person.aliases:
            person.aliases.append(alias)
        person.mentions.append((self.doc.starts[parts.first], self.doc.ends[run.last]))
        person.last_seen = parts.first
        self.mark(parts.first, run.last, index)

    def describe(self, person: _Person, run: Run, role: str | None) -> None:
        """Give a person the first role the text states around this mention, and its gender."""
        if person.role is not None and person.gender is not None:
            return  # nothing this mention could add
        roles = self.names.roles
        described = [
            role,
            roles.before(run.first),
            roles.apposition_after(run.last),
            roles.apposition_before(run.first),
            roles.described_after(run.last),
        ]
        person.role = person.role or next((d for d in described if d), None)
        for phrase in described:
            person.gender = person.gender or role_gender(self.doc, phrase)  # "her father, X"

    def mark(self, first: int, last: int, index: int) -> None:
        """Remember which person the tokens first..last name."""
        for token in range(first, last + 1):
            self.by_token[token] = ("person", index)
        self.mention_end[first] = last

    def add_role_mentions(self) -> None:
        """Record 'NATO's leader' and 'the minister' as mentions of the person they mean."""
        doc = self.doc
        records = tuple(p.frozen() for p in self.people)
        index = RoleIndex.build(doc, records)
        for first, last, person_index in role_phrases(doc, records, index, self.by_token):
            start, end = doc.starts[first], doc.ends[last]
            person = self.people[person_index]
            person.mentions.append((start, end))
            alias = doc.text[start:end]
            owned = doc.lowers[first] != "the"  # "NATO's leader", not "The minister"
            if owned and alias[0].isupper() and alias not in person.aliases:
                person.aliases.append(alias)
            self.mark(first, last, person_index)


def resolve_people(doc: Document, names: Names, orgs: Organizations) -> Entities:
    """Find the people among the candidate runs: full names first, then every mention."""
    matcher = _Matcher(names, orgs)
    for run in orgs.candidates:
        matcher.maybe_new_person(run, pass_one=True)
    for run in orgs.candidates:
        matcher.resolve(run)
    matcher.add_role_mentions()
    people = tuple(p.frozen() for p in matcher.people)
    return Entities(
        people,
        orgs.orgs,
        matcher.by_token,
        matcher.mention_end,
        RoleIndex.build(doc, people),
    )
