"""Debian's Chromium through Playwright, one way for every browser test.

``chromium(*extra_args)`` launches /usr/bin/chromium headless with the flags this machine
needs (no sandbox as root, no GPU, no background networking or component updates: the
network is closed) plus ``extra_args``. A missing Chromium or Playwright is a failure that
says to run ``make setup``, never a skip: a browser test that did not run did not pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
AUTOPLAY = "--autoplay-policy=no-user-gesture-required"
# file:// pages may read back pixels of file:// videos only with this flag (else the canvas is tainted)
FILE_ACCESS = "--allow-file-access-from-files"


@contextmanager
def chromium(*extra_args: str) -> Iterator[Any]:
    """A launched Playwright browser (closed on exit)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is not installed: run make setup (Debian package chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: run make setup")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *extra_args])
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def video_page(browser: Any, folder: Path, name: str) -> Iterator[Any]:
    """A page (file://, in ``folder``) holding the muted video ``name`` and a canvas to draw
    its frames on, opened in ``browser`` and ready (readyState >= 2); closed on exit. Launch
    the browser with FILE_ACCESS so the canvas may read the video's pixels back."""
    page_file = folder / f"{name}.html"
    page_file.write_text(f'<!doctype html><video src="{name}" muted preload="auto"></video><canvas></canvas>',
                         encoding="utf-8")
    page = browser.new_page()
    try:
        page.goto(page_file.as_uri())
        page.wait_for_function("document.querySelector('video').readyState >= 2", timeout=30_000)
        yield page
    finally:
        page.close()
