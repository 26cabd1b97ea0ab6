"""The pages in Debian's chromium through Playwright: the reading page (choosing a person,
keys, looks), the library's cards, adding an article and finding it, narrow screens."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from helpers import OWNER_TOKEN, SEED_SLUG, serving
from playwright.sync_api import sync_playwright

pytestmark = pytest.mark.browser
# Where the screenshots go (the README says so): VOICES_SHOTS, or /tmp/voices-shots.
SHOTS = Path(os.environ.get("VOICES_SHOTS") or "/tmp/voices-shots")
SERDYUKOV = "anatoly-serdyukov"
CLEAR = "rgba(0, 0, 0, 0)"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def live_server(make_app: Callable[..., Flask], real_seed: Path) -> Iterator[str]:
    """Serve the app (seed loaded on first start) from a thread; yield its base URL."""
    with serving(make_app()) as url:
        yield url


@pytest.fixture
def owner_server(make_app: Callable[..., Flask], real_seed: Path) -> Iterator[str]:
    """Serve the app with an owner token, so that articles can be added; yield its URL."""
    app = make_app(ADMIN_TOKEN=OWNER_TOKEN, FETCH_ALLOW_NETWORKS=["127.0.0.1/32"])
    with serving(app) as url:
        yield url


@pytest.fixture
def browser() -> Iterator[Any]:
    """Launch Debian's chromium (never a downloaded one)."""
    executable = shutil.which("chromium")
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is required in CI (apt-get install chromium)")
        pytest.skip("chromium is not installed")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def open_settings(page: Any) -> None:
    """Open the reading settings (text size, font, line width, theme) if they are closed."""
    if not page.evaluate("document.getElementById('settings').open"):
        page.locator("#settings summary").click()


def pick_theme(page: Any, theme: str) -> None:
    """Choose a theme in the reading settings."""
    open_settings(page)
    page.select_option("#theme-select", theme)


def emphasised(page: Any) -> list[tuple[str, bool, str]]:
    """Return (speaker, has is-active, background colour) for each quotation's first piece."""
    return page.eval_on_selector_all(
        "mark.quote[id]",
        """marks => marks.map(m => [
            m.dataset.speaker, m.classList.contains('is-active'),
            getComputedStyle(m).backgroundColor])""",
    )


def test_choosing_a_person_emphasises_only_their_quotations(live_server: str, browser: Any) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    # Reduced motion turns off the colour transitions, so computed styles are final.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server}/articles/{SEED_SLUG}")
    page.screenshot(path=str(SHOTS / "desktop.png"), full_page=True)

    before = emphasised(page)
    assert len(before) == 11
    assert not any(active for _, active, _ in before)
    assert all(bg != "rgba(0, 0, 0, 0)" for _, _, bg in before)  # all tinted at first

    button = page.locator(f'#people [data-person="{SERDYUKOV}"] button')
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    after = emphasised(page)
    assert [s for s, active, _ in after if active] == [SERDYUKOV] * 5
    assert all(active == (s == SERDYUKOV) for s, active, _ in after)
    assert all((bg == "rgba(0, 0, 0, 0)") == (s != SERDYUKOV) for s, _, bg in after)
    # Dimmed quotations keep the body text colour.
    colours = page.eval_on_selector_all(
        "mark.quote[id]", "ms => ms.map(m => getComputedStyle(m).color)"
    )
    assert len(set(colours)) == 1
    mentions = page.eval_on_selector_all(
        ".mention.is-active", "ms => ms.map(m => m.dataset.person)"
    )
    assert mentions and set(mentions) == {SERDYUKOV}
    status = page.locator("#selection-status").inner_text()
    assert status.startswith("Anatoly Serdyukov: 5 quotations")
    page.screenshot(path=str(SHOTS / "desktop-selected.png"), full_page=True)

    page.keyboard.press("Escape")
    assert not any(active for _, active, _ in emphasised(page))
    assert button.get_attribute("aria-pressed") == "false"
    assert page.locator("#selection-status").inner_text() == ""

    # Choosing another person moves the emphasis; choosing them again clears it.
    other = page.locator('#people [data-person="araz-azimov"] button')
    other.click()
    assert [s for s, a, _ in emphasised(page) if a] == ["araz-azimov"] * 3
    other.click()
    assert not any(a for _, a, _ in emphasised(page))
    assert errors == []
    context.close()


def chosen(page: Any) -> tuple[str, list[str], list[str], str]:
    """Return the address's query, the pressed people, the speakers of the active
    quotations and the status, as the page shows them."""
    return page.evaluate(
        """() => [
            location.search,
            [...document.querySelectorAll('#people button[aria-pressed="true"]')]
                .map(b => b.closest('[data-person]').dataset.person),
            [...new Set([...document.querySelectorAll('mark.quote.is-active')]
                .map(m => m.dataset.speaker))],
            document.getElementById('selection-status').textContent,
        ]"""
    )


def test_the_choice_is_in_the_address_back_undoes_it_and_a_reload_keeps_it(
    live_server: str, browser: Any
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    url = f"{live_server}/articles/{SEED_SLUG}"
    page.goto(url)
    assert chosen(page) == ["", [], [], ""]
    page.locator(f'#people [data-person="{SERDYUKOV}"] button').click()
    serdyukov = [
        f"?speaker={SERDYUKOV}",
        [SERDYUKOV],
        [SERDYUKOV],
        page.locator("#selection-status").inner_text(),
    ]
    assert serdyukov[3].startswith("Anatoly Serdyukov: 5 quotations")
    assert chosen(page) == serdyukov
    page.keyboard.press("]")  # the next speaker: another entry in the history
    assert chosen(page)[:3] == ["?speaker=araz-azimov", ["araz-azimov"], ["araz-azimov"]]
    page.go_back()
    assert chosen(page) == serdyukov
    page.go_back()
    assert chosen(page) == ["", [], [], ""]
    assert page.url == url
    page.go_forward()
    assert chosen(page) == serdyukov
    page.reload()
    assert chosen(page) == serdyukov
    assert page.locator("#clear-selection").is_visible()
    page.locator("#clear-selection").click()  # clears in place, in the history too
    assert chosen(page) == ["", [], [], ""]
    page.go_back()
    assert chosen(page) == serdyukov

    # A shared link opens with the choice; an unknown person is dropped from the address.
    shared = context.new_page()
    shared.goto(f"{url}?speaker=araz-azimov")
    assert chosen(shared)[1:3] == [["araz-azimov"], ["araz-azimov"]]
    shared.goto(f"{url}?speaker=nobody-at-all#q2")
    assert chosen(shared) == ["", [], [], ""]
    assert shared.url == f"{url}#q2"
    assert errors == []
    context.close()


def test_a_shared_choice_shows_without_javascript(live_server: str, browser: Any) -> None:
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}, reduced_motion="reduce"
    )
    page = context.new_page()
    url = f"{live_server}/articles/{SEED_SLUG}"
    page.goto(f"{url}?speaker={SERDYUKOV}")
    marks = emphasised(page)
    assert [s for s, active, _ in marks if active] == [SERDYUKOV] * 5
    assert all((bg == "rgba(0, 0, 0, 0)") == (s != SERDYUKOV) for s, _, bg in marks)
    status = page.locator("#selection-status")
    assert status.is_visible()
    assert status.inner_text().startswith("Anatoly Serdyukov: 5 quotations")
    pressed = page.locator('#people button[aria-pressed="true"]')
    assert pressed.count() == 1
    page.screenshot(path=str(SHOTS / "desktop-nojs-chosen.png"))
    page.locator("#clear-selection").click()  # a link to the page without the choice
    page.wait_for_url(url)
    assert not any(active for _, active, _ in emphasised(page))
    assert not page.locator("#selection-status").is_visible()
    context.close()


