// The error summary (templates/_error_summary.html): focused when the page loads, so that a
// screen reader reads it first; its links move focus to the field and show the field's label.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) return;
    var field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) return;
    event.preventDefault();
    var legend = field.closest("fieldset") && field.closest("fieldset").querySelector("legend");
    var label = document.querySelector("label[for='" + field.id + "']");
    (legend || label || field).scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });
})();
