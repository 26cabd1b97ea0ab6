"""Slugs for addresses and markup hooks: lowercase words of any script joined by hyphens."""

from __future__ import annotations

import hashlib
import re
import unicodedata

SLUG_MAX = 80
# The articles.slug and people.slug columns hold this many characters.
SLUG_COLUMN = 120
_KEPT = ("L", "N", "M")  # letters, digits and the marks that belong to them, in any script
_ASCII_SLUG = re.compile(r"[A-Za-z0-9-]+")  # the same test for ASCII, without a loop


def slugify(value: str, max_length: int = SLUG_MAX) -> str:
    """Return a slug of value: 'Café Noir!' -> 'cafe-noir', 'Москва' -> 'москва'."""
    pieces: list[str] = []
    previous = ""
    for char in unicodedata.normalize("NFKD", value):
        # Accents on Latin letters go (café -> cafe); marks of other scripts are kept.
        if unicodedata.category(char) == "Mn" and previous.isascii() and previous.isalpha():
            continue
        pieces.append(char)
        previous = char
    text = unicodedata.normalize("NFC", "".join(pieces)).lower()
    words: list[str] = []
    current: list[str] = []
    for char in text:
        if unicodedata.category(char)[0] in _KEPT:
            current.append(char)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return "-".join(words)[:max_length].strip("-")


def is_slug(value: str, max_length: int = SLUG_COLUMN) -> bool:
    """Return whether value has the shape of a slug (so it is worth looking up)."""
    if not value or len(value) > max_length or value.startswith("-") or value.endswith("-"):
        return False
    if value.isascii():  # most addresses: checked on every request, so checked fast
        return _ASCII_SLUG.fullmatch(value) is not None
    return all(c == "-" or unicodedata.category(c)[0] in _KEPT for c in value)


def name_hash(name: str) -> str:
    """Return a short, stable hash of a name, to tell apart names with the same slug."""
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]


def person_slug_candidates(name: str) -> list[str]:
    """Return the slugs a person of this name may get, in order of preference."""
    base = slugify(name)
    if not base:
        return [f"person-{name_hash(name)}"]
    return [base, f"{base}-{name_hash(name)}"]
