/* The admin pages we configure: name what Django's own widgets leave unnamed (see
   meetings/adminkit.py). Runs after Django's SelectFilter2 has built the two-box selectors
   and the tabs per language of the translated fields have been built. */
(function () {
  "use strict";
  /* Words the page translated for this script (data- attributes of its own tag). */
  var words = document.currentScript ? document.currentScript.dataset : {};
  function fix() {
    document.querySelectorAll(".search-label-icon.help-tooltip").forEach(function (icon) {
      if (!icon.hasAttribute("role")) { icon.setAttribute("role", "img"); }
    });
    /* A tab per language: the tab itself takes the focus and the arrow keys; the link inside
       it is only its label (a link in a tab would be a second, nested control). */
    document.querySelectorAll("li[role=tab] > a.ui-tabs-anchor").forEach(function (anchor) {
      anchor.removeAttribute("href");
      anchor.setAttribute("role", "presentation");
    });
    var main = document.getElementById("modeltranslation-main-switch");
    if (main && !main.hasAttribute("aria-label")) {
      main.setAttribute("aria-label", words.languageSwitch || "Language");
    }
  }
  window.addEventListener("load", fix);
  /* Tabs and selectors built later (the tabs' script, "Add another" in an inline). */
  var pending = false;
  new MutationObserver(function () {
    if (pending) { return; }
    pending = true;
    window.setTimeout(function () { pending = false; fix(); }, 0);
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
