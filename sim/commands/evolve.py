"""``blocsim evolve``: does cooperation emerge? Replicator, Moran and generational dynamics on
the payoff matrix among strategies in a scenario's repeated game."""

from __future__ import annotations

from ..budget import from_args, limit
from .common import (add_output_options, add_scenario_options, emit, natural, prepare,
                     save_figures, use_agg, user_error)

#: Entrants by default: the three of the classic simplex (Nowak & Sigmund 2004).
DEFAULT_PLAYERS = ("AllC", "AllD", "TFT")
DYNAMICS = ("replicator", "moran", "generational")


def add_parsers(sub):
    p = sub.add_parser("evolve", help="evolutionary dynamics among strategies: replicator "
                       "(one or two populations), Moran process, generational play")
    add_scenario_options(p)
    p.add_argument("--dynamics", choices=DYNAMICS,
                   help="replicator (default), moran or generational")
    p.add_argument("--players", nargs="+", metavar="NAME",
                   help=f"strategies (default: [evolution] players, or "
                        f"{', '.join(DEFAULT_PLAYERS)})")
    p.add_argument("--population", type=int, metavar="N",
                   help="population size for moran and generational (default 60)")
    p.add_argument("--intensity", type=float, metavar="BETA",
                   help="selection intensity (default 1)")
    p.add_argument("--fitness", choices=("linear", "exponential"),
                   help="fitness map: 1 − w + w·payoff or exp(β·payoff) (default exponential)")
    p.add_argument("--mutation", type=float, help="mutation probability (moran, default 0)")
    p.add_argument("--runs", type=int, help="independent runs (simulated moran, generational)")
    p.add_argument("--generations", type=int, help="generations (generational, default 50)")
    p.add_argument("--replace", type=int, help="individuals replaced per generation (default 5)")
    p.add_argument("--seed", type=natural, help="random seed (default 0)")
    p.add_argument("--payoffs", choices=("utility", "material"),
                   help="the utility game (relative gains; default) or material payoffs")
    add_output_options(p, "evolution results")


def settings(sc, args) -> dict:
    section = sc.model.evolution

    def pick(name, default):
        for value in (getattr(args, name, None),
                      getattr(section, name, None) if section is not None else None):
            if value is not None:
                return value
        return default

    entrants = section.entrants if section is not None else None
    return {"players": list(args.players or entrants or DEFAULT_PLAYERS),
            "dynamics": pick("dynamics", "replicator"), "population": pick("population", 60),
            "intensity": pick("intensity", 1.0), "fitness": pick("fitness", "exponential"),
            "mutation": pick("mutation", 0.0), "runs": pick("runs", 1000 if pick(
                "dynamics", "replicator") == "moran" else 20),
            "generations": pick("generations", 50), "replace": pick("replace", 5),
            "seed": pick("seed", 0), "payoffs": pick("payoffs", "utility"),
            "discount": sc.discount, "noise": sc.model.repeated.noise}


def _check(where, s):
    from ..errors import UserError

    try:
        limit("population", s["population"], label="--population")
        for name in ("runs", "generations"):
            limit(name, s[name], label=f"--{name}")
    except UserError as exc:
        raise UserError(f"{where}: {exc}") from None
    rules = [("intensity", 0 <= s["intensity"] <= 1e3, "a number in [0, 1000]"),
             ("mutation", 0 <= s["mutation"] <= 1, "a number in [0, 1]"),
             ("replace", 1 <= s["replace"] <= s["population"] // 2,
              "a whole number from 1 to half the population"),
             ("players", len(s["players"]) >= 2, "at least two strategies")]
    for name, ok, allowed in rules:
        if not ok:
            raise UserError(f"{where}: --{name} {s[name]}: allowed: {allowed}")


def _check_fitness(where, s, M):
    """Linear fitness 1 − w + w·payoff must stay non-negative (Nowak et al. 2004)."""
    from ..errors import UserError

    low, w = float(M.min()), s["intensity"]
    if s["dynamics"] == "moran" and s["fitness"] == "linear" and 1 - w + w * low < 0:
        raise UserError(f"{where}: --intensity {w:g}: linear fitness 1 − w + w·payoff is "
                        f"negative at the lowest payoff ({low:.4g}); allowed: an intensity up "
                        f"to {1 / (1 - low):.4g} with --fitness linear, or --fitness "
                        "exponential")


def payoff_matrices(sc, s):
    """Exact payoff matrices among the strategies in the scenario's repeated game (its
    discount factor as continuation probability, its execution noise): a
    :class:`sim.play.PopulationGame`."""
    from ..play import population_game
    from ..strategies import strategy_from_data

    game = sc.utility_game() if s["payoffs"] == "utility" else sc.material_game()
    try:
        strategies = [strategy_from_data(p, f"players[{i}]") for i, p in enumerate(s["players"])]
        return population_game(strategies, game.A, game.B, noise=s["noise"],
                               discount=s["discount"])
    except ValueError as exc:
        raise user_error(f"{sc.where}: evolve", exc) from None


