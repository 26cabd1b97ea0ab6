"""Role phrases alone: expanded_role, RoleIndex, person_with_role, role_phrase_at, role_phrases."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from webapp.analysis import run_stages
from webapp.analysis.lexicon import load_lexicon
from webapp.analysis.role_mentions import (
    RoleIndex,
    expanded_role,
    person_with_role,
    role_phrase_at,
    role_phrases,
)


def stages(text: str, headline: bool = False) -> SimpleNamespace:
    """Run the pipeline and keep what role phrases read: the people and their index."""
    run = run_stages(text, headline=headline)
    people = run.entities.people
    return SimpleNamespace(
        doc=run.doc,
        entities=run.entities,
        people=people,
        index=RoleIndex.build(run.doc, people),
        by_name={p.name: i for i, p in enumerate(people)},
    )


def token(s: SimpleNamespace, word: str, nth: int = 0) -> int:
    """Return the index of the nth token with this text."""
    return [i for i, w in enumerate(s.doc.words) if w == word][nth]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("Sen.", "senator"),
        ("Gov.", "governor"),
        ("PM", "prime minister"),
        ("NATO Secretary-General", "nato secretary general"),
        ("Defense Minister", "defense minister"),
        (None, ""),
    ],
)
def test_expanded_role(role: str | None, expected: str) -> None:
    """Abbreviations are spelt out, case lowered and hyphens made spaces."""
    assert expanded_role(load_lexicon(), role) == expected


def test_role_index_build_and_candidates() -> None:
    """RoleIndex maps role words to people; candidates returns them sorted, once each."""
    s = stages("Defense Minister Jane Roe met Sen. Dale Prewitt and Foreign Minister Karl Ostby.")
    jane, dale, karl = (s.by_name[n] for n in ("Jane Roe", "Dale Prewitt", "Karl Ostby"))
    assert s.index.roles[jane] == "defense minister"
    assert s.index.roles[dale] == "senator"
    assert s.index.candidates("minister") == sorted([jane, karl])
    assert s.index.candidates("senator") == [dale]
    assert s.index.candidates("defense", "senator") == sorted([jane, dale])
    assert s.index.by_word["defense minister"] == (jane,)  # the whole role is a key too
    assert s.index.candidates("defense minister") == sorted([jane, karl])  # and each word
    assert s.index.candidates("mayor") == []


def test_candidates_split_hyphenated_words() -> None:
    """'secretary-general' finds the person whose role reads 'secretary general'."""
    s = stages("NATO Secretary-General Anders Fogh Rasmussen spoke on Monday.")
    assert s.index.candidates("secretary-general") == [s.by_name["Anders Fogh Rasmussen"]]


def test_person_with_role_prefers_the_fitting_modifier() -> None:
    """'the defense minister' is the Defense Minister, though the Foreign Minister came later."""
    s = stages("Defense Minister Jane Roe and Foreign Minister Karl Ostby met. Then it rained.")
    at = s.doc.starts[token(s, "Then")]
    lex = s.doc.lexicon
    assert (
        person_with_role(s.people, s.index, lex, "minister", ["defense"], at)
        == s.by_name["Jane Roe"]
    )
    assert (
        person_with_role(s.people, s.index, lex, "minister", ["foreign"], at)
        == s.by_name["Karl Ostby"]
    )
    # No modifier: the latest named before the phrase.
    assert person_with_role(s.people, s.index, lex, "minister", [], at) == s.by_name["Karl Ostby"]
    assert person_with_role(s.people, s.index, lex, "mayor", [], at) is None


def test_person_with_role_prefers_someone_named_before() -> None:
    """Someone named before the phrase beats someone named after it."""
    text = "Foreign Minister Karl Ostby arrived. Then it rained. Defense Minister Jane Roe left."
    s = stages(text)
    at = s.doc.starts[token(s, "Then")]
    found = person_with_role(s.people, s.index, s.doc.lexicon, "minister", [], at)
    assert found == s.by_name["Karl Ostby"]


def test_person_with_role_cataphora_picks_the_soonest_after() -> None:
    """With nobody named before, the first person named after the phrase wins."""
    text = "Then it rained. Foreign Minister Karl Ostby arrived. Defense Minister Jane Roe left."
    s = stages(text)
    found = person_with_role(s.people, s.index, s.doc.lexicon, "minister", [], 0)
    assert found == s.by_name["Karl Ostby"]


def test_person_with_role_leader_nouns_need_an_owner() -> None:
    """Owner plus leader noun ("NATO's leader") finds the NATO Secretary-General."""
    s = stages("NATO Secretary-General Anders Fogh Rasmussen met Defense Minister Jane Roe.")
    lex, end = s.doc.lexicon, len(s.doc.text)
    owned = person_with_role(s.people, s.index, lex, "leader", ["nato"], end, owner=True)
    assert owned == s.by_name["Anders Fogh Rasmussen"]
    assert person_with_role(s.people, s.index, lex, "leader", ["nato"], end) is None
    # A leader noun whose owner is in nobody's role names nobody.
    assert person_with_role(s.people, s.index, lex, "leader", ["acme"], end, owner=True) is None


@pytest.mark.parametrize(
    ("text", "phrase", "name"),
    [
        (
            "Defense Minister Jane Roe and Foreign Minister Karl Ostby met. "
            "Later the defense minister left.",
            "the defense minister",
            "Jane Roe",
        ),
        (
            "Defense Minister Jane Roe and Foreign Minister Karl Ostby met. "
            "Later the foreign minister left.",
            "the foreign minister",
            "Karl Ostby",
        ),
        ("Sen. Dale Prewitt spoke. Later the senator left.", "the senator", "Dale Prewitt"),
        (
            "NATO Secretary-General Anders Fogh Rasmussen met Defense Minister Jane Roe. "
            "Later NATO's leader left.",
            "NATO's leader",
            "Anders Fogh Rasmussen",
        ),
        (
            "NATO Secretary-General Anders Fogh Rasmussen met Defense Minister Jane Roe. "
            "Later NATO's new civilian leader left.",
            "NATO's new civilian leader",
            "Anders Fogh Rasmussen",
        ),
    ],
)
def test_role_phrase_at(text: str, phrase: str, name: str) -> None:
    """role_phrase_at returns the phrase's tokens and the person it names."""
    s = stages(text)
    at = s.doc.token_at(text.index(phrase))
    found = role_phrase_at(s.doc, s.people, s.index, at)
    assert found is not None
    first, last, person = found
    assert text[s.doc.starts[first] : s.doc.ends[last]] == phrase
    assert s.people[person].name == name


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        # A name right after the role noun says who it is.
        ("Defense Minister Jane Roe spoke. The minister Karl Ostby left.", "The minister"),
        # Nobody has the role.
        ("Defense Minister Jane Roe spoke. Later the mayor left.", "the mayor"),
        # Too many words between "the" and the noun.
        ("Defense Minister Jane Roe spoke. Later the very old grey tired minister left.", "the"),
        # A possessor followed by a capitalised word is no role phrase.
        ("Defense Minister Jane Roe spoke. Later NATO's Big leader left.", "NATO"),
    ],
)
def test_role_phrase_at_none(text: str, phrase: str) -> None:
    """No role phrase where a name follows, nobody has the role, or the phrase is too long."""
    s = stages(text)
    at = s.doc.token_at(text.rindex(phrase))
    assert role_phrase_at(s.doc, s.people, s.index, at) is None


def test_role_phrases_finds_every_phrase_outside_names() -> None:
    """role_phrases lists each role phrase with its person, in text order."""
    text = (
        "Defense Minister Jane Roe and Foreign Minister Karl Ostby met. "
        "The foreign minister spoke, and the defense minister left."
    )
    s = stages(text)
    found = [
        (text[s.doc.starts[a] : s.doc.ends[b]], s.people[p].name)
        for a, b, p in role_phrases(s.doc, s.people, s.index, {})
    ]
    assert found == [
        ("The foreign minister", "Karl Ostby"),
        ("the defense minister", "Jane Roe"),
    ]


def test_role_phrases_skip_tokens_of_a_person() -> None:
    """A 'the' that is already part of a person's mention starts no role phrase."""
    text = "Defense Minister Jane Roe spoke. Later the minister left."
    s = stages(text)
    the = token(s, "the")
    assert [p[:2] for p in role_phrases(s.doc, s.people, s.index, {})] == [(the, the + 1)]
    assert role_phrases(s.doc, s.people, s.index, {the: ("person", 0)}) == []
