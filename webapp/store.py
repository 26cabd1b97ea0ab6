"""Rows of an article: the seed's fields, its people, mentions and quotations, in the
current transaction (the caller commits)."""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, NamedTuple

from sqlalchemy import delete, exists, func, insert, select, update

from webapp import analysis as engine
from webapp.analysis.result import Analysis, Span
from webapp.corrections import Change, apply_corrections, describe
from webapp.links import safe_url, url_label
from webapp.models import Article, ArticlePerson, Correction, Mention, Person, Quote, db
from webapp.publish import CastMember, QuoteRow, apply, publish
from webapp.render import PALETTE_SIZE
from webapp.seedfile import SeedArticle
from webapp.slugs import name_hash, person_slug_candidates, slugify

# Bump when a change to webapp.seedfile changes what a seed parses to: every stored
# article is then parsed again from its file on the next load, as after an edit.
PARSER_VERSION = "1"
SLUG_BATCH = 20  # candidate slugs looked up at once for a new article
TOTALS_BATCH = 500  # people recounted in one statement


@dataclass(frozen=True)
class PersonRef:
    """What the rows of an article need of a person: a stored person's id, slug and name
    (read past the ORM), or, before storing, a numbered name and the slug it will most
    likely get."""

    id: int
    slug: str
    name: str


@dataclass(frozen=True)
class Prerendered:
    """An article's page rendered before storing, for the slugs its people were expected
    to have: used when they have them (nearly always), rendered again when not."""

    html_parts: list[dict[str, str]]
    slugs: dict[str, str]  # person name -> the slug the page was rendered with


class Stored(NamedTuple):
    """What storing a seed did: a new article or an updated one, its address and warnings,
    and the owner's corrections whose words are gone from the text (said in words)."""

    status: Literal["loaded", "updated"]
    slug: str
    warnings: tuple[str, ...]
    orphaned: tuple[str, ...] = ()


def analyze_seed(seed: SeedArticle) -> Analysis:
    """Run the analysis on a seed's reading text; its first part is the headline."""
    headline = bool(seed.parts) and seed.parts[0].kind == "headline"
    return engine.analyze(seed.text, headline=headline)


def prerender(seed: SeedArticle, result: Analysis) -> Prerendered:
    """Render a seed's page from its analysis alone (no database), as a worker can."""
    names = sorted({person.name for person in result.people})
    expected = {
        name: PersonRef(number, person_slug_candidates(name)[0], name)
        for number, name in enumerate(names, start=1)
    }
    ids = {person.id: expected[person.name] for person in result.people}
    parts = _parts(seed)
    cast = [member for member, _ in _cast(seed.text, result, ids)]
    mentions = _mentions(seed.text, result, ids)
    quotes = _quotes(seed.text, parts, result, ids)
    done = publish(seed.text, parts, cast, mentions, quotes)
    return Prerendered(done.html_parts, {name: ref.slug for name, ref in expected.items()})


def _parts(seed: SeedArticle) -> list[dict[str, Any]]:
    """Return the seed's parts as stored: kind, start and end."""
    return [{"kind": p.kind, "start": p.start, "end": p.end} for p in seed.parts]


def store_seed(
    seed: SeedArticle,
    result: Analysis | None = None,
    source: str | None = None,
    folder: str | None = None,
    prerendered: Prerendered | None = None,
    known_new: bool = False,
) -> Stored:
    """Add or update the article for seed in the current transaction (the caller commits).

    known_new: the caller just found no article of this name (a concurrent insert then
    fails on the unique name, and the caller retries without it).
    """
    article = None
    if not known_new:
        article = db.session.execute(
            select(Article).where(Article.source_name == seed.name)
        ).scalar_one_or_none()
    if result is None:
        result = analyze_seed(seed)
    status: Literal["loaded", "updated"] = "updated" if article is not None else "loaded"
    if article is None:
        # Added to the session once complete (store_analysis): one INSERT, no UPDATE.
        article = Article(source_name=seed.name, slug=_unique_slug(seed))
    warnings = list(seed.warnings)
    source_url = safe_url(seed.source_url)
    if seed.source_url and source_url is None:
        warnings.append(
            f"{seed.name}:{seed.source_line or 1}: source URL {seed.source_url[:80]!r} dropped:"
            " only plain http(s) links without user names are kept"
        )
    article.title = seed.title
    article.published = seed.published
    article.caption = seed.caption
    article.photo_credit = seed.photo_credit
    article.source_url = source_url
    article.site = url_label(source_url)
    if source is not None:
        article.source = source
    if folder is not None:
        article.source_dir = folder
    article.text = seed.text
    article.parts = _parts(seed)
    article.warnings = warnings
    article.content_hash = seed.content_hash
    article.parser = PARSER_VERSION
    article.loaded_at = datetime.now(UTC)
    orphaned = store_analysis(article, result, prerendered)
    return Stored(status, article.slug, tuple(warnings), tuple(orphaned))


