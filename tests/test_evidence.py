"""The evidence stage alone: is a name run a person's name, and is there evidence of it?"""

from __future__ import annotations

import pytest

from webapp.analysis.document import Document, build_document
from webapp.analysis.evidence import clean_name, has_evidence, near_cue, who_follows
from webapp.analysis.names import Names, Run, find_names, read_name
from webapp.analysis.quotes import find_quotes
from webapp.analysis.roles import find_roles


def names_of(text: str) -> tuple[Document, Names]:
    """Return the document of a text (no headline) and its names."""
    doc = build_document(text, headline=False)
    return doc, find_names(doc, find_roles(doc, find_quotes(doc)))


def run_of(doc: Document, names: Names, text: str, occurrence: int = 0) -> Run:
    """Return the n-th run that covers exactly this text."""
    runs = [
        run for run in names.runs if doc.text[doc.starts[run.first] : doc.ends[run.last]] == text
    ]
    return runs[occurrence]


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (("Jane", "Roe"), True),
        (("Tyrell", "J.", "Washington"), True),
        (("Tyrell", "Washington"), False),
        (("Robert", "Kane", "Jr."), True),
        (("Piet", "van", "der", "Berg"), True),
        (("Ní", "Bhriain"), True),
        (("Park", "Ji-woo"), True),
        (("Jean-Paul", "Roe"), True),
        (("Tova", "Cardinal"), True),
        (("Paris",), False),
        (("Jane", "Paris"), False),
        (("Monday",), False),
        (("Acme", "Corp"), False),
        (("Albert", "Road"), False),
        (("River", "Calder"), False),
        (("Reuters",), False),
        (("Deputy",), False),
        (("Minister", "Roe"), False),
        (("Don't",), False),
        (("We'll",), False),
        (("State-based",), False),
        (("Tova", "of"), False),
        (("van", "der"), False),
        (("de",), False),
        (("NASA",), False),
        (("D-Ohio",), False),
    ],
)
def test_clean_name(names: tuple[str, ...], expected: bool) -> None:
    """clean_name rejects places, months, organisation words, titles and contractions."""
    doc = build_document("", headline=False)
    assert clean_name(doc, names) is expected


@pytest.mark.parametrize(
    ("text", "run", "expected"),
    [
        ("The vote passed after Tova Quill spoke.", "Tova Quill", False),
        ("The vote passed when Mayor Tova Quill arrived.", "Mayor Tova Quill", True),
        ("The vote passed when Jane Quill arrived.", "Jane Quill", True),
        ("The vote passed, Tova Quill said.", "Tova Quill", True),
        ("The vote passed, said Tova Quill.", "Tova Quill", True),
        ("The vote passed after Tova Quill, a local baker, spoke.", "Tova Quill", True),
        ("The vote passed after Tova Quill, who chairs the board, spoke.", "Tova Quill", True),
        ("The vote passed after Tova Quill, which chairs the board, spoke.", "Tova Quill", False),
        ("The vote passed after her neighbour, Tova Quill, spoke.", "Tova Quill", True),
        ("The vote passed after Tova Quill, 54, spoke.", "Tova Quill", True),
        ("The vote passed after council baker Tova Quill spoke.", "Tova Quill", True),
        ("The vote passed after Tova Q. Quill spoke.", "Tova Q. Quill", True),
        ("The vote passed after O.J. Quill spoke.", "O.J. Quill", True),
        ("The vote passed after Zhang Tovar spoke.", "Zhang Tovar", True),
        ("The vote passed after Quill spoke.", "Quill", False),
        ("The vote passed, Quill said.", "Quill", True),
        ("The vote passed after Mr Quill spoke.", "Mr Quill", True),
        ("The vote passed after spokesman Quill spoke.", "Quill", True),
        ("Quill said the vote passed.", "Quill", False),
        ("Analysts said the vote passed.", "Analysts", False),
        ("The mayor of Thornbridge said no.", "Thornbridge", False),
        ("The vote passed, ECOWAS said.", "ECOWAS", False),
        ("The vote passed, Emiratisation said.", "Emiratisation", False),
    ],
)
def test_has_evidence(text: str, run: str, expected: bool) -> None:
    """has_evidence needs a title, given name, cue, apposition, 'who' or the like."""
    doc, names = names_of(text)
    found = run_of(doc, names, run)
    assert has_evidence(names, found, read_name(doc, found)) is expected


def test_single_word_needs_a_capital_mid_sentence() -> None:
    """A one-word name with a cue counts once it is seen capitalised mid-sentence."""
    doc, names = names_of("Quill said no. The vote passed, Quill said.")
    first, second = run_of(doc, names, "Quill", 0), run_of(doc, names, "Quill", 1)
    assert has_evidence(names, first, read_name(doc, first))
    assert has_evidence(names, second, read_name(doc, second))
    _, alone = names_of("Quill said no.")
    (run,) = alone.runs
    assert not has_evidence(alone, run, read_name(alone.doc, run))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The vote passed, Tova Quill said.", True),
        ("The vote passed, Tova Quill also said.", True),
        ("The vote passed, Tova Quill has repeatedly said.", True),
        ("The vote passed, said Tova Quill.", True),
        ("The vote passed, Tova Quill told us.", True),
        ("The vote passed after Tova Quill spoke.", False),
        ("The vote passed, Tova Quill, who said so, left.", False),
        ("The vote passed, Tova Quill wisely said.", False),
    ],
)
def test_near_cue(text: str, expected: bool) -> None:
    """near_cue is True for a cue right after the name (adverbs skipped) or right before it."""
    doc, names = names_of(text)
    assert near_cue(doc, run_of(doc, names, "Tova Quill")) is expected


def test_near_cue_after_age() -> None:
    """near_cue is True for 'X, 54, said', as its docstring says."""
    doc, names = names_of("The vote passed, Tova Quill, 54, said.")
    assert near_cue(doc, run_of(doc, names, "Tova Quill")) is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We met Ray Kowalski, who voted no.", True),
        ("We met Ray Kowalski, whose vote was no.", True),
        ("We met Ray Kowalski, Who voted no.", True),
        ("We met Ray Kowalski, which voted no.", False),
        ("We met Ray Kowalski who voted no.", False),
        ("We met Ray Kowalski, a farmer who voted no.", False),
        ("We met Ray Kowalski,", False),
    ],
)
def test_who_follows(text: str, expected: bool) -> None:
    """who_follows is True for a comma and a relative 'who' or 'whose' after the name."""
    doc, names = names_of(text)
    assert who_follows(doc, run_of(doc, names, "Ray Kowalski")) is expected


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (("Harriet", "English"), True),  # a nationality as the surname after a given name
        (("Loretta", "French"), True),
        (("Hong", "Kong"), False),  # a place whose first word is a place word too
        (("Sunday", "Times"), False),
    ],
)
def test_a_nationality_may_be_a_surname(names: tuple[str, ...], expected: bool) -> None:
    """'Harriet English' is a person; 'Hong Kong' stays a place."""
    assert clean_name(build_document("x", headline=False), names) is expected
