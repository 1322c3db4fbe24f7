// The live view: alerts arrive by server-sent events (/live/events) within a second of being produced; the table of
// calls in progress is refreshed every 3 s. Built with DOM methods only (no innerHTML from data).
(function () {
  "use strict";
  var list = document.getElementById("alerts");
  var feed = document.getElementById("feed");
  var calls = document.getElementById("calls");
  if (!list || !feed) return;

  function setFeed(state) {
    feed.setAttribute("data-feed", state);
    feed.textContent = state === "live" ? feed.dataset.connected : state === "off" ? feed.dataset.offline : feed.dataset.connecting;
  }

  function chip(v) {
    var s = document.createElement("span");
    s.className = "chip " + (v <= -0.25 ? "neg" : v >= 0.25 ? "pos" : "neu");
    s.textContent = (v >= 0 ? "+" : "") + v.toLocaleString(document.documentElement.lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    return s;
  }

  function add(a) {
    var none = list.querySelector(".none");
    if (none) none.remove();
    var li = document.createElement("li");
    li.className = "alert-item fresh";
    li.setAttribute("data-testid", "alert");
    li.setAttribute("data-id", a.conversation_id);
    var time = document.createElement("span");
    time.className = "time";
    time.textContent = new Date(a.alerted_at).toISOString().substring(11, 19);
    var link = document.createElement("a");
    link.href = "/conversation/" + encodeURIComponent(a.conversation_id) + "?tenant=" + encodeURIComponent(a.tenant || "default");
    link.textContent = a.conversation_id;
    var turn = document.createElement("span");
    turn.className = "muted";
    turn.textContent = " " + list.dataset.turn + " " + a.turn + " ";
    var rule = document.createElement("span");
    rule.className = "tag bad";
    rule.textContent = a.rule_label || a.rule;
    li.append(time, link, turn, rule, " ", chip(a.valence));
    list.prepend(li);
  }

  if (feed.getAttribute("data-feed") !== "off" && window.EventSource) {
    var es = new EventSource("/live/events?since=" + encodeURIComponent(list.dataset.since));
    es.addEventListener("ready", function (e) { setFeed(JSON.parse(e.data).state); });
    es.addEventListener("alert", function (e) { add(JSON.parse(e.data)); });
    es.onerror = function () { setFeed("connecting"); };
  }

  if (calls) {
    setInterval(function () {
      fetch(calls.dataset.refresh, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html === null) return;
          var doc = new DOMParser().parseFromString(html, "text/html");
          calls.replaceChildren.apply(calls, Array.prototype.slice.call(doc.body.childNodes));
        })
        .catch(function () { });
    }, 3000);
  }
})();
