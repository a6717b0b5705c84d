/* A delegation's page (templates/agenda/my_delegation.html), beside static/js/live.js which
   keeps its regions in step with the live stream.

   - Sound and vibration. The notice "You are next" / "You have the floor" is a status region
     that screen readers announce. A delegate may also switch on a short tone and a vibration
     for it (off by default; the choice is remembered in this browser). The tone's audio is
     opened by that switch, a gesture of the user: nothing sounds before it.
   - Undo. After a withdrawal the page offers "Undo" for a few seconds (data-undo-until, in the
     server's milliseconds); then it says it is too late. Without JavaScript the button stays
     and the server says so.
   No inline script: this file is loaded by the page (strict Content Security Policy). */
(function () {
  "use strict";

  var KEY = "intersessional.floorAlert";
  var notice = document.getElementById("floor-notice");
  var toggle = document.querySelector("[data-alert-toggle]");
  var box = document.getElementById("floor-alert");
  var audio = null;

  function serverNow() {
    var live = window.intersessionalLive;
    return live ? live.serverNow() : Date.now();
  }

  function stored() {
    try { return window.localStorage.getItem(KEY) === "on"; } catch (error) { return false; }
  }

  function store(on) {
    try { window.localStorage.setItem(KEY, on ? "on" : "off"); } catch (error) { /* private mode */ }
  }

  function openAudio() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    if (!audio) audio = new Context();
    if (audio.state === "suspended") audio.resume();
  }

  function tone(times) {
    if (!audio || audio.state !== "running") return;
    for (var i = 0; i < times; i++) {
      var start = audio.currentTime + i * 0.35;
      var oscillator = audio.createOscillator();
      var gain = audio.createGain();
      oscillator.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.3, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.25);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(start);
      oscillator.stop(start + 0.3);
    }
  }

  function alertFor(state) {
    if (!box || !box.checked) return;
    var floor = state.indexOf("floor-") === 0;
    tone(floor ? 2 : 1);
    if (navigator.vibrate) navigator.vibrate(floor ? [200, 100, 200] : [200]);
  }

  if (toggle && box) {
    toggle.hidden = false;
    box.checked = stored();
    box.addEventListener("change", function () {
      store(box.checked);
      if (box.checked) openAudio(); // a user's gesture: the browser lets the tone play
    });
    // After a reload the switch is on but audio needs a gesture again: the first one opens it.
    var firstGesture = function () {
      if (box.checked) openAudio();
      document.removeEventListener("pointerdown", firstGesture);
      document.removeEventListener("keydown", firstGesture);
    };
    document.addEventListener("pointerdown", firstGesture);
    document.addEventListener("keydown", firstGesture);
  }

  /* The notice: alert once for each new piece of news (its key changes). */
  function currentKey() {
    var shown = notice && notice.querySelector("[data-notice]");
    return shown ? shown.getAttribute("data-notice") : "";
  }

  var lastKey = currentKey();
  if (notice && window.MutationObserver) {
    new MutationObserver(function () {
      var key = currentKey();
      if (key && key !== lastKey) alertFor(key);
      lastKey = key;
    }).observe(notice, { childList: true, subtree: true });
  }

  /* Undo: offered for a few seconds, then "too late". */
  function expire() {
    var forms = document.querySelectorAll("form[data-undo-until]");
    var next = Infinity;
    for (var i = 0; i < forms.length; i++) {
      var form = forms[i];
      var left = Number(form.getAttribute("data-undo-until")) - serverNow();
      if (left <= 0) {
        var late = form.parentNode.querySelector("[data-undo-late]");
        var focused = form.contains(document.activeElement);
        form.remove();
        if (late) {
          late.hidden = false;
          if (focused) {
            late.setAttribute("tabindex", "-1");
            late.focus();
          }
        }
      } else {
        next = Math.min(next, left);
      }
    }
    if (next !== Infinity) setTimeout(expire, Math.min(next + 50, 1000));
  }
  expire();
})();
