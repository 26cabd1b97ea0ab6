// Apply the saved theme and text size before the page paints (no inline script: CSP).
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
  } catch (err) {
    // Storage can be unavailable (private mode, blocked cookies): keep the defaults.
  }
})();
