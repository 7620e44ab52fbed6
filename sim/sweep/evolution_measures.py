"""Evolution measures: does cooperation emerge among strategies, and can a reciprocator invade?

Both start from the exact payoffs of the repeated game at the point (:func:`sim.play.
population_game`): every pair of strategies plays a match on the point's **utility game**
(Snidal 1991) that continues after each round with probability δ, the point's discount factor
(its normalised discounted payoff, equally the expected payoff per round), with execution
noise ε (the scenario's ``repeated.noise``, an axis ``repeated.noise``, or the option
``noise``).

``evolved_cooperation`` — two-population replicator dynamics (Taylor 1979;
:func:`sim.evolution.replicator_two_populations`), one population of row players (NATO's
possible policies) and one of column players (the CSTO's), each starting from the uniform mix
of ``players`` and integrated until it settles (``max |dx/dt| < 1e-10``) or to time ``time``
(in normalised time units, payoffs divided by their scale: the value is the same at every
payoff scale).
The value is the frequency of mutual cooperation, (C,C), per round when a random member of
the evolved row population meets a random member of the evolved column population:
``Σ_ij x_i y_j F_ij`` with ``F_ij`` the exact discounted frequency of (C,C) in the match of
row strategy ``i`` against column strategy ``j``. It is 1 when both populations end up with
reciprocators (or AllC) that cooperate with each other, 0 when either ends up defecting.

``fixation_probability`` — the Moran process (birth–death, exponential fitness
``exp(β·payoff)``; Nowak et al. 2004, Traulsen et al. 2008): the exact probability that one
``mutant`` (default TFT) takes over a population of ``population - 1`` ``resident``\\ s
(default AllD), from the closed form of :func:`sim.evolution.fixation_probability`. One
population plays both roles of the asymmetric game with equal probability (role-averaged
payoffs, :attr:`sim.play.PopulationGame.one_population`). Compare with the neutral ``1/N``.

Neither is random: the point seeds are not used, so these measures are exact and identical
on every executor. Cost: the k² exact matches of all the chunk's points are one batched
Markov-chain call, each distinct (δ, ε) solved once (the default strategies' rules do not
depend on the payoffs, so a map over payoff parameters at one δ solves one chain per pair),
and the replicator dynamics of all the chunk's points are one stacked integration (most of
the time: slowly converging trajectories run to ``time``).
"""

from __future__ import annotations

import numpy as np

from .measures import NOISE, Option, check_noise, register
from .tournament_measures import check_players, entrants

#: The classic field of "does reciprocity emerge?" (Nowak & Sigmund 1993; Imhof, Fudenberg &
#: Nowak 2005): the unconditional strategies and the three simplest reciprocators.
EVOLVED_PLAYERS = ("AllC", "AllD", "TFT", "Grim", "WSLS")
#: The replicator's horizon, in normalised time units (payoffs divided by their scale, as
#: :func:`sim.evolution.replicator_two_populations` integrates): ten times the replicator's
#: own default, because at a short shadow of the future the defectors take over slowly (with
#: noise 0.05 at δ = 0.2 the (C,C) frequency of the NATO–CSTO game is still 0.04 at 1000
#: units, 0.0025 from 5000 on; the tests hold it below 0.01).
EVOLVED_HORIZON = 10_000.0

def population_games(batch, strategies, noise=None):
    """``(row, column, mutual, one_population)`` payoff arrays ``(n, k, k)`` of a flat batch
    of ``n`` points (see :class:`sim.play.PopulationGame`), from one batched call
    (:func:`sim.play.population_games`: one Markov-chain solve per distinct δ and ε)."""
    from ..play import population_games as batched

    U, V, delta, eps = batch.points(noise)
    return batched(strategies, U, V, noise=eps, discount=delta)


def _check_evolved(options, scenario=None) -> str | None:
    return check_noise(options) or check_players(options.get("players", EVOLVED_PLAYERS),
                                                 finite=True, scenario=scenario)