def run(sc, s, budget=None):
    """Run the dynamics (after checking their estimated cost against ``budget``); returns
    ``(result dict, figures dict)``."""
    import numpy as np

    from .. import budget as cost
    from .. import evolution as ev
    from ..plots import evolution as pe

    pg = payoff_matrices(sc, s)
    names, row, col, symmetric, M = pg.labels, pg.row, pg.column, pg.symmetric, pg.one_population
    k = len(names)
    _check_fitness(sc.where, s, M)
    try:
        cost.check(cost.evolve(s["dynamics"], k, s["population"], s["runs"], s["generations"]),
                   budget)
    except cost.BudgetError as exc:
        raise cost.BudgetError(f"{sc.where}: evolve: {exc}") from None
    figures = {}
    if s["dynamics"] == "replicator":
        times = np.linspace(0, 100, 401)
        if symmetric:
            res = ev.replicator(M, np.full(k, 1 / k), times=times, strategies=names)
            figures["shares"] = pe.plot_shares(times, res.paths[0][0], names,
                                               title=f"{sc.title}: replicator dynamics from a "
                                                     "uniform start")
            if k == 3:
                figures["simplex"] = pe.plot_simplex(M, strategies=names,
                                                     rest=ev.rest_points(M, strategies=names),
                                                     title=f"{sc.title}: replicator dynamics")
        else:
            res = ev.replicator_two_populations(row, col, times=times,
                                                row_strategies=names, column_strategies=names)
            for p, who in enumerate(sc.players):
                figures[f"shares_{('row', 'column')[p]}"] = pe.plot_shares(
                    times, res.paths[p][0], names,
                    title=f"{sc.title}: {who}'s strategy mix (two populations)")
            if k == 2:
                figures["phase"] = pe.plot_phase_portrait(
                    row, col, row_strategies=names, column_strategies=names,
                    title=f"{sc.title}: two-population replicator dynamics",
                    populations=sc.players)
        out = res.to_dict()
        if not symmetric:
            out["final_shares"] = {who: out["final_shares"][p]
                                   for who, p in zip(sc.players, res.populations)}
    elif s["dynamics"] == "moran":
        if k == 2:
            res = ev.moran_two_types(M, s["population"], s["intensity"], s["fitness"], names)
            out = res.to_dict()
            Ns = np.unique(np.geomspace(2, max(s["population"], 4), 30).astype(int))
            figures["fixation"] = pe.plot_fixation_against_n(
                M, Ns, (s["intensity"],), fitness=s["fitness"], strategies=names,
                title=f"{sc.title}: fixation probability of a single mutant")
        else:
            counts = np.full(k, s["population"] // k)
            counts[: s["population"] - counts.sum()] += 1
            res = ev.moran_simulation(M, counts, runs=s["runs"], intensity=s["intensity"],
                                      fitness=s["fitness"], mutation=s["mutation"],
                                      seed=s["seed"], strategies=names,
                                      record_every=s["population"])    # once a generation
            out = res.to_dict()
            keep = res.record_times <= res.steps.max()    # until the last run has fixed
            if keep.any():
                figures["shares"] = pe.plot_shares(
                    res.record_times[keep] / s["population"],
                    res.history[keep] / s["population"], names,
                    title=f"{sc.title}: Moran process, mean of {s['runs']} runs "
                          f"(N = {s['population']})",
                    xlabel="generations (N Moran steps each)")
    else:
        counts = np.full(k, s["population"] // k)
        counts[: s["population"] - counts.sum()] += 1
        res = ev.generational(M, counts, replace=s["replace"], generations=s["generations"],
                              runs=s["runs"], seed=s["seed"], strategies=names)
        out = res.to_dict()
        figures["shares"] = pe.plot_shares(
            np.arange(s["generations"] + 1), res.shares.mean(0), names,
            title=f"{sc.title}: generational play (mean of {s['runs']} runs)",
            xlabel="generation")
    out["payoff_matrix"] = {"row": row.tolist(), "column": col.tolist(),
                            "one_population": M.tolist(), "symmetric_game": symmetric}
    return out, figures


def account(out, sc, s) -> str:
    lines = [f"Evolution on {sc.title}: {s['dynamics']} dynamics, {s['payoffs']} payoffs, "
             f"strategies {', '.join(map(str, s['players']))} (payoffs of the repeated game at "
             f"δ = {s['discount']:g}, noise {s['noise']:g})", ""]
    for population, shares in out["final_shares"].items():
        parts = ", ".join(f"{name} {share:.3f}" if isinstance(share, float) else f"{name} {share}"
                          for name, share in shares.items())
        lines.append(f"Final shares ({population}): {parts}")
    if "fixation_probability" in out:
        fp = out["fixation_probability"]
        if all(isinstance(v, dict) for v in fp.values()):      # simulated, with intervals
            lines.append("Fixation probability (from an even start; 95% Wilson interval): "
                         + ", ".join(f"{k} {v['estimate']:.3f} [{v['ci_low']:.3f}, "
                                     f"{v['ci_high']:.3f}]" for k, v in fp.items()))
        else:
            lines.append("Fixation probability of a single mutant (exact): " + ", ".join(
                f"{k} {v:.4g}" for k, v in fp.items()))
    return "\n".join(lines)


def command(args) -> int:
    from .. import outputs
    from ..analysis import provenance

    sc, s, path = prepare(args, settings, _check, ["evolution.json"])
    use_agg()
    out, figures = run(sc, s, from_args(args))
    files = ["evolution.json"] + [f"{stem}.{x}" for stem in figures for x in ("png", "svg")]
    outputs.prepare(path, files, args.force)
    out["provenance"] = provenance(sc, seed=s["seed"], evolution=s,
                                   outputs=[str(path / f) for f in files])
    save_figures(path, figures)
    outputs.write_json(path / "evolution.json", out)
    emit(args, out, account(out, sc, s) + f"\n\nWrote {', '.join(files)} to {path}")
    return 0


COMMANDS = {"evolve": command}
