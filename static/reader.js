// Voices reader: interaction on top of the server-rendered page. The page reads fully
// without this file; it adds choosing a person, tooltips that Esc hides, keyboard
// shortcuts and the reading settings (text size, theme, highlighting), kept in localStorage.
(function () {
  "use strict";

  var root = document.documentElement;
  var body = document.body;
  var MIN_SIZE = -2;
  var MAX_SIZE = 3;
  var selected = null;

  function store(key, value) {
    try {
      if (value === null) {
        window.localStorage.removeItem(key);
      } else {
        window.localStorage.setItem(key, value);
      }
    } catch (err) {
      // Storage unavailable: the setting lasts for this page only.
    }
  }

  function all(selector, scope) {
    return Array.prototype.slice.call((scope || document).querySelectorAll(selector));
  }

  // Reading settings -----------------------------------------------------------------

  function setupTools() {
    var tools = document.getElementById("reader-tools");
    if (!tools) return;
    all("[data-size-step]", tools).forEach(function (button) {
      button.addEventListener("click", function () {
        var step = parseInt(button.getAttribute("data-size-step"), 10);
        var size = parseInt(root.getAttribute("data-size") || "0", 10) + step;
        size = Math.max(MIN_SIZE, Math.min(MAX_SIZE, size));
        if (size === 0) {
          root.removeAttribute("data-size");
          store("voices-size", null);
        } else {
          root.setAttribute("data-size", String(size));
          store("voices-size", String(size));
        }
      });
    });
    var select = document.getElementById("theme-select");
    if (select) {
      select.value = root.getAttribute("data-theme") || "auto";
      select.addEventListener("change", function () {
        if (select.value === "auto") {
          root.removeAttribute("data-theme");
          store("voices-theme", null);
        } else {
          root.setAttribute("data-theme", select.value);
          store("voices-theme", select.value);
        }
      });
    }
    // Font and line width: radio buttons, each choice kept as a root attribute (the
    // default, serif and medium, as none).
    [["font", "serif"], ["width", "medium"]].forEach(function (setting) {
      var name = setting[0];
      var standard = setting[1];
      var current = root.getAttribute("data-" + name) || standard;
      all('input[name="' + name + '"]', tools).forEach(function (input) {
        input.checked = input.value === current;
        input.addEventListener("change", function () {
          if (!input.checked) return;
          if (input.value === standard) {
            root.removeAttribute("data-" + name);
            store("voices-" + name, null);
          } else {
            root.setAttribute("data-" + name, input.value);
            store("voices-" + name, input.value);
          }
        });
      });
    });
    // The settings close when the reader clicks elsewhere, and with Esc (onKey).
    var settings = document.getElementById("settings");
    if (settings) {
      document.addEventListener("click", function (event) {
        if (settings.open && !settings.contains(event.target)) settings.open = false;
      });
    }
    var highlight = document.getElementById("highlight-switch");
    if (highlight) {
      var showOn = function () {
        var on = root.getAttribute("data-highlight") !== "off";
        highlight.setAttribute("aria-checked", on ? "true" : "false");
      };
      showOn();
      highlight.addEventListener("click", function () {
        if (root.getAttribute("data-highlight") === "off") {
          root.removeAttribute("data-highlight");
          store("voices-highlight", null);
        } else {
          root.setAttribute("data-highlight", "off");
          store("voices-highlight", "off");
        }
        showOn();
      });
    }
    var help = document.getElementById("help");
    var helpButton = document.getElementById("help-button");
    if (help && helpButton && typeof help.showModal === "function") {
      helpButton.addEventListener("click", function () { help.showModal(); });
    } else if (helpButton) {
      helpButton.hidden = true;
    }
  }

  // Choosing a person ---------------------------------------------------------------

  var panel = document.getElementById("people");
  var status = document.getElementById("selection-status");
  var bar = document.getElementById("selection-bar");
  var clear = document.getElementById("clear-selection");

  function personEntries() {
    return panel ? all("[data-person]", panel) : [];
  }

  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }

  // The choice is part of the address (?speaker=<slug>): pushed to the history when a
  // person is chosen, so Back undoes it, a reload keeps it and a shared link opens with
  // it. The server renders the same state from the address, for pages without script.

  function known(slug) {
    return personEntries().some(function (e) { return e.getAttribute("data-person") === slug; });
  }

  function speakerInAddress() {
    var slug = new URLSearchParams(window.location.search).get("speaker");
    return slug && known(slug) ? slug : null;
  }

  function addressFor(slug) {
    var params = new URLSearchParams(window.location.search);
    if (slug) {
      params.set("speaker", slug);
    } else {
      params.delete("speaker");
    }
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "");
  }

  // Show slug's quotations and mentions (or nobody's, for null); the address is left alone.
  function show(slug) {
    selected = slug;
    all("mark.quote").forEach(function (mark) {
      var on = selected !== null && mark.getAttribute("data-speaker") === selected;
      mark.classList.toggle("is-active", on);
    });
    all(".mention[data-person]").forEach(function (mention) {
      var on = selected !== null && mention.getAttribute("data-person") === selected;
      mention.classList.toggle("is-active", on);
    });
    // The counts come from the panel: a quotation or mention cut into pieces counts once.
    var name = "";
    var quotes = 0;
    var mentions = 0;
    personEntries().forEach(function (entry) {
      var on = entry.getAttribute("data-person") === selected;
      var button = entry.querySelector("button");
      if (button) button.setAttribute("aria-pressed", on ? "true" : "false");
      if (on) {
        var nameNode = entry.querySelector(".person-name");
        name = nameNode ? nameNode.textContent : selected;
        quotes = button ? parseInt(button.getAttribute("data-quotes"), 10) || 0 : 0;
        mentions = button ? parseInt(button.getAttribute("data-mentions"), 10) || 0 : 0;
      }
    });
    body.classList.toggle("has-selection", selected !== null);
    if (status) {
      // The same words as the server's (views.selection_status).
      var text = selected === null ? "" :
        name + ": " + plural(quotes, "quotation", "quotations") + " and " +
        plural(mentions, "mention", "mentions") + " highlighted.";
      if (status.textContent !== text) status.textContent = text;
    }
    if (bar) bar.classList.toggle("is-active", selected !== null);
    if (clear) clear.hidden = selected === null;
    reserveBarSpace();
  }

  // Choose slug (choosing the chosen person again clears the choice), in the history.
  function choose(slug) {
    var next = slug && slug !== selected ? slug : null;
    if (next === selected) return;
    show(next);
    try {
      window.history.pushState({ speaker: next }, "", addressFor(next));
    } catch (err) {
      // An address that cannot be changed (a sandboxed frame): the choice still shows.
    }
  }

  function setupPanel() {
    if (!panel) return;
    personEntries().forEach(function (entry) {
      var button = entry.querySelector("button");
      if (!button) return;
      button.disabled = false; // rendered disabled: it does nothing without this script
      button.addEventListener("click", function () {
        choose(entry.getAttribute("data-person"));
        // On a phone the sheet closes so the reader sees the highlights at once.
        if (sheetOpen()) closeSheet(true);
      });
    });
    if (clear) {
      // A link to the page without the choice; here it clears the choice in place.
      clear.addEventListener("click", function (event) {
        event.preventDefault();
        var pressed = panel.querySelector('button[aria-pressed="true"]');
        choose(null);
        if (pressed) pressed.focus();
      });
    }
    // The server has rendered the address's choice; an unknown person is dropped from it.
    var slug = speakerInAddress();
    show(slug);
    if (slug === null && new URLSearchParams(window.location.search).has("speaker")) {
      try {
        window.history.replaceState(window.history.state, "", addressFor(null) + window.location.hash);
      } catch (err) {
        // Left as it is: the page already ignores it.
      }
    }
    window.addEventListener("popstate", function () { show(speakerInAddress()); });
    // Beside the article (wide screens) the panel is always open: its summary is then
    // neither a tab stop nor a toggle. On narrow screens it is a collapsible section.
    var details = panel.querySelector("details");
    var summary = details ? details.querySelector("summary") : null;
    var wide = window.matchMedia("(min-width: 62rem)");
    function fitWidth() {
      if (!details || !summary) return;
      if (wide.matches) {
        details.open = true;
        summary.setAttribute("tabindex", "-1");
      } else {
        summary.removeAttribute("tabindex");
      }
    }
    if (details && summary) {
      summary.addEventListener("click", function (event) {
        if (wide.matches) event.preventDefault();
      });
      details.addEventListener("toggle", function () {
        if (wide.matches && !details.open) details.open = true;
      });
    }
    fitWidth();
    if (wide.addEventListener) wide.addEventListener("change", fitWidth);
    setupSheet(details, wide);
  }

  // On narrow screens the panel opens as a sheet over the lower part of the screen from
  // the "People (N)" control near the top; the reader keeps their place in the article.
  // Without script the control is a link to the panel.

  var toggle = document.getElementById("people-toggle");
  var backdrop = null;

  function sheetOpen() {
    return panel !== null && panel.classList.contains("is-sheet");
  }

  function closeSheet(returnFocus) {
    if (!sheetOpen()) return;
    panel.classList.remove("is-sheet");
    body.classList.remove("sheet-open");
    if (toggle) toggle.setAttribute("aria-expanded", "false");
    if (returnFocus && toggle) toggle.focus({ preventScroll: true });
  }

  function setupSheet(details, wide) {
    if (!toggle) return;
    toggle.setAttribute("role", "button");
    toggle.setAttribute("aria-expanded", "false");
    var close = document.createElement("button");
    close.type = "button";
    close.className = "sheet-close";
    close.textContent = "Close";
    close.setAttribute("aria-label", "Close people in this story");
    close.addEventListener("click", function () { closeSheet(true); });
    panel.insertBefore(close, panel.firstChild);
    backdrop = document.createElement("div");
    backdrop.className = "sheet-backdrop";
    backdrop.addEventListener("click", function () { closeSheet(true); });
    body.appendChild(backdrop);
    var heading = document.getElementById("people-heading");
    if (heading) heading.setAttribute("tabindex", "-1");
    function open(event) {
      if (wide.matches) return; // beside the article: the link scrolls to it
      event.preventDefault();
      if (details) details.open = true;
      panel.classList.add("is-sheet");
      body.classList.add("sheet-open");
      toggle.setAttribute("aria-expanded", "true");
      panel.scrollTop = 0;
      if (heading) heading.focus({ preventScroll: true });
    }
    toggle.addEventListener("click", open);
    toggle.addEventListener("keydown", function (event) {
      if (event.key === " ") open(event); // a button opens with Space too
    });
    if (wide.addEventListener) {
      wide.addEventListener("change", function () { if (wide.matches) closeSheet(false); });
    }
  }

  // The bar at the bottom of a phone's screen gets room of its own below the page.
  function reserveBarSpace() {
    if (!bar) return;
    if (bar.classList.contains("is-active") && window.getComputedStyle(bar).position === "fixed") {
      root.style.setProperty("--bar-space", Math.ceil(bar.offsetHeight + 24) + "px");
    } else {
      root.style.removeProperty("--bar-space");
    }
  }

  // Tooltips: placed where they fit (above the quotation, else below; never past the
  // sides); Esc hides them until the pointer or focus moves to another quotation
  // (WCAG 1.4.13). A quotation reached by its link (#q6) shows its own from the start.

  var EDGE = 8; // px kept free between a tooltip and the edges of the window

  function placeTip(mark) {
    var tip = mark.querySelector(":scope > .tip");
    if (!tip) return;
    body.classList.remove("tips-dismissed");
    tip.classList.remove("tip-below");
    tip.style.left = "";
    var box = tip.getBoundingClientRect();
    if (!box.width) return; // not showing
    if (box.top < EDGE) {
      var markBox = mark.getBoundingClientRect();
      var roomBelow = window.innerHeight - markBox.bottom - box.height - 2 * EDGE;
      if (roomBelow >= 0 || roomBelow > box.top) tip.classList.add("tip-below");
      box = tip.getBoundingClientRect();
    }
    var width = document.documentElement.clientWidth;
    var shift = 0;
    if (box.right > width - EDGE) shift = width - EDGE - box.right;
    if (box.left + shift < EDGE) shift = EDGE - box.left;
    if (shift) tip.style.left = Math.round(shift) + "px";
  }

  function tipVisible() {
    if (body.classList.contains("tips-dismissed")) return false;
    return all("mark.quote > .tip").some(function (tip) {
      return tip.getClientRects().length > 0;
    });
  }

  function targetMark() {
    var id = "";
    try {
      id = decodeURIComponent(window.location.hash.slice(1));
    } catch (err) {
      return null;
    }
    var target = id ? document.getElementById(id) : null;
    return target && target.matches("mark.quote") ? target : null;
  }

  function placeTarget() {
    var mark = targetMark();
    if (mark) window.requestAnimationFrame(function () { placeTip(mark); });
  }

  function setupTips() {
    all("mark.quote").forEach(function (mark) {
      mark.addEventListener("mouseenter", function () { placeTip(mark); });
      mark.addEventListener("focus", function () { placeTip(mark); });
    });
    window.addEventListener("hashchange", placeTarget);
    window.addEventListener("load", placeTarget);
    window.addEventListener("resize", placeTarget);
    placeTarget();
  }

  // Copy link: each quotation's tooltip gets a button that copies the link to it (the
  // Clipboard API, else a selected text field and the copy command, else a prompt to copy
  // by hand), announced in a live region.

  var announcer = document.getElementById("announcer");

  function announce(text) {
    if (!announcer) return;
    announcer.textContent = "";
    // A change of text is announced; the same text twice in a row is set anew.
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  function copyByCommand(text) {
    var active = document.activeElement;
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.setAttribute("aria-hidden", "true");
    area.className = "copy-buffer";
    body.appendChild(area);
    area.select();
    var done = false;
    try {
      done = document.execCommand("copy");
    } catch (err) {
      done = false;
    }
    body.removeChild(area);
    if (active && active.focus) active.focus({ preventScroll: true });
    return done;
  }

  function copyText(text) {
    if (navigator.clipboard && typeof navigator.clipboard.writeText === "function") {
      return navigator.clipboard.writeText(text).then(
        function () { return true; },
        function () { return copyByCommand(text); }
      );
    }
    return Promise.resolve(copyByCommand(text));
  }

  function linkTo(mark) {
    return window.location.origin + window.location.pathname + window.location.search +
      "#" + mark.id;
  }

  function tipActions(tip) {
    var actions = tip.querySelector(":scope > .tip-actions");
    if (!actions) {
      actions = document.createElement("span");
      actions.className = "tip-actions";
      tip.appendChild(actions);
    }
    return actions;
  }

  function setupCopyLinks() {
    all("mark.quote[id] > .tip").forEach(function (tip) {
      var mark = tip.parentNode;
      var number = mark.id.replace(/^q/, "");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "tip-action tip-copy";
      button.textContent = "Copy link";
      button.setAttribute("aria-label", "Copy link to quotation " + number);
      var done = document.createElement("span");
      done.className = "tip-done";
      done.setAttribute("aria-hidden", "true");
      done.hidden = true;
      done.textContent = "Copied";
      button.addEventListener("click", function (event) {
        event.preventDefault();
        var url = linkTo(mark);
        copyText(url).then(function (copied) {
          if (copied) {
            done.hidden = false;
            window.setTimeout(function () { done.hidden = true; }, 2000);
            announce("Link to quotation " + number + " copied.");
          } else {
            window.prompt("Copy the link to this quotation:", url);
          }
        });
      });
      var actions = tipActions(tip);
      actions.appendChild(button);
      actions.appendChild(done);
    });
  }

  // "Show who": the tooltip's link to the words that name the speaker. Without script it
  // is a plain link (the words light up as :target); here the words are lit again on
  // every click, scrolled to the middle and focused, and Back returns to the quotation.

  function setupShowWho() {
    all("mark.quote .tip-who").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var id = link.getAttribute("href").slice(1);
        var words = document.getElementById(id);
        if (!words) return;
        event.preventDefault();
        all(".evidence.is-shown").forEach(function (e) { e.classList.remove("is-shown"); });
        void words.offsetWidth; // a new animation, also for the same words again
        words.classList.add("is-shown");
        try {
          window.history.pushState(window.history.state, "", "#" + id);
        } catch (err) {
          // The words are shown all the same.
        }
        var smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
        words.setAttribute("tabindex", "-1");
        words.focus({ preventScroll: true });
        words.scrollIntoView({ block: "center", behavior: smooth ? "smooth" : "auto" });
      });
    });
  }

  // Keyboard shortcuts --------------------------------------------------------------

  function quoteMarks() {
    var marks = all("mark.quote[id]");
    if (selected === null) return marks;
    return marks.filter(function (m) { return m.getAttribute("data-speaker") === selected; });
  }

  function moveQuote(step) {
    var marks = quoteMarks();
    if (!marks.length) return;
    var current = document.activeElement && document.activeElement.closest ?
      document.activeElement.closest("mark.quote[id]") : null;
    var index = marks.indexOf(current);
    if (index === -1) {
      // Start from the reading position: the first quotation below the top of the view.
      index = step > 0 ? -1 : marks.length;
      for (var i = 0; i < marks.length; i += 1) {
        if (marks[i].getBoundingClientRect().top > 0) {
          index = step > 0 ? i - 1 : i;
          break;
        }
      }
    }
    var next = marks[(index + step + marks.length) % marks.length];
    var smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    next.focus({ preventScroll: true });
    next.scrollIntoView({ block: "center", behavior: smooth ? "smooth" : "auto" });
  }

  function moveSpeaker(step) {
    var speakers = all('[data-group="quoted"] [data-person]', panel || document);
    if (!speakers.length) return;
    var slugs = speakers.map(function (s) { return s.getAttribute("data-person"); });
    var index = slugs.indexOf(selected);
    if (index === -1) index = step > 0 ? -1 : slugs.length;
    var slug = slugs[(index + step + slugs.length) % slugs.length];
    choose(slug);
  }

  function typing(target) {
    if (!target || target === document.body) return false;
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  function onKey(event) {
    if (event.key === "Escape") {
      var help = document.getElementById("help");
      if (help && help.open) return; // the dialog closes itself
      var settings = document.getElementById("settings");
      if (settings && settings.open) {
        settings.open = false;
        settings.querySelector("summary").focus();
        return;
      }
      if (sheetOpen()) {
        closeSheet(true);
        return;
      }
      if (tipVisible()) {
        // Focus on a tooltip's button goes back to its quotation before the tooltip hides.
        var inTip = document.activeElement && document.activeElement.closest ?
          document.activeElement.closest("mark.quote > .tip") : null;
        if (inTip) inTip.parentNode.focus({ preventScroll: true });
        body.classList.add("tips-dismissed");
      } else if (selected !== null) {
        choose(null);
      }
      return;
    }
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) return;
    var handled = true;
    switch (event.key) {
      case "j": moveQuote(1); break;
      case "k": moveQuote(-1); break;
      case "]": moveSpeaker(1); break;
      case "[": moveSpeaker(-1); break;
      case "v": {
        var link = document.getElementById("source-link");
        if (link) window.open(link.href, "_blank", "noopener,noreferrer");
        break;
      }
      case "?": {
        var dialog = document.getElementById("help");
        if (dialog && typeof dialog.showModal === "function" && !dialog.open) dialog.showModal();
        break;
      }
      default: handled = false;
    }
    if (handled) event.preventDefault();
  }

  // The owner's correction form, opened at #correct: the current answer (or the words to
  // mark) gets the focus. autofocus alone does not: a page opened at a fragment ignores it.
  function focusCorrection() {
    var form = document.getElementById("correct");
    if (!form || window.location.hash !== "#correct") return;
    var first = form.querySelector('input[name="speaker"]:checked, textarea');
    if (first) first.focus();
  }

  // "Mark a quotation the engine missed" takes the words the owner last selected in the
  // article (a click on the link may clear the selection first, so it is remembered).
  function setupMissedWords() {
    var link = document.querySelector("a[data-missed]");
    var text = document.querySelector(".article-body");
    if (!link || !text) return;
    var chosen = "";
    document.addEventListener("selectionchange", function () {
      var selection = window.getSelection();
      var words = selection ? String(selection).replace(/\s+/g, " ").trim() : "";
      if (words && selection.rangeCount && text.contains(selection.getRangeAt(0).commonAncestorContainer)) {
        chosen = words.slice(0, 5000);
      }
    });
    link.addEventListener("click", function () {
      if (!chosen) return;
      var url = new URL(link.href);
      url.searchParams.set("words", chosen);
      link.href = url.toString();
    });
  }

  setupTools();
  setupPanel();
  setupMissedWords();
  setupCopyLinks();
  setupShowWho();
  setupTips();
  // After the load: the browser has scrolled to the fragment by then, and keeps the focus.
  window.addEventListener("load", focusCorrection);
  window.addEventListener("resize", reserveBarSpace);
  document.addEventListener("keydown", onKey);
  document.addEventListener("pointermove", function (event) {
    // Moving onto another quotation brings tooltips back after an Esc.
    if (body.classList.contains("tips-dismissed") && event.target.closest &&
        event.target.closest("mark.quote") === null) {
      body.classList.remove("tips-dismissed");
    }
  });
})();
