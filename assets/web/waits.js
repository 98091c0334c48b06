// Live waits of the office (/api/waits), for the office's page and the town site's widget;
// refreshed every 30 s. Texts come translated by the server.
(function () {
  "use strict";
  var lang = document.body.getAttribute("data-lang") || "";
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function render(w) {
    if ($("town")) $("town").textContent = w.town;
    if ($("office")) $("office").textContent = w.office;
    $("status").textContent = w.status;
    $("status").className = "status " + (w.open ? "open" : "closed");
    $("updated").textContent = w.updated;
    var list = $("sectors");
    list.textContent = "";
    w.sectors.forEach(function (s) {
      var li = el("li", "sector-row");
      var badge = el("span", "badge", s.letter);
      badge.style.backgroundColor = s.colour;
      badge.style.color = s.text_colour;
      li.appendChild(badge);
      var body = el("span", "sector-body");
      body.appendChild(el("span", "sector-name", s.name));
      body.appendChild(el("span", "sector-wait", s.wait && s.waiting > 0 ? s.waiting_text + " · " + s.wait.text : s.waiting_text));
      li.appendChild(body);
      li.appendChild(el("span", "count", String(s.waiting)));
      list.appendChild(li);
    });
    var week = $("week");
    if (week) {
      week.textContent = "";
      w.week.forEach(function (d, i) {
        var tr = el("tr", (i === 0 ? "today" : "") + (d.closed ? " closed" : ""));
        tr.appendChild(el("th", "", d.day));
        tr.appendChild(el("td", "", d.hours));
        week.appendChild(tr);
      });
    }
  }

  function load() {
    fetch("/api/waits" + (lang ? "?lang=" + encodeURIComponent(lang) : ""), { cache: "no-cache" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (w) { if (w) render(w); })
      .catch(function () {})
      .then(function () { setTimeout(load, 30000); });
  }
  load();
})();
