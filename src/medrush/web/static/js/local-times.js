// Times the server writes in UTC, as <time data-at="2026-12-07T10:30:00+00:00">10:30 UTC</time>,
// shown in the reader's own time zone and in the page's language (a Chinese page says 18:30, an
// English one 06:30 PM, whatever language the browser itself is set to). data-format="day-time"
// adds the day. Runs when the page loads and after every htmx swap.
(function () {
  var formats = {
    "time": {hour: "2-digit", minute: "2-digit"},
    "day-time": {month: "short", day: "numeric", hour: "2-digit", minute: "2-digit"}
  };
  function localTimes(root) {
    var lang = document.documentElement.lang || undefined;
    (root || document).querySelectorAll("time[data-at]").forEach(function (el) {
      var at = new Date(el.dataset.at);
      if (isNaN(at.getTime())) return;  // keep the server's UTC text
      el.textContent = at.toLocaleString(lang, formats[el.dataset.format] || formats.time);
    });
  }
  window.medrushLocalTimes = localTimes;
  document.addEventListener("DOMContentLoaded", function () { localTimes(); });
  document.addEventListener("htmx:afterSwap", function (e) { localTimes(e.target); });
})();
