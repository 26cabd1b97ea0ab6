"""The coreference stage alone: pronouns, story and sentence subjects, unnamed sources."""

from __future__ import annotations

import pytest

from webapp.analysis import Stages, run_stages
from webapp.analysis.coreference import find_unnamed_sources


def stages(text: str, headline: bool = False) -> Stages:
    """Run the pipeline's stages on a text and return every result."""
    return run_stages(text, headline=headline)


def name_of(s: Stages, entity: tuple[str, int] | None) -> str | None:
    """Return the name of a person entity, or None."""
    return None if entity is None else s.entities.people[entity[1]].name


def pronoun(text: str, word: str) -> str | None:
    """Resolve the last token `word` of the text with Coreference.pronoun."""
    s = stages(text)
    index = max(i for i, w in enumerate(s.doc.words) if w == word)
    return name_of(s, s.scene.coref.pronoun(index))


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("Tom Reed met the press. He said no.", "He", "Tom Reed"),
        # The last man named, skipping a woman named later.
        ("Tom Reed arrived. Ann Cole left. He said no.", "He", "Tom Reed"),
        ("Tom Reed arrived. Ann Cole left. She said no.", "She", "Ann Cole"),
        ("Tom Reed arrived. Dan Cole left. He said no.", "He", "Dan Cole"),
        # The subject beats someone named in a relative clause.
        ("Tom Reed, who had met Dan Cole, said he would resign.", "he", "Tom Reed"),
        # A possessor is not the subject.
        ("Tom Reed's lawyer Dan Cole said he would resign.", "he", "Dan Cole"),
        ("Tom Reed's rival, Dan Cole, said he would go.", "he", "Dan Cole"),
    ],
)
def test_pronoun_resolves_to_the_right_person(text: str, word: str, expected: str) -> None:
    """he/she resolves to the subject of the latest sentence naming a fitting person."""
    assert pronoun(text, word) == expected


def test_they_never_resolves() -> None:
    """Plural 'they' is never one person, for pronoun() or resolve()."""
    s = stages("Tom Reed and Dan Cole met. They said no.")
    they = s.doc.words.index("They")
    assert s.scene.coref.pronoun(they) is None
    assert s.scene.coref.resolve("they", s.doc.starts[they]) is None
    assert s.scene.coref.resolve("m", s.doc.starts[they]) == 0


def test_pronoun_before_any_person_is_none() -> None:
    """A he before anyone is named refers to nobody."""
    s = stages("He said no. Tom Reed left.")
    assert s.scene.coref.pronoun(0) is None


def test_recent_unnamed_source_blocks_the_pronoun() -> None:
    """'A spokesman said he ...': the he is the spokesman, not the man named before."""
    s = stages("Tom Reed met the press. A spokesman said he would not go.")
    he = s.doc.words.index("he")
    assert s.scene.coref.pronoun(he) is None
    assert s.scene.coref.resolve("m", s.doc.starts[he]) == 0  # resolve alone ignores sources


def test_person_named_after_the_unnamed_source_wins_again() -> None:
    """A man named after 'a spokesman' is again what 'he' means."""
    s = stages("A spokesman spoke first. Then Tom Reed said he would go.")
    he = s.doc.words.index("he")
    assert name_of(s, s.scene.coref.pronoun(he)) == "Tom Reed"


def test_unnamed_source_of_the_other_gender_does_not_block() -> None:
    """'a spokeswoman' does not block a 'he' meaning the man named before."""
    s = stages("Tom Reed met the press. A spokeswoman said he would not go.")
    assert name_of(s, s.scene.coref.pronoun(s.doc.words.index("he"))) == "Tom Reed"


def test_pronoun_inside_a_quotation_candidates_only_outside() -> None:
    """People named only inside quotations are no candidates."""
    s = stages('"Tom Reed is gone," Ann Cole said. He said no.')
    assert [p.name for p in s.entities.people] == ["Tom Reed", "Ann Cole"]
    assert s.scene.coref.pronoun(s.doc.words.index("He")) is None


def test_story_subject_is_the_most_named_before_the_offset() -> None:
    """story_subject: most mentions before the offset; the latest named on a tie."""
    text = "Tom Reed met Dan Cole. Reed spoke. Reed left. Cole stayed. Cole wept. Cole ran."
    s = stages(text)
    subject = s.scene.coref.story_subject
    assert subject(0) is None
    assert name_of(s, subject(text.index("Dan"))) == "Tom Reed"
    assert name_of(s, subject(text.index("Reed spoke"))) == "Dan Cole"  # 1 each: the latest
    assert name_of(s, subject(text.index("Cole stayed"))) == "Tom Reed"  # 3 to 1
    assert name_of(s, subject(text.index("Cole wept"))) == "Tom Reed"  # 3 to 2
    assert name_of(s, subject(text.index("Cole ran"))) == "Dan Cole"  # 3 to 3: the latest
    assert name_of(s, subject(len(text))) == "Dan Cole"  # 3 to 4


