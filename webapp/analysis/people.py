"""People and organisations: capitalised name runs, titles and appositions, aliases."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from . import words
from .text import Token

SUFFIXES = words.word_class("name_suffixes")
POST_NOMINALS = words.word_class("post_nominals")
_FEMALE_SURNAME = re.compile(r"(?:ova|eva|ina|aya|ska|cka)$")
_MALE_SURNAME = re.compile(r"(?:ov|ev|sky|ski|vich|enko)$")
_GENDERED_PARTICLES = words.word_pairs("gendered_particles")
_ORG_POSSESSIONS = words.word_class("organisation_possessions")
_OUTLET_WORDS = words.word_class("outlet_words")
_GENDERED_ROLES = words.word_pairs("gendered_role_words")
_PEOPLE_NOUNS = words.word_set("source_nouns", lower=True) | words.word_set(
    "role_nouns", lower=True
)
# "the fiddler Angus Rennie", "office worker Jasmine Reyes", "the accompanist Duncan Ferrie".
_AGENT_NOUN = re.compile(r"(?:ist|er|or|ian|ant|eer|man|woman|person|smith|wright)$")
_NOT_AGENTS = words.word_class("not_agent_nouns")
_FINITE_VERBS = words.word_class("finite_verbs")
_INITIAL = re.compile(r"^(?:[A-Z]\.)+$")  # J. or J.R.


def _has_middle_initial(names: list[str]) -> bool:
    """Return True for 'George W. Harmon': an initial between two name words."""
    return len(names) >= 3 and any(_INITIAL.match(n) for n in names[1:-1])


_HYPHEN_ADJECTIVE = re.compile(r"-(?:based|born|led|owned|run|era|style|backed|funded)$")
_COMMON_NOUN = re.compile(r"(?:isation|ization|ism|ment|ness|ships?|ity)$")
_CONTRACTION = re.compile(r"(?:n['’]t|['’](?:ll|re|ve|m|d))$", re.IGNORECASE)
_EAST_ASIAN_GIVEN = re.compile(r"^[A-Z][a-z]+-[a-z]+$")  # Ka-wing, Min-jun, Mei-ling
_PREPOSITIONS = words.word_class("place_prepositions")
_FOR_JOINS = words.word_class("for_joins")
_ROLE_BREAKERS = words.word_class("role_breakers")
_ROLE_LEADS = words.word_class("role_leads")
_PLACES = words.word_set("places")
_NOT_OWNERS = _PLACES | words.word_set("nationalities")
_OF_JOINS = _FOR_JOINS | words.org_head_words() | words.word_set("titles")
_QUOTE_MARKS = frozenset("\"“”‘’'")
_PARTY_TAG = re.compile(r"^[DRI]-[A-Z][a-z]*\.?$")  # D-Ohio, R-Mont.: not names


@dataclass
class PersonRecord:
    """A person as the engine builds it: name words, role, gender and mention spans."""

    tokens: list[str]
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


@dataclass
class OrgRecord:
    """A named organisation or outlet and where it is named."""

    name: str
    kind: str
    mentions: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Run:
    """Consecutive capitalised tokens [first, last] (inclusive), one name candidate."""

    first: int
    last: int
    possessive: bool
    nickname: range | None = None  # Delbert "Doc" Haines, Andrés "El Tanque" Ocampo


@dataclass
class Entities:
    """What people.py found: records plus which entity each mentioned token belongs to."""

    people: list[PersonRecord]
    orgs: list[OrgRecord]
    # token index -> ("person" | "org", record index), for every token of a mention
    by_token: dict[int, tuple[str, int]]
    # token index of a mention's first token -> index of its last token
    mention_end: dict[int, int]


def _plain(word: str) -> str:
    """Return a word without its accents: Siobhán -> Siobhan, for looking up given names."""
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def _role_gender(role: str | None) -> str | None:
    """Return the gender a role states ("her father", "a spokeswoman"), if it states one."""
    for word in (role or "").lower().replace("’", "'").split():
        if word in _GENDERED_ROLES:
            return _GENDERED_ROLES[word]
    return None


def _lowered(token: Token) -> Token:
    """Return the token in lower case ("Fisherman" -> "fisherman"), same place and kind."""
    return Token(token.lower, token.start, token.end, token.kind)


def _name_shaped(token: Token) -> bool:
    """Return True for a capitalised word or an initial."""
    return token.is_capitalized or token.kind == "initials"


def find_runs(tokens: list[Token], text: str) -> list[Run]:
    """Group capitalised tokens (with particles and "of" inside) into runs within a line."""
    particles = words.word_set("particles")
    runs: list[Run] = []
    starts = [i for i, t in enumerate(tokens) if t.is_capitalized or t.kind == "initials"]
    for index in starts:
        if runs and index <= runs[-1].last:
            continue
        last = index
        probe = index + 1
        nickname = None
        while probe < len(tokens):
            gap = text[tokens[probe - 1].end : tokens[probe].start]
            token = tokens[probe]
            if (
                gap == " "
                and token.text in _QUOTE_MARKS
                and (length := _nickname_at(tokens, probe))
            ):
                nickname = range(probe + 1, probe + 1 + length)
                last = probe + length + 2
                probe = last + 1
                continue
            if (
                gap == " "
                and token.text == "&"
                and probe + 1 < len(tokens)
                and tokens[probe + 1].is_capitalized
            ):
                probe += 1  # "Strait & Ridgeway Engineering", "Procter & Gamble"
                continue
            if (
                gap == ""
                and token.text in ("'s", "’s", "'", "’")
                and probe + 2 < len(tokens)
                and tokens[probe + 1].text in words.org_final_words()
                and text[token.end : tokens[probe + 1].start] == " "
                and tokens[probe + 2].text not in ("of", "for")
                and tokens[probe - 1].text not in _NOT_OWNERS
            ):
                last = probe + 1  # "District Attorney's Office", "People's Party"
                probe += 2
                continue
            if gap not in ("", " ") or (gap == "" and token.kind == "punct"):
                break
            if _name_shaped(token):
                last = probe
                probe += 1
            elif token.text in particles and probe + 1 < len(tokens):
                probe += 1
            elif token.text == "of" and tokens[probe - 1].text in _OF_JOINS:
                probe += 1  # "Ministry of Health", "Secretary of State"; not "Shares of Acme"
            elif (
                token.text == "and"
                and probe + 1 < len(tokens)
                and tokens[probe - 1].text in _PLACES
                and tokens[probe + 1].is_capitalized
            ):
                probe += 1  # "Trinidad and Tobago Coast Guard", "Bosnia and Herzegovina"
            elif token.text == "for" and tokens[probe - 1].text in _FOR_JOINS:
                probe += 1
            elif token.text == "the" and tokens[probe - 1].text in ("of", "for"):
                probe += 1
            else:
                break
        possessive = last + 1 < len(tokens) and tokens[last + 1].text in ("'s", "’s", "'", "’")
        possessive = possessive and tokens[last + 1].start == tokens[last].end
        runs.append(Run(index, last, possessive, nickname))
    return runs


def _nickname_at(tokens: list[Token], mark: int) -> int:
    """Return the nickname's length in words at an opening mark (Earl "Fats" Brown), or 0."""
    if mark + 1 >= len(tokens) or tokens[mark + 1].start != tokens[mark].end:
        return 0
    for length in (1, 2, 3):
        close = mark + 1 + length
        if close + 1 >= len(tokens) or not tokens[close - 1].is_capitalized:
            return 0
        if tokens[close].text in _QUOTE_MARKS and tokens[close].start == tokens[close - 1].end:
            return length if tokens[close + 1].is_capitalized else 0
    return 0


