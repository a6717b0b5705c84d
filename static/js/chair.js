/* The chair's console: one key per action, a chosen waiting speaker, the move dialog.

   Every action is a button of a plain form (it works without this file); a key clicks the
   button that carries it (data-shortcut="n"), or, for the waiting speaker chosen with the
   arrow keys, the button of that row (data-row-shortcut="w"). The keys are shown on screen.
   Moving asks for a place and a reason in a dialog; without JavaScript the same links open a
   page with that form. */
(function () {
  "use strict";

  var chosen = null; // the id of the waiting entry chosen with ↑/↓

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("#board tr[data-entry]"));
  }

  function show() {
    var all = rows();
    if (!all.length) { chosen = null; return; }
    if (!all.some(function (row) { return row.dataset.entry === chosen; })) chosen = all[0].dataset.entry;
    all.forEach(function (row) {
      row.setAttribute("aria-selected", row.dataset.entry === chosen ? "true" : "false");
    });
  }

  function chosenRow() {
    show();
    return chosen ? document.querySelector('#board tr[data-entry="' + chosen + '"]') : null;
  }

  function step(delta) {
    var all = rows();
    if (!all.length) return;
    var index = all.findIndex(function (row) { return row.dataset.entry === chosen; });
    index = Math.max(0, Math.min(all.length - 1, (index < 0 ? 0 : index + delta)));
    chosen = all[index].dataset.entry;
    show();
    all[index].scrollIntoView({ block: "nearest" });
  }

  function press(element) {
    if (element && !element.disabled) element.click();
  }

  /* --- the move dialog --------------------------------------------------------------------- */

  var dialog = document.getElementById("move-dialog");

  function openMove(link) {
    if (!dialog || typeof dialog.showModal !== "function") return false;
    var row = link.closest("tr[data-entry]");
    var board = document.getElementById("board");
    var url = new URL(link.href, window.location.href);
    var form = dialog.querySelector("form");
    form.elements.entry.value = row.dataset.entry;
    form.elements.version.value = board.dataset.version;
    form.elements.position.value = url.searchParams.get("position") || row.dataset.place;
    form.elements.reason.value = "";
    var title = dialog.querySelector("[data-move-title]");
    if (title && title.dataset.template) {
      title.textContent = title.dataset.template.replace("__NAME__", row.dataset.name);
    }
    dialog.showModal();
    form.elements.reason.focus();
    return true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-move]");
    if (link && openMove(link)) event.preventDefault();
    if (event.target.closest("[data-move-cancel]")) dialog.close();
  });

  if (dialog) {
    dialog.querySelector("form").addEventListener("htmx:afterRequest", function () { dialog.close(); });
  }

  /* --- keys -------------------------------------------------------------------------------- */

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    var target = event.target;
    if (target.closest("input, textarea, select, [contenteditable], dialog[open]")) {
      if (event.key === "Escape" && target.closest("#add-delegation, #guest-name")) target.blur();
      return;
    }
    var key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    var handled = true;
    if (key === "ArrowDown" || key === "j") step(1);
    else if (key === "ArrowUp" || key === "k") step(-1);
    else if (key === "/") document.getElementById("add-delegation").focus();
    else if (key === "g") document.getElementById("guest-name").focus();
    else if (key === "o") press(document.querySelector('#board tr[data-point-of-order] [data-row-shortcut="o"]'));
    else if (["u", "d", "m", "w"].indexOf(key) !== -1) {
      var row = chosenRow();
      press(row && row.querySelector('[data-row-shortcut="' + key + '"]'));
    } else {
      var button = document.querySelector('[data-shortcut="' + key + '"]');
      if (button) press(button);
      else handled = false;
    }
    if (handled) event.preventDefault();
  });

  document.body.addEventListener("htmx:afterSwap", show);
  show();
})();
