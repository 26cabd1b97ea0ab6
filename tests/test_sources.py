"""Sources named by a common noun: the minister, the company, the statement, X's office."""

from __future__ import annotations

from webapp.analysis import Stages, run_stages
from webapp.analysis.sources import issuer, noun_phrase, org_by_noun, possessed


def stages(text: str) -> Stages:
    """Run the pipeline on a text."""
    return run_stages(text, headline=False)


def name_of(run: Stages, entity: tuple[str, int] | None) -> str | None:
    """Return the name of a person or organisation entity."""
    if entity is None:
        return None
    records = run.entities.people if entity[0] == "person" else run.entities.orgs
    return records[entity[1]].name


def test_the_minister_is_the_minister_named_before() -> None:
    """'the minister' means the person whose role holds the noun."""
    run = stages("Defense Minister Jane Roe spoke. Later the minister left.")
    first = run.doc.words.index("the")
    assert name_of(run, noun_phrase(run.scene, first, first + 1)) == "Jane Roe"


def test_an_unnamed_source_is_nobody() -> None:
    """'a senior official' is an unnamed source, never a named person."""
    run = stages("Jane Roe spoke. A senior official disagreed.")
    first = run.doc.words.index("A")
    assert noun_phrase(run.scene, first, first + 2) is None


def test_the_company_is_the_latest_company() -> None:
    """'the company' prefers a company's name to another body named since."""
    run = stages("Acme Corp cut jobs. The Labour Ministry objected. The company said no.")
    offset = run.doc.starts[run.doc.words.index("company")]
    assert name_of(run, org_by_noun(run.scene, "company", offset)) == "Acme Corp"


def test_a_statement_speaks_for_its_issuer() -> None:
    """'the statement' is the organisation named last in this or the previous paragraph."""
    run = stages("The Baltic Ports Council met.\n\nThe statement said no.")
    assert name_of(run, issuer(run.scene, run.doc.words.index("statement"))) == (
        "Baltic Ports Council"
    )


def test_an_office_speaks_for_its_owner() -> None:
    """ "Azimov's office said": the office speaks for Araz Azimov, with the whole phrase."""
    text = "Araz Azimov arrived. Araz Azimov's office said no."
    run = stages(text)
    mark = next(i for i, w in enumerate(run.doc.words) if w == "'s")
    entity, (start, end) = possessed(run.scene, mark, mark + 1)
    assert (name_of(run, entity), text[start:end]) == ("Araz Azimov", "Araz Azimov's office")
