/* The admin pages we configure: name what Django's own widgets leave unnamed (see
   meetings/adminkit.py). Runs after Django's SelectFilter2 has built the two-box selectors. */
(function () {
  "use strict";
  function fix() {
    document.querySelectorAll(".search-label-icon.help-tooltip").forEach(function (icon) {
      if (!icon.hasAttribute("role")) { icon.setAttribute("role", "img"); }
    });
  }
  window.addEventListener("load", function () {
    fix();
    /* Inlines added with "Add another" build new selectors. */
    document.addEventListener("formset:added", fix);
  });
})();
