"""Where does cooperation EMERGE in the NATO–CSTO game? An evolutionary map against theory.

The question of issue #5. The analytic maps (``experiments/nato_csto_maps.py``) say where
bloc-to-bloc cooperation, (C,C), *can* be an equilibrium of the repeated game; this
experiment asks where it *arises* when nobody starts out committed to it. Two populations,
NATO's possible policies (row) and the CSTO's (column), each start as the uniform mix of
AllC, AllD, TFT, Grim and WSLS; strategies spread by two-population replicator dynamics
(Taylor 1979) on the exact payoffs of the repeated **utility** game (relative-gain weights of
Snidal 1991; matches continue with probability δ). The measure is the sweep measure
``evolved_cooperation``: the frequency of (C,C) when a member of the evolved NATO population
meets a member of the evolved CSTO population (1: cooperation emerged, 0: it did not).

It is a sweep of ``scenarios/nato_csto_2007.toml`` over both players' relative-gain weight r
(one common value, keys linked with ``+``), the discount factor δ, and the common-threat level
(``parameters.threat``: 1 = 2007, and raised levels), so it resumes where it was interrupted.
Drawn over each map (:func:`sim.plots.sweep.draw_measure`) are the analytic edges, from
:func:`sim.equilibria.threshold` and the regime classification on the same utility game:
where grim trigger sustains (C,C) for both players (δ at least both thresholds), where WSLS
does, and where (C,C) is an equilibrium outcome at all (the regime boundary).

Claims of the report tested (``shared/MODEL-NOTES.md``):

* **claim 5** — with absolute gains (r near 0) and a long enough shadow of the future,
  cooperation is sustainable: does it also *emerge*, and from which δ?
* **claim 2** — under realist weights (the baseline's weights and δ) NATO declines: does
  cooperation fail to emerge there, and from what r on does it fail at every δ?
* **claim 4** — a common existential threat would "alter these calculations considerably":
  does raising the threat let cooperation emerge at the baseline weights?

What it finds: the script prints the numbers of each threat level and writes them to
``findings.json`` (:func:`summary`); they are not repeated here, so that they cannot go stale.
``tests/sweep/test_measures.py`` checks each statement below on a coarse grid. Evolution from
the uniform start finds cooperation where the analytic grim-trigger condition holds and nowhere
else, and (C,C) is an equilibrium outcome at exactly the grim points, so the regime edge lies
under the grim edge (the figure's title says so when this holds at every threat level). WSLS
sustains (C,C) on a smaller region only; its edge does not bound emergence, because Grim and
TFT are in the mix.

* Claim 5 holds, narrowly: at the 2007 threat cooperation emerges only for nearly liberal
  blocs (small r), at r = 0 from the grid's first δ at or above the grim threshold.
* Claim 2 holds: at the baseline point cooperation does not emerge, and the analytic regime
  there is one-sided; in the evolved state both populations play AllD. The CSTO's invitation
  does not survive evolution either: a cooperating CSTO is exploited by a defecting NATO.
* Claim 4 holds: the higher the threat, the larger the region where cooperation emerges; at
  four times the 2007 threat it includes the baseline point (regime: reciprocity), where AllD
  dies out in both populations. From twice the threat on, cooperation emerges for small r even
  without a shadow of the future (δ = 0): the stage game itself then rewards (C,C).

    python experiments/emergence_map.py [--out results/experiments/emergence] [--size 41]
        [--threats 1,2,4] [--workers N] [--force]

Writes ``OUT/emergence_map.png`` and ``.svg``, ``OUT/findings.json`` and the sweep in
``OUT/sweep/`` (Parquet table and metadata; redraw with ``blocsim plot OUT/sweep``).
"""

import argparse
import sys
from pathlib import Path

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "nato_csto_2007.toml"
BOTH = "preferences.relative_gain_weight.NATO+preferences.relative_gain_weight.CSTO"
MEASURES = ("evolved_cooperation", "regime", "threshold_grim", "threshold_wsls")
#: A point counts as "cooperation emerged" when (C,C) is played in at least half the rounds.
EMERGED = 0.5
OVERLAYS = ("cooperative", "grim", "wsls")


