"""Name runs: capitalised words grouped into candidates, split into title and name words,
and judged as a person's name or not."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from .document import APOSTROPHES, OPENING_MARKS, Document
from .lexicon import Lexicon, plain
from .roles import Roles, agent_word, qualifier
from .roles import modifier as title_qualifying
from .tuning import MAX_NAME_AFTER_ROLE, MAX_NAME_RUN, MAX_NICKNAME_WORDS

QUOTE_MARKS = frozenset("\"“”‘’'")
INITIAL = re.compile(r"^(?:[A-Z]\.)+$")  # J. or J.R.
_EAST_ASIAN_GIVEN = re.compile(r"^[A-Z][a-z]+-[a-z]+$")  # Ka-wing, Min-jun, Mei-ling


class Run(NamedTuple):
    """Consecutive capitalised tokens [first, last] (inclusive), one name candidate."""

    first: int
    last: int
    possessive: bool
    nickname: range | None = None  # Delbert "Doc" Haines, Andrés "El Tanque" Ocampo


class NameParts(NamedTuple):
    """A run read as a name: its name words, first name token, role, gender, and title."""

    names: tuple[str, ...]
    first: int
    role: str | None
    gender: str | None
    titled: bool


def has_middle_initial(names: tuple[str, ...] | list[str]) -> bool:
    """Return True for 'George W. Harmon': an initial between two name words."""
    return len(names) >= 3 and any(INITIAL.match(n) for n in names[1:-1])


def surname_first(doc: Document, names: tuple[str, ...] | list[str]) -> bool:
    """Return True for Zhang Wei, Chan Ka-wing: family name first, referred to by it."""
    if names[0] in doc.lexicon.surname_first:
        return True
    return len(names) == 2 and bool(_EAST_ASIAN_GIVEN.match(names[1]))


def name_gender(doc: Document, names: tuple[str, ...]) -> str | None:
    """Guess gender from a given name, a gendered particle or a Slavic surname ending."""
    lex = doc.lexicon
    given = lex.given_gender
    if len(names) >= 2 and surname_first(doc, names):
        return given.get(names[1])  # Kim Min-jun: the given name is the second word
    if names[0] in given or plain(names[0]) in given:
        return given.get(names[0]) or given[plain(names[0])]
    particles = lex.class_pairs["gendered_particles"]
    for part in names[1:-1]:
        if part in particles:
            return particles[part]  # Siobhán Ní Bhriain, Saif bin Khalid
    if len(names) >= 2:
        if lex.patterns["female_surname_endings"].search(names[-1]):
            return "f"
        if lex.patterns["male_surname_endings"].search(names[-1]):
            return "m"
    return None


def role_gender(doc: Document, role: str | None) -> str | None:
    """Return the gender a role states ("her father", "a spokeswoman"), if it states one."""
    table = doc.lexicon.class_pairs["gendered_role_words"]
    for word in (role or "").lower().replace("’", "'").split():
        if word in table:
            return table[word]
    return None


def _nickname_at(doc: Document, mark: int) -> int:
    """Return the nickname's length in words at an opening mark (Earl "Fats" Brown), or 0."""
    if mark + 1 >= doc.size or doc.starts[mark + 1] != doc.ends[mark]:
        return 0
    for length in range(1, MAX_NICKNAME_WORDS + 1):
        close = mark + 1 + length
        if close + 1 >= doc.size or not doc.capitalized[close - 1]:
            return 0
        if doc.words[close] in QUOTE_MARKS and doc.starts[close] == doc.ends[close - 1]:
            return length if doc.capitalized[close + 1] else 0
    return 0


def _joins(doc: Document, first: int, probe: int) -> int:
    """Return how many tokens at probe continue a run without being name words, or 0."""
    lex, words = doc.lexicon, doc.words
    word, previous = words[probe], words[probe - 1]
    more = probe + 1 < doc.size
    if word in lex.particles and more:
        return 1
    if word == "of" and previous in lex.of_joins:
        return 1  # "Ministry of Health", "Secretary of State"; not "Shares of Acme"
    if (
        word == "and"
        and more
        and doc.capitalized[probe + 1]
        and _all_places(lex, words[first:probe])
    ):
        return 1  # "Trinidad and Tobago Coast Guard"; not "Tyrell J. Washington and Ada"
    if word == "for" and previous in lex.classes.for_joins:
        return 1
    if word == "the" and previous in lex.classes.name_joins:
        return 1
    return 0


def _all_places(lex: Lexicon, words: list[str]) -> bool:
    """Return True for run words that name places ("Trinidad", "The Trinidad")."""
    named = [w for w in words if w not in lex.stopwords]
    return bool(named) and all(w in lex.places for w in named)


