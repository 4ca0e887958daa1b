"""Open an HTML file in headless Chromium (Debian's `chromium`, driven by Playwright): console
errors, requests that would leave the machine, what the page shows, and how long it took."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome")

# What a person would look for, counted in the rendered DOM.
FACTS_JS = """() => {
  const imgs = [...document.querySelectorAll('figure.strip img')];
  return {
    charts: document.querySelectorAll('figure.chart svg').length,
    chart_bars: document.querySelectorAll('figure.chart svg path, figure.chart svg rect').length,
    thresholds: [...document.querySelectorAll('figure.chart svg g[id^="threshold-"]')]
        .map(g => g.id),
    threshold_lines_drawn: [...document.querySelectorAll('figure.chart svg g[id^="threshold-"]')]
        .filter(g => g.getBoundingClientRect().height > 20).length,
    strips: imgs.length,
    strips_loaded: imgs.filter(i => i.complete && i.naturalWidth > 0).length,
    strips_wide: imgs.filter(i => i.naturalWidth >= 2.5 * i.naturalHeight).length,
    sections: [...document.querySelectorAll('h2[id]')].map(h => h.id),
  };
}"""


def chromium() -> str | None:
    for name in BROWSERS:
        if path := shutil.which(name):
            return path
    return None


def open_report(html: Path, screenshot: Path | None = None) -> dict:
    """Load `html` and return console errors, blocked requests, DOM facts and timings (s)."""
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    outside: list[str] = []

    def route(r):
        url = r.request.url
        if url.startswith(("file:", "data:", "about:")):
            r.continue_()
        else:  # the report must open offline: anything else is a failure
            outside.append(url)
            r.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
            page.route("**/*", route)
            start = time.monotonic()
            page.goto(html.resolve().as_uri(), wait_until="load")
            loaded_s = time.monotonic() - start
            # two animation frames after load: layout and first paint of everything are done
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => "
                          "requestAnimationFrame(r)))")  # fmt: skip
            painted_s = time.monotonic() - start
            facts = page.evaluate(FACTS_JS)
            if screenshot:
                page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    return {**facts, "errors": errors, "outside": outside, "load_s": loaded_s,
            "paint_s": painted_s}  # fmt: skip