SELECTED_TEXT = """selector => [...document.querySelectorAll(selector)].map(element => {
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    const text = selection.toString();
    selection.removeAllRanges();
    return text;
})"""


def test_copying_gives_the_articles_own_words(live_server: str, browser: Any) -> None:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        permissions=["clipboard-read", "clipboard-write"],
    )
    page = context.new_page()
    page.goto(f"{live_server}/articles/{SEED_SLUG}")
    stored = page.request.get(f"{live_server}/api/articles/{SEED_SLUG}").json()
    words = {
        kind: [stored["text"][p["start"] : p["end"]] for p in stored["parts"] if p["kind"] == kind]
        for kind in ("headline", "caption", "paragraph")
    }
    assert len(words["paragraph"]) > 5
    expected = words["headline"] + words["caption"] + words["paragraph"]
    selectors = "#headline, .caption-text, .article-body p"

    def copied() -> list[str]:
        return [" ".join(t.split()) for t in page.evaluate(SELECTED_TEXT, selectors)]

    normal = [" ".join(t.split()) for t in expected]
    assert copied() == normal
    # With a tooltip showing, with a person chosen, in print and without any styles.
    page.locator("#q1").focus()
    assert page.locator("#tip-q1").is_visible()
    assert copied() == normal
    page.locator(f'#people [data-person="{SERDYUKOV}"] button').click()
    assert copied() == normal
    page.emulate_media(media="print")
    assert copied() == normal
    page.emulate_media(media="screen")
    page.evaluate("[...document.styleSheets].forEach(s => { s.disabled = true; })")
    assert copied() == normal
    page.reload()

    # What Ctrl+C puts on the clipboard, for the paragraph of the first quotation.
    page.evaluate(
        """() => {
            const range = document.createRange();
            range.selectNodeContents(document.getElementById('q1').closest('p'));
            getSelection().removeAllRanges();
            getSelection().addRange(range);
        }"""
    )
    page.keyboard.press("Control+c")
    clipboard = page.evaluate("navigator.clipboard.readText()")
    first = next(w for w in words["paragraph"] if stored["quotes"][0]["text"] in w)
    assert " ".join(clipboard.split()) == " ".join(first.split())
    context.close()


def boxes(page: Any, qid: str) -> dict[str, Any]:
    """Return the window's size and the boxes of a quotation's first line and tooltip."""
    return page.evaluate(
        """qid => {
            const mark = document.getElementById(qid);
            const tip = mark.querySelector(':scope > .tip');
            return {
                width: document.documentElement.clientWidth,
                height: innerHeight,
                mark: mark.getClientRects()[0].toJSON(),
                tip: tip.getBoundingClientRect().toJSON(),
                outline: getComputedStyle(mark).outlineStyle,
            };
        }""",
        qid,
    )


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (360, 740)])
def test_a_link_to_a_quotation_lands_with_context_and_its_tooltip_in_view(
    live_server: str, browser: Any, width: int, height: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    for qid in ("q6", "q1", "q11"):
        page.goto(f"{live_server}/articles/{SEED_SLUG}#{qid}")
        page.wait_for_load_state("load")
        page.wait_for_timeout(100)  # the tooltip is placed on the next frame
        found = boxes(page, qid)
        mark, tip = found["mark"], found["tip"]
        assert found["outline"] == "solid"  # outlined, in view with lines above it
        assert mark["top"] >= min(100, height * 0.2), (qid, mark)
        assert mark["bottom"] <= height
        assert page.locator(f"#tip-{qid}").is_visible()
        assert tip["top"] >= 0 and tip["bottom"] <= height, (qid, tip)
        assert tip["left"] >= 0 and tip["right"] <= found["width"], (qid, tip)
        # The tooltip does not cover its quotation's first line.
        assert tip["bottom"] <= mark["top"] or tip["top"] >= mark["bottom"]
        page.screenshot(path=str(SHOTS / f"permalink-{qid}-{width}.png"))
    # Pointing at another quotation shows its tooltip alone.
    page.goto(f"{live_server}/articles/{SEED_SLUG}#q6")
    page.locator("#q7").hover()
    assert page.locator("#tip-q7").is_visible()
    assert not page.locator("#tip-q6").is_visible()
    context.close()


def test_copy_link_puts_the_quotations_link_on_the_clipboard(
    live_server: str, browser: Any
) -> None:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        permissions=["clipboard-read", "clipboard-write"],
    )
    page = context.new_page()
    url = f"{live_server}/articles/{SEED_SLUG}"
    page.goto(url)
    page.locator("#q6").focus()
    page.keyboard.press("Tab")  # into the tooltip, which stays open: Show who, then Copy link
    assert page.evaluate("document.activeElement.className") == "tip-action tip-who"
    page.keyboard.press("Tab")
    button = page.locator("#q6 .tip-copy")
    assert page.evaluate("document.activeElement.className") == "tip-action tip-copy"
    assert button.is_visible()
    name = button.get_attribute("aria-label")
    assert name == "Copy link to quotation 6" and button.inner_text() in name
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('announcer').textContent !== ''")
    assert page.locator("#announcer").inner_text() == "Link to quotation 6 copied."
    assert page.evaluate("navigator.clipboard.readText()") == f"{url}#q6"
    assert page.locator("#q6 .tip-done").is_visible()
    # Esc from the button: focus back on the quotation, tooltip hidden.
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.id") == "q6"
    assert not page.locator("#tip-q6").is_visible()

    # Without the Clipboard API the copy command does it, with a person chosen.
    plain = context.new_page()
    plain.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    plain.goto(f"{url}?speaker={SERDYUKOV}")
    plain.locator("#q3").hover()
    plain.locator("#q3 .tip-copy").click()
    plain.wait_for_function("() => document.getElementById('announcer').textContent !== ''")
    assert page.evaluate("navigator.clipboard.readText()") == f"{url}?speaker={SERDYUKOV}#q3"
    context.close()


