// Apply the saved reading settings (theme, text size, font, line width, highlighting)
// before the page
// paints, so nothing flashes or moves (no inline script: CSP).
(function () {
  "use strict";
  try {
    var root = document.documentElement;
    root.classList.add("js");
    var theme = window.localStorage.getItem("voices-theme");
    var size = window.localStorage.getItem("voices-size");
    if (theme === "light" || theme === "dark" || theme === "sepia") {
      root.setAttribute("data-theme", theme);
    }
    if (size && /^-?[0-3]$/.test(size) && size !== "0") {
      root.setAttribute("data-size", size);
    }
    var font = window.localStorage.getItem("voices-font");
    var width = window.localStorage.getItem("voices-width");
    if (font === "sans") root.setAttribute("data-font", font);
    if (width === "narrow" || width === "wide") root.setAttribute("data-width", width);
    if (window.localStorage.getItem("voices-highlight") === "off") {
      root.setAttribute("data-highlight", "off");
    }
  } catch (err) {
    // Storage can be unavailable (private mode, blocked cookies): keep the defaults.
  }
})();