class EntityFinder:
    """Build people and organisations from a text's tokens (one instance per text)."""

    def __init__(
        self,
        text: str,
        tokens: list[Token],
        sentence_starts: set[int],
        headline_tokens: set[int],
        quoted: list[tuple[int, int]] | None = None,
    ) -> None:
        self.text = text
        self.tokens = tokens
        self.quoted = quoted or []
        self._quoted_starts = [start for start, _ in self.quoted]
        self.sentence_starts = sentence_starts
        self._mid_sentence_words: set[str] | None = None
        self._people_by_word: dict[str, set[int]] = {}
        self._org_named: dict[str, int] = {}  # organisation name -> index
        self._org_prefixes: dict[str, int] = {}  # "Acme" -> "Acme Corp", first named wins
        self._surnames: set[str] = set()  # last words of names of two or more words
        self._alone_at: dict[str, list[int]] | None = None
        self._named_runs: dict[tuple[int, int], tuple] = {}  # (first, last) -> _read_name
        self._clean_names: dict[tuple[str, ...], bool] = {}
        self._role_cache: dict[tuple[str, int], str | None] = {}
        self._name_endings: set[str] = set()
        self.headline_tokens = headline_tokens
        self.people: list[PersonRecord] = []
        self.orgs: list[OrgRecord] = []
        self.by_token: dict[int, tuple[str, int]] = {}
        self.mention_end: dict[int, int] = {}
        self.cues = words.cue_words()
        self.adverbs = words.word_set("adverbs", lower=True)
        self.titles = words.gendered("titles")
        self.title_modifiers = words.word_set("title_modifiers")
        self.titles_lower = frozenset(t.lower() for t in (*self.titles, *self.title_modifiers))
        self.role_nouns = words.word_set("role_nouns", lower=True)
        self.role_breakers = _ROLE_BREAKERS | self.cues
        self.honorifics = words.gendered("honorifics")
        self.outlets = words.phrase_set("outlets")
        self.known_orgs = words.phrase_set("organizations")
        self.blocked = (
            words.word_set("places")
            | words.word_set("nationalities")
            | words.word_set("calendar")
            | words.word_set("stopwords")
        )

    # ----- the passes -------------------------------------------------------------------
    def run(self) -> Entities:
        """Find organisations, then full names, then every mention in text order."""
        runs = find_runs(self.tokens, self.text)
        # Last words of names that start with a given name or an initial ("George W. Harmon"):
        # such a word alone later is that person, even where an "its" follows it.
        self._name_endings = {
            self.tokens[run.last].text
            for run in runs
            if run.last > run.first
            and (self._given(run.first) or self.tokens[run.first].kind == "initials")
        }
        candidates = []
        for run in runs:
            first = self._skip_stopwords(run)
            if first is None:
                continue
            run = Run(first, run.last, run.possessive, run.nickname)
            if self._claim_organizations(run):
                continue
            candidates.append(run)
        # A name first seen before the sentence that shows it is an organisation
        # ("Qantas to halve flights" ... "Qantas will cut its service").
        candidates = [run for run in candidates if not self._claim_known_organization(run)]
        for run in candidates:
            self._maybe_new_person(run, pass_one=True)
        for run in candidates:
            self._resolve(run)
        self._role_noun_mentions()
        for record in (*self.people, *self.orgs):
            record.mentions.sort()
        return Entities(self.people, self.orgs, self.by_token, self.mention_end)

    def _skip_stopwords(self, run: Run) -> int | None:
        """Return the run's first token after leading function words, or None if none left."""
        stop = words.word_set("stopwords")
        first = run.first
        while first <= run.last and self.tokens[first].text in stop:
            first += 1
        return first if first <= run.last else None

    # ----- organisations ----------------------------------------------------------------
    def _claim_organizations(self, run: Run) -> bool:
        """Record outlets and organisations inside a run; True if the whole run is one."""
        names = [t.text for t in self.tokens[run.first : run.last + 1]]
        whole = " ".join(
            self.text[self.tokens[run.first].start : self.tokens[run.last].end].split()
        )
        with_the = self._with_leading_the(run, whole)
        for phrase in (with_the, whole):
            if phrase in self.outlets:
                self._add_org(
                    phrase.removeprefix("The ") if phrase != with_the else phrase,
                    "outlet",
                    run.first,
                    run.last,
                    start_override=phrase == with_the,
                )
                return True
        if len(names) >= 2 and names[-1] in _OUTLET_WORDS and names[0] not in self.titles:
            self._add_org(whole, "outlet", run.first, run.last)
            return True  # "Geo News", "Citizen TV", "Channels Television"
        if whole in self.known_orgs or self._org_shaped(names):
            self._add_org(whole, "organization", run.first, run.last)
            return True
        if self._acts_as_organization(run, names):
            self._add_org(whole, "organization", run.first, run.last)
            return True
        known = self._org_named.get(whole)
        if known is not None:
            self._add_org(whole, self.orgs[known].kind, run.first, run.last)
            return True  # named as an organisation before: "Qantas said"
        if len(names) == 1 and (alias := self._org_alias(whole)) is not None:
            self._add_org(self.orgs[alias].name, self.orgs[alias].kind, run.first, run.last)
            return True  # "Hanbit" after "Hanbit Heavy Industries"
        # An outlet or known organisation at the start of a longer run ("NATO Secretary-General").
        for length in range(len(names) - 1, 0, -1):
            head = " ".join(names[:length])
            if head in self.outlets or head in self.known_orgs:
                kind = "outlet" if head in self.outlets else "organization"
                self._add_org(head, kind, run.first, run.first + length - 1)
                return False
        return False

    def _claim_known_organization(self, run: Run) -> bool:
        """Record a run that repeats a known organisation's name; True if it did."""
        whole = " ".join(
            self.text[self.tokens[run.first].start : self.tokens[run.last].end].split()
        )
        known = self._org_named.get(whole)
        if known is None:
            return False
        self._add_org(whole, self.orgs[known].kind, run.first, run.last)
        return True

    def _acts_as_organization(self, run: Run, names: list[str]) -> bool:
        """Return True for 'Qantas said its ...', 'Latchwise, which ...', 'Keyhaven's customers'.

        Only for names with no sign of a person (no given name, title or honorific first).
        """
        first = names[0]
        if first in words.given_names() or first in self.titles or first in self.honorifics:
            return False
        if any(name in self.blocked or name in self.titles for name in names):
            return False  # "Azerbaijan, which ...", "Wednesday", "Sanitation Minister X"
        if len(names) == 1 and names[0] in self._name_endings:
            return False  # "Harmon will join its board": Harmon is George W. Harmon
        t = self.tokens
        after = run.last + 1
        if after + 1 < len(t) and t[after].text in ("'s", "’s"):
            return t[after + 1].lower in _ORG_POSSESSIONS
        if after + 1 < len(t) and t[after].text == "," and t[after + 1].lower == "which":
            return True
        described = self._apposition_role(run.last)
        if described:
            head = re.split(r"\s(?:of|for|at|in|with|from|on|to|whose|who|that|which)\s", described)
            if head[0].split()[-1].lower() in words.organization_nouns():
                return True  # "Latchwise, the San Francisco startup whose ..."
        for index in range(after, min(after + 8, len(t))):
            token = t[index]
            if token.lower == "its":
                return True
            if (token.kind == "punct" and token.text not in ("'", "’")) or _name_shaped(token):
                return False
        return False

    def _with_leading_the(self, run: Run, whole: str) -> str:
        """Return 'The X' when the run is preceded by a capital 'The' (The Guardian)."""
        if run.first > 0 and self.tokens[run.first - 1].text == "The":
            return f"The {whole}"
        if self.tokens[run.first].text == "The":
            return whole
        return whole

    def _org_shaped(self, names: list[str]) -> bool:
        """Return True for 'Acme Corp', 'Foreign Ministry', 'Ministry of Health'."""
        if len(names) >= 2 and names[-1] in words.org_final_words():
            return True
        heads = words.org_head_words()
        return len(names) >= 3 and names[0] in heads and names[1] in ("of", "for")

    def _add_org(
        self, name: str, kind: str, first: int, last: int, *, start_override: bool = False
    ) -> None:
        """Add a mention of an organisation, creating its record on first sight."""
        index = self._org_named.get(name)
        if index is None:
            index = self._org_alias(name)
        if index is None:
            self.orgs.append(OrgRecord(name, kind))
            index = len(self.orgs) - 1
            self._org_named[name] = index
            parts = name.split()
            for length in range(1, len(parts)):
                self._org_prefixes.setdefault(" ".join(parts[:length]), index)
            if name.startswith("The "):
                self._org_prefixes.setdefault(name.removeprefix("The "), index)
        start_token = first - 1 if start_override and first > 0 else first
        self.orgs[index].mentions.append((self.tokens[start_token].start, self.tokens[last].end))
        self._mark(first, last, ("org", index))

    def _org_alias(self, name: str) -> int | None:
        """Return an organisation this shorter name refers to ("Acme" for "Acme Corp")."""
        return self._org_prefixes.get(name)

    # ----- people -----------------------------------------------------------------------
    def _split_title(self, run: Run) -> tuple[int, str | None, str | None, bool]:
        """Return (first name token, role, gender from title, had a title or honorific).

        Everything up to the last title word is the role as the article states it:
        "Floods Minister Rebecca Thorne", "NATO Secretary-General Anders Fogh Rasmussen".
        """
        last_title = None
        for index in range(run.first, run.last):
            text = self.tokens[index].text
            starts = index == run.first and index in self.sentence_starts
            if text in self.honorifics or text in self.titles:
                last_title = index
            elif (
                starts
                and not self._given(index)
                and (
                    self.tokens[index].lower in self.role_nouns
                    or self.agent_noun(_lowered(self.tokens[index]))
                )
            ):
                last_title = index  # "Co-star Roxanne Pryce", "Fisherman Kelvin Alleyne"
            elif last_title is not None and not self._qualifier(index):
                break
        if last_title is None:
            first = run.first
            while first < run.last and self._modifier(first):
                first += 1  # "Russian Anatoly Serdyukov": a nationality, not a name
            qualified = first
            while qualified < run.last and self.tokens[qualified].text in self.title_modifiers:
                qualified += 1
            if qualified > first and run.last - qualified >= 1:
                role = " ".join(t.text for t in self.tokens[run.first : qualified])
                return qualified, role, None, True  # "Deputy Raimundo Cavalcanti"
            return first, None, None, False
        # "Secretary of State Antony Blinken", "Secretary for Housing Wong Mei-ling".
        end = last_title
        while end + 2 <= run.last and self.tokens[end + 1].text in ("of", "for", "the"):
            follow = end + 2
            while follow < run.last and self.tokens[follow].text in ("of", "for", "the"):
                follow += 1
            if follow >= run.last or not self._qualifier(follow):
                break
            end = follow
            while end + 1 < run.last and self._qualifier(end + 1) and not self._given(end + 1):
                end += 1  # "Minister of National Security Gabriela Ramírez-Holder"
        gender = None
        role_tokens: list[str] = []
        for index in range(run.first, end + 1):
            text = self.tokens[index].text
            if text in self.honorifics and text not in self.titles:
                gender = gender or self.honorifics[text]
                continue  # Mr, Dr, Rev: a form of address, not a role
            if text in self.titles:
                gender = gender or self.titles[text]
            role_tokens.append(text)
        while role_tokens and role_tokens[0] in ("of", "for", "the"):
            role_tokens.pop(0)
        role = " ".join(role_tokens) or None
        return end + 1, role, gender, True

    def _given(self, index: int) -> bool:
        """Return True if the token is a known given name."""
        text = self.tokens[index].text
        return text in words.given_names() or _plain(text) in words.given_names()

    def _qualifier(self, index: int) -> bool:
        """Return True for a word that can stand inside a title: Deputy, Foreign, NATO, of."""
        text = self.tokens[index].text
        return text in ("of", "the", "for") or text in self.title_modifiers or self._modifier(index)

    def _modifier(self, index: int) -> bool:
        """Return True for words that may qualify a title: NATO, Azeri, U.S., Health."""
        token = self.tokens[index]
        text = token.text
        if text in words.given_names():
            return False
        return (
            text in words.word_set("nationalities")
            or text in words.word_set("places")
            or text in self.known_orgs
            or text in self.outlets
            or (text.isupper() and text.isalpha() and len(text) > 1)
        )

    def _name_tokens(self, run: Run) -> tuple[list[str], int, str | None, str | None, bool]:
        """Return (name words, first name token index, role, gender, titled) for a run."""
        key = (run.first, run.last)
        if key not in self._named_runs:
            self._named_runs[key] = self._read_name(run)
        names, *rest = self._named_runs[key]
        return (list(names), *rest)  # type: ignore[return-value]

    def _read_name(self, run: Run) -> tuple[list[str], int, str | None, str | None, bool]:
        """Split a run into its title and name words (see _name_tokens)."""
        first, role, gender, titled = self._split_title(run)
        names = [
            t.text
            for i, t in enumerate(self.tokens[first : run.last + 1], start=first)
            if t.text not in _QUOTE_MARKS and (run.nickname is None or i not in run.nickname)
        ]
        while len(names) > 1 and names[-1] in POST_NOMINALS:
            names.pop()  # "Gareth Lowe MP" is Gareth Lowe
        return names, first, role, gender, titled

    def _clean_name(self, names: list[str]) -> bool:
        """Return True when every word could be part of a person's name."""
        key = tuple(names)
        if key not in self._clean_names:
            self._clean_names[key] = self._judge_name(names)
        return self._clean_names[key]

    def _judge_name(self, names: list[str]) -> bool:
        """Decide _clean_name for one list of words."""
        particles = words.word_set("particles")
        org_words = words.org_final_words()
        if (
            names[-1] in particles
            or names[-1] == "of"
            or (names[0] in particles and len(names) < 2)
        ):
            return False  # "Ní Bhriain" and "De la Cruz" may open with a particle
        if len(names) > 1 and (
            names[-1] in words.place_words("final") or names[0] in words.place_words("first")
        ):
            return False  # "Albert Road", "River Calder"; but "Park" may be Park Ji-woo
        for name in names:
            if name in particles or name in SUFFIXES:
                continue
            blocked = name in self.blocked and name not in words.given_names()
            if blocked and not _has_middle_initial(names):
                return False  # a place or a month; but "Tyrell J. Washington" is a person
            surname_like = name == names[-1] and len(names) >= 2 and names[0] not in self.titles
            if (
                name in org_words
                or (name in self.titles and not surname_like)  # Marlene Cardinal
                or name in self.outlets
                or (name in self.title_modifiers and name not in words.given_names())
            ):
                return False
            if _CONTRACTION.search(name) or _HYPHEN_ADJECTIVE.search(name):
                return False  # "Don't", "We'll", "State-based"
            parts = name.split("-")
            placed = len(parts) > 1 and any(part in self.blocked for part in parts)
            if placed and _plain(parts[0]) not in words.given_names():
                return False  # "Saxony-Anhalt", "U.S.-led"
            acronym = name.isupper() and name.isalpha() and len(name) > 3
            if name == "of" or acronym or _PARTY_TAG.match(name):
                return False
        return True

    def _evidence(self, run: Run, names: list[str], titled: bool) -> bool:
        """Return True when something besides capitals says this is a person."""
        given = names[0] in words.given_names() or _plain(names[0]) in words.given_names()
        if len(names) == 1:
            return self._single_word_evidence(run, names[0], titled)
        if titled or given or self._lower_role_before(run.first):
            return True
        if self._surname_first(names) or _INITIAL.match(names[0]) or _has_middle_initial(names):
            return True  # "R.J. Castellanos", "Tyrell J. Washington"
        return (
            self._near_cue(run)
            or self._apposition_follows(run.last)
            or self._who_follows(run)
            or self._apposition_before(run.first) is not None  # "His neighbour, Nasreen Bibi,"
        )

    def _single_word_evidence(self, run: Run, word: str, titled: bool) -> bool:
        """Return True when one capitalised word is a person: 'Mr Okafor', 'Serdyukov said'."""
        if word.isupper() or _COMMON_NOUN.search(word) or word.lower() in _PEOPLE_NOUNS:
            return False  # "RTÉ", "ECOWAS", "Emiratisation", "Officers": not people
        if titled or self._lower_role_before(run.first):
            return True  # "Mr Okafor", "Kremlin spokesman Peskov"
        if not self._capitalized_mid_sentence(word):
            return False  # "Analysts said": a capital only because the sentence starts there
        if run.first > 0 and self.tokens[run.first - 1].lower in _PREPOSITIONS:
            return False  # "the mayor of Thornbridge has vowed", "in Austin": a place
        return self._near_cue(run) or self._apposition_follows(run.last) or self._who_follows(run)

    def _who_follows(self, run: Run) -> bool:
        """Return True for 'Ray Kowalski, who voted no': a relative 'who' means a person."""
        t = self.tokens
        return (
            run.last + 2 < len(t)
            and t[run.last + 1].text == ","
            and t[run.last + 2].lower in ("who", "whose")
        )

    def _surname_first(self, names: list[str]) -> bool:
        """Return True for Zhang Wei, Chan Ka-wing: family name first, referred to by it."""
        if names[0] in words.word_set("surname_first"):
            return True
        return len(names) == 2 and bool(_EAST_ASIAN_GIVEN.match(names[1]))

    def _capitalized_mid_sentence(self, word: str) -> bool:
        """Return True if the word appears capitalised somewhere other than a sentence start."""
        if self._mid_sentence_words is None:
            self._mid_sentence_words = {
                t.text
                for i, t in enumerate(self.tokens)
                if t.is_capitalized
                and i not in self.sentence_starts
                and i not in self.headline_tokens
                and not (self.tokens[i - 1].text in "\"“‘'" and self.tokens[i - 1].end == t.start)
            }
        return word in self._mid_sentence_words

    def _near_cue(self, run: Run) -> bool:
        """Return True for 'X said', 'X, 54, said', 'said X'."""
        after = run.last + 1
        while after < len(self.tokens) and self.tokens[after].lower in self.adverbs:
            after += 1
        if after < len(self.tokens) and self.tokens[after].lower in self.cues:
            return True
        before = run.first - 1
        return before >= 0 and self.tokens[before].lower in self.cues

    def _maybe_new_person(self, run: Run, *, pass_one: bool) -> int | None:
        """Create a person for a run with a full name and evidence; return its index."""
        names, first, role, gender, titled = self._name_tokens(run)
        if not names or not self._clean_name(names) or first in self.headline_tokens:
            return None
        if pass_one and len(names) < 2:
            return None
        if not self._evidence(run, names, titled) and not (len(names) >= 2 and pass_one):
            return None
        if self._match(names, gender) is not None:
            return None
        weak = len(names) >= 2 and not self._evidence(run, names, titled)
        if weak and not self._surname_reused(names[-1], run.last):
            return None  # capitalised words and nothing else: a person only if named again
        person = PersonRecord(tokens=names, role=role, gender=gender or self._name_gender(names))
        self.people.append(person)
        self._index_person(len(self.people) - 1)
        return len(self.people) - 1

    def _surname_reused(self, surname: str, after: int) -> bool:
        """Return True when the last name word appears alone later in the text."""
        if self._alone_at is None:
            self._alone_at = {}
            t = self.tokens
            for i, token in enumerate(t):
                if not token.is_capitalized:
                    continue
                alone = (i + 1 >= len(t) or not _name_shaped(t[i + 1])) and (
                    i == 0
                    or not _name_shaped(t[i - 1])
                    or t[i - 1].text in self.honorifics
                    or t[i - 1].text in self.titles
                )  # "Barraclough" in "Ms Barraclough said" stands alone
                if alone:
                    self._alone_at.setdefault(token.text, []).append(i)
        places = self._alone_at.get(surname, [])
        return bisect_right(places, after) < len(places)

    def _name_gender(self, names: list[str]) -> str | None:
        """Guess gender from a given name, or from a Slavic surname ending."""
        given = words.given_name_gender()
        if len(names) >= 2 and self._surname_first(names):
            return given.get(names[1])  # Kim Min-jun: the given name is the second word
        if names[0] in given or _plain(names[0]) in given:
            return given.get(names[0]) or given[_plain(names[0])]
        for part in names[1:-1]:
            if part in _GENDERED_PARTICLES:
                return _GENDERED_PARTICLES[part]  # Siobhán Ní Bhriain, Saif bin Khalid
        if len(names) >= 2:
            if _FEMALE_SURNAME.search(names[-1]):
                return "f"
            if _MALE_SURNAME.search(names[-1]):
                return "m"
        return None

    def _index_person(self, index: int) -> None:
        """Remember which people carry each name word, so matching looks only at those."""
        if len(self.people[index].tokens) >= 2:
            self._surnames.add(self.people[index].tokens[-1])
        for part in (*self.people[index].tokens, *" ".join(self.people[index].nicknames).split()):
            self._people_by_word.setdefault(part.lower(), set()).add(index)

    def _match(self, names: list[str], gender: str | None) -> int | None:
        """Return the person these name words refer to, preferring gender and recency."""
        candidates = set().union(*(self._people_by_word.get(n.lower(), ()) for n in names))
        matches = [i for i in sorted(candidates) if self._refers_to(names, self.people[i])]
        if not matches:
            return None
        if gender in ("m", "f"):
            same = [i for i in matches if self.people[i].gender in (gender, None)]
            matches = same or matches
        return max(matches, key=lambda i: self.people[i].last_seen)

    def _refers_to(self, names: list[str], person: PersonRecord) -> bool:
        """Return True if names is the person's name, a tail of it, or its surname-first head."""
        particles = words.word_set("particles")

        def norm(part: str) -> str:
            return part.lower() if part.lower() in particles else part  # "De la Cruz"

        if " ".join(names) in person.nicknames:
            return True
        own = [n for n in person.tokens if n in SUFFIXES]
        said = [n for n in names if n in SUFFIXES]
        if own and said and own != said:
            return False  # Robert Kane Sr. is not Robert Kane Jr.
        full = [norm(n) for n in person.tokens if n not in SUFFIXES]
        names = [norm(n) for n in names if n not in SUFFIXES]
        if not names:
            return False
        if names == full or (len(names) < len(full) and full[-len(names) :] == names):
            return True
        if len(names) == 1 and len(full) >= 2 and names[0] == full[0]:
            surname_first = self._surname_first(full)
            # "Colin", "Sheikh Saif": a first name that only one person in the story has,
            # and that is nobody's surname.
            unique_given = sum(1 for p in self.people if p.tokens[0] == full[0]) == 1 and (
                _plain(full[0]) in words.given_names()
                or not any(p.tokens[-1] == names[0] for p in self.people)
            )
            return surname_first or unique_given
        return False

    def _resolve(self, run: Run) -> None:
        """Attach a run to a person (creating one if it has evidence) and record the mention."""
        names, first, role, gender, _ = self._name_tokens(run)
        if not names:
            return
        if not self._clean_name(names) and not self._known_surname(names):
            return
        index = self._match(names, gender)
        if index is None:
            index = self._maybe_new_person(run, pass_one=False)
        if index is None:
            return
        person = self.people[index]
        if len(names) > len(person.tokens) and names[-len(person.tokens) :] == person.tokens:
            person.tokens = names
            self._index_person(index)
        person.gender = person.gender or gender
        if run.nickname is not None:
            nickname = " ".join(self.tokens[i].text for i in run.nickname)
            if nickname not in person.nicknames:
                person.nicknames.append(nickname)
                person.aliases.append(nickname)
                self._index_person(index)
        described = [
            role,
            self._lower_role_before(run.first),
            self._apposition_role(run.last),
            self._apposition_before(run.first),
        ]
        person.role = person.role or next((d for d in described if d), None)
        for phrase in described:
            person.gender = person.gender or _role_gender(phrase)  # "her father, Dai Maddox"
        alias = " ".join(names)
        if alias != person.name and alias not in person.aliases:
            person.aliases.append(alias)
        person.mentions.append((self.tokens[first].start, self.tokens[run.last].end))
        person.last_seen = first
        self._mark(first, run.last, ("person", index))

    def _known_surname(self, names: list[str]) -> bool:
        """Return True for a place-like word that is a named person's surname here.

        "Tyrell J. Washington" makes a later "Washington told detectives" a mention of him.
        """
        return len(names) == 1 and names[0] in self._surnames

    def _mark(self, first: int, last: int, entity: tuple[str, int]) -> None:
        """Remember which entity the tokens first..last name."""
        for index in range(first, last + 1):
            self.by_token[index] = entity
        self.mention_end[first] = last

    # ----- roles ------------------------------------------------------------------------
    def _once(self, what: str, index: int, compute: Callable[[int], str | None]) -> str | None:
        """Return compute(index), computed once per text and kind of look-up."""
        key = (what, index)
        if key not in self._role_cache:
            self._role_cache[key] = compute(index)
        return self._role_cache[key]

    def _lower_role_before(self, first: int) -> str | None:
        """Return a lower-case title just before a name: 'Kremlin spokesman Arkady Belyaev'."""
        return self._once("_lower_role_before", first, self._lower_role_before_uncached)

    def _lower_role_before_uncached(self, first: int) -> str | None:
        """Compute _lower_role_before for one token."""
        role_nouns = self.role_nouns
        titles_lower = self.titles_lower
        breakers = self.role_breakers
        index = first - 1
        taken: list[Token] = []
        while index >= 0 and self._same_line(index, index + 1) and len(taken) < 4:
            token = self.tokens[index]
            if (
                token.lower in titles_lower
                or token.lower in role_nouns
                or (not taken and self.agent_noun(token))
            ):
                taken.insert(0, token)
            elif token.kind == "word" and token.text.islower() and token.lower not in breakers:
                if not taken or index == 0 or self.tokens[index - 1].lower in breakers:
                    break  # "said local developer": take "local" only when a role follows it
                taken.insert(0, token)
            else:
                break
            index -= 1
        last = taken[-1] if taken else None
        if last is None or not (
            last.lower in role_nouns or last.lower in titles_lower or self.agent_noun(last)
        ):
            return None
        if not any(
            t.lower in role_nouns or t.text in self.titles or self.agent_noun(t) for t in taken
        ):
            return None
        stop = words.word_set("stopwords")
        while (
            index >= 0
            and self._same_line(index, index + 1)
            and len(taken) < 8
            and (
                self._modifier(index)
                or (self.tokens[index].is_capitalized and self.tokens[index].text not in stop)
            )
        ):
            taken.insert(0, self.tokens[index])  # "Kremlin spokesman", "Harbor City coach"
            index -= 1
        return self.text[taken[0].start : taken[-1].end]

    def agent_noun(self, token: Token) -> bool:
        """Return True for a lower-case noun naming someone by what they do: fiddler, farmer."""
        return (
            token.kind == "word"
            and token.text.islower()
            and len(token.text) >= 5
            and bool(_AGENT_NOUN.search(token.text))
            and token.lower not in self.role_breakers
            and token.lower not in _NOT_AGENTS
        )

    def _same_line(self, left: int, right: int) -> bool:
        """Return True when no line break stands between two tokens."""
        return "\n" not in self.text[self.tokens[left].end : self.tokens[right].start]

    def _apposition_before(self, first: int) -> str | None:
        """Return the role in 'The shadow chancellor, Owen Llewellyn-Price, said'."""
        return self._once("_apposition_before", first, self._apposition_before_uncached)

    def _apposition_before_uncached(self, first: int) -> str | None:
        """Compute _apposition_before for one token."""
        t = self.tokens
        comma = first - 1
        if comma < 1 or t[comma].text != ",":
            return None
        after = self.mention_after(first)
        if after is None or after + 1 >= len(t) or t[after + 1].text not in (",", ".", ":"):
            return None
        head = t[comma - 1]
        if head.kind != "word" or not (head.text.islower() or head.text in self.titles):
            return None  # the phrase must end in a noun: "The chancellor, Nadia Qureshi"
        for index in range(comma - 1, max(comma - 9, -1), -1):
            token = t[index]
            possessor = index + 1 < comma and t[index + 1].text in ("'s", "’s")
            if token.kind == "punct" and token.text not in ("'s", "’s"):
                return None
            if token.lower not in _ROLE_LEADS and not possessor:
                continue
            start = index
            while (
                possessor
                and start > 0
                and (_name_shaped(t[start - 1]) or t[start - 1].text in self.honorifics)
            ):
                start -= 1  # "Prairie Link's chairman", "Mrs Whitcombe's husband"
            if possessor and start > 0 and t[start - 1].lower == "the":
                start -= 1  # "The documentary's director"
            if self.in_quotation(t[start].start):
                return None
            return self.text[t[start].start : head.end]
        return None

    def in_quotation(self, offset: int) -> bool:
        """Return True if the offset lies inside a quotation."""
        position = bisect_right(self._quoted_starts, offset) - 1
        return position >= 0 and offset < self.quoted[position][1]

    def mention_after(self, first: int) -> int | None:
        """Return the last token of the name run that starts at token first, if it is one."""
        last = first
        while (
            last + 1 < len(self.tokens)
            and (
                _name_shaped(self.tokens[last + 1])
                or self.tokens[last + 1].text in words.word_set("particles")
            )
            and self._same_line(last, last + 1)
        ):
            last += 1
        return last if _name_shaped(self.tokens[first]) else None

    def _apposition_follows(self, last: int) -> bool:
        """Return True when ', 54,' or ', a spokeswoman for X,' follows the name."""
        return self._apposition_role(last) is not None or self._age_follows(last)

    def _age_follows(self, last: int) -> bool:
        """Return True for 'Name, 54,'."""
        t = self.tokens
        return (
            last + 3 < len(t)
            and t[last + 1].text == ","
            and t[last + 2].kind == "number"
            and t[last + 3].text in (",", ".")
        )

    def _apposition_role(self, last: int) -> str | None:
        """Return the role in 'Name, the company's chief executive,' or 'Name, 54, a teacher.'."""
        return self._once("_apposition_role", last, self._apposition_role_uncached)

    def _apposition_role_uncached(self, last: int) -> str | None:
        """Compute _apposition_role for one token."""
        t = self.tokens
        index = last + 1
        if index >= len(t) or t[index].text != ",":
            return None
        index += 1
        if self._age_follows(last):
            index += 2
        if index >= len(t):
            return None
        lead = t[index]
        determiners = {"a", "an", "the", "his", "her", "its", "their", "our"}
        possessor = index + 1 < len(t) and t[index + 1].text in ("'s", "’s") and lead.is_capitalized
        titles_lower = self.titles_lower | self.role_nouns
        if lead.lower not in determiners and not possessor and lead.lower not in titles_lower:
            return None
        end = index
        while (
            end < len(t)
            and t[end].text not in (",", ".", ";", ":", "—", "(", ")")
            and (t[end].kind != "punct" or t[end].text in ("'s", "’s", "-", "'", "’"))
        ):
            if t[end].lower in ("who", "whose", "which", "that", "whom"):
                break  # "a baker who has run the shop": the role is "a baker"
            if t[end].lower in self.cues or t[end].lower in _FINITE_VERBS:
                return None  # "Ferrie, her parting words were": a clause, not a role
            end += 1
            if end - index > 16:
                return None
        if end == index or end >= len(t):
            return None
        phrase = self.text[t[index].start : t[end - 1].end]
        return phrase if len(phrase.split()) >= 2 or lead.lower in titles_lower else None

    # ----- role-noun mentions -----------------------------------------------------------
    def _role_noun_mentions(self) -> None:
        """Record 'NATO's leader' and 'the minister' as mentions of the person they mean."""
        for first, last, index in self.role_noun_phrases():
            start, end = self.tokens[first].start, self.tokens[last].end
            person = self.people[index]
            person.mentions.append((start, end))
            alias = self.text[start:end]
            if alias[0].isupper() and alias not in person.aliases:
                person.aliases.append(alias)  # "NATO's leader", not "the minister"
            self._mark(first, last, ("person", index))

    def role_noun_phrases(self) -> list[tuple[int, int, int]]:
        """Return (first token, last token, person index) for every resolvable role phrase."""
        found = []
        for index in range(len(self.tokens) - 1):
            owner = self.tokens[index + 1].text in ("'s", "’s")
            if self.tokens[index].lower != "the" and not owner:
                continue
            if self.by_token.get(index, ("org",))[0] != "org" or (
                index in self.by_token and not owner
            ):
                continue
            phrase = self.role_phrase_at(index)
            if phrase:
                found.append(phrase)
        return found

    def role_phrase_at(self, index: int) -> tuple[int, int, int] | None:
        """Return the role phrase starting at token index and the person it names, if any."""
        t = self.tokens
        role_nouns = words.word_set("role_nouns", lower=True)
        leaders = words.word_set("leader_nouns", lower=True)
        token = t[index]
        if token.lower == "the":
            end = index + 1
            while (
                end < len(t)
                and t[end].kind == "word"
                and t[end].lower not in role_nouns
                and end - index <= 3
            ):
                end += 1
            if end < len(t) and t[end].lower in role_nouns:
                if end + 1 < len(t) and t[end + 1].lower in role_nouns:
                    end += 1
                if end + 1 < len(t) and _name_shaped(t[end + 1]):
                    return None  # "the minister Anatoly Serdyukov": the name says it
                noun = t[end].lower
                modifiers = [x.lower for x in t[index + 1 : end]]
                person = self.person_with_role(noun, modifiers, t[index].start)
                return (index, end, person) if person is not None else None
            return None
        if index + 2 < len(t) and token.is_capitalized and t[index + 1].text in ("'s", "’s"):
            end = index + 2
            while end < min(index + 5, len(t) - 1) and t[end].lower not in role_nouns | leaders:
                if t[end].kind != "word" or not t[end].text.islower():
                    return None
                end += 1
            noun = t[end].lower
            if noun in leaders or noun in role_nouns:
                modifiers = [token.lower, *(x.lower for x in t[index + 2 : end])]
                person = self.person_with_role(noun, modifiers, token.start, owner=True)
                return (index, end, person) if person is not None else None
        return None

    def person_with_role(
        self, noun: str, modifiers: list[str], at: int, *, owner: bool = False
    ) -> int | None:
        """Return the person whose role holds the noun, best fitting the modifiers.

        "the defense minister" prefers a Defense Minister; "NATO's leader" a person whose role
        names NATO. Someone named before the phrase beats someone named after it (cataphora).
        """
        leaders = words.word_set("leader_nouns", lower=True)
        scored = []
        for i, person in enumerate(self.people):
            role = _expanded(person.role).lower().replace("-", " ")
            role_words = set(role.split()) | {role}
            fits_noun = noun in role_words or noun.replace("-", " ") in role
            if owner and noun in leaders and modifiers[0] in role_words:
                fits_noun = True  # "NATO's leader" for the NATO Secretary-General
            if not fits_noun:
                continue
            fit = sum(1 for m in modifiers if m in role_words)
            if owner and fit == 0 and noun in leaders:
                continue
            first_at = person.mentions[0][0] if person.mentions else 10**12
            before = first_at < at
            scored.append((before, fit, person.last_seen if before else -first_at, i))
        if not scored:
            return None
        return max(scored)[3]


@cache
def _expanded(role: str | None) -> str:
    """Return a role with abbreviated titles spelt out: "Sen." -> "senator"."""
    expansions = words.title_expansions()
    return " ".join(expansions.get(w, w) for w in (role or "").split())


def find_entities(
    text: str,
    tokens: list[Token],
    sentence_starts: set[int],
    headline_tokens: set[int],
    quoted: list[tuple[int, int]] | None = None,
) -> tuple[Entities, EntityFinder]:
    """Return the people and organisations of a text, and the finder (for role phrases).

    quoted: the [start, end) of every quotation, sorted; roles are never read inside one.
    """
    finder = EntityFinder(text, tokens, sentence_starts, headline_tokens, quoted)
    return finder.run(), finder