def decorations(page: Any) -> dict[str, set[str]]:
    """Return the underline of the mentions, by person."""
    found: dict[str, set[str]] = {}
    for person, line in page.eval_on_selector_all(
        ".mention", "ms => ms.map(m => [m.dataset.person, getComputedStyle(m).textDecorationLine])"
    ):
        found.setdefault(person, set()).add(line)
    return found


def test_calm_text_one_legend_one_badge_shape(live_server: str, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    page.goto(f"{live_server}/articles/{SEED_SLUG}")
    lines = decorations(page)
    assert set(lines) >= {SERDYUKOV, "araz-azimov"}
    assert all(found == {"none"} for found in lines.values())  # quiet until chosen
    assert not page.locator(".legend").is_visible()  # the panel beside is the legend
    page.locator(f'#people [data-person="{SERDYUKOV}"] button').click()
    lines = decorations(page)
    assert lines.pop(SERDYUKOV) == {"underline"}
    assert all(found == {"none"} for found in lines.values())
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.locator(".legend").is_visible()  # the panel is far below on a phone
    radii = page.eval_on_selector_all(
        "mark.quote .badge, #people .badge, .legend .swatch",
        "bs => bs.map(b => getComputedStyle(b).borderRadius)",
    )
    assert len(radii) > 10 and len(set(radii)) == 1, set(radii)
    context.close()


def quotation_looks(page: Any) -> list[tuple[str, str, str, bool]]:
    """Return each quotation's speaker, background, underline colour and badge shown."""
    return page.eval_on_selector_all(
        "mark.quote[id]",
        """ms => ms.map(m => [m.dataset.speaker, getComputedStyle(m).backgroundColor,
            getComputedStyle(m).borderBottomColor,
            m.querySelector('.badge').getClientRects().length > 0])""",
    )


def test_the_highlighting_switch_turns_it_off_and_is_remembered(
    live_server: str, browser: Any
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    url = f"{live_server}/articles/{SEED_SLUG}"
    page.goto(url)
    switch = page.get_by_role("switch", name="Highlighting")
    assert switch.get_attribute("aria-checked") == "true"
    assert all(bg != CLEAR and badge for _, bg, _, badge in quotation_looks(page))
    switch.click()
    assert switch.get_attribute("aria-checked") == "false"
    looks = quotation_looks(page)
    assert all(bg == CLEAR and line == CLEAR and not badge for _, bg, line, badge in looks)
    page.screenshot(path=str(SHOTS / "desktop-highlighting-off.png"))
    # A chosen person still shows.
    page.locator(f'#people [data-person="{SERDYUKOV}"] button').click()
    looks = quotation_looks(page)
    assert all((bg != CLEAR) == (s == SERDYUKOV) for s, bg, _, _ in looks)
    # Remembered, and applied before reader.js runs (theme.js, in the head): no flash.
    context.route(
        "**/static/reader.js*", lambda r: r.fulfill(body="", content_type="text/javascript")
    )
    page.goto(url)
    assert page.evaluate("document.documentElement.dataset.highlight") == "off"
    assert all(bg == CLEAR and not badge for _, bg, _, badge in quotation_looks(page))
    assert (
        page.locator(".switch-track").evaluate("t => getComputedStyle(t).backgroundColor") == CLEAR
    )
    context.unroute("**/static/reader.js*")
    page.goto(url)
    switch.click()
    assert switch.get_attribute("aria-checked") == "true"
    page.reload()
    assert page.evaluate("document.documentElement.dataset.highlight") is None
    assert all(bg != CLEAR for _, bg, _, _ in quotation_looks(page))
    context.close()


def test_keyboard_tooltips_and_settings(live_server: str, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server}/articles/{SEED_SLUG}")
    page.locator("body").click(position={"x": 5, "y": 5})

    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.dataset.quote") == "q1"
    tip = page.locator("#tip-q1")
    assert tip.is_visible()
    assert tip.inner_text().startswith("Anders Fogh Rasmussen")
    page.screenshot(path=str(SHOTS / "desktop-tooltip.png"))
    page.keyboard.press("Escape")
    assert not tip.is_visible()
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.dataset.quote") == "q2"
    assert page.locator("#tip-q2").is_visible()
    page.keyboard.press("k")
    assert page.evaluate("document.activeElement.dataset.quote") == "q1"

    page.keyboard.press("]")
    pressed = page.eval_on_selector_all(
        '#people button[aria-pressed="true"]',
        "bs => bs.map(b => b.closest('[data-person]').dataset.person)",
    )
    assert pressed == ["anders-fogh-rasmussen"]
    page.keyboard.press("]")
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.dataset.speaker") == SERDYUKOV
    page.keyboard.press("Escape")  # hides the focused quotation's tooltip
    page.keyboard.press("Escape")  # then clears the chosen person
    assert page.eval_on_selector_all('#people button[aria-pressed="true"]', "bs => bs.length") == 0

    # v opens the original in a new tab (answered here: tests never leave the machine).
    context.route(
        "https://www.themoscowtimes.com/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="original"),
    )
    with context.expect_page() as opened:
        page.keyboard.press("v")
    assert opened.value.url == page.locator("#source-link").get_attribute("href")
    opened.value.close()

    page.keyboard.press("?")
    assert page.locator("#help").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#help").is_visible()

    # A+ grows the text and is remembered; the theme choice too.
    size = page.eval_on_selector(".article", "a => parseFloat(getComputedStyle(a).fontSize)")
    open_settings(page)
    page.locator('[data-size-step="1"]').click()
    bigger = page.eval_on_selector(".article", "a => parseFloat(getComputedStyle(a).fontSize)")
    assert bigger > size
    pick_theme(page, "sepia")
    page.reload()
    assert page.evaluate("document.documentElement.dataset.theme") == "sepia"
    assert page.evaluate("document.documentElement.dataset.size") == "1"
    page.screenshot(path=str(SHOTS / "desktop-sepia.png"))
    pick_theme(page, "dark")
    page.keyboard.press("Escape")  # closes the settings
    assert not page.locator(".settings-panel").is_visible()
    page.screenshot(path=str(SHOTS / "desktop-dark.png"), full_page=True)

    # Keys typed into a field, or with a modifier, are not shortcuts: j would move the
    # focus to the next quotation, and ] would choose a speaker.
    page.locator("#q3").focus()
    page.keyboard.press("Control+j")
    page.keyboard.press("Alt+j")
    page.keyboard.press("Control+]")
    assert page.evaluate("document.activeElement.id") == "q3"
    assert page.eval_on_selector_all('#people button[aria-pressed="true"]', "bs => bs.length") == 0
    open_settings(page)
    page.locator("#theme-select").focus()
    page.keyboard.press("j")
    page.keyboard.press("]")
    assert page.evaluate("document.activeElement.id") == "theme-select"
    assert page.eval_on_selector_all('#people button[aria-pressed="true"]', "bs => bs.length") == 0
    # Without a modifier, outside a field, the same keys do act.
    page.locator("#q3").focus()
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.id") == "q4"
    context.close()


def contrast(first: str, second: str) -> float:
    """Return the WCAG contrast ratio of two computed 'rgb(r, g, b)' colours."""

    def luminance(colour: str) -> float:
        channels = [int(float(v)) / 255 for v in re.findall(r"[\d.]+", colour)[:3]]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("theme", ["light", "sepia", "dark"])
def test_dimmed_panel_badges_keep_their_contrast(
    live_server: str, browser: Any, theme: str
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    page.goto(f"{live_server}/articles/{SEED_SLUG}")
    pick_theme(page, theme)
    page.locator(f'#people [data-person="{SERDYUKOV}"] button').click()
    badges = page.eval_on_selector_all(
        '#people button[aria-pressed="false"] .badge',
        """bs => bs.map(b => {
            const s = getComputedStyle(b);
            const panel = getComputedStyle(document.getElementById('people'));
            return [s.opacity, s.color, s.backgroundColor, s.boxShadow, panel.backgroundColor];
        })""",
    )
    assert len(badges) == 2
    for opacity, colour, background, ring, panel in badges:
        assert opacity == "1"
        assert contrast(colour, background) >= 4.5  # the initials are text
        ring_colour = re.match(r"rgb\([^)]*\)", ring)
        assert ring_colour is not None, ring
        assert contrast(ring_colour.group(), panel) >= 3  # the ring is the speaker's cue
    page.screenshot(path=str(SHOTS / f"desktop-dimmed-{theme}.png"))
    context.close()


def test_the_panel_beside_the_article_cannot_be_collapsed(live_server: str, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server}/articles/{SEED_SLUG}")
    summary = page.locator("#people summary")
    assert summary.get_attribute("tabindex") == "-1"  # not a tab stop
    stops = []
    page.locator("body").click(position={"x": 5, "y": 5})
    for _ in range(40):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("!!document.activeElement.closest('#people summary')"))
    assert not any(stops)
    summary.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Space")
    summary.click(force=True)
    assert page.evaluate("document.querySelector('#people details').open") is True
    assert page.locator(f'#people [data-person="{SERDYUKOV}"] button').is_visible()
    context.close()


def test_choosing_a_person_shows_while_the_narrow_panel_is_closed(
    live_server: str, browser: Any
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server}/articles/{SEED_SLUG}")
    summary = page.locator("#people summary")
    assert summary.get_attribute("tabindex") is None  # a real, collapsible section here
    summary.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.querySelector('#people details').open") is False
    page.keyboard.press("]")
    status = page.locator("#selection-status")
    assert status.is_visible()
    assert status.inner_text() == (
        "Anders Fogh Rasmussen: 3 quotations and "
        + page.locator('[data-person="anders-fogh-rasmussen"] button').get_attribute(
            "data-mentions"
        )
        + " mentions highlighted."
    )
    assert status.get_attribute("aria-live") == "polite"
    clear = page.locator("#clear-selection")
    assert clear.is_visible() and clear.is_enabled()
    box = clear.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844  # on screen, not scrolled away
    page.screenshot(path=str(SHOTS / "mobile-closed-selected.png"))
    clear.click()
    assert status.inner_text() == ""
    context.close()


def test_mobile_layout(live_server: str, browser: Any) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    )
    page = context.new_page()
    page.goto(f"{live_server}/articles/{SEED_SLUG}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing overflows sideways
    page.screenshot(path=str(SHOTS / "mobile.png"), full_page=True)
    page.screenshot(path=str(SHOTS / "mobile-top.png"))
    page.locator("#people").screenshot(path=str(SHOTS / "mobile-panel.png"))
    page.locator(f'#people [data-person="{SERDYUKOV}"] button').click()
    assert page.locator("#selection-status").is_visible()
    page.screenshot(path=str(SHOTS / "mobile-selected.png"))
    page.locator("#clear-selection").click()
    assert page.locator("#selection-status").inner_text() == ""
    assert not page.locator("#clear-selection").is_visible()
    assert page.eval_on_selector_all("mark.quote.is-active", "ms => ms.length") == 0
    page.goto(f"{live_server}/")
    page.screenshot(path=str(SHOTS / "mobile-index.png"), full_page=True)
    context.close()


def test_a_phone_reaches_the_panel_from_the_top_and_the_bar_covers_nothing(
    live_server: str, browser: Any
) -> None:
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        reduced_motion="reduce",
    )
    page = context.new_page()
    page.goto(f"{live_server}/articles/{SEED_SLUG}")
    width = "document.documentElement.scrollWidth"
    assert page.evaluate(width) <= 360
    control = page.locator("#people-toggle")
    box = control.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 740  # in the first screen
    assert control.inner_text() == "People (3)"
    assert control.get_attribute("aria-expanded") == "false"
    control.tap()
    assert control.get_attribute("aria-expanded") == "true"
    assert page.evaluate("window.scrollY") == 0  # the reader keeps their place
    person = page.locator(f'#people [data-person="{SERDYUKOV}"] button')
    person_box = person.bounding_box()
    assert person_box is not None and 0 <= person_box["y"] <= 740 - person_box["height"]
    assert page.evaluate(width) <= 360
    page.screenshot(path=str(SHOTS / "phone-sheet.png"))
    person.tap()
    assert control.get_attribute("aria-expanded") == "false"  # closed after the choice
    assert page.evaluate("window.scrollY") == 0
    status = page.locator("#selection-status")
    assert status.is_visible() and status.inner_text().startswith("Anatoly Serdyukov")
    page.screenshot(path=str(SHOTS / "phone-chosen.png"))

    def bar_top() -> float:
        found = page.locator("#selection-bar").bounding_box()
        assert found is not None
        return float(found["y"])

    # The end of the page scrolls clear of the bar; so does a quotation moved to with j.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    footer = page.locator(".site-footer p").bounding_box()
    assert footer is not None and footer["y"] + footer["height"] <= bar_top()
    page.evaluate("window.scrollTo(0, 0)")
    for _ in range(5):
        page.keyboard.press("j")
        rect = page.evaluate("document.activeElement.getBoundingClientRect().toJSON()")
        assert rect["bottom"] <= bar_top(), rect
    assert page.evaluate(width) <= 360

    # Esc closes the sheet and gives the focus back to its control.
    control.tap()
    page.keyboard.press("Escape")
    assert control.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.id") == "people-toggle"
    context.close()


def test_without_javascript_the_people_control_is_a_link_to_the_panel(
    live_server: str, browser: Any
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server}/articles/{SEED_SLUG}")
    page.locator("#people-toggle").click()
    page.wait_for_url(re.compile(r"#people$"))
    assert page.locator(f'#people [data-person="{SERDYUKOV}"] button').is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


LAYOUT_SHIFT = """() => new Promise(resolve => {
    let total = 0;
    new PerformanceObserver(list => {
        for (const entry of list.getEntries()) total += entry.value;
    }).observe({type: 'layout-shift', buffered: true});
    setTimeout(() => resolve(total), 300);
})"""


@pytest.mark.parametrize("width", [1280, 360])
def test_nothing_moves_while_the_page_loads(live_server: str, browser: Any, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    # Saved settings, applied before the first paint, move nothing either.
    page.add_init_script(
        "localStorage.setItem('voices-size', '1'); localStorage.setItem('voices-width', 'wide');"
    )
    for path in (f"/articles/{SEED_SLUG}", f"/articles/{SEED_SLUG}?speaker={SERDYUKOV}", "/"):
        page.goto(f"{live_server}{path}")
        page.wait_for_load_state("load")
        assert page.evaluate(LAYOUT_SHIFT) == 0, path
        assert page.locator("#reader-tools").is_visible()
    context.close()


def font_sizes(page: Any) -> dict[str, float]:
    """Return the computed font sizes of the text, headline and panel."""
    return page.evaluate(
        """() => Object.fromEntries(
            [['text', '.article-body p'], ['headline', '#headline'],
             ['name', '#people .person-name'], ['role', '#people .person-role']]
            .map(([k, s]) => [k, parseFloat(getComputedStyle(document.querySelector(s))
                .fontSize)]))"""
    )


def test_settings_size_font_and_line_width_are_applied_and_remembered(
    live_server: str, browser: Any
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    page.goto(f"{live_server}/articles/{SEED_SLUG}")
    before = font_sizes(page)
    open_settings(page)
    page.get_by_role("button", name="A+ Larger text").click()
    page.get_by_role("button", name="A+ Larger text").click()
    after = font_sizes(page)
    assert all(after[k] > before[k] for k in before), (before, after)  # all grow together
    width = page.eval_on_selector(".article", "a => a.getBoundingClientRect().width")
    page.get_by_role("radio", name="Sans").check()
    page.get_by_role("radio", name="Wide").check()
    page.screenshot(path=str(SHOTS / "desktop-settings.png"))
    assert (
        "serif"
        not in page.eval_on_selector(
            ".article-body p", "p => getComputedStyle(p).fontFamily"
        ).split(",")[0]
    )
    assert page.eval_on_selector(".article", "a => a.getBoundingClientRect().width") > width
    page.reload()
    assert page.evaluate(
        "[document.documentElement.dataset.font, document.documentElement.dataset.width]"
    ) == ["sans", "wide"]
    open_settings(page)
    assert page.get_by_role("radio", name="Sans").is_checked()
    assert page.get_by_role("radio", name="Wide").is_checked()
    page.get_by_role("radio", name="Serif").check()
    page.get_by_role("radio", name="Medium").check()
    page.mouse.click(5, 500)  # a click elsewhere closes the settings
    assert not page.locator(".settings-panel").is_visible()
    page.reload()
    assert page.evaluate("document.documentElement.dataset.font") is None
    assert page.evaluate("document.documentElement.dataset.width") is None
    assert page.evaluate("document.documentElement.dataset.size") == "2"
    context.close()


def test_without_javascript_the_panel_entries_are_plain_text(
    live_server: str, browser: Any
) -> None:
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.goto(f"{live_server}/articles/{SEED_SLUG}")
    button = page.locator(f'#people [data-person="{SERDYUKOV}"] button')
    button.hover(force=True)
    looks = button.evaluate(
        "b => [b.disabled, getComputedStyle(b).cursor, getComputedStyle(b).backgroundColor,"
        " getComputedStyle(b).color === getComputedStyle(document.body).color]"
    )
    assert looks == [True, "auto", CLEAR, True]
    assert not page.locator("#reader-tools").is_visible()
    context.close()


@pytest.mark.parametrize("width", [1280, 360])
def test_every_link_is_at_least_24_px_tall(live_server: str, browser: Any, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    small = []
    for path in (
        f"/articles/{SEED_SLUG}",
        "/",
        "/people",
        f"/people/{SERDYUKOV}",
        "/search?q=NATO",
    ):
        page.goto(f"{live_server}{path}")
        for name, height in page.eval_on_selector_all(
            "a, button, summary, select",
            """es => es.filter(e => e.getClientRects().length && !e.closest('.tip, dialog'))
                .map(e => [e.className || e.textContent.trim().slice(0, 20),
                    e.getBoundingClientRect().height])""",
        ):
            if height < 24:
                small.append((path, name, round(height, 1)))
    assert small == [], sorted(set(small))
    context.close()


def test_forced_colours_show_the_chosen_person_strongly(live_server: str, browser: Any) -> None:
    context = browser.new_context(forced_colors="active", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server}/articles/{SEED_SLUG}?speaker={SERDYUKOV}")
    button = page.locator(f'#people [data-person="{SERDYUKOV}"] button')
    style = button.evaluate(
        "b => [parseFloat(getComputedStyle(b).borderTopWidth), getComputedStyle(b).outlineStyle]"
    )
    assert style[0] >= 3 and style[1] == "solid"
    page.screenshot(path=str(SHOTS / "desktop-forced-colours-chosen.png"))
    context.close()


def test_the_sepia_tints_keep_their_hue(live_server: str, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    page.add_init_script("localStorage.setItem('voices-theme', 'sepia')")
    page.goto(f"{live_server}/articles/{SEED_SLUG}")
    colour = page.eval_on_selector("#q1", "m => getComputedStyle(m).backgroundColor")
    scale = 255 if colour.startswith("color(srgb") else 1
    red, green, blue = (float(v) * scale for v in re.findall(r"[\d.]+", colour)[:3])
    assert blue >= green and blue >= red + 15, colour  # still blue, not a grey-green
    page.screenshot(path=str(SHOTS / "desktop-sepia-tint.png"))
    context.close()


CORPUS_SEED = Path(__file__).resolve().parent / "corpus" / "01_lithuania-gas-transit.txt"
CORPUS_SLUG = "moscow-and-vilnius-trade-barbs-over-gas-transit-fees"


@pytest.fixture
def corpus_server(make_app: Callable[..., Flask], seeds_dir: Path) -> Iterator[str]:
    """Serve the app with one article of the test corpus (real engine); yield its URL."""
    shutil.copy(CORPUS_SEED, seeds_dir / CORPUS_SEED.name)
    with serving(make_app()) as url:
        yield url


def in_view(page: Any, selector: str) -> bool:
    """Return whether the element is inside the window."""
    return page.eval_on_selector(
        selector,
        "e => e.getBoundingClientRect().top >= 0"
        " && e.getBoundingClientRect().bottom <= innerHeight",
    )


@pytest.mark.parametrize("width", [1280, 360])
def test_the_tooltip_says_why_and_shows_who(corpus_server: str, browser: Any, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800}, reduced_motion="reduce")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    url = f"{corpus_server}/articles/{CORPUS_SLUG}"
    page.goto(url)
    stored = {
        q["id"]: q
        for q in page.request.get(f"{corpus_server}/api/articles/{CORPUS_SLUG}").json()["quotes"]
    }
    assert stored["q6"]["reason"].startswith("pronoun:")
    assert stored["q7"]["reason"] == "continues:q6"

    # A pronoun: the tooltip says whom it stands for; Show who goes to the pronoun.
    page.locator("#q6").hover()
    why = page.locator("#tip-q6 .tip-why")
    assert why.is_visible()
    said = why.evaluate("w => w.lastChild.textContent")  # after the comma screen readers hear
    assert said.startswith("Why: ") and said.endswith("‘she’ is Rasa Kuzmickiene")
    page.screenshot(path=str(SHOTS / f"why-pronoun-{width}.png"))

    # A split quotation: it continues the one before; Show who goes to the same words.
    page.locator("#q7").focus()
    assert page.locator("#tip-q7 .tip-why").evaluate("w => w.lastChild.textContent") == (
        "Why: continues the quotation just before"
    )
    page.keyboard.press("Tab")  # the first action in the tooltip
    assert page.evaluate("document.activeElement.textContent") == "Show who"
    page.screenshot(path=str(SHOTS / f"why-continues-{width}.png"))
    page.keyboard.press("Enter")
    words = page.locator("#q6-by")
    assert words.inner_text() == "she"
    text = page.request.get(f"{corpus_server}/api/articles/{CORPUS_SLUG}").json()["text"]
    span = stored["q7"]["speaker_span"]
    assert text[span["start"] : span["end"]] == "she"
    assert page.evaluate("document.activeElement.id") == "q6-by"
    assert page.evaluate("location.hash") == "#q6-by"
    assert in_view(page, "#q6-by")
    lit = words.evaluate(
        "w => [w.classList.contains('is-shown'), getComputedStyle(w).backgroundColor]"
    )
    assert lit[0] and lit[1] != CLEAR
    assert not page.locator("#tip-q7").is_visible()
    page.screenshot(path=str(SHOTS / f"why-shown-{width}.png"))
    page.go_back()
    assert page.evaluate("location.hash") == ""
    assert errors == []
    context.close()


def test_show_who_works_without_javascript(corpus_server: str, browser: Any) -> None:
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 800}, reduced_motion="reduce"
    )
    page = context.new_page()
    page.goto(f"{corpus_server}/articles/{CORPUS_SLUG}")
    page.locator("#q10").focus()
    assert page.locator("#tip-q10 .tip-why").is_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#q9-by$"))
    assert in_view(page, "#q9-by")
    assert page.locator("#q9-by").inner_text() == "Paulauskas"
    colour = page.eval_on_selector("#q9-by", "w => getComputedStyle(w).backgroundColor")
    assert colour != CLEAR  # :target lights the words up
    # The words added to the page (why, show who) are never copied with the paragraph.
    stored = page.request.get(f"{corpus_server}/api/articles/{CORPUS_SLUG}").json()
    paragraphs = [
        " ".join(stored["text"][p["start"] : p["end"]].split())
        for p in stored["parts"]
        if p["kind"] == "paragraph"
    ]
    copied = [" ".join(t.split()) for t in page.evaluate(SELECTED_TEXT, ".article-body p")]
    assert copied == paragraphs
    context.close()


def test_page_reads_without_javascript(live_server: str, browser: Any) -> None:
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.goto(f"{live_server}/articles/{SEED_SLUG}")
    assert page.locator("mark.quote[id]").count() == 11
    assert not page.locator("#reader-tools").is_visible()
    page.locator("#q6").focus()
    assert page.locator("#tip-q6").is_visible()  # CSS tooltip on focus, no script needed
    page.screenshot(path=str(SHOTS / "desktop-nojs.png"))
    page.goto(f"{live_server}/")
    page.screenshot(path=str(SHOTS / "desktop-index.png"))
    page.goto(f"{live_server}/articles/missing")
    page.screenshot(path=str(SHOTS / "desktop-404.png"))
    context.close()


def test_theme_follows_the_system_and_forced_colours_keep_borders(
    live_server: str, browser: Any
) -> None:
    dark = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 900})
    page = dark.new_page()
    page.goto(f"{live_server}/articles/{SEED_SLUG}")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(23, 24, 28)"
    page.screenshot(path=str(SHOTS / "desktop-system-dark.png"))
    dark.close()

    forced = browser.new_context(forced_colors="active", viewport={"width": 1280, "height": 900})
    page = forced.new_page()
    page.goto(f"{live_server}/articles/{SEED_SLUG}")
    borders = page.eval_on_selector_all(
        "mark.quote[id]", "ms => ms.map(m => getComputedStyle(m).borderBottomStyle)"
    )
    assert set(borders) == {"solid"}
    page.screenshot(path=str(SHOTS / "desktop-forced-colours.png"))
    forced.close()


