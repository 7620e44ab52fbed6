// blocsim report: the explorer looks the library's precomputed grid up; the lesson shows steps.
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("explorer-data").textContent);
  function bytes(b64) {
    var s = atob(b64), out = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  }
  var packed = bytes(D.regime), types = bytes(D.types),
      pure = bytes(D.pure), utility = new Float32Array(bytes(D.utility).buffer),
      mixed = new Float32Array(bytes(D.mixed).buffer);
  var regime = packed.map(function (c) { return c % 16; }),
      blocked = packed.map(function (c) { return c >= 16 ? 1 : 0; });
  var axes = D.axes, n = axes.length, DELTA = 2, players = D.players;
  var sliders = axes.map(function (a, k) { return document.getElementById("slider-" + k); });

  function flat(idx, skip) {             // C-order index over the axes, leaving out axis skip
    var f = 0;
    for (var k = 0; k < n; k++) if (k !== skip) f = f * axes[k].values.length + idx[k];
    return f;
  }
  function fmt(x) { return (Math.round(x * 1000) / 1000).toString(); }
  function current() { return sliders.map(function (s) { return parseInt(s.value, 10); }); }
  function el(id) { return document.getElementById(id); }

  function showMatrix(stage) {
    var u = utility.subarray(stage * 8, stage * 8 + 8), mask = pure[stage], names = ["C", "D"];
    var html = "<caption>Utilities u = π − r·π(other): " + players[0] + ", " + players[1] +
      " (underlined: pure equilibrium)</caption><tr><th>" + players[0] + " \\ " + players[1] +
      "</th><th>C</th><th>D</th></tr>";
    for (var i = 0; i < 2; i++) {
      html += "<tr><th>" + names[i] + "</th>";
      for (var j = 0; j < 2; j++) {
        var eq = mask & (1 << (2 * i + j));
        html += "<td" + (eq ? " class=\"eq\"" : "") + ">" + fmt(u[2 * i + j]) + ", " +
          fmt(u[4 + 2 * i + j]) + (eq ? " (equilibrium)" : "") + "</td>";
      }
      html += "</tr>";
    }
    el("x-matrix").innerHTML = html;
    var list = [];
    ["(C,C)", "(C,D)", "(D,C)", "(D,D)"].forEach(function (o, b) { if (mask & (1 << b)) list.push("pure " + o); });
    var x = mixed[2 * stage], y = mixed[2 * stage + 1];
    if (!isNaN(x)) list.push("mixed: " + players[0] + " plays C with probability " + fmt(x) +
                             ", " + players[1] + " with " + fmt(y));
    el("x-equilibria").textContent = list.join("; ") || "none";
    var t = "";
    for (var p = 0; p < 2; p++) {
      var ty = D.type_table[types[2 * stage + p]];
      t += "<li><strong>" + players[p] + ": " + (ty.name || "unnamed") + "</strong> (" +
        ty.ordering + "). " + ty.description + "</li>";
    }
    el("x-types").innerHTML = t;
  }

  var SVGNS = "http://www.w3.org/2000/svg";
  function drawMap(idx) {                // regimes over (row player's weight, δ) at the other axes
    var svg = el("x-map"), g = el("x-cells"), nx = axes[0].values.length,
        ny = axes[DELTA].values.length, W = 600, H = 400;
    while (g.firstChild) g.removeChild(g.firstChild);
    var probe = idx.slice();
    for (var a = 0; a < nx; a++) for (var b = 0; b < ny; b++) {
      probe[0] = a; probe[DELTA] = b;
      var r = document.createElementNS(SVGNS, "rect");
      r.setAttribute("x", (a * W / nx).toFixed(2)); r.setAttribute("width", (W / nx + 0.5).toFixed(2));
      r.setAttribute("y", (H - (b + 1) * H / ny).toFixed(2)); r.setAttribute("height", (H / ny + 0.5).toFixed(2));
      r.setAttribute("fill", "url(#pat-" + regime[flat(probe, -1)] + ")");
      g.appendChild(r);
    }
    var m = el("x-marker");
    m.setAttribute("transform", "translate(" + ((idx[0] + 0.5) * W / nx).toFixed(1) + "," +
                   (H - (idx[DELTA] + 0.5) * H / ny).toFixed(1) + ")");
  }

  function update() {
    var idx = current();
    sliders.forEach(function (s, k) {
      var v = fmt(axes[k].values[idx[k]]);
      el("value-" + k).textContent = v;
      s.setAttribute("aria-valuetext", v);
    });
    var code = regime[flat(idx, -1)], name = D.regimes[code];
    el("regime-name").textContent = name;
    el("regime-text").textContent = D.regime_text[code] +
      (blocked[flat(idx, -1)] ? " Blocked by relative gains: with absolute gains (r = 0) (C,C) would be an equilibrium outcome." : "");
    showMatrix(flat(idx, DELTA));
    drawMap(idx);
  }
  sliders.forEach(function (s) { s.addEventListener("input", update); });
  update();

  // ---- lesson mode ------------------------------------------------------------------------
  var steps = Array.prototype.slice.call(document.querySelectorAll("#lesson-steps > section"));
  var box = el("lesson"), at = 0, opener = null;
  function show(i) {
    at = Math.max(0, Math.min(steps.length - 1, i));
    var s = steps[at], body = el("lesson-body");
    el("lesson-count").textContent = "Step " + (at + 1) + " of " + steps.length;
    el("lesson-title").textContent = s.getAttribute("data-title");
    body.innerHTML = s.innerHTML;
    var fig = s.getAttribute("data-figure");
    if (fig) {
      var src = document.getElementById(fig);
      var slot = body.querySelector(".slot");
      if (src && slot) {
        var copy = src.cloneNode(true);
        copy.removeAttribute("id");          // the section's figure keeps the id
        slot.appendChild(copy);
      }
    }
    el("lesson-prev").disabled = at === 0;
    el("lesson-next").disabled = at === steps.length - 1;
  }
  function open() { opener = document.activeElement; box.hidden = false; show(at); el("lesson-next").focus(); }
  function close() { box.hidden = true; if (opener) opener.focus(); }
  el("lesson-start").addEventListener("click", open);
  el("lesson-prev").addEventListener("click", function () { show(at - 1); });
  el("lesson-next").addEventListener("click", function () { show(at + 1); });
  el("lesson-close").addEventListener("click", close);
  document.addEventListener("keydown", function (e) {
    if (box.hidden) return;
    if (e.key === "ArrowRight") { show(at + 1); e.preventDefault(); }
    else if (e.key === "ArrowLeft") { show(at - 1); e.preventDefault(); }
    else if (e.key === "Escape") { close(); e.preventDefault(); }
  });
  window.blocsimReady = true;
})();
