// Keeps the field with focus clear of the sticky save bar (WCAG 2.4.11). CSS scroll-padding does
// most of it; this covers a browser that scrolls a focused field only until part of it shows.
(function () {
  "use strict";
  var bar = document.querySelector(".save-bar");
  if (!bar) return;
  function clear(field) {
    var box = field.getBoundingClientRect();
    var edge = bar.getBoundingClientRect();
    if (box.bottom <= edge.top) return;
    var by = Math.min(box.bottom - edge.top + 12, box.top - 12); // never push its top out of view
    if (by > 0) window.scrollBy({ top: by, behavior: "instant" });
  }
  document.addEventListener("focusin", function (event) {
    var field = event.target;
    if (bar.contains(field) || !field.getBoundingClientRect) return;
    clear(field);
    window.requestAnimationFrame(function () { clear(field); });
  });
})();
