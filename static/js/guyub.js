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

// Offline use (cms/views_pwa.py): the service worker keeps pages opened before; forms are held
// back with a message while there is no connection, so nothing is lost without a word.
(function () {
  "use strict";
  var texts = document.querySelector("meta[name=guyub-offline]");

  function say(text) {
    if (!text) return;
    var main = document.getElementById("main") || document.body;
    var status = document.getElementById("offline-status");
    if (!status) {
      status = document.createElement("p");
      status.id = "offline-status";
      status.className = "message message--warning container";
      status.setAttribute("role", "status");
      main.insertBefore(status, main.firstChild);
    }
    status.textContent = text;
    status.hidden = false;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (navigator.onLine !== false || (form.method || "").toLowerCase() !== "post") return;
    // Capture phase: htmx and the browser never see the submit, and the fields keep their input.
    event.preventDefault();
    event.stopPropagation();
    say(texts && texts.content);
  }, true);

  document.addEventListener("htmx:sendError", function () {
    if (navigator.onLine === false) say(texts && texts.content);
  });

  window.addEventListener("online", function () {
    var status = document.getElementById("offline-status");
    if (status) status.hidden = true;
  });

  var saved = document.documentElement.getAttribute("data-saved-copy");
  if (saved !== null && texts) say(texts.getAttribute("data-saved-copy"));

  if (!("serviceWorker" in navigator)) return;
  var local = /^(localhost|127\.0\.0\.1|\[::1\])$/.test(location.hostname);
  if (location.protocol !== "https:" && !local) return;
  navigator.serviceWorker.register("/sw.js").catch(function () {});

  // Logging out: the worker forgets saved pages (it also does when it sees the form's POST).
  document.addEventListener("submit", function (event) {
    var action = event.target.getAttribute("action") || "";
    if (/\/accounts\/(logout|login|signup)\//.test(action) && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "clear-pages" });
    }
  });
})();

// Delegated, so they work in content htmx swaps in too: a video player loads only when the
// reader taps play (knowledge video blocks), and [data-print] buttons print (receipts).
document.addEventListener("click", function (event) {
  var play = event.target.closest("[data-video-play]");
  if (play) {
    var frame = play.closest(".video__frame");
    frame.replaceChildren(frame.querySelector("template").content.cloneNode(true));
  } else if (event.target.closest("[data-print]")) {
    window.print();
  }
});
