/* The network map (/network/map/): drag to move, wheel or pinch to zoom, and hovering, tapping
   or focusing an enterprise highlights its ties and names it. The server draws the whole map
   as SVG; without this file it is a still picture whose circles are links. No inline script:
   the data comes from a <script type="application/json"> block. */
(function () {
  "use strict";

  var HIGHLIGHT = "#7a431d";
  var MIN_SCALE = 0.5;
  var MAX_SCALE = 8;

  function init() {
    var svg = document.querySelector("svg[data-network-map]");
    var dataNode = document.getElementById("network-map-data");
    if (!svg || !dataNode) return;
    var data;
    try { data = JSON.parse(dataNode.textContent); } catch (error) { return; }

    var viewport = svg.querySelector(".network__viewport");
    var status = document.getElementById("network-map-focus");
    var labels = data.labels || {};
    var names = {};
    var neighbours = {};
    (data.nodes || []).forEach(function (node) {
      names[node.id] = node.label;
      neighbours[node.id] = {};
    });
    (data.edges || []).forEach(function (edge) {
      if (neighbours[edge[0]]) neighbours[edge[0]][edge[1]] = true;
      if (neighbours[edge[1]]) neighbours[edge[1]][edge[0]] = true;
    });
    var nodes = Array.prototype.slice.call(svg.querySelectorAll(".network__node"));
    var lines = Array.prototype.slice.call(svg.querySelectorAll(".network__edges line"));

    // --- Highlighting -------------------------------------------------------------------
    var active = null;

    function highlight(id) {
      if (id === active) return;
      active = id;
      var near = neighbours[id] || {};
      nodes.forEach(function (node) {
        var nodeId = node.getAttribute("data-id");
        var state = nodeId === id ? "active" : (near[nodeId] ? "neighbour" : "dim");
        node.setAttribute("data-state", state);
        node.setAttribute("opacity", state === "dim" ? "0.25" : "1");
      });
      lines.forEach(function (line) {
        var touches = line.getAttribute("data-source") === id ||
          line.getAttribute("data-target") === id;
        line.setAttribute("data-state", touches ? "active" : "dim");
        if (touches) {
          line.setAttribute("stroke", HIGHLIGHT);
          line.setAttribute("stroke-width", "3");
          line.removeAttribute("opacity");
          line.parentNode.appendChild(line); // above the other lines
        } else {
          line.removeAttribute("stroke");
          line.removeAttribute("stroke-width");
          line.setAttribute("opacity", "0.15");
        }
      });
      if (status) status.textContent = names[id] || "";
    }

    function clear() {
      active = null;
      nodes.forEach(function (node) {
        node.removeAttribute("data-state");
        node.removeAttribute("opacity");
      });
      lines.forEach(function (line) {
        ["data-state", "stroke", "stroke-width", "opacity"].forEach(function (name) {
          line.removeAttribute(name);
        });
      });
      if (status) status.textContent = "";
    }

    function nodeOf(target) {
      return target && target.closest ? target.closest(".network__node") : null;
    }

    svg.addEventListener("pointerover", function (event) {
      var node = nodeOf(event.target);
      if (node && event.pointerType === "mouse") highlight(node.getAttribute("data-id"));
    });
    svg.addEventListener("pointerleave", function (event) {
      if (event.pointerType === "mouse" && !svg.contains(document.activeElement)) clear();
    });
    svg.addEventListener("focusin", function (event) {
      var node = nodeOf(event.target);
      if (node) highlight(node.getAttribute("data-id"));
    });
    svg.addEventListener("focusout", function (event) {
      if (!svg.contains(event.relatedTarget)) clear();
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && active !== null) {
        clear();
        if (svg.contains(document.activeElement)) document.activeElement.blur();
      }
    });

    // --- Panning and zooming -------------------------------------------------------------
    var view = { x: 0, y: 0, scale: 1 };
    var pointers = {};
    var dragged = false;
    var pinch = null;

    function apply() {
      viewport.setAttribute("transform",
        "translate(" + view.x + " " + view.y + ") scale(" + view.scale + ")");
    }

    function toSvg(clientX, clientY) {
      var matrix = svg.getScreenCTM();
      if (!matrix) return { x: 0, y: 0 };
      var point = svg.createSVGPoint();
      point.x = clientX;
      point.y = clientY;
      return point.matrixTransform(matrix.inverse());
    }

    function zoomAt(point, factor) {
      var scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, view.scale * factor));
      factor = scale / view.scale;
      view.x = point.x - (point.x - view.x) * factor;
      view.y = point.y - (point.y - view.y) * factor;
      view.scale = scale;
      apply();
    }

    function centre() {
      var box = svg.viewBox.baseVal;
      return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    }

    svg.addEventListener("wheel", function (event) {
      event.preventDefault();
      zoomAt(toSvg(event.clientX, event.clientY), Math.exp(-event.deltaY * 0.002));
    }, { passive: false });

    svg.addEventListener("pointerdown", function (event) {
      pointers[event.pointerId] = toSvg(event.clientX, event.clientY);
      dragged = false;
      var ids = Object.keys(pointers);
      if (ids.length === 2) {
        var a = pointers[ids[0]], b = pointers[ids[1]];
        pinch = { distance: Math.hypot(a.x - b.x, a.y - b.y) || 1 };
      }
    });

    svg.addEventListener("pointermove", function (event) {
      var before = pointers[event.pointerId];
      if (!before) return;
      var now = toSvg(event.clientX, event.clientY);
      var ids = Object.keys(pointers);
      if (ids.length === 2 && pinch) {
        pointers[event.pointerId] = now;
        var a = pointers[ids[0]], b = pointers[ids[1]];
        var distance = Math.hypot(a.x - b.x, a.y - b.y) || 1;
        zoomAt({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }, distance / pinch.distance);
        pinch.distance = distance;
        dragged = true;
        return;
      }
      var dx = now.x - before.x, dy = now.y - before.y;
      if (!dragged && Math.hypot(dx, dy) < 4) return;
      if (!dragged && svg.setPointerCapture) svg.setPointerCapture(event.pointerId);
      dragged = true;
      view.x += dx;
      view.y += dy;
      apply();
      // The viewport moved under the pointer, so its position in SVG units is unchanged.
      pointers[event.pointerId] = now;
    });

    function release(event) {
      delete pointers[event.pointerId];
      if (Object.keys(pointers).length < 2) pinch = null;
    }
    svg.addEventListener("pointerup", release);
    svg.addEventListener("pointercancel", release);

    // A drag does not open the enterprise it ended on. On touch screens the first tap on an
    // enterprise shows its ties and name; a second tap on it opens its page.
    svg.addEventListener("click", function (event) {
      var node = nodeOf(event.target);
      if (dragged) {
        event.preventDefault();
        dragged = false;
        return;
      }
      if (!node) {
        clear();
        return;
      }
      var id = node.getAttribute("data-id");
      if (active !== id && event.pointerType !== "mouse" && event.detail !== 0) {
        event.preventDefault();
        highlight(id);
      }
    });

    // --- Buttons, for people without a wheel or two fingers --------------------------------
    var tools = document.createElement("div");
    tools.className = "actions network-map__tools";
    [["+", labels.zoom_in, function () { zoomAt(centre(), 1.5); }],
     ["\u2212", labels.zoom_out, function () { zoomAt(centre(), 1 / 1.5); }],
     ["\u21ba", labels.reset, function () { view = { x: 0, y: 0, scale: 1 }; apply(); }]
    ].forEach(function (tool) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button--small button--ghost";
      button.textContent = tool[0];
      button.setAttribute("aria-label", tool[1] || tool[0]);
      button.title = tool[1] || "";
      button.addEventListener("click", tool[2]);
      tools.appendChild(button);
    });
    if (labels.hint) {
      var hint = document.createElement("span");
      hint.className = "muted";
      hint.textContent = labels.hint;
      tools.appendChild(hint);
    }
    svg.parentNode.insertBefore(tools, svg);
    svg.style.touchAction = "none";
    svg.style.cursor = "grab";
    svg.setAttribute("data-enhanced", "");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
