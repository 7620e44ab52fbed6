"""The README's explorer screenshot (docs/figures/explorer.png): the default scenario's report
in headless Chromium, the explorer section only.

    PYTHONPATH=$PWD python experiments/explorer_screenshot.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "docs" / "figures" / "explorer.png"


def main():
    import matplotlib

    matplotlib.use("Agg")
    import sim
    from sim.report import browser, write_report

    page = write_report(sim.load("nato_csto_2007"),
                        Path(tempfile.mkdtemp(prefix="blocsim-report-")) / "report.html")
    driver = browser.start(1280, 1400)
    try:
        driver.get(page.as_uri())
        driver.find_element("id", "explorer").screenshot(str(OUT))
    finally:
        driver.quit()
    print(f"Wrote {OUT}")


if __name__ == "__main__":
    main()
