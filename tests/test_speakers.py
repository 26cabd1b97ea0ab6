"""The speaker rules alone: speaker_of_cue, phrase_ending and phrase_at on small texts."""

from __future__ import annotations

import pytest

from webapp.analysis import Stages, run_stages
from webapp.analysis.lexicon import load_lexicon
from webapp.analysis.speakers import phrase_at, phrase_ending, speaker_of_cue


def stages(text: str, headline: bool = False) -> Stages:
    """Run the pipeline's stages on a text and return every result."""
    return run_stages(text, headline=headline)


def name_of(s: Stages, entity: tuple[str, int] | None) -> str | None:
    """Return the name of a person or organisation entity, or None."""
    if entity is None:
        return None
    table = s.entities.people if entity[0] == "person" else s.entities.orgs
    return table[entity[1]].name


def window_of(s: Stages) -> frozenset[int]:
    """Return the last quotation's window, or every token of a text without quotations."""
    if s.quotes.windows:
        return s.quotes.windows[-1].tokens
    return frozenset(range(s.doc.size))


def speaker(text: str, cue_word: str) -> tuple[str | None, str | None, str | None] | None:
    """Return (speaker name, speaker words, channel name) for the last cue `cue_word`."""
    s = stages(text)
    cue = max(c for c in s.cues.at.values() if s.cues.text(c) == cue_word)
    found = speaker_of_cue(s.scene, cue, window_of(s))
    if found is None:
        return None
    entity, span, channel = found
    words = text[span[0] : span[1]] if span else None
    return name_of(s, entity), words, name_of(s, ("org", channel)) if channel is not None else None


@pytest.mark.parametrize("outlet", ["Itar-Tass", "Interfax"])
def test_outlets_used_here_are_listed(outlet: str) -> None:
    """The outlets these tests use are in lexicon/outlets.txt."""
    assert outlet in load_lexicon().outlets


@pytest.mark.parametrize(
    ("text", "cue", "expected"),
    [
        ('"No," said Jane Roe.', "said", ("Jane Roe", "Jane Roe", None)),
        ('"No," Jane Roe said.', "said", ("Jane Roe", "Jane Roe", None)),
        ('"No," said Mrs Roe.', "said", ("Roe", "Roe", None)),
        ('"No," said Minister Jane Roe.', "said", ("Jane Roe", "Jane Roe", None)),
        ('"No," Jane Roe also said.', "said", ("Jane Roe", "Jane Roe", None)),
        (
            '"No," Jane Roe, a spokeswoman for Acme Corp, said.',
            "said",
            ("Jane Roe", "Jane Roe", None),
        ),
        ('"No," according to Jane Roe.', "according to", ("Jane Roe", "Jane Roe", None)),
        (
            '"No," Marcus Ode of Cardinal Research said.',
            "said",
            ("Marcus Ode", "Marcus Ode", None),
        ),
        ('Tom Reed arrived. "No," he said.', "said", ("Tom Reed", "he", None)),
        (
            'Defense Minister Jane Roe met Karl Ostby. "No," the minister said.',
            "said",
            ("Jane Roe", "the minister", None),
        ),
    ],
)
def test_named_speaker(text: str, cue: str, expected: tuple) -> None:
    """A name, title, pronoun or role phrase next to the cue names the speaker."""
    assert speaker(text, cue) == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('"No," a senior official said.', "a senior official"),
        ('"No," an official said.', "an official"),
        ('"No," said an official.', "an official"),
        ('"No," the ministry said.', "the ministry"),
    ],
)
def test_unnamed_source_has_words_but_no_speaker(text: str, words: str) -> None:
    """'a senior official said': speaker None, the words are the evidence."""
    assert speaker(text, "said") == (None, words, None)