def sweep_axes(size: int, threats: str) -> list[str]:
    """Relative-gain weight of both players x discount factor x common threat."""
    return [f"{BOTH}=0:1:{size}", f"repeated.discount=0:0.99:{size}",
            f"parameters.threat={threats}"]


def _share(mask) -> float:
    return round(float(mask.mean()), 4)


def _largest(weights, mask):
    """Largest weight (first axis of ``mask``) at which ``mask`` holds for some δ, or None."""
    import numpy as np

    rows = np.flatnonzero(mask.any(axis=1))
    return round(float(weights[rows[-1]]), 4) if rows.size else None


def summary(meta: dict, columns: dict, scenario) -> dict:
    """The findings, JSON-serialisable: ``{"threat=<t>": {...}}`` per threat level, with keys

    - ``emerged_share``: share of the (r, δ) grid where ``evolved_cooperation >= 0.5``;
    - ``grim_share``: share where grim trigger sustains (C,C) for both (δ ≥ threshold_grim);
    - ``wsls_share``: share where WSLS sustains (C,C) for both (δ ≥ threshold_wsls);
    - ``cooperative_share``: share where the regime is cooperative ((C,C) an equilibrium
      outcome: harmony, coordination or reciprocity);
    - ``agreement_with_grim``, ``agreement_with_regime``: share of points where "emerged"
      equals the analytic statement;
    - ``regime_edge_is_grim_edge``: whether (C,C) is an equilibrium outcome at exactly the
      grid points where grim trigger sustains it;
    - ``emerged_without_grim``, ``grim_without_emergence``: numbers of grid points;
    - ``largest_weight_emerged``, ``largest_weight_wsls``: largest r at which cooperation
      emerges, and at which WSLS sustains (C,C), at some δ (``None`` if nowhere);
    - ``smallest_delta_emerged_at_r0``: smallest δ at which it emerges at r = 0;
      ``grim_threshold_at_r0``: the analytic grim threshold at r = 0 (``None``: none < 1);
    - ``baseline``: at the scenario's own r and δ, computed exactly at that point:
      ``evolved_cooperation``, ``final_shares`` (``{player: {strategy: share}}``) and
      ``regime``.
    """
    import numpy as np

    from sim.equilibria import is_cooperative
    from sim.sweep.measures import Batch

    shape = tuple(meta["sweep"]["shape"])
    r, delta, threat = (np.asarray(a["values"]) for a in meta["sweep"]["axes"])
    E, code, grim, wsls = (np.asarray(columns[m]).reshape(shape) for m in MEASURES)
    deltas = delta[None, :, None]
    emerged = E >= EMERGED
    grim_ok = np.nan_to_num(grim, nan=2.0) <= deltas
    wsls_ok = np.nan_to_num(wsls, nan=2.0) <= deltas
    cooperative = is_cooperative(code)
    out = {}
    for k, t in enumerate(threat):
        e, g, c = emerged[..., k], grim_ok[..., k], cooperative[..., k]
        at0 = np.flatnonzero(e[0])
        point = Batch(scenario, {"parameters.threat": np.asarray(float(t))}, (1,))
        g0 = grim[0, 0, k]
        out[f"threat={t:g}"] = {
            "emerged_share": _share(e), "grim_share": _share(g),
            "wsls_share": _share(wsls_ok[..., k]), "cooperative_share": _share(c),
            "agreement_with_grim": _share(e == g), "agreement_with_regime": _share(e == c),
            "regime_edge_is_grim_edge": bool((g == c).all()),
            "emerged_without_grim": int((e & ~g).sum()),
            "grim_without_emergence": int((g & ~e).sum()),
            "largest_weight_wsls": _largest(r, wsls_ok[..., k]),
            "largest_weight_emerged": _largest(r, e),
            "smallest_delta_emerged_at_r0": round(float(delta[at0[0]]), 4) if at0.size
            else None,
            "grim_threshold_at_r0": None if np.isnan(g0) else round(float(g0), 4),
            "baseline": _baseline(point, scenario),
        }
    return out


