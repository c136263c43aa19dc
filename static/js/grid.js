/* The scoring grid, by keyboard like a spreadsheet: Enter moves on to the next field like Tab
   (Shift+Enter goes back); the arrow keys move to the field above, below, left or right (left and
   right once the caret is at the edge of what is typed, or when it is all selected).
   Saving sends only the rows that changed, each with the version it was shown at, so two
   secretaries saving different members of one cell do not refuse each other.
   Without this file Enter saves the grid and every row is sent. */
(function () {
  "use strict";

  function fieldsOf(grid) {
    return Array.prototype.filter.call(
      grid.querySelectorAll("input:not([type=hidden]):not([disabled])"),
      function (el) { return el.offsetParent !== null; }
    );
  }

  function select(field) {
    field.focus();
    if (field.select && field.type !== "checkbox") field.select();
  }

  function atEdge(field, backwards) {
    if (field.type === "checkbox") return true;
    var start = field.selectionStart, end = field.selectionEnd, length = field.value.length;
    if (start === null) return true;
    if (start === 0 && end === length) return true;  // all selected, as after moving in
    return backwards ? (start === 0 && end === 0) : (start === length && end === length);
  }

  function fieldInCell(cell) {
    return cell && cell.querySelector("input:not([type=hidden]):not([disabled])");
  }

  /* The field in the same column of the nearest row above or below that has one. */
  function vertical(field, step) {
    var cell = field.closest("td");
    var row = cell.parentElement;
    var column = cell.cellIndex;
    for (var next = step > 0 ? row.nextElementSibling : row.previousElementSibling; next;
         next = step > 0 ? next.nextElementSibling : next.previousElementSibling) {
      var target = fieldInCell(next.cells[column]);
      if (target) return target;
    }
    return null;
  }

  /* The next field in the same row, to the left or right. */
  function horizontal(field, step) {
    var cell = field.closest("td");
    for (var next = step > 0 ? cell.nextElementSibling : cell.previousElementSibling; next;
         next = step > 0 ? next.nextElementSibling : next.previousElementSibling) {
      var target = fieldInCell(next);
      if (target) return target;
    }
    return null;
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var field = event.target;
    var grid = field.closest && field.closest("table.score-grid");
    if (!grid || field.tagName !== "INPUT" || field.type === "submit") return;
    var target = null;
    if (event.key === "Enter") {
      var fields = fieldsOf(grid);
      target = fields[fields.indexOf(field) + (event.shiftKey ? -1 : 1)];
      event.preventDefault();
    } else if (event.shiftKey) {
      return;  // Shift+arrow extends the selection in the field
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      target = vertical(field, event.key === "ArrowDown" ? 1 : -1);
      event.preventDefault();  // not the list of levels, not the caret
    } else if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      var backwards = event.key === "ArrowLeft";
      if (!atEdge(field, backwards)) return;
      target = horizontal(field, backwards ? -1 : 1);
      if (target) event.preventDefault();
    }
    if (target) select(target);
  });

  /* A row changed since the page showed it: a field differs from what was shown, or the server
     sent the row back unsaved (data-changed, after a refused save). */
  function rowChanged(row) {
    if (row.hasAttribute("data-changed")) return true;
    var edits = window.unsavedEdits;
    return Array.prototype.some.call(row.querySelectorAll("input[name]"), function (field) {
      return edits ? edits.changed(field) : true;
    });
  }

  /* Beside "Lưu": how many members have changes not saved yet (what "Lưu" will send). */
  function countPending() {
    var status = document.getElementById("grid-pending");
    if (!status) return;
    var rows = Array.prototype.filter.call(
      document.querySelectorAll("table.score-grid tbody tr[id^='r-']"), rowChanged);
    status.textContent = rows.length ? "Có " + rows.length + " đảng viên đã sửa, chưa lưu." : "";
  }
  document.addEventListener("input", countPending);
  document.addEventListener("change", countPending);
  document.addEventListener("DOMContentLoaded", countPending);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.querySelector || !form.querySelector("table.score-grid")) return;
    form.querySelectorAll("table.score-grid tbody tr[id^='r-']").forEach(function (row) {
      if (rowChanged(row)) return;
      row.querySelectorAll("input[name]").forEach(function (field) {
        field.disabled = true;
        field.setAttribute("data-unsent", "");
      });
    });
  });

  // Back to the page from the browser's cache: every row can be edited and sent again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("input[data-unsent]").forEach(function (field) {
      field.disabled = false;
      field.removeAttribute("data-unsent");
    });
  });
})();
