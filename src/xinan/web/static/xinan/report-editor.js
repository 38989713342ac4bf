// Case-report editor: small enhancements; the editor works without JavaScript
// (form posts), and htmx already refreshes the analysis while the author types.
(function () {
  "use strict";
  var form = null;
  var dirty = false;

  function warnBeforeLeaving(event) {
    if (!dirty) { return undefined; }
    event.preventDefault();
    event.returnValue = "";
    return "";
  }

  // A click on a highlighted span in the preview brings its flag's actions into view.
  function showFlag(event) {
    var mark = event.target.closest("mark[data-flag]");
    if (!mark) { return; }
    var row = document.getElementById(mark.getAttribute("data-flag"));
    if (row) { row.scrollIntoView({ behavior: "smooth", block: "center" }); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    form = document.getElementById("report-form");
    if (!form) { return; }
    var fields = document.getElementById("content-fields");
    if (fields) {
      fields.addEventListener("input", function () { dirty = true; });
    }
    form.addEventListener("submit", function () { dirty = false; });
    document.addEventListener("click", showFlag);
    window.addEventListener("beforeunload", warnBeforeLeaving);
  });
})();
