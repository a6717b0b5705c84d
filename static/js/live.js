/* Live screens: the server's clock, the countdowns, and staying in step with the live stream.

   - Clock. Every screen measures how far its clock is from the server's (a few requests to
     /api/v1/time; the one with the shortest round trip wins) and counts with the server's time.
     A countdown is computed, never counted: remaining = limit − (now − started − paused), from
     the begin/pause times the server stored, so every screen in the room shows the same second.
   - Stream. htmx's SSE extension holds the stream; each live region re-fetches itself when its
     list changes (hx-trigger="sse:list-<item>"). When the stream comes back after a drop, every
     region fetches itself again ("resync"), so nothing missed stays missed.
   - Addresses. Nothing here builds one: each region fetches itself at the address the page
     rendered (hx-get, with the page's language prefix, /fr/…, so a French screen stays French);
     the stream and the clock (data-time-url) are the same in every language.
   No inline script: this file is loaded by the page (strict Content Security Policy). */
(function () {
  "use strict";

  var root = document.getElementById("live");
  if (!root) return;

  var offset = 0; // server time − this screen's time, in milliseconds
  var bestRoundTrip = Infinity;
  var rendered = Number(root.dataset.serverNow);
  if (rendered) offset = rendered - Date.now();

  function serverNow() {
    return Date.now() + offset;
  }

  function measureOnce() {
    var sent = Date.now();
    return fetch(root.dataset.timeUrl, { cache: "no-store", credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var received = Date.now();
        var roundTrip = received - sent;
        if (roundTrip <= bestRoundTrip) {
          bestRoundTrip = roundTrip;
          offset = data.epoch_ms + roundTrip / 2 - received;
        }
      });
  }

  function measure(times) {
    bestRoundTrip = Infinity;
    var chain = Promise.resolve();
    for (var i = 0; i < times; i++) chain = chain.then(measureOnce);
    return chain.catch(function () { /* keep the offset we have */ }).then(tick);
  }

  /* --- countdowns -------------------------------------------------------------------------- */

  function twoDigits(number) {
    return (number < 10 ? "0" : "") + number;
  }

  function clockText(remaining) {
    var seconds = Math.abs(remaining);
    var text = Math.floor(seconds / 60) + ":" + twoDigits(seconds % 60);
    return remaining < 0 ? "+" + text : text;
  }

  /* Screens that warn (data-warning-seconds on the live root) say in words, next to the
     countdown, that time is almost up, over, or paused: not by colour only. */
  var warningSeconds = root.dataset.warningSeconds ? Number(root.dataset.warningSeconds) : null;

  function showWord(clock, pausedAt, over, remaining) {
    if (warningSeconds === null) return;
    var warning = !pausedAt && !over && remaining <= warningSeconds;
    clock.classList.toggle("warning", warning);
    var word = clock.parentNode && clock.parentNode.querySelector("[data-clock-word]");
    if (!word) return;
    var text = pausedAt ? word.dataset.pausedText
      : over ? word.dataset.overText
      : warning ? word.dataset.warningText : "";
    if (word.textContent !== text) word.textContent = text;
    word.classList.toggle("is-warning", warning);
    word.classList.toggle("is-over", !pausedAt && over);
    word.classList.toggle("is-paused", Boolean(pausedAt));
  }

  var timer = null;

  function tick() {
    if (timer) clearTimeout(timer);
    var now = serverNow();
    var wait = 1000;
    var clocks = document.querySelectorAll("[data-countdown]");
    for (var i = 0; i < clocks.length; i++) {
      var clock = clocks[i];
      var started = Number(clock.dataset.started);
      if (!started) continue;
      var pausedAt = clock.dataset.pausedAt ? Number(clock.dataset.pausedAt) : null;
      var elapsed = (pausedAt || now) - started - Number(clock.dataset.pausedTotal || 0);
      var remaining = Number(clock.dataset.limit) - Math.floor(Math.max(elapsed, 0) / 1000);
      var text = clockText(remaining);
      if (clock.textContent !== text) clock.textContent = text;
      // Over the limit by any amount, even under a second, shows as overtime.
      var over = elapsed > Number(clock.dataset.limit) * 1000;
      clock.classList.toggle("overtime", over);
      showWord(clock, pausedAt, over, remaining);
      if (!pausedAt) wait = Math.min(wait, 1000 - (Math.max(elapsed, 0) % 1000) + 5);
    }
    timer = setTimeout(tick, wait);
  }

  /* --- the stream -------------------------------------------------------------------------- */

  var status = root.querySelector("[data-live-status]");
  var opened = false;

  function setStatus(live) {
    if (!status) return;
    status.classList.toggle("is-live", live);
    status.classList.toggle("is-offline", !live);
    status.textContent = live ? status.dataset.liveText : status.dataset.offlineText;
  }

  function resync() {
    var regions = root.querySelectorAll("[hx-trigger]");
    for (var i = 0; i < regions.length; i++) {
      if (regions[i].getAttribute("hx-trigger").indexOf("resync") !== -1) htmx.trigger(regions[i], "resync");
    }
    measure(3);
  }

  root.addEventListener("htmx:sseOpen", function () {
    setStatus(true);
    if (opened) resync(); // back after a drop: fetch everything again
    opened = true;
  });
  root.addEventListener("htmx:sseError", function () {
    setStatus(false);
  });

  /* Regions never go back in time. Every live region carries its item and the version of the
     list it shows (data-item, data-version); `latest` is the newest version the stream told of.
     - A change a region already shows (the chair's own action answered it) is not fetched again.
     - An answer older than what a region shows is not swapped in (answers may cross).
     - After every swap, a region still behind the stream fetches itself again. */
  var latest = {};

  function versionOf(html) {
    var item = /data-item="(\d+)"/.exec(html || "");
    var version = /data-version="(\d+)"/.exec(html || "");
    return item && version ? { item: item[1], version: Number(version[1]) } : null;
  }

  document.body.addEventListener("htmx:confirm", function (event) {
    var trigger = event.detail.triggeringEvent;
    if (!trigger || !/^sse:/.test(trigger.type) || !trigger.detail || !trigger.detail.data) return;
    var data;
    try { data = JSON.parse(trigger.detail.data); } catch (error) { return; }
    if (data.item === undefined) return;
    var item = String(data.item);
    latest[item] = Math.max(latest[item] || 0, data.version);
    var region = event.detail.elt;
    if (/^sse:list-/.test(trigger.type) && item === region.dataset.item &&
        data.version <= Number(region.dataset.version)) {
      event.preventDefault();
    }
  });

  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || !target.dataset || target.dataset.version === undefined) return;
    var answer = versionOf(event.detail.serverResponse);
    if (answer && answer.item === target.dataset.item &&
        answer.version < Number(target.dataset.version)) {
      event.detail.shouldSwap = false;
    }
  });

  function regions() {
    return root.querySelectorAll("[data-item][data-version][hx-trigger]");
  }

  function reconcile() {
    var all = regions();
    for (var i = 0; i < all.length; i++) {
      var region = all[i];
      if ((latest[region.dataset.item] || 0) > Number(region.dataset.version) &&
          !region.classList.contains("htmx-request")) {
        htmx.trigger(region, "resync");
      }
    }
  }

  /* The stream itself is heard here too, not only by the regions: an event that arrives while
     its region is being swapped (the old one gone, the new one not listening yet) would be
     lost to it. */
  var source = null;
  var heardNames = {};

  function hear(event) {
    var data;
    try { data = JSON.parse(event.data); } catch (error) { return; }
    if (data.item === undefined) return;
    var item = String(data.item);
    latest[item] = Math.max(latest[item] || 0, data.version);
    setTimeout(reconcile, 150);
  }

  function listenToRegions() {
    if (!source) return;
    var names = ["agenda"];
    var all = regions();
    for (var i = 0; i < all.length; i++) names.push("list-" + all[i].dataset.item);
    names.forEach(function (name) {
      if (!heardNames[name]) {
        heardNames[name] = true;
        source.addEventListener(name, hear);
      }
    });
  }

  root.addEventListener("htmx:sseOpen", function (event) {
    if (event.detail.source !== source) {
      source = event.detail.source;
      heardNames = {};
    }
    listenToRegions();
  });

  document.body.addEventListener("htmx:afterSettle", function () {
    listenToRegions();
    reconcile();
  });

  document.body.addEventListener("htmx:afterSwap", tick);

  measure(5);
  setInterval(function () { measure(3); }, 10 * 60 * 1000);
  tick();

  window.intersessionalLive = { serverNow: serverNow, resync: resync, latest: latest };
})();
