// The staff console's keyboard shortcuts. Progressive enhancement only: every page and
// form works without this file.
//   Queue: j / k move down / up the list, Enter opens the case, / goes to the search.
//   Any text box marked data-submit-on-ctrl-enter: Ctrl+Enter (Cmd+Enter) sends its form.
(function () {
  "use strict";

  function typing(el) {
    if (!el) { return false; }
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-rows] [data-row]"));
  var current = -1;

  function select(index) {
    if (!rows.length) { return; }
    index = Math.max(0, Math.min(rows.length - 1, index));
    if (current >= 0 && rows[current]) {
      rows[current].classList.remove("selected");
      rows[current].removeAttribute("aria-current");
    }
    current = index;
    var row = rows[current];
    row.classList.add("selected");
    row.setAttribute("aria-current", "true");
    var link = row.querySelector("[data-open]");
    if (link) { link.focus({ preventScroll: true }); }
    row.scrollIntoView({ block: "nearest" });
  }

  rows.forEach(function (row, index) {
    row.addEventListener("focusin", function () {
      if (current !== index) { select(index); }
    });
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      if (target && target.hasAttribute && target.hasAttribute("data-submit-on-ctrl-enter") && target.form) {
        event.preventDefault();
        if (target.form.requestSubmit) { target.form.requestSubmit(); } else { target.form.submit(); }
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(target)) { return; }
    if (event.key === "/") {
      var search = document.querySelector("main [data-search]") || document.querySelector("[data-search]");
      if (search) {
        event.preventDefault();
        search.focus();
        search.select();
      }
    } else if (event.key === "j" && rows.length) {
      event.preventDefault();
      select(current + 1);
    } else if (event.key === "k" && rows.length) {
      event.preventDefault();
      select(current < 0 ? 0 : current - 1);
    } else if (event.key === "Enter" && current >= 0 && rows[current]) {
      var open = rows[current].querySelector("[data-open]");
      if (open && target !== open) {
        event.preventDefault();
        window.location.href = open.href;
      }
    }
  });
})();
