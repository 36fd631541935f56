// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Tell the server the visitor's time zone, so deadlines are shown in local time.
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var had = document.cookie.match(/(?:^|; )cd_tz=([^;]*)/);
    if (zone && /^[A-Za-z0-9_+\-\/]+$/.test(zone) && (!had || had[1] !== zone)) {
      document.cookie = "cd_tz=" + zone + "; path=/; max-age=31536000; samesite=lax" +
        (location.protocol === "https:" ? "; secure" : "");
      var stuck = document.cookie.indexOf("cd_tz=") !== -1;
      if (stuck && document.body.hasAttribute("data-reload-for-zone") && document.querySelector("time")) {
        location.reload();
        return;
      }
    }
  } catch (e) { /* no Intl: times stay in UTC, labelled as such */ }

  // Bring the error summary (or a confirmation) into view and focus for screen readers.
  var focus = document.querySelector(".error-summary[data-focus]") || document.querySelector("[data-focus]");
  if (focus) { focus.focus(); }

  // One click, one complaint: stop a second submit while the first is on its way.
  Array.prototype.forEach.call(document.querySelectorAll("form[data-once]"), function (form) {
    form.addEventListener("submit", function () {
      if (form.getAttribute("aria-busy") === "true") { return; }
      form.setAttribute("aria-busy", "true");
      setTimeout(function () {
        Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (b) { b.disabled = true; });
      }, 0);
    });
  });

  // Copy the private link with one tap.
  Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), function (button) {
    var input = document.getElementById(button.getAttribute("data-copy"));
    if (!input || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () {
        var done = document.querySelector("[data-copied]");
        if (done) { done.hidden = false; }
      });
    });
  });
})();
