"""Finding the article in a page: title, date, paragraphs, canonical address, site, encoding."""

from __future__ import annotations

import datetime
import socket
from typing import Any

import pytest

from webapp.extract import Extracted, ExtractError, decode_html, extract

URL = "https://courier.example/news/2024/03/14/ferry?utm_source=feed"
CANONICAL = "https://courier.example/news/2024/ferry-resumes"
TITLE = "Ferry service to Skerry Island resumes after storm repairs"
HEAD = f"""<meta charset="utf-8">
<title>{TITLE} | The Coastline Courier</title>
<meta property="og:site_name" content="The Coastline Courier">
<meta property="article:published_time" content="2024-03-14T08:30:00+00:00">
<link rel="canonical" href="{CANONICAL}">"""
NAV = """<header><nav><ul>
<li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>
<li><a href="/subscribe">Subscribe today for unlimited access to every story</a></li>
</ul></nav></header>"""
FOOTER = """<footer>
<p>Copyright 2019 The Coastline Courier. All rights reserved.</p>
<p><a href="/privacy">Privacy policy</a> | <a href="/cookies">Cookie settings</a>
| <a href="/contact">Contact the newsroom</a></p>
</footer>"""
# An invented story; its quotations are what Voices will look for.
BODY = (
    "The ferry linking Skerry Island to the mainland sailed again on Thursday morning, six"
    " weeks after a winter storm tore away part of the harbour pier.",
    '"We have rebuilt the landing stage stronger than it was before," said harbour master'
    ' Tobias Lind, who watched the first crossing from the quay. "The islanders have been'
    ' patient, and today they get their lifeline back."',
    "Repairs cost the county council about 1.2 million euros, according to a statement"
    " released on Wednesday evening.",
    "Island shopkeeper Ada Brennan said deliveries had been arriving by fishing boat since"
    ' February. "It kept us going, but you cannot bring a fridge across on a trawler," she'
    " said.",
    "The operator plans to run an extra evening crossing on Fridays until the end of April"
    " to clear the backlog of freight.",
)


def news_page(head: str = HEAD, paragraphs: tuple[str, ...] = BODY, headline: str = TITLE) -> str:
    """Return a news page: head, navigation, the article under its headline, a footer."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head>
{head}
</head><body>
{NAV}
<main><article>
<h1>{headline}</h1>
<p class="byline">By Maren Holt</p>
{body}
</article></main>
{FOOTER}
</body></html>"""


def test_finds_the_article_and_leaves_the_page_around_it() -> None:
    assert extract(news_page(), URL) == Extracted(
        title=TITLE,
        published=datetime.date(2024, 3, 14),
        paragraphs=BODY,  # no headline again, no menu, no footer
        canonical_url=CANONICAL,
        site="The Coastline Courier",
    )


def test_never_uses_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("extract used the network")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    first = extract(news_page(), URL)
    assert extract(news_page(), URL) == first  # and gives the same answer every time


@pytest.mark.parametrize(
    "page",
    [
        "",
        "<!doctype html><html><head><title>Sign in | Courier</title></head><body>"
        f"{NAV}<form><label>Email <input name=e></label><button>Sign in</button></form>"
        f"{FOOTER}</body></html>",
        news_page(paragraphs=("Pictures: the first crossing.",)),
    ],
    ids=["empty", "sign-in form", "one caption"],
)
def test_refuses_a_page_without_article_text(page: str) -> None:
    with pytest.raises(ExtractError, match=r"^no article text found on the page$"):
        extract(page, URL)


def test_refuses_a_page_without_title() -> None:
    head = HEAD.replace(f"<title>{TITLE} | The Coastline Courier</title>", "")
    page = news_page(head).replace(f"<h1>{TITLE}</h1>", "")
    with pytest.raises(ExtractError, match=r"^the page has no title$"):
        extract(page, URL)


def test_has_no_date_rather_than_a_guessed_one() -> None:
    head = HEAD.replace(
        '<meta property="article:published_time" content="2024-03-14T08:30:00+00:00">', ""
    ).replace(CANONICAL, "https://courier.example/news/ferry-resumes")
    # Only "Copyright 2019" in the footer looks like a date: it is not the article's.
    assert extract(news_page(head), "https://courier.example/ferry").published is None


