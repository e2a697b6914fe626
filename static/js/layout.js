// Narrow screens. Each table of the page with more than three columns becomes one block per row on a phone: every cell is
// labelled with its column's heading (data-label, shown by the stylesheet), so a row reads
// "Status: On track" without its header row. Without JavaScript the tables scroll inside their
// own box instead. The main menu, one scrolling row on a phone, shows the current page's link.
(function () {
  "use strict";
  var tables = document.querySelectorAll("main table");
  Array.prototype.forEach.call(tables, function (table) {
    var head = table.tHead && table.tHead.rows[0];
    if (!head) { return; }
    if (head.cells.length <= 3) { table.classList.add("narrow"); return; }
    var labels = [];
    Array.prototype.forEach.call(head.cells, function (cell) {
      var span = cell.colSpan || 1;
      var text = cell.textContent.replace(/\s+/g, " ").trim();
      for (var i = 0; i < span; i += 1) { labels.push(text); }
    });
    var bodies = Array.prototype.slice.call(table.tBodies);
    if (table.tFoot) { bodies.push(table.tFoot); }
    bodies.forEach(function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          var label = labels[column];
          if (label && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", label); }
          column += cell.colSpan || 1;
        });
      });
    });
    table.classList.add("blocks");
  });

  var nav = document.querySelector(".main-nav");
  var current = nav && nav.querySelector("[aria-current='page']");
  if (current && nav.scrollWidth > nav.clientWidth) {
    nav.scrollLeft = current.offsetLeft - nav.clientWidth / 3;
  }
})();
