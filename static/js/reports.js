// Reports page: follow the state of queued and building reports without reloading the page.
// Without JavaScript the page refreshes itself (see the noscript element in the template).
(function () {
  "use strict";
  var table = document.getElementById("reports-table");
  if (!table) { return; }
  var statusUrl = table.getAttribute("data-status-url");
  var live = document.getElementById("reports-live");

  function pendingRows() {
    return Array.prototype.slice.call(
      table.querySelectorAll("tr[data-state='queued'], tr[data-state='building']"));
  }

  function update(row, report) {
    if (row.getAttribute("data-state") === report.state) { return; }
    row.setAttribute("data-state", report.state);
    var state = row.querySelector(".report-state");
    state.textContent = report.label;
    state.className = "report-state status status-" + report.state;
    if (report.state === "ready" && report.download) {
      var cell = row.querySelector(".report-file");
      cell.textContent = "";
      var link = document.createElement("a");
      link.href = report.download;
      link.textContent = row.getAttribute("data-download-label");
      cell.appendChild(link);
      cell.appendChild(document.createTextNode(" (" + report.pages + " p., " + report.size + ")"));
      if (report.download_docx) {
        var docx = document.createElement("a");
        docx.href = report.download_docx;
        docx.textContent = row.getAttribute("data-docx-label");
        cell.appendChild(document.createElement("br"));
        cell.appendChild(docx);
      }
    }
    if (report.state === "failed") {
      row.querySelector(".report-file").textContent = report.error;
    }
    if (live) { live.textContent = row.getAttribute("data-title") + ": " + report.label; }
  }

  function poll() {
    var rows = pendingRows();
    if (!rows.length) { return; }
    var query = rows.map(function (row) { return "id=" + row.getAttribute("data-id"); }).join("&");
    fetch(statusUrl + "?" + query, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { reports: [] }; })
      .then(function (data) {
        data.reports.forEach(function (report) {
          var row = table.querySelector("tr[data-id='" + report.id + "']");
          if (row) { update(row, report); }
        });
      })
      .catch(function () { /* the next poll tries again */ })
      .then(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 1500);
}());
