"""Parse a seed file (the markdown-ish article format in seeds/) into a SeedArticle."""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal
from urllib.parse import urlsplit

MAX_SEED_BYTES = 2_000_000

PartKind = Literal["headline", "caption", "paragraph"]

_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%d %B %Y", "%Y-%m-%d")
_DATE_SHAPE = re.compile(
    r"^(?:[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4}|\d{1,2} [A-Z][a-z]{2,8} \d{4}|\d{4}-\d\d-\d\d)$"
)
_URL_HEADING = re.compile(r"^##\s*original\s+url\s*:?\s*(?P<url>\S.*)?$", re.IGNORECASE)
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$<>|~\"'])")
# Control characters other than tab and newline are noise in text, never content.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A sentence end inside a caption, followed by the photographer's credit.
_CREDIT_SPLIT = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=\S[^.!?]*$)")
_CREDIT_WORD = re.compile(
    r"^(?:[A-Z][\w'’.\-/]*:?|de|da|del|van|von|der|den|la|le|di|du|for|by|via|and|/|&)$"
)
# "Picture by Liam Dwyer", "Photo: Jane Doe": the words that only say it is a credit.
_CREDIT_LEAD = re.compile(
    r"^(?:(?:photo(?:graph)?|picture|image|credit)s?(?:\s+by|\s*:)|by)\s+", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"[.!?:;…\"”’)\]—]$")


class SeedError(ValueError):
    """A seed file that cannot be loaded: names the file, the line and why."""

    def __init__(self, name: str, line: int, why: str) -> None:
        super().__init__(f"{name}:{line}: {why}")
        self.name = name
        self.line = line
        self.why = why


@dataclass(frozen=True)
class Part:
    """Where the headline, the caption or one paragraph sits in the reading text."""

    kind: PartKind
    start: int
    end: int


@dataclass(frozen=True)
class SeedArticle:
    """One parsed article, plus the reading text that the analysis runs on."""

    name: str
    title: str
    published: date | None
    caption: str | None
    photo_credit: str | None
    paragraphs: tuple[str, ...]
    source_url: str | None
    warnings: tuple[str, ...]
    text: str
    parts: tuple[Part, ...]
    content_hash: str
    source_line: int | None = None  # the 1-based line of the source URL, for messages


@dataclass
class _Block:
    """Consecutive non-blank lines, with the line number they start on."""

    line: int
    text: str


def parse_seed(data: str | bytes, name: str) -> SeedArticle:
    """Parse a seed file's contents; raise SeedError naming the file and line on bad input."""
    raw = _encode(data, name) if isinstance(data, str) else data
    text = decode_seed(raw, name)
    lines = text.split("\n")
    warnings: list[str] = []

    index = _skip_blank(lines, 0)
    if index == len(lines):
        raise SeedError(name, 1, "file is empty")
    title_line = lines[index].strip()
    if not title_line.startswith("#"):
        raise SeedError(name, index + 1, "expected the title as '## Title'")
    title = _clean(title_line.lstrip("#"))
    if not title:
        raise SeedError(name, index + 1, "the title is empty")

    body_lines, url_at = _split_url_section(lines, index + 1)
    blocks = _blocks(body_lines, index + 1)
    published = None
    if blocks and _DATE_SHAPE.match(blocks[0].text):
        published = _parse_date(blocks[0].text)
        if published is None:
            warnings.append(f"{name}:{blocks[0].line}: date {blocks[0].text!r} is not a real date")
        blocks = blocks[1:]

    caption = credit = None
    # A lone block is the body, even when it ends in a name ("Jane said hello. Jane Doe").
    if len(blocks) > 1 and (split := _caption_and_credit(blocks[0].text)):
        caption, credit = split
        blocks = blocks[1:]
    paragraphs = _join_cut_paragraphs(blocks)
    if not paragraphs:
        raise SeedError(name, index + 1, "no paragraphs after the title")

    source_url = source_line = None
    if url_at is not None:
        source_url, source_line = _source_url(lines, url_at, name, warnings)

    reading, parts = _reading_text(title, caption, paragraphs)
    return SeedArticle(
        name=name,
        title=title,
        published=published,
        caption=caption,
        photo_credit=credit,
        paragraphs=tuple(paragraphs),
        source_url=source_url,
        warnings=tuple(warnings),
        text=reading,
        parts=tuple(parts),
        content_hash=hashlib.sha256(raw).hexdigest(),
        source_line=source_line,
    )


