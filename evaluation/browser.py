"""Debian's headless Chromium, driven through its ChromeDriver, for the web page tests.

Selenium is told where both binaries are, so its manager never looks for (or downloads)
a browser. The flags keep Chromium off the network: on this machine's closed network its
background services fail their lookups, many at a time, and slow every start.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from evaluation import system_packages

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
PACKAGES = ("chromium", "chromium-driver", "fonts-dejavu-core")
FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-extensions",
    "--disable-default-apps", "--hide-scrollbars", "--force-device-scale-factor=1",
)


def missing() -> str | None:
    """Why no browser can run here, or None."""
    for binary in (CHROMIUM, CHROMEDRIVER):
        if not binary.exists():
            return f"{binary} is missing: {system_packages.hint(PACKAGES)}"
    return None


def install() -> None:
    """Install the browser with the project's script (root; apt from Debian's packages)."""
    if missing() is not None:
        system_packages.install(PACKAGES)


@contextmanager
def chromium(width: int = 1280, height: int = 900) -> Iterator[Any]:
    """A selenium WebDriver on a fresh headless Chromium profile, quit on exit."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="newsmon-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={width},{height}")
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)),
                              options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def print_to_pdf(url: str, out: Path, *, header_and_footer: bool = True) -> Path:
    """The page at ``url`` printed to ``out`` as Chromium's "Save as PDF" does (with its
    header of time and title and its footer of address and page count, as by default)."""
    import subprocess

    profile = tempfile.mkdtemp(prefix="newsmon-chromium-")
    try:
        subprocess.run(
            [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={out}",
             *(() if header_and_footer else ("--no-pdf-header-footer",)), url],
            check=True, capture_output=True, timeout=120)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if not out.is_file():
        raise RuntimeError(f"Chromium printed no PDF of {url}")
    return out


def full_page_screenshot(driver: Any, path: Path, width: int = 1280,
                         max_height: int = 2400) -> None:
    """A PNG of the whole page (up to ``max_height``), not just the window."""
    height = int(driver.execute_script("return document.documentElement.scrollHeight"))
    driver.set_window_size(width, min(max(height, 600), max_height))
    path.parent.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(path))
