"""Who is quoted and who is mentioned: analyze(text) -> Analysis.

The engine is a pipeline of stages over one Document. Each stage is a function of the
document and earlier results and returns its own immutable result; read analyze() top to
bottom to follow the data. Pure Python, no I/O at call time, nothing from the web app.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import NamedTuple

from .attribution import Attribution, attribute_window, echo_headline, inherit
from .coreference import build_coreference
from .cues import Cues, find_cues
from .document import Document, build_document
from .genders import learn_genders
from .kinds import find_kinds
from .names import Names, find_names
from .organizations import Organizations, find_organizations
from .people import Entities, resolve_people
from .quotes import Quotes, find_quotes
from .result import ENGINE_VERSION, Analysis, Organization, Person, Quote, Span
from .roles import Roles, find_roles
from .speakers import Scene
from .tuning import GC_PAUSE_CHARS

__all__ = [
    "ENGINE_VERSION",
    "Analysis",
    "Organization",
    "Person",
    "Quote",
    "Span",
    "Stages",
    "analyze",
    "run_stages",
]


class Stages(NamedTuple):
    """Every stage's result for one text, in pipeline order (for tests and for tracing)."""

    doc: Document
    quotes: Quotes
    roles: Roles
    names: Names
    orgs: Organizations
    entities: Entities
    cues: Cues
    genders: Mapping[int, str]
    scene: Scene
    kinds: list[str | None]
    attributed: list[Attribution]  # from each quotation's own sentence
    found: list[Attribution]  # after continuations and headline echoes


def analyze(text: str, *, headline: bool | None = None) -> Analysis:
    """Find the people, organisations and attributed quotations of a text.

    headline: whether the first paragraph is a headline (None: decide from its shape).
    """
    with _collector_paused(len(text)):
        stages = run_stages(text, headline=headline)
        return build(text, stages.quotes, stages.entities, stages.genders, stages.found)


def run_stages(text: str, *, headline: bool | None = None) -> Stages:
    """Run the stages in order: each reads the document and earlier results."""
    doc = build_document(text, headline=headline)
    quotes = find_quotes(doc)
    roles = find_roles(doc, quotes)
    names = find_names(doc, roles)
    orgs = find_organizations(doc, names)
    entities = resolve_people(doc, names, orgs)
    cues = find_cues(doc, quotes, entities)
    people_index = build_coreference(doc, quotes, entities, cues)
    genders = learn_genders(doc, quotes, entities, cues, people_index)
    scene = Scene(doc, cues, entities, people_index.with_genders(genders), roles)
    kinds = find_kinds(doc, quotes, cues, entities)
    attributed = [
        attribute_window(scene, window, kind)
        for window, kind in zip(quotes.windows, kinds, strict=True)
        if kind is not None
    ]
    found = echo_headline(scene, quotes, inherit(scene, quotes, attributed))
    stages = (doc, quotes, roles, names, orgs, entities, cues, genders, scene, kinds)
    return Stages(*stages, attributed, found)


@contextmanager
def _collector_paused(length: int) -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a long text is analysed.

    The engine makes no reference cycles (reference counting frees everything), but on a
    text of megabytes it holds millions of small objects, and the collector's full passes
    over them, not the analysis, made the time per MB grow with the text.
    """
    paused = length >= GC_PAUSE_CHARS and gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def build(
    text: str,
    quotes: Quotes,
    entities: Entities,
    genders: Mapping[int, str],
    found: list[Attribution],
) -> Analysis:
    """Turn the stages' results into the Analysis dataclasses with stable ids."""
    order = sorted(
        (i for i, p in enumerate(entities.people) if p.mentions),
        key=lambda i: entities.people[i].mentions[0],
    )
    person_ids = {index: f"p{n}" for n, index in enumerate(order, start=1)}
    people = [
        Person(
            id=person_ids[i],
            name=entities.people[i].name,
            role=entities.people[i].role,
            gender=entities.people[i].gender or genders.get(i),  # type: ignore[arg-type]
            aliases=list(entities.people[i].aliases),
            mentions=[Span(a, b) for a, b in sorted(set(entities.people[i].mentions))],
        )
        for i in order
    ]
    org_ids = {index: f"o{n}" for n, index in enumerate(range(len(entities.orgs)), start=1)}
    organizations = [
        Organization(
            id=org_ids[i],
            name=org.name,
            kind=org.kind,  # type: ignore[arg-type]
            mentions=[Span(a, b) for a, b in sorted(set(org.mentions))],
        )
        for i, org in enumerate(entities.orgs)
    ]
    found_quotes = []
    for number, attribution in enumerate(found, start=1):
        quote = quotes.spans[attribution.number]
        speaker = None
        if attribution.speaker is not None:
            table = person_ids if attribution.speaker[0] == "person" else org_ids
            speaker = table.get(attribution.speaker[1])
        span = attribution.speaker_span  # also for an unnamed source ("a senior official")
        found_quotes.append(
            Quote(
                id=f"q{number}",
                start=quote.start,
                end=quote.end,
                text=text[quote.start : quote.end],
                kind=attribution.kind,  # type: ignore[arg-type]
                speaker=speaker,
                speaker_span=Span(*span) if span else None,
                reason=attribution.reason if span else None,
                cue=attribution.cue,
                cue_span=Span(*attribution.cue_span) if attribution.cue_span else None,
                channel=org_ids.get(attribution.channel)
                if attribution.channel is not None
                else None,
            )
        )
    return Analysis(people=people, organizations=organizations, quotes=found_quotes)
