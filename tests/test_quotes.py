"""The quotation stage alone: find_quotes on small documents built by build_document."""

from __future__ import annotations

import pytest

from webapp.analysis.document import Document, build_document
from webapp.analysis.quotes import Quotes, find_quotes


def quotes_of(text: str) -> tuple[Document, Quotes]:
    """Return the document of a text (no headline) and its quotations."""
    doc = build_document(text, headline=False)
    return doc, find_quotes(doc)


def quoted(text: str) -> list[str]:
    """Return the text of each quotation, marks included."""
    _, quotes = quotes_of(text)
    return [text[span.start : span.end] for span in quotes.spans]


def words(doc: Document, indices: tuple[int, ...] | list[int]) -> list[str]:
    """Return the token texts of some token indices."""
    return [doc.words[i] for i in indices]


@pytest.mark.parametrize(
    ("text", "expected", "marks"),
    [
        ('"We will stay," said Tova Quill.', ['"We will stay,"'], "double"),
        ("“We will stay,” said Tova Quill.", ["“We will stay,”"], "double"),
        ("'We will stay,' said Tova Quill.", ["'We will stay,'"], "single"),
        ("‘We will stay,’ said Tova Quill.", ["‘We will stay,’"], "single"),
        ("Tova Quill said: «We will stay».", ["«We will stay»"], "double"),
        ('Tova Quill called it "a mess" and left.', ['"a mess"'], "double"),
    ],
)
def test_marks(text: str, expected: list[str], marks: str) -> None:
    """Straight, curly, single and double marks open and close quotations."""
    _, quotes = quotes_of(text)
    assert [text[q.start : q.end] for q in quotes.spans] == expected
    assert [q.marks for q in quotes.spans] == [marks]
    assert all(q.closed for q in quotes.spans)


def test_opening_mark_after_words_closes() -> None:
    """A closing mark typed as an opening one, right after the words, closes the quotation."""
    text = "“It is unusual,“ said Tova Quill. “Very.”"
    assert quoted(text) == ["“It is unusual,“", "“Very.”"]


def test_inner_offsets_exclude_marks() -> None:
    """inner_start/inner_end exclude the quotation marks; start/end include them."""
    text = 'Bo said "Not today." Then he left.'
    _, quotes = quotes_of(text)
    (span,) = quotes.spans
    assert text[span.start : span.end] == '"Not today."'
    assert text[span.inner_start : span.inner_end] == "Not today."
    assert span.paragraph == 0


@pytest.mark.parametrize(
    "text",
    [
        "\"He told me 'never' and left,\" said Tova Quill.",
        "“He told me ‘never’ and left,” said Tova Quill.",
        "'He told me \"never\" and left,' said Tova Quill.",
        "“He called it “a sham” twice,” said Tova Quill.",
    ],
)
def test_nested_quotation_counts_once(text: str) -> None:
    """A quotation inside another is part of the outer one, not a quotation of its own."""
    _, quotes = quotes_of(text)
    assert len(quotes.spans) == 1
    span = quotes.spans[0]
    assert span.start == 0
    assert text[span.end :] == " said Tova Quill."


@pytest.mark.parametrize(
    "text",
    [
        "I don't think so, said Tova.",
        "The farmers' union met on Monday.",
        "They played rock 'n' roll all night.",
        "It was big in the '90s and after.",
        "Tova’s dog and the Quills’ cat met.",
        "We partied 'til dawn and then some.",
        "Bo O'Hallow's van broke down.",
    ],
)
def test_apostrophes_are_not_quotations(text: str) -> None:
    """Apostrophes of contractions, possessives and elisions open no quotation."""
    _, quotes = quotes_of(text)
    assert quotes.spans == []
    assert quotes.inside == frozenset()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("'The farmers' union is angry,' said Tova.", ["'The farmers' union is angry,'"]),
        ("Tova called it 'rock 'n' roll' and left.", ["'rock 'n' roll'"]),
        ("The '90s were 'wild', said Tova.", ["'wild'"]),
        ("‘It’s the farmers’ turn,’ said Tova.", ["‘It’s the farmers’ turn,’"]),
        (  # an apostrophe printed as an opening mark inside a word opens nothing
            "“Tova‘s plan works. We don‘t doubt it,” said Ned. “Next year too.”",
            ["“Tova‘s plan works. We don‘t doubt it,”", "“Next year too.”"],
        ),
        (
            "'We backed the farmers' union,' said Tova. 'Now we wait,' she added.",
            ["'We backed the farmers' union,'", "'Now we wait,'"],
        ),
    ],
)
def test_apostrophes_inside_single_quotations(text: str, expected: list[str]) -> None:
    """Apostrophes inside a single-quoted quotation do not close it."""
    assert quoted(text) == expected


def test_unclosed_quotation_runs_to_paragraph_end() -> None:
    """An unclosed quotation ends with its paragraph and is marked not closed."""
    text = 'Tova said: "We will not go. Not ever.\n\nThe vote is on Monday.'
    _, quotes = quotes_of(text)
    (span,) = quotes.spans
    assert text[span.start : span.end] == '"We will not go. Not ever.'
    assert span.end == text.index("\n")
    assert span.inner_end == span.end
    assert span.closed is False
    assert span.paragraph == 0


def test_multi_paragraph_quotation() -> None:
    """A quotation continued in the next paragraph gives one span per paragraph."""
    text = 'Tova said: "We will not go.\n\n"Not ever," she added.'
    doc, quotes = quotes_of(text)
    assert [text[q.start : q.end] for q in quotes.spans] == ['"We will not go.', '"Not ever,"']
    assert [q.closed for q in quotes.spans] == [False, True]
    assert [q.paragraph for q in quotes.spans] == [0, 1]
    assert words(doc, sorted(quotes.inside)) == [
        *['"', "We", "will", "not", "go", "."],
        *['"', "Not", "ever", ",", '"'],
    ]


