// The error summary of a form sent back with mistakes: focus moves to it as the page opens, so
// that it is read and seen first; each of its links moves focus to its field and scrolls the
// field's label (or legend) into view. Without JavaScript the links still lead to the fields.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) { return; }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) { return; }
    var input = document.getElementById(link.getAttribute("href").slice(1));
    if (!input) { return; }
    event.preventDefault();
    var fieldset = input.closest("fieldset");
    var legend = fieldset && fieldset.querySelector("legend");
    var label = legend || document.querySelector("label[for='" + input.id + "']") || input;
    input.focus({ preventScroll: true });
    label.scrollIntoView();
    history.replaceState(null, "", "#" + input.id);
  });
})();
