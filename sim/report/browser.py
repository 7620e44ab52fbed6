"""Debian's headless Chromium under Selenium, for the report's browser tests, its benchmark
and the README's screenshot (Selenium is in the ``test`` extra; nothing downloads a browser)."""

from __future__ import annotations

import tempfile
from pathlib import Path

CHROMIUM, DRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")

#: No network, no first-run work, no background services: the page must work alone.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")


def available() -> bool:
    """Both the browser and its driver are installed."""
    return CHROMIUM.exists() and DRIVER.exists()


def start(width: int = 1280, height: int = 1000):
    """A headless Chromium with a fresh profile and its console log kept."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--window-size={width},{height}"):
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(prefix='blocsim-chromium-')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(str(DRIVER)), options=options)