@pytest.mark.parametrize(
    ("text", "expected_word", "expected_name"),
    [
        ("Sir Malcolm Tate was unmoved. 'Cash terms are what matter.'", "Malcolm", "Malcolm Tate"),
        ("Tom Reed arrived. He was unmoved. 'Cash terms are what matter.'", "He", "Tom Reed"),
        # A cue makes a person later in the sentence the subject.
        ("In the end Tom Reed said little. 'Cash terms are what matter.'", "Tom", "Tom Reed"),
    ],
)
def test_previous_sentence_subject(text: str, expected_word: str, expected_name: str) -> None:
    """previous_sentence_subject returns the person and the token naming them."""
    s = stages(text)
    found = s.scene.coref.previous_sentence_subject(s.quotes.spans[0])
    assert found is not None
    entity, index = found
    assert s.doc.words[index] == expected_word
    assert name_of(s, entity) == expected_name


@pytest.mark.parametrize(
    "text",
    [
        # The person stands too deep in a sentence without a cue.
        "On a cold and wet day Tom Reed was unmoved. 'Cash terms are what matter.'",
        # The quotation does not open a sentence.
        "Tom Reed was unmoved and said 'cash terms are what matter.'",
        # The sentence before names nobody.
        "Tom Reed arrived. The room was cold. 'Cash terms are what matter.'",
    ],
)
def test_previous_sentence_subject_none(text: str) -> None:
    """No subject where the sentence before does not open with a person or has no cue."""
    s = stages(text)
    assert s.scene.coref.previous_sentence_subject(s.quotes.spans[0]) is None


def test_previous_sentence_subject_skips_a_quoted_paragraph() -> None:
    """A quotation opening a paragraph after a quoted paragraph is left to inheritance."""
    text = "Tom Reed was unmoved. 'No,' he said.\n\n'Cash terms are what matter.'"
    s = stages(text)
    assert s.scene.coref.previous_sentence_subject(s.quotes.spans[1]) is None


def test_previous_sentence_subject_reads_the_paragraph_before() -> None:
    """A paragraph that is only a quotation takes the subject of the paragraph before."""
    text = "Tom Reed was unmoved.\n\n'Cash terms are what matter.'"
    s = stages(text)
    assert s.scene.coref.previous_sentence_subject(s.quotes.spans[0]) == (("person", 0), 0)


@pytest.mark.parametrize(
    ("text", "gender", "noun", "until"),
    [
        ("A spokeswoman said the plan failed.", "f", "spokeswoman", "A spokeswoman"),
        ("A spokesman said no.", "m", "spokesman", "A spokesman"),
        ("An official said no.", None, "official", "An official"),
        ("A senior official said no.", None, "official", "A senior official"),
        (
            "The talks ended, and a spokesman said no.",
            "m",
            "spokesman",
            "The talks ended, and a spokesman",
        ),
    ],
)
def test_find_unnamed_sources(text: str, gender: str | None, noun: str, until: str) -> None:
    """An unnamed source opening a clause is recorded by gender, with its noun."""
    s = stages(text)
    unnamed = find_unnamed_sources(s.doc, s.quotes, s.entities)
    assert unnamed.ends == {gender: [len(until)]}
    assert unnamed.nouns == frozenset({noun})
    assert unnamed.latest(gender, len(text)) == len(until)
    assert unnamed.latest(gender, 0) == -1


@pytest.mark.parametrize(
    "text",
    [
        "Jon Smith, a spokesman, said no.",  # an apposition describing a named person
        "Jon Smith, 46, a teacher, said no.",
        "Reporters met a spokesman on Monday.",  # an object, not a subject
        "'A spokesman said no,' Jon Smith said.",  # inside a quotation
    ],
)
def test_not_unnamed_sources(text: str) -> None:
    """Appositions, objects and quoted words are not unnamed sources."""
    s = stages(text)
    unnamed = find_unnamed_sources(s.doc, s.quotes, s.entities)
    assert unnamed.ends == {}
    assert unnamed.nouns == frozenset()


def test_unnamed_latest_counts_sources_of_no_gender() -> None:
    """latest('m') also sees a source of unknown gender ('an official')."""
    s = stages("An official spoke. A spokeswoman left.")
    unnamed = find_unnamed_sources(s.doc, s.quotes, s.entities)
    official_end = len("An official")
    assert unnamed.latest("m", len(s.doc.text)) == official_end
    assert unnamed.latest("f", len(s.doc.text)) == s.doc.text.index("spokeswoman") + len(
        "spokeswoman"
    )


def test_unnamed_source_after_a_quotation() -> None:
    """'"...," a spokesman said.' introduces an unnamed source; a next 'he' is not Tom Reed."""
    text = 'Tom Reed left the talks. "It is a mistake," a spokesman said. "Sorry," he added.'
    s = stages(text)
    unnamed = find_unnamed_sources(s.doc, s.quotes, s.entities)
    assert unnamed.nouns == frozenset({"spokesman"})
    assert s.scene.coref.pronoun(s.doc.words.index("he")) is None
