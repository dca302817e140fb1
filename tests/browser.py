"""The proof's page in a real browser: Debian's Chromium driven by Playwright's Python package
(never a browser download: `executable_path` is the system's chromium, which `make test`
installs when missing).

`look(page)` loads a page and reports what a reader's browser would: console messages, page
errors, every request the page made beyond itself, and a full-page screenshot.
`python -m tests.browser PAGE.html OUT.png` writes the screenshot (by hand; `make proof-docs`
renders the PDF's pages with pdftoppm instead).
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from datacontract.report.proof_pdf import BROWSER_FLAGS

WIDTH = 1100


def chromium() -> str:
    """The system's Chromium; an AssertionError (not a skip) when it is missing: `make test`
    installs it, and CI must look at the page."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "no chromium on the PATH: `make chromium` installs Debian's"
    return found


@dataclass
class Looked:
    console: list[str] = field(default_factory=list)  # "type: text"
    errors: list[str] = field(default_factory=list)  # uncaught page errors
    requests: list[str] = field(default_factory=list)  # URLs other than the page itself
    measured: Any = None  # what `measure` returned, evaluated in the page


def look(page_path: Path, screenshot: Path | None = None, measure: str | None = None) -> Looked:
    """Load page_path in headless Chromium; optionally screenshot it (full page) and evaluate
    the JavaScript expression `measure` (run by the test, not by the page) in it."""
    from playwright.sync_api import sync_playwright

    seen = Looked()
    url = page_path.resolve().as_uri()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=list(BROWSER_FLAGS))
        try:
            page = browser.new_page(viewport={"width": WIDTH, "height": 900})
            page.on("console", lambda m: seen.console.append(f"{m.type}: {m.text}"))
            page.on("pageerror", lambda e: seen.errors.append(str(e)))
            page.on("request", lambda r: None if r.url == url else seen.requests.append(r.url))
            page.goto(url, wait_until="load", timeout=120_000)
            if measure is not None:
                seen.measured = page.evaluate(measure)
            if screenshot is not None:
                page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    return seen


if __name__ == "__main__":
    looked = look(Path(sys.argv[1]), Path(sys.argv[2]))
    if looked.console or looked.errors or looked.requests:
        sys.exit(f"{sys.argv[1]}: {looked}")