def _baseline(point, scenario) -> dict:
    import numpy as np

    from sim.equilibria import regime_names
    from sim.sweep.evolution_measures import EVOLVED_PLAYERS, evolve

    (x, y), mutual = evolve(point)
    return {"relative_gain_weight": scenario.value(BOTH.split("+")[0]),
            "discount": scenario.discount,
            "evolved_cooperation": round(float(x[0] @ mutual[0] @ y[0]), 4),
            "final_shares": {who: {s: round(float(v), 4) for s, v in zip(EVOLVED_PLAYERS, z[0])}
                             for who, z in zip(scenario.players, (x, y))},
            "regime": str(np.ravel(regime_names(point.regimes[0]))[0])}


def report(findings: dict) -> str:
    """Readable lines of :func:`summary`."""
    lines = []
    for level, f in findings.items():
        b = f["baseline"]
        lines.append(
            f"{level}: cooperation emerges on {f['emerged_share']:.1%} of the grid; grim "
            f"trigger sustains it on {f['grim_share']:.1%} (agreement {f['agreement_with_grim']:.1%}"
            f"; {f['emerged_without_grim']} points emerged without grim, "
            f"{f['grim_without_emergence']} grim without emergence); (C,C) an equilibrium "
            f"outcome on {f['cooperative_share']:.1%}; WSLS sustains it on "
            f"{f['wsls_share']:.1%}, up to r = {f['largest_weight_wsls']}; emerges up to "
            f"r = {f['largest_weight_emerged']}, at r = 0 from δ = "
            f"{f['smallest_delta_emerged_at_r0']} (grim threshold {f['grim_threshold_at_r0']}); "
            f"at the baseline (r = {b['relative_gain_weight']:g}, δ = {b['discount']:g}): "
            f"evolved cooperation {b['evolved_cooperation']:.3f}, regime {b['regime']}, final "
            f"shares " + "; ".join(f"{who}: " + ", ".join(f"{s} {v:.2f}" for s, v in sh.items()
                                                         if v >= 0.005)
                                    for who, sh in b["final_shares"].items()))
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="results/experiments/emergence")
    parser.add_argument("--size", type=int, default=41, help="points per axis of each map")
    parser.add_argument("--threats", default="1,2,4",
                        help="common-threat levels, one map each (1 = 2007)")
    parser.add_argument("--workers", type=int, default=None, help="worker processes")
    parser.add_argument("--force", action="store_true",
                        help="start the sweep over (default: resume it)")
    args = parser.parse_args(argv)

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sim import outputs, scenario
    from sim.plots.sweep import draw_measure
    from sim.sweep.axes import SweepError
    from sim.sweep.run import run_sweep

    sc = scenario.load(str(SCENARIO))
    out = outputs.prepare(args.out, [], force=True)
    try:
        result = run_sweep(sc, sweep_axes(args.size, args.threats), list(MEASURES),
                           out=out / "sweep", workers=args.workers, force=args.force,
                           resume=not args.force, progress=None)
    except SweepError as exc:
        print(f"emergence_map: {exc}", file=sys.stderr)
        return 2
    meta, columns = result.load()
    findings = summary(meta, columns, sc)
    title = f"{sc.title}: where does cooperation emerge?"
    if all(f["regime_edge_is_grim_edge"] for f in findings.values()):
        title += (" (C,C) is an equilibrium outcome exactly where grim trigger sustains it "
                  "(dashed edge under solid)")
    title += ("\nshare of (C,C) after two-population replicator dynamics from a uniform mix of "
              "AllC, AllD, TFT, Grim and WSLS (repeated utility game)")
    fig = draw_measure(meta, columns, "evolved_cooperation", overlays=OVERLAYS, title=title)
    for ext in ("png", "svg"):
        outputs.save_figure(fig, out / f"emergence_map.{ext}")
    plt.close(fig)
    outputs.write_json(out / "findings.json", {"findings": findings,
                                               "sweep": meta["sweep"]["spec_hash"],
                                               "timing": meta["timing"]})
    print(report(findings))
    print(f"wrote {out / 'emergence_map.png'}, .svg, findings.json and the sweep in "
          f"{out / 'sweep'} ({meta['sweep']['size']:,} points, {meta['timing']['seconds']:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
