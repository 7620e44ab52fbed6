"""Evolutionary dynamics among strategies in a scenario's repeated game (``Scenario.evolve``,
``blocsim evolve``): replicator (one or two populations), Moran process, generational play,
on the exact payoff matrices of the repeated game at the scenario's discount factor and noise.
"""

from __future__ import annotations

import numpy as np

from .._jit import announce
from ..errors import UserError, user_error
from ..results import Record, as_figure
from . import settings as _settings

#: Output times of the replicator paths that the figures show, in normalised time units
#: (payoffs divided by :func:`sim.evolution.payoff_scale`; the run divides them by the scale):
#: the same path and cost at any payoff scale.
REPLICATOR_TIMES = np.linspace(0, 100, 401)


def settings(scenario, given: dict) -> dict:
    """The checked settings (given > the scenario's section > library default)."""
    s = _settings.evolution(scenario, given)
    check(scenario.where, s)
    return s


def check(where: str, s: dict) -> None:
    """Raise :class:`UserError` (one line) on a setting out of range."""
    from ..budget import limit

    try:
        for name in ("population", "runs", "generations"):
            limit(name, s[name], label=f"--{name}")
    except UserError as exc:
        raise UserError(f"{where}: {exc}") from None
    rules = [("intensity", 0 <= s["intensity"] <= 1e3, "a number in [0, 1000]"),
             ("mutation", 0 <= s["mutation"] <= 1, "a number in [0, 1]"),
             ("replace", s["dynamics"] != "generational"             # generational only
              or 1 <= s["replace"] <= s["population"] // 2,
              f"a whole number from 1 to {s['population'] // 2} (half the population "
              f"{s['population']})"),
             ("players", len(s["players"]) >= 2, "at least two strategies")]
    for name, ok, allowed in rules:
        if not ok:
            raise UserError(f"{where}: --{name} {s[name]}: allowed: {allowed}")


def simulated_moran(s: dict, k: int) -> bool:
    """Whether the Moran process of ``k`` strategies is simulated: the process of two without
    mutation is exact (:func:`sim.evolution.moran_two_types`), any other is not."""
    return s["dynamics"] == "moran" and (k > 2 or s["mutation"] > 0)


def check_cost(where: str, s: dict, M, budget=None) -> None:
    """Before the dynamics run: linear fitness 1 − w + w·payoff must stay non-negative
    (Nowak et al. 2004), and the estimated memory and time must fit ``budget``
    (:mod:`sim.budget`; simulated Moran runs last as long as
    :func:`sim.evolution.moran_simulation.run_length` says, found only under a time budget)."""
    from .. import budget as cost

    low, w = float(np.min(M)), s["intensity"]
    if s["dynamics"] == "moran" and s["fitness"] == "linear" and 1 - w + w * low < 0:
        raise UserError(f"{where}: --intensity {w:g}: linear fitness 1 − w + w·payoff is "
                        f"negative at the lowest payoff ({low:.4g}); allowed: an intensity up "
                        f"to {1 / (1 - low):.4g} with --fitness linear, or --fitness "
                        "exponential")
    steps = cost.MORAN_MAX_STEPS
    if simulated_moran(s, len(M)) and budget is not None and budget.seconds is not None:
        from ..evolution.moran_chain import solvable
        from ..evolution.moran_simulation import run_length

        if s["mutation"] == 0 and not solvable(s["population"], len(M)):
            announce("sim.evolution.kernels:moran_runs")       # pilot runs: may compile
        steps = run_length(M, _even_counts(len(M), s["population"]), intensity=w,
                           fitness=s["fitness"], mutation=s["mutation"], seed=s["seed"])
    try:
        cost.check(cost.evolve(s["dynamics"], len(M), s["population"], s["runs"],
                               s["generations"], steps, s["mutation"]), budget)
    except cost.BudgetError as exc:
        raise cost.BudgetError(f"{where}: evolve: {exc}") from None


