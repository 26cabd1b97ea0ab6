"""Links to the original articles: which URLs are emitted, and how their hosts are labelled."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

# Bidirectional controls and other invisible format characters (Unicode category Cf):
# "exa\u202emple.com" would show a host name other than the one the link goes to.
_INVISIBLE = "Cf"


def _has_invisible(text: str) -> bool:
    """Return True if text holds a format character such as a right-to-left override."""
    return any(unicodedata.category(c) == _INVISIBLE for c in text)


def safe_url(url: str | None) -> str | None:
    """Return url if it is an absolute http(s) URL without user info, else None."""
    if not url:
        return None
    url = url.strip()
    if any(c.isspace() or ord(c) < 32 or c in "\\\x7f" for c in url) or _has_invisible(url):
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:  # also "http://[::1/x": an unbalanced IPv6 host
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if "@" in parts.netloc:  # https://trusted.example@evil.example/ shows a false host
        return None
    return url


def url_label(url: str | None) -> str | None:
    """Return the host name of a URL without 'www.', for link labels.

    A host that mixes scripts ("pаypal.com" with a Cyrillic "а") is shown in its ASCII
    (punycode) form, so a look-alike never reads as the real name; format characters such
    as bidirectional overrides are never shown.
    """
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = "".join(c for c in host if unicodedata.category(c) != _INVISIBLE)
    if _mixes_scripts(host):
        host = ".".join(_ascii_label(label) for label in host.split("."))
    return host.removeprefix("www.")


def _script(char: str) -> str:
    """Return the script of a letter as its Unicode name begins: LATIN, CYRILLIC, ..."""
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else "UNKNOWN"


def _mixes_scripts(host: str) -> bool:
    """Return True when the letters of a host name come from more than one script."""
    return len({_script(c) for c in host if c.isalpha()}) > 1


def _ascii_label(label: str) -> str:
    """Return one label of a host name in its ASCII form ("xn--..." when it is not ASCII)."""
    if label.isascii():
        return label
    return "xn--" + label.encode("punycode").decode("ascii")
