/* mittari at-risk page: a countdown to each clock's due instant, every second, and the
   at-risk stream (Server-Sent Events, authenticated by the session cookie) that updates
   levels and removes closed clocks. Without this script the page still shows each due
   instant and level as of loading. The due instant already accounts for the calendar, so
   the countdown is wall time to it; a paused clock does not count down. */
(function () {
  "use strict";
  var table = document.querySelector("table[data-live]");
  if (!table) { return; }
  var labels = JSON.parse(table.getAttribute("data-labels") || "{}");
  var lang = table.getAttribute("data-lang") || "en";
  var tones = { ok: "ok", warning: "warn", critical: "bad", breached: "breached" };

  function two(n) { return (n < 10 ? "0" : "") + n; }

  // 2 d 3 h 05 min 09 s, as the server writes durations, with seconds
  function duration(ms) {
    var s = Math.floor(Math.abs(ms) / 1000);
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600);
    var m = Math.floor((s % 3600) / 60), sec = s % 60;
    if (d) { return d + " " + labels.day + " " + h + " h " + two(m) + " min"; }
    if (h) { return h + " h " + two(m) + " min " + two(sec) + " s"; }
    return m + " min " + two(sec) + " s";
  }

  function tick() {
    var now = Date.now();
    var cells = table.querySelectorAll("td.countdown[data-due]");
    for (var i = 0; i < cells.length; i++) {
      var cell = cells[i];
      if (cell.hasAttribute("data-paused")) { continue; }
      var left = Number(cell.getAttribute("data-due")) - now;
      cell.textContent = (left >= 0 ? labels["in"] : labels.over) + " " + duration(left);
      cell.classList.toggle("overdue", left < 0);
    }
  }

  function rowOf(key) {
    var rows = table.querySelectorAll("tbody tr[data-key]");
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].getAttribute("data-key") === key) { return rows[i]; }
    }
    return null;
  }

  function pct(value) {
    return Number(value).toLocaleString(lang === "fi" ? "fi-FI" : "en-GB",
      { maximumFractionDigits: 0 }) + "\u00a0%";
  }

  function update(data) {
    var key = [data.customer, data.ticket, data.metric, data.cycle].join("/");
    var row = rowOf(key);
    if (!row) {  // a clock this page does not list: offer a reload rather than guess filters
      var note = document.querySelector("[data-live-note]");
      if (note) { note.hidden = false; }
      return;
    }
    row.setAttribute("data-level", data.level);
    row.setAttribute("data-state", data.state);
    row.className = "level-" + data.level;
    var pill = row.querySelector("td.level .status");
    if (pill) {
      pill.className = "status " + (tones[data.level] || "none");
      pill.textContent = labels[data.level] || data.level;
    }
    var used = row.querySelector("td.used");
    if (used) { used.textContent = pct(data.used_pct); }
    var cell = row.querySelector("td.countdown");
    if (cell) {
      cell.setAttribute("data-due", String(Date.parse(data.due_at)));
      if (data.state === "paused") {
        if (!cell.hasAttribute("data-paused")) { cell.textContent = labels.paused; }
        cell.setAttribute("data-paused", "");
      } else {
        cell.removeAttribute("data-paused");
      }
    }
  }

  function gone(data) {
    var row = rowOf(data.clock);
    if (row && row.parentNode) {
      row.parentNode.removeChild(row);
      var count = document.querySelector("[data-count]");
      if (count) { count.textContent = String(table.querySelectorAll("tbody tr").length); }
    }
  }

  tick();
  window.setInterval(tick, 1000);
  if (window.EventSource) {
    var source = new EventSource(table.getAttribute("data-live"));
    source.addEventListener("clock", function (e) { update(JSON.parse(e.data)); });
    source.addEventListener("gone", function (e) { gone(JSON.parse(e.data)); });
  }
}());
