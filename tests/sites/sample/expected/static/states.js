/* Progressive enhancement: bring the "upcoming/past" and "open/closed" badges built into
   the page up to the reader's clock, so a page served from a cache never says "open" for a
   call that has closed. Without script, the state at build time shows. */
(function () {
  "use strict";
  var now = Date.now();
  function time(el, name) {
    var value = el.getAttribute("data-" + name);
    return value ? Date.parse(value) : null;
  }
  function show(el, state) {
    var label = el.getAttribute("data-label-" + state);
    if (label) {
      el.textContent = label;
      el.className = "state state-" + state;
    }
  }
  document.querySelectorAll("[data-starts]").forEach(function (el) {
    var starts = time(el, "starts"), ends = time(el, "ends");
    show(el, now < starts ? "upcoming" : now < ends ? "ongoing" : "past");
  });
  document.querySelectorAll("[data-deadline]").forEach(function (el) {
    var opens = time(el, "opens"), soon = time(el, "soon"), deadline = time(el, "deadline");
    show(el, opens && now < opens ? "upcoming" : now >= deadline ? "closed" : now >= soon ? "closing-soon" : "open");
  });
})();