def store_analysis(
    article: Article, result: Analysis, prerendered: Prerendered | None = None
) -> list[str]:
    """Replace the article's people, mentions and quotations with those of result, with
    the owner's corrections applied on top; render (or take the page prerendered, if its
    people got the slugs it was rendered with and no correction changed it).

    The rows are inserted in one statement per table, and the page is rendered from them
    as they are in memory: nothing is read back. Returns what to say of the corrections
    whose words are gone from the text (kept, not applied).
    """
    article.engine = result.engine
    replacing = article.id is not None  # a new article has no rows to replace
    named_before: list[int] = []
    changes: dict[str, Change] = {}
    orphaned: list[str] = []
    if replacing:
        named_before = people_of(article.id)
        for model in (Quote, Mention, ArticlePerson):
            db.session.execute(delete(model).where(model.article_id == article.id))
        corrected, changes, orphaned = _corrected(article, result)
        if corrected != result:  # a page rendered ahead shows the engine's quotations
            prerendered = None
        result = corrected
    people = _people_rows({person.name for person in result.people})
    ids: dict[str, PersonRef] = {person.id: people[person.name] for person in result.people}
    cast = _cast(article.text, result, ids)
    mentions = _mentions(article.text, result, ids)
    quotes = _quotes(article.text, article.parts, result, ids, changes)
    html_parts = None
    if prerendered is not None and all(
        people[name].slug == slug for name, slug in prerendered.slugs.items()
    ):
        html_parts = prerendered.html_parts
    members = [member for member, _ in cast]
    done = publish(article.text, article.parts, members, mentions, quotes, html_parts)
    apply(article, members, quotes, done)
    db.session.add(article)
    db.session.flush()  # the article's row, complete: its id for the rows below
    _insert(
        ArticlePerson,
        [
            {
                "article_id": article.id,
                "person_id": member.person_id,
                "role": member.role,
                "aliases": aliases,
                "colour": member.colour,
                "position": position,
                "quote_count": done.quote_counts.get(member.person_id, 0),
                "mention_count": done.mention_counts.get(member.person_id, 0),
            }
            for position, (member, aliases) in enumerate(cast, start=1)
        ],
    )
    _insert(
        Mention,
        [
            {"article_id": article.id, "person_id": person_id, "start": start, "end": end}
            for start, end, person_id in mentions
        ],
    )
    _insert(Quote, [{"article_id": article.id, **quote._asdict()} for quote in quotes])
    if replacing:
        delete_orphan_people(named_before)  # people only the old rows named
    refresh_totals({member.person_id for member, _ in cast} | set(named_before))
    return orphaned


def corrections_of(article_id: int) -> list[Correction]:
    """Return an article's corrections, oldest first (the order they are applied in)."""
    return list(
        db.session.execute(
            select(Correction)
            .where(Correction.article_id == article_id)
            .order_by(Correction.created_at, Correction.id)
        ).scalars()
    )


def _corrected(article: Article, result: Analysis) -> tuple[Analysis, dict[str, Change], list[str]]:
    """Apply the article's corrections to result, oldest first; move each stored anchor
    to where its words are now, and mark the ones whose words are gone as orphaned."""
    corrections = corrections_of(article.id)
    if not corrections:
        return result, {}, []
    bounds = sorted((int(p["start"]), int(p["end"])) for p in article.parts)
    done = apply_corrections(
        article.text, result, corrections, lambda start, end: shows_text(start, end, bounds)
    )
    orphaned = []
    for correction, outcome in zip(corrections, done.outcomes, strict=True):
        found = outcome.anchor
        correction.orphaned = found is None
        if found is None:
            orphaned.append(f"{article.source_name}: {describe(correction)}: its words are gone")
            continue
        correction.start, correction.end = found.start, found.end
        correction.before, correction.after = found.before, found.after
    return done.analysis, done.changes, orphaned


def _insert(model: type[db.Model], rows: list[dict[str, Any]]) -> None:  # type: ignore[name-defined]
    """Insert rows into model's table in one executemany statement (none when empty)."""
    if rows:  # Core, not the ORM's bulk insert: these rows are never loaded as objects
        db.session.connection().execute(insert(model.__table__), rows)


def _valid(span: Span | None, text_length: int) -> bool:
    """Return whether span is a non-empty range inside the text."""
    return span is not None and 0 <= span.start < span.end <= text_length


