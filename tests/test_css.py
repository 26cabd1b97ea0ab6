"""The stylesheet's colours: eight speaker colours that differ, each with enough contrast."""

from __future__ import annotations

import itertools
import math
import re

import pytest
from helpers import PROJECT

CSS = (PROJECT / "static" / "reader.css").read_text(encoding="utf-8")
PALETTE = [f"--c{n}" for n in range(1, 9)]


def block(opening: str) -> dict[str, str]:
    """Return the custom properties set in the rule that starts with opening."""
    start = CSS.index(opening) + len(opening)
    body = CSS[start : CSS.index("}", start)]
    return dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{6})", body))


LIGHT = block(":root {")
DARK = block(':root[data-theme="dark"] {')
THEMES = {
    "light": LIGHT,
    "sepia": {**LIGHT, **block(':root[data-theme="sepia"] {')},
    "dark": {**LIGHT, **DARK},
}


def channels(colour: str) -> list[float]:
    """Return the linear-light sRGB channels of '#rrggbb'."""
    values = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in values]


def contrast(first: str, second: str) -> float:
    """Return the WCAG 2 contrast ratio of two colours."""

    def luminance(colour: str) -> float:
        r, g, b = channels(colour)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def lab(colour: str) -> tuple[float, float, float]:
    """Return CIE L*a*b* (D65) of a colour."""
    r, g, b = channels(colour)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def delta_e(first: str, second: str) -> float:
    """Return the CIEDE2000 colour difference of two '#rrggbb' colours."""
    return delta_e_lab(lab(first), lab(second))


def delta_e_lab(first: tuple[float, float, float], second: tuple[float, float, float]) -> float:
    """Return the CIEDE2000 difference of two L*a*b* colours (about 2 is just noticeable)."""
    (l1, a1, b1), (l2, a2, b2) = first, second
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1, a2 = a1 * (1 + g), a2 * (1 + g)
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1, h2 = math.degrees(math.atan2(b1, a1)) % 360, math.degrees(math.atan2(b2, a2)) % 360
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    d_l, d_c = l2 - l1, c2 - c1
    d_h = 2 * math.sqrt(c1 * c2) * math.sin(math.radians(dh / 2))
    l_mean, c_mean = (l1 + l2) / 2, (c1 + c2) / 2
    if c1 * c2 == 0:
        h_mean = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_mean = (h1 + h2) / 2
    else:
        h_mean = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(h_mean - 30))
        + 0.24 * math.cos(math.radians(2 * h_mean))
        + 0.32 * math.cos(math.radians(3 * h_mean + 6))
        - 0.20 * math.cos(math.radians(4 * h_mean - 63))
    )
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c, s_h = 1 + 0.045 * c_mean, 1 + 0.015 * c_mean * t
    r_c = 2 * math.sqrt(c_mean**7 / (c_mean**7 + 25**7))
    r_t = -math.sin(math.radians(60 * math.exp(-(((h_mean - 275) / 25) ** 2)))) * r_c
    return math.sqrt(
        (d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_h / s_h) ** 2 + r_t * (d_c / s_c) * (d_h / s_h)
    )


def test_the_system_dark_theme_is_the_dark_theme() -> None:
    assert block(":root:not([data-theme]) {") == DARK


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [  # test pairs 1, 7, 17 and 25 of Sharma, Wu and Dalal (2005)
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ],
)
def test_colour_difference_matches_published_values(
    first: tuple[float, float, float], second: tuple[float, float, float], expected: float
) -> None:
    assert delta_e_lab(first, second) == pytest.approx(expected, abs=1e-4)


def test_the_old_palette_would_fail() -> None:
    assert delta_e("#0072b2", "#2a7aab") < 5  # blue and darkened sky blue, as before


@pytest.mark.parametrize("theme", THEMES)
def test_every_speaker_colour_stands_out_from_the_page_and_the_panel(theme: str) -> None:
    colours = THEMES[theme]
    for name in [*PALETTE, "--c-extra", "--c-none"]:
        for background in ("--bg", "--panel-bg", "--raised"):
            ratio = contrast(colours[name], colours[background])
            assert ratio >= 3, (theme, name, background, round(ratio, 2))
        # Initials on a filled badge are text: 4.5:1.
        assert contrast(colours[name], colours["--badge-fg"]) >= 4.5, (theme, name)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_no_two_speaker_colours_look_alike(theme: str) -> None:
    colours = THEMES[theme]
    pairs = {(a, b): delta_e(colours[a], colours[b]) for a, b in itertools.combinations(PALETTE, 2)}
    closest = min(pairs, key=pairs.__getitem__)
    assert pairs[closest] >= 15, (theme, closest, round(pairs[closest], 1))
