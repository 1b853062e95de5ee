/* Small enhancements only: every page works without this file. */
(function () {
  "use strict";

  // Laptops show the filter panel as an open sidebar; phones keep it folded.
  function openFiltersOnWideScreens() {
    if (!window.matchMedia("(min-width: 60em)").matches) return;
    document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
      details.open = true;
    });
  }

  // Filter requests leave out empty fields, so pushed addresses stay short and shareable.
  document.addEventListener("htmx:configRequest", function (event) {
    var data = event.detail.formData;
    if (!data) return;
    Array.from(data.keys()).forEach(function (key) {
      if (data.getAll(key).every(function (value) { return value === ""; })) data.delete(key);
    });
  });

  // A plain submit (htmx absent) also drops empty fields from the address.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.method !== "get" || window.htmx) return;
    var empty = Array.from(form.elements).filter(function (field) {
      return field.name && !field.disabled && field.value === "" && field.type !== "submit";
    });
    empty.forEach(function (field) { field.disabled = true; });
    setTimeout(function () { empty.forEach(function (field) { field.disabled = false; }); }, 0);
  });

  // Results swapped in by htmx are announced through a status region that stays in the page.
  document.addEventListener("htmx:afterSettle", function () {
    var status = document.getElementById("results-status");
    var count = document.querySelector("#results [data-result-count]");
    if (status && count) status.textContent = count.textContent;
  });

  // After htmx changes the address, the language links keep the same filters.
  document.addEventListener("htmx:pushedIntoHistory", function () {
    document.querySelectorAll(".lang-switch a, link[rel=alternate][hreflang]").forEach(function (link) {
      var url = new URL(link.href, location.href);
      url.search = location.search;
      link.href = url.href;
    });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", openFiltersOnWideScreens);
  } else {
    openFiltersOnWideScreens();
  }
})();

// Copy buttons (invite links): hidden without JavaScript, where the link stays selectable text.
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var done = function () {
        var label = button.querySelector("[data-copy-label]");
        if (label) label.textContent = button.getAttribute("data-copied");
      };
      field.focus();
      field.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () {
          if (document.execCommand("copy")) done();
        });
      } else if (document.execCommand("copy")) {
        done();
      }
    });
  });
})();