def shows_text(start: int, end: int, parts: list[tuple[int, int]]) -> bool:
    """Return whether [start, end) covers text of a part (not only gaps); parts are sorted."""
    index = bisect_right(parts, (start, math.inf)) - 1
    if index >= 0 and start < parts[index][1]:
        return True
    return index + 1 < len(parts) and parts[index + 1][0] < end


def _cast(
    text: str, result: Analysis, ids: Mapping[str, PersonRef]
) -> list[tuple[CastMember, list[str]]]:
    """Return the article's people in panel order (first seen first), each once, with their
    aliases; the quoted ones get palette colours in the order they first speak."""
    first_seen: dict[int, int] = {}
    first_quote: dict[int, int] = {}
    for person in result.people:
        row = ids[person.id]
        starts = [m.start for m in person.mentions]
        first_seen[row.id] = min([*starts, first_seen.get(row.id, len(text))])
    for quote in sorted(result.quotes, key=lambda q: q.start):
        if quote.speaker in ids:
            row = ids[quote.speaker]
            first_quote.setdefault(row.id, quote.start)
            first_seen[row.id] = min(first_seen[row.id], quote.start)
    colours = {pid: n + 1 for n, pid in enumerate(sorted(first_quote, key=first_quote.get))}

    cast: list[tuple[CastMember, list[str]]] = []
    stored: set[int] = set()
    for person in sorted(result.people, key=lambda p: first_seen[ids[p.id].id]):
        row = ids[person.id]
        if row.id in stored:
            continue
        stored.add(row.id)
        colour = colours.get(row.id)
        member = CastMember(
            person_id=row.id,
            slug=row.slug,
            name=row.name,
            role=person.role,
            colour=colour if colour is not None and colour <= PALETTE_SIZE else None,
        )
        cast.append((member, list(person.aliases)))
    return cast


def _people_rows(names: set[str]) -> dict[str, PersonRef]:
    """Return each name's person (id, slug, name): found by name, or new with a slug of
    its own. New people are inserted in one statement, past the ORM (never loaded)."""
    candidates = {name: person_slug_candidates(name) for name in names}
    wanted = {slug for slugs in candidates.values() for slug in slugs}
    people = Person.__table__
    connection = db.session.connection()
    by_slug: dict[str, PersonRef] = {
        row.slug: PersonRef(row.id, row.slug, row.name)
        for row in connection.execute(
            select(people.c.id, people.c.slug, people.c.name).where(people.c.slug.in_(wanted))
        )
    }
    rows: dict[str, PersonRef] = {}
    new: list[dict[str, str]] = []
    for name in sorted(names):
        found = next(
            (by_slug[s] for s in candidates[name] if s in by_slug and by_slug[s].name == name),
            None,
        )
        if found is None:
            slug = _free_person_slug(name, candidates[name], by_slug)
            by_slug[slug] = PersonRef(0, slug, name)  # taken: the next names look past it
            new.append({"slug": slug, "name": name})
        else:
            rows[name] = found
    if new:
        inserted = connection.execute(
            insert(people).returning(people.c.id, people.c.slug, sort_by_parameter_order=True),
            new,
        )
        for values, (person_id, slug) in zip(new, inserted, strict=True):
            rows[values["name"]] = PersonRef(person_id, slug, values["name"])
    return rows


def _free_person_slug(name: str, candidates: list[str], taken: Mapping[str, PersonRef]) -> str:
    """Return the first candidate slug no other name holds (a numbered one, if need be)."""
    for slug in candidates:
        # taken holds every stored person with one of these slugs (_people_rows read them)
        if slug not in taken:
            return slug
    base = f"{candidates[-1]}-{name_hash(name + '#')}"
    number = 2
    while base in taken or _person_slug_taken(base):
        base, number = f"{candidates[-1]}-{number}", number + 1
    return base


def _person_slug_taken(slug: str) -> bool:
    """Return whether a stored person already has this slug."""
    return db.session.scalar(select(exists().where(Person.slug == slug))) or False


def _mentions(
    text: str, result: Analysis, ids: Mapping[str, PersonRef]
) -> list[tuple[int, int, int]]:
    """Return every valid mention of every person as (start, end, person id), each once."""
    found = {
        (span.start, span.end, ids[person.id].id)
        for person in result.people
        for span in person.mentions
        if _valid(span, len(text))
    }
    return sorted(found)


def _shown_quotes(text: str, parts: list[dict[str, Any]], result: Analysis) -> list[Any]:
    """Return the analysis's quotations that show on the page, in reading order."""
    bounds = sorted((int(p["start"]), int(p["end"])) for p in parts)
    valid = [
        q
        for q in result.quotes
        if _valid(Span(q.start, q.end), len(text)) and shows_text(q.start, q.end, bounds)
    ]
    return sorted(valid, key=lambda q: (q.start, q.end))


