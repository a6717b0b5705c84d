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
    if (!element || element.disabled) return;
    /* A key pressed just as the stream's refresh put in a new board: its forms may not be
       htmx's yet, and a click would send the form the plain way (a whole new page, the focus
       lost). htmx.process does nothing to what it has already processed. */
    var form = element.form || (element.closest && element.closest("form"));
    if (form && window.htmx) htmx.process(form);
    element.click();
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
    if (link) moveKey = link.dataset.rowShortcut || null;
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

  /* --- focus after an action -----------------------------------------------------------------
     The board is swapped whole after each action and each change the stream tells of; the
     focus goes back to the row acted on (the same button, else the row), to the current
     speaker's button that took the place of the one pressed (Pause → Resume), else to "Next
     speaker" — never to the page's body. */

  var pending = null; // what the chair acted on: {entry, action, key}

  function describe(element) {
    if (!element || !element.closest) return null;
    var form = element.closest("form");
    var button = element.closest("button, a, select, input") || (form && form.querySelector("button[type=submit]"));
    var row = element.closest("tr[data-entry]");
    var entryInput = form && form.elements && form.elements.entry;
    return {
      id: element.id || null, // a field of the board (an extension being typed) keeps the focus
      entry: row ? row.dataset.entry : (entryInput ? entryInput.value : null),
      action: form ? form.dataset.action || null : null,
      key: button ? (button.dataset.shortcut || button.dataset.rowShortcut || null) : null,
      inRow: !!row
    };
  }

  function nextButton() {
    return document.querySelector('#board [data-shortcut="n"]');
  }

  function focusAfterSwap(what) {
    var target = null;
    if (what && what.id) {
      var same = document.getElementById(what.id);
      if (same && same.closest("#board") && !same.closest("[data-controls]")) target = same;
    }
    if (!target && what && what.entry) {
      var row = document.querySelector('#board tr[data-entry="' + what.entry + '"]');
      if (row) {
        target = (what.key && row.querySelector('[data-row-shortcut="' + what.key + '"]')) ||
          (what.action && row.querySelector('form[data-action="' + what.action + '"] button')) || row;
      }
    }
    if (!target && what && what.key && !what.inRow) {
      target = document.querySelector('#board [data-controls] [data-shortcut="' + what.key + '"]');
    }
    if (!target) target = nextButton();
    if (target && target === document.activeElement) return;
    if (target) target.focus();
  }

  /* The chair's action and the stream's refresh race: a refresh answered first would replace
     the board under the action's form, and the action's own answer (its "withdrawn — Undo",
     its refusal) would be dropped. While an action is on its way, the board's refreshes wait;
     one is made after its answer is shown (a change of someone else's is never lost). */
  var actionAt = 0;
  var missed = false;
  var missedTimer = null;

  function refreshMissed() {
    if (!missed) return;
    missed = false;
    window.clearTimeout(missedTimer);
    var board = document.getElementById("board");
    if (board) htmx.trigger(board, "resync");
  }

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.id === "board") {
      if (Date.now() - actionAt < 5000) {
        event.preventDefault();
        missed = true;
        window.clearTimeout(missedTimer);
        missedTimer = window.setTimeout(function () { actionAt = 0; refreshMissed(); }, 5000);
      }
      return;
    }
    if (event.detail.target && event.detail.target.id === "board") actionAt = Date.now();
    if (!elt || !elt.closest || elt.id === "agenda-nav") return;
    if (elt.closest("#move-dialog")) {
      pending = { entry: elt.elements.entry.value, action: null, key: moveKey, inRow: true };
    } else if (elt.closest("#board")) {
      pending = describe(elt.querySelector("button[type=submit]") || elt);
    }
  });

  var moveKey = null; // the link that opened the move dialog: u, d or m

  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (!event.detail.target || event.detail.target.id !== "board") return;
    if (!pending && document.activeElement && document.activeElement.closest("#board")) {
      pending = describe(document.activeElement); // a change from the stream: keep the focus
    }
  });

  /* A safety net: whatever order the swaps, the dialog's closing and the stream's refreshes
     come in, the focus never stays on the page's body once the board has settled. */
  var lastAction = null;
  var lastActionAt = 0; // only just after the chair's own action: a refresh never moves the page

  function rescueFocus() {
    if (Date.now() - lastActionAt > 3000) return;
    if (document.activeElement === document.body || !document.activeElement) {
      focusAfterSwap(lastAction);
    }
  }

  document.body.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.target && event.detail.target.id === "board") window.setTimeout(rescueFocus, 0);
  });
  if (dialog) dialog.addEventListener("close", function () { window.setTimeout(rescueFocus, 0); });

  function actionDone() {
    actionAt = 0;
    window.setTimeout(refreshMissed, 0);
  }
  document.body.addEventListener("htmx:responseError", actionDone);
  document.body.addEventListener("htmx:sendError", actionDone);

  document.body.addEventListener("htmx:afterSwap", function (event) {
    show();
    if (!event.detail.target || event.detail.target.id !== "board") return;
    var config = event.detail.requestConfig;
    if (config && config.verb && config.verb !== "get") actionDone();
    var board = document.getElementById("board");
    var what = pending;
    pending = null;
    if (what) { lastAction = what; lastActionAt = Date.now(); }
    if (what && dialog && dialog.open) {
      // The move dialog closes after the swap, and would give the focus back to what opened
      // it (gone with the old board): the focus goes to the row moved once it has closed.
      dialog.addEventListener("close", function () { focusAfterSwap(what); }, { once: true });
    } else if (what) focusAfterSwap(what);
    else if (document.activeElement === document.body) focusAfterSwap(null);
    startUndo(board);
    warnings();
    var sent = event.detail.requestConfig && event.detail.requestConfig.elt;
    var add = sent && sent.closest && sent.closest("[data-add-form]");
    if (add && !board.querySelector(".alert-danger")) {
      add.reset();
      add.elements.delegation.focus();
    }
  });

  /* --- undo ------------------------------------------------------------------------------------
     "Chile withdrawn — Undo" stays a few seconds (the form works without this file too). */

  var undoTimer = null;

  function startUndo(board) {
    if (undoTimer) clearTimeout(undoTimer);
    var offer = (board || document).querySelector("[data-undo]");
    if (!offer) return;
    undoTimer = setTimeout(function () {
      var focused = offer.contains(document.activeElement);
      offer.remove();
      if (focused) focusAfterSwap(null);
    }, 1000 * Number(offer.dataset.undoSeconds || 10));
  }

  /* --- the time panel: the meeting's clock, and a word before the limit ----------------------- */

  var live = document.getElementById("live");
  var offset = live && Number(live.dataset.serverNow) ? Number(live.dataset.serverNow) - Date.now() : 0;
  var formats = {};

  function clockText(zone) {
    if (!formats[zone]) {
      try {
        formats[zone] = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
          hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZone: zone
        });
      } catch (error) {
        return null;
      }
    }
    return formats[zone].format(new Date(Date.now() + offset));
  }

  function secondsOf(text) {
    var match = /^(\+?)(\d+):(\d{2})$/.exec((text || "").trim());
    if (!match) return null;
    var seconds = Number(match[2]) * 60 + Number(match[3]);
    return match[1] ? -seconds : seconds;
  }

  function warnings() {
    var warning = document.querySelector("#board [data-limit-warning]");
    var countdown = document.querySelector("#board .current [data-countdown]");
    if (!warning || !countdown) return;
    var left = secondsOf(countdown.textContent);
    if (left === null) return;
    var text = "";
    if (countdown.classList.contains("overtime") || left < 0) text = warning.dataset.overText;
    else if (left <= Number(warning.dataset.warningSeconds || 30)) text = warning.dataset.soonText;
    if (warning.textContent !== text) warning.textContent = text;
  }

  function everySecond() {
    var clock = document.querySelector("[data-clock]");
    if (clock) {
      var text = clockText(clock.dataset.timeZone);
      if (text && clock.textContent !== text) clock.textContent = text;
    }
    warnings();
  }

  setInterval(everySecond, 1000);
  startUndo(document);
  show();
})();
