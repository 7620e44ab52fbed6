"""Time to write the default scenario's report, and its time to first render in headless
Chromium (Debian's ``chromium`` under Selenium: :mod:`sim.report.browser`).

There is no peer program that writes such a report, so the last line compares blocsim's write
time with the target: ``report: blocsim <t> s, target <y> s``.

    PYTHONPATH=$PWD python benchmarks/report.py
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

WRITE_TARGET, RENDER_TARGET = 5.0, 1.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="nato_csto_2007")
    parser.add_argument("--renders", type=int, default=3, help="page loads to time")
    args = parser.parse_args()

    import matplotlib

    matplotlib.use("Agg")
    import sim
    from sim.report import write_report

    out = Path(tempfile.mkdtemp(prefix="blocsim-report-")) / "report.html"
    sc = sim.load(args.scenario)
    t0 = time.perf_counter()
    write_report(sc, out, force=True)
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    write_report(sc, out, force=True)
    write = time.perf_counter() - t0
    size = out.stat().st_size
    print(f"write: first {first:.2f} s (imports, kernel compilation), again {write:.2f} s; "
          f"size {size / 1e6:.2f} MB (limit 3 MB)")

    from sim.report import browser

    if browser.available():
        driver = browser.start()
        try:
            paints = []
            for _ in range(args.renders):
                driver.get(out.as_uri())
                paints.append(driver.execute_script(
                    "var e = performance.getEntriesByName('first-contentful-paint')[0];"
                    "return e ? e.startTime : null;") / 1000)
        finally:
            driver.quit()
        print(f"first contentful paint in headless Chromium: "
              f"{', '.join(f'{p:.3f}' for p in paints)} s (target {RENDER_TARGET} s)")
    else:
        print("render: headless Chromium not installed, not timed")
    print(f"report: blocsim {write:.2f} s, target {WRITE_TARGET:g} s")


if __name__ == "__main__":
    main()
