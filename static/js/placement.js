// The placement form: say which potential row the four criteria suggest, and which box the
// ratings place the person in, as they are chosen. The server works both out again (and
// writes the box for the page as sent); this only saves a round trip.
(function () {
  "use strict";
  var form = document.getElementById("placement-form");
  var output = document.getElementById("suggestion");
  if (!form || !output) return;
  var criteria = ["aspiration", "engagement", "ability", "leadership_values"];
  var names = { 1: "low", 2: "moderate", 3: "high" };

  function chosen(name) {
    var input = form.querySelector('input[name="' + name + '"]:checked');
    return input ? parseInt(input.value, 10) : null;
  }

  var boxOutput = document.getElementById("box-suggestion");
  var boxes = document.querySelectorAll(".grid-box-option");

  function chosenValue(name) {
    var field = form.querySelector('[name="' + name + '"]');
    if (field && field.tagName === "SELECT") {
      return field.value ? parseInt(field.value, 10) : null;
    }
    return chosen(name);
  }

  function showBox(performance, potential) {
    if (!boxOutput) return;
    var found = null;
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      var match = performance !== null && potential !== null &&
        parseInt(box.dataset.performance, 10) === performance && parseInt(box.dataset.potential, 10) === potential;
      box.classList.toggle("is-suggested", match);
      if (match) found = box;
    }
    var who = form.dataset.firstName || "them";
    boxOutput.textContent = "";
    if (!found) {
      boxOutput.textContent = "Choose the ratings to see which box they place " + who + " in.";
      return;
    }
    boxOutput.appendChild(document.createTextNode("These ratings place " + who + " in box " + found.dataset.number + ": "));
    var label = document.createElement("strong");
    label.textContent = found.dataset.label;
    boxOutput.appendChild(label);
    boxOutput.appendChild(document.createTextNode("."));
  }

  function update() {
    var total = 0;
    var performance = chosenValue("performance");
    for (var i = 0; i < criteria.length; i++) {
      var value = chosen(criteria[i]);
      if (value === null) {
        output.textContent = "";
        showBox(performance, chosenValue("potential"));
        return;
      }
      total += value;
    }
    var row = total <= 6 ? 1 : total <= 9 ? 2 : 3;
    var picked = chosenValue("potential");
    showBox(performance, picked || row);
    var text = "The criteria suggest " + names[row] + " potential.";
    if (picked && picked !== row) {
      text += " You have chosen " + names[picked] + ": give a reason below.";
    }
    output.textContent = text;
  }

  form.addEventListener("change", update);
  update();
})();
