"""Links to the original articles: safe_url and url_label."""

from __future__ import annotations

import pytest

from webapp.links import safe_url, url_label


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/a?b=1", "https://example.com/a?b=1"),
        ("http://example.com", "http://example.com"),
        ("  https://example.com/x ", "https://example.com/x"),
        ("https://example.com:8443/x", "https://example.com:8443/x"),
        ("javascript:alert(1)", None),
        ("http://[::1/x", None),
        ("JavaScript:alert(1)", None),
        ("data:text/html,hi", None),
        ("//example.com/x", None),
        ("ftp://example.com", None),
        ("https:///nohost", None),
        ("https://www.themoscowtimes.com@evil.example/", None),
        ("https://user:pass@example.com/", None),
        ("https://evil.example\\@example.com/", None),
        ("https://example.com:bad/", None),
        ("https://exa mple.com/", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_url_keeps_only_plain_http_and_https(url: str | None, expected: str | None) -> None:
    assert safe_url(url) == expected


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("https://www.themoscowtimes.com/2011/06/09/x", "themoscowtimes.com"),
        ("https://Example.COM:8443/path", "example.com"),
        ("http://news.example.org", "news.example.org"),
        (None, None),
    ],
)
def test_the_link_label_is_the_host_name(url: str | None, label: str | None) -> None:
    assert url_label(url) == label


@pytest.mark.parametrize(
    "url",
    [
        "https://exa\u202emple.com/a",  # a right-to-left override in the host
        "https://example.com/\u2066x",  # a directional isolate in the path
        "https://exam\u200bple.com/",  # a zero-width space
    ],
)
def test_invisible_format_characters_make_a_url_unsafe(url: str) -> None:
    """A URL that would show one thing and go to another is never emitted."""
    assert safe_url(url) is None


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("https://p\u0430ypal.com/login", "xn--pypal-4ve.com"),  # Cyrillic а among Latin
        ("https://пример.рф/", "пример.рф"),  # one script: shown as written
        ("https://www.bücher.de/", "bücher.de"),  # Latin with a diacritic: one script
        ("https://exa\u202emple.com/a", "example.com"),  # a control is never shown
    ],
)
def test_a_host_that_mixes_scripts_is_labelled_in_ascii(url: str, label: str) -> None:
    """Look-alike host names show their punycode form; bidi controls never show."""
    assert url_label(url) == label
