/* Nothing typed is lost by leaving: a form marked data-unsaved asks before the page is left
   (a link, reload, closing the tab) while what it holds differs from what the page showed.
   A form the server sent back refused (data-unsaved="refused") holds typed values that are not
   saved: it asks until it is submitted. Submitting the form itself never asks. */
(function () {
  "use strict";
  var QUESTION = "Trang có thay đổi chưa lưu. Rời trang thì các thay đổi này sẽ mất. Vẫn rời trang?";
  var leaving = false;

  function changed(field) {
    if (field.disabled || !field.name || !/^(INPUT|SELECT|TEXTAREA)$/.test(field.tagName)) return false;
    if (/^(hidden|submit|button|reset|image)$/.test(field.type)) return false;
    if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
    if (field.tagName === "SELECT") {
      return Array.prototype.some.call(field.options, function (o) { return o.selected !== o.defaultSelected; });
    }
    return field.value !== field.defaultValue;
  }

  function dirty(form) {
    if (form.dataset.unsaved === "refused") return true;
    return Array.prototype.some.call(form.elements, changed);
  }

  function anyDirty() {
    return Array.prototype.some.call(document.querySelectorAll("form[data-unsaved]"), dirty);
  }

  window.unsavedEdits = { changed: changed, dirty: dirty };

  document.addEventListener("submit", function (event) {
    if (event.target.matches && event.target.matches("form[data-unsaved]")) leaving = true;
  });

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || link.target === "_blank" || link.hasAttribute("download")) return;
    var href = link.getAttribute("href");
    if (!href || href.charAt(0) === "#") return;
    if (!anyDirty()) return;
    if (window.confirm(QUESTION)) {
      // The browser's own question would follow: asked once is enough. A link that does not
      // leave (a download) leaves the page guarded again a moment later.
      leaving = true;
      window.setTimeout(function () { leaving = false; }, 1000);
    } else {
      event.preventDefault();
    }
  });

  window.addEventListener("beforeunload", function (event) {
    if (leaving || !anyDirty()) return;
    event.preventDefault();
    event.returnValue = QUESTION;  // older browsers need a value; modern ones show their own text
  });

  // Back to this page from the browser's cache: the question is asked again from now on.
  window.addEventListener("pageshow", function () { leaving = false; });
})();

/* A wide table scrolls inside its own box, not the page: every table of the page sits in a
   .table-wrap; a box that has something to scroll takes the focus (the keyboard scrolls it) and
   is named by its table's caption or the heading above it. */
(function () {
  "use strict";
  function nameOf(table) {
    if (table.caption) return table.caption.textContent.trim();
    for (var el = table.closest(".table-wrap") || table; el; el = el.previousElementSibling) {
      if (/^H[1-6]$/.test(el.tagName)) return el.textContent.trim();
    }
    var heading = document.querySelector("main h1");
    return heading ? heading.textContent.trim() : "Bảng";
  }
  function wrapTables() {
    document.querySelectorAll("main table").forEach(function (table) {
      if (table.closest(".table-wrap") || table.closest(".document") && table.matches(".doc-header, .doc-signatures")) return;
      var box = document.createElement("div");
      box.className = "table-wrap";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
    document.querySelectorAll(".table-wrap").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        var table = box.querySelector("table");
        box.setAttribute("aria-label", table ? nameOf(table) : "Bảng");
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wrapTables);
  else wrapTables();
  document.addEventListener("htmx:afterSettle", wrapTables);  // a table swapped in by htmx
  var resizing;
  window.addEventListener("resize", function () { clearTimeout(resizing); resizing = setTimeout(wrapTables, 200); });
})();

/* "Quay lại" on a printable page goes back where the user came from (a javascript: link would be
   refused by the Content-Security-Policy); without a history it goes home. */
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-back]");
  if (link && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});