@register("evolved_cooperation", "simulated",
          "frequency of mutual cooperation (C,C) between the row and the column population "
          "after two-population replicator dynamics among the players from a uniform start, "
          "on exact payoffs of the repeated utility game (continuation δ, noise ε)",
          unit="share of rounds",
          options={"players": Option(tuple, EVOLVED_PLAYERS, "strategies by name (the "
                                     "library's or the scenario's [strategies]), joined by '+' "
                                     "(default AllC+AllD+TFT+Grim+WSLS)"),
                   "noise": NOISE,
                   "time": Option(float, EVOLVED_HORIZON,
                                  "integration time limit in normalised time units (payoffs "
                                  "divided by their scale: the same at every payoff scale)")},
          cost=lambda options: 5e-4 + 1.6e-4 * len(options.get("players", EVOLVED_PLAYERS)) ** 2,
          check=_check_evolved)
def evolved_cooperation(batch, seeds, players=EVOLVED_PLAYERS, noise=None,
                        time=EVOLVED_HORIZON):
    (x, y), mutual = evolve(batch, players, noise, time)
    return np.einsum("ni,nij,nj->n", x, mutual, y)


def evolve(batch, players=EVOLVED_PLAYERS, noise=None, time=EVOLVED_HORIZON):
    """``((x, y), mutual)``: the final shares ``(n, k)`` of the row and column populations
    after two-population replicator dynamics from the uniform mix at every point of a flat
    batch, run for at most ``time`` normalised time units (:func:`horizon`), and the (C,C)
    frequencies ``(n, k, k)`` of their matches."""
    from ..evolution import replicator_two_populations

    row, column, mutual, _ = population_games(batch, entrants(batch.scenario, players), noise)
    return replicator_two_populations(row, column, t_max=horizon(row, column, time)).final, \
        mutual


def horizon(row, column, time=EVOLVED_HORIZON):
    """Each point's horizon in the payoffs' own time units: ``time`` normalised units, the
    time the replicator integrates in (payoffs divided by their scale,
    :func:`sim.evolution.replicator.payoff_scale`), so that the measure is the same at every
    payoff scale."""
    from ..evolution.replicator import payoff_scale

    return time / payoff_scale(row, column)


def _check_fixation(options, scenario=None) -> str | None:
    pair = (options.get("mutant", "TFT"), options.get("resident", "AllD"))
    if options.get("population", 60) < 2:
        return f"population = {options['population']}: allowed: a whole number >= 2"
    if not 0 <= options.get("intensity", 1.0) <= 1e3:
        return f"intensity = {options['intensity']}: allowed: a number in [0, 1000]"
    if check_noise(options):
        return check_noise(options)
    if pair[0] == pair[1]:
        return f"mutant+resident = {'+'.join(pair)}: allowed: each strategy once"
    return next(filter(None, (check_players((name,), 1, True, scenario, key)
                              for key, name in zip(("mutant", "resident"), pair))), None)


@register("fixation_probability", "simulated",
          "exact probability that one mutant (default TFT) takes over a Moran population of "
          "residents (default AllD) on role-averaged payoffs of the repeated utility game "
          "(continuation δ, noise ε); neutral: 1/N", unit="probability",
          options={"mutant": Option(str, "TFT", "the invading strategy"),
                   "resident": Option(str, "AllD", "the resident strategy"),
                   "population": Option(int, 60, "population size N"),
                   "intensity": Option(float, 1.0, "selection intensity β of exp(β·payoff)"),
                   "noise": NOISE},
          cost=lambda options: 1e-4 + 1e-7 * options.get("population", 60),
          check=_check_fixation)
def fixation_probability(batch, seeds, mutant="TFT", resident="AllD", population=60,
                         intensity=1.0, noise=None):
    from ..evolution import fixation_probability as rho

    *_, M = population_games(batch, entrants(batch.scenario, (mutant, resident)), noise)
    return rho(M, population, intensity, "exponential")
