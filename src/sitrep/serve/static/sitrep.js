// sitrep dashboard: select a claim's evidence in an article (#claim-ID or ?claim=ID).
(function () {
  "use strict";

  function selectClaim(id, scroll) {
    var text = document.getElementById("article-text");
    if (!text) { return; }
    document.querySelectorAll("#article-text .sel").forEach(function (el) {
      el.classList.remove("sel");
    });
    document.querySelectorAll(".sel-row").forEach(function (el) {
      el.classList.remove("sel-row");
    });
    if (!id) { return; }
    var spans = document.querySelectorAll("#article-text .ev-c" + id);
    spans.forEach(function (el) { el.classList.add("sel"); });
    var row = document.getElementById("claim-row-" + id);
    if (row) { row.classList.add("sel-row"); }
    if (scroll && spans.length) {
      spans[0].scrollIntoView({block: "center"});
    }
  }

  function claimFromLocation() {
    var m = /^#claim-(\d+)$/.exec(window.location.hash);
    if (m) { return m[1]; }
    var q = new URLSearchParams(window.location.search).get("claim");
    return q && /^\d+$/.test(q) ? q : null;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var text = document.getElementById("article-text");
    if (!text) { return; }
    selectClaim(claimFromLocation(), true);
    window.addEventListener("hashchange", function () {
      selectClaim(claimFromLocation(), true);
    });
    text.addEventListener("click", function (event) {
      var target = event.target;
      var el = target && target.closest ? target.closest("[data-claims]") : null;
      if (!el) { return; }
      var first = (el.getAttribute("data-claims") || "").split(" ")[0];
      if (/^\d+$/.test(first)) { window.location.hash = "claim-" + first; }
    });
  });
}());
