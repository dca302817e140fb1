"""The proof's page printed to PDF (A4) by headless Chromium.

Chromium rather than WeasyPrint: it renders the inline SVG of the graph and the timeline
exactly as the browser shows the page (WeasyPrint's SVG support is partial), and it is the same
engine the tests check the page in. It runs with a fresh profile in a private temporary folder,
no network features (no QUIC, background networking, component updates or sync), no sandbox
(it runs inside containers and as root in CI) and no GPU, and prints the page without the
browser's header and footer.

The browser is $DATACONTRACT_CHROMIUM, else the first of chromium, chromium-browser,
google-chrome on the PATH. Without one, or when it fails or times out, a UsageError (exit 2)
says so; Debian: apt-get install chromium (`make test` installs it when missing).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from datacontract.errors import UsageError
from datacontract.output import write_file
from datacontract.report.inert import plain

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT = 180  # seconds for one print; a loaded CI machine needs a while to start a browser
# What Chromium needs on a closed, headless machine (the tests' browser starts with the same).
BROWSER_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
FLAGS = ("--headless", *BROWSER_FLAGS, "--no-pdf-header-footer")


def browser() -> str | None:
    """The Chromium to print with (see the module docstring), or None."""
    named = os.environ.get("DATACONTRACT_CHROMIUM")
    if named:
        return shutil.which(named)
    return next((found for b in BROWSERS if (found := shutil.which(b))), None)


def to_pdf(page: str) -> bytes:
    """The PDF of an HTML page (the proof_html page: no script, no external resource)."""
    chromium = browser()
    if chromium is None:
        raise UsageError(
            "--format pdf prints the proof with headless Chromium, and none is installed "
            "(Debian: apt-get install chromium; or set DATACONTRACT_CHROMIUM to its path); "
            "--format html gives the same page to print from any browser"
        )
    with tempfile.TemporaryDirectory(prefix="datacontract-pdf-") as folder:
        work = Path(folder)
        source, target = work / "proof.html", work / "proof.pdf"
        write_file(source, page)
        command = [
            chromium,
            *FLAGS,
            f"--user-data-dir={work / 'profile'}",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        try:
            run = subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise UsageError(f"{chromium} did not print the proof within {TIMEOUT} s") from None
        except OSError as exc:
            raise UsageError(f"{chromium} could not be started: {exc.strerror or exc}") from None
        data = target.read_bytes() if target.is_file() else b""
        if run.returncode != 0 or not data.startswith(b"%PDF"):
            lines = run.stderr.decode("utf-8", "replace").strip().splitlines()
            said = plain(lines[-1]) if lines else ""
            raise UsageError(
                f"{chromium} did not print the proof (exit {run.returncode})"
                + (f": {said[:300]}" if said else "")
            )
        return data