def test_empty_quotation_is_dropped() -> None:
    """A pair of marks with nothing but space between them is no quotation."""
    assert quoted('Bo said "". Then "fine" came.') == ['"fine"']


def test_inside_firsts_outside() -> None:
    """inside, firsts and outside partition the tokens by quotation."""
    text = '"Yes," said Jane Roe. "No," said Bo.'
    doc, quotes = quotes_of(text)
    assert sorted(quotes.inside) == [0, 1, 2, 3, 8, 9, 10, 11]
    assert quotes.firsts == [0, 8]
    assert quotes.first_set == frozenset({0, 8})
    assert words(doc, quotes.outside) == ["said", "Jane", "Roe", ".", "said", "Bo", "."]
    assert quotes.offsets == [0, text.index('"No')]


@pytest.mark.parametrize(
    ("offset", "expected"),
    [(0, False), (8, True), (13, True), (19, True), (20, False), (30, False)],
)
def test_contains(offset: int, expected: bool) -> None:
    """contains() is True for offsets from a quotation's opening mark to its closing mark."""
    text = 'Bo said "Not today." Then he left.'
    assert text[8:20] == '"Not today."'
    _, quotes = quotes_of(text)
    assert quotes.contains(offset) is expected


def test_contains_without_quotations() -> None:
    """contains() is False everywhere in a text without quotations."""
    _, quotes = quotes_of("Nothing is quoted here.")
    assert not any(quotes.contains(offset) for offset in range(25))


def test_window_stays_in_the_quotation_sentence() -> None:
    """The after-window holds the attribution of its sentence and not the next sentence."""
    text = '"Yes," said Jane Roe. Then she left.'
    doc, quotes = quotes_of(text)
    (window,) = quotes.windows
    assert window.number == 0
    assert window.span == quotes.spans[0]
    assert (window.first, window.last) == (0, 3)
    assert window.before == ()
    assert words(doc, window.after) == ["said", "Jane", "Roe", "."]
    assert "Then" not in words(doc, window.after)
    assert window.tokens == frozenset(window.after)


def test_window_before_and_after() -> None:
    """Tokens of the quotation's sentence on either side go into before and after."""
    text = 'It rained. Tova Quill said, "We stay," and smiled. Bo left.'
    doc, quotes = quotes_of(text)
    (window,) = quotes.windows
    assert words(doc, window.before) == ["Tova", "Quill", "said", ","]
    assert words(doc, window.after) == ["and", "smiled", "."]


def test_windows_stop_at_other_quotations() -> None:
    """Windows skip quoted tokens and end where the next quotation opens."""
    text = '"Go," he said, "now." Later, "fine," she said. Then silence.'
    doc, quotes = quotes_of(text)
    first, second, third = quotes.windows
    assert words(doc, first.after) == ["he", "said", ","]
    assert words(doc, second.before) == ["he", "said", ","]
    assert words(doc, third.before) == ["Later", ","]
    assert words(doc, third.after) == ["she", "said", "."]


def test_window_keeps_attribution_after_quoted_full_stop() -> None:
    """A sentence ending inside the quotation does not cut off the attribution after it."""
    text = '"We will stay." Tova Quill said that. Then she left.'
    doc, quotes = quotes_of(text)
    (window,) = quotes.windows
    assert words(doc, window.after) == ["Tova", "Quill", "said", "that", "."]


def test_window_of_unclosed_quotation_stays_in_paragraph() -> None:
    """An unclosed quotation's windows stay inside its paragraph."""
    text = 'Tova said: "We will not go\n\n"We will stay," she said.'
    doc, quotes = quotes_of(text)
    first, second = quotes.windows
    assert words(doc, first.before) == ["Tova", "said", ":"]
    assert first.after == ()
    assert second.before == ()
    assert words(doc, second.after) == ["she", "said", "."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He said ''we will win,'' and left.", ["''we will win,''"]),
        (
            "''I would use the word 'old-school,''' said Tom Reed.",
            ["''I would use the word 'old-school,'''"],
        ),
        ("Rock 'n' roll, don't stop.", []),
    ],
)
def test_two_apostrophes_are_a_double_mark(text: str, expected: list[str]) -> None:
    """Some newspapers print '' for a double quotation mark; a third closes a single one."""
    doc = build_document(text, headline=False)
    assert [text[q.start : q.end] for q in find_quotes(doc).spans] == expected


def test_transcript_lines_are_quotations() -> None:
    """'ODUYA: ...' lines of a transcript are speech, from after the label to the line end."""
    text = (
        "CALEB ODUYA, BYLINE: It is 4:30 in the morning.\n\n"
        "DALE ROE: Short. Back she goes.\n\nODUYA: He pulls a trap over the rail."
    )
    doc = build_document(text, headline=False)
    spans = find_quotes(doc).spans
    assert [text[q.start : q.end] for q in spans] == [
        "It is 4:30 in the morning.",
        "Short. Back she goes.",
        "He pulls a trap over the rail.",
    ]
    assert {q.marks for q in spans} == {"label"}


def test_headings_in_capitals_are_no_transcript() -> None:
    """'BURGLARY: ...', 'THEFT: ...': labels that never come back are headings, not speakers."""
    text = "BURGLARY: Three men broke in.\n\nTHEFT: A bicycle was taken.\n\nNOISE: A dog barked."
    assert find_quotes(build_document(text, headline=False)).spans == []
