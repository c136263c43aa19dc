/* The scoring grid: Enter moves on to the next field like Tab (Shift+Enter goes back), so a
   secretary types a whole row without the mouse. Without this file Enter saves the grid. */
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.altKey || event.ctrlKey || event.metaKey) return;
    var field = event.target;
    var grid = field.closest && field.closest("table.score-grid");
    if (!grid || field.tagName !== "INPUT" || field.type === "submit") return;
    var fields = Array.prototype.filter.call(
      grid.querySelectorAll("input:not([type=hidden]):not([disabled])"),
      function (el) { return el.offsetParent !== null; }
    );
    var index = fields.indexOf(field);
    var next = fields[index + (event.shiftKey ? -1 : 1)];
    event.preventDefault();
    if (next) { next.focus(); if (next.select) next.select(); }
  });
})();
