"""What the browser tests measure in a page: axe-core, contrast, target sizes, overflow.

The measurements run as JavaScript in the page, on the computed styles and laid-out boxes
Chromium produced, so they see exactly what a reader sees (in the colour scheme, width and
zoom the test emulates).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

# The WCAG 2.0, 2.1 and 2.2 A and AA rules (axe-core has no separate "wcag22a" tag).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@cache
def axe_source() -> str:
    """axe.min.js as shipped by the axe-playwright-python package (in the test extras)."""
    from axe_playwright_python.base import AXE_FILE_PATH

    return Path(AXE_FILE_PATH).read_text(encoding="utf-8")


def axe_violations(page) -> list[str]:
    """One line per violated rule: its id, impact, help text and the offending nodes."""
    page.evaluate(axe_source())
    result = page.evaluate(
        """async (tags) => await axe.run(document, {
               runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})""",
        AXE_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']}: " + "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        for v in result["violations"]
    ]


@dataclass(frozen=True)
class Contrast:
    text: str
    ratio: float
    body: bool  # running text (paragraphs, lists, definitions, tables, quotes): needs 7:1
    where: str


# Colours as [r, g, b, a]; an element's background composited up the ancestor chain onto the
# canvas; the WCAG contrast ratio of two opaque colours.
_COLOUR_JS = """
  const parse = (c) => {
    const m = c.match(/[\\d.]+/g).map(Number);
    return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1];
  };
  const over = (top, under) => {
    const a = top[3];
    return [0, 1, 2].map(i => top[i] * a + under[i] * (1 - a)).concat([1]);
  };
  const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
                       return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const canvas = parse(getComputedStyle(document.documentElement).backgroundColor)[3] > 0
      ? parse(getComputedStyle(document.documentElement).backgroundColor)
      : parse(getComputedStyle(document.body).backgroundColor);
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg[3] > 0) layers.push(bg);
    }
    let result = canvas[3] > 0 ? canvas : [255, 255, 255, 1];
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  };
"""


def _with_colours(body: str) -> str:
    """A function for page.evaluate() whose body can use the colour helpers."""
    return "() => {" + _COLOUR_JS + body + "}"


# For every element with text of its own that is visible: its colour against the backgrounds
# behind it, as a WCAG contrast ratio.
_CONTRAST_JS = _with_colours("""
  const hidden = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.clipPath === "inset(50%)" || s.clip === "rect(0px, 0px, 0px, 0px)") return true;
    }
    return !el.checkVisibility({opacityProperty: true, visibilityProperty: true});
  };
  const BODY = "main p, main li, main dd, main td, main th, main blockquote, main figcaption";
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    const own = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join("").trim();
    if (!own || hidden(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2 || r.bottom + scrollY < 0 || r.right + scrollX < 0) continue;
    const color = parse(getComputedStyle(el).color);
    const bg = background(el);
    out.push({text: own.slice(0, 40), ratio: ratio(over(color, bg), bg), body: !!el.closest(BODY),
              where: el.tagName.toLowerCase() + (el.className ? "." + el.className : "")});
  }
  return out;
""")


def contrasts(page) -> list[Contrast]:
    return [Contrast(**entry) for entry in page.evaluate(_CONTRAST_JS)]


@dataclass(frozen=True)
class Target:
    text: str
    width: float
    height: float
    inline: bool  # a link inside a sentence: WCAG 2.5.8's "inline" exception applies


_TARGETS_JS = """() => {
  const out = [];
  const focusable = 'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])';
  for (const el of document.querySelectorAll(focusable)) {
    if (!el.checkVisibility() || el.closest(".visually-hidden")) continue;
    const r = el.getBoundingClientRect();
    if (r.top + scrollY < 0) continue;  // the skip link, parked above the page until focused
    const block = el.parentElement.closest("p, li, dd, td, th, figcaption, blockquote");
    const text = block ? [...block.childNodes].filter(n => n !== el && n.textContent.trim()).length : 0;
    out.push({text: el.textContent.trim().slice(0, 40), width: r.width, height: r.height,
              inline: getComputedStyle(el).display === "inline" && text > 0});
  }
  return out;
}"""


def targets(page) -> list[Target]:
    return [Target(**entry) for entry in page.evaluate(_TARGETS_JS)]


def horizontal_overflow(page) -> int:
    """How many CSS px the page scrolls sideways (0: it reflows)."""
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


# The focused element's indicator: its own outline, or (for a card's title link, whose card is
# the target) the outline the card draws; width in CSS px and contrast against what is behind it.
_FOCUS_JS = _with_colours("""
  const el = document.activeElement;
  const bearer = [el, el.closest(".card")].find(e => e && getComputedStyle(e).outlineStyle !== "none");
  if (!bearer) return {where: el.tagName.toLowerCase(), text: el.textContent.trim().slice(0, 40), width: 0, ratio: 0};
  const s = getComputedStyle(bearer);
  const behind = background(bearer.parentElement);
  return {where: el.tagName.toLowerCase(), text: el.textContent.trim().slice(0, 40),
          width: parseFloat(s.outlineWidth), ratio: ratio(over(parse(s.outlineColor), behind), behind)};
""")


@dataclass(frozen=True)
class Focus:
    where: str
    text: str
    width: float  # of the outline, CSS px
    ratio: float  # of the outline's colour against the background around it (WCAG 1.4.11: 3:1)


def focus_indicator(page) -> Focus:
    return Focus(**page.evaluate(_FOCUS_JS))
