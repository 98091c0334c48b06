// The IT dashboard (/admin) and its sign-in page: the server makes every text (translated);
// this only posts the form and places what /admin/api/dashboard answers, every 10 s.
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function post(path, body) {
    return fetch(path, {method: "POST", credentials: "same-origin", cache: "no-store",
                        headers: {"Content-Type": "application/x-www-form-urlencoded"}, body: body});
  }

  // ---- Sign-in page.
  var form = $("sign-in");
  if (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      $("submit").disabled = true;
      var body = new URLSearchParams();
      body.set("name", $("name").value);
      body.set("pin", $("pin").value);
      $("pin").value = "";
      post("/admin/sign-in", body.toString()).then(function (r) {
        return r.json().then(function (j) { return {status: r.status, body: j}; });
      }).then(function (a) {
        if (a.body.ok) { window.location.assign("/admin"); return; }
        $("error").textContent = a.body.error || String(a.status);
        $("error").hidden = false;
        $("submit").disabled = false;
      }).catch(function () {
        $("error").textContent = $("error").getAttribute("data-failed");
        $("error").hidden = false;
        $("submit").disabled = false;
      });
    });
    return;
  }

  // ---- Dashboard. A refresh counts as the person's use of the session only after a key or a
  // click since the last one (the page refreshing alone keeps nobody signed in).
  var active = true;
  ["keydown", "pointerdown", "wheel"].forEach(function (t) {
    document.addEventListener(t, function () { active = true; }, {passive: true});
  });

  function row(cells, cls) {
    var tr = el("tr", cls || "");
    cells.forEach(function (c) { tr.appendChild(el("td", "", c)); });
    return tr;
  }

  function render(d) {
    $("signed-in").textContent = d.signed_in;
    $("updated").textContent = d.updated;
    var devices = $("devices").tBodies[0];
    devices.textContent = "";
    d.devices.forEach(function (x) {
      devices.appendChild(row([x.name, x.role, x.online, x.last_event, x.printer, x.sync], (x.self ? "self " : "") + "state-" + x.state));
    });
    var today = $("today").tBodies[0];
    today.textContent = "";
    d.sectors.forEach(function (s) {
      today.appendChild(row([s.name, s.issued, s.served, s.waiting, s.wait_mean, s.wait_p90]));
    });
    if (d.total) {
      var t = d.total;
      today.appendChild(row([t.name, t.issued, t.served, t.waiting, t.wait_mean, t.wait_p90], "total"));
    }
    var list = $("warnings");
    list.textContent = "";
    d.warnings.forEach(function (w) {
      var li = el("li");
      if (w.time) li.appendChild(el("span", "when", w.time));
      li.appendChild(el("span", "", w.text));
      list.appendChild(li);
    });
    $("none").hidden = d.warnings.length > 0;
  }

  function load() {
    var headers = active ? {"X-Admin-Active": "1"} : {};
    active = false;
    fetch("/admin/api/dashboard", {credentials: "same-origin", cache: "no-store", headers: headers}).then(function (r) {
      if (r.status === 401) { window.location.assign("/admin/sign-in"); return null; }
      return r.json();
    }).then(function (d) { if (d) render(d); }).catch(function () {});
  }

  $("sign-out").addEventListener("click", function () {
    post("/admin/sign-out", "").then(function () { window.location.assign("/admin/sign-in"); });
  });
  load();
  setInterval(load, 10000);
})();
