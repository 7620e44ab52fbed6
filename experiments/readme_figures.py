"""The figures shown in the README, made by the real commands on the built-in scenarios.

    python experiments/readme_figures.py [--out docs/figures]

Writes ``region_map.png`` (``blocsim run`` on nato_csto_2007), ``tournament_ranking.png``
(``blocsim tournament`` on nato_csto_2007's utility game, the default entrants and turns),
``emergence_map.png`` (``experiments/emergence_map.py`` on its default grid),
``belief_timeline.png`` (``blocsim trust`` on nato_csto_trust), ``formats.png`` and
``format_map.png`` (``blocsim formats`` on nato_csto_members, for docs/blocs.md), and
``robust_tornado.png`` and ``robust_sensitivity.png`` (``blocsim robust`` on nato_csto_2007,
4096 draws, seed 0) shown in docs/robustness.md.
"""

import argparse
import runpy
import shutil
import tempfile
from pathlib import Path

from sim.cli import main


def build(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for argv in (["run", "nato_csto_2007", "--out", str(tmp / "run")],
                     ["tournament", "nato_csto_2007", "--quiet", "--out", str(tmp / "t")],
                     ["trust", "nato_csto_trust", "--out", str(tmp / "trust")],
                     ["formats", "nato_csto_members", "--out", str(tmp / "f")],
                     ["robust", "nato_csto_2007", "--draws", "4096", "--seed", "0", "--out",
                      str(tmp / "robust")]):
            if main(argv + ["--json"]) != 0:
                raise SystemExit(f"blocsim {' '.join(argv)} failed")
        shutil.copy(tmp / "run" / "region_map.png", out / "region_map.png")
        shutil.copy(tmp / "t" / "ranking.png", out / "tournament_ranking.png")
        for name in ("formats.png", "format_map.png"):
            shutil.copy(tmp / "f" / name, out / name)
        shutil.copy(tmp / "trust" / "belief_timeline.png", out / "belief_timeline.png")
        for name in ("tornado", "sensitivity"):
            shutil.copy(tmp / "robust" / f"{name}.png", out / f"robust_{name}.png")
        emergence = runpy.run_path(str(Path(__file__).with_name("emergence_map.py")))
        if emergence["main"](["--out", str(tmp / "e")]) != 0:
            raise SystemExit("experiments/emergence_map.py failed")
        shutil.copy(tmp / "e" / "emergence_map.png", out / "emergence_map.png")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/figures"))
    build(parser.parse_args().out)