def _run_from(doc: Document, index: int) -> Run:
    """Read one run starting at a capitalised token."""
    words, lex = doc.words, doc.lexicon
    last, probe, nickname = index, index + 1, None
    while probe < doc.size and probe - index < MAX_NAME_RUN:
        gap = doc.text[doc.ends[probe - 1] : doc.starts[probe]]
        word = words[probe]
        if gap == " " and word in QUOTE_MARKS and (length := _nickname_at(doc, probe)):
            nickname = range(probe + 1, probe + 1 + length)
            last = probe + length + 2
            probe = last + 1
            continue
        if gap == " " and word == "&" and probe + 1 < doc.size and doc.capitalized[probe + 1]:
            probe += 1  # "Strait & Ridgeway Engineering", "Procter & Gamble"
            continue
        if (
            gap == ""
            and word in APOSTROPHES
            and probe + 2 < doc.size
            and words[probe + 1] in lex.org_final
            and doc.text[doc.ends[probe] : doc.starts[probe + 1]] == " "
            and words[probe + 2] not in lex.classes.name_joins
            and words[probe - 1] not in lex.not_owners
        ):
            last = probe + 1  # "District Attorney's Office", "People's Party"
            probe += 2
            continue
        if gap not in ("", " ") or (gap == "" and doc.kinds[probe] == "punct"):
            break
        if words[probe - 1] in lex.classes.name_ending_abbreviations:
            break  # "She joined Acme Corp. Tova Quill said": the name ended with its stop
        if doc.shaped[probe]:
            last = probe
            probe += 1
        elif step := _joins(doc, index, probe):
            probe += step
        else:
            break
    possessive = (
        last + 1 < doc.size
        and words[last + 1] in APOSTROPHES
        and doc.starts[last + 1] == doc.ends[last]
    )
    return Run(index, last, possessive, nickname)


def find_runs(doc: Document) -> list[Run]:
    """Group capitalised tokens (with particles and "of" inside) into runs within a line."""
    runs: list[Run] = []
    for index in doc.capitals:
        if not runs or index > runs[-1].last:
            runs.append(_run_from(doc, index))
    return runs


@dataclass(frozen=True, eq=False)
class Names:
    """The name runs of a document and what is known about its capitalised words."""

    doc: Document
    roles: Roles
    runs: list[Run]  # every run, leading function words skipped
    endings: frozenset[str]  # last words of names that open with a given name or initial

    @cached_property
    def mid_sentence(self) -> frozenset[str]:
        """Return the words written with a capital somewhere other than a sentence start."""
        doc = self.doc
        return frozenset(
            doc.words[i]
            for i in doc.capitals
            if i >= doc.headline_end
            and i not in doc.sentence_set
            and not (doc.words[i - 1] in OPENING_MARKS and doc.ends[i - 1] == doc.starts[i])
        )

    @cached_property
    def alone_at(self) -> dict[str, list[int]]:
        """Return each capitalised word -> the token indices where it stands alone."""
        doc, lex = self.doc, self.doc.lexicon
        found: dict[str, list[int]] = {}
        for i in doc.capitals:
            alone = (i + 1 >= doc.size or not doc.shaped[i + 1]) and (
                i == 0
                or not doc.shaped[i - 1]
                or doc.words[i - 1] in lex.honorifics
                or doc.words[i - 1] in lex.titles
            )  # "Barraclough" in "Ms Barraclough said" stands alone
            if alone:
                found.setdefault(doc.words[i], []).append(i)
        return found

    def reused_after(self, surname: str, after: int) -> bool:
        """Return True when a name word appears alone after token index after."""
        places = self.alone_at.get(surname, [])
        return bisect_right(places, after) < len(places)

    def capitalized_mid_sentence(self, word: str) -> bool:
        """Return True if the word appears capitalised other than at a sentence start."""
        return word in self.mid_sentence


def find_names(doc: Document, roles: Roles) -> Names:
    """Return the document's name runs, leading function words ("The", "When") skipped."""
    raw = find_runs(doc)
    # Last words of names that start with a given name or an initial ("George W. Harmon"):
    # such a word alone later is that person, even where an "its" follows it.
    endings = frozenset(
        doc.words[run.last]
        for run in raw
        if run.last > run.first
        and (doc.lexicon.given(doc.words[run.first]) or doc.kinds[run.first] == "initials")
    )
    runs = []
    for run in raw:
        first = run.first
        while first <= run.last and doc.words[first] in doc.lexicon.stopwords:
            first += 1
        if first <= run.last:
            runs.append(Run(first, run.last, run.possessive, run.nickname))
    return Names(doc, roles, runs, endings)


