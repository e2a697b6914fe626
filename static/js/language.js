// The header's language switcher: choosing a language reloads the page in it at once. Without
// JavaScript the "Change" button submits the form; with it, the button is hidden and the select
// says (to screen readers too) that choosing reloads the page.
(function () {
  "use strict";
  var form = document.querySelector("form.language-form");
  if (!form) { return; }
  var select = form.querySelector("select[name='language']");
  var button = form.querySelector("button[type='submit']");
  var hint = form.querySelector(".language-hint");
  if (!select || !button) { return; }
  var chosen = select.value;
  button.hidden = true;
  form.classList.add("language-form-auto");
  if (hint) { select.setAttribute("aria-describedby", hint.id); }
  select.addEventListener("change", function () {
    if (select.value === chosen) { return; }
    if (typeof form.requestSubmit === "function") { form.requestSubmit(); } else { form.submit(); }
  });
})();