def _quotes(
    text: str,
    parts: list[dict[str, Any]],
    result: Analysis,
    ids: Mapping[str, PersonRef],
    changes: Mapping[str, Change] | None = None,
) -> list[QuoteRow]:
    """Return the quotations that show on the page, numbered q1, q2, ... in reading order,
    each with its speaker's and its cue's span (None when not valid), the rule that
    decided its speaker, and what a correction changed."""
    rows = []
    length = len(text)
    changes = changes or {}
    shown = _shown_quotes(text, parts, result)
    numbers = {quote.id: number for number, quote in enumerate(shown, start=1)}
    for number, quote in enumerate(shown, start=1):
        change = changes.get(quote.id)
        speaker = ids.get(quote.speaker) if quote.speaker else None
        entity = result.entity(quote.speaker) if speaker is None else None
        channel = result.entity(quote.channel)
        who, cue = (
            (span.start, span.end) if _valid(span, length) else (None, None)
            for span in (quote.speaker_span, quote.cue_span)
        )
        rows.append(
            QuoteRow(
                number=number,
                start=quote.start,
                end=quote.end,
                text=text[quote.start : quote.end],
                kind=quote.kind,
                speaker_id=speaker.id if speaker else None,
                speaker_label=entity.name if entity is not None else None,
                cue=quote.cue,
                channel=channel.name if channel is not None else None,
                reason=_numbered(quote.reason, numbers),
                speaker_start=who[0],
                speaker_end=who[1],
                cue_start=cue[0],
                cue_end=cue[1],
                corrected=change.kind if change else None,
                engine_speaker=change.engine_speaker if change else None,
            )
        )
    return rows


def _numbered(reason: str | None, numbers: Mapping[str, int]) -> str | None:
    """Return a reason that names another quotation ("continues:q3") with that quotation's
    number on the page, which corrections can shift ("gone" when it is not shown)."""
    if reason is None:
        return None
    rule, colon, target = reason.rpartition(":")
    if not colon or rule.removeprefix("pronoun:") not in ("continues", "headline-echo"):
        return reason
    number = numbers.get(target)
    return f"{rule}:q{number}" if number is not None else f"{rule}:gone"


def people_of(article_id: int) -> list[int]:
    """Return the ids of the people an article names (before its rows are replaced)."""
    person_ids = ArticlePerson.__table__.c.person_id
    return list(
        db.session.connection()
        .execute(select(person_ids).where(ArticlePerson.__table__.c.article_id == article_id))
        .scalars()
    )


def delete_orphan_people(candidates: list[int]) -> None:
    """Delete those of the candidate people no article refers to any more.

    Only the people an article named are checked, never the whole table: replacing or
    removing one article costs the same in a library of ten or of ten thousand.
    """
    if not candidates:
        return
    in_use = exists().where(ArticlePerson.person_id == Person.id)
    db.session.execute(
        delete(Person)
        .where(Person.id.in_(candidates), ~in_use)
        .execution_options(synchronize_session=False)
    )


def refresh_totals(person_ids: Iterable[int]) -> None:
    """Recount the quotations and articles of these people, and only these: storing or
    deleting one article costs the same in a library of ten articles or of ten thousand."""
    ids = sorted(set(person_ids))
    people, cast = Person.__table__, ArticlePerson.__table__
    of_person = cast.c.person_id == people.c.id
    quotes = select(func.coalesce(func.sum(cast.c.quote_count), 0)).where(of_person)
    articles = select(func.count()).select_from(cast).where(of_person)
    connection = db.session.connection()
    for start in range(0, len(ids), TOTALS_BATCH):
        connection.execute(
            update(people)
            .where(people.c.id.in_(ids[start : start + TOTALS_BATCH]))
            .values(quote_count=quotes.scalar_subquery(), article_count=articles.scalar_subquery())
        )


def _unique_slug(seed: SeedArticle) -> str:
    """Return a slug for a new article from its title, unique among stored articles.

    The candidates (base, base-2, base-3, ...) are looked up by equality, SLUG_BATCH at a
    time, on the unique index: a LIKE 'base%' could not use it and read every row.
    """
    base = slugify(seed.title) or slugify(Path(seed.name).stem) or "article"
    first = 1
    while True:
        candidates = [base if n == 1 else f"{base}-{n}" for n in range(first, first + SLUG_BATCH)]
        slugs = Article.__table__.c.slug  # Core: a plain read, once per new article
        taken = set(
            db.session.connection().execute(select(slugs).where(slugs.in_(candidates))).scalars()
        )
        free = next((slug for slug in candidates if slug not in taken), None)
        if free is not None:
            return free
        first += SLUG_BATCH