def _encode(data: str, name: str) -> bytes:
    """Encode text given as str, naming the line of a character UTF-8 cannot hold."""
    try:
        return data.encode("utf-8")
    except UnicodeEncodeError as err:
        line = _line_of(data[: err.start])
        raise SeedError(
            name, line, f"not valid text (character U+{ord(data[err.start]):04X})"
        ) from None


def _line_of(before: str | bytes) -> int:
    """Return the 1-based line number after this prefix, whatever the line endings."""
    if isinstance(before, bytes):
        before = before.decode("latin-1")
    return len(before.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def decode_seed(raw: bytes, name: str) -> str:
    """Decode a seed file (UTF-8, or UTF-16), refusing empty, oversized and binary files.

    Line endings become \\n and a byte-order mark is dropped.
    """
    if not raw.strip():
        raise SeedError(name, 1, "file is empty")
    if len(raw) > MAX_SEED_BYTES:
        raise SeedError(name, 1, f"file is {len(raw)} bytes, over the {MAX_SEED_BYTES} byte limit")
    encoding = _utf16(raw)
    if encoding is None and b"\x00" in raw:
        line = _line_of(raw[: raw.index(b"\x00")])
        raise SeedError(name, line, "binary file (NUL byte), not a text article")
    try:
        text = raw.decode(encoding or "utf-8")
    except UnicodeDecodeError as err:
        line = _line_of(raw[: err.start].decode(encoding or "latin-1", errors="replace"))
        why = f"not valid {'UTF-16' if encoding else 'UTF-8'} (byte 0x{raw[err.start]:02x})"
        raise SeedError(name, line, why) from None
    if "\x00" in text:
        line = _line_of(text[: text.index("\x00")])
        raise SeedError(name, line, "binary file (NUL character), not a text article")
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if len(_CONTROL.findall(text)) > max(8, len(text) // 100):
        raise SeedError(name, 1, "binary file (control characters), not a text article")
    return text


def _utf16(raw: bytes) -> str | None:
    """Return the UTF-16 codec a file is written in (by its byte-order mark or its NULs).

    Text editors on Windows save "Unicode" as UTF-16: with a mark, or, for mostly Latin
    text, with a NUL byte beside every letter, on the odd bytes (little-endian) or the even.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(raw) < 2 or len(raw) % 2:
        return None
    odd, even = raw[1::2].count(0), raw[0::2].count(0)
    half = len(raw) // 2
    if odd >= half * 0.9 and even < half * 0.1:
        return "utf-16-le"
    if even >= half * 0.9 and odd < half * 0.1:
        return "utf-16-be"
    return None


def _clean(line: str) -> str:
    """Unescape markdown escapes, drop control characters, squeeze spaces."""
    line = _MARKDOWN_ESCAPE.sub(r"\1", _CONTROL.sub("", line))
    return " ".join(line.split())


def _skip_blank(lines: list[str], index: int) -> int:
    """Return the index of the next non-blank line at or after index."""
    while index < len(lines) and not lines[index].strip():
        index += 1
    return index


def _split_url_section(lines: list[str], start: int) -> tuple[list[str], int | None]:
    """Return the body lines and the index of the '## Original url:' line, if any."""
    for index in range(start, len(lines)):
        if _URL_HEADING.match(lines[index].strip()):
            return lines[start:index], index
    return lines[start:], None


def _blocks(lines: list[str], first_line: int) -> list[_Block]:
    """Group non-blank lines into blocks; first_line is lines[0]'s 0-based file index."""
    blocks: list[_Block] = []
    current: list[str] = []
    for offset, line in enumerate([*lines, ""]):
        if line.strip():
            if not current:
                start = first_line + offset + 1
            current.append(line)
        elif current:
            text = _clean(" ".join(current))
            if text:
                blocks.append(_Block(start, text))
            current = []
    return blocks


def _parse_date(text: str) -> date | None:
    """Parse a date line in the common news formats, or return None."""
    cleaned = text.replace(".", "").replace("Sept ", "Sep ")
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    return None


def _caption_and_credit(text: str) -> tuple[str, str] | None:
    """Split 'Caption sentence. Photographer Name' into its two halves, if it is one."""
    if _SENTENCE_END.search(text):
        return None
    pieces = _CREDIT_SPLIT.split(text)
    if len(pieces) < 2:
        return None
    credit = pieces[-1].strip()
    words = credit.split()
    if not 1 <= len(words) <= 6 or not all(_CREDIT_WORD.match(w) for w in words):
        return None
    caption = text[: len(text) - len(pieces[-1])].strip()
    if not any(c.isupper() for c in credit):
        return None
    return caption, _CREDIT_LEAD.sub("", credit)


def _join_cut_paragraphs(blocks: list[_Block]) -> list[str]:
    """Join a paragraph cut mid-sentence by a stray blank line back to its other half."""
    paragraphs: list[str] = []
    for block in blocks:
        if paragraphs and not _SENTENCE_END.search(paragraphs[-1]) and block.text[0].islower():
            paragraphs[-1] = f"{paragraphs[-1]} {block.text}"
        else:
            paragraphs.append(block.text)
    return paragraphs


def _source_url(
    lines: list[str], heading_at: int, name: str, warnings: list[str]
) -> tuple[str | None, int]:
    """Return the http(s) URL after '## Original url:' (or None, with a warning) and its line."""
    inline = _URL_HEADING.match(lines[heading_at].strip())
    url_line = heading_at
    candidate = inline.group("url") if inline else None
    if not candidate:
        url_line = _skip_blank(lines, heading_at + 1)
        if url_line == len(lines):
            warnings.append(f"{name}:{heading_at + 1}: '## Original url:' has no URL after it")
            return None, heading_at + 1
        candidate = lines[url_line]
    url = _clean(candidate)
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[::1/x": a malformed link is dropped, the article kept
        parts = urlsplit("")
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in url:
        warnings.append(
            f"{name}:{url_line + 1}: source URL {url[:80]!r} dropped: only http(s) links are kept"
        )
        return None, url_line + 1
    return url, url_line + 1


def _reading_text(title: str, caption: str | None, paragraphs: list[str]) -> tuple[str, list[Part]]:
    """Join headline, caption and paragraphs with blank lines, recording each part's span."""
    pieces: list[tuple[PartKind, str]] = [("headline", title)]
    if caption:
        pieces.append(("caption", caption))
    pieces.extend(("paragraph", p) for p in paragraphs)
    parts: list[Part] = []
    position = 0
    for kind, piece in pieces:
        parts.append(Part(kind, position, position + len(piece)))
        position += len(piece) + 2
    return "\n\n".join(piece for _, piece in pieces), parts


def format_seed(
    title: str, paragraphs: list[str], published: date | None = None, url: str | None = None
) -> str:
    """Write an article given field by field (an import) in the seed format, so that it is
    stored, re-parsed by `reanalyze` and exported like any seed file.

    Text is escaped so that the parser gives back these words: a backslash or a leading
    '#' in the text never reads as markup.
    """
    lines = [f"## {_escape(title)}", ""]
    if published is not None:
        lines += [published.isoformat(), ""]
    for paragraph in paragraphs:
        lines += [_escape(paragraph), ""]
    if url:
        lines += [f"## Original URL: {url}", ""]
    return "\n".join(lines)


def _escape(text: str) -> str:
    """Return one line of text with its markdown escapes doubled and no leading '#'."""
    line = " ".join(_CONTROL.sub("", text).split()).replace("\\", "\\\\")
    return "\\" + line if line.startswith("#") else line
