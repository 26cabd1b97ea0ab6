"""Shared test helpers: test seeds, the stand-in engine, an HTML parser, row counts, the
owner's corrections."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func, select
from werkzeug.serving import make_server

from webapp.analysis.result import Analysis, Organization, Person, Quote, Span
from webapp.correction_store import Speaker, add_correction, article_for_correcting
from webapp.models import Base, db

PROJECT = Path(__file__).resolve().parent.parent
SEED_FILE = next((PROJECT / "seeds").glob("*.txt"))
SEED_SLUG = "nato-and-russia-clash-again-on-missile-defense"

WriteSeed = Callable[[str, str | bytes], Path]

HARBOUR_SEED = """

## Harbour plan approved

March 3, 2024

Mayor Anna Berg at the harbour on Monday. Jon Smith

The council approved the harbour plan on Tuesday. "We will build it this year," Anna Berg said.

Karl Olsen, the opposition leader, told Radio Nord the plan was "too expensive for a small town."

"Nobody asked us," a resident said.

Berg said the work would start in May. "It will be worth the wait," she said.

## Original url:

https://example.com/harbour
"""

MILL_SEED = """## Old mill reopens

May 1, 2024

The mill reopened on Saturday. "It is a good day," Karl Olsen said.
"""

# The stand-in engine knows these names (and their surnames) and these outlets.
FAKE_PEOPLE = {"Anna Berg": "Mayor", "Karl Olsen": "opposition leader"}
FAKE_OUTLETS = ("Radio Nord",)
_QUOTE = re.compile(r"[\"“][^\"“”\n]+[\"”]")


def lexicon_copy(folder: Path) -> Path:
    """Copy the engine's lexicon files into folder/lexicon and return that folder."""
    copy = folder / "lexicon"
    copy.mkdir()
    for path in (PROJECT / "webapp" / "analysis" / "lexicon").glob("*.txt"):
        (copy / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return copy


def fake_analyze(text: str, *, headline: bool | None = None) -> Analysis:
    """Analyse text with fixed names: each quotation goes to the nearest name in its paragraph."""
    people: list[Person] = []
    for number, (name, role) in enumerate(FAKE_PEOPLE.items(), start=1):
        full = [Span(m.start(), m.end()) for m in re.finditer(rf"\b{re.escape(name)}\b", text)]
        surname = name.split()[-1]
        alone = [
            Span(m.start(), m.end())
            for m in re.finditer(rf"\b{re.escape(surname)}\b", text)
            if not any(f.start <= m.start() < f.end for f in full)
        ]
        spans = sorted(full + alone)
        if spans:
            people.append(Person(id=f"p{number}", name=name, role=role, mentions=spans))
    outlets = [
        Organization(
            id=f"o{n}",
            name=o,
            kind="outlet",
            mentions=[Span(m.start(), m.end()) for m in re.finditer(re.escape(o), text)],
        )
        for n, o in enumerate(FAKE_OUTLETS, start=1)
        if o in text
    ]
    quotes: list[Quote] = []
    for number, match in enumerate(_QUOTE.finditer(text), start=1):
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        end = len(text) if end == -1 else end
        names = [
            (abs(m.start - match.start()), p, m)
            for p in people
            for m in p.mentions
            if start <= m.start < end and not match.start() <= m.start < match.end()
        ]
        speaker = min(names, key=lambda item: item[0]) if names else None
        channel = next((o for o in outlets for m in o.mentions if start <= m.start < end), None)
        before = text[start : match.start()].rstrip()
        quotes.append(
            Quote(
                id=f"q{number}",
                start=match.start(),
                end=match.end(),
                text=match.group(),
                kind="partial" if before and before[-1].isalpha() else "direct",
                speaker=speaker[1].id if speaker else None,
                speaker_span=Span(speaker[2].start, speaker[2].end) if speaker else None,
                cue="said",
                channel=channel.id if channel else None,
            )
        )
    return Analysis(people=people, organizations=outlets, quotes=quotes)


def count(model: type) -> int:
    """Return the number of rows of a model (inside an app context)."""
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Return every row of every table, for comparing the database before and after."""
    return {
        table.name: [
            tuple(row)
            for row in db.session.execute(table.select().order_by(*table.primary_key.columns))
        ]
        for table in Base.metadata.sorted_tables
    }


def changes(
    before: dict[str, list[tuple[Any, ...]]], after: dict[str, list[tuple[Any, ...]]]
) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Return the rows added, removed and changed per table (by id), as column dicts."""
    found: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for table in Base.metadata.sorted_tables:
        names = [c.name for c in table.columns]
        old = {row[0]: row for row in before[table.name]}
        new = {row[0]: row for row in after[table.name]}
        diff = {
            "added": [dict(zip(names, new[k], strict=True)) for k in sorted(new.keys() - old)],
            "removed": [dict(zip(names, old[k], strict=True)) for k in sorted(old.keys() - new)],
            "changed": [
                dict(zip(names, new[k], strict=True))
                for k in sorted(new.keys() & old.keys())
                if new[k] != old[k]
            ],
        }
        if any(diff.values()):
            found[table.name] = diff
    return found


class Element:
    """One parsed element: its tag, attributes and content (text and child elements)."""

    def __init__(self, tag: str, attrs: dict[str, str], parent: Element | None) -> None:
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.content: list[str | Element] = []

    @property
    def children(self) -> list[Element]:
        """Return the child elements."""
        return [c for c in self.content if isinstance(c, Element)]

    @property
    def text(self) -> str:
        """Return all the text inside the element, squeezed."""
        return self.text_without()

    def text_without(self, *classes: str) -> str:
        """Return the text, leaving out descendants that have any of these classes."""
        pieces: list[str] = []

        def walk(element: Element) -> None:
            for item in element.content:
                if isinstance(item, str):
                    pieces.append(item)
                elif not any(item.has_class(c) for c in classes):
                    walk(item)

        walk(self)
        return " ".join("".join(pieces).split())

    def has_class(self, name: str) -> bool:
        """Return whether the element's class attribute holds name."""
        return name in self.attrs.get("class", "").split()

    def find_all(self, predicate: Callable[[Element], bool]) -> list[Element]:
        """Return the descendants matching predicate, in document order."""
        found = []
        for child in self.children:
            if predicate(child):
                found.append(child)
            found.extend(child.find_all(predicate))
        return found

    def ancestors(self) -> Iterator[Element]:
        """Yield the parent, its parent, and so on."""
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


_VOID = {"meta", "link", "br", "img", "input", "hr", "source", "area", "base", "col", "wbr"}


class Page(HTMLParser):
    """A small DOM from html.parser, enough to compare lists of facts about a page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.stack = [self.root]
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open an element."""
        element = Element(tag, {k: v or "" for k, v in attrs}, self.stack[-1])
        self.stack[-1].content.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        """Close the innermost open element with this tag."""
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        """Add text to the innermost open element."""
        self.stack[-1].content.append(data)

    def all(self, predicate: Callable[[Element], bool]) -> list[Element]:
        """Return every element matching predicate, in document order."""
        return self.root.find_all(predicate)

    def by_id(self, element_id: str) -> Element:
        """Return the element with this id (exactly one must exist)."""
        found = self.all(lambda e: e.attrs.get("id") == element_id)
        assert len(found) == 1, f"{len(found)} elements with id={element_id!r}"
        return found[0]


Parse = Callable[[str], Page]


def quotes_of(page: Page) -> list[Element]:
    """Return the first piece of every highlighted quotation, in reading order."""
    return page.all(lambda e: e.tag == "mark" and "id" in e.attrs)


OWNER_TOKEN = "owner-token-for-tests-0123456789"
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_token(html: str) -> str:
    """Return the CSRF token of the first form on a page."""
    found = _CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1) or found.group(2)


