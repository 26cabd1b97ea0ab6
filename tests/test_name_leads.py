"""The words between a cue and a name that the speaker rules step over."""

from __future__ import annotations

import pytest

from webapp.analysis import run_stages
from webapp.analysis.name_leads import before_home, before_parenthesis, past_role, past_title
from webapp.analysis.scene import Scene


def at(text: str, word: str) -> tuple[Scene, int]:
    """Run the pipeline and return (scene, index of the first token `word`)."""
    stages = run_stages(text, headline=False)
    return stages.scene, stages.doc.words.index(word)


@pytest.mark.parametrize(
    ("text", "start", "name"),
    [
        ("Then said former campaign adviser Dominic Ferrante.", "former", "Dominic"),
        ("Then said Republican strategist Ryan Williams.", "Republican", "Ryan"),
        ("Then said former Gov. Bill Richardson.", "former", "Bill"),
        ("Then said the neighbours of Ryan Williams.", "the", "the"),  # not a role: stays
    ],
)
def test_past_role_reaches_the_name(text: str, start: str, name: str) -> None:
    """A role or title after the cue leads to the name; other words do not."""
    scene, index = at(text, start)
    window = range(len(scene.doc.words))
    reached = past_role(scene, past_title(scene, index, window), window)
    assert scene.doc.words[reached] == name


def test_before_parenthesis_steps_over_a_party_tag() -> None:
    """'Rep. John Roe (R-Fla.) said': from ')' back to 'Roe'."""
    scene, close = at("Rep. John Roe (R-Fla.) said no.", ")")
    window = range(len(scene.doc.words))
    assert scene.doc.words[before_parenthesis(scene, close, window)] == "Roe"


def test_before_home_finds_the_person_before_of_place() -> None:
    """'Senator Wade Brown of Idaho': the segment stands for Wade Brown."""
    scene, end = at("Senator Wade Brown of Idaho, a pilot, said no.", "Idaho")
    assert scene.doc.words[before_home(scene, 0, end)] == "Brown"
