"""The cues stage alone: find_cues and speaker_noun on small invented texts."""

from __future__ import annotations

import pytest

from webapp.analysis import Stages, run_stages
from webapp.analysis.cues import Cue, speaker_noun
from webapp.analysis.document import build_document


def stages(text: str, headline: bool = False) -> Stages:
    """Run the pipeline's stages on a text and return every result."""
    return run_stages(text, headline=headline)


def cue_texts(text: str) -> list[str]:
    """Return the words of every cue of a text, in text order."""
    cues = stages(text).cues
    return [cues.text(cues.at[i]) for i in sorted(cues.at)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"We are ready," Jane Roe said.', ["said"]),
        ("Jane Roe told the crowd that the vote had failed.", ["told"]),
        ("Jane Roe spoke first, and Tom Reed added that he agreed.", ["added", "agreed"]),
        ("Jane Roe walked home after the vote.", []),
    ],
)
def test_one_word_cues(text: str, expected: list[str]) -> None:
    """Verbs of saying are one-token cues whose speaker does not follow them."""
    assert cue_texts(text) == expected
    for cue in stages(text).cues.at.values():
        assert cue.first == cue.last
        assert cue.speaker_after is False


def test_according_to_is_one_cue_with_the_speaker_after() -> None:
    """'according to' is one Cue spanning both words, its speaker after it."""
    text = '"We are ready," according to Jane Roe.'
    s = stages(text)
    according = s.doc.words.index("according")
    assert s.cues.at == {according: Cue(according, according + 1, True)}
    assert s.cues.text(s.cues.at[according]) == "according to"
    assert s.cues.is_cue(according)
    assert not s.cues.is_cue(according + 1)


def test_phrase_cue_keeps_its_spelling_and_does_not_hide_the_verb() -> None:
    """'in a statement' is one verb-like cue next to 'said', as written in the text."""
    text = "Jane Roe said In A Statement that she would go."
    s = stages(text)
    said, phrase = s.doc.words.index("said"), s.doc.words.index("In")
    assert s.cues.at == {said: Cue(said, said, False), phrase: Cue(phrase, phrase + 2, False)}
    assert s.cues.text(s.cues.at[phrase]) == "In A Statement"


def test_no_cue_inside_a_quotation() -> None:
    """Cue words inside quotation marks are not cues; the one outside is."""
    text = '"He said he told them and added more," Jane Roe said.'
    s = stages(text)
    assert cue_texts(text) == ["said"]
    (index,) = s.cues.at
    assert s.doc.starts[index] == text.rindex("said")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('As the memo put it, "Sentiment is no plan."', ["put it"]),
        ('Jane Roe pointed out that it was "far too late."', ["pointed out"]),
        ('"Not now," Jane Roe shot back.', ["shot back"]),
        ('The sign read: "Closed for repairs."', ["read"]),  # a noun-like cue next to a mark
        ("It was a quick read of the file.", []),  # a noun: no speech
    ],
)
def test_phrase_and_context_cues(text: str, expected: list[str]) -> None:
    """Multi-word cues of cues.txt [phrases], and 'read' only where it introduces words."""
    assert cue_texts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The annual reports were late on Monday.", []),
        ("Jane Roe reports that the vote failed.", ["reports"]),  # after a person
        ("She reports that the vote failed.", ["reports"]),  # after a pronoun
        ("The minister reports that the vote failed.", ["reports"]),  # after a speaker noun
        ('"It failed," reports the paper.', ["reports"]),  # after a quotation mark
        ("The minister's remarks were brief.", []),
    ],
)
def test_ambiguous_cues_only_in_a_verb_context(text: str, expected: list[str]) -> None:
    """A cue that is also a noun ('reports', 'remarks') is a cue only where it is a verb."""
    assert cue_texts(text) == expected


def test_member_states_is_not_a_cue() -> None:
    """'the member states agreed': 'states' is a noun; only 'agreed' is a cue."""
    assert cue_texts("The member states agreed on Monday.") == ["agreed"]


def test_reports_after_a_quotation_is_a_cue() -> None:
    """'"No," the ministry reports.': a noun-like cue after a speaker noun is a verb."""
    assert cue_texts('"No," the ministry reports.') == ["reports"]


@pytest.mark.parametrize(
    "text",
    [
        "She has been called a hero by many.",
        "The plan was described as a failure.",
        "He is named in the report.",
    ],
)
def test_passive_naming_is_not_a_cue(text: str) -> None:
    """'has been called', 'was described': naming in the passive, not speech."""
    assert cue_texts(text) == []


def test_active_naming_verb_is_a_cue() -> None:
    """'Jane Roe called the plan a failure' keeps 'called' as a cue."""
    assert cue_texts("Jane Roe called the plan a failure.") == ["called"]


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("The spokesman left.", "spokesman", True),  # a source noun
        ("The minister left.", "minister", True),  # a role noun
        ("The ministry left.", "ministry", True),  # an organisation noun
        ("The 34-year-old left.", "34-year-old", True),  # an age
        ("The batter left.", "batter", True),  # an agent noun
        ("The nominee left.", "nominee", True),  # a learned source head
        ("The rain left.", "rain", False),
        ("The table left.", "table", False),
    ],
)
def test_speaker_noun(text: str, word: str, expected: bool) -> None:
    """speaker_noun: nouns that can name who speaks."""
    doc = build_document(text)
    assert speaker_noun(doc, doc.words.index(word)) is expected
