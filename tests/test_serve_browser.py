"""``hrdocs serve`` in a real browser: Debian's Chromium driven by Playwright (its pip package's driver,
``executable_path`` — no ``playwright install``), against uvicorn on a free loopback port.

A person fills the offer form, sees a validation error, fixes it, writes the letter and downloads
it (opened with python-docx); uploads a CSV with a bad row and sees it reported; runs a batch and
gets the zip (its manifest and a letter opened). Under CI (``CI=true``) a missing Chromium fails the
run instead of skipping it: `.ci/run` installs it.

``HRDOCS_SCREENSHOT=docs/img/serve-offer.png`` makes the offer test save the README's screenshot.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document as open_docx

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _missing() -> str | None:
    if not Path(CHROMIUM).is_file() and not shutil.which("chromium"):
        return f"Chromium is not installed ({CHROMIUM}; .ci/run installs it)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    return None


if (why := _missing()) is not None:
    if IN_CI:
        raise RuntimeError(f"browser tests cannot run under CI: {why}")
    pytest.skip(why, allow_module_level=True)

import uvicorn  # noqa: E402
from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

from hrdocs.serve import create_app  # noqa: E402

GOOD_CSV = (
    "candidate,role,salary,start,manager,location,Notes\n"
    'Jane Doe,generalist,72000,2027-01-04,Dana Whitfield,"Denver, CO",met at fair\n'
    'Sam Poe,recruiter,65000,2027-02-01,Dana Whitfield,"Denver, CO",\n'
)
BAD_CSV = GOOD_CSV + 'John Roe,generalist,lots,2027-01-04,Dana Whitfield,"Denver, CO",\n'


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(make_workspace: Callable[..., Path]) -> Iterator[tuple[str, Path]]:
    """uvicorn serving a fresh workspace on a free port, in a thread; stopped after the test."""
    workspace = make_workspace(name="acme-hr")
    port = _free_port()
    config = uvicorn.Config(create_app(workspace), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", workspace
    running.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1440, "height": 1000})
    tab = context.new_page()
    problems: list[str] = []
    refused = "the server responded with a status of 400"  # a form refused, as the test means it to be
    tab.on(
        "console", lambda m: problems.append(m.text) if m.type == "error" and refused not in m.text else None
    )
    tab.on("pageerror", lambda e: problems.append(str(e)))
    yield tab
    context.close()
    assert not problems, f"the browser reported errors (a script or the CSP): {problems}"


def _download(page: Page, click: Any, into: Path) -> Path:
    with page.expect_download() as info:
        click()
    target = into / info.value.suggested_filename
    info.value.save_as(target)
    return target


def test_offer_form_error_fix_write_and_download(
    server: tuple[str, Path], page: Page, tmp_path: Path
) -> None:
    base, workspace = server
    page.goto(f"{base}/letters/offer")
    page.fill("#f-candidate", "Jane Q. Doe")
    page.select_option("#f-role", "hr-generalist")
    page.click("details.optional summary")  # the salary is among the optional fields (or an hourly rate)
    page.fill("#f-salary", "seventy thousand")
    page.fill("#f-start", "2027-01-04")
    page.fill("#f-manager", "Dana Whitfield")
    page.fill("#f-location", "Denver, CO")
    error = page.locator("#e-salary")
    expect(error).to_be_visible()
    expect(error).to_contain_text("must be a number")
    expect(page.locator("#problems")).to_contain_text("form: salary: must be a number")

    page.fill("#f-salary", "72000")
    expect(error).to_be_hidden()
    expect(page.locator("#problems")).to_be_hidden()
    letter = page.frame_locator("#preview").locator("body")
    expect(letter).to_contain_text("Jane Q. Doe")
    expect(letter).to_contain_text("72,000")
    if shot := os.environ.get("HRDOCS_SCREENSHOT"):
        page.locator("#f-salary").blur()
        page.locator("h1").scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        page.screenshot(path=shot, full_page=False)

    page.click("#write")
    expect(page.locator("#written")).to_contain_text("offer-jane-q-doe-hr-generalist.docx")
    assert (workspace / "output" / "offers" / "offer-jane-q-doe-hr-generalist.docx").is_file()
    saved = _download(page, lambda: page.click("#written a"), tmp_path)
    text = "\n".join(p.text for p in open_docx(str(saved)).paragraphs)
    assert "Jane Q. Doe" in text and "Dana Whitfield" in text and "72,000" in text

    page.click("#write")  # the same letter again: refused, the file is kept
    expect(page.locator("#write-problems")).to_contain_text("already exists, not overwritten")


def test_batch_upload_reports_the_bad_row(server: tuple[str, Path], page: Page, tmp_path: Path) -> None:
    base, workspace = server
    csv = tmp_path / "candidates.csv"
    csv.write_text(BAD_CSV, encoding="utf-8")
    page.goto(f"{base}/batch")
    page.set_input_files("#file", str(csv))
    page.select_option("#kind", "offer")
    page.click("button[type=submit]")
    expect(page.locator("#bad-rows")).to_contain_text("candidates.csv:4: salary: must be a number")
    expect(page.locator("#row-summary")).to_contain_text("3 rows checked: 2 valid, 1 invalid")
    expect(page.locator("#mapping")).to_contain_text("matches no field")
    assert not (workspace / "output").exists()


def test_batch_run_progress_and_zip(server: tuple[str, Path], page: Page, tmp_path: Path) -> None:
    base, workspace = server
    csv = tmp_path / "offers.csv"
    csv.write_text(GOOD_CSV, encoding="utf-8")
    page.goto(f"{base}/batch")
    page.set_input_files("#file", str(csv))
    page.select_option("#kind", "offer")
    page.click("button[type=submit]")
    expect(page.locator("#row-summary")).to_contain_text("2 valid, 0 invalid")
    page.click("#run")
    expect(page.locator("#summary")).to_contain_text("written 2", timeout=60_000)
    assert page.locator("#bar").get_attribute("value") == page.locator("#bar").get_attribute("max")
    saved = _download(page, lambda: page.click("#zip"), tmp_path)
    archive = zipfile.ZipFile(io.BytesIO(saved.read_bytes()))
    manifest = [json.loads(line) for line in archive.read("offers.manifest.jsonl").decode().splitlines()]
    assert [(m["row"], m["kind"]) for m in manifest] == [(2, "offer"), (3, "offer")]
    letter = open_docx(io.BytesIO(archive.read(manifest[1]["path"])))
    assert "Sam Poe" in "\n".join(p.text for p in letter.paragraphs)
    assert (workspace / "output" / "offers" / manifest[1]["path"]).is_file()
