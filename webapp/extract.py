"""Find the article in a web page: its title, date, paragraphs, canonical address and site.

trafilatura does the finding; this module decodes the bytes the way a browser would,
cleans what comes back into plain paragraphs, and says plainly when there is no article.
It never touches the network: the page is passed in, already fetched.
"""

from __future__ import annotations

import codecs
import datetime
import re
from dataclasses import dataclass
from urllib.parse import urljoin

import trafilatura

from webapp.links import safe_url

# Browsers look for <meta charset> in the first 1024 bytes; pages with a long comment or
# script first put it later, and a larger window costs nothing.
META_WINDOW = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:+-]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Browsers (WHATWG Encoding) read these labels as windows-1252, whose extra letters
# (’ “ ” € …) pages labelled Latin-1 use all the time.
_AS_WINDOWS_1252 = frozenset({"ascii", "latin-1", "iso8859-1"})
# <link rel="canonical" href>, whatever the case and other words in rel.
_CANONICAL_XPATH = (
    "//link[contains(concat(' ', normalize-space(translate(@rel, 'CANONICAL', 'canonical')),"
    " ' '), ' canonical ')]/@href"
)
# A page of menu entries and buttons has no article, even when trafilatura's recall
# fallback returns them as text: an article has sentence-sized paragraphs, this many words.
MIN_SENTENCE_WORDS = 8
MIN_ARTICLE_WORDS = 30
# Control characters other than the whitespace that splits lines and words.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class ExtractError(ValueError):
    """A page with no article to import, with a message the reader can act on."""


@dataclass(frozen=True)
class Extracted:
    """The article found in a page."""

    title: str
    published: datetime.date | None
    paragraphs: tuple[str, ...]
    canonical_url: str | None
    site: str | None


def extract(html: str | bytes, url: str, *, charset: str | None = None) -> Extracted:
    """Return the article in html, fetched from url, or raise ExtractError.

    Bytes are decoded as a browser would: a byte-order mark first, then charset (the
    encoding the server named, e.g. Fetched.charset), then the page's <meta charset>,
    then UTF-8 if the bytes are valid UTF-8, else windows-1252.
    """
    text = html if isinstance(html, str) else decode_html(html, charset)
    tree = trafilatura.load_html(_CONTROL.sub("", text))
    if tree is None:  # empty, or not a page at all
        raise ExtractError("no article text found on the page")
    # Read here because trafilatura drops a relative canonical link ("/news/story").
    links = tree.xpath(_CANONICAL_XPATH)
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        output_format="python",
        include_comments=False,  # readers' comments are not the article
        include_tables=False,
        include_images=False,
        include_links=False,
        include_formatting=False,
        deduplicate=False,  # a cache across calls would make the result depend on history
        # No guessing from free text ("Copyright 2024" becomes 1 January): a wrong date is
        # worse than none. Markup, JSON-LD and the URL are still read.
        date_extraction_params={
            "original_date": True,
            "extensive_search": False,
            "max_date": datetime.date.today().isoformat(),
        },
    )
    if document is None or isinstance(document, dict):
        raise ExtractError("no article text found on the page")
    title = _clean(document.title or "")
    paragraphs = [p for p in map(_clean, (document.text or "").splitlines()) if p]
    # trafilatura keeps the headline as the first line of text; the title already has it.
    while paragraphs and title and paragraphs[0].casefold() == title.casefold():
        paragraphs.pop(0)
    word_counts = (len(p.split()) for p in paragraphs)
    if sum(n for n in word_counts if n >= MIN_SENTENCE_WORDS) < MIN_ARTICLE_WORDS:
        raise ExtractError("no article text found on the page")
    if not title:
        raise ExtractError("the page has no title")
    candidates = [*links[:1], document.url or ""]
    canonical = next((u for c in candidates if c and (u := safe_url(urljoin(url, c)))), None)
    return Extracted(
        title=title,
        published=_date(document.date),
        paragraphs=tuple(paragraphs),
        canonical_url=canonical or safe_url(url),
        site=_clean(document.sitename or "") or None,
    )


def decode_html(data: bytes, charset: str | None = None) -> str:
    """Decode an HTML page's bytes, taking the encoding from where a browser would."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    encoding = _codec(charset)
    if encoding is None and (found := _META_CHARSET.search(data[:META_WINDOW])):
        encoding = _codec(found[1].decode("ascii"))
        # A page cannot announce UTF-16 from inside itself in ASCII letters: browsers
        # take such a <meta> to mean UTF-8.
        if encoding is not None and encoding.startswith("utf-16"):
            encoding = "utf-8"
    if encoding is None:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            encoding = "cp1252"
    return data.decode(encoding, errors="replace")


def _codec(label: str | None) -> str | None:
    """Return Python's name for an encoding label, or None if it names no text codec."""
    if not label:
        return None
    try:
        # bytes.decode refuses codecs that are not charsets, such as "base64".
        b"a".decode(label.strip(), errors="ignore")
        name = codecs.lookup(label.strip()).name
    except LookupError:
        return None
    return "cp1252" if name in _AS_WINDOWS_1252 else name


def _clean(text: str) -> str:
    """Collapse whitespace to single spaces and drop control characters."""
    return _CONTROL.sub("", " ".join(text.split()))


def _date(value: str | None) -> datetime.date | None:
    """Return trafilatura's YYYY-MM-DD date as a date, or None."""
    try:
        return datetime.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
