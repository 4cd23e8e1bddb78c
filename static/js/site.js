// Small enhancements on top of pages that work without JavaScript.
(function () {
  "use strict";
  // Upload progress: htmx reports it; show it on the form's <progress>.
  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = event.target.closest && event.target.closest("form.upload");
    if (!form || !event.detail.lengthComputable) { return; }
    var bar = form.querySelector("progress");
    if (bar) {
      bar.hidden = false;
      bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
    }
  });
  // Activity search: choosing a result fills the select above it.
  document.addEventListener("click", function (event) {
    var code = event.target.getAttribute && event.target.getAttribute("data-activity");
    if (!code) { return; }
    var select = document.getElementById("id_activity_code");
    if (select) { select.value = code; select.focus(); }
  });
})();
