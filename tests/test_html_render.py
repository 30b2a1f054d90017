"""One real HTML report, opened in headless Chromium: every figure loads and the console stays clean.

The report is produced the way users get it (``fouress-eval run`` on prepared demo data), then opened
from a ``file://`` URL by Debian's ``chromium`` through ``chromedriver`` (Selenium). Chromium resolves
no host names here, so a report that needs the network (a CDN script, a remote image) fails on every
machine alike, with or without internet: the reports must be readable offline and must not call out.

Without a ``chromium`` binary the test is skipped, so a developer machine without one still runs the
rest of the suite; ``.ci/run`` installs ``chromium`` and ``chromium-driver``, and under CI (``CI`` set)
a missing browser is a failure, not a skip.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from fouress_eval.cli import app
from fouress_eval.store import prepare

ROOT = Path(__file__).resolve().parents[1]
MUNICIPALITY = "Torsås"
BANNER = "Syntetiska demodata"
_DRIVER_CANDIDATES = ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")


def _find_browser() -> tuple[str, str]:
    """Paths of Chromium and its chromedriver; skip (fail under CI) when either is missing."""
    browser = os.environ.get("CHROMIUM_BIN") or shutil.which("chromium") or shutil.which("chromium-browser")
    driver = os.environ.get("CHROMEDRIVER_BIN") or shutil.which("chromedriver") or next(
        (p for p in _DRIVER_CANDIDATES if os.access(p, os.X_OK)), None)
    missing = [name for name, path in (("chromium", browser), ("chromedriver", driver)) if not path]
    if missing:
        reason = (f"no {' or '.join(missing)} binary found: install Debian's chromium and chromium-driver "
                  "(`apt-get install chromium chromium-driver`; .ci/run does this) to run the HTML render test")
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return browser, driver


@pytest.fixture(scope="module")
def browser_paths() -> tuple[str, str]:
    return _find_browser()


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    """The Torsås data-quality report, run by the CLI on freshly prepared demo data."""
    tmp = tmp_path_factory.mktemp("html-render")
    data = tmp / "data"
    prepare(ROOT / "data_raw" / "demo", data, secret=b"html-render-test")
    reports = tmp / "reports"
    result = CliRunner().invoke(app, ["run", "-m", MUNICIPALITY, "-n", "00_data_quality",
                                      "--data-dir", str(data), "--out", str(reports)])
    assert result.exit_code == 0, result.output
    htmls = sorted(reports.glob("*/00_data_quality.html"))
    assert len(htmls) == 1, f"expected one HTML report under {reports}, found {htmls}\n{result.output}"
    return htmls[0]


@pytest.fixture(scope="module")
def chrome(browser_paths):
    """A headless Chromium session that keeps every browser console message."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
    except ImportError as exc:  # a declared test dependency: a stale environment, not a reason to skip
        raise ImportError("selenium is missing: `pip install -e '.[test]'`") from exc

    browser, driver_path = browser_paths
    options = Options()
    options.binary_location = browser
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-extensions", "--no-first-run", "--window-size=1280,1024",
                # No name resolves: a report that reaches for the network fails here on every machine.
                "--host-resolver-rules=MAP * ~NOTFOUND"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(15)
    try:
        yield driver
    finally:
        driver.quit()


def _image_outputs(notebook: Path) -> int:
    """How many raster figures the executed notebook holds (each becomes one ``<img>`` in the HTML)."""
    nb = nbformat.read(str(notebook), as_version=4)
    return sum(1 for cell in nb.cells if cell.cell_type == "code"
               for out in cell.get("outputs", [])
               if {"image/png", "image/jpeg"} & set(out.get("data", {})))


# Waits for every <img> to finish loading and decoding; a broken image rejects decode().
_IMAGES_JS = """
const done = arguments[arguments.length - 1];
const imgs = Array.from(document.images);
Promise.allSettled(imgs.map(img => img.decode())).then(results => done(imgs.map((img, i) => ({
    index: i,
    src: (img.currentSrc || img.src || '').slice(0, 80),
    alt: img.alt || '',
    complete: img.complete,
    naturalWidth: img.naturalWidth,
    naturalHeight: img.naturalHeight,
    decoded: results[i].status === 'fulfilled',
    error: results[i].status === 'rejected' ? String(results[i].reason) : null,
}))));
"""


def test_report_renders_in_headless_chromium(browser_paths, report, chrome):  # browser check first: skip fast
    chrome.get(report.as_uri())  # returns after the load event (page load strategy "normal")
    assert chrome.execute_script("return document.readyState") == "complete"

    images = chrome.execute_async_script(_IMAGES_JS)
    assert images, "the report holds no <img>: its figures are missing"
    expected = _image_outputs(report.with_suffix(".ipynb"))
    assert len(images) >= expected, f"{expected} figures in the notebook but {len(images)} <img> in the page"
    broken = [img for img in images
              if not (img["complete"] and img["naturalWidth"] > 0 and img["naturalHeight"] > 0 and img["decoded"])]
    assert not broken, f"{len(broken)} of {len(images)} images did not load: {broken}"

    title = chrome.title
    heading = chrome.execute_script(
        "const h = document.querySelector('h1, h2'); return h ? h.textContent : '';")
    assert MUNICIPALITY in title or MUNICIPALITY in heading, f"title {title!r}, first heading {heading!r}"
    text = chrome.execute_script("return document.body.innerText")
    assert BANNER in text, f"the synthetic-data banner {BANNER!r} is not shown"

    log = chrome.get_log("browser")
    errors = [entry for entry in log if entry.get("level") == "SEVERE"]
    assert not errors, "browser console errors while rendering the report:\n" + "\n".join(
        f"  [{e.get('source', '?')}] {e.get('message')}" for e in errors)