PASTED_TITLE = "Bridge to open in May"
PASTED_TEXT = (
    "\u2018We will open the bridge in May,\u2019 said Mayor Anna Berg of Lindholm, "
    "a zephyrine town.\n\n"
    "The works cost a lot, said engineer Tomas Ek. \u2018It was worth every krona,\u2019 he said."
)


def sign_in_page(page: Any, base: str) -> None:
    """Sign the page's browser in as the owner from the add page's link."""
    page.goto(f"{base}/add")
    page.locator(".notice").get_by_role("link", name="Sign in").click()
    page.locator("#token").fill(OWNER_TOKEN)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/add")


def test_adding_an_article_and_finding_it_by_search(owner_server: str, browser: Any) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in_page(page, owner_server)

    page.locator("#title").fill(PASTED_TITLE)
    page.locator("#text").fill(PASTED_TEXT)
    page.locator("#published").focus()
    page.keyboard.type("2024-05-02")
    page.get_by_role("button", name="Preview").click()
    preview = page.locator(".preview")
    assert "not saved yet" in preview.locator("h2").inner_text()
    speakers = preview.locator("mark.quote[id]").evaluate_all(
        "ms => ms.map(m => m.dataset.speaker)"
    )
    assert speakers == ["anna-berg", "tomas-ek"]
    assert preview.locator(".preview-summary .person-chip").all_inner_texts() == [
        "Anna Berg",
        "Tomas Ek",
    ]
    assert page.locator("#title").input_value() == PASTED_TITLE  # the form keeps what was typed
    page.screenshot(path=str(SHOTS / "desktop-add-preview.png"), full_page=True)

    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/articles/bridge-to-open-in-may$"))
    assert page.locator(".flash").inner_text() == f"Added \u201c{PASTED_TITLE}\u201d."
    assert page.locator("#headline").inner_text() == PASTED_TITLE
    marks = page.eval_on_selector_all(
        "mark.quote[id]",
        "ms => ms.map(m => [m.dataset.speaker, getComputedStyle(m).backgroundColor])",
    )
    assert [speaker for speaker, _ in marks] == ["anna-berg", "tomas-ek"]
    assert all(background != "rgba(0, 0, 0, 0)" for _, background in marks)  # highlighted
    article_url = page.url

    page.locator(".site-nav").get_by_role("link", name="Search").click()
    page.locator("#search-q").fill("zephyrine")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=zephyrine$"))
    assert page.locator("#search-count").inner_text() == "1 article found"
    hit = page.locator('.search-hit[data-article="bridge-to-open-in-may"]')
    assert hit.locator(".search-snippet mark").all_inner_texts() == ["zephyrine"]
    hit.get_by_role("link", name=PASTED_TITLE).click()
    page.wait_for_url(article_url)
    assert page.locator("mark.quote[id]").count() == 2
    assert errors == []
    context.close()


