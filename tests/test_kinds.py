"""The kinds stage alone: find_kinds and normal_words on small invented texts."""

from __future__ import annotations

import pytest

from webapp.analysis import Stages, run_stages
from webapp.analysis.kinds import normal_words


def stages(text: str, headline: bool = False) -> Stages:
    """Run the pipeline's stages on a text and return every result."""
    return run_stages(text, headline=headline)


def kinds(text: str, headline: bool = False) -> list[tuple[str, str | None]]:
    """Return (quotation as written, kind) for every quotation of a text."""
    s = stages(text, headline)
    assert len(s.kinds) == len(s.quotes.spans)
    return [(text[q.start : q.end], k) for q, k in zip(s.quotes.spans, s.kinds, strict=True)]


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ('"We will not wait," Jane Roe said.', '"We will not wait,"'),
        ('Jane Roe said: "We will not wait."', '"We will not wait."'),
        ('Jane Roe said, "We will not wait."', '"We will not wait."'),
        ('"We will not wait" — Jane Roe said so twice.', '"We will not wait"'),
        # Set off, no cue, but six words or more.
        ('Her reply: "We will not wait for anyone today"', '"We will not wait for anyone today"'),
        # An utterance of its own.
        ('Crowds were chanting "Get back to work!" outside.', '"Get back to work!"'),
    ],
)
def test_direct(text: str, quoted: str) -> None:
    """Quotations set off with a comma or colon (and a cue or a clause end) are direct."""
    assert kinds(text) == [(quoted, "direct")]


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ('Jane Roe said the plan was "dead in the water" and left.', '"dead in the water"'),
        ('The plan was "dead in the water", Jane Roe said.', '"dead in the water"'),
        ('Jane Roe said the talks had been "cynical" and left.', '"cynical"'),
        ('Jane Roe described the talks as "constructive" on Monday.', '"constructive"'),
    ],
)
def test_partial(text: str, quoted: str) -> None:
    """Quoted words inside reported speech with a cue are partial quotations."""
    assert kinds(text) == [(quoted, "partial")]


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        # Scare quotes.
        ('Jane Roe said the so-called "green corridor" was closed.', '"green corridor"'),
        # Titles of works.
        ('Jane Roe praised the film "Night Harbour" on Monday.', '"Night Harbour"'),
        ('Jane Roe watched "Night Harbour at the Pier" on Monday.', '"Night Harbour at the Pier"'),
        # Nicknames between capitalised names.
        ('Earl "Fats" Brennick played the piano.', '"Fats"'),
        # Known as: a name, not speech.
        ('Jane Roe is known as "the Tiger" in the party.', '"the Tiger"'),
        # One word after a determiner.
        ('Jane Roe said the "deal" was off.', '"deal"'),
        # One word with no cue in its sentence.
        ('The "deal" was off.', '"deal"'),
        # Several words with no cue and not set off.
        ('The plan looked "dead in the water" by noon.', '"dead in the water"'),
    ],
)
def test_not_speech(text: str, quoted: str) -> None:
    """Scare quotes, titles, nicknames and lone quoted words are None."""
    assert kinds(text) == [(quoted, None)]


def test_called_by_a_person_is_their_words() -> None:
    """'what he called "the best part"' is his words, not a scare quote."""
    text = 'Tom Reed praised what he called "the best part" of the plan.'
    assert kinds(text) == [('"the best part"', "partial")]


@pytest.mark.parametrize("text", ['Jane Roe said: "No."', 'Jane Roe said, "No."'])
def test_one_capitalised_word_after_said_is_direct(text: str) -> None:
    """'Jane Roe said: "No."' is direct speech, not a title."""
    assert kinds(text) == [('"No."', "direct")]


def test_headline_quotations() -> None:
    """With headline=True a headline quotation of two words or more is speech."""
    text = (
        'Roe: "We will not wait"\n\n'
        'Anger at "cuts to the bone"\n\n'
        'Jane Roe, the minister, said: "We will not wait for anyone."'
    )
    # Only the first paragraph is the headline.
    assert kinds(text, headline=True) == [
        ('"We will not wait"', "direct"),  # set off with a colon
        ('"cuts to the bone"', None),
        ('"We will not wait for anyone."', "direct"),
    ]
    # In the body, Roe's words after "Roe:" are Roe's, though no verb says so.
    assert kinds(text, headline=False)[0] == ('"We will not wait"', "partial")


def test_headline_quotation_not_set_off_is_partial() -> None:
    """A headline's quoted words inside the line are partial."""
    text = 'Anger at "cuts to the bone"\n\nJane Roe said the plan was cruel.'
    assert kinds(text, headline=True) == [('"cuts to the bone"', "partial")]
    assert kinds(text, headline=False) == [('"cuts to the bone"', None)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('Jane Roe said she felt "disgust" at the plan.', "partial"),
        ("Jane Roe said she felt anger at the plan.", None),
    ],
)
def test_headline_one_word_only_when_the_body_quotes_it(body: str, expected: str | None) -> None:
    """A one-word headline quotation is partial only if the body quotes the same word."""
    text = f'Minister\'s "disgust"\n\n{body}'
    assert kinds(text, headline=True)[0] == ('"disgust"', expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"We’ll NOT wait, 2 days!"', "we ll not wait days"),
        ("  Dead in the water…  ", "dead in the water"),
        ("Señora Núñez", "señora núñez"),
        ('"..."', ""),
    ],
)
def test_normal_words(text: str, expected: str) -> None:
    """normal_words keeps letters only, lower case, one space apart."""
    assert normal_words(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        'Paul Roe worried that the safety net was becoming "a hammock for the able-bodied."',
        'In the depths of the recession, Paul Roe worried the net was "a hammock for many."',
    ],
)
def test_words_of_the_sentences_subject_without_a_speech_verb(text: str) -> None:
    """'Paul Roe worried that ... "a hammock for the able-bodied."': a partial quotation."""
    assert [k for _, k in kinds(text)] == ["partial"]


def test_a_name_deep_in_the_sentence_does_not_make_speech() -> None:
    """Only the name that opens the sentence (or follows its opening phrase) counts."""
    text = 'In the end the net held firm, and Paul Roe slept in "a hammock for many."'
    assert [k for _, k in kinds(text)] == [None]


def test_a_short_phrase_without_a_speech_verb_stays_a_scare_quote() -> None:
    """Two quoted words after a non-speech verb are not taken for anybody's words."""
    assert [k for _, k in kinds('Paul Roe bought a "smart fridge" last week.')] == [None]
