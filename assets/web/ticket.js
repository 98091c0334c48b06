// The citizen's ticket on the phone: live from /api/t/TOKEN/events (server-sent events), the
// texts already translated by the server; polling every 10 s where EventSource is missing.
(function () {
  "use strict";
  var token = location.pathname.split("/").pop();
  var $ = function (id) { return document.getElementById(id); };
  var lastState = null, notifyAt = 0, notified = false, source = null;
  try { notifyAt = parseInt(sessionStorage.getItem("notify-" + token) || "0", 10) || 0; } catch (e) {}

  function buzz(pattern) { if (navigator.vibrate) { try { navigator.vibrate(pattern); } catch (e) {} } }

  function render(t) {
    var card = $("card");
    if (t.sector) {
      $("sector").textContent = t.sector.name;
      card.style.backgroundColor = t.sector.colour;
      card.style.color = t.sector.text_colour;
    }
    $("label").textContent = t.label;
    $("message").textContent = t.message;
    $("wait").textContent = t.wait ? t.wait.text : "";
    $("updated").textContent = t.updated;
    document.body.className = "page-ticket state-" + t.state;
    document.title = t.label + " · " + t.title;
    $("notify").hidden = t.state !== "waiting";
    if (t.state === "called" && lastState !== "called") buzz([400, 150, 400, 150, 400]);
    if (t.state === "waiting" && notifyAt > 0 && t.ahead <= notifyAt && !notified) {
      notified = true;
      $("alert-text").textContent = t.message;
      $("alert").hidden = false;
      buzz([300, 100, 300]);
    }
    showFeedback(t);
    lastState = t.state;
    if ((t.state === "done" || t.state === "gone") && source) { source.close(); source = null; }
  }

  // Satisfaction: once served, three faces; after "bad" the reasons (or none); then thanks.
  // One POST to this server (same origin); a second answer for the ticket is refused (409).
  var feedbackDone = false, rating = null;
  function showFeedback(t) {
    if (feedbackDone) return;  // the thank-you stays
    $("feedback").hidden = !(t.state === "done" && t.feedback === "open");
  }
  function thanks(text) {
    feedbackDone = true;
    $("fb-faces").hidden = true;
    $("fb-reasons").hidden = true;
    $("fb-error").hidden = true;
    if (text) $("fb-thanks").textContent = text;
    $("fb-thanks").hidden = false;
    $("feedback").hidden = false;
  }
  function send(reason) {
    var body = { rating: rating };
    if (reason) body.reason = reason;
    fetch("/api/t/" + token + "/feedback", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), cache: "no-store"
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) {
        if (r.ok) thanks(j.message);
        else if (r.status === 409 && j.message) thanks(j.message);
        else { $("fb-error").textContent = j.message || j.error || String(r.status); $("fb-error").hidden = false; }
      });
    }).catch(function () { $("fb-error").textContent = "…"; $("fb-error").hidden = false; });
  }
  Array.prototype.forEach.call(document.querySelectorAll("#fb-faces button"), function (b) {
    b.addEventListener("click", function () {
      rating = b.getAttribute("data-rating");
      Array.prototype.forEach.call(document.querySelectorAll("#fb-faces button"), function (o) {
        o.setAttribute("aria-pressed", o === b ? "true" : "false");
      });
      if (rating === "bad") { $("fb-reasons").hidden = false; $("fb-reasons").querySelector("button").focus(); }
      else send("");
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("#fb-reasons button"), function (b) {
    b.addEventListener("click", function () { send(b.getAttribute("data-reason")); });
  });

  Array.prototype.forEach.call(document.querySelectorAll("#notify button"), function (b) {
    b.addEventListener("click", function () {
      notifyAt = parseInt(b.getAttribute("data-ahead"), 10);
      notified = false;
      try { sessionStorage.setItem("notify-" + token, String(notifyAt)); } catch (e) {}
      $("notify-set").hidden = false;
      Array.prototype.forEach.call(document.querySelectorAll("#notify button"), function (o) {
        o.setAttribute("aria-pressed", o === b ? "true" : "false");
      });
    });
  });

  function poll() {
    fetch("/api/t/" + token, { cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (t) { if (t) render(t); })
      .catch(function () {})
      .then(function () { if (lastState !== "done" && lastState !== "gone") setTimeout(poll, 10000); });
  }

  if (window.EventSource) {
    source = new EventSource("/api/t/" + token + "/events");
    source.onmessage = function (e) { render(JSON.parse(e.data)); $("link").hidden = false; };
    source.onerror = function () {
      $("link").hidden = true;  // the browser reconnects by itself …
      // … unless the server refused the stream (503: too many open, 429): then poll instead.
      if (source && source.readyState === EventSource.CLOSED) { source = null; poll(); }
    };
  } else {
    poll();
  }
})();