def test_a_library_card_is_one_link_with_its_site_and_people_links_inside(
    live_server: str, browser: Any
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server}/")
    card = page.locator(f'.card[data-article="{SEED_SLUG}"]')
    lede = card.locator(".article-item-lede").bounding_box()
    assert lede is not None
    x, y = lede["x"] + lede["width"] / 2, lede["y"] + lede["height"] / 2
    # The title's link is stretched over the card: it is what the pointer meets on the lede.
    assert page.evaluate(f"document.elementFromPoint({x}, {y}).className") == "card-link"
    page.mouse.click(x, y)
    page.wait_for_url(f"{live_server}/articles/{SEED_SLUG}")

    page.go_back()
    chip = card.locator(".person-chip").first
    href = chip.get_attribute("href")
    assert href is not None and href.startswith("/people/")
    name = chip.evaluate("c => c.firstChild.textContent.trim()")  # without the count
    chip.click()  # Playwright checks that nothing covers the chip
    page.wait_for_url(f"{live_server}{href}")
    assert page.locator("h1").inner_text() == name

    page.go_back()
    card.locator(".source").click()
    page.wait_for_url(f"{live_server}/?site=themoscowtimes.com")
    context.close()


NARROW_PAGES = ["/", "/people", f"/people/{SERDYUKOV}", "/add", "/search?q=x", "/signin"]
TARGETS = (
    "a.person-chip, .card-extra, .person-link, .downloads a, .button, .link-button, .field input"
)