@pytest.mark.parametrize(
    ("text", "cue", "expected"),
    [
        ('"No," Itar-Tass reported.', "reported", ("Itar-Tass", "Itar-Tass", "Itar-Tass")),
        (
            "Itar-Tass reported that the talks had failed.",
            "reported",
            ("Itar-Tass", "Itar-Tass", "Itar-Tass"),
        ),
        ('"No," Jane Roe told Interfax.', "told", ("Jane Roe", "Jane Roe", "Interfax")),
        ('Jane Roe told Interfax: "No."', "told", ("Jane Roe", "Jane Roe", "Interfax")),
        ('"No," according to Interfax.', "according to", ("Interfax", "Interfax", "Interfax")),
    ],
)
def test_outlet_is_the_channel(text: str, cue: str, expected: tuple) -> None:
    """A news outlet that reports is the channel (and a candidate speaker); told, a channel."""
    assert speaker(text, cue) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('Acme Corp cut jobs. "We regret it," the company said.', "Acme Corp"),
        # The latest company.
        ('Acme Corp sued Borel Inc on Monday. "We regret it," the company said.', "Borel Inc"),
        # A company beats a regulator named more recently.
        (
            'Acme Corp was fined by the Harbour Port Authority. "We regret it," the company said.',
            "Acme Corp",
        ),
    ],
)
def test_the_company_is_the_latest_company(text: str, expected: str) -> None:
    """'the company said' is the latest named company."""
    assert speaker(text, "said") == (expected, "the company", None)


@pytest.mark.parametrize(
    "text",
    [
        "Jane Roe declined to comment, saying the talks were private.",
        'Acme Corp cut jobs. Jane Roe declined, saying: "No."',
    ],
)
def test_participle_cue_takes_the_sentence_subject(text: str) -> None:
    """'Jane Roe declined, saying': the subject of the clause speaks."""
    assert speaker(text, "saying") == ("Jane Roe", "Jane Roe", None)


def test_no_speaker_next_to_the_cue() -> None:
    """A cue with nobody next to it names nobody."""
    assert speaker('"No," was all that was said.', "said") is None


@pytest.mark.parametrize(
    "text", ['"No," said Defense Minister Jane Roe.', '"No," said Foreign Minister Jane Roe.']
)
def test_said_then_qualified_title_and_name(text: str) -> None:
    """'said Defense Minister Jane Roe' names Jane Roe."""
    assert speaker(text, "said") == ("Jane Roe", "Jane Roe", None)


@pytest.mark.xfail(
    strict=True,
    reason="engine bug: before_appositions takes the apposition 'the minister' (a role mention "
    "of Jane Roe) for the subject, so the evidence is 'the minister' instead of her name",
)
def test_apposition_role_phrase_is_not_the_evidence() -> None:
    """'Jane Roe, the minister, said': the words naming the speaker are 'Jane Roe'."""
    assert speaker('"No," Jane Roe, the minister, said.', "said") == ("Jane Roe", "Jane Roe", None)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('"No," said an official on Monday.', "an official"),
        ('"No," said a senior official.', "a senior official"),
    ],
)
def test_inverted_unnamed_source_span(text: str, words: str) -> None:
    """'said an official on Monday': the words are the noun phrase, no more, no less."""
    assert speaker(text, "said") == (None, words, None)


def test_possessor_span_covers_the_whole_name() -> None:
    """In "Jane Roe's spokesman said" the words are the whole phrase."""
    assert speaker('"No," Jane Roe\'s spokesman said.', "said") == (
        None,
        "Jane Roe's spokesman",
        None,
    )


def test_spokesman_for_span_keeps_its_determiner() -> None:
    """'a spokesman for Jane Roe said': unnamed, and the words include 'a'."""
    assert speaker('"No," a spokesman for Jane Roe said.', "said") == (
        None,
        "a spokesman for Jane Roe",
        None,
    )


def phrase(text: str, word: str, rule: str, nth: int = 0) -> tuple[str | None, str] | None:
    """Run phrase_ending or phrase_at at the nth token `word`; return (name, words)."""
    s = stages(text)
    index = [i for i, w in enumerate(s.doc.words) if w == word][nth]
    function = phrase_ending if rule == "ending" else phrase_at
    found = function(s.scene, index, frozenset(range(s.doc.size)))
    return None if found is None else (name_of(s, found[0]), text[found[1][0] : found[1][1]])


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("Defense Minister Jane Roe said no.", "Roe", ("Jane Roe", "Jane Roe")),
        ("Marcus Ode of Cardinal Research said no.", "Research", ("Marcus Ode", "Marcus Ode")),
        ("Acme Corp cut jobs. Then the company said no.", "company", ("Acme Corp", "the company")),
        ("Then a senior official said no.", "official", (None, "a senior official")),
        ("Then the ministry said no.", "ministry", (None, "the ministry")),
        ("Tom Reed arrived. Then he said no.", "he", ("Tom Reed", "he")),
        (
            "Tom Reed arrived. Then the 34-year-old said no.",
            "34-year-old",
            ("Tom Reed", "the 34-year-old"),
        ),
        ("Tom Reed arrived. Then the actor said no.", "actor", ("Tom Reed", "the actor")),
        ("Then the rain said no.", "rain", None),  # not a noun that speaks
        ("Then one senior Democrat said no.", "Democrat", (None, "one senior Democrat")),
        (
            "Tom Reed arrived. Then the Republican said no.",
            "Republican",
            ("Tom Reed", "the Republican"),
        ),
        ("The Pentagon met. Then it said no.", "it", ("Pentagon", "it")),  # the one body named
        ("NATO and the Pentagon met. Then it said no.", "it", (None, "it")),  # too vague
        ("The Pentagon report came out. It said no.", "It", (None, "It")),  # the report speaks
        ("Then, said no.", ",", None),
    ],
)
def test_phrase_ending(text: str, word: str, expected: tuple | None) -> None:
    """phrase_ending: the entity named by the words that end at a token."""
    assert phrase(text, word, "ending") == expected


