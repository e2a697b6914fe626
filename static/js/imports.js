// Spreadsheet import page: follow the saving of a large import without reloading the page.
// Without JavaScript the page refreshes itself (see the noscript element in the template).
(function () {
  "use strict";
  var bar = document.getElementById("import-progress");
  if (!bar) { return; }
  var label = document.getElementById("import-progress-label");
  var state = document.getElementById("import-state");

  function poll() {
    fetch(bar.getAttribute("data-progress-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        bar.value = data.saved;
        label.textContent = data.saved + " / " + data.total;
        state.textContent = data.label;
        if (data.state !== "applying") { window.location.reload(); return; }
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 2000);
}());