@pytest.mark.parametrize(
    ("link", "canonical"),
    [
        ('<link rel="canonical" href="/news/ferry-resumes">', "https://courier.example/news/ferry-resumes"),
        ('<link rel="canonical" href="javascript:alert(1)">', URL),
        ('<link rel="canonical" href="ftp://courier.example/ferry">', URL),
        ('<link rel="Canonical Other" href="//courier.example/ferry">', "https://courier.example/ferry"),
        ('<link rel="canonical" href="https://user:pw@courier.example/ferry">', URL),
        ("", URL),
    ],
)  # fmt: skip
def test_canonical_address_is_http_or_the_fetched_one(link: str, canonical: str) -> None:
    head = HEAD.replace(f'<link rel="canonical" href="{CANONICAL}">', link)
    assert extract(news_page(head), URL).canonical_url == canonical


def test_strips_control_characters_and_collapses_spaces() -> None:
    paragraphs = (BODY[0].replace("Skerry Island", "Skerry\x00 Island\x1b[31m"), *BODY[1:])
    page = news_page(paragraphs=paragraphs, headline=f"Ferry\x07 service\t\tto {TITLE[17:]}")
    extracted = extract(page.replace("<title>Ferry", "<title>Ferry\x07"), URL)
    assert extracted.title == TITLE
    assert extracted.paragraphs[0] == BODY[0].replace("Skerry Island", "Skerry Island[31m")
    assert extracted.paragraphs[1:] == BODY[1:]


# --- bytes: decoded as a browser would ---

QUOTED = (
    "\u201cWe waited six weeks for this boat,\u201d said Ada Brennan, who keeps the island\u2019s"
    " only shop and has not had a proper delivery since the storm in February."
)


def windows_1252_page(head: str) -> bytes:
    """Return a news page with curly quotes, encoded in windows-1252."""
    return news_page(head, (*BODY, QUOTED)).encode("cp1252")


@pytest.mark.parametrize(
    ("head", "charset"),
    [
        (HEAD.replace('charset="utf-8"', 'charset="windows-1252"'), None),
        (
            HEAD.replace(
                '<meta charset="utf-8">',
                '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
            ),
            None,
        ),
        # Latin-1 as labelled by the server: browsers read it as windows-1252, and so do we.
        (HEAD.replace('<meta charset="utf-8">', ""), "iso-8859-1"),
        # The server's charset wins over the page's own.
        (HEAD, "windows-1252"),
        # No label at all, and not UTF-8: windows-1252.
        (HEAD.replace('<meta charset="utf-8">', ""), None),
    ],
    ids=["meta charset", "meta http-equiv", "http latin-1", "http over meta", "unlabelled"],
)
def test_decodes_windows_1252_bytes(head: str, charset: str | None) -> None:
    data = windows_1252_page(head)
    assert b"\x93We waited" in data  # a curly quote is one byte that is not UTF-8
    assert extract(data, URL, charset=charset).paragraphs[-1] == QUOTED


@pytest.mark.parametrize(
    ("data", "charset", "text"),
    [
        ("<p>caf\u00e9</p>".encode(), None, "<p>caf\u00e9</p>"),
        (b"\xef\xbb\xbf<p>caf\xc3\xa9</p>", "windows-1252", "<p>caf\u00e9</p>"),  # BOM wins
        ("<p>caf\u00e9</p>".encode("utf-16"), None, "<p>caf\u00e9</p>"),
        (b"<meta charset=koi8-r>\xcd\xcf\xd2\xc5", None, "<meta charset=koi8-r>море"),
        (b"<meta charset=utf-16><p>caf\xc3\xa9</p>", None, "<meta charset=utf-16><p>caf\u00e9</p>"),
        (b"<p>caf\xc3\xa9</p>", "no-such-charset", "<p>caf\u00e9</p>"),
        (b"<p>caf\xc3\xa9</p>", "base64", "<p>caf\u00e9</p>"),
        (b"<p>caf\xe9</p>", None, "<p>caf\u00e9</p>"),
    ],
    ids=["utf-8", "bom", "utf-16 bom", "meta koi8-r", "meta utf-16", "unknown", "base64", "latin"],
)  # fmt: skip
def test_decode_html(data: bytes, charset: str | None, text: str) -> None:
    assert decode_html(data, charset) == text
