"""Batched simulation measures against the per-point functions, on the same points, in one run.

The researcher's question of issue 14: who wins a round-robin tournament, and how much does it
cooperate, over a grid of the common threat and NATO's relative-gain weight (the NATO–CSTO
baseline, its own δ and ε)? Each measure is evaluated on the grid's points twice:

* **blocsim** — the sweep measure, one batched call per chunk (:func:`sim.tournament.
  tournament_batch`, :func:`sim.play.population_games`);
* **per point** — the per-point functions the measures were defined by: one
  :func:`sim.tournament.tournament` per point (its winner by :func:`winner`), one
  :func:`sim.play.population_game` per point,

and the values must be identical, bit for bit. Also timed: a grid where every point has its
own chain (δ x ε: nothing to share) and the Monte-Carlo tournament (``method=simulate``). The
last line is the exact 6-strategy tournament winner, with its points per second (target: at
least 100x and 20,000 points/s on one core).

    python benchmarks/sweep_measures.py [--side 50] [--per-point 400]

``--per-point`` limits the per-point reference to that many points (spread over the grid);
the ratio compares time per point.
"""

import argparse
import time

import numpy as np


def batch_of(sc, axes):
    from sim.sweep.axes import parse_axis
    from sim.sweep.measures import Batch
    from sim.sweep.axes import Grid

    grid = Grid(tuple(parse_axis(a) for a in axes))
    return Batch(sc, grid.flat_values(0, grid.size), (grid.size,)), grid.size


def per_point(batch, picks, players, method="auto", repetitions=20, seeds=None):
    """The per-point reference: one tournament per point."""
    from sim.sweep.tournament_measures import winner
    from sim.tournament import tournament

    U, V, delta, eps = batch.points()
    out = []
    for q in picks:
        seed = 0 if seeds is None else int(seeds.integers([q])[0])
        r = tournament(players, U[q], V[q], turns=None, continuation=float(delta[q]),
                       noise=float(eps[q]), repetitions=repetitions, seed=seed, method=method)
        out.append((winner(r), r.cooperation_rates.mean()))
    return out


def per_point_evolution(batch, picks, name):
    """The per-point reference of the evolution measures: one population game per point."""
    from sim.evolution import fixation_probability, replicator_two_populations
    from sim.play import population_game
    from sim.strategies import strategy_from_data
    from sim.sweep.evolution_measures import EVOLVED_PLAYERS

    U, V, delta, eps = batch.points()
    names = EVOLVED_PLAYERS if name == "evolved_cooperation" else ("TFT", "AllD")
    strategies = [strategy_from_data(s) for s in names]
    out = []
    for q in picks:
        pg = population_game(strategies, U[q], V[q], noise=float(eps[q]),
                             discount=float(delta[q]))
        if name == "evolved_cooperation":      # one point: a batch of one
            x, y = replicator_two_populations(pg.row[None], pg.column[None]).final
            out.append(float(np.einsum("ni,nij,nj->n", x, pg.mutual[None], y)[0]))
        else:
            out.append(float(fixation_probability(pg.one_population, 60, 1.0, "exponential")))
    return out


def timed(f, *args, **kw):
    t0 = time.perf_counter()
    out = f(*args, **kw)
    return time.perf_counter() - t0, out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=100)
    parser.add_argument("--per-point", type=int, default=400)
    args = parser.parse_args()
    from sim import scenario
    from sim.sweep import evolution_measures as em
    from sim.sweep.measures import point_seeds
    from sim.sweep.tournament_measures import (DEFAULT_PLAYERS, tournament_cooperation,
                                               tournament_winner)

    sc = scenario.load("nato_csto_2007")
    n = args.side
    grids = {"threat x NATO weight": [f"parameters.threat=0:4:{n}",
                                      f"preferences.relative_gain_weight.NATO=0:1:{n}"],
             "discount x noise (every chain distinct)": [f"repeated.discount=0:0.99:{n}",
                                                         f"repeated.noise=0:0.1:{n}"]}
    warm, _ = batch_of(sc, ["parameters.threat=0:1:3", "repeated.noise=0:0.1:2"])
    tournament_winner(warm, point_seeds(0, range(6), "w"))
    tournament_winner(warm, point_seeds(0, range(6), "w"), method="simulate")
    results = {}
    for label, axes in grids.items():
        batch, size = batch_of(sc, axes)
        picks = np.linspace(0, size - 1, min(args.per_point, size)).round().astype(int)
        for method in ("exact", "simulate"):
            if method == "simulate" and label != "threat x NATO weight":
                continue
            seeds = point_seeds(1, range(size), "tournament_winner")
            t_batch, won = timed(tournament_winner, batch, seeds, method=method)
            coop = tournament_cooperation(batch, seeds, method=method)
            t_ref, ref = timed(per_point, batch, picks, DEFAULT_PLAYERS, method=method,
                               seeds=seeds)
            assert [w for w, _ in ref] == won[picks].tolist(), "winners differ"
            assert [c for _, c in ref] == coop[picks].tolist(), "cooperation differs"
            per_batch, per_ref = t_batch / size, t_ref / len(picks)
            results[(label, method)] = (t_batch, size, per_ref * size)
            print(f"tournament_winner ({method}), {label}: {size:,} points in {t_batch:.3f} s "
                  f"({size / t_batch:,.0f} points/s); per point {per_ref * 1e3:.2f} ms "
                  f"({len(picks)} points timed); {per_ref / per_batch:,.0f}x; identical")
    side = max(2, n // 10)
    batch, size = batch_of(sc, [f"parameters.threat=0:4:{side}",
                                f"preferences.relative_gain_weight.NATO=0:1:{side}"])
    picks = np.linspace(0, size - 1, min(max(2, args.per_point // 40), size)).round().astype(int)
    for name, f in (("evolved_cooperation", em.evolved_cooperation),
                    ("fixation_probability", em.fixation_probability)):
        t_batch, got = timed(f, batch, None)
        t_ref, ref = timed(per_point_evolution, batch, picks, name)
        assert ref == got[picks].tolist(), f"{name} differs"
        per_ref = t_ref / len(picks)
        print(f"{name}, threat x NATO weight: {size:,} points in {t_batch:.3f} s "
              f"({size / t_batch:,.0f} points/s); per point {per_ref * 1e3:.2f} ms "
              f"({len(picks)} points timed); {per_ref * size / t_batch:,.1f}x; identical")
    t_batch, size, t_ref = results[("threat x NATO weight", "exact")]
    print(f"sweep_measures: blocsim {t_batch:.3f} s, per-point {t_ref:.1f} s, ratio "
          f"{t_ref / t_batch:,.0f}x (target 100x and 20,000 points/s: "
          f"{size / t_batch:,.0f} points/s, exact 6-strategy tournament_winner, one core)")


if __name__ == "__main__":
    main()
