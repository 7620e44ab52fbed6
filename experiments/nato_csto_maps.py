"""Regime maps of the NATO–CSTO baseline that test the report's claims (MODEL-NOTES.md, "The
report's counterfactuals and claims"), computed by sweeps of scenarios/nato_csto_2007.toml.

1. ``nato_csto_weight_delta.png`` — both players' relative-gain weight r (one common value)
   against the discount factor δ. Tests claim 5 (with absolute gains, r near 0, and a long
   enough shadow of the future, cooperation is sustainable: a *reciprocity* region above the
   grim-trigger threshold) and claim 2 (at the realist weights and δ of the baseline, its
   starred point, the regime is *one-sided*: NATO declines, the CSTO invites); the hatching
   shows where relative gains alone block cooperation.
2. ``nato_csto_threat_weight.png`` — the common-threat level (``parameters.threat``, 1 = the
   2007 level, scaling the synergy and unilateral-effort factors) against NATO's
   relative-gain weight, the CSTO's weight and δ held at the baseline's. Tests claim 4 ("any
   existential threat that the two blocs faced together would probably alter these
   calculations considerably": raising the threat makes (C,C) an equilibrium) and how far NATO's realist
   weight moves the threat that is needed (claim 2).

Each map is a sweep written to ``OUT/<name>/`` (tidy Parquet table + metadata, redrawable with
``blocsim plot``) and a PNG in ``OUT``.

    python experiments/nato_csto_maps.py [--out results/experiments] [--size 301]
"""

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from sim import outputs, scenario  # noqa: E402
from sim.plots.sweep import draw_measure  # noqa: E402
from sim.sweep.run import run_sweep  # noqa: E402

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "nato_csto_2007.toml"


def maps(size: int):
    both = "preferences.relative_gain_weight.NATO+preferences.relative_gain_weight.CSTO"
    return {
        "nato_csto_weight_delta": [f"{both}=0:1:{size}", f"repeated.discount=0:0.99:{size}"],
        "nato_csto_threat_weight": [f"parameters.threat=0:6:{size}",
                                    f"preferences.relative_gain_weight.NATO=0:1:{size}"],
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="results/experiments")
    parser.add_argument("--size", type=int, default=301, help="points per axis")
    args = parser.parse_args(argv)
    sc = scenario.load(str(SCENARIO))
    out = outputs.prepare(args.out, [], force=True)
    for name, axes in maps(args.size).items():
        result = run_sweep(sc, axes, ["regime", "blocked_by_relative_gains"], out=out / name,
                           force=True, progress=False)
        meta, columns = result.load()
        fig = draw_measure(meta, columns, "regime")
        outputs.save_figure(fig, out / f"{name}.png")
        plt.close(fig)
        print(f"wrote {out / name}.png ({meta['sweep']['size']:,} points)")


if __name__ == "__main__":
    main()
