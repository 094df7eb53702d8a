// omnicart console: the only script. Keeps an order's timeline live by polling the
// fragment named in data-poll until the order is final (the fragment then has none).
"use strict";
(function () {
  function poll() {
    var timeline = document.getElementById("timeline");
    var url = timeline && timeline.getAttribute("data-poll");
    if (!url) return;
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("timeline");
        if (fresh) timeline.replaceWith(fresh);
      })
      .catch(function () { /* keep the last view; try again */ })
      .finally(function () { setTimeout(poll, 1000); });
  }
  document.addEventListener("DOMContentLoaded", function () { setTimeout(poll, 1000); });
})();
