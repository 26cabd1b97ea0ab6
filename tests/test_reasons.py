"""Why a quotation has its speaker, in plain words: each rule of the engine, the distance
in sentences, pronouns, and nothing invented for a reason it does not know."""

from __future__ import annotations

from typing import NamedTuple

import pytest

from webapp.reasons import explain


class Row(NamedTuple):
    number: int
    start: int
    end: int
    reason: str | None
    speaker_start: int | None
    speaker_end: int | None
    cue_start: int | None = None
    cue_end: int | None = None


def row(text: str, quote: str, reason: str | None, who: str | None, cue: str | None = None,
        number: int = 2, who_at: int = 0) -> Row:  # fmt: skip
    """Build the row of quote in text; who and cue are found in text (who's who_at-th)."""
    start = text.index(quote)
    who_start = who_end = cue_start = cue_end = None
    if who is not None:
        who_start = -1
        for _ in range(who_at + 1):
            who_start = text.index(who, who_start + 1)
        who_end = who_start + len(who)
    if cue is not None:
        cue_start = text.index(cue)
        cue_end = cue_start + len(cue)
    return Row(number, start, start + len(quote), reason, who_start, who_end, cue_start, cue_end)


def test_a_cue_after_the_quotation_quotes_the_articles_words() -> None:
    text = '"We are ready," said Ana Lind on Monday.'
    quote = row(text, '"We are ready,"', "cue-after-quote", "Ana Lind", "said")
    assert explain(quote, text, "Ana Lind") == "‘said Ana Lind’, after the quotation"


def test_a_cue_before_the_quotation() -> None:
    text = 'Ana Lind told reporters that the plan was "dead".'
    quote = row(text, '"dead"', "cue-before-quote", "Ana Lind", "told")
    assert explain(quote, text, "Ana Lind") == "‘Ana Lind told’, before the quotation"


def test_the_distance_in_sentences_is_said() -> None:
    text = 'Ana Lind spoke first. The hall was full. Mr. Berg nodded. "We are ready."'
    quote = row(text, '"We are ready."', "subject-of-previous-sentence", "Ana Lind")
    # Three sentence ends lie between her name and the quotation; "Mr." is not one.
    assert explain(quote, text, "Ana Lind") == "‘Ana Lind’, the subject of the sentence before"
    quote = row(text, '"We are ready."', "cue-before-quote", "Ana Lind", "spoke")
    assert explain(quote, text, "Ana Lind") == "‘Ana Lind spoke’, three sentences earlier"
    later = 'He was clear. "No." That was the word of Ana Lind, said aides.'
    quote = row(later, '"No."', "cue-after-quote", "Ana Lind")
    assert explain(quote, later, "Ana Lind") == "‘Ana Lind’, one sentence later"


def test_a_pronoun_says_who_it_is() -> None:
    text = 'Ana Lind arrived late. "We are ready," she said.'
    quote = row(text, '"We are ready,"', "pronoun:cue-after-quote", "she", "said")
    assert explain(quote, text, "Ana Lind") == (
        "‘she said’, after the quotation; ‘she’ is Ana Lind"
    )
    text = 'Ana Lind arrived late. She was calm. "We are ready."'
    quote = row(text, '"We are ready."', "pronoun:subject-of-previous-sentence", "She")
    assert explain(quote, text, "Ana Lind") == (
        "‘She’, the subject of the sentence before; ‘She’ is Ana Lind"
    )


@pytest.mark.parametrize(
    ("reason", "number", "expected"),
    [
        ("continues:q1", 2, "continues the quotation just before"),
        ("continues:q1", 4, "continues quotation 1 above"),
        ("headline-echo:q5", 1, "the headline repeats quotation 5 of the article"),
    ],
)
def test_continuations_and_headlines_name_the_other_quotation(
    reason: str, number: int, expected: str
) -> None:
    text = 'Ana Lind said "one" and "two".'
    quote = row(text, '"two"', reason, "Ana Lind", number=number)
    assert explain(quote, text, "Ana Lind") == expected


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("according-to", "‘according to Ana Lind’"),
        ("colon-introduction", "‘Ana Lind’ introduces it, before the colon"),
        ("dash-signature", "signed ‘Ana Lind’ after a dash"),
        ("transcript-label", "the transcript’s label ‘Ana Lind’"),
        ("subject-of-sentence", "‘Ana Lind’, the subject of this sentence"),
    ],
)
def test_every_other_rule_has_its_words(reason: str, expected: str) -> None:
    text = 'according to Ana Lind: "it works"'
    cue = "according to" if reason == "according-to" else None
    quote = row(text, '"it works"', reason, "Ana Lind", cue)
    assert explain(quote, text, "Ana Lind") == expected


def test_nothing_is_invented() -> None:
    text = 'Ana Lind: "it works"'
    for reason in (None, "", "a-rule-from-the-future", "continues:x", "headline-echo:"):
        assert explain(row(text, '"it works"', reason, "Ana Lind"), text, "Ana Lind") == ""
    no_words = row(text, '"it works"', "cue-after-quote", None)
    assert explain(no_words, text, "Ana Lind") == ""
    outside = Row(1, 10, 19, "cue-after-quote", 5, 500)  # a span past the text's end
    assert explain(outside, text, "Ana Lind") == ""


def test_long_words_are_shortened_and_a_far_cue_is_left_out() -> None:
    name = "the deputy chairman of the regional transport and infrastructure committee"
    text = f'"Fine," said {name}.'
    quote = row(text, '"Fine,"', "cue-after-quote", name, "said")
    words = explain(quote, text, "X").split("’")[0].removeprefix("‘")
    assert len(words) == 60 and words.endswith("…")
    far = '"Fine," the minister, who had flown in from the capital that morning, said.'
    quote = row(far, '"Fine,"', "cue-after-quote", "the minister", "said")
    assert explain(quote, far, "X") == "‘the minister’, after the quotation"
