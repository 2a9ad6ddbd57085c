// Calibration: drag a person's card to another box to fill in the move form, then give the
// reason and record the move. The form works on its own (and by keyboard) without this.
(function () {
  "use strict";
  var board = document.querySelector("[data-calibration-board]");
  var form = document.getElementById("move-form");
  var status = document.getElementById("move-status");
  if (!board || !form || !status) return;
  var person = form.elements.person;
  var box = form.elements.box;
  var reason = form.elements.reason;
  if (!person || person.tagName !== "SELECT" || !box || !reason) return;

  board.classList.add("is-enhanced");
  var hint = document.querySelector(".drag-hint");
  if (hint) hint.hidden = false;
  var dragged = null;

  function clearMarks(name) {
    var marked = board.querySelectorAll("." + name);
    for (var i = 0; i < marked.length; i++) marked[i].classList.remove(name);
  }

  board.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest("[data-person]");
    if (!card) return;
    dragged = card;
    card.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.getAttribute("data-person"));
  });

  board.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("is-dragging");
    clearMarks("is-drop-target");
    dragged = null;
  });

  board.addEventListener("dragover", function (event) {
    var cell = event.target.closest && event.target.closest("[data-box]");
    if (!cell || !dragged) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (!cell.classList.contains("is-drop-target")) {
      clearMarks("is-drop-target");
      cell.classList.add("is-drop-target");
    }
  });

  board.addEventListener("dragleave", function (event) {
    var cell = event.target.closest && event.target.closest("[data-box]");
    if (cell && !cell.contains(event.relatedTarget)) cell.classList.remove("is-drop-target");
  });

  board.addEventListener("drop", function (event) {
    var cell = event.target.closest && event.target.closest("[data-box]");
    if (!cell || !dragged) return;
    event.preventDefault();
    clearMarks("is-drop-target");
    var card = dragged;
    var name = card.getAttribute("data-name");
    var from = card.closest("[data-box]");
    if (from === cell) {
      status.textContent = name + " is already in box " + cell.getAttribute("data-box-name") + ".";
      return;
    }
    clearMarks("is-pending");
    clearMarks("is-pending-target");
    card.classList.add("is-pending");
    cell.classList.add("is-pending-target");
    person.value = card.getAttribute("data-person");
    box.value = cell.getAttribute("data-box");
    status.textContent =
      "Moving " + name + " to box " + cell.getAttribute("data-box-name") +
      ". Give the reason, then record the move.";
    reason.focus();
  });
})();
