// sitegen serve only: never part of a build. Reloads the page after each rebuild and shows
// the build's errors over the page (the page itself stays the last good build).
(() => {
  const script = document.currentScript;
  const loaded = Number(script.dataset.build);
  const OVERLAY = "sitegen-errors";

  function hide() {
    const old = document.getElementById(OVERLAY);
    if (old) old.remove();
  }

  function element(tag, text, style) {
    const node = document.createElement(tag);
    if (text) node.textContent = text;
    if (style) node.style.cssText = style;
    return node;
  }

  function show(errors) {
    hide();
    const box = element("div", "", "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
      "background:#1b1b1b;color:#fff;font:16px/1.5 system-ui,sans-serif;padding:2rem;");
    box.id = OVERLAY;
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-modal", "true");
    box.setAttribute("aria-labelledby", OVERLAY + "-title");
    const title = element("h2", `The site could not be rebuilt: ${errors.length} error(s)`, "margin-top:0;color:#ffb4a8");
    title.id = OVERLAY + "-title";
    box.append(title, element("p", "These pages are the last good build. Fix the file and save it: " +
      "this message goes away by itself."));
    const list = element("ol", "", "padding-left:1.5rem");
    for (const error of errors) {
      const entry = element("li", "", "margin-bottom:1rem");
      entry.append(element("code", `${error.path}:${error.line}:${error.col}`, "color:#9cd3ff;font-size:1.05em"));
      entry.append(element("div", `${error.severity}: ${error.message}`, "font-weight:700"));
      if (error.hint) entry.append(element("div", `hint: ${error.hint}`, "color:#e0e0e0"));
      list.append(entry);
    }
    box.append(list);
    const close = element("button", "Show the page", "font:inherit;padding:.5rem 1rem");
    close.addEventListener("click", hide);
    box.append(close);
    document.body.append(box);
    close.focus();
  }

  // A new build: the page's new HTML replaces its body in place (no reload: the scroll position
  // stays, and the words are on screen in a few milliseconds instead of a whole page load, as
  // Eleventy's dev server does). The page is loaded again, whole, when that would not show the
  // same as a load: a stylesheet, picture or script was written (their addresses stay the same),
  // the head's stylesheets or scripts differ, the page has a script serve cannot run again
  // safely (only the theme's own are named in data-rerun) or a <noscript>, or it is gone.
  // Measured at 10,000 posts (bench/browser_loop.py).
  let shown = loaded;
  let latest = { build: loaded, restyled: 0, errors: [] };
  const rerunnable = new Set((script.dataset.rerun || "").split(" ").filter(Boolean));

  // What in a head changes how the page looks or behaves; the rest (title, descriptions,
  // canonical address, JSON-LD) is replaced in place.
  const RESOURCE = "script:not([type='application/ld+json']), style, link[rel~='stylesheet'], link[rel~='icon'], base, noscript";
  const CODE = "script:not([type='application/ld+json'])";

  function resources(doc) {
    return [...doc.head.querySelectorAll(RESOURCE)].map((node) => node.outerHTML).join("");
  }

  function runsAgainSafely(doc) {
    if (doc.body.querySelector("noscript")) return false;
    return [...doc.querySelectorAll(CODE)].every(
      (node) => node.getAttribute("src") === script.getAttribute("src") || rerunnable.has(node.getAttribute("src")),
    );
  }

  function rerun(node) {
    const fresh = document.createElement("script");
    for (const { name, value } of node.attributes) fresh.setAttribute(name, value);
    fresh.async = false; // in their order, as on a load
    node.replaceWith(fresh);
  }

  let asked = 0;

  async function update(build) {
    const ask = ++asked;
    const response = await fetch(location.href, { cache: "no-store" });
    const type = response.headers.get("Content-Type") || "";
    if (!response.ok || !type.startsWith("text/html")) return location.reload();
    const next = new DOMParser().parseFromString(await response.text(), "text/html");
    if (ask !== asked) return; // a newer build's page is on its way
    if (resources(next) !== resources(document) || !runsAgainSafely(next)) return location.reload();
    for (const node of next.body.querySelectorAll(CODE)) {
      if (node.getAttribute("src") === script.getAttribute("src")) node.remove(); // this script, already running
    }
    for (const node of [...document.head.children]) if (!node.matches(RESOURCE)) node.remove();
    for (const node of [...next.head.children]) if (!node.matches(RESOURCE)) document.head.append(document.adoptNode(node));
    document.body.replaceWith(document.adoptNode(next.body));
    for (const node of document.querySelectorAll(CODE)) if (node !== script) rerun(node);
    document.body.append(script);
    shown = build;
    if (latest.errors.length) show(latest.errors); // a build failed while this page was on its way
  }

  const events = new EventSource(script.dataset.events);
  events.addEventListener("state", (message) => {
    const state = (latest = JSON.parse(message.data));
    if (state.errors.length) show(state.errors);
    else if (state.restyled > shown) location.reload();
    else if (state.build !== shown) update(state.build).catch(() => location.reload());
    else hide();
  });
})();