@pytest.mark.parametrize("signed_in", [False, True])
def test_no_page_scrolls_sideways_at_360_px(
    owner_server: str, browser: Any, signed_in: bool
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    pages = list(NARROW_PAGES)
    if signed_in:
        sign_in_page(page, owner_server)
        pages.append(f"/articles/{SEED_SLUG}")
    small: list[tuple[str, str, float, float]] = []
    for path in pages:
        page.goto(f"{owner_server}{path}")
        if path == "/add" and signed_in:
            page.locator("#title").fill(PASTED_TITLE)
            page.locator("#text").fill(PASTED_TEXT)
            page.get_by_role("button", name="Preview").click()
            assert page.locator(".preview mark.quote").count() == 2
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (path, width)
        for box in page.locator(TARGETS).evaluate_all(
            "ts => ts.map(t => [t.className || t.tagName, t.getBoundingClientRect().toJSON()])"
        ):
            name, rect = box
            if rect["width"] and (rect["width"] < 24 or rect["height"] < 24):
                small.append((path, name, rect["width"], rect["height"]))
        name = path.strip("/").replace("/", "-").replace("?q=", "-") or "index"
        page.screenshot(path=str(SHOTS / f"narrow-{name}{'-owner' if signed_in else ''}.png"))
    assert small == []  # every target on these pages is 24 by 24 px or larger
    context.close()


# Text on the new pages, each with the element whose background it is read against.
TEXTS = {
    "/": [".card .article-item-meta", ".card-extra", "a.person-chip", ".person-chip .chip-count"],
    "/people": [".people-index-item .card-link", ".people-index-counts"],
    f"/people/{SERDYUKOV}": [".roles li", ".downloads", ".downloads a", ".person-quote-source"],
    "/add": [".notice", ".field label", ".hint", ".field-error", ".field input", ".button"],
    f"/articles/{SEED_SLUG}/delete": [".button-danger", "a.button"],
    f"/articles/{SEED_SLUG}": [".person-link", ".owner-tools a", ".downloads a"],
}


@pytest.mark.parametrize("theme", ["light", "sepia", "dark"])
def test_the_new_pages_keep_text_contrast_in_every_theme(
    owner_server: str, browser: Any, theme: str
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in_page(page, owner_server)
    pick_theme(page, theme)
    low: list[tuple[str, str, float]] = []
    for path, selectors in TEXTS.items():
        page.goto(f"{owner_server}{path}")
        if path == "/add":  # a date it cannot read, so that a field shows its error
            page.locator("#title").fill(PASTED_TITLE)
            page.locator("#text").fill(PASTED_TEXT)
            page.locator("#published").fill("next week")
            page.get_by_role("button", name="Preview").click()
        assert page.evaluate("document.documentElement.dataset.theme") == theme
        for selector in selectors:
            colours = page.locator(selector).first.evaluate(
                """e => {
                    let b = e;
                    while (b && getComputedStyle(b).backgroundColor === 'rgba(0, 0, 0, 0)') {
                        b = b.parentElement;
                    }
                    return [getComputedStyle(e).color, getComputedStyle(b || document.body)
                        .backgroundColor];
                }"""
            )
            ratio = contrast(*colours)
            if ratio < 4.5:
                low.append((path, selector, round(ratio, 2)))
    assert low == []
    context.close()


# The pages a reader sees most, for the screenshots in every theme at both widths.
GALLERY = {
    "article": f"/articles/{SEED_SLUG}",
    "article-chosen": f"/articles/{SEED_SLUG}?speaker={SERDYUKOV}",
    "library": "/",
    "people": "/people",
    "person": f"/people/{SERDYUKOV}",
    "search": "/search?q=Serdyukov",
}
# Page backgrounds by theme: light and sepia are light (sepia warmer), dark is dark.
BACKGROUNDS = {
    "light": "rgb(252, 251, 248)",
    "sepia": "rgb(244, 236, 216)",
    "dark": "rgb(23, 24, 28)",
}


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("theme", ["light", "sepia", "dark"])
def test_screenshots_of_every_page_in_every_theme(
    live_server: str, browser: Any, theme: str, width: int
) -> None:
    """Write SHOTS/<page>-<theme>-<width>.png (the first screen) and ...-full.png (the whole
    page) for each gallery page, checking first that it is in the theme, fits the width and
    has a readable headline."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(
        viewport={"width": width, "height": 900 if width > 600 else 800}, reduced_motion="reduce"
    )
    context.add_init_script(f"localStorage.setItem('voices-theme', '{theme}')")
    page = context.new_page()
    for name, path in GALLERY.items():
        page.goto(f"{live_server}{path}")
        assert page.evaluate("document.documentElement.dataset.theme") == theme
        body = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert body == BACKGROUNDS[theme], (name, body)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
        heading = page.locator("h1").first
        ratio = contrast(heading.evaluate("e => getComputedStyle(e).color"), body)
        assert ratio >= 7, (name, ratio)
        if name == "article-chosen":
            assert page.locator("mark.quote.is-active").count() > 0
        shot = SHOTS / f"{name}-{theme}-{width}.png"
        page.screenshot(path=str(shot))  # the first screen, as a reader lands on it
        page.screenshot(path=str(SHOTS / f"{name}-{theme}-{width}-full.png"), full_page=True)
        assert shot.stat().st_size > 10_000  # a page, not a blank
    context.close()


def focused(page: Any) -> dict[str, str]:
    """Return what has the keyboard focus: its tag, id, value and text."""
    return page.evaluate(
        """() => { const e = document.activeElement;
            return {tag: e.tagName, id: e.id, value: e.value || '', text: e.textContent.trim(),
                    type: e.type || ''}; }"""
    )


def tab_to(page: Any, wanted: Callable[[dict[str, str]], bool], presses: int = 15) -> None:
    """Press Tab until the focused element is the wanted one (fail after presses)."""
    for _ in range(presses):
        if wanted(focused(page)):
            return
        page.keyboard.press("Tab")
    assert wanted(focused(page)), focused(page)


def test_the_owner_corrects_a_speaker_with_the_keyboard_only(
    owner_server: str, browser: Any
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in_page(page, owner_server)
    article = f"{owner_server}/articles/{SEED_SLUG}"
    page.goto(article)
    # j, j: the second quotation ("doesn't suit us", which the engine gives Serdyukov).
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert focused(page)["id"] == "q2"
    assert "Anatoly Serdyukov" in page.locator("#tip-q2").inner_text()
    page.keyboard.press("Tab")  # into the tooltip: its first action is Correct
    assert focused(page)["text"] == "Correct quotation 2"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{article}?correct=q2#correct")
    form = page.locator("form#correct")
    assert form.is_visible()
    assert form.locator("h2").inner_text() == "Correct quotation 2"
    # The form is under the quotation's paragraph, and the current answer has the focus.
    assert page.evaluate(
        "document.getElementById('correct').previousElementSibling.contains("
        "document.getElementById('q2'))"
    )
    assert focused(page)["value"] == "person:Anatoly Serdyukov"
    page.screenshot(path=str(SHOTS / "correct-form-1280.png"))
    page.keyboard.press("ArrowDown")  # the next person of the article
    assert focused(page)["value"] == "person:Araz Azimov"
    tab_to(page, lambda e: e["text"] == "Save correction")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{article}#q2")

    assert "said by Araz Azimov" in page.locator(".flash").inner_text()
    tip = page.locator("#tip-q2").text_content() or ""
    assert tip.startswith("Araz Azimov")
    assert "speaker corrected by the library’s owner (the engine said: Anatoly Serdyukov)" in tip
    assert "Interfax" not in tip  # "told Interfax" was said of the engine's speaker
    counts = dict(
        page.locator('[data-group="quoted"] .person-button').evaluate_all(
            "bs => bs.map(b => [b.querySelector('.person-name').textContent, "
            "Number(b.dataset.quotes)])"
        )
    )
    assert counts == {"Anders Fogh Rasmussen": 3, "Anatoly Serdyukov": 4, "Araz Azimov": 4}
    assert page.locator(".corrections-list li").count() == 1
    page.screenshot(path=str(SHOTS / "corrected-1280.png"))

    # A reader who is not signed in sees the corrected page, without the owner's tools.
    reader = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    reader.goto(article)
    assert (reader.locator("#tip-q2").text_content() or "").startswith("Araz Azimov")
    assert reader.locator(".tip-correct, #corrections").count() == 0
    reader.context.close()

    # Undo, from the keyboard too: the engine's speaker is back.
    page.locator(".correction-undo button").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{article}#corrections")
    assert "Undone" in page.locator(".flash").inner_text()
    assert (page.locator("#tip-q2").text_content() or "").startswith("Anatoly Serdyukov")
    assert page.locator(".corrections-list li").count() == 0
    assert errors == []
    context.close()


def test_the_owner_marks_words_the_engine_missed(owner_server: str, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 800}, reduced_motion="reduce")
    page = context.new_page()
    sign_in_page(page, owner_server)
    article = f"{owner_server}/articles/{SEED_SLUG}"
    page.goto(article)
    before = page.locator("mark.quote[id]").count()
    # Selected in the article first: the form comes with the words.
    page.evaluate(
        """() => { const p = [...document.querySelectorAll('.article-body p')]
                .find(p => p.textContent.includes('a potential threat to its security'));
            const node = [...p.childNodes].find(n => n.nodeType === 3 &&
                n.data.includes('a potential threat'));
            const at = node.data.indexOf('a potential threat');
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + 'a potential threat to its security'.length);
            getSelection().removeAllRanges();
            getSelection().addRange(range); }"""
    )
    page.get_by_role("link", name="Mark a quotation the engine missed").click()
    page.wait_for_url(re.compile(re.escape(f"{article}?correct=new&words=") + r".*#correct$"))
    assert focused(page)["id"] == "correct-words"
    assert page.locator("#correct-words").input_value() == "a potential threat to its security"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_label("Someone else:").check()
    page.get_by_label("Name", exact=True).fill("Dmitry Rogozin")
    page.get_by_label("Role (optional)").fill("NATO envoy")
    page.get_by_role("button", name="Save correction").click()
    page.wait_for_url(re.compile(re.escape(article) + r"#q\d+$"))
    number = page.url.rsplit("#q", 1)[1]
    mark = page.locator(f"#q{number}")
    assert page.locator("mark.quote[id]").count() == before + 1
    assert (mark.locator(".tip").text_content() or "").startswith("Dmitry Rogozin")
    assert page.locator('[data-person="dmitry-rogozin"]').first.is_visible()
    page.screenshot(path=str(SHOTS / "corrected-missed-360.png"))
    context.close()