def payoff_matrices(scenario, s):
    """Exact payoff matrices among the strategies in the scenario's repeated game (its
    discount factor as continuation probability, its execution noise): a
    :class:`sim.play.PopulationGame`."""
    from ..play import population_game
    from ..strategies import strategy_from_data

    game = scenario.utility_game() if s["payoffs"] == "utility" else scenario.material_game()
    try:
        strategies = [strategy_from_data(p, f"players[{i}]") for i, p in enumerate(s["players"])]
        return population_game(strategies, game.A, game.B, noise=s["noise"],
                               discount=s["discount"])
    except ValueError as exc:
        raise user_error(f"{scenario.where}: evolve", exc) from None


def _even_counts(k: int, population: int) -> np.ndarray:
    counts = np.full(k, population // k)
    counts[: population - counts.sum()] += 1
    return counts


def _dynamics(scenario, s, pg):
    """Run the dynamics: ``(result object, its dict as blocsim evolve reports it)``."""
    from .. import evolution as ev

    names, M = pg.labels, pg.one_population
    k = len(names)
    if s["dynamics"] == "replicator":
        scale = ev.payoff_scale(M) if pg.symmetric else ev.payoff_scale(pg.row, pg.column)
        times = REPLICATOR_TIMES / float(scale)           # in the payoffs' own time units
        if pg.symmetric:
            res = ev.replicator(M, np.full(k, 1 / k), times=times, strategies=names)
            return res, res.to_dict()
        res = ev.replicator_two_populations(pg.row, pg.column, times=times,
                                            row_strategies=names, column_strategies=names)
        out = res.to_dict()
        out["final_shares"] = {who: out["final_shares"][p]
                               for who, p in zip(scenario.players, res.populations)}
        return res, out
    if s["dynamics"] == "moran":
        if not simulated_moran(s, k):
            res = ev.moran_two_types(M, s["population"], s["intensity"], s["fitness"], names)
        else:
            announce("sim.evolution.kernels:moran_runs")
            res = ev.moran_simulation(M, _even_counts(k, s["population"]), runs=s["runs"],
                                      intensity=s["intensity"], fitness=s["fitness"],
                                      mutation=s["mutation"], seed=s["seed"], strategies=names,
                                      record_every=s["population"])    # once a generation
        return res, res.to_dict()
    announce("sim.evolution.kernels:generational_runs")
    res = ev.generational(M, _even_counts(k, s["population"]), replace=s["replace"],
                          generations=s["generations"], runs=s["runs"], seed=s["seed"],
                          strategies=names)
    return res, res.to_dict()


class EvolutionRun(Record):
    """Evolution on a scenario: the JSON of ``blocsim evolve`` (the dynamics' dict, the
    payoff matrix and provenance), with the dynamics' result as :attr:`result`, the payoff
    matrices as :attr:`game` and the figures from :meth:`figures`."""

    def __init__(self, data, result, game, scenario, settings):
        super().__init__(data)
        self.result, self.game, self.scenario, self.settings = result, game, scenario, settings

    def mutual_cooperation(self, result=None) -> float:
        """How often (C,C) is played between the final populations of the replicator
        dynamics (first start): ``x · mutual · y``, with ``mutual[i, j]`` the (C,C) frequency
        of strategy ``i`` against ``j`` (:class:`sim.play.PopulationGame`). ``result``: another
        replicator result on the same payoff matrices (default: this run's)."""
        if result is None and self.settings["dynamics"] != "replicator":
            raise ValueError("mutual cooperation is defined for the replicator dynamics")
        final = [x[0] for x in (result or self.result).final]
        x, y = final[0], final[-1]
        return float(x @ self.game.mutual @ y)

    def _table(self):
        rows = [[population, name, share] for population, shares in
                self["final_shares"].items() for name, share in shares.items()]
        return ["population", "strategy", "final share"], rows

    def _caption(self) -> str:
        return f"{self.scenario.title}: {self.settings['dynamics']} dynamics"

    def figures(self) -> dict:
        """The figures of ``blocsim evolve``, by file stem: strategy shares over time, and the
        simplex (three strategies), the phase portrait (two populations of two) or the
        fixation probability against the population size (Moran with two types)."""
        from .. import evolution as ev
        from ..plots import evolution as pe

        res, pg, s, title = self.result, self.game, self.settings, self.scenario.title
        names, M = pg.labels, pg.one_population
        k, figures = len(names), {}
        if s["dynamics"] == "replicator" and pg.symmetric:
            figures["shares"] = pe.plot_shares(res.times, res.paths[0][0], names,
                                               title=f"{title}: replicator dynamics from a "
                                                     "uniform start")
            if k == 3:
                figures["simplex"] = pe.plot_simplex(M, strategies=names,
                                                     rest=ev.rest_points(M, strategies=names),
                                                     title=f"{title}: replicator dynamics")
        elif s["dynamics"] == "replicator":
            for p, who in enumerate(self.scenario.players):
                figures[f"shares_{('row', 'column')[p]}"] = pe.plot_shares(
                    res.times, res.paths[p][0], names,
                    title=f"{title}: {who}'s strategy mix (two populations)")
            if k == 2:
                figures["phase"] = pe.plot_phase_portrait(
                    pg.row, pg.column, row_strategies=names, column_strategies=names,
                    title=f"{title}: two-population replicator dynamics",
                    populations=self.scenario.players)
        elif s["dynamics"] == "moran" and not simulated_moran(s, k):
            Ns = np.unique(np.geomspace(2, max(s["population"], 4), 30).astype(int))
            figures["fixation"] = pe.plot_fixation_against_n(
                M, Ns, (s["intensity"],), fitness=s["fitness"], strategies=names,
                title=f"{title}: fixation probability of a single mutant")
        elif s["dynamics"] == "moran":
            keep = res.record_times <= res.steps.max()    # until the last run has fixed
            if keep.any():
                figures["shares"] = pe.plot_shares(
                    res.record_times[keep] / s["population"],
                    res.history[keep] / s["population"], names,
                    title=f"{title}: Moran process, mean of {s['runs']} runs "
                          f"(N = {s['population']})",
                    xlabel="generations (N Moran steps each)")
        else:
            figures["shares"] = pe.plot_shares(
                np.arange(s["generations"] + 1), res.shares.mean(0), names,
                title=f"{title}: generational play (mean of {s['runs']} runs)",
                xlabel="generation")
        return figures

    def figure(self):
        """The first of :meth:`figures` (strategy shares, or the fixation curve)."""
        return as_figure(next(iter(self.figures().values())))

    def account(self) -> str:
        """A readable account: final shares and fixation probabilities."""
        return account(self, self.scenario, self.settings)


def evolve(scenario, budget=None, **given) -> EvolutionRun:
    """Run the evolutionary dynamics of ``scenario`` with settings ``given`` (see
    :func:`sim.scenario.Scenario.evolve`), after :func:`check_cost` against ``budget``."""
    from ..analysis import provenance

    s = settings(scenario, given)
    pg = payoff_matrices(scenario, s)
    twice = next((name for i, name in enumerate(pg.labels) if name in pg.labels[:i]), None)
    if twice is not None:                 # one population share per strategy
        raise UserError(f"{scenario.where}: --players {' '.join(map(str, s['players']))}: "
                        f"{twice} named twice; allowed: distinct strategies")
    check_cost(scenario.where, s, pg.one_population, budget)
    res, out = _dynamics(scenario, s, pg)
    out["payoff_matrix"] = {"row": pg.row.tolist(), "column": pg.column.tolist(),
                            "one_population": pg.one_population.tolist(),
                            "symmetric_game": pg.symmetric}
    out["provenance"] = provenance(scenario, seed=s["seed"], evolution=s)
    return EvolutionRun(out, res, pg, scenario, s)


def account(out, scenario, s) -> str:
    """The readable account of an evolution run."""
    names = next(iter(out["final_shares"].values()))        # the strategies' labels
    lines = [f"Evolution on {scenario.title}: {s['dynamics']} dynamics, {s['payoffs']} "
             f"payoffs, strategies {', '.join(names)} (payoffs of the "
             f"repeated game at δ = {s['discount']:g}, noise {s['noise']:g})", ""]
    for population, shares in out["final_shares"].items():
        parts = ", ".join(f"{name} {share:.3f}" if isinstance(share, float) else f"{name} {share}"
                          for name, share in shares.items())
        lines.append(f"Final shares ({population}): {parts}")
    if out.get("model") == "replicator":
        lines.append(f"Stopped at t = {out['time']:.4g} (payoff units⁻¹): {out['status']}")
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
