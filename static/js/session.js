// Warns five minutes before an idle session ends (SESSION_IDLE_MINUTES), and keeps it on
// when the person asks. Any page load or keep-alive starts the count again.
(function () {
  "use strict";
  var box = document.querySelector("[data-session-warning]");
  if (!box) return;
  var idle = parseInt(box.getAttribute("data-idle-seconds"), 10) * 1000;
  var warnBefore = Math.min(5 * 60 * 1000, idle / 2);
  var minutes = box.querySelector("[data-session-minutes]");
  var stay = box.querySelector("[data-session-stay]");
  var warnTimer, endTimer, lastFocus;

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(warn, idle - warnBefore);
    endTimer = setTimeout(ended, idle);
  }

  function warn() {
    var left = Math.round(warnBefore / 60000);
    minutes.textContent = left < 1 ? "less than a minute" : left === 1 ? "1 minute" : left + " minutes";
    lastFocus = document.activeElement;
    box.hidden = false;
    stay.focus();
  }

  function ended() {
    box.querySelector("#session-warning-title").textContent = "You have been signed out";
    box.querySelector("#session-warning-text").textContent =
      "Nothing happened for a while, so you were signed out to protect the records here. Reload the page to sign in again.";
    stay.hidden = true;
  }

  stay.addEventListener("click", function () {
    fetch(box.getAttribute("data-keep-alive-url"), { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (!response.ok) return ended();
      box.hidden = true;
      schedule();
      if (lastFocus && lastFocus.focus) lastFocus.focus();
    }, ended);
  });

  // Saving as you type (autosave.js) also keeps the session on.
  document.addEventListener("talent:saved", schedule);
  schedule();
})();
