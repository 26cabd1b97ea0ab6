"""The genders stage alone: learn_genders on small invented texts, earlier stages run for real."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from webapp.analysis import Stages, run_stages
from webapp.analysis.lexicon import load_lexicon

# Invented given names that no lexicon list gives a gender.
UNLISTED = ("Sable", "Tarvo")


def stages(text: str, headline: bool = False) -> Stages:
    """Run the pipeline's stages on a text and return every result."""
    return run_stages(text, headline=headline)


def learned(text: str) -> dict[str, str]:
    """Return the learned genders by person name."""
    s = stages(text)
    return {s.entities.people[i].name: g for i, g in s.genders.items()}


def test_invented_names_are_not_listed_given_names() -> None:
    """The names these tests rely on have no gender in the lexicon."""
    lexicon = load_lexicon()
    for name in UNLISTED:
        assert not lexicon.given(name)
        assert name not in lexicon.given_gender


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sable Ellery said she had left the firm.", {"Sable Ellery": "f"}),
        ("Sable Ellery said that he had left the firm.", {"Sable Ellery": "m"}),
    ],
)
def test_self_reference_after_a_cue(text: str, expected: dict[str, str]) -> None:
    """'X said (that) she ...' in a sentence naming only X gives X that gender."""
    assert learned(text) == expected


def test_sentence_naming_two_people_learns_nothing() -> None:
    """'X told Y she ...': the pronoun may be either person's, so nothing is learned."""
    s = stages("Sable Ellery told Tarvo Quill she had left the firm.")
    assert [p.name for p in s.entities.people] == ["Sable Ellery", "Tarvo Quill"]
    assert dict(s.genders) == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('Tarvo Quill, the club treasurer, arrived late. "We are ready," he said.', "m"),
        ('Tarvo Quill, the club treasurer, arrived late. "We are ready," she said.', "f"),
        ("Tarvo Quill, the club treasurer, arrived late. Later she told the board.", "f"),
        ('Tarvo Quill, the club treasurer, arrived late. "We are ready," said he.', "m"),
    ],
)
def test_speaking_pronoun_teaches_the_gender(text: str, expected: str) -> None:
    """A speaking he/she ('he said', 'she told', 'said he') gives its gender to its person."""
    assert learned(text) == {"Tarvo Quill": expected}


def test_pronoun_that_does_not_speak_teaches_nothing() -> None:
    """'he arrived' is no speech: the person's gender stays unknown."""
    assert learned("Tarvo Quill, the club treasurer, left. Later he arrived home.") == {}


def test_known_gender_is_not_learned_again() -> None:
    """A person with a gender from their given name is not in the result."""
    s = stages('Tom Reed arrived late. "We are ready," he said.')
    assert s.entities.people[0].gender == "m"
    assert dict(s.genders) == {}


def test_pronoun_skips_a_person_of_the_other_gender() -> None:
    """'he said' after Jane Roe and an unknown Tarvo Quill teaches Tarvo Quill, not Jane Roe."""
    text = 'Tarvo Quill, the club treasurer, met Jane Roe. "We are ready," he said.'
    assert learned(text) == {"Tarvo Quill": "m"}


def test_result_is_read_only_and_people_are_unchanged() -> None:
    """The result is a MappingProxyType; the people records keep gender None."""
    s = stages("Sable Ellery said she had left the firm.")
    assert isinstance(s.genders, MappingProxyType)
    with pytest.raises(TypeError):
        s.genders[0] = "m"  # type: ignore[index]
    assert dict(s.genders) == {0: "f"}
    assert s.entities.people[0].gender is None