def read_name(doc: Document, run: Run) -> NameParts:
    """Split a run into its title (the role as the article states it) and its name words."""
    first, role, gender, titled = _split_title(doc, run)
    lex = doc.lexicon
    names = [
        doc.words[i]
        for i in range(first, run.last + 1)
        if doc.words[i] not in QUOTE_MARKS and (run.nickname is None or i not in run.nickname)
    ]
    while len(names) > 1 and names[-1] in lex.classes.post_nominals:
        names.pop()  # "Gareth Lowe MP" is Gareth Lowe
    return NameParts(tuple(names), first, role, gender, titled)


def _last_title(doc: Document, run: Run) -> int | None:
    """Return the index of the last title word at the front of a run, or None."""
    lex = doc.lexicon
    last_title = None
    for index in range(run.first, run.last):
        text = doc.words[index]
        if text in lex.honorifics or text in lex.titles:
            last_title = index
        elif (
            index == run.first
            and index in doc.sentence_set
            and not lex.given(text)
            and (doc.lowers[index] in lex.role_nouns or _agent_when_lowered(doc, index))
        ):
            last_title = index  # "Co-star Roxanne Pryce", "Fisherman Kelvin Alleyne"
        elif last_title is not None and not qualifier(doc, index):
            break
    return last_title


def _given_after_role(doc: Document, first: int, last: int) -> int | None:
    """Return where a given name starts a name of two or three words after other capitals.

    "Senate Minority Whip Dick Durbin": the words before the given name are the person's
    role when one of them is an organisation's or a place's word. A run that opens with a
    given name is one name ("Jean Paul Sartre"), and so is "Tan Hui Min".
    """
    lex = doc.lexicon
    if lex.given(doc.words[first]) or doc.kinds[first] == "initials":
        return None
    affiliated = lex.affiliation_words
    for index in range(max(first + 1, last - MAX_NAME_AFTER_ROLE + 1), last):
        if not lex.given(doc.words[index]) or doc.kinds[index - 1] != "word":
            continue
        if any(doc.words[i] in affiliated for i in range(first, index)):
            return index  # an organisation's or a place's word says the capitals are a role
    return None


def _agent_when_lowered(doc: Document, index: int) -> bool:
    """Return True for a capitalised agent noun at a sentence start ("Fisherman")."""
    lex = doc.lexicon
    if doc.words[index] in lex.nationalities:
        return False  # "Russian Anatoly Serdyukov": a nationality, not a trade
    return doc.kinds[index] == "word" and agent_word(lex, doc.lowers[index])


def _split_title(doc: Document, run: Run) -> tuple[int, str | None, str | None, bool]:
    """Return (first name token, role, gender from title, had a title or honorific).

    Everything up to the last title word is the role: "Floods Minister Rebecca Thorne".
    """
    lex = doc.lexicon
    last_title = _last_title(doc, run)
    if last_title is None:
        first = run.first
        while first < run.last and title_qualifying(doc, first):
            first += 1  # "Russian Anatoly Serdyukov": a nationality, not a name
        given = _given_after_role(doc, first, run.last)
        if given is not None:  # "Senate Minority Whip Dick Durbin": a role we have no word for
            return given, " ".join(doc.words[run.first : given]), None, True
        qualified = first
        while qualified < run.last and doc.words[qualified] in lex.title_modifiers:
            qualified += 1
        if qualified > first and run.last - qualified >= 1:
            role = " ".join(doc.words[run.first : qualified])
            return qualified, role, None, True  # "Deputy Raimundo Cavalcanti"
        return first, None, None, False
    # "Secretary of State Antony Blinken", "Secretary for Housing Wong Mei-ling".
    joins = lex.classes.title_joins
    end = last_title
    while end + 2 <= run.last and doc.words[end + 1] in joins:
        follow = end + 2
        while follow < run.last and doc.words[follow] in joins:
            follow += 1
        if follow >= run.last or not qualifier(doc, follow):
            break
        end = follow
        while end + 1 < run.last and qualifier(doc, end + 1) and not lex.given(doc.words[end + 1]):
            end += 1  # "Minister of National Security Gabriela Ramírez-Holder"
    gender = None
    role_words: list[str] = []
    for text in doc.words[run.first : end + 1]:
        if text in lex.honorifics and text not in lex.titles:
            gender = gender or lex.honorifics[text]
            continue  # Mr, Dr, Rev: a form of address, not a role
        if text in lex.titles:
            gender = gender or lex.titles[text]
        role_words.append(text)
    while role_words and role_words[0] in joins:
        role_words.pop(0)
    return end + 1, " ".join(role_words) or None, gender, True
