// fidx serve: small enhancements over pages that work without JavaScript.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Search page: a changed date range or sort applies at once; the custom
  // dates show only for "custom range".
  var form = document.querySelector("form.search");
  if (form) {
    var dr = document.getElementById("dr");
    var custom = form.querySelector(".custom");
    var sync = function () { custom.classList.toggle("hidden", dr.value !== "custom"); };
    sync();
    dr.addEventListener("change", function () { sync(); if (dr.value !== "custom") form.submit(); });
    document.getElementById("sort").addEventListener("change", function () { form.submit(); });
    form.querySelectorAll(".custom input").forEach(function (input) {
      input.addEventListener("change", function () { if (dr.value === "custom") form.submit(); });
    });
  }

  // Document view: prev/next through the marked matches, "n of N".
  var marks = Array.prototype.slice.call(document.querySelectorAll("a.hl"));
  var count = document.getElementById("count");
  var current = -1;
  function show(i) {
    if (!marks.length) return;
    if (current >= 0) marks[current].classList.remove("current");
    current = (i + marks.length) % marks.length;
    var m = marks[current];
    m.classList.add("current");
    m.scrollIntoView({ block: "center" });
    m.focus({ preventScroll: true });
    count.textContent = (current + 1) + " of " + marks.length + (marks.length === 1 ? " match" : " matches");
    history.replaceState(null, "", "#m" + (current + 1));
  }
  if (marks.length) {
    document.getElementById("next").addEventListener("click", function (e) { e.preventDefault(); show(current + 1); });
    document.getElementById("prev").addEventListener("click", function (e) { e.preventDefault(); show(current - 1); });
    marks.forEach(function (m, i) {
      m.addEventListener("click", function (e) { e.preventDefault(); show(i + 1); });
    });
    var start = /^#m(\d+)$/.exec(location.hash);
    show(start ? parseInt(start[1], 10) - 1 : 0);
  }

  // Keys: "/" to the search box; n / p through matches.
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA")) return;
    if (e.key === "/" && document.getElementById("q")) {
      e.preventDefault();
      document.getElementById("q").focus();
    } else if (e.key === "n" && marks.length) {
      show(current + 1);
    } else if (e.key === "p" && marks.length) {
      show(current - 1);
    }
  });
})();