def sign_in(client: Any, token: str = OWNER_TOKEN) -> Any:
    """Sign a test client in as the owner through the form; return the response."""
    form = client.get("/signin").get_data(as_text=True)
    return client.post("/signin", data={"token": token, "csrf_token": csrf_token(form)})


NEWS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Lighthouse keepers return to Skerry Point | The Coast Courier</title>
<meta property="og:title" content="Lighthouse keepers return to Skerry Point">
<meta property="article:published_time" content="2024-03-14T08:00:00Z">
<link rel="canonical" href="/news/lighthouse-keepers">
</head><body>
<nav><a href="/">Home</a> <a href="/sport">Sport</a> <a href="/weather">Weather</a></nav>
<article>
<h1>Lighthouse keepers return to Skerry Point</h1>
<p>After forty years of automation, two keepers will live at the Skerry Point light again
from next month, the harbour trust announced on Thursday.</p>
<p>"The lamp runs itself, but the island does not," said Maren Holt, who chairs the trust.
"Somebody has to be there when the fog comes in."</p>
<p>Local fisherman Tomas Vik welcomed the decision. "We have missed the lights in the
windows," Vik said.</p>
<p>The keepers' cottage was restored last year with money from a regional heritage fund,
and the trust expects visitors to return in the summer.</p>
</article>
<footer>Copyright The Coast Courier. All rights reserved. Subscribe to our newsletter.</footer>
</body></html>
"""


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve app from a thread; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def correct(app: Flask, slug: str, words: str, speaker: Speaker | None = None) -> None:
    """Record the owner's correction of the first place words occur in an article's text:
    said by speaker, or (None) not a quotation; committed."""
    with app.app_context():
        article = article_for_correcting(slug)
        assert article is not None, slug
        start = article.text.index(words)
        action = "speaker" if speaker is not None else "not_speech"
        add_correction(article, start, start + len(words), action, speaker)
        db.session.commit()
