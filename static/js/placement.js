// The placement form: say which potential row the four criteria suggest as they are chosen.
// The server works the suggestion out again; this only saves a round trip.
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

  function update() {
    var total = 0;
    for (var i = 0; i < criteria.length; i++) {
      var value = chosen(criteria[i]);
      if (value === null) {
        output.textContent = "";
        return;
      }
      total += value;
    }
    var row = total <= 6 ? 1 : total <= 9 ? 2 : 3;
    var picked = chosen("potential");
    var text = "The criteria suggest " + names[row] + " potential.";
    if (picked && picked !== row) {
      text += " You have chosen " + names[picked] + ": give a reason below.";
    }
    output.textContent = text;
  }

  form.addEventListener("change", update);
  update();
})();