@pytest.mark.parametrize(
    ("text", "word", "nth", "expected"),
    [
        ("Then said Mrs Roe that all was well.", "Mrs", 0, ("Roe", "Roe")),
        ("Then said Minister Jane Roe that all was well.", "Minister", 0, ("Jane Roe", "Jane Roe")),
        (
            "Defense Minister Jane Roe met the press. Then said the defense minister so.",
            "the",
            1,
            ("Jane Roe", "the defense minister"),
        ),
        (
            "Jane Roe met the press. Then said the club's chairwoman, Jane Roe, so.",
            "the",
            1,
            ("Jane Roe", "Jane Roe"),
        ),
        ("Then said an official.", "an", 0, (None, "an official")),
        ("Then said it that all was well.", "it", 0, None),
    ],
)
def test_phrase_at(text: str, word: str, nth: int, expected: tuple | None) -> None:
    """phrase_at: the entity named by the words that start at a token (inverted subject)."""
    assert phrase(text, word, "at", nth) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"No," said Republican strategist Ryan Williams.', "Ryan Williams"),
        ('"No," said former campaign adviser Dominic Ferrante.', "Dominic Ferrante"),
        ('"No," said former Gov. Bill Richardson of New Mexico.', "Bill Richardson"),
        ('"No," said Acme Corp coach Frank Moody.', "Frank Moody"),
        ('Rep. John Roe (R-Fla.) said the bill was "a disgrace to the House."', "John Roe"),
        ('Gov. John Kasich (R-OH), said, "I am ready to rent a covered wagon."', "John Kasich"),
    ],
)
def test_roles_and_parentheses_lead_to_the_name(text: str, expected: str) -> None:
    """A role after the cue, or a party tag before it, still leads to the person."""
    assert speaker(text, "said")[:2] == (expected, expected)


@pytest.mark.parametrize(
    "text",
    [
        'Alma Reyes-Fitch, of Springfield, Va., said the pantry was "a lifeline for us."',
        'Senator Wade Brown of Idaho, a former harbor pilot, said it had "not earned it."',
    ],
)
def test_a_home_town_between_name_and_cue(text: str) -> None:
    """'X, of Springfield, Va., said' and 'X of Idaho, a ..., said' name X."""
    name = text.split(",")[0].split(" of ")[0].removeprefix("Senator ")
    assert speaker(text, "said")[0] == name


def test_an_acronym_with_an_article_speaks_as_an_organisation() -> None:
    """'the ACU said': an acronym after 'the' is an organisation, and it speaks."""
    assert speaker('"We are disappointed," the ACU said.', "said")[:2] == ("ACU", "ACU")


def test_a_second_verb_after_an_adverb_keeps_the_subject() -> None:
    """'X started the rant and later said, "..."': X said it."""
    text = 'Lawrence Wilkerson started the rant and later said, "It is not just them."'
    assert speaker(text, "said")[0] == "Lawrence Wilkerson"


def test_a_statement_speaks_for_the_body_that_issued_it() -> None:
    """'the council said ... "...," the statement said': the council speaks."""
    text = (
        "In a statement, the Baltic Ports Council said transits had doubled. "
        '"This is no longer an exceptional risk," the statement said.'
    )
    assert speaker(text, "said")[:2] == ("Baltic Ports Council", "the statement")
